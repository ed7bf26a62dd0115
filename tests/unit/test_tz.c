/* test_tz.c: TZif reading, offsets and wall-time conversion (lib/tz.h).
 *
 * Zones come from the system's tzdata (/usr/share/zoneinfo, or $TZDIR);
 * every expected value is worked out by hand in its comment from the
 * zone's rules, never taken from the code under test.
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

#include "tz.h"
#include "timestamp.h"

/* Seconds since the epoch of Y-M-D h:m, as UTC (or as "local"). */
static int64_t
at(int64_t y, unsigned mo, unsigned d, int h, int mi)
{
	return tend_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

static struct tend_tz *
load(const char *name)
{
	struct tend_error err;
	struct tend_tz *tz;

	memset(&err, 0, sizeof(err));
	if (!(tz = tend_tz_load(name, &err)))
		fail_msg("%s: %s", name, err.text);
	return tz;
}

static void
test_offsets(void **state)
{
	struct {
		const char *zone;
		int64_t y;
		unsigned mo, d;
		int h, mi;
		long off;
	} t[] = {
		{ "Europe/Ljubljana", 2026, 1, 15, 12, 0, 3600 },
		{ "Europe/Ljubljana", 2026, 7, 1, 12, 0, 7200 },
		{ "Europe/Ljubljana", 2026, 3, 29, 0, 59, 3600 },  /* 01:59 CET */
		{ "Europe/Ljubljana", 2026, 3, 29, 1, 0, 7200 },   /* 03:00 CEST */
		{ "Europe/Ljubljana", 2026, 10, 25, 0, 59, 7200 }, /* 02:59 CEST */
		{ "Europe/Ljubljana", 2026, 10, 25, 1, 0, 3600 },  /* 02:00 CET */
		/* past the table, from the footer CET-1CEST,M3.5.0,M10.5.0/3:
		 * last Sundays of 2090 are March 26 and October 29 */
		{ "Europe/Ljubljana", 2090, 3, 26, 0, 59, 3600 },
		{ "Europe/Ljubljana", 2090, 3, 26, 1, 0, 7200 },
		{ "Europe/Ljubljana", 2090, 7, 1, 0, 0, 7200 },
		{ "Europe/Ljubljana", 2090, 10, 29, 0, 59, 7200 },
		{ "Europe/Ljubljana", 2090, 10, 29, 1, 0, 3600 },
		{ "Europe/Ljubljana", 2090, 12, 1, 0, 0, 3600 },
		/* US rule: EDT from the second Sunday of March 02:00 EST
		 * (2026-03-08 07:00Z) to the first Sunday of November 02:00
		 * EDT (2026-11-01 06:00Z) */
		{ "America/New_York", 2026, 3, 8, 6, 59, -18000 },
		{ "America/New_York", 2026, 3, 8, 7, 0, -14400 },
		{ "America/New_York", 2026, 11, 1, 5, 59, -14400 },
		{ "America/New_York", 2026, 11, 1, 6, 0, -18000 },
		{ "America/New_York", 2090, 7, 1, 0, 0, -14400 },
		{ "America/New_York", 2090, 1, 1, 0, 0, -18000 },
		/* WIB, UTC+7 all year, no DST since 1964 */
		{ "Asia/Jakarta", 2026, 1, 1, 0, 0, 25200 },
		{ "Asia/Jakarta", 2026, 7, 1, 0, 0, 25200 },
		{ "Asia/Jakarta", 2090, 7, 1, 0, 0, 25200 },
		/* Lord Howe: +10:30, +11:00 in summer; DST ends the first
		 * Sunday of April 02:00 +11 (2026-04-05 -> 04-04 15:00Z),
		 * starts the first Sunday of October 02:00 +10:30
		 * (2026-10-04 -> 10-03 15:30Z) */
		{ "Australia/Lord_Howe", 2026, 4, 4, 14, 59, 39600 },
		{ "Australia/Lord_Howe", 2026, 4, 4, 15, 0, 37800 },
		{ "Australia/Lord_Howe", 2026, 10, 3, 15, 29, 37800 },
		{ "Australia/Lord_Howe", 2026, 10, 3, 15, 30, 39600 },
		{ "Australia/Lord_Howe", 2090, 1, 1, 0, 0, 39600 },
		{ "Australia/Lord_Howe", 2090, 6, 1, 0, 0, 37800 },
		/* Apia left -10 (DST) for +14 (DST) at the end of 2011-12-29
		 * local, i.e. 2011-12-30 10:00Z; UTC+13 without DST today */
		{ "Pacific/Apia", 2011, 12, 30, 9, 59, -36000 },
		{ "Pacific/Apia", 2011, 12, 30, 10, 0, 50400 },
		{ "Pacific/Apia", 2026, 1, 1, 0, 0, 46800 },
		{ "Pacific/Apia", 2090, 7, 1, 0, 0, 46800 },
		{ "UTC", 2026, 7, 1, 0, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tend_tz *tz = load(t[i].zone);
		long got = tend_tz_offset(tz,
		    at(t[i].y, t[i].mo, t[i].d, t[i].h, t[i].mi));

		if (got != t[i].off)
			fail_msg("%s %04ld-%02u-%02u %02d:%02d: %ld, want %ld",
			    t[i].zone, (long)t[i].y, t[i].mo, t[i].d, t[i].h,
			    t[i].mi, got, t[i].off);
		tend_tz_free(tz);
	}
}

static void
test_to_utc(void **state)
{
	struct {
		const char *zone;
		int64_t local;
		int64_t utc;
	} t[] = {
		/* ordinary: 2026-11-23 11:00 CET = 10:00Z */
		{ "Europe/Ljubljana", at(2026, 11, 23, 11, 0),
		    at(2026, 11, 23, 10, 0) },
		/* gap: 02:00-03:00 does not exist on 2026-03-29; 02:30 maps
		 * to the end of the gap, 03:00 CEST = 01:00Z */
		{ "Europe/Ljubljana", at(2026, 3, 29, 2, 30),
		    at(2026, 3, 29, 1, 0) },
		{ "Europe/Ljubljana", at(2026, 3, 29, 2, 0),
		    at(2026, 3, 29, 1, 0) },
		{ "Europe/Ljubljana", at(2026, 3, 29, 1, 59),
		    at(2026, 3, 29, 0, 59) },
		{ "Europe/Ljubljana", at(2026, 3, 29, 3, 0),
		    at(2026, 3, 29, 1, 0) },
		/* overlap: 02:00-03:00 happens twice on 2026-10-25; the
		 * earlier is CEST: 02:30 - 2h = 00:30Z */
		{ "Europe/Ljubljana", at(2026, 10, 25, 2, 30),
		    at(2026, 10, 25, 0, 30) },
		{ "Europe/Ljubljana", at(2026, 10, 25, 3, 0),
		    at(2026, 10, 25, 2, 0) },
		/* the footer: 2090-03-26 02:30 is in the gap -> 01:00Z */
		{ "Europe/Ljubljana", at(2090, 3, 26, 2, 30),
		    at(2090, 3, 26, 1, 0) },
		{ "Europe/Ljubljana", at(2090, 10, 29, 2, 30),
		    at(2090, 10, 29, 0, 30) },
		/* New York: 2026-03-08 02:30 skipped -> 03:00 EDT = 07:00Z;
		 * 2026-11-01 01:30 twice -> EDT, 05:30Z */
		{ "America/New_York", at(2026, 3, 8, 2, 30),
		    at(2026, 3, 8, 7, 0) },
		{ "America/New_York", at(2026, 11, 1, 1, 30),
		    at(2026, 11, 1, 5, 30) },
		/* Jakarta: local - 7h */
		{ "Asia/Jakarta", at(2026, 6, 1, 9, 0), at(2026, 6, 1, 2, 0) },
		/* Lord Howe: 2026-04-05 01:30-02:00 twice; 01:45 +11 =
		 * 04-04 14:45Z.  2026-10-04 02:00-02:30 skipped; 02:10 ->
		 * 02:30 +11 = 10-03 15:30Z */
		{ "Australia/Lord_Howe", at(2026, 4, 5, 1, 45),
		    at(2026, 4, 4, 14, 45) },
		{ "Australia/Lord_Howe", at(2026, 10, 4, 2, 10),
		    at(2026, 10, 3, 15, 30) },
		/* Apia: all of 2011-12-30 was skipped; noon that day maps to
		 * the gap's end, 2011-12-31 00:00 +14 = 12-30 10:00Z */
		{ "Pacific/Apia", at(2011, 12, 30, 12, 0),
		    at(2011, 12, 30, 10, 0) },
		{ "Pacific/Apia", at(2011, 12, 31, 0, 0),
		    at(2011, 12, 30, 10, 0) },
		{ "Pacific/Apia", at(2011, 12, 29, 23, 0),
		    at(2011, 12, 30, 9, 0) },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct tend_tz *tz = load(t[i].zone);
		int64_t got = tend_tz_to_utc(tz, t[i].local);

		if (got != t[i].utc)
			fail_msg("%s case %zu: %lld, want %lld", t[i].zone, i,
			    (long long)got, (long long)t[i].utc);
		tend_tz_free(tz);
	}
}

/* For every hour of 2026 and 2090: local -> utc -> local comes back,
 * except in a gap, which maps past itself. */
static void
test_round_trip(void **state)
{
	static const char *zones[] = { "Europe/Ljubljana", "America/New_York",
	    "Australia/Lord_Howe", "Pacific/Apia", "Asia/Jakarta" };
	int64_t y, t, u, start;
	size_t z;

	(void)state;
	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		struct tend_tz *tz = load(zones[z]);

		for (y = 2026; y <= 2090; y += 64) {
			start = at(y, 1, 1, 0, 0);
			for (t = start; t < start + 366 * 86400; t += 1800) {
				int64_t local = t + tend_tz_offset(tz, t);

				u = tend_tz_to_utc(tz, local);
				assert_true(u <= t);
				assert_int_equal(u + tend_tz_offset(tz, u),
				    local);
			}
		}
		tend_tz_free(tz);
	}
}

static void
test_null_is_utc(void **state)
{
	(void)state;
	assert_int_equal(tend_tz_offset(NULL, 1795428000LL), 0);
	assert_int_equal(tend_tz_to_utc(NULL, 1795428000LL), 1795428000LL);
	assert_string_equal(tend_tz_name(NULL), "UTC");
}

static void
test_bad_names(void **state)
{
	static const char *bad[] = { "", "/etc/passwd", "../etc/passwd",
	    "Europe/../../etc/passwd", "Europe/Ljubljana\n", "Europe Ljubljana",
	    "Europe/Lju.bljana", "Europe/Ljubljana;rm", "Europe/Nowhere",
	    "Europe", "Europe/", "zone.tab" };
	struct tend_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (tend_tz_load(bad[i], &err))
			fail_msg("'%s' loaded", bad[i]);
		assert_true(err.text[0] != '\0');
	}
	memset(&err, 0, sizeof(err));
	assert_null(tend_tz_load("Europe/Nowhere", &err));
	assert_string_equal(err.text, "unknown time zone 'Europe/Nowhere'");
	assert_null(tend_tz_load("../etc/passwd", &err));
	assert_string_equal(err.text, "bad time zone name '../etc/passwd'");
}

