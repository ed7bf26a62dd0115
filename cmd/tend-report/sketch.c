/* sketch.c: the quantile sketch of sketch.h.
 *
 * Bucket mode keeps the counters of buckets offset .. offset + n - 1 in
 * counters[head .. head + n), with room left at both ends so that growing
 * the range at either end is amortised.  Exact mode keeps every value in
 * an array, sorted only when a question needs it (the sort is a cache, so
 * the const functions may do it).
 *
 * A bucket index is ceil(log(v) / log(g)), always computed the same way,
 * so that a value falls into the same bucket in every sketch and merging
 * is exact.  Alphas between 0 and TEND_SKETCH_ALPHA_MIN are refused
 * (from_json says so; tend_sketch_new aborts, as that is a caller's
 * bug): the index range of the durations a double can hold would not fit
 * in memory, and merging partials could fill it (at 1e-4 it is 3.6
 * million counters).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "sketch.h"

struct tend_sketch {
	double alpha;
	double lg;			/* log g, g the bucket ratio */
	uint64_t count;
	double min, max;		/* NAN when count is 0 */
	/* buckets */
	uint64_t zero;			/* values below TEND_SKETCH_MIN */
	int64_t offset;			/* index of counters[head] */
	uint64_t *counters;
	size_t head, n, cap;
	/* exact */
	double *values;
	size_t cap_values;		/* count values held */
	int sorted;
};

static int
alpha_ok(double alpha)
{
	return alpha == 0 || (alpha >= TEND_SKETCH_ALPHA_MIN && alpha < 1);
}

struct tend_sketch *
tend_sketch_new(double alpha)
{
	struct tend_sketch *s;

	if (!alpha_ok(alpha))
		abort();	/* a caller's bug: see the top */
	s = tend_xcalloc(1, sizeof(*s));
	s->alpha = alpha;
	if (alpha > 0)
		s->lg = log1p(2 * alpha / (1 - alpha));
	s->min = s->max = NAN;
	s->sorted = 1;
	return s;
}

void
tend_sketch_free(struct tend_sketch *s)
{
	if (!s)
		return;
	free(s->counters);
	free(s->values);
	free(s);
}

static int64_t
bucket_of(const struct tend_sketch *s, double v)
{
	return (int64_t)ceil(log(v) / s->lg);
}

/* The value answered for bucket k: 2 g^k / (g + 1), which is g^k (1 - a)
 * since g + 1 = 2 / (1 - a). */
static double
bucket_value(const struct tend_sketch *s, int64_t k)
{
	return exp((double)k * s->lg) * (1 - s->alpha);
}

/* Makes the counters cover buckets lo .. hi (lo <= hi), keeping counts. */
static void
cover(struct tend_sketch *s, int64_t lo, int64_t hi)
{
	size_t below, above, want, head;
	uint64_t *c;

	if (s->n > 0) {
		if (lo > s->offset)
			lo = s->offset;
		if (hi < s->offset + (int64_t)s->n - 1)
			hi = s->offset + (int64_t)s->n - 1;
	}
	want = (size_t)(hi - lo) + 1;
	if (s->n == 0) {
		below = 0;
		above = want;
	} else {
		below = (size_t)(s->offset - lo);
		above = (size_t)(hi - (s->offset + (int64_t)s->n - 1));
	}
	if (s->n > 0 && below <= s->head && above <= s->cap - s->head - s->n) {
		s->head -= below;
		s->n = want;
		s->offset = lo;
		return;
	}
	/* a new array with as much room again, half at each end */
	c = tend_xcalloc(want * 2, sizeof(*c));
	head = want / 2;
	if (s->n > 0)
		memcpy(c + head + below, s->counters + s->head,
		    s->n * sizeof(*c));
	free(s->counters);
	s->counters = c;
	s->cap = want * 2;
	s->head = head;
	s->n = want;
	s->offset = lo;
}

static void
add_value(struct tend_sketch *s, double v)
{
	tend_xgrow((void **)&s->values, &s->cap_values, s->count + 1,
	    sizeof(*s->values));
	if (s->count > 0 && v < s->values[s->count - 1])
		s->sorted = 0;
	s->values[s->count] = v;
}

