/* test_buf.c: the growable byte buffer (lib/buf.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"

static void
test_init_is_empty_string(void **state)
{
	struct tend_buf b;

	(void)state;
	tend_buf_init(&b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	tend_buf_release(&b);
}

static void
test_release_of_empty_buf(void **state)
{
	struct tend_buf b;

	(void)state;
	tend_buf_init(&b);
	tend_buf_release(&b);	/* nothing was allocated: nothing freed */
	assert_string_equal(b.data, "");
	tend_buf_release(&b);	/* and twice is fine */
	tend_buf_reset(&b);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
}

static void
test_add_addc_adds(void **state)
{
	struct tend_buf b;

	(void)state;
	tend_buf_init(&b);
	tend_buf_add(&b, "ab", 2);
	tend_buf_addc(&b, 'c');
	tend_buf_adds(&b, "def");
	tend_buf_add(&b, "", 0);
	tend_buf_adds(&b, "");
	assert_int_equal(b.len, 6);
	assert_string_equal(b.data, "abcdef");
	assert_true(b.cap > b.len);
	tend_buf_release(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
}

static void
test_add_keeps_nul_bytes(void **state)
{
	struct tend_buf b;

	(void)state;
	tend_buf_init(&b);
	tend_buf_add(&b, "a\0b", 3);
	tend_buf_addc(&b, '\0');
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "a\0b\0", 5);	/* and terminated */
	tend_buf_release(&b);
}

static void
test_growth(void **state)
{
	struct tend_buf b;
	size_t i;

	(void)state;
	tend_buf_init(&b);
	for (i = 0; i < 100000; i++)
		tend_buf_addc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 100000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	for (i = 0; i < 100000; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %zu", i);
	tend_buf_release(&b);
}

static void
test_grow_reserves(void **state)
{
	struct tend_buf b;
	char *data;

	(void)state;
	tend_buf_init(&b);
	tend_buf_grow(&b, 1000);
	assert_true(b.cap >= 1001);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	data = b.data;
	tend_buf_add(&b, "x", 1);
	tend_buf_grow(&b, 999);
	assert_ptr_equal(b.data, data);	/* already room: no move */
	tend_buf_release(&b);
}

static void
test_printf(void **state)
{
	struct tend_buf b;

	(void)state;
	tend_buf_init(&b);
	tend_buf_printf(&b, "%d-%s", 42, "x");
	tend_buf_printf(&b, "%c%%", '!');
	tend_buf_printf(&b, "%s", "");
	assert_string_equal(b.data, "42-x!%");
	assert_int_equal(b.len, 6);
	tend_buf_release(&b);
}

static void
test_printf_empty_on_empty_buf(void **state)
{
	struct tend_buf b;

	(void)state;
	tend_buf_init(&b);
	tend_buf_printf(&b, "%s", "");
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	tend_buf_release(&b);
}

/* Longer than what the buffer holds: on a new buffer and after some
 * text, so both the first allocation and a regrowth print again. */
static void
test_printf_long(void **state)
{
	struct tend_buf b;
	char *big = malloc(20001);
	size_t i;

	(void)state;
	assert_non_null(big);
	for (i = 0; i < 20000; i++)
		big[i] = (char)('0' + i % 10);
	big[20000] = '\0';
	tend_buf_init(&b);
	tend_buf_printf(&b, "<%s>", big);
	assert_int_equal(b.len, 20002);
	assert_int_equal(b.data[0], '<');
	assert_memory_equal(b.data + 1, big, 20000);
	assert_string_equal(b.data + 20001, ">");
	tend_buf_printf(&b, "[%s|%s]", big, big);
	assert_int_equal(b.len, 20002 + 40003);
	assert_memory_equal(b.data + 20003, big, 20000);
	assert_int_equal(b.data[20003 + 20000], '|');
	assert_string_equal(b.data + b.len - 1, "]");
	tend_buf_release(&b);
	free(big);
}

static void
test_detach(void **state)
{
	struct tend_buf b;
	char *s;

	(void)state;
	tend_buf_init(&b);
	tend_buf_adds(&b, "owned");
	s = tend_buf_detach(&b);
	assert_string_equal(s, "owned");
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_ptr_not_equal(b.data, s);
	tend_buf_adds(&b, "again");
	assert_string_equal(b.data, "again");
	assert_string_equal(s, "owned");
	free(s);
	tend_buf_release(&b);
}

static void
test_detach_empty_gives_a_string_to_free(void **state)
{
	struct tend_buf b;
	char *s;

	(void)state;
	tend_buf_init(&b);
	s = tend_buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	tend_buf_release(&b);
}

static void
test_reset_keeps_memory(void **state)
{
	struct tend_buf b;
	char *data;
	size_t cap;

	(void)state;
	tend_buf_init(&b);
	tend_buf_adds(&b, "some text");
	data = b.data;
	cap = b.cap;
	tend_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.cap, cap);
	tend_buf_adds(&b, "new");
	assert_string_equal(b.data, "new");
	tend_buf_release(&b);
}

static void
test_static_initialiser(void **state)
{
	struct tend_buf b = TEND_BUF_INIT, c = TEND_BUF_INIT;
	char *s;

	(void)state;
	tend_buf_printf(&b, "%s=%d", "n", 1);
	assert_string_equal(b.data, "n=1");
	tend_buf_release(&b);
	tend_buf_release(&c);	/* never used: nothing to free */
	c = (struct tend_buf)TEND_BUF_INIT;
	s = tend_buf_detach(&c);
	assert_string_equal(s, "");
	free(s);
}

static void
test_read_file(void **state)
{
	char path[] = "/tmp/test_buf.XXXXXX";
	struct tend_buf b = TEND_BUF_INIT;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "rule a\n\0b", 9), 9);
	close(fd);
	assert_int_equal(tend_buf_read_file(&b, path, 100), 0);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "rule a\n\0b", 9);
	tend_buf_reset(&b);
	assert_int_equal(tend_buf_read_file(&b, path, 4), -1);
	assert_int_equal(errno, EFBIG);
	tend_buf_reset(&b);
	unlink(path);
	assert_int_equal(tend_buf_read_file(&b, path, 100), -1);
	assert_int_equal(errno, ENOENT);
	/* an empty file reads as an empty, NUL-terminated buffer */
	memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tend_buf_read_file(&b, path, 100), 0);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	unlink(path);
	tend_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty_string),
		cmocka_unit_test(test_release_of_empty_buf),
		cmocka_unit_test(test_add_addc_adds),
		cmocka_unit_test(test_add_keeps_nul_bytes),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_grow_reserves),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_empty_on_empty_buf),
		cmocka_unit_test(test_printf_long),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_detach_empty_gives_a_string_to_free),
		cmocka_unit_test(test_reset_keeps_memory),
		cmocka_unit_test(test_static_initialiser),
		cmocka_unit_test(test_read_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