static unsigned char *
read_zone(const char *name, size_t *n)
{
	char path[512];
	const char *dir = getenv("TZDIR");
	unsigned char *buf = malloc(1 << 16);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s",
	    dir && *dir ? dir : "/usr/share/zoneinfo", name);
	assert_non_null(f = fopen(path, "rb"));
	*n = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

/* Every prefix of a real file is truncated, hence an error, not a crash. */
static void
test_truncated(void **state)
{
	struct tend_error err;
	struct tend_tz *tz;
	unsigned char *data;
	size_t n, k;

	(void)state;
	data = read_zone("Europe/Ljubljana", &n);
	assert_non_null(tz = tend_tz_parse(data, n, &err));
	tend_tz_free(tz);
	for (k = 0; k < n; k++) {
		memset(&err, 0, sizeof(err));
		if ((tz = tend_tz_parse(data, k, &err)))
			fail_msg("prefix of %zu bytes parsed", k);
		assert_true(err.text[0] != '\0');
	}
	free(data);
}

/* A v1 file: header, one transition at 1000 to type 1 (+3600), types
 * 0 (UTC, "UTC") and 1 (+3600, isdst, "ONE"), no footer. */
static size_t
make_v1(unsigned char *b)
{
	static const unsigned char head[] = { 'T', 'Z', 'i', 'f', 0,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0,  0, 0, 0, 0,  0, 0, 0, 0,	/* isut isstd leap */
	    0, 0, 0, 1,  0, 0, 0, 2,  0, 0, 0, 8 };	/* time type char */
	static const unsigned char body[] = {
	    0, 0, 0x03, 0xe8,			/* transition at 1000 */
	    1,					/* to type 1 */
	    0, 0, 0, 0, 0, 0,			/* type 0: 0, std, "UTC" */
	    0, 0, 0x0e, 0x10, 1, 4,		/* type 1: 3600, dst, "ONE" */
	    'U', 'T', 'C', 0, 'O', 'N', 'E', 0 };

	memcpy(b, head, sizeof(head));
	memcpy(b + sizeof(head), body, sizeof(body));
	return sizeof(head) + sizeof(body);
}

