/* test_timestamp.c: parsing, formatting and comparing instants
 * (lib/timestamp.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "timestamp.h"

#define T20261123 1795428000LL	/* 2026-11-23T10:00:00Z */

static struct tend_time
rfc(const char *s)
{
	struct tend_time t = { -1, -1 };

	if (tend_time_parse_rfc3339(s, strlen(s), &t) < 0)
		fail_msg("'%s' did not parse", s);
	return t;
}

static int
rfc_fails(const char *s)
{
	struct tend_time t;

	return tend_time_parse_rfc3339(s, strlen(s), &t) < 0;
}

static void
assert_rfc(const char *s, int64_t sec, int32_t nsec)
{
	struct tend_time t = rfc(s);

	assert_int_equal(t.sec, sec);
	assert_int_equal(t.nsec, nsec);
}

static void
test_rfc3339_utc_forms(void **state)
{
	(void)state;
	assert_rfc("2026-11-23T10:00:00Z", T20261123, 0);
	assert_rfc("2026-11-23T10:00:00z", T20261123, 0);
	assert_rfc("2026-11-23t10:00:00Z", T20261123, 0);
	assert_rfc("2026-11-23 10:00:00Z", T20261123, 0);
	assert_rfc("2026-11-23T10:00:00+00:00", T20261123, 0);
	assert_rfc("2026-11-23T10:00:00-00:00", T20261123, 0);
	assert_rfc("2026-11-23T10:00:00+0000", T20261123, 0);
}

static void
test_rfc3339_offsets(void **state)
{
	(void)state;
	assert_rfc("2026-11-23T04:30:00-05:30", T20261123, 0);
	assert_rfc("2026-11-23T15:30:00+05:30", T20261123, 0);
	assert_rfc("2026-11-23T15:30:00+0530", T20261123, 0);
	assert_rfc("2026-11-24T09:59:00+23:59", T20261123, 0);
	/* across a date and a year */
	assert_rfc("2016-12-31T19:00:00-05:00", 1483228800LL, 0);
}

static void
test_rfc3339_fractions(void **state)
{
	(void)state;
	assert_rfc("2026-11-23T10:00:00.1Z", T20261123, 100000000);
	assert_rfc("2026-11-23T10:00:00.25Z", T20261123, 250000000);
	assert_rfc("2026-11-23T10:00:00.000001Z", T20261123, 1000);
	assert_rfc("2026-11-23T10:00:00.123456789Z", T20261123, 123456789);
	/* beyond nanoseconds: truncated, not rounded */
	assert_rfc("2026-11-23T10:00:00.1234567899Z", T20261123, 123456789);
	assert_rfc("2026-11-23T10:00:00.999999999999Z", T20261123, 999999999);
	assert_rfc("2026-11-23T10:00:00.000000000000Z", T20261123, 0);
	assert_rfc("2026-11-23T04:30:00.5-05:30", T20261123, 500000000);
}

static void
test_rfc3339_leap_second(void **state)
{
	(void)state;
	/* :60 counts as the next second */
	assert_rfc("2016-12-31T23:59:60Z", 1483228800LL, 0);
	assert_rfc("2016-12-31T23:59:60.5Z", 1483228800LL, 500000000);
	assert_true(rfc_fails("2016-12-31T23:59:61Z"));
}

static void
test_rfc3339_february_29(void **state)
{
	(void)state;
	assert_rfc("2024-02-29T12:00:00Z", 1709208000LL, 0);
	assert_rfc("2000-02-29T00:00:00Z", 951782400LL, 0);
	assert_true(rfc_fails("2023-02-29T00:00:00Z"));
	assert_true(rfc_fails("1900-02-29T00:00:00Z"));
	assert_true(rfc_fails("2100-02-29T00:00:00Z"));
	assert_true(rfc_fails("2024-02-30T00:00:00Z"));
}

static void
test_rfc3339_year_range(void **state)
{
	(void)state;
	assert_rfc("0001-01-01T00:00:00Z", -62135596800LL, 0);
	assert_rfc("9999-12-31T23:59:59Z", 253402300799LL, 0);
	assert_rfc("1969-12-31T23:59:59Z", -1, 0);
	assert_true(rfc_fails("0000-12-31T00:00:00Z"));
	assert_true(rfc_fails("10000-01-01T00:00:00Z"));
}

