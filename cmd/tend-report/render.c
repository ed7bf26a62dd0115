/* render.c: the report's tables as text, markdown, csv and json
 * (tend-report(1): FORMATS). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report.h"
#include "timestamp.h"
#include "utf8.h"

void
rep_add_duration(struct tend_buf *out, double secs)
{
	long long s, big, small;
	const char *u1, *u2;

	if (!isfinite(secs)) {
		tend_buf_adds(out, "-");
		return;
	}
	s = llround(secs);
	if (s < 0) {
		tend_buf_addc(out, '-');
		s = -s;
	}
	if (s >= 86400) {
		big = s / 86400, small = (s % 86400 + 1800) / 3600;
		u1 = "d", u2 = "h";
		if (small == 24)
			big++, small = 0;
	} else if (s >= 3600) {
		big = s / 3600, small = (s % 3600 + 30) / 60;
		u1 = "h", u2 = "m";
		if (small == 60)
			big++, small = 0;
	} else if (s >= 60) {
		big = s / 60, small = s % 60;
		u1 = "m", u2 = "s";
	} else {
		tend_buf_printf(out, "%llds", s);
		return;
	}
	if (small)
		tend_buf_printf(out, "%lld%s%02lld%s", big, u1, small, u2);
	else
		tend_buf_printf(out, "%lld%s", big, u1);
}

static void
add_civil(struct tend_buf *out, int64_t t, int seconds)
{
	int64_t days = t / 86400, rem = t % 86400, y;
	unsigned mo, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tend_civil_from_days(days, &y, &mo, &d);
	tend_buf_printf(out, "%04lld-%02u-%02u %02d:%02d", (long long)y, mo, d,
	    (int)(rem / 3600), (int)(rem / 60 % 60));
	if (seconds)
		tend_buf_printf(out, ":%02d", (int)(rem % 60));
}

void
rep_format_local(struct tend_buf *out, const struct rep_agg *agg, int64_t t)
{
	add_civil(out, agg->tz ? t + tend_tz_offset(agg->tz, t) : t, 0);
}

static void
add_rfc3339(struct tend_buf *out, int64_t t)
{
	struct tend_time tt = { t, 0 };
	char text[TEND_TIME_TEXT];

	tend_buf_add(out, text, tend_time_format(tt, text));
}

void
rep_add_visible(struct tend_buf *out, const char *s, size_t n)
{
	const char *p = s, *end = s + n, *q;
	uint32_t cp;

	while (p < end) {
		q = p;
		cp = tend_utf8_next(&p, end);
		if (cp == TEND_UTF8_REPLACEMENT && p - q == 1 &&
		    (unsigned char)*q >= 0x80) {
			tend_buf_printf(out, "\\x%02X", (unsigned char)*q);
		} else if (cp == '\n') {
			tend_buf_adds(out, "\\n");
		} else if (cp == '\t') {
			tend_buf_adds(out, "\\t");
		} else if (cp == '\r') {
			tend_buf_adds(out, "\\r");
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			tend_buf_printf(out, "\\x%02X", (unsigned)cp);
		} else if (cp == 0x2028 || cp == 0x2029 || cp == 0x202E ||
		    cp == 0x202D || (cp >= 0x2066 && cp <= 0x2069)) {
			/* line breaks and bidi overrides reorder a terminal */
			tend_buf_printf(out, "\\u%04X", (unsigned)cp);
		} else {
			tend_buf_add(out, q, (size_t)(p - q));
		}
	}
}

void
rep_format_cell(struct tend_buf *out, const json_t *v,
    enum rep_col_type type, const struct rep_agg *agg)
{
	if (json_is_null(v) || !v) {
		tend_buf_adds(out, "-");
		return;
	}
	switch (type) {
	case REP_STR:
		rep_add_visible(out, json_string_value(v),
		    json_string_length(v));
		break;
	case REP_INT:
		tend_buf_printf(out, "%lld", (long long)json_integer_value(v));
		break;
	case REP_NUM:
		tend_buf_printf(out, "%.2f", json_number_value(v));
		break;
	case REP_PCT:
		tend_buf_printf(out, "%.1f%%", json_number_value(v));
		break;
	case REP_SECS:
		rep_add_duration(out, json_number_value(v));
		break;
	case REP_TIME:
		rep_format_local(out, agg, json_integer_value(v));
		break;
	}
}

/* The display width of s: one column a code point, which holds for the
 * scripts the corpus is in (wide CJK characters are counted as one). */
