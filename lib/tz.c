/* tz.c: TZif reader (RFC 8536) and conversions between UTC and wall time.
 *
 * The offset is piecewise constant: the transition table gives the
 * segments up to its last entry, the POSIX TZ footer the ones after.  Both
 * questions are answered by walking segments (seg_at), never by stepping
 * through time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "timestamp.h"
#include "tz.h"

#define TZ_FILE_MAX	(1L << 20)	/* real files are a few KiB */
#define TZ_NAME_MAX	255
#define TZ_PATH_MAX	4096
#define OFF_LIMIT	(26L * 3600)	/* every offset is strictly inside */
#define OFF_MIN		(-89999L)	/* RFC 8536 3.2 */
#define OFF_MAX		93599L
#define T_LIMIT		1000000000000000LL	/* footer arithmetic range */

enum { RULE_JULIAN, RULE_ZERO, RULE_MONTH };

struct tz_rule {
	int kind;	/* Jn (1..365, no Feb 29), n (0..365), Mm.w.d */
	int yday;
	int mon, week, wday;
	long time;	/* local seconds after midnight, -167h..167h */
};

struct tz_posix {
	int has_dst;
	long std_off, dst_off;	/* seconds east of UTC */
	struct tz_rule start, end;
};

struct tz_type {
	long off;
	int isdst;
};

struct tend_tz {
	char *name;
	size_t ntrans, ntypes;
	int64_t *trans;
	unsigned char *idx;
	struct tz_type *types;
	int has_footer;
	struct tz_posix footer;
};

/* --- the POSIX TZ string ------------------------------------------------ */

static int
p_num(const char **s, long max, long *out)
{
	long v = 0;
	int n = 0;

	while (**s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		if (v > max || ++n > 3)
			return -1;
		(*s)++;
	}
	*out = v;
	return n ? 0 : -1;
}

/* [+-]hh[:mm[:ss]] with hh at most maxh. */
static int
p_hms(const char **s, long maxh, long *out)
{
	long h, m = 0, sec = 0, sign = 1;

	if (**s == '+' || **s == '-')
		sign = *(*s)++ == '-' ? -1 : 1;
	if (p_num(s, maxh, &h) < 0)
		return -1;
	if (**s == ':') {
		(*s)++;
		if (p_num(s, 59, &m) < 0)
			return -1;
		if (**s == ':') {
			(*s)++;
			if (p_num(s, 59, &sec) < 0)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + sec);
	return 0;
}

static int
p_abbr(const char **s)
{
	const char *p = *s;
	size_t n = 0;

	if (*p == '<') {
		for (p++; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '+' || *p == '-'; p++)
			n++;
		if (*p++ != '>')
			return -1;
	} else {
		for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z');
		    p++)
			n++;
	}
	*s = p;
	return n >= 3 ? 0 : -1;
}

static int
p_rule(const char **s, struct tz_rule *r)
{
	long a, b, c;

	r->time = 7200;
	if (**s == 'J') {
		(*s)++;
		if (p_num(s, 365, &a) < 0 || a < 1)
			return -1;
		r->kind = RULE_JULIAN;
		r->yday = (int)a;
	} else if (**s == 'M') {
		(*s)++;
		if (p_num(s, 12, &a) < 0 || a < 1 || *(*s)++ != '.' ||
		    p_num(s, 5, &b) < 0 || b < 1 || *(*s)++ != '.' ||
		    p_num(s, 6, &c) < 0)
			return -1;
		r->kind = RULE_MONTH;
		r->mon = (int)a;
		r->week = (int)b;
		r->wday = (int)c;
	} else {
		if (p_num(s, 365, &a) < 0)
			return -1;
		r->kind = RULE_ZERO;
		r->yday = (int)a;
	}
	if (**s == '/') {
		(*s)++;
		if (p_hms(s, 167, &r->time) < 0)
			return -1;
	}
	return 0;
}

