/* tz.h: IANA time zones, read from TZif files (RFC 8536).
 *
 * A zone is loaded once from $TZDIR (or /usr/share/zoneinfo) and then
 * answers two questions: the UTC offset at an instant, and the instant of a
 * local wall time.  The process's TZ, tzset(), localtime() and mktime() are
 * never used: two zones can be in use at once and results do not depend on
 * the environment beyond TZDIR.
 *
 * Instants are int64_t seconds since the Unix epoch (UTC, no leap seconds);
 * a "local" time is the wall clock written as seconds since the epoch as if
 * it were UTC (2026-03-29 02:30 local is tend_days_from_civil(2026, 3, 29) *
 * 86400 + 9000 whatever the zone).  A NULL zone is UTC everywhere.
 */
#ifndef TEND_TZ_H
#define TEND_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct tend_tz;

/* Loads the IANA zone name ("Europe/Ljubljana", "UTC") from its TZif file
 * under $TZDIR, or /usr/share/zoneinfo when TZDIR is unset or empty.
 * Versions 1 to 4 are read: the 64-bit block of v2+ files (the v1 block is
 * skipped), and the POSIX TZ footer from the last transition on
 * ("CET-1CEST,M3.5.0,M10.5.0/3", with Jn, n and Mm.w.d dates and transition
 * times from -167 to 167 hours).  "UTC" and "Etc/UTC" work without tzdata.
 * A name that is empty, longer than 255 bytes, starts with '/', holds "..",
 * or a character outside [A-Za-z0-9_+-/] is refused, since it becomes a file
 * path.  Returns a new zone (free with tend_tz_free) or NULL with err->text
 * set (err->file, line and col are left 0/empty for the caller).  A file
 * that is not a well-formed TZif file (wrong magic, counts past the end,
 * unsorted transitions, a type index out of range, an offset beyond 26
 * hours, a footer that does not parse, leap-second records) is an error. */
struct tend_tz *tend_tz_load(const char *name, struct tend_error *err);

/* Parses TZif data in memory, as tend_tz_load does with a file's bytes; the
 * zone's name is "".  For tests and the fuzz harness.  Returns a new zone or
 * NULL with err->text set. */
struct tend_tz *tend_tz_parse(const void *data, size_t n,
    struct tend_error *err);

/* Frees tz (NULL is fine). */
void tend_tz_free(struct tend_tz *tz);

/* The name the zone was loaded by ("" for tend_tz_parse, "UTC" for NULL);
 * owned by tz. */
const char *tend_tz_name(const struct tend_tz *tz);

/* UTC offset in seconds (east positive: +3600 for CET) at instant t. */
long tend_tz_offset(const struct tend_tz *tz, int64_t t);

/* The UTC instant of local wall time `local` (seconds since the epoch as if
 * local were UTC).  In a gap (a skipped hour) returns the instant the gap
 * ends, the first valid local time after; in an overlap (a repeated hour)
 * the earlier instant.  Non-decreasing in local when transitions are more
 * than 52 hours apart (as in all of tzdata).  Beyond about 31 million
 * years from 1970 the footer is not consulted (standard time is assumed). */
int64_t tend_tz_to_utc(const struct tend_tz *tz, int64_t local);

#endif