static size_t
width(const char *s, size_t n)
{
	size_t w = 0, i;

	for (i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/* Cuts s (a cell) to at most w columns, "…" last when cut. */
static void
cut(struct tend_buf *b, size_t w)
{
	size_t i, cols = 0;

	if (width(b->data, b->len) <= w)
		return;
	for (i = 0; i < b->len; i++) {
		if (((unsigned char)b->data[i] & 0xC0) != 0x80 &&
		    ++cols == w)
			break;
	}
	b->len = i;
	b->data[i] = '\0';
	tend_buf_adds(b, "\xE2\x80\xA6");
}

static int
is_number_col(enum rep_col_type type)
{
	return type == REP_INT || type == REP_NUM || type == REP_PCT ||
	    type == REP_SECS;
}

/* Markdown: ASCII punctuation that means something is backslashed. */
static void
md_escape(struct tend_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strchr("\\|*_`[]<>#!~&", s[i]) && s[i])
			tend_buf_addc(out, '\\');
		tend_buf_addc(out, s[i]);
	}
}

struct grid {
	struct tend_buf *cell;		/* (rows + 1) x cols, header first */
	size_t rows, cols;
	size_t *w;
};

static void
grid_fill(struct grid *g, const struct rep_table *t,
    const struct rep_agg *agg, int md)
{
	struct tend_buf tmp = TEND_BUF_INIT;
	size_t r, c;

	g->rows = json_array_size(t->rows) + 1;
	g->cols = t->ncols;
	g->cell = tend_xcalloc(g->rows * g->cols, sizeof(*g->cell));
	g->w = tend_xcalloc(g->cols, sizeof(*g->w));
	for (r = 0; r < g->rows; r++) {
		for (c = 0; c < g->cols; c++) {
			struct tend_buf *b = &g->cell[r * g->cols + c];

			tend_buf_init(b);
			tend_buf_reset(&tmp);
			if (r == 0)
				tend_buf_adds(&tmp, t->cols[c].head);
			else
				rep_format_cell(&tmp, json_array_get(
				    json_array_get(t->rows, r - 1), c),
				    t->cols[c].type, agg);
			if (md)
				md_escape(b, tmp.data, tmp.len);
			else
				tend_buf_add(b, tmp.data, tmp.len);
		}
	}
	tend_buf_release(&tmp);
}

static void
grid_widths(struct grid *g)
{
	size_t r, c, w;

	for (c = 0; c < g->cols; c++)
		for (r = 0, g->w[c] = 0; r < g->rows; r++) {
			w = width(g->cell[r * g->cols + c].data,
			    g->cell[r * g->cols + c].len);
			if (w > g->w[c])
				g->w[c] = w;
		}
}

/* Narrows the widest string columns until the table fits. */
static void
grid_fit(struct grid *g, const struct rep_table *t, size_t columns)
{
	size_t total, c, widest, r;

	for (;;) {
		total = 2;
		for (c = 0; c < g->cols; c++)
			total += g->w[c] + (c ? 2 : 0);
		if (total <= columns)
			return;
		widest = g->cols;
		for (c = 0; c < g->cols; c++)
			if (t->cols[c].type == REP_STR && g->w[c] > 8 &&
			    (widest == g->cols || g->w[c] > g->w[widest]))
				widest = c;
		if (widest == g->cols)
			return;
		g->w[widest] -= total - columns < g->w[widest] - 8 ?
		    total - columns : g->w[widest] - 8;
		for (r = 0; r < g->rows; r++)
			cut(&g->cell[r * g->cols + widest], g->w[widest]);
	}
}

static void
pad(struct tend_buf *out, size_t n)
{
	while (n--)
		tend_buf_addc(out, ' ');
}

static void
grid_text(struct tend_buf *out, const struct grid *g,
    const struct rep_table *t)
{
	size_t r, c, w;

	for (r = 0; r < g->rows; r++) {
		tend_buf_adds(out, "  ");
		for (c = 0; c < g->cols; c++) {
			const struct tend_buf *b = &g->cell[r * g->cols + c];
			int right = is_number_col(t->cols[c].type);

			w = width(b->data, b->len);
			if (c)
				tend_buf_adds(out, "  ");
			if (right)
				pad(out, g->w[c] - w);
			tend_buf_add(out, b->data, b->len);
			if (!right && c + 1 < g->cols)
				pad(out, g->w[c] - w);
		}
		tend_buf_addc(out, '\n');
	}
}