static void
test_v1_and_corruption(void **state)
{
	unsigned char b[128], c[128];
	struct tend_error err;
	struct tend_tz *tz;
	size_t n = make_v1(b);

	(void)state;
	assert_non_null(tz = tend_tz_parse(b, n, &err));
	/* before the first transition: type 0; after: type 1 */
	assert_int_equal(tend_tz_offset(tz, 999), 0);
	assert_int_equal(tend_tz_offset(tz, 1000), 3600);
	assert_int_equal(tend_tz_offset(tz, 4000000000LL), 3600);
	/* local 1500 is in the gap [1000, 4600) -> 1000 */
	assert_int_equal(tend_tz_to_utc(tz, 1500), 1000);
	assert_int_equal(tend_tz_to_utc(tz, 4600), 1000);
	tend_tz_free(tz);

	memcpy(c, b, n);
	c[4] = '9';				/* unknown version */
	assert_null(tend_tz_parse(c, n, &err));
	memcpy(c, b, n);
	c[44 + 4] = 2;				/* type index out of range */
	assert_null(tend_tz_parse(c, n, &err));
	assert_string_equal(err.text, "TZif type index out of range");
	memcpy(c, b, n);
	c[39] = 0;				/* no types */
	assert_null(tend_tz_parse(c, n, &err));
	memcpy(c, b, n);
	c[44 + 5] = 0x7f;			/* offset way out of range */
	assert_null(tend_tz_parse(c, n, &err));
	assert_string_equal(err.text, "TZif offset out of range");
	memcpy(c, b, n);
	c[44 + 5 + 5] = 9;			/* designation past chars */
	assert_null(tend_tz_parse(c, n, &err));
	memcpy(c, b, n);
	c[35] = 0xff;				/* 255 transitions claimed */
	assert_null(tend_tz_parse(c, n, &err));
	assert_string_equal(err.text, "truncated TZif file");
	assert_null(tend_tz_parse("TZif", 4, &err));
	assert_null(tend_tz_parse("", 0, &err));
	assert_null(tend_tz_parse("hello, world: not a zone at all, "
	    "but long enough for a header", 62, &err));
	assert_string_equal(err.text, "not a TZif file");
}

