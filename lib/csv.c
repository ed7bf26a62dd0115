/* csv.c: RFC 4180 rows over the line reader.
 *
 * Each line is scanned with memchr() for the next delimiter or quote and
 * its fields copied in one piece into c->data, which is grown once per
 * line to a size that cannot be overrun (a line of n bytes yields at most
 * n bytes of field data and one NUL per field: n + 1, plus the line's
 * terminator when a quoted field goes on).  A row that fits on one line
 * keeps its raw bytes in the line reader's buffer; only a row that spans
 * lines is copied into c->raw.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csv.h"

/* Where a row being read stands. */
struct row_state {
	size_t n;		/* fields begun */
	int quoted;		/* inside a quoted field at the end of a line */
	long quote_line;	/* where that field's opening quote is */
	long quote_col;
};

void
tend_csv_init(struct tend_csv *c, struct tend_lines *lines, char delimiter)
{
	memset(c, 0, sizeof(*c));
	c->lines = lines;
	c->delimiter = delimiter;
	tend_buf_init(&c->raw);
	tend_buf_init(&c->data);
}

void
tend_csv_release(struct tend_csv *c)
{
	tend_buf_release(&c->raw);
	tend_buf_release(&c->data);
	free(c->fields);
	free(c->lens);
	free(c->offsets);
	c->fields = NULL;
	c->lens = NULL;
	c->offsets = NULL;
	c->fields_cap = c->offsets_cap = 0;
}

/* Starts field st->n at the end of the data. */
static void
begin_field(struct tend_csv *c, struct row_state *st)
{
	if (st->n + 1 >= c->offsets_cap)
		tend_xgrow((void **)&c->offsets, &c->offsets_cap, st->n + 2,
		    sizeof(*c->offsets));
	c->offsets[st->n++] = c->data.len;
}

/* Appends s[0..n) to the data, which has room for it. */
static void
put(struct tend_csv *c, const char *s, size_t n)
{
	memcpy(c->data.data + c->data.len, s, n);
	c->data.len += n;
}

/* The rest of a quoted field from p: copies it up to the closing quote
 * (a doubled quote is one quote) and returns what follows it, or end
 * with st->quoted still set when the line ends inside the quotes. */
static const char *
quoted_part(struct tend_csv *c, struct row_state *st, const char *p,
    const char *end)
{
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));

		if (!q) {
			put(c, p, (size_t)(end - p));
			return end;
		}
		put(c, p, (size_t)(q - p));
		p = q + 1;
		if (p == end || *p != '"') {
			st->quoted = 0;
			return p;
		}
		put(c, "\"", 1);
		p++;
	}
}

/* Splits one line's text into fields, going on with a quoted field when
 * st->quoted.  After a closing quote, and in a field that does not start
 * with one, everything up to the delimiter is data (lenient quotes). */
static void
parse_line(struct tend_csv *c, struct row_state *st, const struct tend_line *l)
{
	const char *p = l->text, *end = l->text + l->len;

	tend_buf_grow(&c->data, l->len + 3);
	for (;;) {
		const char *d;

		if (!st->quoted) {
			begin_field(c, st);
			if (p < end && *p == '"') {
				st->quoted = 1;
				st->quote_line = l->number;
				st->quote_col = (long)(p - l->text) + 1;
				p++;
			}
		}
		if (st->quoted && (p = quoted_part(c, st, p, end)) == end &&
		    st->quoted)
			return;
		d = memchr(p, c->delimiter, (size_t)(end - p));
		put(c, p, (size_t)((d ? d : end) - p));
		c->data.data[c->data.len++] = '\0';
		if (!d)
			return;
		p = d + 1;
	}
}

/* Points row at the fields of a complete row of st->n fields. */
static void
set_fields(struct tend_csv *c, const struct row_state *st,
    struct tend_csv_row *row)
{
	size_t i;

	if (st->n > c->fields_cap) {
		size_t cap = c->fields_cap;

		tend_xgrow((void **)&c->fields, &c->fields_cap, st->n,
		    sizeof(*c->fields));
		tend_xgrow((void **)&c->lens, &cap, st->n, sizeof(*c->lens));
	}
	c->offsets[st->n] = c->data.len;
	for (i = 0; i < st->n; i++) {
		c->fields[i] = c->data.data + c->offsets[i];
		c->lens[i] = c->offsets[i + 1] - c->offsets[i] - 1;
	}
	row->n = st->n;
	row->fields = c->fields;
	row->lens = c->lens;
}

/* The line's terminator ("\n", "\r\n" or nothing at the end). */
static size_t
terminator_len(const struct tend_line *l)
{
	return l->raw_len - (size_t)(l->text - l->raw) - l->len;
}