static void
test_rfc3339_bad_inputs(void **state)
{
	static const char *const bad[] = {
		"", "2026", "2026-11-23", "2026-11-23T", "2026-11-23T10:00",
		"2026-11-23T10:00Z", "2026-11-23T10:00:00",
		"2026-11-23T10:00:00.", "2026-11-23T10:00:00.Z",
		"2026-11-23T10:00:00.5", "2026-11-23T10:00:00+05",
		"2026-11-23T10:00:00+05:", "2026-11-23T10:00:00+5:00",
		"2026-11-23T10:00:00+24:00", "2026-11-23T10:00:00+05:60",
		"2026-11-23T10:00:00ZZ", "2026-11-23T10:00:00Z ",
		" 2026-11-23T10:00:00Z", "2026-11-23X10:00:00Z",
		"2026/11/23T10:00:00Z", "2026-1-23T10:00:00Z",
		"2026-11-3T10:00:00Z", "2026-00-23T10:00:00Z",
		"2026-13-23T10:00:00Z", "2026-11-00T10:00:00Z",
		"2026-11-31T10:00:00Z", "2026-11-23T24:00:00Z",
		"2026-11-23T10:60:00Z", "2026-11-23T1O:00:00Z",
		"+2026-11-23T10:00:00Z", "2026-11-23T10:00:00UTC",
		"2026-11-23T10:00:00 +00:00", NULL
	};
	size_t i;

	(void)state;
	for (i = 0; bad[i]; i++)
		if (!rfc_fails(bad[i]))
			fail_msg("'%s' parsed", bad[i]);
}

static void
test_rfc3339_length_bounds_the_text(void **state)
{
	const char *s = "2026-11-23T10:00:00Z";
	struct tend_time t;

	(void)state;
	assert_int_equal(tend_time_parse_rfc3339(s, 19, &t), -1);
	assert_int_equal(tend_time_parse_rfc3339(s, 20, &t), 0);
	assert_int_equal(tend_time_parse_rfc3339(
	    "2026-11-23T10:00:00.5Zjunk", 22, &t), 0);
	assert_int_equal(t.nsec, 500000000);
}

static void
test_twitter_form(void **state)
{
	struct tend_time t;
	const char *s = "Wed Oct 10 20:19:24 +0000 2018";

	(void)state;
	assert_int_equal(tend_time_parse_twitter(s, strlen(s), &t), 0);
	assert_int_equal(t.sec, 1539202764LL);
	assert_int_equal(t.nsec, 0);
	s = "Wed Oct 10 15:19:24 -0500 2018";
	assert_int_equal(tend_time_parse_twitter(s, strlen(s), &t), 0);
	assert_int_equal(t.sec, 1539202764LL);
	s = "Thu Feb 29 00:00:00 +0000 2024";
	assert_int_equal(tend_time_parse_twitter(s, strlen(s), &t), 0);
}

static void
test_twitter_form_bad(void **state)
{
	static const char *const bad[] = {
		"Wed Foo 10 20:19:24 +0000 2018",
		"Wed Oct 10 20:19:24 +0000 18",
		"Wed Oct 10 20:19:24 0000 2018",
		"Wed Oct 10 20:19:24 +0000 2018 ",
		"Wed Oct 1 20:19:24 +0000 2018",
		"Wed Oct 32 20:19:24 +0000 2018",
		"Wed Oct 10 20-19-24 +0000 2018",
		"Wed Oct 10 25:19:24 +0000 2018",
		"Wed Feb 29 00:00:00 +0000 2023",
		"2018-10-10T20:19:24Z", "", NULL
	};
	struct tend_time t;
	size_t i;

	(void)state;
	for (i = 0; bad[i]; i++)
		if (tend_time_parse_twitter(bad[i], strlen(bad[i]), &t) == 0)
			fail_msg("'%s' parsed", bad[i]);
}

static void
test_epoch(void **state)
{
	struct tend_time t;

	(void)state;
	assert_int_equal(tend_time_parse_epoch("1700000000", 10, &t), 0);
	assert_int_equal(t.sec, 1700000000LL);
	assert_int_equal(t.nsec, 0);
	assert_int_equal(tend_time_parse_epoch("1700000000.5", 12, &t), 0);
	assert_int_equal(t.sec, 1700000000LL);
	assert_int_equal(t.nsec, 500000000);
	assert_int_equal(tend_time_parse_epoch("0.000000001999", 14, &t), 0);
	assert_int_equal(t.sec, 0);
	assert_int_equal(t.nsec, 1);
	assert_int_equal(tend_time_parse_epoch("253402300799", 12, &t), 0);
}

static void
test_epoch_bad(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", ".5", "17e8", "1700000000x", " 1700000000",
		"1700000000 ", "0x10", "253402300800",
		"99999999999999999999999999", NULL
	};
	struct tend_time t;
	size_t i;

	(void)state;
	for (i = 0; bad[i]; i++)
		if (tend_time_parse_epoch(bad[i], strlen(bad[i]), &t) == 0)
			fail_msg("'%s' parsed", bad[i]);
}