/* Parses s (NUL-terminated) as "std offset [dst [offset] [,start,end]]". */
static int
posix_parse(const char *s, struct tz_posix *p)
{
	long off;

	memset(p, 0, sizeof(*p));
	if (p_abbr(&s) < 0 || p_hms(&s, 24, &off) < 0)
		return -1;
	p->std_off = -off;
	if (!*s)
		return 0;
	if (p_abbr(&s) < 0)
		return -1;
	p->has_dst = 1;
	p->dst_off = p->std_off + 3600;
	if (*s && *s != ',') {
		if (p_hms(&s, 24, &off) < 0)
			return -1;
		p->dst_off = -off;
	}
	if (!*s) {
		/* no rule: the US rules, as tzcode assumes */
		p->start = (struct tz_rule){ RULE_MONTH, 0, 3, 2, 0, 7200 };
		p->end = (struct tz_rule){ RULE_MONTH, 0, 11, 1, 0, 7200 };
		return 0;
	}
	if (*s++ != ',' || p_rule(&s, &p->start) < 0 || *s++ != ',' ||
	    p_rule(&s, &p->end) < 0)
		return -1;
	return *s ? -1 : 0;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since the epoch of rule r's date in year y. */
static int64_t
rule_day(const struct tz_rule *r, int64_t y)
{
	int64_t d1, last;
	int wd;

	switch (r->kind) {
	case RULE_JULIAN:
		return tend_days_from_civil(y, 1, 1) + r->yday - 1 +
		    (is_leap(y) && r->yday >= 60);
	case RULE_ZERO:
		return tend_days_from_civil(y, 1, 1) + r->yday;
	default:
		d1 = tend_days_from_civil(y, (unsigned)r->mon, 1);
		last = r->mon == 12 ? tend_days_from_civil(y + 1, 1, 1) :
		    tend_days_from_civil(y, (unsigned)r->mon + 1, 1);
		wd = (int)(((d1 + 4) % 7 + 7) % 7);	/* 0 = Sunday */
		d1 += (r->wday - wd + 7) % 7 + (int64_t)(r->week - 1) * 7;
		while (d1 >= last)
			d1 -= 7;
		return d1;
	}
}

/* Offset of the footer's zone at t; *next gets the next transition after
 * t, or INT64_MAX. */
static long
footer_at(const struct tz_posix *p, int64_t t, int64_t *next)
{
	int64_t when[10], w, y;
	int dst[10], n = 0, i, j, d, state = -1;
	unsigned m, day;

	*next = INT64_MAX;
	if (!p->has_dst || t < -T_LIMIT || t > T_LIMIT)
		return p->std_off;
	tend_civil_from_days(t / 86400 - (t % 86400 < 0), &y, &m, &day);
	for (y -= 2, i = 0; i < 5; i++, y++) {
		/* start is written in standard time, end in daylight time */
		when[n] = rule_day(&p->start, y) * 86400 + p->start.time -
		    p->std_off;
		dst[n++] = 1;
		when[n] = rule_day(&p->end, y) * 86400 + p->end.time -
		    p->dst_off;
		dst[n++] = 0;
	}
	for (i = 1; i < n; i++) {	/* stable: ties keep year order */
		w = when[i];
		d = dst[i];
		for (j = i; j > 0 && when[j - 1] > w; j--) {
			when[j] = when[j - 1];
			dst[j] = dst[j - 1];
		}
		when[j] = w;
		dst[j] = d;
	}
	for (i = 0; i < n && when[i] <= t; i++)
		state = dst[i];
	if (i < n)
		*next = when[i];
	if (state < 0)
		state = !dst[0];
	return state ? p->dst_off : p->std_off;
}

/* The offset at t and, in *next, the instant it may next change. */
static long
seg_at(const struct tend_tz *tz, int64_t t, int64_t *next)
{
	size_t lo, hi, mid;

	*next = INT64_MAX;
	if (!tz)
		return 0;
	if (tz->ntrans == 0)
		return tz->has_footer ? footer_at(&tz->footer, t, next) :
		    tz->types[0].off;
	if (t < tz->trans[0]) {
		*next = tz->trans[0];
		return tz->types[0].off;
	}
	lo = 0;
	hi = tz->ntrans;	/* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (tz->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	if (hi < tz->ntrans)
		*next = tz->trans[hi];
	else if (tz->has_footer)	/* from the last transition on */
		return footer_at(&tz->footer, t, next);
	return tz->types[tz->idx[lo]].off;
}

long
tend_tz_offset(const struct tend_tz *tz, int64_t t)
{
	int64_t next;

	return seg_at(tz, t, &next);
}

/* The earliest instant within OFF_LIMIT of local (where every answer
 * lies) whose wall time is local, with *found = 1; else *found = 0 and
 * *gap_end is the start of the first segment whose wall time is already
 * past local: where the gap around local ends. */
static int64_t
solve(const struct tend_tz *tz, int64_t local, int *found, int64_t *gap_end)
{
	int64_t s = local - OFF_LIMIT, e, u;
	long off;
	int first = 1;

	*found = 0;
	*gap_end = INT64_MAX;
	for (; s <= local + OFF_LIMIT; s = e, first = 0) {
		off = seg_at(tz, s, &e);
		u = local - off;
		if (u < s && !first && *gap_end == INT64_MAX)
			*gap_end = s;
		if ((first || u >= s) && u < e) {
			*found = 1;
			return u;
		}
		if (e == INT64_MAX)
			break;
	}
	return 0;
}

int64_t
tend_tz_to_utc(const struct tend_tz *tz, int64_t local)
{
	int64_t u, gap_end;
	long off;
	int found;

	if (local < -T_LIMIT || local > T_LIMIT) {
		off = tend_tz_offset(tz, local);
		if (off < 0 && local > INT64_MAX + off)
			return INT64_MAX;
		if (off > 0 && local < INT64_MIN + off)
			return INT64_MIN;
		return local - off;
	}
	u = solve(tz, local, &found, &gap_end);
	return found ? u : gap_end;
}

/* --- TZif ---------------------------------------------------------------- */

struct rd {
	const unsigned char *p;
	size_t left;
};

static int
take(struct rd *r, size_t n, const unsigned char **out)
{
	if (n > r->left)
		return -1;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_head {
	int version;
	size_t isut, isstd, leap, time, type, chars;
};

static const char *
read_head(struct rd *r, struct tzif_head *h)
{
	const unsigned char *p;

	if (take(r, 44, &p) < 0 || memcmp(p, "TZif", 4) != 0)
		return "not a TZif file";
	if (p[4] != 0 && (p[4] < '2' || p[4] > '4'))
		return "unknown TZif version";
	h->version = p[4] ? p[4] - '0' : 1;
	h->isut = be32(p + 20);
	h->isstd = be32(p + 24);
	h->leap = be32(p + 28);
	h->time = be32(p + 32);
	h->type = be32(p + 36);
	h->chars = be32(p + 40);
	if (h->type == 0 || h->type > 256 || h->chars == 0 ||
	    (h->isut && h->isut != h->type) ||
	    (h->isstd && h->isstd != h->type))
		return "bad TZif counts";
	if (h->time > TZ_FILE_MAX || h->leap > TZ_FILE_MAX ||
	    h->chars > TZ_FILE_MAX)
		return "truncated TZif file";
	return NULL;
}

static size_t
block_size(const struct tzif_head *h, size_t tsize)
{
	return h->time * tsize + h->time + h->type * 6 + h->chars +
	    h->leap * (tsize + 4) + h->isstd + h->isut;
}

static const char *
read_types(struct rd *r, const struct tzif_head *h, struct tend_tz *tz)
{
	const unsigned char *p, *flags;
	size_t i;
	int32_t off;

	if (take(r, h->type * 6, &p) < 0)
		return "truncated TZif file";
	tz->types = tend_xcalloc(h->type, sizeof(*tz->types));
	tz->ntypes = h->type;
	for (i = 0; i < h->type; i++, p += 6) {
		off = (int32_t)be32(p);
		if (off < OFF_MIN || off > OFF_MAX)
			return "TZif offset out of range";
		if (p[4] > 1 || p[5] >= h->chars)
			return "bad TZif local time type";
		tz->types[i].off = off;
		tz->types[i].isdst = p[4];
	}
	if (take(r, h->chars, &p) < 0)
		return "truncated TZif file";
	if (h->leap)
		return "leap-second TZif files are not supported";
	if (take(r, h->isstd, &flags) < 0)
		return "truncated TZif file";
	for (i = 0; i < h->isstd; i++)
		if (flags[i] > 1)
			return "bad TZif standard/wall indicator";
	if (take(r, h->isut, &p) < 0)
		return "truncated TZif file";
	for (i = 0; i < h->isut; i++)
		if (p[i] > 1 || (p[i] && h->isstd && !flags[i]))
			return "bad TZif UT/local indicator";
	return NULL;
}

static const char *
read_block(struct rd *r, const struct tzif_head *h, size_t tsize,
    struct tend_tz *tz)
{
	const unsigned char *t, *x;
	size_t i;

	if (take(r, h->time * tsize, &t) < 0 || take(r, h->time, &x) < 0)
		return "truncated TZif file";
	tz->trans = tend_xcalloc(h->time ? h->time : 1, sizeof(*tz->trans));
	tz->idx = tend_xcalloc(h->time ? h->time : 1, 1);
	tz->ntrans = h->time;
	for (i = 0; i < h->time; i++) {
		tz->trans[i] = tsize == 8 ? be64(t + 8 * i) :
		    (int32_t)be32(t + 4 * i);
		if (i > 0 && tz->trans[i] <= tz->trans[i - 1])
			return "TZif transitions out of order";
		if (x[i] >= h->type)
			return "TZif type index out of range";
		tz->idx[i] = x[i];
	}
	return read_types(r, h, tz);
}

static const char *
read_footer(struct rd *r, struct tend_tz *tz)
{
	const unsigned char *p, *nl;
	char s[256];
	size_t n;

	if (r->left == 0 || r->p[0] != '\n')
		return "TZif footer missing";
	nl = memchr(r->p + 1, '\n', r->left - 1);
	if (!nl)
		return "TZif footer not terminated";
	n = (size_t)(nl - (r->p + 1));
	if (take(r, n + 2, &p) < 0 || n >= sizeof(s) ||
	    memchr(p + 1, '\0', n))
		return "bad TZif footer";
	if (n == 0)
		return NULL;
	memcpy(s, p + 1, n);
	s[n] = '\0';
	if (posix_parse(s, &tz->footer) < 0)
		return "bad TZif footer";
	tz->has_footer = 1;
	return NULL;
}

static const char *
parse_tzif(struct rd *r, struct tend_tz *tz)
{
	struct tzif_head h;
	const unsigned char *skip;
	const char *why;

	if ((why = read_head(r, &h)))
		return why;
	if (h.version == 1)
		return read_block(r, &h, 4, tz);
	if (take(r, block_size(&h, 4), &skip) < 0)
		return "truncated TZif file";
	if ((why = read_head(r, &h)))
		return why;
	if ((why = read_block(r, &h, 8, tz)))
		return why;
	return read_footer(r, tz);
}

struct tend_tz *
tend_tz_parse(const void *data, size_t n, struct tend_error *err)
{
	struct tend_tz *tz = tend_xcalloc(1, sizeof(*tz));
	struct rd r;
	const char *why;

	r.p = data;
	r.left = n;
	if (n > TZ_FILE_MAX)
		why = "TZif file too large";
	else
		why = parse_tzif(&r, tz);
	if (why) {
		tend_error_set(err, NULL, 0, 0, "%s", why);
		tend_tz_free(tz);
		return NULL;
	}
	tz->name = tend_xstrdup("");
	return tz;
}

/* --- loading by name ---------------------------------------------------- */

static int
name_ok(const char *name)
{
	const char *p;

	if (!*name || *name == '/' || strlen(name) > TZ_NAME_MAX ||
	    strstr(name, ".."))
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '+' ||
		    *p == '-' || *p == '/'))
			return 0;
	return 1;
}

