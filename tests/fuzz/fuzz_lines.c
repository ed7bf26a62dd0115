/* fuzz_lines.c: libFuzzer harness for the line reader (lib/lines.h).
 *
 * The first byte picks the longest line (0..63, so that overlong lines
 * are common) and whether to peek before reading; the rest is the input,
 * read through a memfd as a file would be.  Overlong lines are spilled to
 * a temporary file.  The check: the lines read and the bytes spilled, in
 * order, are the input again, byte for byte (plus the newline the reader
 * adds to a spilled last line that had none), and each line keeps the
 * contract of lines.h.
 *
 *	make fuzz-bin/fuzz_lines && fuzz-bin/fuzz_lines CORPUS
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int in_fd = -1;
static FILE *spill;
static char *seen;	/* the spilled bytes of one line */

struct expect {
	const char *data;	/* the input */
	size_t size, off;	/* off: bytes accounted for so far */
	size_t max;
	long spilled;		/* bytes in the spill file so far */
	long number;
};

static void
setup(void)
{
	in_fd = memfd_create("fuzz_lines", 0);
	spill = tmpfile();
	if (in_fd < 0 || !spill)
		abort();
}

static void
fill(const uint8_t *data, size_t size)
{
	if (ftruncate(in_fd, 0) < 0 || lseek(in_fd, 0, SEEK_SET) < 0 ||
	    write(in_fd, data, size) != (ssize_t)size ||
	    lseek(in_fd, 0, SEEK_SET) < 0 || ftruncate(fileno(spill), 0) < 0)
		abort();
	rewind(spill);
}

static void
check_ok(struct expect *e, const struct tend_line *l)
{
	size_t skip = (size_t)(l->text - l->raw), term;

	if (!l->raw || l->raw_len == 0 || l->raw_len > e->size - e->off ||
	    memcmp(l->raw, e->data + e->off, l->raw_len) != 0)
		abort();
	if (l->text < l->raw || skip > l->raw_len || l->len > e->max ||
	    memchr(l->text, '\n', l->len))
		abort();
	if (l->number == 1 && l->raw_len >= 3 &&
	    memcmp(l->raw, "\xef\xbb\xbf", 3) == 0) {
		if (skip != 3)
			abort();	/* the byte order mark is skipped */
	} else if (skip)
		abort();
	term = l->raw_len - skip - l->len;
	if (term == 0 && e->off + l->raw_len != e->size)
		abort();	/* only the last line may lack a newline */
	if ((term == 1 && l->raw[l->raw_len - 1] != '\n') ||
	    (term == 2 && memcmp(l->raw + l->raw_len - 2, "\r\n", 2) != 0) ||
	    term > 2)
		abort();
	if (term == 1 && l->len && l->text[l->len - 1] == '\r')
		abort();	/* "\r\n" is one terminator */
	e->off += l->raw_len;
}

/* The bytes spilled for an overlong line are the line, terminator
 * included, or the last line and a newline the reader added. */
static void
check_too_long(struct expect *e, const struct tend_line *l)
{
	long now;
	size_t k;

	if (fflush(spill) == EOF || (now = ftell(spill)) < 0)
		abort();
	k = (size_t)(now - e->spilled);
	if (l->len <= e->max || k < 1 || l->raw || l->raw_len)
		abort();
	seen = realloc(seen, k);
	if (!seen || pread(fileno(spill), seen, k, e->spilled) != (ssize_t)k ||
	    seen[k - 1] != '\n')
		abort();
	if (k <= e->size - e->off && memcmp(seen, e->data + e->off, k) == 0) {
		/* a whole line: its length leaves out "\n" or "\r\n" */
		if (l->len != k - 1 - (k >= 2 && seen[k - 2] == '\r'))
			abort();
		e->off += k;
	} else if (e->off + k - 1 == e->size &&
	    memcmp(seen, e->data + e->off, k - 1) == 0) {
		if (l->len != k - 1)
			abort();
		e->off = e->size;
	} else
		abort();
	e->spilled = now;
}

static void
check_peek(struct tend_lines *r, const struct expect *e, size_t want)
{
	const char *p;
	size_t n;

	if (tend_lines_peek(r, want, &p, &n) < 0)
		abort();
	if (n != (want < e->size ? want : e->size) ||
	    memcmp(p, e->data, n) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tend_lines r;
	struct tend_line l;
	struct expect e;
	int st;

	if (size < 1)
		return 0;
	if (in_fd < 0)
		setup();
	fill(data + 1, size - 1);
	memset(&e, 0, sizeof(e));
	e.data = (const char *)data + 1;
	e.size = size - 1;
	e.max = data[0] & 0x3f;
	tend_lines_init(&r, in_fd, e.max, spill);
	if (data[0] & 0x80)
		check_peek(&r, &e, (size_t)(data[0] & 0x3f) * 4);
	while ((st = tend_lines_next(&r, &l)) != TEND_LINE_EOF) {
		if (l.number != ++e.number || e.number > (long)size + 1)
			abort();
		if (st == TEND_LINE_OK)
			check_ok(&e, &l);
		else if (st == TEND_LINE_TOO_LONG)
			check_too_long(&e, &l);
		else
			abort();
	}
	if (e.off != e.size || tend_lines_next(&r, &l) != TEND_LINE_EOF)
		abort();
	tend_lines_release(&r);
	return 0;
}