static void
test_parse_any(void **state)
{
	struct tend_time t;
	const char *s;

	(void)state;
	s = "2026-11-23T10:00:00+00:00";
	assert_int_equal(tend_time_parse_any(s, strlen(s), &t), 0);
	assert_int_equal(t.sec, T20261123);
	s = "Wed Oct 10 20:19:24 +0000 2018";
	assert_int_equal(tend_time_parse_any(s, strlen(s), &t), 0);
	assert_int_equal(t.sec, 1539202764LL);
	s = "1795428000.25";
	assert_int_equal(tend_time_parse_any(s, strlen(s), &t), 0);
	assert_int_equal(t.sec, T20261123);
	assert_int_equal(t.nsec, 250000000);
	s = "yesterday";
	assert_int_equal(tend_time_parse_any(s, strlen(s), &t), -1);
	assert_int_equal(tend_time_parse_any("", 0, &t), -1);
}

static void
assert_format(int64_t sec, int32_t nsec, const char *want)
{
	struct tend_time t;
	char out[TEND_TIME_TEXT];

	t.sec = sec;
	t.nsec = nsec;
	assert_int_equal(tend_time_format(t, out), strlen(want));
	assert_string_equal(out, want);
}

static void
test_format(void **state)
{
	(void)state;
	assert_format(0, 0, "1970-01-01T00:00:00Z");
	assert_format(T20261123, 0, "2026-11-23T10:00:00Z");
	assert_format(-1, 0, "1969-12-31T23:59:59Z");
	assert_format(-62135596800LL, 0, "0001-01-01T00:00:00Z");
	assert_format(253402300799LL, 999999999,
	    "9999-12-31T23:59:59.999999999Z");
}

static void
test_format_drops_trailing_zeros(void **state)
{
	(void)state;
	assert_format(T20261123, 500000000, "2026-11-23T10:00:00.5Z");
	assert_format(T20261123, 250000000, "2026-11-23T10:00:00.25Z");
	assert_format(T20261123, 120000, "2026-11-23T10:00:00.00012Z");
	assert_format(T20261123, 1, "2026-11-23T10:00:00.000000001Z");
	assert_format(T20261123, 100, "2026-11-23T10:00:00.0000001Z");
}

static void
assert_round_trip(const char *in, const char *want)
{
	char out[TEND_TIME_TEXT];

	tend_time_format(rfc(in), out);
	assert_string_equal(out, want);
	/* and the canonical form reads back as itself */
	tend_time_format(rfc(out), out);
	assert_string_equal(out, want);
}

static void
test_format_round_trip(void **state)
{
	(void)state;
	assert_round_trip("2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z");
	assert_round_trip("2026-11-23 04:30:00.250-05:30",
	    "2026-11-23T10:00:00.25Z");
	assert_round_trip("2026-11-23t10:00:00.000z", "2026-11-23T10:00:00Z");
	assert_round_trip("2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z");
	assert_round_trip("0001-01-01T05:00:00+05:00",
	    "0001-01-01T00:00:00Z");
	assert_round_trip("2024-02-29T23:30:00-01:00",
	    "2024-03-01T00:30:00Z");
}

static int
canonical(const char *s)
{
	return tend_time_is_canonical(s, strlen(s));
}

static void
test_is_canonical(void **state)
{
	(void)state;
	assert_true(canonical("2026-11-23T10:00:00Z"));
	assert_true(canonical("0001-01-01T00:00:00Z"));
	assert_true(canonical("2026-11-23T10:00:00.25Z"));
	assert_true(canonical("2026-11-23T10:00:00.000000001Z"));
	assert_false(canonical("2026-11-23T10:00:00.250Z"));	/* zero */
	assert_false(canonical("2026-11-23T10:00:00.0Z"));
	assert_false(canonical("2026-11-23T10:00:00.Z"));
	assert_false(canonical("2026-11-23T10:00:00.1234567891Z"));
	assert_false(canonical("2026-11-23T10:00:00z"));
	assert_false(canonical("2026-11-23t10:00:00Z"));
	assert_false(canonical("2026-11-23 10:00:00Z"));
	assert_false(canonical("2026-11-23T10:00:00+00:00"));
	assert_false(canonical("2016-12-31T23:59:60Z"));
	assert_false(canonical("2023-02-29T00:00:00Z"));
	assert_false(canonical("2026-11-23T10:00:00"));
	assert_false(canonical(""));
	assert_false(tend_time_is_canonical("2026-11-23T10:00:00Z", 19));
}

