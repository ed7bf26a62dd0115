/* calendar.h: service calendars: when a team is open, in its own zone.
 *
 * A calendar is weekly windows of local wall time ("mon-fri 08:00-17:00")
 * in a time zone (tz.h), minus holidays (local dates).  Each local window
 * is turned into UTC through tend_tz_to_utc, so a window on a day whose
 * clock skips an hour is an hour shorter, on a day that repeats one an hour
 * longer, and a window starting inside the skipped hour opens when the gap
 * ends.  Questions are answered window by window, never minute by minute:
 * the cost of add/open_secs grows with the number of local days crossed
 * (a holiday range is crossed in one step).
 *
 * A holiday date closes the whole local day: a window crossing midnight
 * into a holiday ends at midnight; the part of a window that crosses from a
 * holiday into an ordinary day stays open.  Overlapping windows count once.
 * Times are int64_t seconds since the epoch, UTC; instants beyond about
 * 31,000 years from 1970 are treated as never open.
 */
#ifndef TEND_CALENDAR_H
#define TEND_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "tz.h"

struct tend_calendar;	/* name, zone, weekly windows, holidays */

/* A new calendar with no hours (never open).  name (may be NULL) is
 * copied; tz (may be NULL: UTC until a "zone" line) is owned from now on,
 * freed by tend_calendar_free. */
struct tend_calendar *tend_calendar_new(const char *name, struct tend_tz *tz);

/* Frees c and its zone (NULL is fine). */
void tend_calendar_free(struct tend_calendar *c);

/* The name given to tend_calendar_new ("" for NULL), and the zone (NULL
 * for UTC); both owned by c. */
const char *tend_calendar_name(const struct tend_calendar *c);
const struct tend_tz *tend_calendar_tz(const struct tend_calendar *c);

/* Parses one calendar attribute line (the policy parser hands them over);
 * leading and trailing blanks are ignored:
 *   "zone Europe/Ljubljana"          (replaces the zone given at new)
 *   "hours mon-fri 08:00-17:00, 18:00-20:00"   (several windows, comma sep.)
 *   "hours sat 22:00-02:00"          (crosses midnight: into Sunday)
 *   "hours mon 08:00-24:00"          (24:00 only as an end)
 *   "hours 24/7"
 *   "holiday 2026-12-25"  "holiday 2026-12-24..2026-12-26" (comma lists too)
 *   "holidays FILE.ics"              (FILE relative to dir unless absolute)
 * days: mon tue wed thu fri sat sun (any case), ranges (mon-fri, fri-mon
 * wraps), lists (mon,wed).  Hours lines add to what is there.  Returns 0,
 * or -1 with err->col (1-based byte column in line) and err->text; for an
 * .ics file the text starts with "FILE:LINE: ".  err->file and err->line
 * are left for the caller.  On error the calendar is unchanged. */
int tend_calendar_parse_line(struct tend_calendar *c, const char *line,
    const char *dir, struct tend_error *err);

/* Adds the holidays of an iCalendar text (RFC 5545) of n bytes: each VEVENT
 * with DTSTART (VALUE=DATE, or a date-time whose date part is used),
 * optional DTEND (exclusive) or DURATION (PnD, PnW), optional
 * RRULE:FREQ=YEARLY with INTERVAL, COUNT, UNTIL, and BYMONTH/BYMONTHDAY
 * equal to DTSTART's; an event with STATUS:CANCELLED is skipped; folded
 * lines are unfolded.  Any other RRULE is an error.  Returns 0, or -1 with
 * err->line (in the text) and err->text; the calendar is then unchanged.
 * tend_calendar_parse_line uses it for "holidays". */
int tend_calendar_add_ics(struct tend_calendar *c, const char *text,
    size_t n, struct tend_error *err);

/* 1 when the calendar is open at instant t, else 0. */
int tend_calendar_is_open(const struct tend_calendar *c, int64_t t);

/* Open seconds in [from, to) (0 when to <= from). */
int64_t tend_calendar_open_secs(const struct tend_calendar *c, int64_t from,
    int64_t to);

/* The instant at which `secs` open seconds have elapsed counting from
 * `from` (if closed at from, counting starts at the next opening; a
 * negative secs counts as 0).  secs == 0: the next open instant >= from.
 * An interval's end is returned rather than the next opening (Friday 08:00
 * + 9 hours of mon-fri 08:00-17:00 is Friday 17:00).  Returns INT64_MAX if
 * the calendar is never open (no hours, or closed for more than ten years
 * running) or the result is out of range.  A 24/7 calendar without
 * holidays returns from + secs. */
int64_t tend_calendar_add(const struct tend_calendar *c, int64_t from,
    int64_t secs);

/* For --explain: calls fn for each open interval overlapping [from, to),
 * in order, overlapping and touching windows merged, each clipped to
 * [from, to). */
void tend_calendar_each_open(const struct tend_calendar *c, int64_t from,
    int64_t to, void (*fn)(void *arg, int64_t start, int64_t end), void *arg);

#endif
