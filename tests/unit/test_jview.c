/* test_jview.c: the validating JSON object view (lib/jview.h), its verdict
 * checked against jansson's on every grammar corner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "buf.h"
#include "jview.h"

struct verdict_case {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	int valid;
};

#define OK(s) { s, 0, 1 }
#define BAD(s) { s, 0, 0 }
#define OKN(s) { s, sizeof(s) - 1, 1 }
#define BADN(s) { s, sizeof(s) - 1, 0 }

static const struct verdict_case cases[] = {
	/* objects, whitespace around and inside */
	OK("{}"), OK(" {} "), OK("\t{\n}\r\n"), OK("{ \"a\" : 1 , \"b\" :2 }"),
	OK("{\"\":1}"), OK("{\"a\":1,\"A\":2}"),
	OK("{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}"),
	OK("{\"a\":[1,[2,{}],{\"b\":null},[]],\"c\":{}}"),
	OK("{\"a\":true,\"b\":false,\"c\":null}"),
	/* not one object */
	BAD(""), BAD("   "), BAD("[]"), BAD("[{}]"), BAD("1"), BAD("\"a\""),
	BAD("null"), BAD("{"), BAD("}"), BAD("{\"a\":1}x"), BAD("{\"a\":1}{}"),
	BAD("{\"a\":1}}"), BAD("{}]"), BADN("{}\0"), BAD("\xef\xbb\xbf{}"),
	/* members */
	BAD("{\"a\"}"), BAD("{\"a\" 1}"), BAD("{\"a\":}"), BAD("{\"a\":1,}"),
	BAD("{,}"), BAD("{,\"a\":1}"), BAD("{\"a\":1 \"b\":2}"),
	BAD("{\"a\":1,,\"b\":2}"), BAD("{a:1}"), BAD("{'a':1}"), BAD("{1:1}"),
	BAD("{\"a\"::1}"), BAD("{\"a\":[1,]}"), BAD("{\"a\":[,1]}"),
	BAD("{\"a\":[1 2]}"), BAD("{\"a\":[}"), BAD("{\"a\":{]}"),
	BAD("{\"a\":[1}"),
	/* literals */
	BAD("{\"a\":tru}"), BAD("{\"a\":truex}"), BAD("{\"a\":nul}"),
	BAD("{\"a\":True}"), BAD("{\"a\":nulll}"), BAD("{\"a\":true1}"),
	BAD("{\"a\":fals}"), BAD("{\"a\":undefined}"),
	/* numbers */
	OK("{\"a\":0}"), OK("{\"a\":-0}"), OK("{\"a\":0.5}"), OK("{\"a\":1e5}"),
	OK("{\"a\":1E+5}"), OK("{\"a\":1e-5}"), OK("{\"a\":-1.5e-3}"),
	OK("{\"a\":10.0e00}"), OK("{\"a\":-0.0}"),
	BAD("{\"a\":01}"), BAD("{\"a\":-01}"), BAD("{\"a\":00}"),
	BAD("{\"a\":-}"), BAD("{\"a\":1.}"), BAD("{\"a\":.5}"), BAD("{\"a\":1e}"),
	BAD("{\"a\":1e+}"), BAD("{\"a\":1.e5}"), BAD("{\"a\":+1}"),
	BAD("{\"a\":0x1}"), BAD("{\"a\":1.5.5}"), BAD("{\"a\":1-2}"),
	BAD("{\"a\":- 1}"), BAD("{\"a\":NaN}"), BAD("{\"a\":Infinity}"),
	/* integer and real limits */
	OK("{\"a\":9223372036854775807}"), OK("{\"a\":-9223372036854775808}"),
	BAD("{\"a\":9223372036854775808}"), BAD("{\"a\":-9223372036854775809}"),
	BAD("{\"a\":123456789012345678901234567890}"),
	OK("{\"a\":123456789012345678901234567890.0}"),
	OK("{\"a\":1.7976931348623157e308}"), OK("{\"a\":-1.7976931348623157e308}"),
	OK("{\"a\":1.7976931348623158e308}"),
	BAD("{\"a\":1.7976931348623159e308}"), BAD("{\"a\":1e309}"),
	BAD("{\"a\":-1e309}"), BAD("{\"a\":1e99999999999999999999}"),
	BAD("{\"a\":0.01e311}"), OK("{\"a\":0.001e311}"),
	OK("{\"a\":1e-400}"), OK("{\"a\":-1e-99999999999999999999}"),
	OK("{\"a\":0e99999999999999999999}"), OK("{\"a\":0.000e400}"),
	/* strings and escapes */
	OK("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}"),
	OK("{\"a\":\"\\u0041\\u00e9\\u00E9\\u20ac\\uffff\"}"),
	OK("{\"a\":\"\\ud83d\\ude00\"}"), OK("{\"a\":\"\\uD800\\uDC00\"}"),
	OK("{\"a\":\"\\udbff\\udfff\"}"),
	BAD("{\"a\":\"\\u\"}"), BAD("{\"a\":\"\\u12\"}"), BAD("{\"a\":\"\\u123\"}"),
	BAD("{\"a\":\"\\u12G4\"}"), BAD("{\"a\":\"\\x41\"}"), BAD("{\"a\":\"\\a\"}"),
	BAD("{\"a\":\"\\U0041\"}"), BAD("{\"a\":\"\\'\"}"), BAD("{\"a\":\"\\\"}"),
	BAD("{\"a\":\"\\ud800\"}"), BAD("{\"a\":\"\\uD800x\"}"),
	BAD("{\"a\":\"\\udc00\"}"), BAD("{\"a\":\"\\udc00\\ud800\"}"),
	BAD("{\"a\":\"\\ud800\\u0041\"}"), BAD("{\"a\":\"\\ud800\\ud800\"}"),
	BAD("{\"a\":\"\\ud800\\n\"}"), BAD("{\"a\":\"\\ud800\\\\udc00\"}"),
	BAD("{\"a\":\"\\u0000\"}"), BAD("{\"\\u0000\":1}"),
	BAD("{\"a\":\"x\\u0000y\"}"),
	BAD("{\"a\":\"unterminated}"), BAD("{\"a\":\"x"), BAD("{\"a"),
	/* control characters, raw */
	BAD("{\"a\":\"\t\"}"), BAD("{\"a\":\"\n\"}"), BAD("{\"a\":\"\x1f\"}"),
	BAD("{\"a\x01\":1}"), BADN("{\"a\":\"\0\"}"), OK("{\"a\":\"\x7f\"}"),
	/* UTF-8 */
	OK("{\"caf\xc3\xa9\":\"\xf0\x9f\x98\x80 \xe2\x82\xac \xf4\x8f\xbf\xbf\"}"),
	BAD("{\"a\":\"\xc3\"}"), BAD("{\"a\":\"\xc3(\"}"),
	BAD("{\"a\":\"\xc0\xaf\"}"), BAD("{\"a\":\"\xe0\x80\xaf\"}"),
	BAD("{\"a\":\"\xed\xa0\x80\"}"), BAD("{\"a\":\"\xf4\x90\x80\x80\"}"),
	BAD("{\"a\":\"\xf5\x80\x80\x80\"}"), BAD("{\"a\":\"\x80\"}"),
	BAD("{\"a\":\"\xff\"}"), BAD("{\"a\":\xc3\xa9}"), BAD("{\"a\":1}\xc3\xa9"),
	/* duplicate names, in any object, after decoding */
	BAD("{\"a\":1,\"a\":2}"), BAD("{\"a\":1,\"b\":2,\"a\":1}"),
	BAD("{\"b\":{\"a\":1,\"a\":2}}"), BAD("{\"a\":[{\"x\":1,\"x\":1}]}"),
	BAD("{\"a\":1,\"\\u0061\":2}"), BAD("{\"ab\":1,\"a\\u0062\":2}"),
	BAD("{\"\\u0061\":1,\"\\u0061\":2}"), BAD("{\"\\u00e9\":1,\"\xc3\xa9\":2}"),
	BAD("{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}"),
	BAD("{\"\\n\":1,\"\\u000a\":2}"), BAD("{\"/\":1,\"\\/\":2}"),
	BAD("{\"\":1,\"\":2}"),
	OK("{\"a\":1,\"\\u0062\":2}"), OK("{\"ab\":1,\"a\\u0063\":2}"),
	OK("{\"a\":{\"b\":1},\"b\":{\"a\":1}}"),
	OK("{\"x\":[{\"a\":1},{\"a\":1}]}"),
	/* the NUL jansson's lexer drops after a number or a literal */
	OKN("{\"a\":1\0}"), OKN("{\"a\":1.5\0,\"b\":true\0}"),
	OKN("{\"a\":[null\0,false\0]}"), BADN("{\"a\":1\0\0}"),
	BADN("{\"a\":\"x\"\0}"), BADN("{\"a\":{}\0}"), BADN("{\"a\":1 \0}"),
	BADN("{\"a\0\":1}"), BADN("{\0\"a\":1}"),
};

