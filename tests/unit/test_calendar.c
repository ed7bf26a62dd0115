/* test_calendar.c: service calendars (lib/calendar.h).
 *
 * Dates used (weekdays checked against a printed calendar): 2026-03-29 and
 * 2026-10-25 are Sundays (EU clock changes, 01:00Z both); 2026-11-20 is a
 * Friday, 2026-11-23 a Monday; 2026-12-24 a Thursday, 12-26 a Saturday;
 * 2028-02-29 a Tuesday.  Ljubljana is CET (+1) in winter, CEST (+2) in
 * summer; New York EST (-5) / EDT (-4).  Each expected value is worked out
 * in its comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "timestamp.h"
#include "tz.h"

#define H	3600
#define M	60

/* Y-M-D h:m UTC as seconds since the epoch. */
static int64_t
utc(int64_t y, unsigned mo, unsigned d, int h, int mi)
{
	return tend_days_from_civil(y, mo, d) * 86400 + h * H + mi * M;
}

/* A calendar in zone (NULL: UTC) from attribute lines, NULL-terminated. */
static struct tend_calendar *
cal(const char *zone, ...)
{
	struct tend_calendar *c;
	struct tend_error err;
	const char *line;
	va_list ap;

	memset(&err, 0, sizeof(err));
	c = tend_calendar_new("test", NULL);
	if (zone && tend_calendar_parse_line(c, zone, NULL, &err) < 0)
		fail_msg("'%s': %s", zone, err.text);
	va_start(ap, zone);
	while ((line = va_arg(ap, const char *)))
		if (tend_calendar_parse_line(c, line, NULL, &err) < 0)
			fail_msg("'%s': %ld: %s", line, err.col, err.text);
	va_end(ap);
	return c;
}

#define LJ	"zone Europe/Ljubljana"
#define NY	"zone America/New_York"
#define OFFICE	"hours mon-fri 08:00-17:00"

static void
test_friday_to_monday(void **state)
{
	struct tend_calendar *c = cal(LJ, OFFICE, NULL);

	(void)state;
	/* Fri 2026-11-20 16:50 CET (15:50Z) + 30m: 10m to 17:00, the
	 * weekend is closed, 20m from Mon 08:00 -> Mon 08:20 CET = 07:20Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 20, 15, 50), 30 * M),
	    utc(2026, 11, 23, 7, 20));
	/* exactly the rest of the day ends at 17:00, not on Monday */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 20, 15, 50), 10 * M),
	    utc(2026, 11, 20, 16, 0));
	/* open time over that span: 10m Friday + 20m Monday */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 11, 20, 15, 50),
	    utc(2026, 11, 23, 7, 20)), 30 * M);
	/* the whole week: 5 x 9h */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 11, 23, 0, 0),
	    utc(2026, 11, 30, 0, 0)), 45 * H);
	tend_calendar_free(c);
}

static void
test_post_while_closed(void **state)
{
	struct tend_calendar *c = cal(LJ, OFFICE, NULL);

	(void)state;
	/* Tue 2026-11-24 06:00 CET (05:00Z): counting starts at 08:00 CET
	 * (07:00Z); + 15m = 07:15Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 24, 5, 0), 15 * M),
	    utc(2026, 11, 24, 7, 15));
	/* secs 0: the next opening */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 24, 5, 0), 0),
	    utc(2026, 11, 24, 7, 0));
	/* secs 0 while open: from itself */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 24, 9, 0), 0),
	    utc(2026, 11, 24, 9, 0));
	/* Sat 2026-11-21 12:00Z + 1h -> Mon 23rd 09:00 CET = 08:00Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 21, 12, 0), H),
	    utc(2026, 11, 23, 8, 0));
	/* evening Tue 19:00 CET (18:00Z) + 1h -> Wed 09:00 CET = 08:00Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 24, 18, 0), H),
	    utc(2026, 11, 25, 8, 0));
	/* negative counts as 0 */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 24, 5, 0), -5),
	    utc(2026, 11, 24, 7, 0));
	/* is_open: 07:59 CET closed, 08:00 open, 16:59 open, 17:00 closed */
	assert_false(tend_calendar_is_open(c, utc(2026, 11, 24, 6, 59)));
	assert_true(tend_calendar_is_open(c, utc(2026, 11, 24, 7, 0)));
	assert_true(tend_calendar_is_open(c, utc(2026, 11, 24, 15, 59)));
	assert_false(tend_calendar_is_open(c, utc(2026, 11, 24, 16, 0)));
	assert_false(tend_calendar_is_open(c, utc(2026, 11, 21, 12, 0)));
	tend_calendar_free(c);
}

