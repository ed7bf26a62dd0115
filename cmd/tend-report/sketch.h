/* sketch.h: a mergeable quantile sketch for durations (tend-report(1)).
 *
 * Values (seconds, >= 0) fall into logarithmic buckets: bucket k holds the
 * values in (g^(k-1), g^k] with g = (1 + a) / (1 - a), and a quantile is
 * answered with the bucket's midpoint 2 g^k / (g + 1), which is within a
 * relative error a of every value in the bucket.  Zero (and anything below
 * TEND_SKETCH_MIN) is counted apart.  Memory is one counter per bucket
 * between the smallest and largest value seen: about 1,300 counters for a
 * millisecond to three years at a = 0.01, whatever the number of values.
 *
 * Two sketches with the same a merge by adding their counters, so the merge
 * of the sketches of the parts of a stream is the sketch of the whole, in
 * any order and grouping (merge is associative and commutative, exactly).
 *
 * a = 0 makes an exact sketch instead: it keeps every value and answers
 * with the value itself (memory grows with the input; tend report --exact).
 *
 * Quantiles are by nearest rank: q is the value of rank ceil(q n) among the
 * n values in ascending order (rank 1 for q = 0), so p50 of 1, 2, 3, 4 is
 * 2, and q = 1 is the maximum.  min, max and count are always exact.
 */
#ifndef TEND_REPORT_SKETCH_H
#define TEND_REPORT_SKETCH_H

#include <stdint.h>

#include <jansson.h>

#include "error.h"

#define TEND_SKETCH_ALPHA 0.01	/* the default relative error */
#define TEND_SKETCH_MIN 1e-3	/* values below count as zero */

struct tend_sketch;

/* A new empty sketch with relative error alpha: 0 (exact), or from
 * TEND_SKETCH_ALPHA_MIN to below 1 (a smaller one would need millions of
 * buckets; passing one is a caller's bug and aborts).  Never NULL (out of
 * memory exits). */
#define TEND_SKETCH_ALPHA_MIN 1e-4
struct tend_sketch *tend_sketch_new(double alpha);
void tend_sketch_free(struct tend_sketch *s);

/* Counts value v (negative and NaN values are ignored: callers never
 * pass them). */
void tend_sketch_add(struct tend_sketch *s, double v);

/* Adds src's values to dst.  Returns 0, or -1 when their alphas differ
 * (dst unchanged). */
int tend_sketch_merge(struct tend_sketch *dst, const struct tend_sketch *src);

uint64_t tend_sketch_count(const struct tend_sketch *s);
double tend_sketch_alpha(const struct tend_sketch *s);
/* The exact smallest and largest values; NAN when empty. */
double tend_sketch_min(const struct tend_sketch *s);
double tend_sketch_max(const struct tend_sketch *s);

/* The q-quantile (0 <= q <= 1) by nearest rank, within alpha relative
 * error, clamped to [min, max]; NAN when empty. */
double tend_sketch_quantile(const struct tend_sketch *s, double q);

/* How many values are <= t: exact for an exact sketch; otherwise counts
 * whole buckets up to the one holding t, so it may include values up to
 * the top of that bucket, t g = t (1 + a) / (1 - a), about t (1 + 2a) --
 * callers that need an exact "answered within T" count it themselves. */
uint64_t tend_sketch_rank(const struct tend_sketch *s, double t);

/* The sketch as a JSON object (a new reference), for report partials:
 *	{"alpha":0.01,"count":N,"min":X,"max":X,"zero":N,
 *	 "offset":K,"buckets":[N,...]}
 * with "values":[X,...] (ascending) in place of the buckets when exact.
 * Numbers are written so that reading them back gives the same doubles. */
json_t *tend_sketch_to_json(const struct tend_sketch *s);

/* Reads what tend_sketch_to_json() wrote.  Returns a new sketch, or NULL
 * with err->text set (err->file and err->line left to the caller) when j
 * is not such an object: a missing or mistyped member, negative counts,
 * counts that do not add up to "count", a bucket range too large (more
 * than TEND_SKETCH_MAX_BUCKETS). */
#define TEND_SKETCH_MAX_BUCKETS 100000
struct tend_sketch *tend_sketch_from_json(const json_t *j,
    struct tend_error *err);

#endif
