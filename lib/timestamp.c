#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "timestamp.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t
tend_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
tend_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned char dm[] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Reads exactly k digits at s[*i]; returns the value or -1. */
static long
digits(const char *s, size_t n, size_t *i, int k)
{
	long v = 0;
	int j;

	if (*i + (size_t)k > n)
		return -1;
	for (j = 0; j < k; j++) {
		char c = s[*i + (size_t)j];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)k;
	return v;
}

static int
make_time(int64_t y, long mo, long d, long h, long mi, long se, int32_t nsec,
    long offset_secs, struct tend_time *out)
{
	if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > (long)days_in_month(y, (unsigned)mo) || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	out->sec = tend_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se - offset_secs;
	out->nsec = nsec;
	return 0;
}

int
tend_time_parse_rfc3339(const char *s, size_t n, struct tend_time *out)
{
	size_t i = 0;
	long y, mo, d, h, mi, se, oh, om, offset = 0;
	int32_t nsec = 0;

	if ((y = digits(s, n, &i, 4)) < 0 || i >= n || s[i++] != '-' ||
	    (mo = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != '-' ||
	    (d = digits(s, n, &i, 2)) < 0 || i >= n)
		return -1;
	if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
		return -1;
	i++;
	if ((h = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (mi = digits(s, n, &i, 2)) < 0 || i >= n || s[i++] != ':' ||
	    (se = digits(s, n, &i, 2)) < 0 || i >= n)
		return -1;
	if (s[i] == '.' || s[i] == ',') {
		int k = 0;

		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return -1;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
			if (k < 9)
				nsec = nsec * 10 + (s[i] - '0');
		for (; k < 9; k++)
			nsec *= 10;
		if (i >= n)
			return -1;
	}
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		int sign = s[i++] == '-' ? -1 : 1;

		if ((oh = digits(s, n, &i, 2)) < 0)
			return -1;
		if (i < n && s[i] == ':')
			i++;
		if ((om = digits(s, n, &i, 2)) < 0 || oh > 23 || om > 59)
			return -1;
		offset = sign * (oh * 3600 + om * 60);
	} else
		return -1;
	if (i != n)
		return -1;
	return make_time(y, mo, d, h, mi, se, nsec, offset, out);
}

static int
month_number(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int m;

	for (m = 0; m < 12; m++)
		if (memcmp(names + 3 * m, s, 3) == 0)
			return m + 1;
	return -1;
}

int
tend_time_parse_twitter(const char *s, size_t n, struct tend_time *out)
{
	/* "Wed Oct 10 20:19:24 +0000 2018" */
	size_t i = 11;
	long d, h, mi, se, oh, om, y;
	int mo, sign;

	if (n != 30 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ')
		return -1;
	if ((mo = month_number(s + 4)) < 0)
		return -1;
	{
		size_t j = 8;

		if ((d = digits(s, n, &j, 2)) < 0)
			return -1;
	}
	if ((h = digits(s, n, &i, 2)) < 0 || s[i++] != ':' ||
	    (mi = digits(s, n, &i, 2)) < 0 || s[i++] != ':' ||
	    (se = digits(s, n, &i, 2)) < 0 || s[i++] != ' ')
		return -1;
	if (s[i] != '+' && s[i] != '-')
		return -1;
	sign = s[i++] == '-' ? -1 : 1;
	if ((oh = digits(s, n, &i, 2)) < 0 || (om = digits(s, n, &i, 2)) < 0 ||
	    s[i++] != ' ' || (y = digits(s, n, &i, 4)) < 0 || oh > 23 ||
	    om > 59)
		return -1;
	return make_time(y, mo, d, h, mi, se, 0, sign * (oh * 3600 + om * 60),
	    out);
}

int
tend_time_parse_epoch(const char *s, size_t n, struct tend_time *out)
{
	size_t i = 0;
	int64_t sec = 0;
	int32_t nsec = 0;
	int k;

	if (n == 0 || n > 30)
		return -1;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		sec = sec * 10 + (s[i] - '0');
		if (sec > 253402300799LL)	/* 9999-12-31T23:59:59Z */
			return -1;
	}
	if (i == 0)
		return -1;
	if (i < n && s[i] == '.') {
		for (i++, k = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
			if (k < 9)
				nsec = nsec * 10 + (s[i] - '0');
		for (; k < 9; k++)
			nsec *= 10;
	}
	if (i != n)
		return -1;
	out->sec = sec;
	out->nsec = nsec;
	return 0;
}

int
tend_time_parse_any(const char *s, size_t n, struct tend_time *out)
{
	if (tend_time_parse_rfc3339(s, n, out) == 0 ||
	    tend_time_parse_twitter(s, n, out) == 0 ||
	    tend_time_parse_epoch(s, n, out) == 0)
		return 0;
	return -1;
}

size_t
tend_time_format(struct tend_time t, char out[TEND_TIME_TEXT])
{
	int64_t days = t.sec / 86400, rem = t.sec % 86400, y;
	unsigned m, d;
	int len;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tend_civil_from_days(days, &y, &m, &d);
	len = snprintf(out, TEND_TIME_TEXT, "%04lld-%02u-%02uT%02d:%02d:%02d",
	    (long long)y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
	    (int)(rem % 60));
	if (t.nsec) {
		char frac[11];
		int k = 9;

		snprintf(frac, sizeof(frac), ".%09d", (int)t.nsec);
		while (frac[k] == '0')
			frac[k--] = '\0';
		len += snprintf(out + len, (size_t)(TEND_TIME_TEXT - len), "%s",
		    frac);
	}
	out[len++] = 'Z';
	out[len] = '\0';
	return (size_t)len;
}

int
tend_time_is_canonical(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i, k = sizeof(shape) - 1;
	struct tend_time t;

	if (n < k + 1 || s[n - 1] != 'Z')
		return 0;
	for (i = 0; i < k; i++) {
		if (shape[i] == 'd') {
			if (s[i] < '0' || s[i] > '9')
				return 0;
		} else if (s[i] != shape[i])
			return 0;
	}
	if (n > k + 1) {
		/* a fraction: 1 to 9 digits, without trailing zeros */
		if (s[k] != '.' || n < k + 3 || n > k + 11 || s[n - 2] == '0')
			return 0;
		for (i = k + 1; i < n - 1; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
	}
	/* the shape is right; the values must be too (and :60 is not
	 * canonical) */
	return tend_time_parse_rfc3339(s, n, &t) == 0 && s[17] != '6';
}

int
tend_time_cmp(struct tend_time a, struct tend_time b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	return (a.nsec > b.nsec) - (a.nsec < b.nsec);
}

static long
duration_unit(char c)
{
	switch (c) {
	case 'w': return 7 * 86400L;
	case 'd': return 86400L;
	case 'h': return 3600L;
	case 'm': return 60L;
	case 's': return 1L;
	}
	return 0;
}

int
tend_duration_parse(const char *s, size_t n, int64_t *secs)
{
	size_t i = 0;
	int64_t total = 0, count;
	long unit, last = 0;
	int neg = n > 0 && s[0] == '-';

	i = neg;
	if (i == n)
		return -1;
	while (i < n) {
		if (!(s[i] >= '0' && s[i] <= '9'))
			return -1;
		for (count = 0; i < n && (s[i] >= '0' && s[i] <= '9'); i++) {
			if (count > (INT64_MAX - 9) / 10)
				return -1;
			count = count * 10 + (s[i] - '0');
		}
		if (i == n || !(unit = duration_unit(s[i++])))
			return -1;
		if (last && unit >= last)
			return -1;
		last = unit;
		if (count > (INT64_MAX - total) / unit)
			return -1;
		total += count * unit;
	}
	*secs = neg ? -total : total;
	return 0;
}

void
tend_duration_format(struct tend_buf *out, int64_t secs)
{
	int64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60,
	    s = secs % 60;

	if (secs < 0) {
		tend_buf_addc(out, '-');
		tend_duration_format(out, -secs);
		return;
	}
	if (d)
		tend_buf_printf(out, "%lldd", (long long)d);
	if (d || h)
		tend_buf_printf(out, d ? "%02lldh" : "%lldh", (long long)h);
	if (d || h || m)
		tend_buf_printf(out, d || h ? "%02lldm" : "%lldm",
		    (long long)m);
	tend_buf_printf(out, d || h || m ? "%02llds" : "%llds", (long long)s);
}
