/* bench-floor.c: the parse-only floor of scripts/bench.
 *
 * usage: bench-floor [FILE]
 *
 * Reads JSON lines (FILE, or standard input) through a large buffer, parses
 * each with json_loadb() and frees it at once: no validation, no output.
 * What a JSON-lines filter built on jansson cannot go below.  Prints the
 * number of documents parsed; exit 1 on the first line that is not JSON,
 * exit 2 on a read error.  Built by scripts/bench, not by the Makefile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#define CHUNK	(1u << 20)	/* read size; the buffer grows for longer lines */

struct reader {
	FILE *fp;
	char *buf;
	size_t cap, start, end;	/* unread bytes are buf[start..end) */
	int eof;
};

static void
die(const char *what)
{
	fprintf(stderr, "bench-floor: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Moves the unread bytes to the front, grows the buffer when it is full,
 * and reads more; returns the number of bytes read (0 at end of input). */
static size_t
refill(struct reader *r)
{
	size_t n;

	memmove(r->buf, r->buf + r->start, r->end - r->start);
	r->end -= r->start;
	r->start = 0;
	if (r->cap - r->end < CHUNK) {
		r->cap = r->end + CHUNK;
		if ((r->buf = realloc(r->buf, r->cap)) == NULL)
			die("realloc");
	}
	n = fread(r->buf + r->end, 1, r->cap - r->end, r->fp);
	if (n == 0 && ferror(r->fp))
		die("read");
	r->end += n;
	return n;
}

/* Sets *line and *len to the next line, without its newline; returns 0,
 * or -1 at end of input.  The last line may lack its newline. */
static int
next_line(struct reader *r, const char **line, size_t *len)
{
	char *nl;
	size_t scanned = 0;

	for (;;) {
		nl = NULL;
		if (r->end - r->start > scanned)
			nl = memchr(r->buf + r->start + scanned, '\n',
			    r->end - r->start - scanned);
		if (nl != NULL) {
			*line = r->buf + r->start;
			*len = (size_t)(nl - *line);
			r->start += *len + 1;
			return 0;
		}
		scanned = r->end - r->start;
		if (r->eof || refill(r) == 0) {
			r->eof = 1;
			if (r->start == r->end)
				return -1;
			*line = r->buf + r->start;
			*len = r->end - r->start;
			r->start = r->end;
			return 0;
		}
	}
}

int
main(int argc, char *argv[])
{
	struct reader r = { stdin, NULL, 0, 0, 0, 0 };
	const char *line;
	size_t len;
	unsigned long lineno = 0, docs = 0;
	json_error_t err;
	json_t *doc;

	if (argc > 2) {
		fputs("usage: bench-floor [FILE]\n", stderr);
		return 2;
	}
	if (argc == 2 && (r.fp = fopen(argv[1], "rb")) == NULL)
		die(argv[1]);
	while (next_line(&r, &line, &len) == 0) {
		lineno++;
		if (len == 0)
			continue;
		if ((doc = json_loadb(line, len, 0, &err)) == NULL) {
			fprintf(stderr, "bench-floor: %lu:%d: %s\n", lineno,
			    err.column, err.text);
			return 1;
		}
		json_decref(doc);
		docs++;
	}
	printf("%lu\n", docs);
	free(r.buf);
	if (fclose(stdout) == EOF)
		die("write");
	return 0;
}