static void
test_spring_forward(void **state)
{
	struct tend_calendar *c = cal(LJ, "hours sun 02:30-10:00", NULL);

	(void)state;
	/* Sun 2026-03-29: 02:00-03:00 local does not exist.  The window
	 * opens when the gap ends, 03:00 CEST = 01:00Z, and closes 10:00
	 * CEST = 08:00Z: 7h, not 7h30 */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 3, 28, 0, 0),
	    utc(2026, 3, 30, 0, 0)), 7 * H);
	assert_int_equal(tend_calendar_add(c, utc(2026, 3, 28, 23, 0), 0),
	    utc(2026, 3, 29, 1, 0));
	assert_false(tend_calendar_is_open(c, utc(2026, 3, 29, 0, 59)));
	assert_true(tend_calendar_is_open(c, utc(2026, 3, 29, 1, 0)));
	/* + 7h from the opening ends at 08:00Z; + 7h01m goes to next
	 * Sunday 04-05 02:30 CEST = 00:30Z, + 1m = 00:31Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 3, 29, 0, 0), 7 * H),
	    utc(2026, 3, 29, 8, 0));
	assert_int_equal(tend_calendar_add(c, utc(2026, 3, 29, 0, 0),
	    7 * H + M), utc(2026, 4, 5, 0, 31));
	/* the Sunday before: 02:30-10:00 CET = 01:30Z-09:00Z, 7h30 */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 3, 22, 0, 0),
	    utc(2026, 3, 23, 0, 0)), 7 * H + 30 * M);
	tend_calendar_free(c);

	/* an office day with the gap inside it: 00:00-06:00 local is 5h */
	c = cal(LJ, "hours sun 00:00-06:00", NULL);
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 3, 28, 0, 0),
	    utc(2026, 3, 30, 0, 0)), 5 * H);
	tend_calendar_free(c);
}

static void
test_fall_back(void **state)
{
	struct tend_calendar *c = cal(LJ, "hours sun 01:00-04:00", NULL);

	(void)state;
	/* Sun 2026-10-25: 02:00-03:00 local happens twice.  01:00 CEST =
	 * 10-24 23:00Z, 04:00 CET = 03:00Z: 4h of open time for 3h of
	 * wall clock */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 10, 24, 0, 0),
	    utc(2026, 10, 26, 0, 0)), 4 * H);
	/* from the opening + 3h30 = 02:30Z = 03:30 CET */
	assert_int_equal(tend_calendar_add(c, utc(2026, 10, 24, 23, 0),
	    3 * H + 30 * M), utc(2026, 10, 25, 2, 30));
	assert_true(tend_calendar_is_open(c, utc(2026, 10, 25, 1, 30)));
	tend_calendar_free(c);
	/* a window ending in the repeated hour ends at its first pass:
	 * 00:00-02:30 -> 10-24 22:00Z to 00:30Z, 2h30 */
	c = cal(LJ, "hours sun 00:00-02:30", NULL);
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 10, 24, 0, 0),
	    utc(2026, 10, 26, 0, 0)), 2 * H + 30 * M);
	tend_calendar_free(c);
}

