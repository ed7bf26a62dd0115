/* calendar.c: weekly windows in local time, holidays, and open time.
 *
 * Everything is built on one walk: the open pieces of local day after local
 * day, in UTC and in order of their starts (day_pieces, walk_next).  Pieces
 * may overlap (two windows, or a window crossing midnight into the next
 * day's); the consumers keep the furthest end seen, so overlap counts once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "buf.h"
#include "calendar.h"
#include "error.h"
#include "timestamp.h"
#include "tz.h"

#define DAY		86400L
#define MAXW		32		/* windows per weekday */
#define CAL_LIMIT	1000000000000LL	/* instants considered: |t| below */
#define EMPTY_DAYS	3660		/* closed this long: never opens */
#define ICS_MAX		(16L << 20)

struct window {
	long start, end;	/* local seconds after midnight; end may pass
				 * midnight: start < end < start + DAY */
};

struct span {
	int64_t start, end;
};

struct hrange {
	int64_t first, last;	/* local day numbers, inclusive */
};

struct yearly {
	unsigned mon, mday;
	int64_t ndays;		/* 1..366 */
	int64_t since, until_year, until_day;
	long interval;
};

struct tend_calendar {
	char *name;
	struct tend_tz *tz;
	struct window win[7][MAXW];	/* 0 = Monday; sorted by start */
	size_t nwin[7];
	struct hrange *ranges;		/* sorted, disjoint */
	size_t nranges, capranges;
	struct yearly *yearly;
	size_t nyearly, capyearly;
	int always;			/* every day 00:00-24:00, no holidays */
};

static const char *const day_names[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

struct tend_calendar *
tend_calendar_new(const char *name, struct tend_tz *tz)
{
	struct tend_calendar *c = tend_xcalloc(1, sizeof(*c));

	c->name = tend_xstrdup(name ? name : "");
	c->tz = tz;
	return c;
}

void
tend_calendar_free(struct tend_calendar *c)
{
	if (!c)
		return;
	tend_tz_free(c->tz);
	free(c->name);
	free(c->ranges);
	free(c->yearly);
	free(c);
}

const char *
tend_calendar_name(const struct tend_calendar *c)
{
	return c->name;
}

const struct tend_tz *
tend_calendar_tz(const struct tend_calendar *c)
{
	return c->tz;
}

/* --- holidays ------------------------------------------------------------ */

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
date_ok(int64_t y, unsigned m, unsigned d)
{
	static const unsigned char dm[] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= (unsigned)(dm[m - 1] + (m == 2 && is_leap(y)));
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The range holding day d, or NULL. */
static const struct hrange *
find_range(const struct tend_calendar *c, int64_t d)
{
	size_t lo = 0, hi = c->nranges, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->ranges[mid].last < d)
			lo = mid + 1;
		else if (c->ranges[mid].first > d)
			hi = mid;
		else
			return &c->ranges[mid];
	}
	return NULL;
}

static int
yearly_holds(const struct yearly *h, int64_t d, int64_t y)
{
	int64_t o;

	if (y < h->since || y > h->until_year ||
	    (y - h->since) % h->interval != 0 || !date_ok(y, h->mon, h->mday))
		return 0;
	o = tend_days_from_civil(y, h->mon, h->mday);
	return o <= h->until_day && o <= d && d < o + h->ndays;
}

static int
is_holiday(const struct tend_calendar *c, int64_t d)
{
	int64_t y;
	unsigned m, md;
	size_t i;

	if (find_range(c, d))
		return 1;
	if (!c->nyearly)
		return 0;
	tend_civil_from_days(d, &y, &m, &md);
	for (i = 0; i < c->nyearly; i++)
		if (yearly_holds(&c->yearly[i], d, y) ||
		    yearly_holds(&c->yearly[i], d, y - 1))
			return 1;
	return 0;
}

