/* fuzz_report_sketch.c: libFuzzer harness for the partial readers of
 * tend-report's sketches (cmd/tend-report/sketch.h, topk.h), linked with
 * tend-report's files but main.c.
 *
 * The input is parsed as JSON and given to both tend_sketch_from_json()
 * and tend_topk_from_json().  A refusal must say why.  Whatever is
 * accepted must round-trip: written with to_json, dumped as text (doubles
 * as %.17g), loaded and read back, it is accepted again and is the same
 * (equal JSON, the same count, min, max, quantiles and ranks bit for bit,
 * the same list).  It must also answer questions and merge (with itself
 * and with a small fixed summary) without crashing or breaking its
 * invariants.
 *
 *	make fuzz-bin/fuzz_report_sketch && fuzz-bin/fuzz_report_sketch CORPUS
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "sketch.h"
#include "topk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const double qs[] = { 0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1 };
#define NQ (sizeof(qs) / sizeof(qs[0]))

/* j written as text and parsed again, as a partial file is. */
static json_t *
through_text(const json_t *j)
{
	json_error_t jerr;
	json_t *back;
	char *text = json_dumps(j, JSON_COMPACT);

	if (!text)
		abort();
	back = json_loads(text, 0, &jerr);
	if (!back)
		abort();
	free(text);
	return back;
}

static int
same_double(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void
same_sketch(const struct tend_sketch *a, const struct tend_sketch *b)
{
	size_t i;

	if (tend_sketch_count(a) != tend_sketch_count(b) ||
	    !same_double(tend_sketch_alpha(a), tend_sketch_alpha(b)) ||
	    !same_double(tend_sketch_min(a), tend_sketch_min(b)) ||
	    !same_double(tend_sketch_max(a), tend_sketch_max(b)))
		abort();
	for (i = 0; i < NQ; i++)
		if (!same_double(tend_sketch_quantile(a, qs[i]),
		    tend_sketch_quantile(b, qs[i])))
			abort();
	if (tend_sketch_rank(a, 60) != tend_sketch_rank(b, 60))
		abort();
}

/* Merging s twice into a copy of a fixed sketch: the count adds up and
 * the quantiles stay within [min, max]. */
static void
merge_sketch(const struct tend_sketch *s)
{
	struct tend_sketch *m = tend_sketch_new(tend_sketch_alpha(s));
	uint64_t n = tend_sketch_count(s);
	double q, lo, hi;
	size_t i;

	tend_sketch_add(m, 0);
	tend_sketch_add(m, 42);
	if (tend_sketch_merge(m, s) < 0 || tend_sketch_merge(m, m) < 0)
		abort();
	if (tend_sketch_count(m) != 2 * (n + 2))
		abort();
	lo = tend_sketch_min(m);
	hi = tend_sketch_max(m);
	for (i = 0; i < NQ; i++) {
		q = tend_sketch_quantile(m, qs[i]);
		if (!(q >= lo && q <= hi))
			abort();
	}
	if (tend_sketch_rank(m, hi) != tend_sketch_count(m))
		abort();
	tend_sketch_free(m);
}

static void
check_sketch(const json_t *j)
{
	struct tend_sketch *s, *r;
	struct tend_error err;
	json_t *out, *back, *again;

	memset(&err, 0, sizeof(err));
	s = tend_sketch_from_json(j, &err);
	if (!s) {
		if (!err.text[0])
			abort();
		return;
	}
	out = tend_sketch_to_json(s);
	back = through_text(out);
	r = tend_sketch_from_json(back, &err);
	if (!r)
		abort();
	again = tend_sketch_to_json(r);
	if (!json_equal(out, again))
		abort();
	same_sketch(s, r);
	merge_sketch(s);
	json_decref(out);
	json_decref(back);
	json_decref(again);
	tend_sketch_free(s);
	tend_sketch_free(r);
}

static void
same_list(const struct tend_topk *a, const struct tend_topk *b)
{
	struct tend_topk_item *ia, *ib;
	size_t n, i;

	n = tend_topk_list(a, &ia);
	if (tend_topk_list(b, &ib) != n ||
	    tend_topk_total(a) != tend_topk_total(b))
		abort();
	for (i = 0; i < n; i++) {
		if (strcmp(ia[i].key, ib[i].key) != 0 ||
		    ia[i].count != ib[i].count || ia[i].error != ib[i].error ||
		    ia[i].error > ia[i].count)
			abort();
		if (i > 0 && (ia[i].count > ia[i - 1].count))
			abort();
	}
	free(ia);
	free(ib);
}

/* Merged with itself and with a small summary, then counting on. */
static void
use_topk(struct tend_topk *t)
{
	struct tend_topk *other = tend_topk_new(3);
	struct tend_topk_item *items;
	uint64_t total = tend_topk_total(t);
	size_t n, i;

	tend_topk_add(other, "#outage", 7, 5);
	tend_topk_add(other, "refund", 6, 2);
	tend_topk_merge(t, t);
	tend_topk_merge(t, other);
	tend_topk_add(t, "late", 4, 1);
	tend_topk_add(t, "\xff", 1, 1);
	n = tend_topk_list(t, &items);
	for (i = 0; i < n; i++)
		if (items[i].error > items[i].count ||
		    (i > 0 && items[i].count > items[i - 1].count))
			abort();
	free(items);
	if (total < INT64_MAX / 4 && tend_topk_total(t) != 2 * total + 9)
		abort();
	tend_topk_free(other);
}

static void
check_topk(const json_t *j)
{
	struct tend_topk *t, *r;
	struct tend_error err;
	json_t *out, *back, *again;

	memset(&err, 0, sizeof(err));
	t = tend_topk_from_json(j, &err);
	if (!t) {
		if (!err.text[0])
			abort();
		return;
	}
	out = tend_topk_to_json(t);
	back = through_text(out);
	r = tend_topk_from_json(back, &err);
	if (!r)
		abort();
	again = tend_topk_to_json(r);
	if (!json_equal(out, again))
		abort();
	same_list(t, r);
	use_topk(t);
	json_decref(out);
	json_decref(back);
	json_decref(again);
	tend_topk_free(t);
	tend_topk_free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *j;

	j = json_loadb((const char *)data, size, 0, &jerr);
	if (!j)
		return 0;
	check_sketch(j);
	check_topk(j);
	json_decref(j);
	return 0;
}
