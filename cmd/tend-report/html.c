/* html.c: the report as one self-contained page (tend-report(1)): inline
 * CSS, inline SVG charts, no script, nothing loaded from anywhere (a
 * Content-Security-Policy says so to the browser too), and every string
 * from the records escaped. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define CHART_W 720
#define CHART_H 180
#define PAD_L 48
#define PAD_B 24
#define PAD_T 12

static const char style[] =
"body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;"
"padding:0 1em;color:#1d2430;background:#fff}"
"h1{font-size:1.6em}h2{font-size:1.15em;margin-top:2em}"
"table{border-collapse:collapse;margin:.5em 0}"
"th,td{padding:.2em .6em;border-bottom:1px solid #dde2ea;text-align:left;"
"vertical-align:top}td.n,th.n{text-align:right;"
"font-variant-numeric:tabular-nums}"
"p.note{color:#5a6472;font-size:.9em}td.t{max-width:28em;"
"overflow-wrap:anywhere}"
"figure{margin:1em 0}figcaption{color:#5a6472;font-size:.9em}"
"svg text{font:11px system-ui,sans-serif;fill:#5a6472}"
".in{fill:#2f6fde}.out{fill:#9bbcf2}.bar{fill:#2f6fde}.bad{fill:#d9534f}"
".line{fill:none;stroke:#2f6fde;stroke-width:2}"
".axis{stroke:#aab3c0;stroke-width:1}.mark{stroke:#d9534f;"
"stroke-width:1.5;stroke-dasharray:4 3}";

void
rep_add_html(struct tend_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			tend_buf_adds(out, "&amp;");
			break;
		case '<':
			tend_buf_adds(out, "&lt;");
			break;
		case '>':
			tend_buf_adds(out, "&gt;");
			break;
		case '"':
			tend_buf_adds(out, "&quot;");
			break;
		case '\'':
			tend_buf_adds(out, "&#39;");
			break;
		default:
			tend_buf_addc(out, s[i]);
		}
	}
}

static void
add_htmls(struct tend_buf *out, const char *s)
{
	rep_add_html(out, s, strlen(s));
}

static const json_t *
cell(const struct rep_table *t, size_t row, size_t col)
{
	return json_array_get(json_array_get(t->rows, row), col);
}

static double
num(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void
svg_open(struct tend_buf *out, const char *title)
{
	tend_buf_printf(out, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
	    "<title>", CHART_W, CHART_H, CHART_W, CHART_H);
	add_htmls(out, title);
	tend_buf_adds(out, "</title>");
	tend_buf_printf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" "
	    "x2=\"%d\" y2=\"%d\"/>", PAD_L, CHART_H - PAD_B, CHART_W,
	    CHART_H - PAD_B);
}

static void
svg_close(struct tend_buf *out, const char *caption)
{
	tend_buf_adds(out, "</svg><figcaption>");
	add_htmls(out, caption);
	tend_buf_adds(out, "</figcaption></figure>\n");
}

static void
svg_label(struct tend_buf *out, double x, double y, const char *anchor,
    const char *text)
{
	tend_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
	    x, y, anchor);
	add_htmls(out, text);
	tend_buf_adds(out, "</text>");
}

/* Inbound and replies per bucket, side by side. */
static void
volume_chart(struct tend_buf *out, const struct rep_table *t,
    const struct rep_agg *agg)
{
	size_t n = json_array_size(t->rows), i;
	double max = 1, h = CHART_H - PAD_B - PAD_T, bw, x, v;
	struct tend_buf lab = TEND_BUF_INIT;
	char top[32];

	if (!n)
		return;
	for (i = 0; i < n; i++) {
		if (num(cell(t, i, 1)) > max)
			max = num(cell(t, i, 1));
		if (num(cell(t, i, 2)) > max)
			max = num(cell(t, i, 2));
	}
	svg_open(out, t->title);
	bw = (double)(CHART_W - PAD_L) / (double)n;
	for (i = 0; i < n; i++) {
		x = PAD_L + bw * (double)i;
		v = num(cell(t, i, 1));
		tend_buf_printf(out, "<rect class=\"in\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"/>", x + bw * 0.1,
		    PAD_T + h - h * v / max, bw * 0.4, h * v / max);
		v = num(cell(t, i, 2));
		tend_buf_printf(out, "<rect class=\"out\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"/>", x + bw * 0.5,
		    PAD_T + h - h * v / max, bw * 0.4, h * v / max);
	}
	snprintf(top, sizeof(top), "%.0f", max);
	svg_label(out, PAD_L - 4, PAD_T + 10, "end", top);
	for (i = 0; i < n; i += (n + 5) / 6) {
		tend_buf_reset(&lab);
		rep_format_local(&lab, agg, json_integer_value(cell(t, i, 0)));
		svg_label(out, PAD_L + bw * (double)i, CHART_H - 6, "start",
		    lab.data);
	}
	tend_buf_release(&lab);
	svg_close(out, "customer posts (dark) and our replies (light) per "
	    "bucket");
}

