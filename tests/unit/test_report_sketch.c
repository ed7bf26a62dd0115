/* test_report_sketch.c: the quantile sketch of tend-report
 * (cmd/tend-report/sketch.h).
 *
 * Every quantile is checked against the exact nearest-rank value of the
 * same values, sorted here: the value of rank ceil(q n) (rank 1 for
 * q = 0), with q = k / 1000 and the rank worked out in integers, so that
 * the sketch's own rank arithmetic is checked too.  The streams come from
 * a fixed-seed generator (splitmix64), so every run sees the same values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "sketch.h"

#define ALPHA	TEND_SKETCH_ALPHA
#define N	20000

/* Per mille: the quantiles checked on every stream. */
static const unsigned qs[] = {
	0, 1, 10, 50, 100, 250, 333, 500, 667, 750, 900, 950, 990, 999, 1000
};
#define NQ (sizeof(qs) / sizeof(qs[0]))

static uint64_t seed;

static uint64_t
next64(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double
uniform(void)
{
	return (double)(next64() >> 11) * 0x1p-53;
}

static double
normal(void)
{
	double u = uniform(), v = uniform();

	return sqrt(-2 * log1p(-u)) * cos(2 * M_PI * v);
}

enum dist { UNIFORM, EXPONENTIAL, LOGNORMAL, SPAN, ZEROS, SINGLE };

/* Fills v[0..n) from distribution d (seconds). */
static void
draw(double *v, size_t n, enum dist d)
{
	size_t i;

	seed = 42 + d;
	for (i = 0; i < n; i++) {
		switch (d) {
		case UNIFORM:		/* 0 .. 1 h */
			v[i] = uniform() * 3600;
			break;
		case EXPONENTIAL:	/* mean 5 min */
			v[i] = -300 * log1p(-uniform());
			break;
		case LOGNORMAL:		/* median 2.5 min, heavy tail */
			v[i] = exp(5 + 2 * normal());
			break;
		case SPAN:		/* 1 ms .. 1e8 s, log-uniform */
			v[i] = pow(10, -3 + 11 * uniform());
			break;
		case ZEROS:		/* 70% zeros, the rest about 1 min */
			v[i] = uniform() < 0.7 ? 0 : -60 * log1p(-uniform());
			break;
		case SINGLE:
			v[i] = 42.5;
			break;
		}
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The exact value of rank ceil(k n / 1000) of sorted[0..n). */
static double
exact_quantile(const double *sorted, size_t n, unsigned k)
{
	size_t r = ((size_t)k * n + 999) / 1000;

	return sorted[r ? r - 1 : 0];
}

static struct tend_sketch *
sketch_of(const double *v, size_t n, double alpha)
{
	struct tend_sketch *s = tend_sketch_new(alpha);
	size_t i;

	for (i = 0; i < n; i++)
		tend_sketch_add(s, v[i]);
	return s;
}

/* Checks every quantile of s against the sorted values within alpha. */
static void
check_quantiles(const struct tend_sketch *s, const double *sorted, size_t n,
    double alpha)
{
	double want, got;
	size_t i;

	assert_int_equal(tend_sketch_count(s), n);
	assert_true(tend_sketch_min(s) == sorted[0]);
	assert_true(tend_sketch_max(s) == sorted[n - 1]);
	for (i = 0; i < NQ; i++) {
		want = exact_quantile(sorted, n, qs[i]);
		got = tend_sketch_quantile(s, qs[i] / 1000.0);
		if ((qs[i] == 0 || qs[i] == 1000) && got != want)
			fail_msg("q %u: %.17g, want exactly %.17g", qs[i], got,
			    want);
		if (want < TEND_SKETCH_MIN) {
			if (got != sorted[0])
				fail_msg("q %u: %.17g, want the minimum %.17g",
				    qs[i], got, sorted[0]);
			continue;
		}
		if (fabs(got - want) > alpha * want * (1 + 1e-9))
			fail_msg("q %u/1000: %.17g, want %.17g within %g "
			    "(error %g)", qs[i], got, want, alpha,
			    fabs(got - want) / want);
	}
}

static void
check_dist(enum dist d)
{
	double *v = malloc(N * sizeof(*v));
	struct tend_sketch *s, *e;

	assert_non_null(v);
	draw(v, N, d);
	s = sketch_of(v, N, ALPHA);
	e = sketch_of(v, N, 0);
	qsort(v, N, sizeof(*v), cmp_double);
	check_quantiles(s, v, N, ALPHA);
	check_quantiles(e, v, N, 0);	/* exact: no error at all */
	tend_sketch_free(s);
	tend_sketch_free(e);
	free(v);
}

static void
test_uniform(void **state)
{
	(void)state;
	check_dist(UNIFORM);
}

static void
test_exponential(void **state)
{
	(void)state;
	check_dist(EXPONENTIAL);
}

static void
test_lognormal(void **state)
{
	(void)state;
	check_dist(LOGNORMAL);
}

static void
test_span(void **state)
{
	(void)state;
	check_dist(SPAN);
}

static void
test_zeros(void **state)
{
	(void)state;
	check_dist(ZEROS);
}

static void
test_single(void **state)
{
	struct tend_sketch *s = tend_sketch_new(ALPHA);

	(void)state;
	check_dist(SINGLE);
	/* one value: every quantile is that value, exactly */
	tend_sketch_add(s, 1234.5);
	assert_true(tend_sketch_quantile(s, 0) == 1234.5);
	assert_true(tend_sketch_quantile(s, 0.5) == 1234.5);
	assert_true(tend_sketch_quantile(s, 1) == 1234.5);
	assert_int_equal(tend_sketch_rank(s, 1234.4), 0);
	assert_int_equal(tend_sketch_rank(s, 1234.5), 1);
	tend_sketch_free(s);
}

static void
test_other_alphas(void **state)
{
	static const double alphas[] = { 0.001, 0.05, 0.2 };
	double *v = malloc(N * sizeof(*v));
	struct tend_sketch *s;
	size_t i;

	(void)state;
	assert_non_null(v);
	draw(v, N, LOGNORMAL);
	qsort(v, N, sizeof(*v), cmp_double);
	for (i = 0; i < 3; i++) {
		s = sketch_of(v, N, alphas[i]);
		check_quantiles(s, v, N, alphas[i]);
		tend_sketch_free(s);
	}
	free(v);
}

/* The header's examples: nearest rank, q = 0 the minimum, q = 1 the
 * maximum. */
static void
test_nearest_rank(void **state)
{
	struct tend_sketch *e = tend_sketch_new(0);
	struct tend_sketch *s = tend_sketch_new(ALPHA);
	int i;

	(void)state;
	for (i = 4; i >= 1; i--)	/* unsorted on purpose */
		tend_sketch_add(e, i);
	assert_true(tend_sketch_quantile(e, 0.5) == 2);
	assert_true(tend_sketch_quantile(e, 0) == 1);
	assert_true(tend_sketch_quantile(e, 0.25) == 1);
	assert_true(tend_sketch_quantile(e, 0.26) == 2);
	assert_true(tend_sketch_quantile(e, 0.75) == 3);
	assert_true(tend_sketch_quantile(e, 1) == 4);
	tend_sketch_free(e);
	e = tend_sketch_new(0);
	for (i = 1; i <= 100; i++) {
		tend_sketch_add(e, i);
		tend_sketch_add(s, i);
	}
	/* 0.07 * 100 is 7.000000000000001 in doubles: still rank 7 */
	assert_true(tend_sketch_quantile(e, 0.07) == 7);
	assert_true(tend_sketch_quantile(e, 0.95) == 95);
	assert_true(tend_sketch_quantile(e, 0.99) == 99);
	assert_true(tend_sketch_quantile(e, 0.995) == 100);
	/* the sketch: 7 within 1%, and the ends exact */
	assert_true(fabs(tend_sketch_quantile(s, 0.07) - 7) <= 0.07);
	assert_true(tend_sketch_quantile(s, 0) == 1);
	assert_true(tend_sketch_quantile(s, 1) == 100);
	tend_sketch_free(e);
	tend_sketch_free(s);
}

static void
test_empty(void **state)
{
	struct tend_sketch *s = tend_sketch_new(ALPHA);
	struct tend_sketch *e = tend_sketch_new(0);

	(void)state;
	assert_int_equal(tend_sketch_count(s), 0);
	assert_true(isnan(tend_sketch_min(s)));
	assert_true(isnan(tend_sketch_max(s)));
	assert_true(isnan(tend_sketch_quantile(s, 0.5)));
	assert_true(isnan(tend_sketch_quantile(e, 0.5)));
	assert_int_equal(tend_sketch_rank(s, 10), 0);
	assert_int_equal(tend_sketch_rank(e, 10), 0);
	assert_true(tend_sketch_alpha(s) == ALPHA);
	assert_true(tend_sketch_alpha(e) == 0);
	/* what callers never pass is ignored */
	tend_sketch_add(s, -1);
	tend_sketch_add(s, NAN);
	tend_sketch_add(s, INFINITY);
	tend_sketch_add(e, -0.5);
	assert_int_equal(tend_sketch_count(s), 0);
	assert_int_equal(tend_sketch_count(e), 0);
	tend_sketch_free(s);
	tend_sketch_free(e);
	tend_sketch_free(NULL);
}

/* Values below TEND_SKETCH_MIN count as zero, but min stays exact. */
static void
test_tiny_values(void **state)
{
	struct tend_sketch *s = tend_sketch_new(ALPHA);

	(void)state;
	tend_sketch_add(s, 0.0004);
	tend_sketch_add(s, 0.0002);
	tend_sketch_add(s, 0.0009);
	tend_sketch_add(s, 5);
	assert_true(tend_sketch_min(s) == 0.0002);
	assert_true(tend_sketch_quantile(s, 0.5) == 0.0002);
	assert_true(tend_sketch_quantile(s, 0.75) == 0.0002);
	assert_true(tend_sketch_quantile(s, 1) == 5);
	assert_int_equal(tend_sketch_rank(s, 0.0005), 3);
	assert_int_equal(tend_sketch_rank(s, 4), 3);
	assert_int_equal(tend_sketch_rank(s, 5), 4);
	tend_sketch_free(s);
}

/* rank(t) counts at least the values <= t and at most those <= t g, the
 * top of t's bucket (g = (1 + a) / (1 - a)); exact sketches exactly. */
static void
test_rank(void **state)
{
	static const double ts[] = { 0.5, 1, 30, 59.9, 60, 300, 3600, 1e5 };
	double *v = malloc(N * sizeof(*v));
	double g = (1 + ALPHA) / (1 - ALPHA);
	struct tend_sketch *s, *e;
	uint64_t lo, hi, r;
	size_t i, j;

	(void)state;
	assert_non_null(v);
	draw(v, N, LOGNORMAL);
	s = sketch_of(v, N, ALPHA);
	e = sketch_of(v, N, 0);
	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		lo = hi = 0;
		for (j = 0; j < N; j++) {
			lo += v[j] <= ts[i];
			hi += v[j] <= ts[i] * g * (1 + 1e-12);
		}
		r = tend_sketch_rank(s, ts[i]);
		if (r < lo || r > hi)
			fail_msg("rank(%g) %llu, want %llu..%llu", ts[i],
			    (unsigned long long)r, (unsigned long long)lo,
			    (unsigned long long)hi);
		assert_int_equal(tend_sketch_rank(e, ts[i]), lo);
	}
	assert_int_equal(tend_sketch_rank(s, -1), 0);
	assert_int_equal(tend_sketch_rank(s, NAN), 0);
	assert_int_equal(tend_sketch_rank(e, NAN), 0);
	assert_int_equal(tend_sketch_rank(s, 1e300), N);
	assert_int_equal(tend_sketch_rank(s, INFINITY), N);
	tend_sketch_free(s);
	tend_sketch_free(e);
	free(v);
}

/* Two sketches are the same when their JSON is: every bucket count, the
 * zero count, min, max and count (or every value, when exact). */
static void
assert_same(const struct tend_sketch *a, const struct tend_sketch *b)
{
	json_t *ja = tend_sketch_to_json(a), *jb = tend_sketch_to_json(b);

	if (!json_equal(ja, jb)) {
		char *sa = json_dumps(ja, JSON_COMPACT);
		char *sb = json_dumps(jb, JSON_COMPACT);

		fail_msg("sketches differ:\n%.300s\n%.300s", sa, sb);
	}
	json_decref(ja);
	json_decref(jb);
}

static struct tend_sketch *
merged(double alpha, const struct tend_sketch *a, const struct tend_sketch *b)
{
	struct tend_sketch *m = tend_sketch_new(alpha);

	assert_int_equal(tend_sketch_merge(m, a), 0);
	assert_int_equal(tend_sketch_merge(m, b), 0);
	return m;
}

/* Three parts of a stream whose values span very different ranges (so
 * merging grows the counters at both ends): merged in every order and
 * grouping, they are the sketch of the whole stream. */
static void
check_merge(double alpha)
{
	double *v = malloc(3 * N * sizeof(*v));
	struct tend_sketch *whole, *part[3], *ab, *bc, *ab_c, *a_bc, *ca, *ca_b;
	struct tend_sketch *c_ba, *ba;
	size_t i;

	assert_non_null(v);
	draw(v, N, SPAN);
	draw(v + N, N, ZEROS);
	draw(v + 2 * N, N, UNIFORM);
	for (i = 0; i < 3; i++)
		part[i] = tend_sketch_new(alpha);
	whole = sketch_of(v, 3 * N, alpha);
	seed = 7;
	for (i = 0; i < 3 * N; i++)
		tend_sketch_add(part[i < 100 ? 2 : next64() % 3], v[i]);
	ab = merged(alpha, part[0], part[1]);
	bc = merged(alpha, part[1], part[2]);
	ba = merged(alpha, part[1], part[0]);
	ca = merged(alpha, part[2], part[0]);
	ab_c = merged(alpha, ab, part[2]);
	a_bc = merged(alpha, part[0], bc);
	ca_b = merged(alpha, ca, part[1]);
	c_ba = merged(alpha, part[2], ba);
	assert_same(ab, ba);
	assert_same(ab_c, a_bc);
	assert_same(ab_c, ca_b);
	assert_same(ab_c, c_ba);
	assert_same(ab_c, whole);
	/* merging into a part in place */
	assert_int_equal(tend_sketch_merge(part[1], part[2]), 0);
	assert_int_equal(tend_sketch_merge(part[1], part[0]), 0);
	assert_same(part[1], whole);
	qsort(v, 3 * N, sizeof(*v), cmp_double);
	check_quantiles(ab_c, v, 3 * N, alpha);
	tend_sketch_free(whole);
	for (i = 0; i < 3; i++)
		tend_sketch_free(part[i]);
	tend_sketch_free(ab);
	tend_sketch_free(bc);
	tend_sketch_free(ba);
	tend_sketch_free(ca);
	tend_sketch_free(ab_c);
	tend_sketch_free(a_bc);
	tend_sketch_free(ca_b);
	tend_sketch_free(c_ba);
	free(v);
}

static void
test_merge(void **state)
{
	(void)state;
	check_merge(ALPHA);
}

static void
test_merge_exact(void **state)
{
	(void)state;
	check_merge(0);
}

/* A sketch merged with itself counts everything twice; an empty one
 * changes nothing. */
static void
test_merge_self_and_empty(void **state)
{
	static const double alphas[] = { ALPHA, 0 };
	struct tend_sketch *s, *twice, *empty;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < 2; i++) {
		s = tend_sketch_new(alphas[i]);
		twice = tend_sketch_new(alphas[i]);
		empty = tend_sketch_new(alphas[i]);
		for (k = 0; k < 50; k++) {
			tend_sketch_add(s, k * 7.5);
			tend_sketch_add(twice, k * 7.5);
			tend_sketch_add(twice, k * 7.5);
		}
		assert_int_equal(tend_sketch_merge(s, empty), 0);
		assert_int_equal(tend_sketch_merge(s, s), 0);
		assert_same(s, twice);
		assert_int_equal(tend_sketch_merge(empty, s), 0);
		assert_same(empty, twice);
		tend_sketch_free(s);
		tend_sketch_free(twice);
		tend_sketch_free(empty);
	}
}

static void
test_merge_alpha_mismatch(void **state)
{
	struct tend_sketch *a = tend_sketch_new(0.01);
	struct tend_sketch *b = tend_sketch_new(0.02);
	struct tend_sketch *e = tend_sketch_new(0);
	struct tend_sketch *copy = tend_sketch_new(0.01);

	(void)state;
	tend_sketch_add(a, 10);
	tend_sketch_add(copy, 10);
	tend_sketch_add(b, 1000);
	tend_sketch_add(e, 5);
	assert_int_equal(tend_sketch_merge(a, b), -1);
	assert_int_equal(tend_sketch_merge(a, e), -1);
	assert_int_equal(tend_sketch_merge(e, a), -1);
	assert_same(a, copy);		/* dst unchanged */
	assert_int_equal(tend_sketch_count(e), 1);
	tend_sketch_free(a);
	tend_sketch_free(b);
	tend_sketch_free(e);
	tend_sketch_free(copy);
}

/* Through text and back, as a partial file goes. */
static struct tend_sketch *
round_trip(const struct tend_sketch *s)
{
	struct tend_sketch *r;
	struct tend_error err;
	json_error_t jerr;
	json_t *j = tend_sketch_to_json(s), *back;
	char *text = json_dumps(j, JSON_COMPACT);

	assert_non_null(text);
	back = json_loads(text, 0, &jerr);
	assert_non_null(back);
	memset(&err, 0, sizeof(err));
	r = tend_sketch_from_json(back, &err);
	if (!r)
		fail_msg("%s: %s", text, err.text);
	json_decref(j);
	json_decref(back);
	free(text);
	return r;
}

static void
check_round_trip(const struct tend_sketch *s)
{
	struct tend_sketch *r = round_trip(s);
	double a, b;
	unsigned k;

	assert_same(s, r);
	assert_int_equal(tend_sketch_count(r), tend_sketch_count(s));
	assert_true(tend_sketch_alpha(r) == tend_sketch_alpha(s));
	for (k = 0; k <= 1000; k++) {
		a = tend_sketch_quantile(s, k / 1000.0);
		b = tend_sketch_quantile(r, k / 1000.0);
		if (memcmp(&a, &b, sizeof(a)) != 0)
			fail_msg("q %u: %.17g read back as %.17g", k, a, b);
	}
	a = tend_sketch_min(s);
	b = tend_sketch_min(r);
	assert_memory_equal(&a, &b, sizeof(a));
	a = tend_sketch_max(s);
	b = tend_sketch_max(r);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(tend_sketch_rank(s, 61.3), tend_sketch_rank(r, 61.3));
	tend_sketch_free(r);
}

static void
test_json_round_trip(void **state)
{
	static const double alphas[] = { ALPHA, 0, 0.001, 0.3 };
	double *v = malloc(N * sizeof(*v));
	struct tend_sketch *s;
	size_t i;

	(void)state;
	assert_non_null(v);
	draw(v, N, SPAN);
	v[17] = 0;
	v[18] = 0.1 + 0.2;	/* 0.30000000000000004: all 17 digits */
	for (i = 0; i < 4; i++) {
		s = tend_sketch_new(alphas[i]);
		check_round_trip(s);		/* empty */
		tend_sketch_add(s, 1.0 / 3);
		check_round_trip(s);		/* one value */
		tend_sketch_free(s);
		s = sketch_of(v, N, alphas[i]);
		check_round_trip(s);
		tend_sketch_free(s);
	}
	free(v);
}

/* The JSON of a small sketch, member by member (the format partials
 * keep). */
static void
test_json_format(void **state)
{
	struct tend_sketch *s = tend_sketch_new(ALPHA);
	struct tend_sketch *e = tend_sketch_new(0);
	json_t *j;
	char *text;

	(void)state;
	/* 1 s is bucket 0 (log 1 = 0); 1.03 is above g = 1.0202..., so
	 * bucket 2 needs g^2 = 1.0408 >= 1.03 > g: bucket 2 */
	tend_sketch_add(s, 1);
	tend_sketch_add(s, 1.03);
	tend_sketch_add(s, 0);
	tend_sketch_add(e, 2.5);
	tend_sketch_add(e, 0.5);
	j = tend_sketch_to_json(s);
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"alpha\":0.01,\"buckets\":[1,0,1],"
	    "\"count\":3,\"max\":1.03,\"min\":0.0,\"offset\":0,\"zero\":1}");
	free(text);
	json_decref(j);
	j = tend_sketch_to_json(e);
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"alpha\":0.0,\"count\":2,\"max\":2.5,"
	    "\"min\":0.5,\"values\":[0.5,2.5]}");
	free(text);
	json_decref(j);
	tend_sketch_free(s);
	tend_sketch_free(e);
}