static void
grid_md(struct tend_buf *out, const struct grid *g, const struct rep_table *t)
{
	size_t r, c;

	for (r = 0; r < g->rows; r++) {
		tend_buf_addc(out, '|');
		for (c = 0; c < g->cols; c++) {
			tend_buf_addc(out, ' ');
			tend_buf_add(out, g->cell[r * g->cols + c].data,
			    g->cell[r * g->cols + c].len);
			tend_buf_adds(out, " |");
		}
		tend_buf_addc(out, '\n');
		if (r)
			continue;
		tend_buf_addc(out, '|');
		for (c = 0; c < g->cols; c++)
			tend_buf_adds(out, is_number_col(t->cols[c].type) ?
			    " --: |" : " :-- |");
		tend_buf_addc(out, '\n');
	}
}

static void
grid_release(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->rows * g->cols; i++)
		tend_buf_release(&g->cell[i]);
	free(g->cell);
	free(g->w);
}

/* Blocks from one eighth to full: a row of bars, one a bucket. */
static void
sparkline(struct tend_buf *out, const struct rep_agg *agg, int replies,
    size_t columns)
{
	static const char *const blocks[] = { "\xE2\x96\x81", "\xE2\x96\x82",
	    "\xE2\x96\x83", "\xE2\x96\x84", "\xE2\x96\x85", "\xE2\x96\x86",
	    "\xE2\x96\x87", "\xE2\x96\x88" };
	uint64_t max = 0, v;
	size_t i, per = columns > 14 ? columns - 12 : 2;

	for (i = 0; i < agg->nbuckets; i++) {
		v = replies ? agg->buckets[i].replies : agg->buckets[i].inbound;
		if (v > max)
			max = v;
	}
	for (i = 0; i < agg->nbuckets; i++) {
		if (i % per == 0)
			tend_buf_adds(out, i ? "\n           " : replies ?
			    "  replies  " : "  inbound  ");
		v = replies ? agg->buckets[i].replies : agg->buckets[i].inbound;
		if (!v)
			tend_buf_addc(out, ' ');
		else
			tend_buf_adds(out, blocks[(v * 8 - 1) / max]);
	}
	tend_buf_addc(out, '\n');
}