/* A v2 file built from a v1 one: the same block in 64 bits, then the
 * footer; bad footers are refused. */
static size_t
make_v2(unsigned char *b, const char *footer)
{
	unsigned char v1[128];
	size_t n1 = make_v1(v1), n = 0;
	static const unsigned char t64[] = { 0, 0, 0, 0, 0, 0, 0x03, 0xe8 };

	memcpy(b, v1, n1);
	b[4] = '2';
	n = n1;
	memcpy(b + n, v1, 44);
	b[n + 4] = '2';
	n += 44;
	memcpy(b + n, t64, 8);
	n += 8;
	memcpy(b + n, v1 + 48, n1 - 48);	/* index, types, chars */
	n += n1 - 48;
	b[n++] = '\n';
	memcpy(b + n, footer, strlen(footer));
	n += strlen(footer);
	b[n++] = '\n';
	return n;
}

static void
test_footers(void **state)
{
	static const char *good[] = { "", "ONE-1", "<+01>-1",
	    "CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT", "EST5EDT,0/0,J365/25",
	    "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", "AAA-1BBB-2,J60/167,300/-167",
	    "IST-1GMT0,M10.5.0,M3.5.0/1" };
	static const char *bad[] = { "X-1", "ONE", "ONE-25", "ONE-1TWO,M13.1.0,M1.1.0",
	    "ONE-1TWO,M3.5.0", "ONE-1TWO,J0,J1", "ONE-1TWO,M3.6.0,M10.5.0",
	    "ONE-1TWO,M3.5.7,M10.5.0", "ONE-1TWO,M3.5.0/168,M10.5.0",
	    "<ONE-1", "ONE-1 ", "ONE-1:60" };
	unsigned char b[256];
	struct tend_error err;
	struct tend_tz *tz;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = make_v2(b, good[i]);
		if (!(tz = tend_tz_parse(b, n, &err)))
			fail_msg("footer '%s': %s", good[i], err.text);
		tend_tz_free(tz);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = make_v2(b, bad[i]);
		if ((tz = tend_tz_parse(b, n, &err)))
			fail_msg("footer '%s' parsed", bad[i]);
	}
	/* permanent DST through "0/0,J365/25": EDT (-4h) all year 2090 */
	n = make_v2(b, "EST5EDT,0/0,J365/25");
	assert_non_null(tz = tend_tz_parse(b, n, &err));
	assert_int_equal(tend_tz_offset(tz, at(2090, 1, 1, 0, 0)), -14400);
	assert_int_equal(tend_tz_offset(tz, at(2090, 7, 1, 0, 0)), -14400);
	assert_int_equal(tend_tz_offset(tz, at(2090, 12, 31, 23, 0)), -14400);
	tend_tz_free(tz);
	/* Irish style negative DST: IST (+1) in winter by the rules */
	n = make_v2(b, "IST-1GMT0,M10.5.0,M3.5.0/1");
	assert_non_null(tz = tend_tz_parse(b, n, &err));
	assert_int_equal(tend_tz_offset(tz, at(2090, 7, 1, 0, 0)), 3600);
	assert_int_equal(tend_tz_offset(tz, at(2090, 1, 1, 0, 0)), 0);
	tend_tz_free(tz);
	/* "M3.5.0/-2" (Greenland, -03/-02): the last Sunday of March 2090
	 * (26th) at -2:00 local = Saturday 25th 22:00 -03 = 26th 01:00Z */
	n = make_v2(b, "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1");
	assert_non_null(tz = tend_tz_parse(b, n, &err));
	assert_int_equal(tend_tz_offset(tz, at(2090, 3, 26, 0, 59)), -10800);
	assert_int_equal(tend_tz_offset(tz, at(2090, 3, 26, 1, 0)), -7200);
	tend_tz_free(tz);
}

