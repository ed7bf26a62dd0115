/* test_report_topk.c: the Space-Saving summary of tend-report
 * (cmd/tend-report/topk.h).
 *
 * The guarantee is checked against exact counts kept here: with n the
 * total weight and m the counters, every key whose true count exceeds
 * n / m is listed, and every listed key has count - error <= true <=
 * count.  Streams are Zipf draws from a fixed-seed generator.
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

#include "topk.h"

#define KEYS	5000		/* distinct keys of the Zipf streams */

static uint64_t seed;

static uint64_t
next64(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double
uniform(void)
{
	return (double)(next64() >> 11) * 0x1p-53;
}

/* A Zipf(s) sampler over ranks 0..KEYS-1: the cumulative weights. */
static double *
zipf_table(double s)
{
	double *cum = malloc(KEYS * sizeof(*cum)), sum = 0;
	size_t r;

	assert_non_null(cum);
	for (r = 0; r < KEYS; r++)
		cum[r] = sum += 1 / pow((double)(r + 1), s);
	return cum;
}

static size_t
zipf_draw(const double *cum)
{
	double u = uniform() * cum[KEYS - 1];
	size_t lo = 0, hi = KEYS - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Key of rank r: shift moves the heavy keys, so that parts of a stream
 * can disagree about which keys are heavy. */
static int
key_of(char *buf, size_t r, size_t shift)
{
	return snprintf(buf, 16, "k%zu", (r + shift) % KEYS);
}

/* Adds count draws (weights 1..3) to t and to truth[KEYS]. */
static void
stream(struct tend_topk *t, uint64_t *truth, const double *cum, size_t count,
    size_t shift)
{
	char key[16];
	size_t i, r;
	uint64_t w;
	int n;

	for (i = 0; i < count; i++) {
		r = zipf_draw(cum);
		w = 1 + next64() % 3;
		n = key_of(key, r, shift);
		tend_topk_add(t, key, (size_t)n, w);
		truth[(r + shift) % KEYS] += w;
	}
}

/* The guarantee of topk.h, checked against the true counts; also that
 * the list is in order and the total right. */
static void
check_guarantee(const struct tend_topk *t, const uint64_t *truth, size_t m)
{
	struct tend_topk_item *items;
	uint64_t n = 0, tc;
	size_t k, i, count, found;
	char key[16];

	for (k = 0; k < KEYS; k++)
		n += truth[k];
	assert_int_equal(tend_topk_total(t), n);
	count = tend_topk_list(t, &items);
	assert_true(count <= m);
	for (i = 0; i < count; i++) {
		tc = truth[strtoul(items[i].key + 1, NULL, 10)];
		if (items[i].count < tc || items[i].count - items[i].error > tc)
			fail_msg("%s: count %llu error %llu, true %llu",
			    items[i].key, (unsigned long long)items[i].count,
			    (unsigned long long)items[i].error,
			    (unsigned long long)tc);
		if (i > 0 && (items[i].count > items[i - 1].count ||
		    (items[i].count == items[i - 1].count &&
		    strcmp(items[i].key, items[i - 1].key) <= 0)))
			fail_msg("%s listed after %s", items[i].key,
			    items[i - 1].key);
	}
	for (k = 0; k < KEYS; k++) {
		if (truth[k] * m <= n)
			continue;
		snprintf(key, sizeof(key), "k%zu", k);
		for (found = 0, i = 0; i < count && !found; i++)
			found = strcmp(items[i].key, key) == 0;
		if (!found)
			fail_msg("%s: true count %llu > n / m = %llu / %zu, "
			    "not listed", key, (unsigned long long)truth[k],
			    (unsigned long long)n, m);
	}
	free(items);
}

static void
test_zipf(void **state)
{
	static const double ss[] = { 0.8, 1.1, 1.5 };
	static const size_t ms[] = { 10, 50, 200 };
	uint64_t truth[KEYS];
	struct tend_topk *t;
	double *cum;
	size_t i, j;

	(void)state;
	for (i = 0; i < 3; i++) {
		cum = zipf_table(ss[i]);
		for (j = 0; j < 3; j++) {
			seed = 100 * i + j;
			memset(truth, 0, sizeof(truth));
			t = tend_topk_new(ms[j]);
			stream(t, truth, cum, 100000, 0);
			check_guarantee(t, truth, ms[j]);
			tend_topk_free(t);
		}
		free(cum);
	}
}

/* Fewer distinct keys than counters: every count exact, no error. */
static void
test_exact_when_few(void **state)
{
	struct tend_topk *t = tend_topk_new(5);
	struct tend_topk_item *items;
	size_t n;

	(void)state;
	tend_topk_add(t, "refund", 6, 2);
	tend_topk_add(t, "#outage", 7, 1);
	tend_topk_add(t, "refund", 6, 1);
	tend_topk_add(t, "late", 4, 3);
	tend_topk_add(t, "#outage", 7, 2);
	tend_topk_add(t, "zzz", 3, 0);		/* weight 0: nothing */
	assert_int_equal(tend_topk_total(t), 9);
	n = tend_topk_list(t, &items);
	assert_int_equal(n, 3);
	/* 3, 3, 3: by key, byte order ('#' before letters) */
	assert_string_equal(items[0].key, "#outage");
	assert_string_equal(items[1].key, "late");
	assert_string_equal(items[2].key, "refund");
	assert_int_equal(items[0].count, 3);
	assert_int_equal(items[1].count, 3);
	assert_int_equal(items[2].count, 3);
	assert_int_equal(items[0].error + items[1].error + items[2].error, 0);
	free(items);
	tend_topk_free(t);
}

/* When full, the smallest count goes, and among equal counts the greatest
 * key: the newcomer starts at that count plus its weight, with that count
 * as its error. */
static void
test_eviction(void **state)
{
	struct tend_topk *t = tend_topk_new(2);
	struct tend_topk_item *items;

	(void)state;
	tend_topk_add(t, "b", 1, 1);
	tend_topk_add(t, "a", 1, 1);
	tend_topk_add(t, "c", 1, 1);		/* replaces "b" */
	assert_int_equal(tend_topk_list(t, &items), 2);
	assert_string_equal(items[0].key, "c");
	assert_int_equal(items[0].count, 2);
	assert_int_equal(items[0].error, 1);
	assert_string_equal(items[1].key, "a");
	assert_int_equal(items[1].count, 1);
	assert_int_equal(items[1].error, 0);
	free(items);
	tend_topk_add(t, "b", 1, 5);		/* replaces "a" (1) */
	tend_topk_add(t, "c", 1, 1);
	assert_int_equal(tend_topk_list(t, &items), 2);
	assert_string_equal(items[0].key, "b");
	assert_int_equal(items[0].count, 6);
	assert_int_equal(items[0].error, 1);
	assert_string_equal(items[1].key, "c");
	assert_int_equal(items[1].count, 3);
	free(items);
	assert_int_equal(tend_topk_total(t), 9);
	tend_topk_free(t);
}

/* The same keys in another order give the same list when no key is ever
 * evicted; with evictions ties still never depend on the hash. */
static void
test_order_independent(void **state)
{
	struct tend_topk *a = tend_topk_new(100), *b = tend_topk_new(100);
	struct tend_topk_item *ia, *ib;
	char key[16];
	size_t i, n;
	int len;

	(void)state;
	for (i = 0; i < 100; i++) {
		len = snprintf(key, sizeof(key), "key%zu", i);
		tend_topk_add(a, key, (size_t)len, 1 + i % 4);
		len = snprintf(key, sizeof(key), "key%zu", 99 - i);
		tend_topk_add(b, key, (size_t)len, 1 + (99 - i) % 4);
	}
	n = tend_topk_list(a, &ia);
	assert_int_equal(tend_topk_list(b, &ib), n);
	for (i = 0; i < n; i++) {
		assert_string_equal(ia[i].key, ib[i].key);
		assert_int_equal(ia[i].count, ib[i].count);
	}
	assert_string_equal(ia[0].key, "key11");	/* 4s, by key */
	assert_string_equal(ia[1].key, "key15");
	free(ia);
	free(ib);
	tend_topk_free(a);
	tend_topk_free(b);
}

/* Keys are any bytes: a NUL inside, and invalid UTF-8 counted as U+FFFD. */
static void
test_odd_keys(void **state)
{
	struct tend_topk *t = tend_topk_new(4);
	struct tend_topk_item *items;
	json_t *j;
	char *text;

	(void)state;
	tend_topk_add(t, "a\0b", 3, 1);
	tend_topk_add(t, "a", 1, 1);
	tend_topk_add(t, "\xff", 1, 1);
	tend_topk_add(t, "\xfe", 1, 1);		/* the same: U+FFFD */
	tend_topk_add(t, "", 0, 1);
	assert_int_equal(tend_topk_list(t, &items), 4);
	assert_string_equal(items[0].key, "\xef\xbf\xbd");
	assert_int_equal(items[0].count, 2);
	assert_string_equal(items[1].key, "");
	assert_string_equal(items[2].key, "a");
	assert_memory_equal(items[3].key, "a\0b", 4);
	free(items);
	j = tend_topk_to_json(t);
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text, "{\"items\":[[\"\xef\xbf\xbd\",2,0],"
	    "[\"\",1,0],[\"a\",1,0],[\"a\\u0000b\",1,0]],\"m\":4,"
	    "\"total\":5}");
	free(text);
	json_decref(j);
	tend_topk_free(t);
}

/* Parts of a stream whose heavy keys differ, merged in a row and as a
 * tree: the guarantee holds for the whole stream. */
static void
test_merge_guarantee(void **state)
{
	static const size_t shifts[] = { 0, 7, 7, 300 };
	uint64_t truth[KEYS];
	struct tend_topk *part[4], *row, *left, *right;
	double *cum = zipf_table(1.1);
	size_t i, m = 50;

	(void)state;
	memset(truth, 0, sizeof(truth));
	seed = 9;
	for (i = 0; i < 4; i++) {
		part[i] = tend_topk_new(m);
		stream(part[i], truth, cum, 10000 + 5000 * i, shifts[i]);
	}
	row = tend_topk_new(m);
	for (i = 0; i < 4; i++)
		tend_topk_merge(row, part[i]);
	check_guarantee(row, truth, m);
	left = tend_topk_new(m);
	tend_topk_merge(left, part[3]);
	tend_topk_merge(left, part[0]);
	right = tend_topk_new(m);
	tend_topk_merge(right, part[2]);
	tend_topk_merge(right, part[1]);
	tend_topk_merge(right, left);
	check_guarantee(right, truth, m);
	/* into a part in place */
	tend_topk_merge(part[1], part[0]);
	tend_topk_merge(part[1], part[3]);
	tend_topk_merge(part[1], part[2]);
	check_guarantee(part[1], truth, m);
	for (i = 0; i < 4; i++)
		tend_topk_free(part[i]);
	tend_topk_free(row);
	tend_topk_free(left);
	tend_topk_free(right);
	free(cum);
}

/* Summaries that are not full merge exactly; a summary merged with itself
 * counts everything twice; the m best are kept, by count then key. */
static void
test_merge_small(void **state)
{
	struct tend_topk *a = tend_topk_new(3), *b = tend_topk_new(5);
	struct tend_topk_item *items;

	(void)state;
	tend_topk_add(a, "x", 1, 5);
	tend_topk_add(a, "y", 1, 1);
	tend_topk_add(b, "y", 1, 2);
	tend_topk_add(b, "z", 1, 3);
	tend_topk_add(b, "w", 1, 3);
	tend_topk_merge(a, b);		/* x 5, y 3, z 3, w 3: m = 3 */
	assert_int_equal(tend_topk_total(a), 14);
	assert_int_equal(tend_topk_list(a, &items), 3);
	assert_string_equal(items[0].key, "x");
	assert_int_equal(items[0].count, 5);
	assert_string_equal(items[1].key, "w");
	assert_int_equal(items[1].count, 3);
	assert_string_equal(items[2].key, "y");
	assert_int_equal(items[2].count, 3);
	assert_int_equal(items[2].error, 0);
	free(items);
	/* a is full now (min 3): b's keys absent from a get 3 more, and
	 * a's absent from b none (b is not full) */
	tend_topk_merge(b, a);
	assert_int_equal(tend_topk_list(b, &items), 4);
	assert_string_equal(items[0].key, "w");	/* 3 + 3 */
	assert_int_equal(items[0].count, 6);
	assert_int_equal(items[0].error, 0);
	assert_string_equal(items[1].key, "z");	/* 3 + min 3 */
	assert_int_equal(items[1].count, 6);
	assert_int_equal(items[1].error, 3);
	assert_string_equal(items[2].key, "x");
	assert_int_equal(items[2].count, 5);
	assert_string_equal(items[3].key, "y");	/* 2 + 3 */
	assert_int_equal(items[3].count, 5);
	free(items);
	assert_int_equal(tend_topk_total(b), 22);
	tend_topk_merge(b, b);
	assert_int_equal(tend_topk_total(b), 44);
	assert_int_equal(tend_topk_list(b, &items), 4);
	assert_string_equal(items[0].key, "w");
	assert_int_equal(items[0].count, 12);
	assert_int_equal(items[1].error, 6);
	free(items);
	tend_topk_free(a);
	tend_topk_free(b);
}

static struct tend_topk *
round_trip(const struct tend_topk *t)
{
	struct tend_topk *r;
	struct tend_error err;
	json_error_t jerr;
	json_t *j = tend_topk_to_json(t), *back, *again;
	char *text = json_dumps(j, JSON_COMPACT);

	assert_non_null(text);
	back = json_loads(text, 0, &jerr);
	assert_non_null(back);
	memset(&err, 0, sizeof(err));
	r = tend_topk_from_json(back, &err);
	if (!r)
		fail_msg("%.200s: %s", text, err.text);
	again = tend_topk_to_json(r);
	assert_true(json_equal(j, again));
	json_decref(j);
	json_decref(back);
	json_decref(again);
	free(text);
	return r;
}

static void
assert_same_list(const struct tend_topk *a, const struct tend_topk *b)
{
	struct tend_topk_item *ia, *ib;
	size_t n, i;

	n = tend_topk_list(a, &ia);
	assert_int_equal(tend_topk_list(b, &ib), n);
	for (i = 0; i < n; i++) {
		assert_string_equal(ia[i].key, ib[i].key);
		assert_int_equal(ia[i].count, ib[i].count);
		assert_int_equal(ia[i].error, ib[i].error);
	}
	assert_int_equal(tend_topk_total(a), tend_topk_total(b));
	free(ia);
	free(ib);
}

/* Read back, a summary is the same, and goes on the same: the same
 * stream added to both leaves them equal (the heap was rebuilt right). */
static void
test_json_round_trip(void **state)
{
	uint64_t truth[KEYS];
	struct tend_topk *t, *r;
	double *cum = zipf_table(1.0);
	size_t i;

	(void)state;
	t = tend_topk_new(30);
	r = round_trip(t);			/* empty */
	assert_same_list(t, r);
	tend_topk_free(r);
	memset(truth, 0, sizeof(truth));
	seed = 3;
	stream(t, truth, cum, 5000, 0);
	r = round_trip(t);
	assert_same_list(t, r);
	for (i = 0; i < 2; i++) {
		seed = 77;
		stream(i ? r : t, truth, cum, 5000, 11);
	}
	assert_same_list(t, r);
	tend_topk_free(r);
	tend_topk_free(t);
	free(cum);
}

static void
test_json_rejects(void **state)
{
	static const struct {
		const char *json, *text;
	} cases[] = {
		{ "[]", "top-k: not an object" },
		{ "{\"total\":0,\"items\":[]}",
		    "top-k: \"m\" is missing or not a count above 0" },
		{ "{\"m\":0,\"total\":0,\"items\":[]}",
		    "top-k: \"m\" is missing or not a count above 0" },
		{ "{\"m\":2,\"items\":[]}",
		    "top-k: \"total\" is missing or not a count" },
		{ "{\"m\":2,\"total\":-1,\"items\":[]}",
		    "top-k: \"total\" is missing or not a count" },
		{ "{\"m\":2,\"total\":0}",
		    "top-k: \"items\" is missing or not an array" },
		{ "{\"m\":1,\"total\":5,\"items\":[[\"a\",1,0],[\"b\",1,0]]}",
		    "top-k: 2 items, more than \"m\" 1" },
		{ "{\"m\":2,\"total\":5,\"items\":[[\"a\",1]]}",
		    "top-k: item 1 is not [KEY, COUNT, ERROR]" },
		{ "{\"m\":2,\"total\":5,\"items\":[[\"a\",1,0],[1,1,0]]}",
		    "top-k: item 2 is not [KEY, COUNT, ERROR]" },
		{ "{\"m\":2,\"total\":5,\"items\":[[\"a\",1.5,0]]}",
		    "top-k: item 1 is not [KEY, COUNT, ERROR]" },
		{ "{\"m\":2,\"total\":5,\"items\":[[\"a\",1,-1]]}",
		    "top-k: item 1 is not [KEY, COUNT, ERROR]" },
		{ "{\"m\":2,\"total\":5,\"items\":[{}]}",
		    "top-k: item 1 is not [KEY, COUNT, ERROR]" },
		{ "{\"m\":2,\"total\":5,\"items\":[[\"a\",2,3]]}",
		    "top-k: item 1: not error 3 <= count 2 <= total 5" },
		{ "{\"m\":2,\"total\":5,\"items\":[[\"a\",6,0]]}",
		    "top-k: item 1: not error 0 <= count 6 <= total 5" },
		{ "{\"m\":2,\"total\":5,\"items\":[[\"a\",1,0],[\"a\",2,0]]}",
		    "top-k: item 2: a key seen before" },
	};
	struct tend_topk *t;
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
		t = tend_topk_from_json(j, &err);
		if (t)
			fail_msg("case %zu: %s accepted", i, cases[i].json);
		assert_string_equal(err.text, cases[i].text);
		assert_string_equal(err.file, "part.json");
		json_decref(j);
	}
}

/* Many distinct keys through few counters: every add past the first m
 * evicts; the summary stays at m keys. */
static void
test_churn(void **state)
{
	struct tend_topk *t = tend_topk_new(1000);
	struct tend_topk_item *items;
	char key[24];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < 300000; i++) {
		n = snprintf(key, sizeof(key), "term%zu", i);
		tend_topk_add(t, key, (size_t)n, 1);
		tend_topk_add(t, "steady", 6, 1);
	}
	assert_int_equal(tend_topk_list(t, &items), 1000);
	assert_string_equal(items[0].key, "steady");
	assert_int_equal(items[0].count, 300000);
	assert_int_equal(items[0].error, 0);
	/* 299,999 other keys through 999 counters: each holds about 300 */
	assert_in_range(items[1].count, 300, 301);
	free(items);
	assert_int_equal(tend_topk_total(t), 600000);
	tend_topk_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_when_few),
		cmocka_unit_test(test_eviction),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_odd_keys),
		cmocka_unit_test(test_zipf),
		cmocka_unit_test(test_merge_guarantee),
		cmocka_unit_test(test_merge_small),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_rejects),
		cmocka_unit_test(test_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