static void
test_across_midnight(void **state)
{
	struct tend_calendar *c = cal(LJ, "hours sat 22:00-02:00", NULL);

	(void)state;
	/* Sat 2026-11-21 22:00 CET = 21:00Z to Sun 02:00 CET = 01:00Z */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 11, 21, 0, 0),
	    utc(2026, 11, 23, 0, 0)), 4 * H);
	assert_true(tend_calendar_is_open(c, utc(2026, 11, 22, 0, 30)));
	assert_false(tend_calendar_is_open(c, utc(2026, 11, 22, 1, 0)));
	/* a query starting after midnight still sees the window: Sun 00:00
	 * CET (Sat 23:00Z) + 90m = Sun 00:30Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 21, 23, 0), 90 * M),
	    utc(2026, 11, 22, 0, 30));
	/* + 3h from Sun 00:00 CET: 2h left, then next Sat 22:00 CET
	 * (11-28 21:00Z) + 1h = 22:00Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 11, 21, 23, 0), 3 * H),
	    utc(2026, 11, 28, 22, 0));
	tend_calendar_free(c);
}

static void
test_overlapping_windows(void **state)
{
	struct tend_calendar *c = cal(NULL,
	    "hours mon 08:00-12:00, 10:00-14:00", "hours sun 20:00-09:00",
	    NULL);
	int64_t mon = utc(2026, 11, 23, 0, 0);

	(void)state;
	/* UTC.  Mon: Sun's window runs to 09:00, then 08:00-14:00: together
	 * 00:00-14:00 = 14h, counted once */
	assert_int_equal(tend_calendar_open_secs(c, mon, mon + 86400), 14 * H);
	assert_int_equal(tend_calendar_add(c, mon + 13 * H, 2 * H),
	    utc(2026, 11, 29, 21, 0));	/* 1h Mon, then Sun 20:00 + 1h */
	tend_calendar_free(c);
}

struct spans {
	int n;
	int64_t s[16], e[16];
};

static void
collect(void *arg, int64_t start, int64_t end)
{
	struct spans *sp = arg;

	if (sp->n < 16) {
		sp->s[sp->n] = start;
		sp->e[sp->n] = end;
	}
	sp->n++;
}

static void
test_each_open(void **state)
{
	struct tend_calendar *c = cal(NULL,
	    "hours mon 08:00-12:00, 10:00-14:00", "hours tue,thu 09:00-10:00",
	    NULL);
	struct spans sp;
	int64_t mon = utc(2026, 11, 23, 0, 0);

	(void)state;
	memset(&sp, 0, sizeof(sp));
	/* from Mon 11:00 to Thu 09:30: Mon 11:00-14:00 (merged, clipped),
	 * Tue 09:00-10:00, Thu 09:00-09:30 (clipped) */
	tend_calendar_each_open(c, mon + 11 * H, mon + 3 * 86400 + 9 * H +
	    30 * M, collect, &sp);
	assert_int_equal(sp.n, 3);
	assert_int_equal(sp.s[0], mon + 11 * H);
	assert_int_equal(sp.e[0], mon + 14 * H);
	assert_int_equal(sp.s[1], mon + 86400 + 9 * H);
	assert_int_equal(sp.e[1], mon + 86400 + 10 * H);
	assert_int_equal(sp.s[2], mon + 3 * 86400 + 9 * H);
	assert_int_equal(sp.e[2], mon + 3 * 86400 + 9 * H + 30 * M);
	memset(&sp, 0, sizeof(sp));
	tend_calendar_each_open(c, mon + 20 * H, mon + 20 * H, collect, &sp);
	assert_int_equal(sp.n, 0);
	tend_calendar_free(c);
}