/* 1 when json_loadb(JSON_REJECT_DUPLICATES) parses s to an object. */
static int
jansson_accepts(const char *s, size_t n)
{
	json_error_t jerr;
	json_t *root = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
	int ok = root && json_is_object(root);

	json_decref(root);
	return ok;
}

static void
check_verdict(struct tend_jview *v, const char *s, size_t n, int valid)
{
	int ours = tend_jview_parse(v, s, n) == 0;
	int theirs = jansson_accepts(s, n);

	if (ours != theirs || ours != valid)
		fail_msg("'%.60s' (%zu bytes): jview %d, jansson %d, "
		    "expected %d", s, n, ours, theirs, valid);
}

static void
test_verdicts(void **state)
{
	struct tend_jview v;
	size_t i;

	(void)state;
	tend_jview_init(&v);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_verdict(&v, cases[i].text, cases[i].len ? cases[i].len :
		    strlen(cases[i].text), cases[i].valid);
	tend_jview_release(&v);
}

/* {"a": then `arrays` opening brackets, inner, the closing ones, }. */
static char *
nested(size_t arrays, const char *inner)
{
	struct tend_buf b = TEND_BUF_INIT;
	size_t i;

	tend_buf_adds(&b, "{\"a\":");
	for (i = 0; i < arrays; i++)
		tend_buf_addc(&b, '[');
	tend_buf_adds(&b, inner);
	for (i = 0; i < arrays; i++)
		tend_buf_addc(&b, ']');
	tend_buf_addc(&b, '}');
	return tend_buf_detach(&b);
}

