/* test_text.c: the text normaliser (lib/text.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strmap.h"
#include "text.h"

static void
check_fold(const char *in, const char *want)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_text_fold(&b, in, strlen(in));
	assert_string_equal(b.data ? b.data : "", want);
	tend_buf_release(&b);
}

static void
test_fold(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "Hvala ČUDOVITO", "hvala cudovito" },
		{ "Šef žaba Đuro", "sef zaba duro" },
		{ "Straße Æther Œuvre", "strasse aether oeuvre" },
		{ "café naïve", "cafe naive" },
		{ "cafe\xcc\x81", "cafe" },		/* combining acute */
		{ "don\xe2\x80\x99t", "don't" },	/* typographic ' */
		{ "\xef\xbc\xa1\xef\xbd\x82\xef\xbc\x91", "ab1" },	/* fullwidth */
		{ "ПРИВЕТ", "привет" },
		{ "❤️", "❤" },				/* VS16 dropped */
		{ "👍🏽", "👍" },			/* skin tone dropped */
		{ "łódź", "lodz" },
		{ "", "" },
		/* invalid bytes become U+FFFD, longer than they were: the
		 * fold must make room (found by fuzz_text) */
		{ "\xff\xfe\xfd" "abc\xff", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		    "abc\xef\xbf\xbd" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_fold(cases[i].in, cases[i].want);
}

struct want_token {
	const char *text;
	int kind;
};

static void
check_tokens(const char *in, const struct want_token *want, size_t n,
    const struct tend_strmap *emoticons)
{
	struct tend_tokens t;
	size_t i;

	tend_tokens_init(&t);
	tend_text_tokenize(&t, in, strlen(in), emoticons, 3);
	for (i = 0; i < n && i < t.n; i++) {
		assert_string_equal(tend_token_text(&t, i), want[i].text);
		assert_int_equal(t.v[i].kind, want[i].kind);
	}
	assert_int_equal(t.n, n);
	tend_tokens_release(&t);
}

static void
test_tokenize_kinds(void **state)
{
	struct tend_strmap *em = tend_strmap_new();
	int added;
	static const struct want_token want[] = {
		{ "thx", TEND_TOKEN_WORD },
		{ "acmecares", TEND_TOKEN_MENTION },
		{ "don't", TEND_TOKEN_WORD },
		{ "fail", TEND_TOKEN_HASHTAG },
		{ ":)", TEND_TOKEN_EMOTICON },
		{ "😡", TEND_TOKEN_EMOJI },
		{ "😡", TEND_TOKEN_EMOJI },	/* its skin tone dropped */
		{ "https://acme.com/x", TEND_TOKEN_URL },
		{ "acme-login.com/verify", TEND_TOKEN_URL },
		{ "at", TEND_TOKEN_WORD },
		{ "10", TEND_TOKEN_NUMBER },
		{ "30", TEND_TOKEN_NUMBER },
		{ "bener2", TEND_TOKEN_WORD },
		{ "xd", TEND_TOKEN_EMOTICON },
		{ "xdd", TEND_TOKEN_EMOTICON },
		{ "xdx", TEND_TOKEN_WORD },
		{ "kiko_bloom", TEND_TOKEN_MENTION },	/* one handle */
		{ "_sam_", TEND_TOKEN_MENTION },
		{ "black_friday", TEND_TOKEN_HASHTAG },
		{ "snake", TEND_TOKEN_WORD },
		{ "case", TEND_TOKEN_WORD },
	};

	(void)state;
	tend_strmap_put(em, ":)", 2, &added, NULL);
	tend_strmap_put(em, ":3", 2, &added, NULL);
	check_tokens("Thx @AcmeCares, DON'T #fail :) 😡😡🏽 https://acme.com/x. "
	    "acme-login.com/verify at 10:30 bener2 xD XDD xdx "
	    "@Kiko_Bloom @_sam_ #black_friday snake_case", want,
	    sizeof(want) / sizeof(want[0]), em);
	tend_strmap_free(em);
}

