/* input.c: reading one input in its format: sniffing, tend lines, JSON
 * documents (one per line, or one or more per file) and CSV rows. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ingest.h"
#include "utf8.h"

#define SNIFF_BYTES (64 * 1024)

/* Records are counted as the core takes or rejects them; a line read
 * through tend_cli_next_line() was counted there too, once too many. */
static void
uncount_line(struct ingest *ig)
{
	ingest_cli(ig)->records_in--;
}

static const struct ingest_format *
sniff(struct ingest *ig, struct tend_input *in)
{
	const struct ingest_format *best = NULL;
	const char *head;
	size_t n, i;
	int score = 0;

	char *copy;

	if (tend_lines_peek(&in->lines, SNIFF_BYTES, &head, &n) < 0 ||
	    tend_blank(head, n))
		return NULL;	/* nothing to read is not an error */
	copy = tend_xstrndup(head, n);
	for (i = 0; ingest_formats[i]; i++) {
		int s = ingest_formats[i]->sniff(copy, n);

		if (s > score) {
			score = s;
			best = ingest_formats[i];
		}
	}
	free(copy);
	if (!best) {
		struct ingest_unit unit = { in->display, 0, NULL, 0 };

		ingest_input_error(ig, &unit, "cannot tell the format "
		    "(use -f; tend-ingest --list-formats lists them)");
	}
	return best;
}

static void
read_tend_lines(struct ingest *ig, struct tend_input *in)
{
	struct tend_cli *cli = ingest_cli(ig);
	struct tend_line line;

	while (tend_cli_next_line(cli, in, &line)) {
		struct ingest_unit unit = { in->display, line.number, line.raw,
		    line.raw_len };

		if (tend_blank(line.text, line.len)) {
			uncount_line(ig);	/* blank lines are no records */
			continue;
		}
		uncount_line(ig);
		ingest_tend_line(ig, &unit, line.text, line.len);
	}
}

/* Length of a leading "window.YTD.tweets.part0 = " (Twitter archives). */
static size_t
js_prefix(const char *s, size_t n)
{
	const char *eq;

	if (n < 7 || memcmp(s, "window.", 7) != 0)
		return 0;
	eq = memchr(s, '=', n);
	return eq ? (size_t)(eq - s) + 1 : 0;
}

/* Line and column of byte offset off in doc, counting from first_line. */
static void
position(const char *doc, size_t off, long first_line, long *line, long *col)
{
	const char *p, *bol = doc;

	*line = first_line;
	for (p = doc; p < doc + off; p++)
		if (*p == '\n') {
			(*line)++;
			bol = p + 1;
		}
	*col = (long)(doc + off - bol) + 1;
}

/* Rejects the unit whose text doc[0..len) did not parse as JSON. */
static void
json_error_reject(struct ingest *ig, const struct ingest_unit *unit,
    const char *doc, size_t len, const json_error_t *jerr)
{
	struct ingest_unit where = *unit;
	long col;
	size_t bad = tend_utf8_check(doc, len);

	if (bad < len && bad <= (size_t)jerr->position) {
		position(doc, bad, unit->line, &where.line, &col);
		ingest_reject_at(ig, &where, col, "invalid UTF-8 (byte 0x%02x)",
		    (unsigned char)doc[bad]);
		return;
	}
	position(doc, (size_t)jerr->position, unit->line, &where.line, &col);
	where.raw = unit->raw;
	if (json_error_code(jerr) == json_error_premature_end_of_input)
		ingest_reject_at(ig, &where, col,
		    "invalid JSON: truncated document");
	else
		ingest_reject_at(ig, &where, col, "invalid JSON: %s",
		    jerr->text);
}

/* Document mode: the rest of the input is one or more JSON documents,
 * parsed in turn; a bad one rejects everything from it to the end. */