static int
range_cmp(const void *a, const void *b)
{
	const struct hrange *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Sorts and merges the ranges (touching ones too). */
static void
normalize_ranges(struct tend_calendar *c)
{
	size_t i, o = 0;

	if (!c->nranges)
		return;
	qsort(c->ranges, c->nranges, sizeof(*c->ranges), range_cmp);
	for (i = 1; i < c->nranges; i++) {
		if (c->ranges[i].first <= c->ranges[o].last + 1) {
			if (c->ranges[i].last > c->ranges[o].last)
				c->ranges[o].last = c->ranges[i].last;
		} else
			c->ranges[++o] = c->ranges[i];
	}
	c->nranges = o + 1;
}

static void
add_range(struct tend_calendar *c, int64_t first, int64_t last)
{
	tend_xgrow((void **)&c->ranges, &c->capranges, c->nranges + 1,
	    sizeof(*c->ranges));
	c->ranges[c->nranges].first = first;
	c->ranges[c->nranges++].last = last;
}

static void
add_yearly(struct tend_calendar *c, const struct yearly *y)
{
	tend_xgrow((void **)&c->yearly, &c->capyearly, c->nyearly + 1,
	    sizeof(*c->yearly));
	c->yearly[c->nyearly++] = *y;
}

/* --- the walk over open pieces ------------------------------------------ */

static int
weekday(int64_t d)
{
	return (int)(((d + 3) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
}

/* The open pieces of local day d, in UTC, starts non-decreasing. */
static size_t
day_pieces(const struct tend_calendar *c, int64_t d, struct span *out)
{
	int wd = weekday(d), h0, h1 = -1;
	int64_t base = d * DAY, s, e;
	size_t i, n = 0;

	if (!c->nwin[wd])
		return 0;
	h0 = is_holiday(c, d);
	for (i = 0; i < c->nwin[wd]; i++) {
		s = c->win[wd][i].start;
		e = c->win[wd][i].end;
		if (e > DAY && h1 < 0)
			h1 = is_holiday(c, d + 1);
		if (h0) {
			if (e <= DAY || h1)
				continue;
			s = DAY;	/* the part past midnight */
		} else if (e > DAY && h1)
			e = DAY;	/* ends where the holiday begins */
		out[n].start = tend_tz_to_utc(c->tz, base + s);
		out[n].end = tend_tz_to_utc(c->tz, base + e);
		if (out[n].end > out[n].start)
			n++;
	}
	return n;
}

/* The next local day worth looking at after d: a holiday range is
 * crossed in one step, to its last day (whose late windows may cross into
 * an open day). */
static int64_t
next_day(const struct tend_calendar *c, int64_t d)
{
	const struct hrange *r = find_range(c, d + 1);

	return r && r->last > d + 1 ? r->last : d + 1;
}

struct walk {
	const struct tend_calendar *c;
	int64_t day, last_open, stop;
	struct span buf[MAXW];
	size_t n, i;
};

static void
walk_init(struct walk *w, const struct tend_calendar *c, int64_t from)
{
	int64_t local = from + tend_tz_offset(c->tz, from);

	w->c = c;
	/* a window starting two days back ends before from */
	w->day = floor_div(local, DAY) - 2;
	w->last_open = w->day;
	w->stop = CAL_LIMIT / DAY;
	w->n = w->i = 0;
}

/* Stops the walk after the days whose pieces could start before to (an
 * offset is below 26 hours). */
static void
walk_until(struct walk *w, int64_t to)
{
	w->stop = floor_div(to, DAY) + 3;
}

/* The next open piece, in order of start; 0 when there is none (never
 * open, closed for EMPTY_DAYS, or past CAL_LIMIT). */
static int
walk_next(struct walk *w, struct span *out)
{
	while (w->i == w->n) {
		if (w->day - w->last_open > EMPTY_DAYS || w->day > w->stop)
			return 0;
		w->n = day_pieces(w->c, w->day, w->buf);
		w->i = 0;
		if (w->n)
			w->last_open = w->day;
		w->day = next_day(w->c, w->day);
	}
	*out = w->buf[w->i++];
	return 1;
}

static int
has_hours(const struct tend_calendar *c)
{
	int i;

	for (i = 0; i < 7; i++)
		if (c->nwin[i])
			return 1;
	return 0;
}

static int
in_range(int64_t t)
{
	return t >= -CAL_LIMIT && t <= CAL_LIMIT;
}

int
tend_calendar_is_open(const struct tend_calendar *c, int64_t t)
{
	struct walk w;
	struct span p;

	if (!in_range(t))
		return 0;
	if (c->always)
		return 1;
	if (!has_hours(c))
		return 0;
	walk_init(&w, c, t);
	walk_until(&w, t);
	while (walk_next(&w, &p) && p.start <= t)
		if (t < p.end)
			return 1;
	return 0;
}

int64_t
tend_calendar_open_secs(const struct tend_calendar *c, int64_t from,
    int64_t to)
{
	struct walk w;
	struct span p;
	int64_t total = 0, covered, s, e;

	if (from < -CAL_LIMIT)
		from = -CAL_LIMIT;
	if (to > CAL_LIMIT)
		to = CAL_LIMIT;
	if (to <= from || !has_hours(c))
		return 0;
	if (c->always)
		return to - from;
	walk_init(&w, c, from);
	walk_until(&w, to);
	covered = from;
	while (walk_next(&w, &p) && p.start < to) {
		s = p.start > covered ? p.start : covered;
		e = p.end < to ? p.end : to;
		if (e > s) {
			total += e - s;
			covered = e;
		}
	}
	return total;
}

int64_t
tend_calendar_add(const struct tend_calendar *c, int64_t from, int64_t secs)
{
	struct walk w;
	struct span p;
	int64_t covered = from, s;

	if (secs < 0)
		secs = 0;
	if (!in_range(from) || secs > 2 * CAL_LIMIT || !has_hours(c))
		return INT64_MAX;
	if (c->always)
		return from + secs;
	walk_init(&w, c, from);
	while (walk_next(&w, &p)) {
		s = p.start > covered ? p.start : covered;
		if (p.end <= s)
			continue;
		if (p.end - s >= secs)
			return s + secs;
		secs -= p.end - s;
		covered = p.end;
	}
	return INT64_MAX;
}

void
tend_calendar_each_open(const struct tend_calendar *c, int64_t from,
    int64_t to, void (*fn)(void *arg, int64_t start, int64_t end), void *arg)
{
	struct walk w;
	struct span p;
	int64_t cs = 0, ce = 0, s, e;
	int have = 0;

	if (from < -CAL_LIMIT)
		from = -CAL_LIMIT;
	if (to > CAL_LIMIT)
		to = CAL_LIMIT;
	if (to <= from || !has_hours(c))
		return;
	if (c->always) {
		fn(arg, from, to);
		return;
	}
	walk_init(&w, c, from);
	walk_until(&w, to);
	while (walk_next(&w, &p) && p.start < to) {
		s = p.start > from ? p.start : from;
		e = p.end < to ? p.end : to;
		if (e <= s)
			continue;
		if (have && s <= ce) {
			if (e > ce)
				ce = e;
			continue;
		}
		if (have)
			fn(arg, cs, ce);
		cs = s;
		ce = e;
		have = 1;
	}
	if (have)
		fn(arg, cs, ce);
}

/* --- parsing ------------------------------------------------------------- */

static const char *const day_full[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
	"sunday"
};

static int
is_blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static const char *
skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

/* Length of the token at p, for quoting: up to a blank, comma or end. */
static size_t
token_len(const char *p)
{
	size_t n = 0;

	while (p[n] && !is_blank(p[n]) && (p[n] != ',' || n == 0))
		n++;
	return n;
}

/* Fills err for the spot at (column of at in line): "WHAT 'TOKEN'", the
 * token there quoted (just WHAT at the end of the line).  Returns -1. */
static int
fail_at(struct tend_error *err, const char *line, const char *at,
    const char *what)
{
	char q[80];

	if (!*at) {
		tend_error_set(err, NULL, 0, (long)(at - line) + 1, "%s", what);
		return -1;
	}
	tend_error_quote(at, token_len(at), q, sizeof(q));
	tend_error_set(err, NULL, 0, (long)(at - line) + 1, "%s '%s'", what, q);
	return -1;
}

static int
digits(const char **pp, int min, int max, long *out)
{
	const char *p = *pp;
	long v = 0;
	int n = 0;

	while (*p >= '0' && *p <= '9' && n < max) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n < min || (*p >= '0' && *p <= '9'))
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

/* Exactly n digits, whatever follows. */
static int
fixed_digits(const char **pp, int n, long *out)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if ((*pp)[i] < '0' || (*pp)[i] > '9')
			return -1;
		v = v * 10 + ((*pp)[i] - '0');
	}
	*pp += n;
	*out = v;
	return 0;
}

static int
parse_day(const char **pp)
{
	const char *p = *pp;
	char w[12];
	size_t n = 0;
	int i;

	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
		if (n + 1 >= sizeof(w))
			return -1;
		w[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		p++;
	}
	w[n] = '\0';
	for (i = 0; i < 7; i++)
		if (!strcmp(w, day_names[i]) || !strcmp(w, day_full[i])) {
			*pp = p;
			return i;
		}
	return -1;
}

/* "mon-fri", "fri-mon", "mon,wed": sets bits of *mask; NULL with *bad. */
static const char *
parse_days(const char *p, unsigned *mask, const char **bad)
{
	const char *q;
	int a, b, i;

	for (;;) {
		*bad = p;
		if ((a = parse_day(&p)) < 0)
			return NULL;
		b = a;
		if (*p == '-') {
			*bad = ++p;
			if ((b = parse_day(&p)) < 0)
				return NULL;
		}
		for (i = a;; i = (i + 1) % 7) {
			*mask |= 1u << i;
			if (i == b)
				break;
		}
		q = skip_blanks(p);
		if (*q != ',')
			return p;
		p = skip_blanks(q + 1);
	}
}

/* HH:MM (H:MM too), 00:00 to 24:00, in seconds. */
static int
parse_hhmm(const char **pp, long *out)
{
	const char *p = *pp;
	long h, m;

	if (digits(&p, 1, 2, &h) < 0 || *p++ != ':' ||
	    digits(&p, 2, 2, &m) < 0 || h > 24 || m > 59 ||
	    (h == 24 && m != 0))
		return -1;
	*pp = p;
	*out = h * 3600 + m * 60;
	return 0;
}

static void
insert_window(struct tend_calendar *c, int wd, long start, long end)
{
	size_t i = c->nwin[wd]++;

	for (; i > 0 && c->win[wd][i - 1].start > start; i--)
		c->win[wd][i] = c->win[wd][i - 1];
	c->win[wd][i].start = start;
	c->win[wd][i].end = end;
}

static void
update_always(struct tend_calendar *c)
{
	long reach;
	size_t i;
	int wd;

	c->always = !c->nranges && !c->nyearly;
	for (wd = 0; wd < 7 && c->always; wd++) {
		reach = 0;
		for (i = 0; i < c->nwin[wd]; i++)
			if (c->win[wd][i].start <= reach &&
			    c->win[wd][i].end > reach)
				reach = c->win[wd][i].end;
		c->always = reach >= DAY;
	}
}

static int
add_windows(struct tend_calendar *c, unsigned mask, const struct window *w,
    size_t n, const char *line, const char *at, struct tend_error *err)
{
	size_t i;
	int wd;

	for (wd = 0; wd < 7; wd++)
		if ((mask >> wd & 1) && c->nwin[wd] + n > MAXW)
			return fail_at(err, line, at,
			    "more than 32 windows on one day at");
	for (wd = 0; wd < 7; wd++)
		for (i = 0; (mask >> wd & 1) && i < n; i++)
			insert_window(c, wd, w[i].start, w[i].end);
	update_always(c);
	return 0;
}

static int
parse_hours(struct tend_calendar *c, const char *line, const char *p,
    struct tend_error *err)
{
	struct window w[MAXW];
	const char *bad, *at;
	unsigned mask = 0;
	size_t n = 0;

	if (!strcmp(p, "24/7")) {
		w[0].start = 0;
		w[0].end = DAY;
		return add_windows(c, 0x7f, w, 1, line, p, err);
	}
	at = p;
	if (!(p = parse_days(p, &mask, &bad)))
		return fail_at(err, line, bad, "unknown day");
	if (!is_blank(*p))
		return fail_at(err, line, p, *p ? "unexpected" :
		    "no hours after the days");
	for (p = skip_blanks(p);; p = skip_blanks(p + 1)) {
		if (n == MAXW)
			return fail_at(err, line, p, "too many windows at");
		at = p;
		if (parse_hhmm(&p, &w[n].start) < 0 || w[n].start == DAY)
			return fail_at(err, line, at, "bad start time");
		p = skip_blanks(p);
		if (*p != '-')
			return fail_at(err, line, p, *p ? "expected '-' at" :
			    "expected '-' and an end time");
		p = skip_blanks(p + 1);
		if (parse_hhmm(&p, &w[n].end) < 0)
			return fail_at(err, line, p, "bad end time");
		if (w[n].end == w[n].start)
			return fail_at(err, line, at, "empty window");
		if (w[n].end < w[n].start)
			w[n].end += DAY;	/* across midnight */
		n++;
		p = skip_blanks(p);
		if (!*p)
			break;
		if (*p != ',')
			return fail_at(err, line, p, "unexpected");
	}
	return add_windows(c, mask, w, n, line, at, err);
}

/* YYYY-MM-DD as a day number. */
static int
parse_date(const char **pp, int64_t *day)
{
	const char *p = *pp;
	long y, m, d;

	if (digits(&p, 4, 4, &y) < 0 || *p++ != '-' ||
	    digits(&p, 2, 2, &m) < 0 || *p++ != '-' ||
	    digits(&p, 2, 2, &d) < 0 || !date_ok(y, (unsigned)m, (unsigned)d))
		return -1;
	*pp = p;
	*day = tend_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

static int
parse_holiday(struct tend_calendar *c, const char *line, const char *p,
    struct tend_error *err)
{
	size_t saved = c->nranges;
	int64_t first, last;
	const char *at;

	for (;;) {
		at = p;
		if (parse_date(&p, &first) < 0)
			goto bad_date;
		last = first;
		if (p[0] == '.' && p[1] == '.') {
			p += 2;
			if (parse_date(&p, &last) < 0)
				goto bad_date;
			if (last < first) {
				c->nranges = saved;
				return fail_at(err, line, at,
				    "holiday range ends before it starts");
			}
		}
		add_range(c, first, last);
		p = skip_blanks(p);
		if (!*p)
			break;
		if (*p != ',') {
			c->nranges = saved;
			return fail_at(err, line, p, "unexpected");
		}
		p = skip_blanks(p + 1);
	}
	normalize_ranges(c);
	update_always(c);
	return 0;
bad_date:
	c->nranges = saved;
	return fail_at(err, line, at, "bad date");
}

/* --- iCalendar holidays ------------------------------------------------ */

struct ics_event {
	long line;		/* of BEGIN:VEVENT */
	int has_start, has_end, cancelled, yearly;
	int64_t start, end, dur;	/* day numbers; dur in days, -1 none */
	int64_t y;
	unsigned m, d;
	long interval, count, bymonth, bymonthday;
	int64_t until;
};

struct ics {
	struct tend_calendar *c;
	struct ics_event ev;
	int in_event, sub;
	long line;
	struct tend_error *err;
};

static int
ics_fail(struct ics *x, long line, const char *what, const char *value)
{
	char q[80];

	tend_error_quote(value, strlen(value), q, sizeof(q));
	tend_error_set(x->err, NULL, line, 0, value[0] ? "%s '%s'" : "%s",
	    what, q);
	return -1;
}

/* YYYYMMDD, optionally followed by a time ("T...") that is ignored. */
static int
ics_date(const char *v, int64_t *day, int64_t *y, unsigned *m, unsigned *d)
{
	long yy, mm, dd;

	if (fixed_digits(&v, 4, &yy) < 0 || fixed_digits(&v, 2, &mm) < 0 ||
	    fixed_digits(&v, 2, &dd) < 0 || (*v && *v != 'T') ||
	    !date_ok(yy, (unsigned)mm, (unsigned)dd))
		return -1;
	*day = tend_days_from_civil(yy, (unsigned)mm, (unsigned)dd);
	if (y) {
		*y = yy;
		*m = (unsigned)mm;
		*d = (unsigned)dd;
	}
	return 0;
}

/* PnW, PnD, PnDT..., PT...: whole days (a part of a day counts as one). */
static int
ics_duration(const char *v, int64_t *days)
{
	long n = 0;

	if (*v == '+')
		v++;
	if (*v++ != 'P')
		return -1;
	*days = 0;
	if (*v != 'T') {
		if (digits(&v, 1, 5, &n) < 0 || (*v != 'W' && *v != 'D'))
			return -1;
		*days = *v++ == 'W' ? n * 7 : n;
	}
	if (*v && *v != 'T')
		return -1;
	if (*days == 0)
		*days = 1;
	return 0;
}

static int
ics_rrule(struct ics *x, const char *v)
{
	struct ics_event *e = &x->ev;
	const char *part = v, *val;
	char until[32];
	size_t klen, vlen;
	int64_t day = 0;
	int freq = 0;

	e->yearly = 1;
	while (*part) {
		klen = strcspn(part, "=;");
		if (part[klen] != '=')
			return ics_fail(x, x->line, "bad RRULE", v);
		val = part + klen + 1;
		if (klen == 4 && !strncasecmp(part, "FREQ", 4)) {
			freq = !strncasecmp(val, "YEARLY", 6) &&
			    (val[6] == ';' || !val[6]);
			val += strcspn(val, ";");
		} else if (klen == 8 && !strncasecmp(part, "INTERVAL", 8)) {
			if (digits(&val, 1, 4, &e->interval) < 0 ||
			    e->interval < 1)
				return ics_fail(x, x->line, "bad RRULE", v);
		} else if (klen == 5 && !strncasecmp(part, "COUNT", 5)) {
			if (digits(&val, 1, 5, &e->count) < 0 || e->count < 1)
				return ics_fail(x, x->line, "bad RRULE", v);
		} else if (klen == 5 && !strncasecmp(part, "UNTIL", 5)) {
			vlen = strcspn(val, ";");
			if (vlen >= sizeof(until))
				return ics_fail(x, x->line, "bad RRULE", v);
			memcpy(until, val, vlen);
			until[vlen] = '\0';
			if (ics_date(until, &day, NULL, NULL, NULL) < 0)
				return ics_fail(x, x->line, "bad RRULE", v);
			e->until = day;
			val += vlen;
		} else if (klen == 7 && !strncasecmp(part, "BYMONTH", 7)) {
			if (digits(&val, 1, 2, &e->bymonth) < 0)
				return ics_fail(x, x->line, "bad RRULE", v);
		} else if (klen == 10 && !strncasecmp(part, "BYMONTHDAY", 10)) {
			if (digits(&val, 1, 2, &e->bymonthday) < 0)
				return ics_fail(x, x->line, "bad RRULE", v);
		} else if (klen == 4 && !strncasecmp(part, "WKST", 4))
			val += strcspn(val, ";");
		else
			return ics_fail(x, x->line,
			    "unsupported RRULE (only FREQ=YEARLY)", v);
		if (*val && *val != ';')
			return ics_fail(x, x->line, "bad RRULE", v);
		part = *val ? val + 1 : val;
	}
	if (!freq)
		return ics_fail(x, x->line,
		    "unsupported RRULE (only FREQ=YEARLY)", v);
	return 0;
}

/* Adds the finished event to the calendar. */
static int
ics_end_event(struct ics *x)
{
	struct ics_event *e = &x->ev;
	struct yearly h;
	int64_t ndays;

	if (!e->has_start)
		return ics_fail(x, e->line, "VEVENT without DTSTART", "");
	if (e->cancelled)
		return 0;
	ndays = e->has_end ? e->end - e->start : e->dur >= 0 ? e->dur : 1;
	if (ndays < 1)
		ndays = 1;
	if (!e->yearly) {
		add_range(x->c, e->start, e->start + ndays - 1);
		return 0;
	}
	if (ndays > 366 || (e->bymonth && e->bymonth != (long)e->m) ||
	    (e->bymonthday && e->bymonthday != (long)e->d))
		return ics_fail(x, e->line,
		    "unsupported yearly event (longer than a year, or "
		    "BYMONTH/BYMONTHDAY other than DTSTART's)", "");
	h.mon = e->m;
	h.mday = e->d;
	h.ndays = ndays;
	h.since = e->y;
	h.interval = e->interval;
	h.until_year = e->count ? e->y + (e->count - 1) * e->interval :
	    INT64_MAX;
	h.until_day = e->until;
	add_yearly(x->c, &h);
	return 0;
}

static int
ics_property(struct ics *x, const char *name, size_t nlen, const char *v)
{
	struct ics_event *e = &x->ev;

	if (nlen == 7 && !strncasecmp(name, "DTSTART", 7)) {
		if (ics_date(v, &e->start, &e->y, &e->m, &e->d) < 0)
			return ics_fail(x, x->line, "bad DTSTART", v);
		e->has_start = 1;
	} else if (nlen == 5 && !strncasecmp(name, "DTEND", 5)) {
		if (ics_date(v, &e->end, NULL, NULL, NULL) < 0)
			return ics_fail(x, x->line, "bad DTEND", v);
		e->has_end = 1;
	} else if (nlen == 8 && !strncasecmp(name, "DURATION", 8)) {
		if (ics_duration(v, &e->dur) < 0)
			return ics_fail(x, x->line, "unsupported DURATION", v);
	} else if (nlen == 5 && !strncasecmp(name, "RRULE", 5))
		return ics_rrule(x, v);
	else if (nlen == 6 && !strncasecmp(name, "STATUS", 6))
		e->cancelled = !strcasecmp(v, "CANCELLED");
	return 0;
}

/* One unfolded content line: NAME *(;PARAM) : VALUE. */
static int
ics_line(struct ics *x, const char *s)
{
	size_t nlen = strcspn(s, ";:");
	const char *v = s + nlen;
	int quoted = 0;

	if (!*s)
		return 0;
	for (; *v && (quoted || *v != ':'); v++)
		if (*v == '"')
			quoted = !quoted;
	if (*v != ':')
		return ics_fail(x, x->line, "no ':' in line", s);
	v++;
	if (nlen == 5 && !strncasecmp(s, "BEGIN", 5)) {
		if (x->in_event) {
			if (!strcasecmp(v, "VEVENT"))
				return ics_fail(x, x->line, "VEVENT inside VEVENT",
				    "");
			x->sub++;
		} else if (!strcasecmp(v, "VEVENT")) {
			memset(&x->ev, 0, sizeof(x->ev));
			x->ev.line = x->line;
			x->ev.dur = -1;
			x->ev.interval = 1;
			x->ev.until = INT64_MAX;
			x->in_event = 1;
		}
		return 0;
	}
	if (nlen == 3 && !strncasecmp(s, "END", 3)) {
		if (x->in_event && x->sub > 0)
			x->sub--;
		else if (!strcasecmp(v, "VEVENT")) {
			if (!x->in_event)
				return ics_fail(x, x->line,
				    "END:VEVENT without BEGIN", "");
			x->in_event = 0;
			return ics_end_event(x);
		}
		return 0;
	}
	if (x->in_event && x->sub == 0)
		return ics_property(x, s, nlen, v);
	return 0;
}

int
tend_calendar_add_ics(struct tend_calendar *c, const char *text, size_t n,
    struct tend_error *err)
{
	struct tend_buf cur = TEND_BUF_INIT;
	size_t saved_r = c->nranges, saved_y = c->nyearly, pos = 0, len;
	const char *phys, *nl;
	struct ics x;
	long line = 0;
	int rc = 0;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.err = err;
	tend_buf_init(&cur);
	while (rc == 0 && pos < n) {
		phys = text + pos;
		nl = memchr(phys, '\n', n - pos);
		len = nl ? (size_t)(nl - phys) : n - pos;
		pos += len + (nl != NULL);
		if (len && phys[len - 1] == '\r')
			len--;
		line++;
		if (len && (phys[0] == ' ' || phys[0] == '\t') && x.line) {
			tend_buf_add(&cur, phys + 1, len - 1);	/* unfold */
			continue;
		}
		if (x.line)
			rc = ics_line(&x, cur.data);
		tend_buf_reset(&cur);
		tend_buf_add(&cur, phys, len);
		x.line = line;
	}
	if (rc == 0 && x.line)
		rc = ics_line(&x, cur.data);
	if (rc == 0 && x.in_event)
		rc = ics_fail(&x, x.ev.line, "VEVENT without END", "");
	tend_buf_release(&cur);
	if (rc < 0) {
		c->nranges = saved_r;
		c->nyearly = saved_y;
		return -1;
	}
	normalize_ranges(c);
	update_always(c);
	return 0;
}

static int
parse_holidays_file(struct tend_calendar *c, const char *line,
    const char *p, const char *dir, struct tend_error *err)
{
	struct tend_buf path = TEND_BUF_INIT;
	struct tend_error ie;
	struct tend_buf text = TEND_BUF_INIT;
	char q[80];
	int rc;

	tend_buf_init(&path);
	if (p[0] != '/' && dir && *dir)
		tend_buf_printf(&path, "%s/", dir);
	tend_buf_adds(&path, p);
	rc = tend_buf_read_file(&text, path.data, ICS_MAX);
	tend_buf_release(&path);
	tend_error_quote(p, strlen(p), q, sizeof(q));
	if (rc < 0) {
		tend_error_set(err, NULL, 0, (long)(p - line) + 1,
		    "cannot read '%s': %s", q, strerror(errno));
		tend_buf_release(&text);
		return -1;
	}
	memset(&ie, 0, sizeof(ie));
	rc = tend_calendar_add_ics(c, text.data, text.len, &ie);
	tend_buf_release(&text);
	if (rc < 0)
		tend_error_set(err, NULL, 0, (long)(p - line) + 1,
		    "%s:%ld: %s", q, ie.line, ie.text);
	return rc;
}

static int
parse_zone(struct tend_calendar *c, const char *line, const char *p,
    struct tend_error *err)
{
	struct tend_tz *tz;

	if (!(tz = tend_tz_load(p, err))) {
		err->col = (long)(p - line) + 1;
		return -1;
	}
	tend_tz_free(c->tz);
	c->tz = tz;
	return 0;
}

int
tend_calendar_parse_line(struct tend_calendar *c, const char *line,
    const char *dir, struct tend_error *err)
{
	struct tend_error ignored;
	char *copy = tend_xstrdup(line), *end;
	const char *p, *word, *rest;
	size_t wn;
	int rc;

	if (!err)
		err = &ignored;
	end = copy + strlen(copy);
	while (end > copy && (is_blank(end[-1]) || end[-1] == '\r' ||
	    end[-1] == '\n'))
		*--end = '\0';
	word = skip_blanks(copy);
	for (p = word; *p && !is_blank(*p); p++)
		;
	wn = (size_t)(p - word);
	rest = skip_blanks(p);
	if (!*rest && wn)
		rc = fail_at(err, copy, word, "nothing after");
	else if (wn == 4 && !strncmp(word, "zone", 4))
		rc = parse_zone(c, copy, rest, err);
	else if (wn == 5 && !strncmp(word, "hours", 5))
		rc = parse_hours(c, copy, rest, err);
	else if (wn == 7 && !strncmp(word, "holiday", 7))
		rc = parse_holiday(c, copy, rest, err);
	else if (wn == 8 && !strncmp(word, "holidays", 8))
		rc = parse_holidays_file(c, copy, rest, dir, err);
	else
		rc = fail_at(err, copy, word,
		    "unknown calendar attribute");
	free(copy);
	return rc;
}