static void
test_tokenize_flags(void **state)
{
	struct tend_tokens t;
	const char *s = "WORST service sooo bad!!! why??";

	(void)state;
	tend_tokens_init(&t);
	tend_text_tokenize(&t, s, strlen(s), NULL, 0);
	assert_int_equal(t.n, 5);
	assert_true(t.v[0].caps);
	assert_false(t.v[1].caps);
	assert_true(t.v[2].elongated);
	assert_false(t.v[3].elongated);
	assert_int_equal(t.exclamations, 3);
	assert_int_equal(t.questions, 2);
	assert_int_equal(t.caps_words, 1);
	assert_int_equal(t.words, 5);
	/* where each token came from */
	assert_int_equal(t.v[2].src, 14);
	assert_int_equal(t.v[2].src_len, 4);
	/* reuse: the previous tokens are gone */
	tend_text_tokenize(&t, "ok", 2, NULL, 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.exclamations, 0);
	tend_tokens_release(&t);
}

static void
test_tokenize_hostile(void **state)
{
	struct tend_tokens t;
	static const char bad[] = "a\xff\xfe" "b \xe2\x80 @ # :" "\x00" "c";

	(void)state;
	tend_tokens_init(&t);
	tend_text_tokenize(&t, bad, sizeof(bad) - 1, NULL, 0);
	assert_int_equal(t.n, 3);	/* a, b, c */
	assert_string_equal(tend_token_text(&t, 2), "c");
	tend_text_tokenize(&t, "", 0, NULL, 0);
	assert_int_equal(t.n, 0);
	tend_tokens_release(&t);
}

static void
check_skeleton(const char *in, const char *want)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_text_skeleton(&b, in, strlen(in));
	assert_string_equal(b.data ? b.data : "", want);
	tend_buf_release(&b);
}

static void
test_skeleton(void **state)
{
	(void)state;
	check_skeleton("AcmeCares", "acmecares");
	check_skeleton("Acme_Cares", "acmecares");
	check_skeleton("\xd0\xb0" "cme" "C" "\xd0\xb0" "res", "acmecares");
	check_skeleton("AcrneCare5", "acmecares");
	check_skeleton("4CM3 Cares", "acmecares");
	check_skeleton("PayPal", "paypal");
	check_skeleton("PayPaI", "paypal");	/* capital I for l */
	check_skeleton("vvalmart", "walmart");
}

static void
test_distance(void **state)
{
	(void)state;
	assert_int_equal(tend_text_distance("acme", 4, "acme", 4, 2), 0);
	assert_int_equal(tend_text_distance("acme", 4, "acne", 4, 2), 1);
	assert_int_equal(tend_text_distance("acme", 4, "acmee", 5, 2), 1);
	assert_int_equal(tend_text_distance("kitten", 6, "sitting", 7, 3), 3);
	assert_int_equal(tend_text_distance("kitten", 6, "sitting", 7, 1), 2);
	assert_int_equal(tend_text_distance("a", 1, "abcdef", 6, 2), 3);
	assert_int_equal(tend_text_distance("", 0, "", 0, 0), 0);
}

static void
test_word_chars(void **state)
{
	(void)state;
	assert_true(tend_text_is_word_char('a'));
	assert_true(tend_text_is_word_char(0x10D));	/* č */
	assert_true(tend_text_is_word_char(0x430));	/* а */
	assert_true(tend_text_is_word_char(0x4E00));	/* CJK */
	assert_false(tend_text_is_word_char('!'));
	assert_false(tend_text_is_word_char(0x2019));	/* ’ */
	assert_false(tend_text_is_word_char(0x1F621));	/* 😡 */
	assert_false(tend_text_is_word_char(0xD7));	/* × */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_tokenize_kinds),
		cmocka_unit_test(test_tokenize_flags),
		cmocka_unit_test(test_tokenize_hostile),
		cmocka_unit_test(test_skeleton),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_word_chars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