static void
add_bucket(struct tend_sketch *s, double v)
{
	int64_t k;

	if (v < TEND_SKETCH_MIN) {
		s->zero++;
		return;
	}
	k = bucket_of(s, v);
	if (s->n == 0 || k < s->offset || k >= s->offset + (int64_t)s->n)
		cover(s, k, k);
	s->counters[s->head + (size_t)(k - s->offset)]++;
}

void
tend_sketch_add(struct tend_sketch *s, double v)
{
	if (!(v >= 0) || !isfinite(v))
		return;
	if (s->alpha == 0)
		add_value(s, v);
	else
		add_bucket(s, v);
	if (s->count == 0 || v < s->min)
		s->min = v;
	if (s->count == 0 || v > s->max)
		s->max = v;
	s->count++;
}

int
tend_sketch_merge(struct tend_sketch *dst, const struct tend_sketch *src)
{
	uint64_t n = src->count;
	size_t i;

	if (dst->alpha != src->alpha)
		return -1;
	if (n == 0)
		return 0;
	if (dst->alpha == 0) {
		tend_xgrow((void **)&dst->values, &dst->cap_values,
		    dst->count + n, sizeof(*dst->values));
		/* src may be dst: its values are the first n of the array */
		if (n)
			memcpy(dst->values + dst->count, src->values,
			    n * sizeof(*dst->values));
		dst->sorted = 0;
	} else {
		if (src->n > 0)
			cover(dst, src->offset,
			    src->offset + (int64_t)src->n - 1);
		for (i = 0; i < src->n; i++)
			dst->counters[dst->head + (size_t)(src->offset -
			    dst->offset) + i] += src->counters[src->head + i];
		dst->zero += src->zero;
	}
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->count == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->count += n;
	return 0;
}

uint64_t
tend_sketch_count(const struct tend_sketch *s)
{
	return s->count;
}

double
tend_sketch_alpha(const struct tend_sketch *s)
{
	return s->alpha;
}

double
tend_sketch_min(const struct tend_sketch *s)
{
	return s->min;
}