static void
check_nested(struct tend_jview *v, size_t arrays, const char *inner,
    int valid)
{
	char *s = nested(arrays, inner);

	check_verdict(v, s, strlen(s), valid);
	free(s);
}

static void
test_depth_limit(void **state)
{
	struct tend_jview v;
	struct tend_buf b = TEND_BUF_INIT;
	size_t i;

	(void)state;
	tend_jview_init(&v);
	/* the object is level 1: 2047 arrays reach the limit of 2048 */
	check_nested(&v, 2047, "", 1);
	check_nested(&v, 2048, "", 0);
	/* a scalar is a value too, one level down */
	check_nested(&v, 2046, "1", 1);
	check_nested(&v, 2047, "1", 0);
	check_nested(&v, 2046, "{}", 1);
	check_nested(&v, 2047, "{}", 0);
	check_nested(&v, 5000, "", 0);
	/* objects in objects */
	for (i = 0; i < 2048; i++)
		tend_buf_adds(&b, "{\"k\":");
	tend_buf_adds(&b, "{}");
	for (i = 0; i < 2048; i++)
		tend_buf_addc(&b, '}');
	check_verdict(&v, b.data + 5, b.len - 6, 1);
	check_verdict(&v, b.data, b.len, 0);
	tend_buf_release(&b);
	tend_jview_release(&v);
}

/* An object of n members "k0".."k(n-1)", then extra before the brace. */
static void
check_large(struct tend_jview *v, size_t n, const char *extra, int valid)
{
	struct tend_buf b = TEND_BUF_INIT;
	size_t i;

	tend_buf_adds(&b, "{\"o\":{");
	for (i = 0; i < n; i++)
		tend_buf_printf(&b, "%s\"k%zu\":%zu", i ? "," : "", i, i);
	tend_buf_adds(&b, extra);
	tend_buf_adds(&b, "},\"p\":1}");
	check_verdict(v, b.data, b.len, valid);
	tend_buf_release(&b);
}

static void
test_duplicates_in_large_objects(void **state)
{
	struct tend_jview v;

	(void)state;
	tend_jview_init(&v);
	check_large(&v, 16, "", 1);
	check_large(&v, 16, ",\"k3\":0", 0);
	check_large(&v, 40, "", 1);
	check_large(&v, 40, ",\"k0\":0", 0);
	check_large(&v, 40, ",\"k\\u00339\":0", 0);
	check_large(&v, 40, ",\"k\\u0034\\u0030\":0", 1);
	check_large(&v, 5000, "", 1);
	check_large(&v, 5000, ",\"k4999\":0", 0);
	check_large(&v, 5000, ",\"\\u006b2500\":0", 0);
	tend_jview_release(&v);
}

