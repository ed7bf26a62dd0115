/* test_error.c: errors filled, located and quoted (lib/error.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"

static void
test_set(void **state)
{
	struct tend_error err;

	(void)state;
	memset(&err, 'x', sizeof(err));
	tend_error_set(&err, "in.jsonl", 3, 7, "bad %s (%d)", "thing", 42);
	assert_string_equal(err.file, "in.jsonl");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 7);
	assert_string_equal(err.text, "bad thing (42)");
}

static void
test_set_without_file(void **state)
{
	struct tend_error err;

	(void)state;
	memset(&err, 'x', sizeof(err));
	tend_error_set(&err, NULL, 0, 0, "%s", "no file");
	assert_string_equal(err.file, "");
	assert_int_equal(err.line, 0);
	assert_int_equal(err.col, 0);
	assert_string_equal(err.text, "no file");
}

static void
test_set_null_err(void **state)
{
	(void)state;
	tend_error_set(NULL, "f", 1, 1, "ignored %d", 1);
}

static void
test_set_cuts_long_parts(void **state)
{
	struct tend_error err;
	char file[TEND_ERROR_FILE + 50], text[TEND_ERROR_TEXT + 50];

	(void)state;
	memset(file, 'f', sizeof(file) - 1);
	file[sizeof(file) - 1] = '\0';
	memset(text, 't', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	tend_error_set(&err, file, 1, 1, "%s", text);
	assert_int_equal(strlen(err.file), TEND_ERROR_FILE - 1);
	assert_int_equal(strlen(err.text), TEND_ERROR_TEXT - 1);
}

static const char *
where(const char *file, long line, long col)
{
	static char out[300];
	struct tend_error err;

	tend_error_set(&err, file, line, col, "x");
	return tend_error_where(&err, out, sizeof(out));
}

static void
test_where_forms(void **state)
{
	(void)state;
	assert_string_equal(where("in.csv", 12, 5), "in.csv:12:5: ");
	assert_string_equal(where("in.csv", 12, 0), "in.csv:12: ");
	assert_string_equal(where("in.csv", 0, 0), "in.csv: ");
	assert_string_equal(where("in.csv", 0, 5), "in.csv: ");
	assert_string_equal(where("", 12, 5), "");
	assert_string_equal(where(NULL, 0, 0), "");
	assert_string_equal(where("<stdin>", 1, 1), "<stdin>:1:1: ");
}

static void
test_where_returns_out_and_fits(void **state)
{
	struct tend_error err;
	char out[8];

	(void)state;
	tend_error_set(&err, "file.txt", 100, 2, "x");
	assert_ptr_equal(tend_error_where(&err, out, sizeof(out)), out);
	assert_string_equal(out, "file.tx");
}

static const char *
quote(const char *s, size_t n, size_t size)
{
	static char out[256];

	assert_true(size <= sizeof(out));
	memset(out, '#', sizeof(out));
	assert_ptr_equal(tend_error_quote(s, n, out, size), out);
	assert_true(strlen(out) < size);
	return out;
}

static void
test_quote_plain(void **state)
{
	(void)state;
	assert_string_equal(quote("tweet", 5, 64), "tweet");
	assert_string_equal(quote("", 0, 64), "");
	assert_string_equal(quote("caf\xc3\xa9 \xf0\x9f\x98\x80", 10, 64),
	    "caf\xc3\xa9 \xf0\x9f\x98\x80");
	/* only n bytes are read */
	assert_string_equal(quote("abcdef", 3, 64), "abc");
}

static void
test_quote_escapes(void **state)
{
	(void)state;
	assert_string_equal(quote("it's", 4, 64), "it\\'s");
	assert_string_equal(quote("a\\b", 3, 64), "a\\\\b");
	assert_string_equal(quote("\"q\"", 3, 64), "\"q\"");
	assert_string_equal(quote("l1\nl2\r\t", 7, 64), "l1\\x0al2\\x0d\\x09");
	assert_string_equal(quote("a\0b", 3, 64), "a\\x00b");
	assert_string_equal(quote("\x1b[31m\x7f", 6, 64), "\\x1b[31m\\x7f");
}

static void
test_quote_cuts_with_dots(void **state)
{
	const char *s = "abcdefghijklmnopqrstuvwxyz";

	(void)state;
	assert_string_equal(quote(s, 26, 10), "abcde...");
	assert_string_equal(quote(s, 26, 27), "abcdefghijklmnopqrstuv...");
	assert_string_equal(quote(s, 26, 31), s);	/* fits: no dots */
	assert_string_equal(quote(s, 5, 10), "abcde");
}

static void
test_quote_never_cuts_an_escape(void **state)
{
	(void)state;
	/* "\x0a" does not fit after "abc": cut before it */
	assert_string_equal(quote("abc\ndefgh", 9, 10), "abc...");
	assert_string_equal(quote("abcd'efgh", 9, 10), "abcd...");
}

static void
test_quote_cut_keeps_utf8_whole(void **state)
{
	(void)state;
	/* "é" would be cut after its first byte: it goes */
	assert_string_equal(quote("abcd\xc3\xa9xyzw", 10, 10), "abcd...");
	/* "€" after two of its three bytes */
	assert_string_equal(quote("abc\xe2\x82\xacxyzw", 10, 10), "abc...");
	/* a whole "é" before the cut stays */
	assert_string_equal(quote("abc\xc3\xa9xyzw", 9, 10), "abc\xc3\xa9...");
	/* a whole emoji too */
	assert_string_equal(quote("a\xf0\x9f\x98\x80xyzwv", 10, 10),
	    "a\xf0\x9f\x98\x80...");
	assert_string_equal(quote("ab\xf0\x9f\x98\x80xyzwv", 11, 10),
	    "ab...");
}

static void
test_quote_small_out(void **state)
{
	char out[8];

	(void)state;
	memset(out, '#', sizeof(out));
	tend_error_quote("abcdef", 6, out, 4);
	assert_string_equal(out, "");
	memset(out, '#', sizeof(out));
	tend_error_quote("abcdef", 6, out, 0);	/* no room: not touched */
	assert_int_equal(out[0], '#');
	tend_error_quote("abc", 3, out, 8);
	assert_string_equal(out, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_set_without_file),
		cmocka_unit_test(test_set_null_err),
		cmocka_unit_test(test_set_cuts_long_parts),
		cmocka_unit_test(test_where_forms),
		cmocka_unit_test(test_where_returns_out_and_fits),
		cmocka_unit_test(test_quote_plain),
		cmocka_unit_test(test_quote_escapes),
		cmocka_unit_test(test_quote_cuts_with_dots),
		cmocka_unit_test(test_quote_never_cuts_an_escape),
		cmocka_unit_test(test_quote_cut_keeps_utf8_whole),
		cmocka_unit_test(test_quote_small_out),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