/* Partials that are not sketches, and what is said about them. */
static void
test_json_rejects(void **state)
{
	static const struct {
		const char *json, *text;
	} cases[] = {
		{ "[]", "sketch: not an object" },
		{ "{\"count\":0}", "sketch: missing \"alpha\"" },
		{ "{\"alpha\":\"0.01\"}",
		    "sketch: \"alpha\" is not 0 or in [0.0001, 1)" },
		{ "{\"alpha\":1}",
		    "sketch: \"alpha\" is not 0 or in [0.0001, 1)" },
		{ "{\"alpha\":-0.01}",
		    "sketch: \"alpha\" is not 0 or in [0.0001, 1)" },
		{ "{\"alpha\":1e-9}",
		    "sketch: \"alpha\" is not 0 or in [0.0001, 1)" },
		{ "{\"alpha\":0.01}", "sketch: missing \"count\"" },
		{ "{\"alpha\":0.01,\"count\":-1}",
		    "sketch: \"count\" is not a count" },
		{ "{\"alpha\":0.01,\"count\":1.0}",
		    "sketch: \"count\" is not a count" },
		{ "{\"alpha\":0.01,\"count\":0,\"max\":null}",
		    "sketch: missing \"min\"" },
		{ "{\"alpha\":0.01,\"count\":0,\"min\":1,\"max\":1}",
		    "sketch: \"min\" and \"max\" of an empty sketch are not "
		    "null" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":null,\"max\":1}",
		    "sketch: \"min\" or \"max\" is not a number" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":2,\"max\":1}",
		    "sketch: \"min\" 2 and \"max\" 1 are not a range of "
		    "durations" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":-1,\"max\":1}",
		    "sketch: \"min\" -1 and \"max\" 1 are not a range of "
		    "durations" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"offset\":0,\"buckets\":[1]}",
		    "sketch: missing \"zero\"" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":0}", "sketch: missing \"buckets\"" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":0,\"buckets\":{}}",
		    "sketch: \"buckets\" is not an array" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"buckets\":[1]}", "sketch: missing \"offset\"" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":0.5,\"buckets\":[1]}",
		    "sketch: \"offset\" is not an integer" },
		{ "{\"alpha\":0.01,\"count\":2,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":0,\"buckets\":[1]}",
		    "sketch: the counts add up to 1, not \"count\" 2" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":0,\"buckets\":[1,-1,1]}",
		    "sketch: bucket 2 is not a count (nor 0 at either end)" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":0,\"buckets\":[1,0]}",
		    "sketch: bucket 2 is not a count (nor 0 at either end)" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":0,\"buckets\":[\"1\"]}",
		    "sketch: bucket 1 is not a count (nor 0 at either end)" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":-9223372036854775807,"
		    "\"buckets\":[1]}", "sketch: buckets from "
		    "-9223372036854775807 are not buckets of durations" },
		{ "{\"alpha\":0.01,\"count\":1,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":40000,\"buckets\":[1]}",
		    "sketch: buckets from 40000 are not buckets of durations" },
		{ "{\"alpha\":0.01,\"count\":2,\"min\":1,\"max\":1,"
		    "\"zero\":0,\"offset\":0,\"buckets\":"
		    "[9223372036854775807,9223372036854775807,"
		    "9223372036854775807]}",
		    "sketch: the counts overflow" },
		{ "{\"alpha\":0.01,\"count\":2,\"min\":1,\"max\":1,"
		    "\"zero\":1,\"offset\":0,\"buckets\":[1]}",
		    "sketch: \"min\" or \"max\" disagrees with the counts" },
		{ "{\"alpha\":0.0,\"count\":2,\"min\":1,\"max\":2}",
		    "sketch: missing \"values\"" },
		{ "{\"alpha\":0.0,\"count\":2,\"min\":1,\"max\":2,"
		    "\"values\":[1]}", "sketch: 1 values, not \"count\" 2" },
		{ "{\"alpha\":0.0,\"count\":2,\"min\":1,\"max\":2,"
		    "\"values\":[2,1]}",
		    "sketch: value 2 is not a duration in ascending order" },
		{ "{\"alpha\":0.0,\"count\":2,\"min\":1,\"max\":2,"
		    "\"values\":[-1,2]}",
		    "sketch: value 1 is not a duration in ascending order" },
		{ "{\"alpha\":0.0,\"count\":2,\"min\":1,\"max\":2,"
		    "\"values\":[1,null]}",
		    "sketch: value 2 is not a duration in ascending order" },
		{ "{\"alpha\":0.0,\"count\":2,\"min\":1,\"max\":3,"
		    "\"values\":[1,2]}",
		    "sketch: \"min\" or \"max\" is not the first or last "
		    "value" },
	};
	struct tend_sketch *s;
	struct tend_error err;
	json_error_t jerr;
	json_t *j;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		j = json_loads(cases[i].json, 0, &jerr);
		if (!j)
			fail_msg("case %zu: %s", i, jerr.text);
		memset(&err, 0, sizeof(err));
		strcpy(err.file, "part.json");
		s = tend_sketch_from_json(j, &err);
		if (s)
			fail_msg("case %zu: %s accepted", i, cases[i].json);
		assert_string_equal(err.text, cases[i].text);
		assert_string_equal(err.file, "part.json");	/* untouched */
		json_decref(j);
	}
}