double
tend_sketch_max(const struct tend_sketch *s)
{
	return s->max;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts the values of an exact sketch: a cache, hence the cast. */
static void
sort_values(const struct tend_sketch *cs)
{
	struct tend_sketch *s = (struct tend_sketch *)cs;

	if (!s->sorted && s->count > 1)
		qsort(s->values, s->count, sizeof(*s->values), cmp_double);
	s->sorted = 1;
}

/* The nearest rank ceil(q n), 1..n.  A q n that lies a rounding error
 * above a whole number (0.07 * 100 is 7.000000000000001) is that number:
 * p7 of 100 values is the 7th. */
static uint64_t
nearest_rank(double q, uint64_t n)
{
	double x = q * (double)n;
	double r = ceil(x - x * 1e-12);

	if (!(r >= 1))
		return 1;
	if (r >= (double)n)
		return n;
	return (uint64_t)r;
}

double
tend_sketch_quantile(const struct tend_sketch *s, double q)
{
	uint64_t r, seen;
	double v;
	size_t i;

	if (s->count == 0)
		return NAN;
	r = nearest_rank(q, s->count);
	if (r == 1)
		return s->min;
	if (r == s->count)
		return s->max;
	if (s->alpha == 0) {
		sort_values(s);
		return s->values[r - 1];
	}
	if (r <= s->zero)
		return s->min;
	seen = s->zero;
	for (i = 0; i < s->n; i++) {
		seen += s->counters[s->head + i];
		if (seen >= r)
			break;
	}
	v = bucket_value(s, s->offset + (int64_t)i);
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}

uint64_t
tend_sketch_rank(const struct tend_sketch *s, double t)
{
	uint64_t lo = 0, hi = s->count, mid, seen;
	int64_t k;
	size_t i;

	if (s->count == 0 || !(t >= s->min))	/* NaN too */
		return 0;
	if (t >= s->max)
		return s->count;
	if (s->alpha == 0) {
		sort_values(s);
		while (lo < hi) {	/* the first value above t */
			mid = lo + (hi - lo) / 2;
			if (s->values[mid] <= t)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo;
	}
	seen = s->zero;
	if (t < TEND_SKETCH_MIN)
		return seen;
	k = bucket_of(s, t);
	for (i = 0; i < s->n && s->offset + (int64_t)i <= k; i++)
		seen += s->counters[s->head + i];
	return seen;
}

json_t *
tend_sketch_to_json(const struct tend_sketch *s)
{
	json_t *j = json_object(), *a = json_array();
	size_t i;

	json_object_set_new(j, "alpha", json_real(s->alpha));
	json_object_set_new(j, "count", json_integer((json_int_t)s->count));
	json_object_set_new(j, "min", s->count ? json_real(s->min) :
	    json_null());
	json_object_set_new(j, "max", s->count ? json_real(s->max) :
	    json_null());
	if (s->alpha == 0) {
		sort_values(s);
		for (i = 0; i < s->count; i++)
			json_array_append_new(a, json_real(s->values[i]));
		json_object_set_new(j, "values", a);
		return j;
	}
	for (i = 0; i < s->n; i++)
		json_array_append_new(a,
		    json_integer((json_int_t)s->counters[s->head + i]));
	json_object_set_new(j, "zero", json_integer((json_int_t)s->zero));
	json_object_set_new(j, "offset",
	    json_integer(s->n ? (json_int_t)s->offset : 0));
	json_object_set_new(j, "buckets", a);
	return j;
}


/* Member name of j, a JSON integer >= 0, into *out. */
static int
get_count(const json_t *j, const char *name, uint64_t *out,
    struct tend_error *err)
{
	const json_t *v = json_object_get(j, name);

	if (!v) {
		tend_error_text(err, "sketch: missing \"%s\"", name);
		return -1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		tend_error_text(err, "sketch: \"%s\" is not a count", name);
		return -1;
	}
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* Member name of j, an array, into *out. */
static int
get_array(const json_t *j, const char *name, const json_t **out,
    struct tend_error *err)
{
	*out = json_object_get(j, name);
	if (!*out) {
		tend_error_text(err, "sketch: missing \"%s\"", name);
		return -1;
	}
	if (!json_is_array(*out)) {
		tend_error_text(err, "sketch: \"%s\" is not an array", name);
		return -1;
	}
	return 0;
}

/* "min" and "max": null when empty, else 0 <= min <= max. */
static int
read_range(struct tend_sketch *s, const json_t *j, struct tend_error *err)
{
	const json_t *lo = json_object_get(j, "min");
	const json_t *hi = json_object_get(j, "max");

	if (!lo || !hi) {
		tend_error_text(err,
		    "sketch: missing \"%s\"", lo ? "max" : "min");
		return -1;
	}
	if (s->count == 0) {
		if (!json_is_null(lo) || !json_is_null(hi)) {
			tend_error_text(err,
			    "sketch: \"min\" and \"max\" of an empty "
			    "sketch are not null");
			return -1;
		}
		return 0;
	}
	if (!json_is_number(lo) || !json_is_number(hi)) {
		tend_error_text(err,
		    "sketch: \"min\" or \"max\" is not a number");
		return -1;
	}
	s->min = json_number_value(lo);
	s->max = json_number_value(hi);
	if (!(s->min >= 0 && s->min <= s->max) || !isfinite(s->max)) {
		tend_error_text(err,
		    "sketch: \"min\" %g and \"max\" %g are not a range "
		    "of durations", s->min, s->max);
		return -1;
	}
	return 0;
}

static int
read_values(struct tend_sketch *s, const json_t *j, struct tend_error *err)
{
	const json_t *a, *v;
	size_t i, n;
	double x, prev = 0;

	if (get_array(j, "values", &a, err) < 0)
		return -1;
	n = json_array_size(a);
	if (n != s->count) {
		tend_error_text(err,
		    "sketch: %zu values, not \"count\" %llu", n,
		    (unsigned long long)s->count);
		return -1;
	}
	s->values = tend_xmalloc((n ? n : 1) * sizeof(*s->values));
	s->cap_values = n ? n : 1;
	json_array_foreach(a, i, v) {
		x = json_number_value(v);
		if (!json_is_number(v) || !(x >= prev) || !isfinite(x)) {
			tend_error_text(err,
			    "sketch: value %zu is not a duration in "
			    "ascending order", i + 1);
			return -1;
		}
		s->values[i] = prev = x;
	}
	if (n && (s->values[0] != s->min || s->values[n - 1] != s->max)) {
		tend_error_text(err,
		    "sketch: \"min\" or \"max\" is not the first or last "
		    "value");
		return -1;
	}
	return 0;
}

/* The counters: each a count, none zero at either end, the range within
 * the buckets of the durations a double holds, summing to "count". */
static int
read_buckets(struct tend_sketch *s, const json_t *j, struct tend_error *err)
{
	const json_t *a, *off, *v;
	uint64_t sum, c;
	size_t i, n;

	if (get_count(j, "zero", &s->zero, err) < 0 ||
	    get_array(j, "buckets", &a, err) < 0)
		return -1;
	off = json_object_get(j, "offset");
	if (!json_is_integer(off)) {
		tend_error_text(err,
		    off ? "sketch: \"offset\" is not an integer" :
		    "sketch: missing \"offset\"");
		return -1;
	}
	n = json_array_size(a);
	if (n > TEND_SKETCH_MAX_BUCKETS) {
		tend_error_text(err, "sketch: %zu buckets, more than %d", n,
		    TEND_SKETCH_MAX_BUCKETS);
		return -1;
	}
	if (n > 0 && (json_integer_value(off) < bucket_of(s, TEND_SKETCH_MIN)
	    - 1 || json_integer_value(off) > bucket_of(s, DBL_MAX) + 1 -
	    (json_int_t)n)) {
		tend_error_text(err,
		    "sketch: buckets from %lld are not buckets of "
		    "durations", (long long)json_integer_value(off));
		return -1;
	}
	if (n > 0)
		cover(s, json_integer_value(off),
		    json_integer_value(off) + (int64_t)n - 1);
	sum = s->zero;
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    ((i == 0 || i == n - 1) && json_integer_value(v) == 0)) {
			tend_error_text(err,
			    "sketch: bucket %zu is not a count (nor 0 "
			    "at either end)", i + 1);
			return -1;
		}
		c = (uint64_t)json_integer_value(v);
		s->counters[s->head + i] = c;
		if (sum + c < sum) {
			tend_error_text(err, "sketch: the counts overflow");
			return -1;
		}
		sum += c;
	}
	if (sum != s->count) {
		tend_error_text(err,
		    "sketch: the counts add up to %llu, not \"count\" "
		    "%llu", (unsigned long long)sum,
		    (unsigned long long)s->count);
		return -1;
	}
	if ((s->zero > 0) != (s->count > 0 && s->min < TEND_SKETCH_MIN) ||
	    (n > 0) != (s->count > 0 && s->max >= TEND_SKETCH_MIN)) {
		tend_error_text(err,
		    "sketch: \"min\" or \"max\" disagrees with the "
		    "counts");
		return -1;
	}
	return 0;
}

struct tend_sketch *
tend_sketch_from_json(const json_t *j, struct tend_error *err)
{
	struct tend_sketch *s;
	const json_t *a;
	uint64_t count;
	double alpha;

	if (!json_is_object(j)) {
		tend_error_text(err, "sketch: not an object");
		return NULL;
	}
	a = json_object_get(j, "alpha");
	alpha = json_number_value(a);
	if (!json_is_number(a) || !alpha_ok(alpha)) {
		tend_error_text(err,
		    a ? "sketch: \"alpha\" is not 0 or in [%g, 1)" :
		    "sketch: missing \"alpha\"", TEND_SKETCH_ALPHA_MIN);
		return NULL;
	}
	if (get_count(j, "count", &count, err) < 0)
		return NULL;
	s = tend_sketch_new(alpha);
	s->count = count;
	if (read_range(s, j, err) < 0 || (alpha == 0 ?
	    read_values(s, j, err) : read_buckets(s, j, err)) < 0) {
		tend_sketch_free(s);
		return NULL;
	}
	if (count == 0)
		s->min = s->max = NAN;
	return s;
}