static void
test_holidays(void **state)
{
	struct tend_calendar *c = cal(LJ, "hours mon-sun 09:00-17:00",
	    "holiday 2026-12-26", "holiday 2026-12-31..2027-01-01, 2027-01-06",
	    NULL);

	(void)state;
	/* a holiday on a weekend: Sat 12-26 closed, Sun 12-27 open 8h */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 12, 25, 23, 0),
	    utc(2026, 12, 26, 23, 0)), 0);
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 12, 26, 23, 0),
	    utc(2026, 12, 27, 23, 0)), 8 * H);
	/* Fri 25th 16:30 CET (15:30Z) + 1h: 30m, Sat closed, Sun 09:00 CET
	 * (08:00Z) + 30m = 08:30Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 12, 25, 15, 30), H),
	    utc(2026, 12, 27, 8, 30));
	/* the range: Wed 30th 17:00 -> closed 31st, 1st -> Sat 2nd 09:00
	 * CET = 08:00Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 12, 30, 16, 0), 0),
	    utc(2027, 1, 2, 8, 0));
	assert_false(tend_calendar_is_open(c, utc(2027, 1, 6, 12, 0)));
	assert_true(tend_calendar_is_open(c, utc(2027, 1, 7, 12, 0)));
	tend_calendar_free(c);

	/* holidays on a weekend of a mon-fri office change nothing:
	 * Fri 12-25 is one (Fri closed); Wed 23rd 16:30 CET + 1h: 30m Wed,
	 * Thu 24th open 08:00-08:30 CET = 07:30Z */
	c = cal(LJ, OFFICE, "holiday 2026-12-25..2026-12-27", NULL);
	assert_int_equal(tend_calendar_add(c, utc(2026, 12, 23, 15, 30), H),
	    utc(2026, 12, 24, 7, 30));
	/* Thu 24th 16:30 CET + 1h: 30m, Fri-Sun closed, Mon 28th 08:30 CET
	 * = 07:30Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 12, 24, 15, 30), H),
	    utc(2026, 12, 28, 7, 30));
	tend_calendar_free(c);
}

static void
test_holiday_and_midnight(void **state)
{
	struct tend_calendar *c = cal(NULL, "hours mon-sun 20:00-04:00",
	    "holiday 2026-12-25", NULL);

	(void)state;
	/* UTC.  From Thu 24th 12:00 to Sat 26th 12:00: Thu's window ends at
	 * midnight (4h); Fri is closed; Fri's window crossing into Sat
	 * keeps its Sat part, 00:00-04:00 (4h): 8h */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 12, 24, 12, 0),
	    utc(2026, 12, 26, 12, 0)), 8 * H);
	assert_false(tend_calendar_is_open(c, utc(2026, 12, 25, 1, 0)));
	assert_true(tend_calendar_is_open(c, utc(2026, 12, 26, 1, 0)));
	/* Thu 23:00 + 2h: 1h to midnight, then Sat 00:00 + 1h */
	assert_int_equal(tend_calendar_add(c, utc(2026, 12, 24, 23, 0), 2 * H),
	    utc(2026, 12, 26, 1, 0));
	tend_calendar_free(c);
}

static void
test_leap_day(void **state)
{
	struct tend_calendar *c = cal(LJ, OFFICE, "holiday 2028-02-29", NULL);
	struct tend_error err;

	(void)state;
	/* Mon 2028-02-28 16:00 CET (15:00Z) + 2h: 1h Mon, Tue 29th closed,
	 * Wed 03-01 08:00 CET + 1h = 09:00 CET = 08:00Z */
	assert_int_equal(tend_calendar_add(c, utc(2028, 2, 28, 15, 0), 2 * H),
	    utc(2028, 3, 1, 8, 0));
	/* 2027-02-29 does not exist */
	assert_int_equal(tend_calendar_parse_line(c, "holiday 2027-02-29",
	    NULL, &err), -1);
	assert_int_equal(err.col, 9);
	tend_calendar_free(c);
}