/* log10 scale from 1 second to max. */
static double
log_x(double v, double max)
{
	double w = CHART_W - PAD_L - 10;

	if (v < 1)
		v = 1;
	return PAD_L + w * log10(v) / log10(max);
}

static void
distribution_chart(struct tend_buf *out, const struct rep_table *t,
    const struct rep_table *resp)
{
	size_t n = json_array_size(t->rows), i;
	double max = 1, lmax, h = CHART_H - PAD_B - PAD_T, x0, x1, v;
	static const char *const names[] = { "p50", "p90", "p99" };
	static const size_t cols[] = { 2, 3, 5 };
	struct tend_buf lab = TEND_BUF_INIT;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		if (num(cell(t, i, 2)) > max)
			max = num(cell(t, i, 2));
	lmax = num(cell(t, n - 1, 0)) * 2;
	if (num(cell(resp, 0, 6)) > lmax)
		lmax = num(cell(resp, 0, 6)) * 1.2;
	svg_open(out, t->title);
	for (i = 0; i < n; i++) {
		v = num(cell(t, i, 2));
		x0 = log_x(num(cell(t, i, 0)), lmax);
		x1 = i + 1 < n ? log_x(num(cell(t, i, 1)), lmax) :
		    log_x(lmax, lmax);
		tend_buf_printf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"%.1f\"/>", x0 + 1,
		    PAD_T + h - h * v / max, x1 - x0 - 2 > 0 ? x1 - x0 - 2 : 0,
		    h * v / max);
		tend_buf_reset(&lab);
		rep_add_duration(&lab, num(cell(t, i, 0)));
		if (i % 2 == 0)
			svg_label(out, x0, CHART_H - 6, "start", lab.data);
	}
	for (i = 0; i < 3; i++) {
		v = num(cell(resp, 0, cols[i]));
		if (isnan(v))
			continue;
		x0 = log_x(v, lmax);
		tend_buf_printf(out, "<line class=\"mark\" x1=\"%.1f\" "
		    "y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", x0, PAD_T, x0,
		    CHART_H - PAD_B);
		tend_buf_reset(&lab);
		tend_buf_printf(&lab, "%s ", names[i]);
		rep_add_duration(&lab, v);
		svg_label(out, x0 + 3, PAD_T + 10 + 12 * (double)i, "start",
		    lab.data);
	}
	tend_buf_release(&lab);
	svg_close(out, "customer posts by time to first response (wall, "
	    "logarithmic scale), with the percentiles marked");
}

/* Attainment (met / (met + breached)) of "all" and each channel. */
static void
sla_chart(struct tend_buf *out, const struct rep_table *t)
{
	size_t n = json_array_size(t->rows), i, k = 0;
	double y, v, w = CHART_W - 160;
	char pct[32];

	for (i = 0; i < n; i++)
		k += (strcmp(json_string_value(cell(t, i, 0)), "channel") == 0 ||
		    i == 0) && !isnan(num(cell(t, i, 7)));
	if (!k)
		return;
	tend_buf_printf(out, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\""
	    " role=\"img\" width=\"%d\" height=\"%zu\" viewBox=\"0 0 %d %zu\">"
	    "<title>SLA attainment per channel</title>", CHART_W, 22 * k + 8,
	    CHART_W, 22 * k + 8);
	for (i = 0, y = 4; i < n; i++) {
		if ((i && strcmp(json_string_value(cell(t, i, 0)),
		    "channel") != 0) || isnan(v = num(cell(t, i, 7))))
			continue;
		svg_label(out, 110, y + 13, "end",
		    json_string_value(cell(t, i, 1)));
		tend_buf_printf(out, "<rect class=\"%s\" x=\"116\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"16\"/>", v < 90 ? "bad" : "bar", y,
		    w * v / 100);
		snprintf(pct, sizeof(pct), "%.1f%%", v);
		svg_label(out, 120 + w * v / 100, y + 13, "start", pct);
		y += 22;
	}
	svg_close(out, "SLA attainment, met / (met + breached), per channel; "
	    "red below 90%");
}

