/* test_utf8.c: UTF-8 validation, repair, decoding and encoding
 * (lib/utf8.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "utf8.h"

/* tend_utf8_check on a string literal (which may hold NUL bytes). */
#define CHECK(lit) tend_utf8_check((lit), sizeof(lit) - 1)

static void
test_check_valid(void **state)
{
	(void)state;
	assert_int_equal(tend_utf8_check("", 0), 0);
	assert_int_equal(CHECK("plain ascii, longer than eight bytes"), 36);
	assert_int_equal(CHECK("caf\xc3\xa9"), 5);
	assert_int_equal(CHECK("\xe2\x82\xac euro"), 8);
	assert_int_equal(CHECK("\xf0\x9f\x98\x80 emoji"), 10);
	assert_int_equal(CHECK("nul \0 byte"), 10);
	/* the smallest and largest of each length */
	assert_int_equal(CHECK("\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf"
	    "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"), 19);
	/* around the surrogates */
	assert_int_equal(CHECK("\xed\x9f\xbf\xee\x80\x80"), 6);
}

static void
test_check_overlong(void **state)
{
	(void)state;
	assert_int_equal(CHECK("ab\xc0\xaf"), 2);	/* '/' in 2 bytes */
	assert_int_equal(CHECK("\xc1\xbf"), 0);
	assert_int_equal(CHECK("x\xe0\x80\xaf"), 1);	/* in 3 bytes */
	assert_int_equal(CHECK("\xe0\x9f\xbf"), 0);	/* U+07FF in 3 */
	assert_int_equal(CHECK("\xf0\x80\x80\xaf"), 0);	/* in 4 bytes */
	assert_int_equal(CHECK("\xf0\x8f\xbf\xbf"), 0);	/* U+FFFF in 4 */
}

static void
test_check_surrogates(void **state)
{
	(void)state;
	assert_int_equal(CHECK("ok\xed\xa0\x80"), 2);	/* U+D800 */
	assert_int_equal(CHECK("\xed\xbf\xbf"), 0);	/* U+DFFF */
	/* a pair, as CESU-8 writes U+1F600 */
	assert_int_equal(CHECK("\xed\xa0\xbd\xed\xb8\x80"), 0);
}

static void
test_check_above_max(void **state)
{
	(void)state;
	assert_int_equal(CHECK("\xf4\x90\x80\x80"), 0);	/* U+110000 */
	assert_int_equal(CHECK("a\xf5\x80\x80\x80"), 1);
	assert_int_equal(CHECK("\xf8\x88\x80\x80\x80"), 0);
	assert_int_equal(CHECK("\xfe"), 0);
	assert_int_equal(CHECK("\xff"), 0);
}

static void
test_check_bad_continuation(void **state)
{
	(void)state;
	assert_int_equal(CHECK("\x80"), 0);		/* lone continuation */
	assert_int_equal(CHECK("abcdefgh\xbf"), 8);	/* after an ASCII run */
	assert_int_equal(CHECK("\xc3("), 0);
	assert_int_equal(CHECK("\xe2\x82("), 0);
	assert_int_equal(CHECK("\xf0\x9f\x98("), 0);
}

static void
test_check_truncated_at_end(void **state)
{
	(void)state;
	assert_int_equal(CHECK("caf\xc3"), 3);
	assert_int_equal(CHECK("\xe2\x82"), 0);
	assert_int_equal(CHECK("12345678\xf0\x9f\x98"), 8);
	/* the length bounds the check, not a NUL */
	assert_int_equal(tend_utf8_check("\xc3\xa9", 1), 0);
}

static void
test_repair(void **state)
{
	struct tend_buf out;
	size_t n;

	(void)state;
	tend_buf_init(&out);
	n = tend_utf8_repair(&out, "a\xff" "b\xc3\xa9" "c\xed\xa0\x80" "d\xc3",
	    12);
	/* each invalid byte is one U+FFFD: 0xff, then 0xed 0xa0 0x80 (three
	 * bytes that start no valid sequence), then the truncated 0xc3 */
	assert_int_equal(n, 5);
	assert_string_equal(out.data, "a\xef\xbf\xbd" "b\xc3\xa9" "c"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "d\xef\xbf\xbd");
	assert_int_equal(tend_utf8_check(out.data, out.len), out.len);
	tend_buf_release(&out);
}