static void
parse_documents(struct ingest *ig, const struct ingest_format *fmt,
    const char *file, const char *doc, size_t len, long first_line)
{
	size_t off = js_prefix(doc, len);

	while (off < len) {
		struct ingest_unit unit;
		json_error_t jerr;
		json_t *v;
		long col;

		while (off < len && tend_blank(doc + off, 1))
			off++;
		if (off >= len)
			break;
		unit.file = file;
		position(doc, off, first_line, &unit.line, &col);
		v = json_loadb(doc + off, len - off,
		    JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &jerr);
		if (!v) {
			unit.raw = doc + off;
			unit.raw_len = len - off;
			json_error_reject(ig, &unit, doc + off, len - off,
			    &jerr);
			return;
		}
		unit.raw = doc + off;
		unit.raw_len = (size_t)jerr.position;
		fmt->document(ig, &unit, v);
		json_decref(v);
		off += (size_t)jerr.position;
		if (off < len && doc[off] == ';')	/* "...];" in archives */
			off++;
	}
}

/* Reads the rest of the input into doc after its first line; returns -1
 * (and has rejected it) when it is longer than --max-record. */
static int
slurp(struct ingest *ig, struct tend_input *in, struct tend_buf *doc,
    long first_line)
{
	struct tend_cli *cli = ingest_cli(ig);
	struct tend_line line;
	int st;

	while ((st = tend_lines_next(&in->lines, &line)) == TEND_LINE_OK) {
		tend_buf_add(doc, line.raw, line.raw_len);
		if (doc->len > cli->max_record)
			break;
	}
	if (st == TEND_LINE_ERROR) {
		struct ingest_unit unit = { in->display, 0, NULL, 0 };

		ingest_input_error(ig, &unit, "read error");
		return -1;
	}
	if (st == TEND_LINE_OK || st == TEND_LINE_TOO_LONG) {
		struct ingest_unit unit = { in->display, first_line, doc->data,
		    doc->len };

		/* keep all of it in --rejects: what is buffered, then the
		 * rest as it is read */
		ingest_reject_at(ig, &unit, 0, "document longer than "
		    "--max-record (%zu bytes)", cli->max_record);
		while (tend_lines_next(&in->lines, &line) == TEND_LINE_OK)
			if (cli->rejects)
				fwrite(line.raw, 1, line.raw_len, cli->rejects);
		return -1;
	}
	return 0;
}

static void
read_json_documents(struct ingest *ig, struct tend_input *in,
    const struct ingest_format *fmt)
{
	struct tend_cli *cli = ingest_cli(ig);
	struct tend_line line;
	int lines_mode = -1;	/* -1: not decided by the first line yet */
	struct tend_buf doc = TEND_BUF_INIT;

	while (tend_cli_next_line(cli, in, &line)) {
		struct ingest_unit unit = { in->display, line.number, line.raw,
		    line.raw_len };
		size_t skip = 0;
		json_error_t jerr;
		json_t *v;

		uncount_line(ig);
		if (tend_blank(line.text, line.len))
			continue;
		if (lines_mode < 0)
			skip = js_prefix(line.text, line.len);
		v = json_loadb(line.text + skip, line.len - skip,
		    JSON_REJECT_DUPLICATES, &jerr);
		if (!v && lines_mode < 0 && json_error_code(&jerr) ==
		    json_error_premature_end_of_input) {
			/* a document spread over lines: read it whole */
			tend_buf_init(&doc);
			tend_buf_add(&doc, line.raw, line.raw_len);
			if (slurp(ig, in, &doc, line.number) == 0) {
				if (cli->utf8_replace &&
				    tend_utf8_check(doc.data, doc.len) <
				    doc.len) {
					struct tend_buf fixed = TEND_BUF_INIT;

					tend_utf8_repair(&fixed, doc.data,
					    doc.len);
					tend_buf_release(&doc);
					doc = fixed;
					cli->repaired++;
				}
				parse_documents(ig, fmt, in->display, doc.data,
				    doc.len, line.number);
			}
			tend_buf_release(&doc);
			return;
		}
		lines_mode = 1;
		if (!v) {
			json_error_reject(ig, &unit, line.text, line.len,
			    &jerr);
			continue;
		}
		fmt->document(ig, &unit, v);
		json_decref(v);
	}
}

