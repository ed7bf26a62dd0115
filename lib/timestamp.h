/* timestamp.h: instants in UTC, parsed from what platforms write.
 *
 * Inside tend, time is UTC: seconds since the Unix epoch plus nanoseconds.
 * No function here reads the process's TZ or locale.
 */
#ifndef TEND_TIMESTAMP_H
#define TEND_TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct tend_time {
	int64_t sec;	/* seconds since 1970-01-01T00:00:00Z */
	int32_t nsec;	/* 0..999999999 */
};

/* "2026-11-23T10:00:00.250Z": room for the longest form written. */
#define TEND_TIME_TEXT 40

/* Parses RFC 3339 (also accepted: a space or lower-case t for the T,
 * lower-case z, offsets without the colon such as +0000, a fraction of any
 * length, truncated to nanoseconds, and a leap second :60, which counts as
 * the next second).  Years 0001..9999.  Returns 0, or -1 when s is not such
 * a time. */
int tend_time_parse_rfc3339(const char *s, size_t n, struct tend_time *out);

/* Parses the legacy Twitter form "Wed Oct 10 20:19:24 +0000 2018". */
int tend_time_parse_twitter(const char *s, size_t n, struct tend_time *out);

/* Parses a decimal count of seconds since the epoch, with an optional
 * fraction ("1700000000", "1700000000.5"). */
int tend_time_parse_epoch(const char *s, size_t n, struct tend_time *out);

/* Tries RFC 3339, then Twitter's form, then epoch seconds. */
int tend_time_parse_any(const char *s, size_t n, struct tend_time *out);

/* Writes the canonical form: "YYYY-MM-DDTHH:MM:SSZ", with a fraction only
 * when nsec is not 0 (trailing zeros dropped).  Returns the length. */
size_t tend_time_format(struct tend_time t, char out[TEND_TIME_TEXT]);

/* Days since the epoch of a proleptic Gregorian date, and back. */
int64_t tend_days_from_civil(int64_t y, unsigned m, unsigned d);
void tend_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* 1 when the canonical form of s would be s itself (the fast path). */
int tend_time_is_canonical(const char *s, size_t n);

/* Compares two instants: <0, 0, >0. */
int tend_time_cmp(struct tend_time a, struct tend_time b);

/* Parses a duration, "[-]" then NUMBER UNIT pairs with the units w d h m
 * s in that order, each at most once: "15m", "1h30m", "2d", "-5m".  Stores
 * the seconds in *secs; returns 0, or -1 when s[0..n) is no duration (or
 * one too long for int64_t).  The expression language and the policies
 * share it, so "15m" means the same everywhere. */
int tend_duration_parse(const char *s, size_t n, int64_t *secs);

/* Appends secs as a duration that parses back: "42s", "5m07s",
 * "1d02h03m04s", "-5m00s". */
void tend_duration_format(struct tend_buf *out, int64_t secs);

#endif