static void
test_repair_valid_is_a_copy(void **state)
{
	struct tend_buf out;

	(void)state;
	tend_buf_init(&out);
	tend_buf_adds(&out, ">");
	assert_int_equal(tend_utf8_repair(&out, "caf\xc3\xa9\0!", 7), 0);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.data, ">caf\xc3\xa9\0!", 8);
	assert_int_equal(tend_utf8_repair(&out, "", 0), 0);
	assert_int_equal(out.len, 8);
	tend_buf_release(&out);
}

static void
test_next_decodes(void **state)
{
	const char s[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	const char *p = s, *end = s + sizeof(s) - 1;

	(void)state;
	assert_int_equal(tend_utf8_next(&p, end), 'a');
	assert_int_equal(tend_utf8_next(&p, end), 0xe9);
	assert_int_equal(tend_utf8_next(&p, end), 0x20ac);
	assert_int_equal(tend_utf8_next(&p, end), 0x1f600);
	assert_ptr_equal(p, end);
}

static void
test_next_invalid_advances_one(void **state)
{
	const char s[] = "\xff\xc3\xe2\x82";
	const char *p = s, *end = s + sizeof(s) - 1;

	(void)state;
	assert_int_equal(tend_utf8_next(&p, end), TEND_UTF8_REPLACEMENT);
	assert_ptr_equal(p, s + 1);
	/* 0xc3 followed by a lead byte */
	assert_int_equal(tend_utf8_next(&p, end), TEND_UTF8_REPLACEMENT);
	assert_ptr_equal(p, s + 2);
	/* 0xe2 0x82 truncated by end */
	assert_int_equal(tend_utf8_next(&p, end), TEND_UTF8_REPLACEMENT);
	assert_ptr_equal(p, s + 3);
	assert_int_equal(tend_utf8_next(&p, end), TEND_UTF8_REPLACEMENT);
	assert_ptr_equal(p, end);
}

static void
test_encode_next_round_trip(void **state)
{
	static const uint32_t cps[] = {
		0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff,
		0x10000, 0x1f600, 0x10ffff
	};
	static const size_t lens[] = { 1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		char enc[4];
		const char *p = enc;
		size_t k = tend_utf8_encode(cps[i], enc);

		assert_int_equal(k, lens[i]);
		assert_int_equal(tend_utf8_check(enc, k), k);
		assert_int_equal(tend_utf8_next(&p, enc + k), cps[i]);
		assert_ptr_equal(p, enc + k);
	}
}

static void
test_encode_rejects_non_scalars(void **state)
{
	char enc[4];

	(void)state;
	assert_int_equal(tend_utf8_encode(0xd800, enc), 0);
	assert_int_equal(tend_utf8_encode(0xdfff, enc), 0);
	assert_int_equal(tend_utf8_encode(0x110000, enc), 0);
	assert_int_equal(tend_utf8_encode(0xffffffffu, enc), 0);
}

static void
test_add(void **state)
{
	struct tend_buf out;

	(void)state;
	tend_buf_init(&out);
	tend_utf8_add(&out, 'x');
	tend_utf8_add(&out, 0xe9);
	tend_utf8_add(&out, 0xdc00);	/* not encodable: U+FFFD */
	tend_utf8_add(&out, 0x110000);
	assert_string_equal(out.data, "x\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd");
	tend_buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_valid),
		cmocka_unit_test(test_check_overlong),
		cmocka_unit_test(test_check_surrogates),
		cmocka_unit_test(test_check_above_max),
		cmocka_unit_test(test_check_bad_continuation),
		cmocka_unit_test(test_check_truncated_at_end),
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_repair_valid_is_a_copy),
		cmocka_unit_test(test_next_decodes),
		cmocka_unit_test(test_next_invalid_advances_one),
		cmocka_unit_test(test_encode_next_round_trip),
		cmocka_unit_test(test_encode_rejects_non_scalars),
		cmocka_unit_test(test_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