static void
test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(tend_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tend_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(tend_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(tend_days_from_civil(1, 1, 1), -719162);
	assert_int_equal(tend_days_from_civil(9999, 12, 31), 2932896);
}

/* Every day from 0001-01-01 to 10000-12-31 goes there and back, and each
 * is the day after the one before. */
static void
test_civil_round_trip(void **state)
{
	int64_t day, y, py = 0;
	unsigned m, d, pm = 12, pd = 31;

	(void)state;
	for (day = -719162; day <= 2933261; day++) {
		tend_civil_from_days(day, &y, &m, &d);
		if (tend_days_from_civil(y, m, d) != day)
			fail_msg("day %lld: %lld-%u-%u", (long long)day,
			    (long long)y, m, d);
		if (day == -719162) {
			assert_int_equal(y, 1);
			assert_int_equal(m, 1);
			assert_int_equal(d, 1);
		} else if (!(y == py && m == pm && d == pd + 1) &&
		    !(y == py && m == pm + 1 && d == 1) &&
		    !(y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31))
			fail_msg("day %lld: %lld-%u-%u after %lld-%u-%u",
			    (long long)day, (long long)y, m, d, (long long)py,
			    pm, pd);
		py = y;
		pm = m;
		pd = d;
	}
	assert_int_equal(y, 10000);
}

static void
test_civil_before_year_one(void **state)
{
	int64_t y;
	unsigned m, d;

	(void)state;
	tend_civil_from_days(tend_days_from_civil(-400, 2, 29), &y, &m, &d);
	assert_int_equal(y, -400);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

static void
test_cmp(void **state)
{
	struct tend_time a = { 100, 5 }, b = { 100, 6 }, c = { 101, 0 },
	    n = { -1, 999999999 };

	(void)state;
	assert_true(tend_time_cmp(a, b) < 0);
	assert_true(tend_time_cmp(b, a) > 0);
	assert_true(tend_time_cmp(b, c) < 0);
	assert_true(tend_time_cmp(c, a) > 0);
	assert_int_equal(tend_time_cmp(a, a), 0);
	assert_true(tend_time_cmp(n, a) < 0);
	assert_true(tend_time_cmp(rfc("2026-11-23T04:30:00-05:30"),
	    rfc("2026-11-23T10:00:00Z")) == 0);
	assert_true(tend_time_cmp(rfc("2026-11-23T10:00:00.1Z"),
	    rfc("2026-11-23T10:00:00.09Z")) > 0);
}

static void
test_duration(void **state)
{
	static const struct { const char *s; int ok; int64_t secs; } cases[] = {
		{ "15m", 1, 900 }, { "1h30m", 1, 5400 }, { "2d", 1, 172800 },
		{ "1w", 1, 604800 }, { "30s", 1, 30 }, { "-5m", 1, -300 },
		{ "1w2d3h4m5s", 1, 788645 }, { "0s", 1, 0 },
		{ "", 0, 0 }, { "15", 0, 0 }, { "m", 0, 0 }, { "30m1h", 0, 0 },
		{ "1h1h", 0, 0 }, { "1x", 0, 0 }, { "1h ", 0, 0 }, { "-", 0, 0 },
		{ "99999999999999999999s", 0, 0 },
	};
	static const struct { int64_t secs; const char *text; } shown[] = {
		{ 42, "42s" }, { 427, "7m07s" }, { 93784, "1d02h03m04s" },
		{ 3600, "1h00m00s" }, { -300, "-5m00s" }, { 0, "0s" },
	};
	size_t i;
	int64_t secs;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = tend_duration_parse(cases[i].s, strlen(cases[i].s),
		    &secs);

		assert_int_equal(rc, cases[i].ok ? 0 : -1);
		if (cases[i].ok)
			assert_int_equal(secs, cases[i].secs);
	}
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		struct tend_buf b = TEND_BUF_INIT;

		tend_duration_format(&b, shown[i].secs);
		assert_string_equal(b.data, shown[i].text);
		/* what is written parses back */
		assert_int_equal(tend_duration_parse(b.data, b.len, &secs), 0);
		assert_int_equal(secs, shown[i].secs);
		tend_buf_release(&b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339_utc_forms),
		cmocka_unit_test(test_rfc3339_offsets),
		cmocka_unit_test(test_rfc3339_fractions),
		cmocka_unit_test(test_rfc3339_leap_second),
		cmocka_unit_test(test_rfc3339_february_29),
		cmocka_unit_test(test_rfc3339_year_range),
		cmocka_unit_test(test_rfc3339_bad_inputs),
		cmocka_unit_test(test_rfc3339_length_bounds_the_text),
		cmocka_unit_test(test_twitter_form),
		cmocka_unit_test(test_twitter_form_bad),
		cmocka_unit_test(test_epoch),
		cmocka_unit_test(test_epoch_bad),
		cmocka_unit_test(test_parse_any),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_drops_trailing_zeros),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_is_canonical),
		cmocka_unit_test(test_days_from_civil),
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_civil_before_year_one),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
