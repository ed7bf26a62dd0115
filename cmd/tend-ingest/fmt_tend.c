/* fmt_tend.c: tend post v1 lines, validated and normalised. */
#include <string.h>

#include "ingest.h"

/* A tend record starts with {"id": (the order tend writes). */
static int
sniff_tend(const char *head, size_t n)
{
	const char *p = head;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (strncmp(p, "{\"id\":", 6) != 0)
		return 0;
	return strstr(p, "\"channel\"") && strstr(p, "\"created_at\"") ?
	    90 : 40;
}

const struct ingest_format ingest_format_tend = {
	"tend", "tend post v1 lines (tend-post(5)): validate and normalise",
	INGEST_TEND_LINES, sniff_tend, NULL, NULL, NULL, NULL, NULL
};