/* A row whose fields are copies of row's with invalid UTF-8 replaced. */
struct repaired_row {
	struct tend_buf text;
	const char **fields;
	size_t *lens, cap;
};

static void
repair_row(struct tend_csv_row *row, struct repaired_row *fixed)
{
	size_t i, *offsets = tend_xmalloc((row->n + 1) * sizeof(*offsets));

	tend_buf_reset(&fixed->text);
	for (i = 0; i < row->n; i++) {
		offsets[i] = fixed->text.len;
		tend_utf8_repair(&fixed->text, row->fields[i], row->lens[i]);
		tend_buf_addc(&fixed->text, '\0');
	}
	offsets[row->n] = fixed->text.len;
	if (row->n > fixed->cap) {
		fixed->cap = row->n;
		fixed->fields = tend_xrealloc(fixed->fields,
		    row->n * sizeof(*fixed->fields));
		fixed->lens = tend_xrealloc(fixed->lens,
		    row->n * sizeof(*fixed->lens));
	}
	for (i = 0; i < row->n; i++) {
		fixed->fields[i] = fixed->text.data + offsets[i];
		fixed->lens[i] = offsets[i + 1] - offsets[i] - 1;
	}
	row->fields = fixed->fields;
	row->lens = fixed->lens;
	free(offsets);
}

static void
read_csv_rows(struct ingest *ig, struct tend_input *in,
    const struct ingest_format *fmt)
{
	struct tend_cli *cli = ingest_cli(ig);
	struct tend_csv csv;
	struct tend_csv_row row;
	struct tend_error err;
	struct repaired_row fixed = { TEND_BUF_INIT, NULL, NULL, 0 };
	int st, header = 1;

	tend_csv_init(&csv, &in->lines, ',');
	while ((st = tend_csv_next(&csv, &row, &err)) != 0) {
		struct ingest_unit unit = { in->display, row.line, row.raw,
		    row.raw_len };

		if (st < 0 && strncmp(err.text, "read error", 10) == 0) {
			ingest_input_error(ig, &unit, "%s", err.text);
			break;
		}
		if (st < 0) {
			unit.line = err.line ? err.line : row.line;
			ingest_reject_at(ig, &unit, err.col, "%s", err.text);
			continue;
		}
		if (header) {
			header = 0;
			if (fmt->csv_header(ig, &unit, &row) < 0)
				break;
			continue;
		}
		if (tend_utf8_check(row.raw, row.raw_len) < row.raw_len &&
		    !cli->utf8_replace) {
			size_t bad = tend_utf8_check(row.raw, row.raw_len);
			long col;

			position(row.raw, bad, row.line, &unit.line, &col);
			ingest_reject_at(ig, &unit, col,
			    "invalid UTF-8 (byte 0x%02x)",
			    (unsigned char)row.raw[bad]);
			continue;
		}
		if (tend_utf8_check(row.raw, row.raw_len) < row.raw_len) {
			repair_row(&row, &fixed);
			cli->repaired++;
		}
		fmt->csv_row(ig, &unit, &row);
	}
	if (fmt->input_done)
		fmt->input_done(ig);
	ingest_set_format_state(ig, NULL);
	tend_buf_release(&fixed.text);
	free(fixed.fields);
	free(fixed.lens);
	tend_csv_release(&csv);
}

void
ingest_read(struct ingest *ig, struct tend_input *in,
    const struct ingest_format *fmt)
{
	if (!fmt && !(fmt = sniff(ig, in)))
		return;
	ingest_set_format_name(ig, fmt->name);
	switch (fmt->input) {
	case INGEST_TEND_LINES:
		read_tend_lines(ig, in);
		break;
	case INGEST_JSON_DOCS:
		read_json_documents(ig, in, fmt);
		break;
	case INGEST_CSV_ROWS:
		read_csv_rows(ig, in, fmt);
		break;
	}
}
