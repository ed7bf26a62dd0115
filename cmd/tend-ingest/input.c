/* input.c: reading one input in its format: sniffing, tend lines, JSON
 * documents (one per line, or one or more per file), CSV rows and e-mail
 * messages (an mbox, one message, or a Maildir folder). */
#include <dirent.h>
#include <errno.h>
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
	else {
		char text[TEND_JSON_ERROR_TEXT];

		ingest_reject_at(ig, &where, col, "invalid JSON: %s",
		    tend_json_error_text(jerr, text, sizeof(text)));
	}
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

/* The text of the value at dotted path in o, for a row's cell: a string
 * as it is, a number or a boolean as JSON writes it, null or nothing as
 * an empty cell, an array or object as compact JSON.  Returns a new
 * string. */
static char *
cell_of(json_t *o, const char *path)
{
	const char *dot;
	json_t *v = o;

	while (json_is_object(v) && (dot = strchr(path, '.'))) {
		v = json_object_getn(v, path, (size_t)(dot - path));
		path = dot + 1;
	}
	v = json_is_object(v) ? json_object_get(v, path) : NULL;
	if (!v || json_is_null(v))
		return tend_xstrdup("");
	if (json_is_string(v))
		return tend_xstrndup(json_string_value(v),
		    json_string_length(v));
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* A chat transcript as JSON lines, one message an object: the members
 * --map names (dotted paths for nested ones) are the row's cells, read by
 * the format's CSV code as if they were columns. */
static void
read_json_rows(struct ingest *ig, struct tend_input *in,
    const struct ingest_format *fmt)
{
	struct tend_cli *cli = ingest_cli(ig);
	char **cols = ingest_map_columns(ingest_options(ig)->map), **cells;
	const char **fields;
	size_t n = 0, i, *lens;
	struct tend_csv_row row;
	struct tend_line line;
	json_error_t jerr;
	json_t *o;
	int ok;

	while (cols && cols[n])
		n++;
	fields = tend_xcalloc(n + 1, sizeof(*fields));
	lens = tend_xcalloc(n + 1, sizeof(*lens));
	cells = tend_xcalloc(n + 1, sizeof(*cells));
	for (i = 0; i < n; i++) {
		fields[i] = cols[i];
		lens[i] = strlen(cols[i]);
	}
	row.n = n;
	row.fields = fields;
	row.lens = lens;
	row.line = 1;
	row.raw = NULL;
	row.raw_len = 0;
	{
		struct ingest_unit unit = { in->display, 1, NULL, 0 };

		ok = fmt->csv_header(ig, &unit, &row) == 0;
	}
	while (ok && tend_cli_next_line(cli, in, &line)) {
		struct ingest_unit unit = { in->display, line.number, line.raw,
		    line.raw_len };

		uncount_line(ig);
		if (tend_blank(line.text, line.len))
			continue;
		if (!(o = json_loadb(line.text, line.len, JSON_REJECT_DUPLICATES,
		    &jerr))) {
			json_error_reject(ig, &unit, line.text, line.len,
			    &jerr);
			continue;
		}
		if (!json_is_object(o)) {
			ingest_reject_at(ig, &unit, 0, "a message must be a "
			    "JSON object");
			json_decref(o);
			continue;
		}
		for (i = 0; i < n; i++) {
			cells[i] = cell_of(o, cols[i]);
			fields[i] = cells[i];
			lens[i] = strlen(cells[i]);
		}
		row.line = line.number;
		row.raw = line.raw;
		row.raw_len = line.raw_len;
		fmt->csv_row(ig, &unit, &row);
		for (i = 0; i < n; i++)
			free(cells[i]);
		json_decref(o);
	}
	if (fmt->input_done)
		fmt->input_done(ig);
	ingest_set_format_state(ig, NULL);
	for (i = 0; i < n; i++)
		free(cols[i]);
	free(cols);
	free(cells);
	free(fields);
	free(lens);
}

/* 1 when the input starts (after blanks) with a JSON object. */
static int
starts_with_object(struct tend_input *in)
{
	const char *head;
	size_t n, i;

	if (tend_lines_peek(&in->lines, 4096, &head, &n) < 0)
		return 0;
	for (i = 0; i < n && strchr(" \t\r\n", head[i]); i++)
		;
	if (n - i >= 3 && memcmp(head + i, "\xef\xbb\xbf", 3) == 0)
		i += 3;
	return i < n && head[i] == '{';
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

/* One message of a mail input being gathered. */
struct mail {
	struct tend_buf raw;	/* the bytes as read, for --rejects */
	struct tend_buf msg;	/* the same, ">From " unescaped */
	char *envelope;		/* its mbox "From " line, or NULL */
	long line;		/* its first line */
	int too_long;
};

/* An mbox separator: "From " at the start of a line. */
static int
is_envelope(const struct tend_line *l)
{
	return l->raw_len >= 5 && memcmp(l->raw, "From ", 5) == 0;
}

/* mboxrd quoting: ">From ", ">>From ", ... lose one '>'. */
static int
is_quoted_from(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == '>')
		i++;
	return i > 0 && n - i >= 5 && memcmp(s + i, "From ", 5) == 0;
}

static void
deliver_mail(struct ingest *ig, const struct ingest_format *fmt,
    const char *file, struct mail *m)
{
	struct ingest_unit unit = { file, m->line, m->raw.data, m->raw.len };

	if (m->raw.len > 0 && !tend_blank(m->raw.data, m->raw.len)) {
		if (m->too_long)
			ingest_reject_at(ig, &unit, 0, "message longer than "
			    "--max-record (%zu bytes)",
			    ingest_cli(ig)->max_record);
		else
			fmt->message(ig, &unit, m->msg.data, m->msg.len,
			    m->envelope);
	}
	tend_buf_reset(&m->raw);
	tend_buf_reset(&m->msg);
	free(m->envelope);
	m->envelope = NULL;
	m->too_long = 0;
}

/* An mbox (messages after "From " lines) when the input starts with one,
 * else one message; single: always one message (a Maildir file). */
static void
read_mail(struct ingest *ig, struct tend_input *in,
    const struct ingest_format *fmt, int single)
{
	struct tend_cli *cli = ingest_cli(ig);
	struct mail m = { TEND_BUF_INIT, TEND_BUF_INIT, NULL, 1, 0 };
	struct tend_line l;
	int st, mbox = -1, after_blank = 1;

	while ((st = tend_lines_next(&in->lines, &l)) == TEND_LINE_OK ||
	    st == TEND_LINE_TOO_LONG) {
		if (st == TEND_LINE_TOO_LONG) {
			m.too_long = 1;
			after_blank = 0;
			continue;
		}
		if (mbox < 0 && !tend_blank(l.raw, l.raw_len))
			mbox = !single && is_envelope(&l);
		if (mbox == 1 && after_blank && is_envelope(&l)) {
			deliver_mail(ig, fmt, in->display, &m);
			m.line = l.number;
			m.envelope = tend_xstrndup(l.text, l.len);
			tend_buf_add(&m.raw, l.raw, l.raw_len);
			continue;
		}
		after_blank = tend_blank(l.raw, l.raw_len);
		tend_buf_add(&m.raw, l.raw, l.raw_len);
		if (mbox == 1 && is_quoted_from(l.raw, l.raw_len))
			tend_buf_add(&m.msg, l.raw + 1, l.raw_len - 1);
		else
			tend_buf_add(&m.msg, l.raw, l.raw_len);
		if (m.raw.len > cli->max_record)
			m.too_long = 1;
	}
	if (st == TEND_LINE_ERROR) {
		struct ingest_unit unit = { in->display, 0, NULL, 0 };

		ingest_input_error(ig, &unit, "read error: %s",
		    strerror(errno));
	} else {
		deliver_mail(ig, fmt, in->display, &m);
	}
	tend_buf_release(&m.raw);
	tend_buf_release(&m.msg);
	free(m.envelope);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends DIR/SUB/NAME of each message file in DIR/SUB to *files. */
static int
list_messages(const char *dir, const char *sub, char ***files, size_t *n,
    size_t *cap)
{
	struct tend_buf path = TEND_BUF_INIT;
	struct dirent *e;
	DIR *d;

	tend_buf_printf(&path, "%s/%s", dir, sub);
	if (!(d = opendir(path.data))) {
		tend_buf_release(&path);
		return -1;
	}
	while ((e = readdir(d))) {
		struct tend_buf file = TEND_BUF_INIT;

		if (e->d_name[0] == '.')
			continue;
		tend_buf_printf(&file, "%s/%s", path.data, e->d_name);
		tend_xgrow((void **)files, cap, *n + 1, sizeof(**files));
		(*files)[(*n)++] = tend_buf_detach(&file);
	}
	closedir(d);
	tend_buf_release(&path);
	return 0;
}

void
ingest_read_maildir(struct ingest *ig, const char *path,
    const struct ingest_format *fmt)
{
	struct tend_cli *cli = ingest_cli(ig);
	char **files = NULL;
	size_t n = 0, cap = 0, i, first_new;
	int cur, new_;

	cur = list_messages(path, "cur", &files, &n, &cap);
	first_new = n;
	new_ = list_messages(path, "new", &files, &n, &cap);
	if (cur < 0 && new_ < 0) {
		struct ingest_unit unit = { path, 0, NULL, 0 };

		ingest_input_error(ig, &unit, "is a directory, but not a "
		    "Maildir folder (no cur/ or new/)");
		return;
	}
	qsort(files, first_new, sizeof(*files), by_name);
	qsort(files + first_new, n - first_new, sizeof(*files), by_name);
	ingest_set_format_name(ig, fmt->name);
	for (i = 0; i < n; i++) {
		struct tend_input in;

		if (tend_input_open(cli, &in, files[i]) == 0) {
			read_mail(ig, &in, fmt, 1);
			tend_input_close(&in);
		}
		free(files[i]);
	}
	free(files);
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
		if (strcmp(fmt->name, "chat") == 0 && starts_with_object(in))
			read_json_rows(ig, in, fmt);
		else
			read_csv_rows(ig, in, fmt);
		break;
	case INGEST_MAIL:
		read_mail(ig, in, fmt, 0);
		break;
	}
}