/* TZDIR decides where zones come from; UTC needs no file. */
static void
test_tzdir(void **state)
{
	char dir[] = "/tmp/tend-tz-XXXXXX", path[64];
	unsigned char b[128];
	const char *old = getenv("TZDIR");
	char *saved = old ? strdup(old) : NULL;
	struct tend_error err;
	struct tend_tz *tz;
	size_t n = make_v1(b);
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/Test", dir);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
	setenv("TZDIR", dir, 1);
	assert_non_null(tz = tend_tz_load("Test", &err));
	assert_string_equal(tend_tz_name(tz), "Test");
	assert_int_equal(tend_tz_offset(tz, 2000), 3600);
	tend_tz_free(tz);
	assert_null(tend_tz_load("Europe/Ljubljana", &err));
	assert_non_null(tz = tend_tz_load("UTC", &err));
	assert_int_equal(tend_tz_offset(tz, 1795428000LL), 0);
	tend_tz_free(tz);
	unlink(path);
	rmdir(dir);
	if (saved) {
		setenv("TZDIR", saved, 1);
		free(saved);
	} else
		unsetenv("TZDIR");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_to_utc),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_null_is_utc),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_v1_and_corruption),
		cmocka_unit_test(test_footers),
		cmocka_unit_test(test_tzdir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