/* "  (note)", its words wrapped to fit columns. */
static void
add_wrapped(struct tend_buf *out, const char *note, size_t columns)
{
	size_t col = 3, n;
	const char *p = note, *sp;

	tend_buf_adds(out, "  (");
	while (*p) {
		sp = strchr(p, ' ');
		n = sp ? (size_t)(sp - p) : strlen(p);
		if (col > 3 && col + 1 + n + 1 > columns) {
			tend_buf_adds(out, "\n   ");
			col = 3;
		} else if (col > 3) {
			tend_buf_addc(out, ' ');
			col++;
		}
		tend_buf_add(out, p, n);
		col += width(p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	tend_buf_adds(out, ")\n");
}

static void
text_table(struct tend_buf *out, const struct rep_table *t,
    const struct rep_agg *agg, size_t columns, int md)
{
	struct grid g;

	if (md) {
		tend_buf_adds(out, "## ");
		md_escape(out, t->title, strlen(t->title));
		tend_buf_adds(out, "\n\n");
	} else {
		tend_buf_adds(out, t->title);
		tend_buf_addc(out, '\n');
	}
	if (!json_array_size(t->rows)) {
		tend_buf_adds(out, md ? "_none_\n" : "  (none)\n");
	} else {
		if (!md && strcmp(t->name, "volume") == 0) {
			sparkline(out, agg, 0, columns);
			sparkline(out, agg, 1, columns);
		}
		grid_fill(&g, t, agg, md);
		grid_widths(&g);
		if (md) {
			grid_md(out, &g, t);
		} else {
			grid_fit(&g, t, columns);
			grid_text(out, &g, t);
		}
		grid_release(&g);
	}
	if (t->note) {
		if (md) {
			tend_buf_adds(out, "\n_");
			md_escape(out, t->note, strlen(t->note));
			tend_buf_adds(out, "_\n");
		} else {
			add_wrapped(out, t->note, columns);
		}
	}
	tend_buf_addc(out, '\n');
}

static void
heading(struct tend_buf *out, const struct rep_agg *agg, int md)
{
	tend_buf_adds(out, md ? "# tend report\n\nAt " : "tend report at ");
	rep_format_local(out, agg, agg->shape.now);
	tend_buf_printf(out, " (%s): %llu record%s", agg->shape.zone,
	    (unsigned long long)agg->records, agg->records == 1 ? "" : "s");
	if (agg->first <= agg->last) {
		tend_buf_adds(out, " from ");
		rep_format_local(out, agg, agg->first);
		tend_buf_adds(out, " to ");
		rep_format_local(out, agg, agg->last);
	}
	tend_buf_adds(out, md ? ".\n\n" : "\n\n");
}

void
rep_render_text(struct tend_buf *out, const struct rep_model *m,
    const struct rep_agg *agg, const char *only, int columns, int md)
{
	size_t i;

	if (!only)
		heading(out, agg, md);
	for (i = 0; i < m->n; i++)
		if (!only || strcmp(only, m->t[i].name) == 0)
			text_table(out, &m->t[i], agg, (size_t)columns, md);
	if (out->len >= 2 && out->data[out->len - 2] == '\n')
		out->len--;	/* no blank line at the very end */
}

void
rep_add_csv_cell(struct tend_buf *out, const char *s, size_t n,
    int neutralise)
{
	int quote = 0;
	size_t i;

	for (i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
		    s[i] == '\n';
	if (quote)
		tend_buf_addc(out, '"');
	if (neutralise && n && strchr("=+-@\t\r", s[0]))
		tend_buf_addc(out, '\'');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			tend_buf_addc(out, '"');
		tend_buf_addc(out, s[i]);
	}
	if (quote)
		tend_buf_addc(out, '"');
}

static void
csv_value(struct tend_buf *out, const json_t *v, enum rep_col_type type)
{
	if (!v || json_is_null(v))
		return;
	if (type == REP_STR)
		rep_add_csv_cell(out, json_string_value(v),
		    json_string_length(v), 1);
	else if (type == REP_TIME)
		add_rfc3339(out, json_integer_value(v));
	else if (json_is_integer(v))
		tend_buf_printf(out, "%lld", (long long)json_integer_value(v));
	else
		tend_buf_printf(out, "%.15g", json_number_value(v));
}

void
rep_render_csv(struct tend_buf *out, const struct rep_table *t)
{
	const json_t *row;
	size_t r, c;

	for (c = 0; c < t->ncols; c++) {
		if (c)
			tend_buf_addc(out, ',');
		tend_buf_adds(out, t->cols[c].key);
	}
	tend_buf_adds(out, "\r\n");
	json_array_foreach(t->rows, r, row) {
		for (c = 0; c < t->ncols; c++) {
			if (c)
				tend_buf_addc(out, ',');
			csv_value(out, json_array_get(row, c), t->cols[c].type);
		}
		tend_buf_adds(out, "\r\n");
	}
}

static json_t *
json_time(int64_t t)
{
	struct tend_buf b = TEND_BUF_INIT;
	json_t *s;

	add_rfc3339(&b, t);
	s = json_string(b.data);
	tend_buf_release(&b);
	return s;
}

static json_t *
table_json(const struct rep_table *t)
{
	json_t *o = json_object(), *rows = json_array(), *row, *obj, *v;
	size_t r, c;

	json_object_set_new(o, "title", json_string(t->title));
	json_object_set_new(o, "note", t->note ? json_string(t->note) :
	    json_null());
	json_array_foreach(t->rows, r, row) {
		obj = json_object();
		for (c = 0; c < t->ncols; c++) {
			v = json_array_get(row, c);
			if (t->cols[c].type == REP_TIME && json_is_integer(v))
				json_object_set_new(obj, t->cols[c].key,
				    json_time(json_integer_value(v)));
			else
				json_object_set(obj, t->cols[c].key, v);
		}
		json_array_append_new(rows, obj);
	}
	json_object_set_new(o, "rows", rows);
	return o;
}

void
rep_render_json(struct tend_buf *out, const struct rep_model *m,
    const struct rep_agg *agg, const char *only)
{
	json_t *o = json_object(), *tables = json_object();
	char *s;
	size_t i;

	json_object_set_new(o, "format", json_string("tend-report"));
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "now", json_time(agg->shape.now));
	json_object_set_new(o, "zone", json_string(agg->shape.zone));
	json_object_set_new(o, "bucket",
	    json_string(rep_bucket_names[agg->shape.bucket]));
	json_object_set_new(o, "exact", json_boolean(agg->shape.alpha == 0));
	json_object_set_new(o, "relative_error", json_real(agg->shape.alpha));
	json_object_set_new(o, "first", agg->first <= agg->last ?
	    json_time(agg->first) : json_null());
	json_object_set_new(o, "last", agg->first <= agg->last ?
	    json_time(agg->last) : json_null());
	for (i = 0; i < m->n; i++)
		if (!only || strcmp(only, m->t[i].name) == 0)
			json_object_set_new(tables, m->t[i].name,
			    table_json(&m->t[i]));
	json_object_set_new(o, "tables", tables);
	s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15));
	tend_buf_adds(out, s);
	tend_buf_addc(out, '\n');
	free(s);
	json_decref(o);
}