static void
test_long_closure(void **state)
{
	struct tend_calendar *c = cal(LJ, OFFICE,
	    "holiday 2026-12-21..2027-01-03", NULL);

	(void)state;
	/* two weeks closed: Fri 2026-12-18 16:00 CET (15:00Z) + 2h: 1h Fri,
	 * closed to Sun 01-03, Mon 2027-01-04 09:00 CET = 08:00Z */
	assert_int_equal(tend_calendar_add(c, utc(2026, 12, 18, 15, 0), 2 * H),
	    utc(2027, 1, 4, 8, 0));
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 12, 18, 15, 0),
	    utc(2027, 1, 4, 8, 0)), 2 * H);
	tend_calendar_free(c);
}

static void
test_two_zones(void **state)
{
	struct tend_calendar *lj = cal(LJ, OFFICE, NULL);
	struct tend_calendar *ny = cal(NY, OFFICE, NULL);

	(void)state;
	/* Mon 2026-11-23 14:00Z: 15:00 CET (open), 09:00 EST (open) */
	assert_true(tend_calendar_is_open(lj, utc(2026, 11, 23, 14, 0)));
	assert_true(tend_calendar_is_open(ny, utc(2026, 11, 23, 14, 0)));
	/* 17:30Z: 18:30 CET closed, 12:30 EST open */
	assert_false(tend_calendar_is_open(lj, utc(2026, 11, 23, 17, 30)));
	assert_true(tend_calendar_is_open(ny, utc(2026, 11, 23, 17, 30)));
	/* 06:00Z: 07:00 CET closed, 01:00 EST closed */
	assert_false(tend_calendar_is_open(lj, utc(2026, 11, 23, 6, 0)));
	assert_false(tend_calendar_is_open(ny, utc(2026, 11, 23, 6, 0)));
	/* 16:30Z + 1h: Ljubljana 17:30 closed -> Tue 08:00 CET (07:00Z)
	 * + 1h = 08:00Z; New York 11:30 EST + 1h = 12:30 EST = 17:30Z */
	assert_int_equal(tend_calendar_add(lj, utc(2026, 11, 23, 16, 30), H),
	    utc(2026, 11, 24, 8, 0));
	assert_int_equal(tend_calendar_add(ny, utc(2026, 11, 23, 16, 30), H),
	    utc(2026, 11, 23, 17, 30));
	tend_calendar_free(lj);
	tend_calendar_free(ny);
}

static void
test_always_open(void **state)
{
	struct tend_calendar *c = cal(LJ, "hours 24/7", NULL);
	struct tend_calendar *d = cal(LJ, "hours mon-sun 00:00-24:00", NULL);
	int64_t from[] = { 0, utc(2026, 3, 29, 0, 30), utc(2026, 10, 25, 0, 30),
	    utc(2090, 3, 26, 0, 0) };
	int64_t secs[] = { 0, 1, 59 * M, 3 * H, 86400 * 10 + 7 };
	size_t i, j;

	(void)state;
	/* add is plain addition, open_secs the length, across DST too */
	for (i = 0; i < sizeof(from) / sizeof(from[0]); i++)
		for (j = 0; j < sizeof(secs) / sizeof(secs[0]); j++) {
			assert_int_equal(tend_calendar_add(c, from[i], secs[j]),
			    from[i] + secs[j]);
			assert_int_equal(tend_calendar_add(d, from[i], secs[j]),
			    from[i] + secs[j]);
			assert_int_equal(tend_calendar_open_secs(c, from[i],
			    from[i] + secs[j]), secs[j]);
			assert_true(tend_calendar_is_open(c, from[i]));
		}
	tend_calendar_free(c);
	tend_calendar_free(d);
	/* with a holiday it is no longer plain: 12-24 12:00Z (13:00 CET)
	 * has 11h to local midnight (23:00Z); the 25th is closed until
	 * 12-26 00:00 CET = 12-25 23:00Z; the other 13h end 12-26 12:00Z */
	c = cal(LJ, "hours 24/7", "holiday 2026-12-25", NULL);
	assert_int_equal(tend_calendar_add(c, utc(2026, 12, 24, 12, 0),
	    24 * H), utc(2026, 12, 26, 12, 0));
	tend_calendar_free(c);
}