static const char record[] =
    " {\"id\":\"twitter:1\",\"t\\u0065xt\":\"caf\\u00e9 \\\"ok\\\"\","
    "\"plain\":\"no escapes\",\"author\":{\"handle\":\"@ana\","
    "\"followers\":1200,\"verified\":true,\"meta\":{\"x\":{\"y\":-2}},"
    "\"s\\u0070\":\"sp\"},\"links\":[\"a\", 2 , {\"b\":[3]},[ ],null,"
    "1.5],\"empty\":[],\"n\":null,\"r\":-2.5e-1,\"decoy\":\"\\\"text\\\":1\","
    "\"big\":9223372036854775807,\"small\":-9223372036854775808} ";

static struct tend_jval
get(struct tend_jview *v, const char *path)
{
	return tend_jview_get(v, path);
}

static void
assert_str(struct tend_jview *v, const char *path, const char *want)
{
	size_t len;
	const char *got = tend_jview_str(v, get(v, path), &len);

	assert_non_null(got);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(got, want, len);
	assert_true(tend_jview_str_equal(v, get(v, path), want, len));
}

static void
test_get_paths(void **state)
{
	struct tend_jview v;
	struct tend_jval val;

	(void)state;
	tend_jview_init(&v);
	assert_int_equal(tend_jview_parse(&v, record, strlen(record)), 0);
	val = get(&v, "id");
	assert_int_equal(val.type, TEND_JSTRING);
	assert_memory_equal(record + val.start, "\"twitter:1\"", 11);
	assert_int_equal(val.end - val.start, 11);
	assert_int_equal(get(&v, "author").type, TEND_JOBJECT);
	assert_int_equal(record[get(&v, "author").end - 1], '}');
	assert_int_equal(get(&v, "author.followers").type, TEND_JINT);
	assert_int_equal(get(&v, "author.verified").type, TEND_JTRUE);
	assert_int_equal(get(&v, "author.meta.x.y").type, TEND_JINT);
	assert_int_equal(get(&v, "links").type, TEND_JARRAY);
	assert_int_equal(get(&v, "n").type, TEND_JNULL);
	assert_int_equal(get(&v, "r").type, TEND_JREAL);
	assert_str(&v, "author.handle", "@ana");
	assert_str(&v, "author.sp", "sp");		/* escaped nested key */
	assert_str(&v, "text", "caf\xc3\xa9 \"ok\"");	/* escaped key */
	/* absent, or a step that is not an object */
	assert_int_equal(get(&v, "missing").type, TEND_JNONE);
	assert_int_equal(get(&v, "author.missing").type, TEND_JNONE);
	assert_int_equal(get(&v, "author.handle.x").type, TEND_JNONE);
	assert_int_equal(get(&v, "links.b").type, TEND_JNONE);
	assert_int_equal(get(&v, "id.x").type, TEND_JNONE);
	assert_int_equal(get(&v, "handle").type, TEND_JNONE);
	assert_int_equal(get(&v, "b").type, TEND_JNONE);
	assert_int_equal(get(&v, "").type, TEND_JNONE);
	assert_int_equal(get(&v, "author.").type, TEND_JNONE);
	assert_int_equal(get(&v, "tex").type, TEND_JNONE);
	assert_int_equal(get(&v, "texts").type, TEND_JNONE);
	/* a key's text inside a string value is not a key */
	assert_str(&v, "decoy", "\"text\":1");
	tend_jview_release(&v);
}

/* The members of top-level objects are indexed too: each object its own,
 * none for an empty one, and a new line replaces the last one's. */
