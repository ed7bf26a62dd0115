#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "lines.h"

#define CHUNK (128 * 1024)

void
tend_lines_init(struct tend_lines *r, int fd, size_t max, FILE *spill)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->max = max;
	r->spill = spill;
}

void
tend_lines_release(struct tend_lines *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

/* Reads more bytes after end; returns bytes read, 0 at EOF, -1 on error. */
static ssize_t
fill(struct tend_lines *r)
{
	ssize_t n;

	if (r->start > 0 && r->end + CHUNK > r->cap) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->start = 0;
	}
	if (r->end + CHUNK > r->cap) {
		size_t want = r->end + CHUNK, most = r->max + 2 * CHUNK;

		/* doubling, but never past what the longest line accepted
		 * needs: a line over --max-record is not held whole, so an
		 * overlong line costs --max-record, not twice it */
		tend_xgrow((void **)&r->buf, &r->cap, want, 1);
		if (r->max && r->cap > most && want <= most) {
			r->buf = tend_xrealloc(r->buf, most);
			r->cap = most;
		}
	}
	if (r->flush)
		r->flush();
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		r->end += (size_t)n;
	else if (n == 0)
		r->eof = 1;
	return n;
}

int
tend_lines_peek(struct tend_lines *r, size_t want, const char **p,
    size_t *n)
{
	while (r->end - r->start < want && !r->eof)
		if (fill(r) < 0)
			return -1;
	*p = r->buf ? r->buf + r->start : "";
	*n = r->end - r->start;
	if (*n > want)
		*n = want;
	return 0;
}

static void
spill(struct tend_lines *r, const char *p, size_t n)
{
	if (r->spill && n)
		fwrite(p, 1, n, r->spill);
}

/* Skips the rest of an overlong line whose first n bytes are at start;
 * returns its total length without terminator, or -1 on a read error. */
static long long
skip_long_line(struct tend_lines *r)
{
	long long total = 0;
	int cr = 0;	/* the last byte spilled was '\r' */

	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);

		if (nl) {
			size_t n = (size_t)(nl - (r->buf + r->start)) + 1;

			spill(r, r->buf + r->start, n);
			total += (long long)n - 1;
			if (n >= 2 ? nl[-1] == '\r' : cr)
				total--;
			r->start += n;
			r->scan = r->start;
			return total;
		}
		spill(r, r->buf + r->start, r->end - r->start);
		total += (long long)(r->end - r->start);
		cr = r->end > r->start && r->buf[r->end - 1] == '\r';
		r->start = r->scan = r->end = 0;
		if (r->eof)
			break;
		if (fill(r) < 0)
			return -1;
		if (r->eof && r->end == 0)
			break;
	}
	if (r->spill)
		fputc('\n', r->spill);
	return total;
}

static void
set_line(struct tend_lines *r, struct tend_line *line, size_t raw_len,
    size_t text_len)
{
	const char *raw = r->buf + r->start;

	line->raw = raw;
	line->raw_len = raw_len;
	line->text = raw;
	line->len = text_len;
	line->number = ++r->number;
	if (line->number == 1 && text_len >= 3 &&
	    memcmp(raw, "\xef\xbb\xbf", 3) == 0) {
		line->text += 3;
		line->len -= 3;
	}
	r->start += raw_len;
	r->scan = r->start;
}

int
tend_lines_next(struct tend_lines *r, struct tend_line *line)
{
	for (;;) {
		char *nl = r->end > r->scan ?
		    memchr(r->buf + r->scan, '\n', r->end - r->scan) : NULL;
		size_t pending;

		if (nl) {
			size_t raw_len = (size_t)(nl - (r->buf + r->start)) + 1;
			size_t text_len = raw_len - 1;

			if (text_len && nl[-1] == '\r')
				text_len--;
			if (text_len > r->max)
				break;
			set_line(r, line, raw_len, text_len);
			return TEND_LINE_OK;
		}
		r->scan = r->end;
		pending = r->end - r->start;
		if (pending > r->max + 1)
			break;
		if (r->eof) {
			if (!pending)
				return TEND_LINE_EOF;
			if (pending > r->max)
				break;
			set_line(r, line, pending, pending);
			return TEND_LINE_OK;
		}
		if (fill(r) < 0)
			return TEND_LINE_ERROR;
	}
	{
		long long total = skip_long_line(r);

		line->text = line->raw = NULL;
		line->raw_len = 0;
		line->len = total < 0 ? 0 : (size_t)total;
		line->number = ++r->number;
		return total < 0 ? TEND_LINE_ERROR : TEND_LINE_TOO_LONG;
	}
}

int
tend_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}
