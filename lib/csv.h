/* csv.h: an RFC 4180 CSV reader over a line reader.
 *
 * Fields may be quoted ("a, ""b""") and quoted fields may hold newlines, so
 * one row can span several lines; CRLF or LF endings; a UTF-8 BOM is
 * skipped (by the line reader).  Lenient where real exports are sloppy: a
 * quote inside an unquoted field is kept as data.  A row is never longer
 * than the reader's max: an unterminated quote cannot swallow the file.
 */
#ifndef TEND_CSV_H
#define TEND_CSV_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "lines.h"

struct tend_csv_row {
	size_t n;		/* number of fields */
	const char **fields;	/* each NUL-terminated, unquoted */
	const size_t *lens;	/* their lengths (fields may hold NUL) */
	long line;		/* line number of the row's first line */
	const char *raw;	/* the row's bytes as read, terminators */
	size_t raw_len;		/*   included (NULL when spilled) */
};

struct tend_csv {
	struct tend_lines *lines;	/* borrowed */
	char delimiter;
	struct tend_buf raw;		/* the current row's bytes */
	struct tend_buf data;		/* its unquoted fields, NUL-separated */
	const char **fields;
	size_t *lens;
	size_t fields_cap;
	size_t *offsets;
	size_t offsets_cap;
};

/* Reads rows from lines (borrowed, not released by tend_csv_release). */
void tend_csv_init(struct tend_csv *c, struct tend_lines *lines,
    char delimiter);
void tend_csv_release(struct tend_csv *c);

/* Reads the next row into *row (valid until the next call).  Returns 1, 0
 * at the end, or -1 for a row that cannot be read (err->text and
 * err->line/col set; row->raw and row->line set for --rejects, raw NULL when
 * the line reader already spilled it); reading goes on after a -1.  A read
 * error is -1 with err->text starting "read error". */
int tend_csv_next(struct tend_csv *c, struct tend_csv_row *row,
    struct tend_error *err);

/* Index of the field named name (exact, then ASCII case-insensitive, with
 * surrounding spaces ignored) in a header row, or -1. */
long tend_csv_column(const struct tend_csv_row *header, const char *name);

#endif
