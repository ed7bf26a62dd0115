/* fuzz_calendar.c: libFuzzer harness for calendars (lib/calendar.h).
 *
 * The input's first byte chooses: 'I' feeds the rest as an iCalendar
 * text to tend_calendar_add_ics; anything else feeds the lines to
 * tend_calendar_parse_line ("holidays" lines look in a directory that
 * does not exist, so no file is read; "zone" lines do load zones).  A
 * line that fails must say why, with a column inside the line.  Then the
 * calendar is questioned at instants taken from the input, within 1970 to
 * 2100 and at most 40 days of open time, and the answers must agree:
 * open_secs(from, add(from, s)) == s, the instant before such a deadline
 * is open, each_open's intervals are in order and sum to open_secs.
 *
 *	make fuzz-bin/fuzz_calendar && fuzz-bin/fuzz_calendar CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINE 512

struct sum {
	int64_t total, last_end;
	int64_t from, to;
};

static void
add_span(void *arg, int64_t start, int64_t end)
{
	struct sum *s = arg;

	if (start < s->from || end > s->to || start >= end ||
	    start <= s->last_end)
		abort();
	s->total += end - start;
	s->last_end = end;
}

static void
question(const struct tend_calendar *c, uint64_t a, uint64_t b)
{
	int64_t from = (int64_t)(a % 4102444800ULL);	/* 1970-2100 */
	int64_t secs = (int64_t)(b % (40ULL * 86400));
	int64_t r, to = from + (int64_t)(b % (60ULL * 86400));
	struct sum s;

	r = tend_calendar_add(c, from, secs);
	if (r != INT64_MAX) {
		if (r < from || tend_calendar_open_secs(c, from, r) != secs)
			abort();
		if (secs > 0 && !tend_calendar_is_open(c, r - 1))
			abort();
		if (secs == 0 && r > from &&
		    tend_calendar_open_secs(c, from, r) != 0)
			abort();
	}
	memset(&s, 0, sizeof(s));
	s.from = from;
	s.to = to;
	s.last_end = INT64_MIN;
	tend_calendar_each_open(c, from, to, add_span, &s);
	if (s.total != tend_calendar_open_secs(c, from, to))
		abort();
}

static void
feed_lines(struct tend_calendar *c, const char *text, size_t size)
{
	char line[MAX_LINE + 1];
	struct tend_error err;
	size_t i = 0, n;

	while (i < size) {
		const char *nl = memchr(text + i, '\n', size - i);

		n = nl ? (size_t)(nl - (text + i)) : size - i;
		if (n <= MAX_LINE && !memchr(text + i, '\0', n)) {
			memcpy(line, text + i, n);
			line[n] = '\0';
			memset(&err, 0, sizeof(err));
			if (tend_calendar_parse_line(c, line,
			    "/nonexistent/tend-fuzz", &err) < 0 &&
			    (!err.text[0] || err.col < 1 ||
			    err.col > (long)n + 1))
				abort();
		}
		i += n + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tend_calendar *c;
	struct tend_error err;
	uint64_t a = 0x9e3779b97f4a7c15ULL, b = 0;
	size_t i;

	if (size == 0)
		return 0;
	c = tend_calendar_new("fuzz", NULL);
	if (data[0] == 'I') {
		memset(&err, 0, sizeof(err));
		tend_calendar_parse_line(c, "hours mon-sat 09:00-17:00, "
		    "20:00-02:00", NULL, &err);
		if (tend_calendar_add_ics(c, (const char *)data + 1, size - 1,
		    &err) < 0 && (!err.text[0] || err.line < 1))
			abort();
	} else
		feed_lines(c, (const char *)data + 1, size - 1);
	for (i = 0; i < size; i++) {
		a = (a ^ data[i]) * 0x100000001b3ULL;
		b = b * 31 + data[i];
	}
	question(c, a, b);
	question(c, b, a);
	question(c, a >> 7, b * 0x9e3779b97f4a7c15ULL);
	tend_calendar_free(c);
	return 0;
}