static void
test_inner_index(void **state)
{
	static const char a[] = "{\"e\":{},\"p\":{\"x\":1,\"y\":{\"x\":2}},"
	    "\"q\":{\"x\":\"q\",\"z\":[{\"x\":3}]},\"x\":4}";
	static const char b[] = "{\"q\":{\"w\":5}}";
	struct tend_jview v;
	long long n;

	(void)state;
	tend_jview_init(&v);
	assert_int_equal(tend_jview_parse(&v, a, strlen(a)), 0);
	assert_int_equal(get(&v, "e.x").type, TEND_JNONE);
	assert_int_equal(tend_jview_int(&v, get(&v, "p.x"), &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(tend_jview_int(&v, get(&v, "p.y.x"), &n), 0);
	assert_int_equal(n, 2);
	assert_str(&v, "q.x", "q");
	assert_int_equal(get(&v, "q.z").type, TEND_JARRAY);
	assert_int_equal(get(&v, "q.z.x").type, TEND_JNONE);
	assert_int_equal(get(&v, "p.z").type, TEND_JNONE);
	assert_int_equal(tend_jview_int(&v, get(&v, "x"), &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(tend_jview_parse(&v, b, strlen(b)), 0);
	assert_int_equal(get(&v, "q.x").type, TEND_JNONE);
	assert_int_equal(tend_jview_int(&v, get(&v, "q.w"), &n), 0);
	assert_int_equal(n, 5);
	tend_jview_release(&v);
}

static void
test_strings(void **state)
{
	static const char s[] = "{\"plain\":\"a b\",\"esc\":\"\\ud83d\\ude00"
	    "\\n\\t\\/\\\\\\b\\f\\r\\u20AC\",\"empty\":\"\",\"n\":1}";
	struct tend_jview v;
	const char *p, *q;
	size_t len;

	(void)state;
	tend_jview_init(&v);
	assert_int_equal(tend_jview_parse(&v, s, strlen(s)), 0);
	/* no escapes: the bytes in the line */
	p = tend_jview_str(&v, get(&v, "plain"), &len);
	assert_ptr_equal(p, strstr(s, "a b"));
	assert_int_equal(len, 3);
	assert_str(&v, "esc",
	    "\xf0\x9f\x98\x80\n\t/\\\b\f\r\xe2\x82\xac");
	q = tend_jview_str(&v, get(&v, "esc"), &len);
	assert_true(q < s || q >= s + sizeof(s));
	assert_int_equal(q[len], '\0');
	assert_str(&v, "empty", "");
	assert_null(tend_jview_str(&v, get(&v, "n"), &len));
	assert_null(tend_jview_str(&v, get(&v, "missing"), &len));
	assert_false(tend_jview_str_equal(&v, get(&v, "plain"), "a", 1));
	assert_false(tend_jview_str_equal(&v, get(&v, "plain"), "a bc", 4));
	assert_false(tend_jview_str_equal(&v, get(&v, "esc"),
	    "\xf0\x9f\x98\x80", 4));
	assert_false(tend_jview_str_equal(&v, get(&v, "n"), "1", 1));
	tend_jview_release(&v);
}

static void
test_numbers(void **state)
{
	static const char nums[] = "{\"z\":-0,\"e\":1E+2,\"f\":0.0625,"
	    "\"g\":120e-1}";
	struct tend_jview v;
	long long i;
	double d;

	(void)state;
	tend_jview_init(&v);
	assert_int_equal(tend_jview_parse(&v, record, strlen(record)), 0);
	assert_int_equal(tend_jview_int(&v, get(&v, "big"), &i), 0);
	assert_true(i == 9223372036854775807LL);
	assert_int_equal(tend_jview_int(&v, get(&v, "small"), &i), 0);
	assert_true(i == -9223372036854775807LL - 1);
	assert_int_equal(tend_jview_int(&v, get(&v, "author.followers"), &i),
	    0);
	assert_int_equal(i, 1200);
	assert_int_equal(tend_jview_int(&v, get(&v, "author.meta.x.y"), &i),
	    0);
	assert_int_equal(i, -2);
	assert_int_equal(tend_jview_int(&v, get(&v, "r"), &i), -1);
	assert_int_equal(tend_jview_int(&v, get(&v, "id"), &i), -1);
	assert_int_equal(tend_jview_int(&v, get(&v, "missing"), &i), -1);
	assert_int_equal(tend_jview_real(&v, get(&v, "r"), &d), 0);
	assert_true(d == -0.25);
	assert_int_equal(tend_jview_real(&v, get(&v, "author.followers"), &d),
	    0);
	assert_true(d == 1200.0);
	assert_int_equal(tend_jview_real(&v, get(&v, "n"), &d), -1);
	assert_int_equal(tend_jview_parse(&v, nums, strlen(nums)), 0);
	assert_int_equal(tend_jview_int(&v, get(&v, "z"), &i), 0);
	assert_int_equal(i, 0);
	assert_int_equal(tend_jview_real(&v, get(&v, "e"), &d), 0);
	assert_true(d == 100.0);
	assert_int_equal(tend_jview_real(&v, get(&v, "f"), &d), 0);
	assert_true(d == 0.0625);
	assert_int_equal(tend_jview_real(&v, get(&v, "g"), &d), 0);
	assert_true(d == 12.0);
	tend_jview_release(&v);
}

static void
test_arrays(void **state)
{
	static const enum tend_jtype want[] = { TEND_JSTRING, TEND_JINT,
		TEND_JOBJECT, TEND_JARRAY, TEND_JNULL, TEND_JREAL };
	static const char nul[] = "{\"a\":[1\0,true\0]}";
	struct tend_jview v;
	struct tend_jval a, e;
	size_t it = 0, n = 0, len;
	long long i;

	(void)state;
	tend_jview_init(&v);
	assert_int_equal(tend_jview_parse(&v, record, strlen(record)), 0);
	a = get(&v, "links");
	while (tend_jview_next(&v, a, &it, &e)) {
		assert_true(n < 6);
		assert_int_equal(e.type, want[n]);
		if (n == 0)
			assert_memory_equal(tend_jview_str(&v, e, &len), "a", 1);
		if (n == 1) {
			assert_int_equal(tend_jview_int(&v, e, &i), 0);
			assert_int_equal(i, 2);
		}
		if (n == 2)
			assert_memory_equal(record + e.start, "{\"b\":[3]}", 9);
		if (n == 3)
			assert_memory_equal(record + e.start, "[ ]", 3);
		n++;
	}
	assert_int_equal(n, 6);
	assert_int_equal(tend_jview_next(&v, a, &it, &e), 0);
	it = 0;
	assert_int_equal(tend_jview_next(&v, get(&v, "empty"), &it, &e), 0);
	it = 0;
	assert_int_equal(tend_jview_next(&v, get(&v, "author"), &it, &e), 0);
	it = 0;
	assert_int_equal(tend_jview_next(&v, get(&v, "missing"), &it, &e), 0);
	assert_int_equal(tend_jview_parse(&v, nul, sizeof(nul) - 1), 0);
	a = get(&v, "a");
	it = 0;
	assert_int_equal(tend_jview_next(&v, a, &it, &e), 1);
	assert_int_equal(e.end - e.start, 1);
	assert_int_equal(tend_jview_next(&v, a, &it, &e), 1);
	assert_int_equal(e.type, TEND_JTRUE);
	assert_int_equal(e.end - e.start, 4);
	assert_int_equal(tend_jview_next(&v, a, &it, &e), 0);
	tend_jview_release(&v);
}

static void
test_members(void **state)
{
	static const char *names[] = { "id", "text", "plain", "author",
		"links", "empty", "n", "r", "decoy", "big", "small" };
	struct tend_jview v;
	struct tend_jval val;
	const char *key;
	size_t i, len;

	(void)state;
	tend_jview_init(&v);
	assert_int_equal(tend_jview_count(&v), 0);
	assert_int_equal(tend_jview_parse(&v, record, strlen(record)), 0);
	assert_int_equal(tend_jview_count(&v), 11);
	for (i = 0; i < 11; i++) {
		key = tend_jview_member(&v, i, &len, &val);
		assert_int_equal(len, strlen(names[i]));
		assert_memory_equal(key, names[i], len);
		assert_int_equal(tend_jview_find(&v, names[i], len), (long)i);
		assert_int_equal(val.start, get(&v, names[i]).start);
		assert_int_equal(val.end, get(&v, names[i]).end);
	}
	assert_int_equal(record[v.object_start], '{');
	assert_int_equal(record[v.object_end - 1], '}');
	assert_int_equal(tend_jview_find(&v, "nope", 4), -1);
	/* reused: a failed parse leaves no members, a good one its own */
	assert_int_equal(tend_jview_parse(&v, "{\"a\":1,\"a\":2}", 13), -1);
	assert_int_equal(tend_jview_count(&v), 0);
	assert_int_equal(get(&v, "a").type, TEND_JNONE);
	assert_int_equal(tend_jview_parse(&v, "{}", 2), 0);
	assert_int_equal(tend_jview_count(&v), 0);
	assert_int_equal(tend_jview_parse(&v, "{\"b\":{\"c\":1}}", 13), 0);
	assert_int_equal(tend_jview_count(&v), 1);
	assert_int_equal(get(&v, "b.c").type, TEND_JINT);
	tend_jview_release(&v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_duplicates_in_large_objects),
		cmocka_unit_test(test_get_paths),
		cmocka_unit_test(test_inner_index),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_members),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