/* Reads a regular file of at most TZ_FILE_MAX bytes; -1 with errno. */
static int
slurp(const char *path, unsigned char **out, size_t *n)
{
	struct stat st;
	unsigned char *buf;
	size_t len = 0;
	ssize_t got;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK)) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode) || st.st_size > TZ_FILE_MAX)
		e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	else
		e = 0;
	if (e) {
		close(fd);
		errno = e;
		return -1;
	}
	buf = tend_xmalloc(TZ_FILE_MAX + 1);
	while (len <= TZ_FILE_MAX &&
	    (got = read(fd, buf + len, TZ_FILE_MAX + 1 - len)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = errno;
			free(buf);
			close(fd);
			errno = e;
			return -1;
		}
		len += (size_t)got;
	}
	close(fd);
	*out = buf;
	*n = len;
	return 0;
}

static struct tend_tz *
builtin_utc(const char *name)
{
	struct tend_tz *tz = tend_xcalloc(1, sizeof(*tz));

	tz->types = tend_xcalloc(1, sizeof(*tz->types));
	tz->ntypes = 1;
	tz->name = tend_xstrdup(name);
	return tz;
}

struct tend_tz *
tend_tz_load(const char *name, struct tend_error *err)
{
	char path[TZ_PATH_MAX], q[80];
	const char *dir = getenv("TZDIR");
	unsigned char *data;
	struct tend_tz *tz;
	size_t n;

	if (!name || !name_ok(name)) {
		tend_error_set(err, NULL, 0, 0, "bad time zone name '%s'",
		    tend_error_quote(name ? name : "", name ? strlen(name) : 0,
		    q, sizeof(q)));
		return NULL;
	}
	tend_error_quote(name, strlen(name), q, sizeof(q));
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	errno = ENAMETOOLONG;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) || slurp(path, &data, &n) < 0) {
		if (errno == ENOENT && (!strcmp(name, "UTC") ||
		    !strcmp(name, "Etc/UTC")))
			return builtin_utc(name);
		tend_error_set(err, NULL, 0, 0,
		    errno == ENOENT || errno == EISDIR || errno == ENOTDIR ?
		    "unknown time zone '%s'" : "cannot read time zone '%s'",
		    q);
		return NULL;
	}
	tz = tend_tz_parse(data, n, err);
	free(data);
	if (!tz) {
		char why[TEND_ERROR_TEXT];

		snprintf(why, sizeof(why), "%s", err ? err->text : "");
		tend_error_set(err, NULL, 0, 0, "time zone '%s': %s", q, why);
		return NULL;
	}
	free(tz->name);
	tz->name = tend_xstrdup(name);
	return tz;
}

void
tend_tz_free(struct tend_tz *tz)
{
	if (!tz)
		return;
	free(tz->name);
	free(tz->trans);
	free(tz->idx);
	free(tz->types);
	free(tz);
}

const char *
tend_tz_name(const struct tend_tz *tz)
{
	return tz ? tz->name : "UTC";
}