static void
test_never_open(void **state)
{
	struct tend_calendar *c = cal(LJ, NULL);
	struct spans sp;

	(void)state;
	memset(&sp, 0, sizeof(sp));
	assert_true(tend_calendar_add(c, utc(2026, 1, 1, 0, 0), 0) ==
	    INT64_MAX);
	assert_true(tend_calendar_add(c, utc(2026, 1, 1, 0, 0), H) ==
	    INT64_MAX);
	assert_int_equal(tend_calendar_open_secs(c, 0, utc(2100, 1, 1, 0, 0)),
	    0);
	assert_false(tend_calendar_is_open(c, 0));
	tend_calendar_each_open(c, 0, utc(2100, 1, 1, 0, 0), collect, &sp);
	assert_int_equal(sp.n, 0);
	tend_calendar_free(c);
	/* closed for more than ten years counts as never, at once */
	c = cal(NULL, "hours 24/7", "holiday 2026-01-01..2199-12-31", NULL);
	assert_true(tend_calendar_add(c, utc(2026, 6, 1, 0, 0), 1) ==
	    INT64_MAX);
	assert_true(tend_calendar_add(c, utc(2025, 12, 31, 23, 0), 2 * H) ==
	    INT64_MAX);
	tend_calendar_free(c);
	/* five closed years are crossed in one step: 2031-01-01 00:00Z
	 * + 1h */
	c = cal(NULL, "hours 24/7", "holiday 2026-01-01..2030-12-31", NULL);
	assert_int_equal(tend_calendar_add(c, utc(2026, 6, 1, 0, 0), H),
	    utc(2031, 1, 1, 1, 0));
	tend_calendar_free(c);
}

