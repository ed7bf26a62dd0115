/* test_jscan.c: positions of top-level members in JSON object text
 * (lib/jscan.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jscan.h"

/* Finds key in s: its member must start at the text member (a unique
 * part of s, from the key's opening quote) and its value be value. */
static void
assert_found(const char *s, const char *key, const char *member,
    const char *value)
{
	struct tend_jspan span;
	const char *m = strstr(s, member);

	assert_non_null(m);
	assert_int_equal(tend_jscan_find(s, strlen(s), key, &span), 1);
	assert_int_equal(span.member_start, (size_t)(m - s));
	assert_true(span.value_start <= span.value_end);
	assert_int_equal(span.value_end - span.value_start, strlen(value));
	assert_memory_equal(s + span.value_start, value, strlen(value));
}

static int
find(const char *s, const char *key)
{
	struct tend_jspan span;

	return tend_jscan_find(s, strlen(s), key, &span);
}

static void
test_find_simple(void **state)
{
	const char *s = "{\"id\":\"tw:1\",\"text\":\"hello\"}";

	(void)state;
	assert_found(s, "id", "\"id\"", "\"tw:1\"");
	assert_found(s, "text", "\"text\"", "\"hello\"");
}

static void
test_find_skips_nested_values(void **state)
{
	const char *s = "{\"a\":{\"text\":\"inner\",\"b\":[1,{\"c\":2}]},"
	    "\"l\":[[\"text\"],{}],\"text\":\"outer\"}";

	(void)state;
	assert_found(s, "a", "\"a\"",
	    "{\"text\":\"inner\",\"b\":[1,{\"c\":2}]}");
	assert_found(s, "l", "\"l\"", "[[\"text\"],{}]");
	assert_found(s, "text", "\"text\":\"outer\"", "\"outer\"");
	assert_int_equal(find(s, "c"), 0);
	assert_int_equal(find(s, "b"), 0);
}

static void
test_find_strings_with_braces_and_quotes(void **state)
{
	const char *s = "{\"a\":\"}{\\\"text\\\":1,\",\"b\":{\"x\":\"]}\\\"\"},"
	    "\"text\":2}";

	(void)state;
	assert_found(s, "a", "\"a\"", "\"}{\\\"text\\\":1,\"");
	assert_found(s, "b", "\"b\"", "{\"x\":\"]}\\\"\"}");
	assert_found(s, "text", "\"text\":2", "2");
}

static void
test_find_after_escaped_backslash(void **state)
{
	/* "x\\" ends the string: the quote after the backslashes closes it */
	const char *s = "{\"a\":\"x\\\\\",\"text\":3}";

	(void)state;
	assert_found(s, "text", "\"text\"", "3");
}

static void
test_find_escaped_keys(void **state)
{
	(void)state;
	assert_found("{\"t\\u0065xt\":1}", "text", "\"t\\u", "1");
	assert_found("{\"caf\\u00e9\":1}", "caf\xc3\xa9", "\"caf", "1");
	assert_found("{\"caf\\u00E9\":1}", "caf\xc3\xa9", "\"caf", "1");
	assert_found("{\"\\ud83d\\ude00\":1}", "\xf0\x9f\x98\x80", "\"\\u",
	    "1");
	assert_found("{\"a\\/b\":1}", "a/b", "\"a", "1");
	assert_found("{\"tab\\tkey\":1}", "tab\tkey", "\"tab", "1");
	assert_found("{\"q\\\"k\":1}", "q\"k", "\"q", "1");
	/* an unescaped UTF-8 key */
	assert_found("{\"caf\xc3\xa9\":1}", "caf\xc3\xa9", "\"caf", "1");
	/* decoding does not make a longer key equal */
	assert_int_equal(find("{\"t\\u0065xts\":1}", "text"), 0);
	assert_int_equal(find("{\"t\\u0065x\":1}", "text"), 0);
}

static void
test_find_needs_the_whole_key(void **state)
{
	const char *s = "{\"textual\":1,\"tex\":2,\"Text\":3}";

	(void)state;
	assert_int_equal(find(s, "text"), 0);
	assert_found(s, "tex", "\"tex\"", "2");
	assert_int_equal(find(s, ""), 0);
	assert_found("{\"\":5}", "", "\"\"", "5");
}

static void
test_find_with_whitespace(void **state)
{
	const char *s = "  {  \"a\" : 1 ,\n\t\"text\"\r\n:  \"v\"  , \"z\" :"
	    "[ 1 , 2 ] }  ";

	(void)state;
	assert_found(s, "a", "\"a\"", "1");
	assert_found(s, "text", "\"text\"", "\"v\"");
	assert_found(s, "z", "\"z\"", "[ 1 , 2 ]");
}

static void
test_find_scalars(void **state)
{
	const char *s = "{\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null,"
	    "\"i\":0}";

	(void)state;
	assert_found(s, "n", "\"n\"", "-1.5e3");
	assert_found(s, "t", "\"t\"", "true");
	assert_found(s, "f", "\"f\"", "false");
	assert_found(s, "z", "\"z\"", "null");
	assert_found(s, "i", "\"i\"", "0");
}

static void
test_find_absent(void **state)
{
	(void)state;
	assert_int_equal(find("{}", "id"), 0);
	assert_int_equal(find("{ }", "id"), 0);
	assert_int_equal(find("{\"ids\":[\"id\"],\"x\":\"id\"}", "id"), 0);
}

static void
test_find_non_objects(void **state)
{
	struct tend_jspan span;

	(void)state;
	assert_int_equal(find("[{\"id\":1}]", "id"), -1);
	assert_int_equal(find("\"id\"", "id"), -1);
	assert_int_equal(find("1", "id"), -1);
	assert_int_equal(find("null", "id"), -1);
	assert_int_equal(find("", "id"), -1);
	assert_int_equal(find("   ", "id"), -1);
	/* the length bounds the text */
	assert_int_equal(tend_jscan_find("{\"id\":1}", 0, "id", &span), -1);
}

static long
end(const char *s)
{
	return tend_jscan_object_end(s, strlen(s));
}

static void
test_object_end(void **state)
{
	(void)state;
	assert_int_equal(end("{}"), 1);
	assert_int_equal(end("{\"a\":1}"), 6);
	assert_int_equal(end("{\"a\":{\"b\":\"}\"}}"), 14);
	assert_int_equal(end("{\"a\":\"\\\"}\"}"), 10);
	assert_int_equal(end("  {\"a\":[1,{}]}  "), 13);
	assert_int_equal(end("{\"a\":1}{\"b\":2}"), 6);
}

static void
test_object_end_not_an_object(void **state)
{
	(void)state;
	assert_int_equal(end(""), -1);
	assert_int_equal(end("   "), -1);
	assert_int_equal(end("[1]"), -1);
	assert_int_equal(end("\"{}\""), -1);
	assert_int_equal(end("{\"a\":1"), -1);
	assert_int_equal(tend_jscan_object_end("{\"a\":1}", 6), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_simple),
		cmocka_unit_test(test_find_skips_nested_values),
		cmocka_unit_test(test_find_strings_with_braces_and_quotes),
		cmocka_unit_test(test_find_after_escaped_backslash),
		cmocka_unit_test(test_find_escaped_keys),
		cmocka_unit_test(test_find_needs_the_whole_key),
		cmocka_unit_test(test_find_with_whitespace),
		cmocka_unit_test(test_find_scalars),
		cmocka_unit_test(test_find_absent),
		cmocka_unit_test(test_find_non_objects),
		cmocka_unit_test(test_object_end),
		cmocka_unit_test(test_object_end_not_an_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