/* Fails the row with its accumulated bytes (or none) as raw. */
static int
fail(struct tend_csv *c, struct tend_csv_row *row, int spanned)
{
	row->n = 0;
	row->fields = NULL;
	row->lens = NULL;
	row->raw = spanned ? c->raw.data : NULL;
	row->raw_len = spanned ? c->raw.len : 0;
	return -1;
}

static int
fail_open_quote(struct tend_csv *c, struct tend_csv_row *row,
    const struct row_state *st, struct tend_error *err, int at_eof)
{
	if (at_eof)
		tend_error_set(err, NULL, st->quote_line, st->quote_col,
		    "quoted field not closed at the end of the input");
	else
		tend_error_set(err, NULL, st->quote_line, st->quote_col,
		    "quoted field not closed within --max-record (%zu bytes)",
		    c->lines->max);
	return fail(c, row, 1);
}

/* Ends a row on line l: its raw bytes, its length checked, its fields. */
static int
finish_row(struct tend_csv *c, struct tend_csv_row *row,
    const struct row_state *st, const struct tend_line *l, int spanned,
    struct tend_error *err)
{
	size_t len;

	if (!spanned) {
		row->raw = l->raw;
		row->raw_len = l->raw_len;
	} else {
		tend_buf_add(&c->raw, l->raw, l->raw_len);
		row->raw = c->raw.data;
		row->raw_len = c->raw.len;
		len = c->raw.len - terminator_len(l);
		if (len > c->lines->max) {
			tend_error_set(err, NULL, row->line, 0, "row too long "
			    "(%zu bytes, --max-record is %zu)", len,
			    c->lines->max);
			return fail(c, row, 1);
		}
	}
	set_fields(c, st, row);
	return 1;
}

/* A line the reader could not hand over: too long, or a read error. */
static int
fail_line(struct tend_csv *c, struct tend_csv_row *row,
    const struct row_state *st, const struct tend_line *l, int status,
    struct tend_error *err)
{
	if (status == TEND_LINE_ERROR) {
		tend_error_set(err, NULL, l->number > 0 ? l->number :
		    c->lines->number + 1, 0, "read error: %s", strerror(errno));
		return fail(c, row, 0);
	}
	if (st->n > 0)	/* the line was inside a quoted field */
		return fail_open_quote(c, row, st, err, 0);
	row->line = l->number;
	tend_error_set(err, NULL, l->number, 0,
	    "row too long (%zu bytes, --max-record is %zu)", l->len,
	    c->lines->max);
	return fail(c, row, 0);
}

int
tend_csv_next(struct tend_csv *c, struct tend_csv_row *row,
    struct tend_error *err)
{
	struct row_state st = { 0, 0, 0, 0 };
	struct tend_line l;
	int status, spanned = 0;

	tend_buf_reset(&c->raw);
	tend_buf_reset(&c->data);
	row->line = c->lines->number + 1;
	for (;;) {
		l.number = 0;
		status = tend_lines_next(c->lines, &l);
		if (status == TEND_LINE_EOF)
			return st.n ? fail_open_quote(c, row, &st, err, 1) : 0;
		if (status != TEND_LINE_OK)
			return fail_line(c, row, &st, &l, status, err);
		if (st.n == 0) {
			if (l.len == 0)
				continue;	/* blank lines hold no row */
			row->line = l.number;
		}
		parse_line(c, &st, &l);
		if (!st.quoted)
			return finish_row(c, row, &st, &l, spanned, err);
		/* a newline inside quotes is data, as written */
		put(c, l.text + l.len, terminator_len(&l));
		tend_buf_add(&c->raw, l.raw, l.raw_len);
		spanned = 1;
		if (c->raw.len > c->lines->max)
			return fail_open_quote(c, row, &st, err, 0);
	}
}

/* 1 when a[0..n) and b[0..n) are equal, ASCII case ignored. */
static int
equal_nocase(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i];
		unsigned char y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return 1;
}

/* Narrows s[0..*n) to its part without surrounding spaces and tabs. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

long
tend_csv_column(const struct tend_csv_row *header, const char *name)
{
	size_t i, len = strlen(name), want_len = len;
	const char *want = trim(name, &want_len);

	for (i = 0; i < header->n; i++)
		if (header->lens[i] == len &&
		    memcmp(header->fields[i], name, len) == 0)
			return (long)i;
	for (i = 0; i < header->n; i++) {
		size_t n = header->lens[i];
		const char *f = trim(header->fields[i], &n);

		if (n == want_len && equal_nocase(f, want, n))
			return (long)i;
	}
	return -1;
}
