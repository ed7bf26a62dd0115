/* fuzz_tz.c: libFuzzer harness for the TZif reader (lib/tz.h).
 *
 * The input is a TZif file.  When it does not parse, the error must say
 * why.  When it does, offsets must stay inside the RFC 8536 range and the
 * conversion from wall time must be what tz.h promises, around every
 * transition the file names and in the footer's years: the instant found
 * for a local time either shows that local time, or the local time is in
 * a gap that ends exactly there; conversion goes backwards only between
 * two exact answers.
 *
 *	make fuzz-bin/fuzz_tz && fuzz-bin/fuzz_tz CORPUS
 * Seed the corpus with real zones (the files of /usr/share/zoneinfo).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "timestamp.h"
#include "tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OFF_LIMIT (26L * 3600)

static void
check_local(const struct tend_tz *tz, int64_t local)
{
	int64_t u = tend_tz_to_utc(tz, local), v;
	long off = tend_tz_offset(tz, u);

	if (u + off != local) {
		/* a gap: the wall clock jumps over local at u */
		if (u + off < local ||
		    (u - 1) + tend_tz_offset(tz, u - 1) >= local)
			abort();
	}
	if (u < local - OFF_LIMIT || u > local + OFF_LIMIT)
		abort();
	/* going backwards is only possible where both are exact answers
	 * (transitions closer than 52 hours, never in tzdata) */
	v = tend_tz_to_utc(tz, local + 1);
	if (v < u && (u + off != local ||
	    v + tend_tz_offset(tz, v) != local + 1))
		abort();
}

static void
check_instant(const struct tend_tz *tz, int64_t t)
{
	long off = tend_tz_offset(tz, t);
	int64_t u;

	if (off <= -OFF_LIMIT || off >= OFF_LIMIT)
		abort();
	/* t's own wall time maps back to t, or to an earlier instant that
	 * shows the same time (the first pass of a repeated hour) */
	u = tend_tz_to_utc(tz, t + off);
	if (u > t || u + tend_tz_offset(tz, u) != t + off)
		abort();
	check_local(tz, t + off);
	check_local(tz, t + off - 1800);
	check_local(tz, t + off + 1800);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tend_error err;
	struct tend_tz *tz;
	int64_t t, y;
	size_t i;

	memset(&err, 0, sizeof(err));
	if (!(tz = tend_tz_parse(data, size, &err))) {
		if (!err.text[0])
			abort();
		return 0;
	}
	/* every 4 KiB of input, one instant: ends, a spread of years */
	for (i = 0; i + 8 <= size && i < 256; i += 8) {
		memcpy(&t, data + i, 8);
		t %= 1000000000000LL;	/* about 31,000 years */
		check_instant(tz, t);
	}
	for (y = 1900; y <= 2400; y += 7)
		for (t = 0; t < 12; t++)
			check_instant(tz, tend_days_from_civil(y,
			    (unsigned)t + 1, 15) * 86400 + t * 7919);
	check_instant(tz, 0);
	check_instant(tz, -1);
	tend_tz_to_utc(tz, INT64_MAX);
	tend_tz_to_utc(tz, INT64_MIN);
	tend_tz_offset(tz, INT64_MAX);
	tend_tz_offset(tz, INT64_MIN);
	tend_tz_free(tz);
	return 0;
}