static const char ics[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//tend//test//EN\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:1\r\n"
    "SUMMARY:Christmas\r\n"
    "DTSTART;VALUE=DATE:20201225\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY:A long summary that an exporter folded over\r\n"
    "  two lines\r\n"
    "DTSTART;VALUE=DA\r\n"
    " TE:20261228\r\n"
    "DTEND;VALUE=DATE:20261231\r\n"
    "BEGIN:VALARM\r\n"
    "DTSTART;VALUE=DATE:20300101\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY:Leap\r\n"
    "DTSTART;VALUE=DATE:20240229\r\n"
    "RRULE:FREQ=YEARLY\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY:Called off\r\n"
    "DTSTART;VALUE=DATE:20261124\r\n"
    "STATUS:CANCELLED\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "SUMMARY:Every other year, three times\r\n"
    "DTSTART:20260601T000000Z\r\n"
    "RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=3\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

static int
open_on(const struct tend_calendar *c, int64_t y, unsigned m, unsigned d)
{
	/* UTC calendar open 12:00-13:00 every day */
	return tend_calendar_is_open(c, utc(y, m, d, 12, 30));
}

static void
test_ics(void **state)
{
	char dir[] = "/tmp/tend-cal-XXXXXX", path[64];
	struct tend_calendar *c = cal(NULL, "hours mon-sun 12:00-13:00", NULL);
	struct tend_error err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/h.ics", dir);
	assert_non_null(f = fopen(path, "wb"));
	fputs(ics, f);
	fclose(f);
	memset(&err, 0, sizeof(err));
	if (tend_calendar_parse_line(c, "holidays h.ics", dir, &err) < 0)
		fail_msg("%s", err.text);
	/* yearly Christmas from 2020 on, not before */
	assert_false(open_on(c, 2026, 12, 25));
	assert_false(open_on(c, 2090, 12, 25));
	assert_true(open_on(c, 2019, 12, 25));
	assert_true(open_on(c, 2026, 12, 24));
	/* 12-28 to 12-31 exclusive: 28, 29, 30 */
	assert_true(open_on(c, 2026, 12, 27));
	assert_false(open_on(c, 2026, 12, 28));
	assert_false(open_on(c, 2026, 12, 30));
	assert_true(open_on(c, 2026, 12, 31));
	/* the alarm's date is not an event */
	assert_true(open_on(c, 2030, 1, 1));
	/* Feb 29 yearly: leap years only, Mar 1 stays open */
	assert_false(open_on(c, 2028, 2, 29));
	assert_true(open_on(c, 2027, 3, 1));
	assert_true(open_on(c, 2028, 3, 1));
	/* cancelled */
	assert_true(open_on(c, 2026, 11, 24));
	/* 2026, 2028, 2030, then no more */
	assert_false(open_on(c, 2026, 6, 1));
	assert_true(open_on(c, 2027, 6, 1));
	assert_false(open_on(c, 2030, 6, 1));
	assert_true(open_on(c, 2032, 6, 1));
	/* a missing file, named as written */
	assert_int_equal(tend_calendar_parse_line(c, "holidays  nope.ics", dir,
	    &err), -1);
	assert_int_equal(err.col, 11);
	assert_non_null(strstr(err.text, "cannot read 'nope.ics'"));
	unlink(path);
	rmdir(dir);
	tend_calendar_free(c);
}

static void
test_ics_errors(void **state)
{
	static const struct {
		const char *text;
		long line;
		const char *msg;
	} t[] = {
		{ "BEGIN:VEVENT\nDTSTART:2026\nEND:VEVENT\n", 2,
		    "bad DTSTART '2026'" },
		{ "BEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\n", 1,
		    "VEVENT without DTSTART" },
		{ "BEGIN:VEVENT\nDTSTART:20260101\n", 1,
		    "VEVENT without END" },
		{ "BEGIN:VEVENT\nDTSTART:20260101\nRRULE:FREQ=WEEKLY\n"
		    "END:VEVENT\n", 3,
		    "unsupported RRULE (only FREQ=YEARLY) 'FREQ=WEEKLY'" },
		{ "BEGIN:VEVENT\nDTSTART:20260101\nRRULE:FREQ=YEARLY;BYDAY=MO\n"
		    "END:VEVENT\n", 3,
		    "unsupported RRULE (only FREQ=YEARLY) 'FREQ=YEARLY;BYDAY=MO'" },
		{ "END:VEVENT\n", 1, "END:VEVENT without BEGIN" },
		{ "BEGIN:VEVENT\nno colon here\n", 2,
		    "no ':' in line 'no colon here'" },
	};
	struct tend_calendar *c = cal(NULL, "hours 24/7", NULL);
	struct tend_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(tend_calendar_add_ics(c, t[i].text,
		    strlen(t[i].text), &err), -1);
		assert_int_equal(err.line, t[i].line);
		assert_string_equal(err.text, t[i].msg);
	}
	/* nothing was added: still plain addition */
	assert_int_equal(tend_calendar_add(c, 0, 100), 100);
	tend_calendar_free(c);
}