/* More buckets than TEND_SKETCH_MAX_BUCKETS are refused. */
static void
test_json_too_many_buckets(void **state)
{
	json_t *j = json_object(), *a = json_array();
	struct tend_error err;
	size_t i;

	(void)state;
	for (i = 0; i <= TEND_SKETCH_MAX_BUCKETS; i++)
		json_array_append_new(a, json_integer(1));
	json_object_set_new(j, "alpha", json_real(0.0001));
	json_object_set_new(j, "count", json_integer(TEND_SKETCH_MAX_BUCKETS
	    + 1));
	json_object_set_new(j, "min", json_real(1));
	json_object_set_new(j, "max", json_real(1e9));
	json_object_set_new(j, "zero", json_integer(0));
	json_object_set_new(j, "offset", json_integer(0));
	json_object_set_new(j, "buckets", a);
	memset(&err, 0, sizeof(err));
	assert_null(tend_sketch_from_json(j, &err));
	assert_string_equal(err.text, "sketch: 100001 buckets, more than "
	    "100000");
	json_decref(j);
}

/* Memory: one counter per bucket between the smallest and largest value,
 * about 1,270 for 1 ms .. 1e8 s at 1%, whatever the number of values. */
static void
test_bounded(void **state)
{
	struct tend_sketch *s = tend_sketch_new(ALPHA);
	size_t i, n;
	json_t *j;

	(void)state;
	seed = 1;
	for (i = 0; i < 200000; i++)
		tend_sketch_add(s, pow(10, -3 + 11 * uniform()));
	tend_sketch_add(s, 0.001);
	tend_sketch_add(s, 1e8);
	j = tend_sketch_to_json(s);
	n = json_array_size(json_object_get(j, "buckets"));
	/* ln(1e11) / ln(1.0202...) = 1266.3: 1267 or 1268 buckets */
	assert_in_range(n, 1267, 1268);
	json_decref(j);
	tend_sketch_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_exponential),
		cmocka_unit_test(test_lognormal),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_zeros),
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_other_alphas),
		cmocka_unit_test(test_nearest_rank),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_tiny_values),
		cmocka_unit_test(test_rank),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_exact),
		cmocka_unit_test(test_merge_self_and_empty),
		cmocka_unit_test(test_merge_alpha_mismatch),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_format),
		cmocka_unit_test(test_json_rejects),
		cmocka_unit_test(test_json_too_many_buckets),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
