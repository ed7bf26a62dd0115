/* test_strmap.c: the byte-string hash map (lib/strmap.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"

static void **
put(struct tend_strmap *m, const char *key, int *added)
{
	return tend_strmap_put(m, key, strlen(key), added, NULL);
}

static void
test_empty_map(void **state)
{
	struct tend_strmap *m = tend_strmap_new();

	(void)state;
	assert_int_equal(tend_strmap_count(m), 0);
	assert_null(tend_strmap_get(m, "a", 1));
	assert_null(tend_strmap_get(m, "", 0));
	assert_null(tend_strmap_key(m, "a", 1));
	assert_true(tend_strmap_bytes(m) > 0);
	tend_strmap_free(m);
	tend_strmap_free(NULL);
}

static void
test_put_get(void **state)
{
	struct tend_strmap *m = tend_strmap_new();
	int added = -1, v1 = 1, v2 = 2;
	void **slot;

	(void)state;
	slot = put(m, "tw:1", &added);
	assert_int_equal(added, 1);
	assert_null(*slot);	/* a new key's value is NULL */
	*slot = &v1;
	slot = put(m, "tw:2", &added);
	assert_int_equal(added, 1);
	*slot = &v2;
	slot = put(m, "tw:1", &added);
	assert_int_equal(added, 0);
	assert_ptr_equal(*slot, &v1);
	assert_ptr_equal(*tend_strmap_get(m, "tw:2", 4), &v2);
	assert_null(tend_strmap_get(m, "tw:3", 4));
	assert_null(tend_strmap_get(m, "tw:", 3));
	assert_int_equal(tend_strmap_count(m), 2);
	tend_strmap_free(m);
}

static void
test_key_returns_stored_copy(void **state)
{
	struct tend_strmap *m = tend_strmap_new();
	char key[] = "tw:1";
	const char *stored = NULL;
	int added;

	(void)state;
	tend_strmap_put(m, key, 4, &added, &stored);
	assert_non_null(stored);
	assert_ptr_not_equal(stored, key);
	assert_string_equal(stored, "tw:1");
	key[3] = '9';	/* the map does not keep the caller's bytes */
	assert_null(tend_strmap_get(m, key, 4));
	assert_ptr_equal(tend_strmap_key(m, "tw:1", 4), stored);
	/* put of a present key gives the same copy */
	tend_strmap_put(m, "tw:1", 4, &added, &stored);
	assert_int_equal(added, 0);
	assert_ptr_equal(tend_strmap_key(m, "tw:1", 4), stored);
	assert_null(tend_strmap_key(m, "tw:2", 4));
	tend_strmap_free(m);
}

static void
test_empty_key(void **state)
{
	struct tend_strmap *m = tend_strmap_new();
	int added, v = 7;

	(void)state;
	*tend_strmap_put(m, "", 0, &added, NULL) = &v;
	assert_int_equal(added, 1);
	assert_ptr_equal(*tend_strmap_get(m, "", 0), &v);
	assert_string_equal(tend_strmap_key(m, "", 0), "");
	assert_int_equal(tend_strmap_count(m), 1);
	tend_strmap_free(m);
}

/* Keys are bytes: NUL bytes inside, and prefixes of each other. */
static void
test_keys_with_nul_and_shared_prefixes(void **state)
{
	static const char *const keys[] = {
		"a", "a\0", "a\0b", "a\0c", "ab", "abc", "\0", "\0\0",
		"12345678", "123456789", "1234567\0", "12345678\0"
	};
	static const size_t lens[] = { 1, 2, 3, 3, 2, 3, 1, 2, 8, 9, 8, 9 };
	struct tend_strmap *m = tend_strmap_new();
	size_t i, n = sizeof(lens) / sizeof(lens[0]);
	int added;

	(void)state;
	for (i = 0; i < n; i++) {
		*tend_strmap_put(m, keys[i], lens[i], &added, NULL) =
		    (void *)(uintptr_t)(i + 1);
		assert_int_equal(added, 1);
	}
	assert_int_equal(tend_strmap_count(m), n);
	for (i = 0; i < n; i++) {
		void **slot = tend_strmap_get(m, keys[i], lens[i]);
		const char *stored = tend_strmap_key(m, keys[i], lens[i]);

		assert_non_null(slot);
		assert_int_equal((uintptr_t)*slot, i + 1);
		assert_memory_equal(stored, keys[i], lens[i]);
		assert_int_equal(stored[lens[i]], '\0');
	}
	assert_null(tend_strmap_get(m, "a\0d", 3));
	assert_null(tend_strmap_get(m, "\0\0\0", 3));
	tend_strmap_free(m);
}

/* 100,000 keys: the table grows many times; every key keeps its value
 * and its stored copy stays where it was. */
static void
test_many_keys_and_growth(void **state)
{
	enum { N = 100000 };
	const char **stored = malloc(N * sizeof(*stored));
	struct tend_strmap *m = tend_strmap_new();
	size_t bytes = tend_strmap_bytes(m);
	char key[32];
	int i, added;

	(void)state;
	assert_non_null(stored);
	for (i = 0; i < N; i++) {
		int n = snprintf(key, sizeof(key), "twitter:%d", i * 7919);

		*tend_strmap_put(m, key, (size_t)n, &added, &stored[i]) =
		    (void *)(intptr_t)i;
		assert_int_equal(added, 1);
	}
	assert_int_equal(tend_strmap_count(m), N);
	assert_true(tend_strmap_bytes(m) > bytes);
	for (i = 0; i < N; i++) {
		int n = snprintf(key, sizeof(key), "twitter:%d", i * 7919);
		void **slot = tend_strmap_get(m, key, (size_t)n);

		assert_non_null(slot);
		assert_int_equal((intptr_t)*slot, i);
		assert_ptr_equal(tend_strmap_key(m, key, (size_t)n), stored[i]);
		assert_string_equal(stored[i], key);
	}
	/* putting them again adds nothing */
	for (i = 0; i < N; i += 97) {
		int n = snprintf(key, sizeof(key), "twitter:%d", i * 7919);

		tend_strmap_put(m, key, (size_t)n, &added, NULL);
		assert_int_equal(added, 0);
	}
	assert_int_equal(tend_strmap_count(m), N);
	assert_null(tend_strmap_get(m, "twitter:1", 9));
	free(stored);
	tend_strmap_free(m);
}

/* A key longer than the arena's chunk gets a chunk of its own. */
static void
test_long_key(void **state)
{
	size_t n = 300 * 1024;
	char *key = malloc(n);
	struct tend_strmap *m = tend_strmap_new();
	const char *stored;
	int added;

	(void)state;
	assert_non_null(key);
	memset(key, 'k', n);
	tend_strmap_put(m, "short", 5, &added, NULL);
	tend_strmap_put(m, key, n, &added, &stored);
	assert_int_equal(added, 1);
	assert_memory_equal(stored, key, n);
	assert_non_null(tend_strmap_get(m, key, n));
	assert_null(tend_strmap_get(m, key, n - 1));
	assert_non_null(tend_strmap_get(m, "short", 5));
	tend_strmap_put(m, "after", 5, &added, NULL);
	assert_non_null(tend_strmap_get(m, "after", 5));
	free(key);
	tend_strmap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_map),
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_key_returns_stored_copy),
		cmocka_unit_test(test_empty_key),
		cmocka_unit_test(test_keys_with_nul_and_shared_prefixes),
		cmocka_unit_test(test_many_keys_and_growth),
		cmocka_unit_test(test_long_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