static void
test_parse_errors(void **state)
{
	static const struct {
		const char *line;
		long col;
		const char *msg;
	} t[] = {
		{ "hours mon-fry 08:00-17:00", 11, "unknown day 'fry'" },
		{ "hours mon 25:00-26:00", 11, "bad start time '25:00-26:00'" },
		{ "hours mon 08:00-17:60", 17, "bad end time '17:60'" },
		{ "hours mon 08:00-08:00", 11, "empty window '08:00-08:00'" },
		{ "hours mon 24:00-08:00", 11, "bad start time '24:00-08:00'" },
		{ "hours mon 08:00", 16, "expected '-' and an end time" },
		{ "hours mon 08:00-17:00 x", 23, "unexpected 'x'" },
		{ "hours mon", 10, "no hours after the days" },
		{ "hours", 1, "nothing after 'hours'" },
		{ "holiday 2026-02-30", 9, "bad date '2026-02-30'" },
		{ "holiday 2026-12-26..2026-12-24", 9,
		    "holiday range ends before it starts "
		    "'2026-12-26..2026-12-24'" },
		{ "holiday 2026-12-26 2026-12-27", 20, "unexpected '2026-12-27'" },
		{ "zone Europe/Nowhere", 6, "unknown time zone 'Europe/Nowhere'" },
		{ "zone ../../etc/passwd", 6,
		    "bad time zone name '../../etc/passwd'" },
		{ "frobnicate 1", 1, "unknown calendar attribute 'frobnicate'" },
	};
	struct tend_calendar *c = cal(NULL, "hours mon 09:00-10:00", NULL);
	struct tend_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (tend_calendar_parse_line(c, t[i].line, NULL, &err) != -1)
			fail_msg("'%s' parsed", t[i].line);
		assert_string_equal(err.text, t[i].msg);
		assert_int_equal(err.col, t[i].col);
	}
	/* after all that the calendar is as it was: Mon 09:00-10:00 UTC */
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 11, 23, 0, 0),
	    utc(2026, 11, 30, 0, 0)), H);
	/* days: lists, wrapping ranges, full names, any case */
	tend_calendar_free(c);
	c = cal(NULL, "hours FRI-Mon, wednesday 10:00-11:00", NULL);
	assert_int_equal(tend_calendar_open_secs(c, utc(2026, 11, 23, 0, 0),
	    utc(2026, 11, 30, 0, 0)), 5 * H);
	tend_calendar_free(c);
}

/* add and open_secs agree: open_secs(from, add(from, s)) == s. */
static void
test_add_open_secs_agree(void **state)
{
	struct tend_calendar *cs[3];
	int64_t from, secs, r;
	unsigned seed = 1;
	size_t i, k;

	(void)state;
	cs[0] = cal(LJ, OFFICE, "hours sat 22:00-02:00",
	    "hours sun 02:30-10:00", "holiday 2026-12-24..2026-12-26", NULL);
	cs[1] = cal("zone Australia/Lord_Howe", "hours mon-sun 01:00-03:00",
	    NULL);
	cs[2] = cal(NY, "hours mon-fri 00:00-24:00", "hours sun 23:00-01:00",
	    NULL);
	for (i = 0; i < 3; i++)
		for (k = 0; k < 3000; k++) {
			seed = seed * 1103515245u + 12345u;
			from = utc(2026, 1, 1, 0, 0) +
			    (int64_t)(seed % (366u * 86400u));
			seed = seed * 1103515245u + 12345u;
			secs = (int64_t)(seed % (7u * 86400u));
			r = tend_calendar_add(cs[i], from, secs);
			assert_true(r >= from);
			assert_int_equal(tend_calendar_open_secs(cs[i], from, r),
			    secs);
			if (secs > 0)
				assert_true(tend_calendar_is_open(cs[i], r - 1));
		}
	for (i = 0; i < 3; i++)
		tend_calendar_free(cs[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_friday_to_monday),
		cmocka_unit_test(test_post_while_closed),
		cmocka_unit_test(test_spring_forward),
		cmocka_unit_test(test_fall_back),
		cmocka_unit_test(test_across_midnight),
		cmocka_unit_test(test_overlapping_windows),
		cmocka_unit_test(test_each_open),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_holiday_and_midnight),
		cmocka_unit_test(test_leap_day),
		cmocka_unit_test(test_long_closure),
		cmocka_unit_test(test_two_zones),
		cmocka_unit_test(test_always_open),
		cmocka_unit_test(test_never_open),
		cmocka_unit_test(test_ics),
		cmocka_unit_test(test_ics_errors),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_add_open_secs_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