/* Mean sentiment per bucket, -1 to 1. */
static void
sentiment_chart(struct tend_buf *out, const struct rep_table *t)
{
	size_t n = json_array_size(t->rows), i, k = 0;
	double h = CHART_H - PAD_B - PAD_T, bw, v;

	for (i = 0; i < n; i++)
		k += !isnan(num(cell(t, i, 4)));
	if (!k)
		return;
	svg_open(out, "Sentiment trend");
	bw = (double)(CHART_W - PAD_L) / (double)n;
	tend_buf_printf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" "
	    "x2=\"%d\" y2=\"%.1f\"/>", PAD_L, PAD_T + h / 2, CHART_W,
	    PAD_T + h / 2);
	svg_label(out, PAD_L - 4, PAD_T + 10, "end", "+1");
	svg_label(out, PAD_L - 4, PAD_T + h / 2 + 4, "end", "0");
	svg_label(out, PAD_L - 4, PAD_T + h, "end", "-1");
	tend_buf_adds(out, "<polyline class=\"line\" points=\"");
	for (i = 0; i < n; i++)
		if (!isnan(v = num(cell(t, i, 4))))
			tend_buf_printf(out, "%.1f,%.1f ", PAD_L + bw *
			    ((double)i + 0.5), PAD_T + h / 2 - h / 2 * v);
	tend_buf_adds(out, "\"/>");
	svg_close(out, "mean sentiment score of customer posts per bucket");
}

static void
html_table(struct tend_buf *out, const struct rep_table *t,
    const struct rep_agg *agg)
{
	struct tend_buf b = TEND_BUF_INIT;
	size_t r, c;

	tend_buf_printf(out, "<h2 id=\"%s\">", t->name);
	add_htmls(out, t->title);
	tend_buf_adds(out, "</h2>\n");
	if (!json_array_size(t->rows)) {
		tend_buf_adds(out, "<p class=\"note\">none</p>\n");
	} else {
		tend_buf_adds(out, "<table><thead><tr>");
		for (c = 0; c < t->ncols; c++) {
			tend_buf_adds(out, t->cols[c].type == REP_STR ||
			    t->cols[c].type == REP_TIME ? "<th>" :
			    "<th class=\"n\">");
			add_htmls(out, t->cols[c].head);
			tend_buf_adds(out, "</th>");
		}
		tend_buf_adds(out, "</tr></thead><tbody>\n");
		for (r = 0; r < json_array_size(t->rows); r++) {
			tend_buf_adds(out, "<tr>");
			for (c = 0; c < t->ncols; c++) {
				enum rep_col_type ty = t->cols[c].type;

				tend_buf_adds(out, ty == REP_TIME ? "<td>" :
				    ty != REP_STR ? "<td class=\"n\">" :
				    strcmp(t->cols[c].key, "text") == 0 ?
				    "<td class=\"t\">" : "<td>");
				tend_buf_reset(&b);
				rep_format_cell(&b, cell(t, r, c), ty, agg);
				rep_add_html(out, b.data, b.len);
				tend_buf_adds(out, "</td>");
			}
			tend_buf_adds(out, "</tr>\n");
		}
		tend_buf_adds(out, "</tbody></table>\n");
	}
	if (t->note) {
		tend_buf_adds(out, "<p class=\"note\">");
		add_htmls(out, t->note);
		tend_buf_adds(out, "</p>\n");
	}
	tend_buf_release(&b);
}

void
rep_render_html(struct tend_buf *out, const struct rep_model *m,
    const struct rep_agg *agg)
{
	struct tend_buf b = TEND_BUF_INIT;
	size_t i;

	tend_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-"
	    "Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'"
	    "\">\n<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>tend report</title>\n<style>");
	tend_buf_adds(out, style);
	tend_buf_adds(out, "</style></head>\n<body>\n<h1>tend report</h1>\n"
	    "<p>");
	rep_format_local(&b, agg, agg->shape.now);
	tend_buf_printf(&b, " (%s): %llu record%s", agg->shape.zone,
	    (unsigned long long)agg->records, agg->records == 1 ? "" : "s");
	if (agg->first <= agg->last) {
		tend_buf_adds(&b, " from ");
		rep_format_local(&b, agg, agg->first);
		tend_buf_adds(&b, " to ");
		rep_format_local(&b, agg, agg->last);
	}
	tend_buf_adds(out, "At ");
	rep_add_html(out, b.data, b.len);
	tend_buf_adds(out, ".</p>\n");
	volume_chart(out, rep_model_table(m, "volume"), agg);
	distribution_chart(out, rep_model_table(m, "distribution"),
	    rep_model_table(m, "response"));
	sla_chart(out, rep_model_table(m, "sla"));
	sentiment_chart(out, rep_model_table(m, "volume"));
	for (i = 0; i < m->n; i++)
		html_table(out, &m->t[i], agg);
	tend_buf_adds(out, "</body></html>\n");
	tend_buf_release(&b);
}
