/* test_tone.c: the style file, length per channel and the text checks
 * (lib/tone.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tone.h"

static long
len_of(struct tend_style *st, const char *channel, const char *s,
    long *max)
{
	const struct tend_limit *lim = tend_style_limit(st, channel);

	assert_non_null(lim);
	return tend_tone_length(st, lim, s, strlen(s), max);
}

static void
test_twitter_weights(void **state)
{
	struct tend_style *st = tend_style_new();
	long max;

	(void)state;
	assert_int_equal(tend_tone_twitter_weight('a'), 1);
	assert_int_equal(tend_tone_twitter_weight(0x10FF), 1);
	assert_int_equal(tend_tone_twitter_weight(0x1100), 2);
	assert_int_equal(tend_tone_twitter_weight(0x2014), 1);
	assert_int_equal(tend_tone_twitter_weight(0x2038), 2);
	assert_int_equal(len_of(st, "twitter", "hello", &max), 5);
	assert_int_equal(max, 280);
	/* five CJK characters weigh two each */
	assert_int_equal(len_of(st, "twitter", "\xe3\x81\x93\xe3\x82\x93"
	    "\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf", &max), 10);
	/* a URL is 23, however long */
	assert_int_equal(len_of(st, "twitter", "see https://example.com/a/"
	    "very/long/path/indeed?x=1", &max), 4 + 23);
	/* an emoji sequence (family: ZWJ-joined) is one emoji: 2 */
	assert_int_equal(len_of(st, "twitter", "hi \xf0\x9f\x91\xa8\xe2\x80"
	    "\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7", &max), 5);
	/* a flag (two regional indicators) and a skin tone: 2 each */
	assert_int_equal(len_of(st, "twitter", "\xf0\x9f\x87\xb8\xf0\x9f\x87"
	    "\xae\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", &max), 4);
	tend_style_free(st);
}

static void
test_sms(void **state)
{
	struct tend_style *st = tend_style_new();
	long max;

	(void)state;
	assert_int_equal(tend_tone_gsm_septets('@'), 1);
	assert_int_equal(tend_tone_gsm_septets('{'), 2);
	assert_int_equal(tend_tone_gsm_septets(0x20AC), 2);
	assert_int_equal(tend_tone_gsm_septets(0xE9), 1);
	assert_int_equal(tend_tone_gsm_septets(0x10D), 0);
	assert_int_equal(tend_tone_gsm_septets('`'), 0);
	assert_int_equal(len_of(st, "sms", "price: 5\xe2\x82\xac", &max), 10);
	assert_int_equal(max, 160);
	/* c with caron is not GSM-7: the SMS is UCS-2, at most 70 */
	assert_int_equal(len_of(st, "sms", "hvala \xc4\x8d", &max), 7);
	assert_int_equal(max, 70);
	assert_int_equal(len_of(st, "sms", "\xf0\x9f\x98\x80", &max), 2);
	assert_int_equal(len_of(st, "mastodon", "\xc4\x8d\xc4\x8d", &max), 2);
	assert_int_equal(max, 500);
	assert_null(tend_style_limit(st, "phone"));
	tend_style_free(st);
}

static struct tend_style *
style(const char *text)
{
	struct tend_style *st = tend_style_new();
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	if (tend_style_parse(st, text, strlen(text), "t.style", &err) < 0)
		fail_msg("%ld:%ld: %s", err.line, err.col, err.text);
	return st;
}

static void
test_style_rules(void **state)
{
	struct tend_style *st = style("rule length warning\n"
	    "rule length.sms off\nrule tone.banned warning\n"
	    "limit chat 100 weighted\nlimit twitter 0\n");

	(void)state;
	assert_int_equal(tend_style_severity(st, "length.twitter"),
	    TEND_SEV_WARNING);
	assert_int_equal(tend_style_severity(st, "length.sms"), TEND_SEV_OFF);
	assert_int_equal(tend_style_severity(st, "tone.banned"),
	    TEND_SEV_WARNING);
	assert_int_equal(tend_style_severity(st, "link.domain"),
	    TEND_SEV_ERROR);
	assert_int_equal(tend_style_severity(st, "tone.shouting"),
	    TEND_SEV_WARNING);
	assert_int_equal(tend_style_severity(st, "no.such"), TEND_SEV_OFF);
	assert_int_equal(tend_style_limit(st, "chat")->counting,
	    TEND_COUNT_WEIGHTED);
	assert_null(tend_style_limit(st, "twitter"));	/* 0: no limit */
	assert_true(tend_rule_known("length.email"));
	assert_false(tend_rule_known("length.fax"));
	tend_style_free(st);
}

static void
expect_style_error(const char *text, long line, long col, const char *words)
{
	struct tend_style *st = tend_style_new();
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(tend_style_parse(st, text, strlen(text), "t.style",
	    &err), -1);
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	if (!strstr(err.text, words))
		fail_msg("'%s' does not say '%s'", err.text, words);
	tend_style_free(st);
}

static void
test_style_errors(void **state)
{
	(void)state;
	expect_style_error("rule tone.bland error\n", 1, 6, "unknown rule");
	expect_style_error("rule tone.banned fatal\n", 1, 18, "expected error");
	expect_style_error("\n limit sms 3\n", 2, 2, "no indented");
	expect_style_error("limit fax 3\n", 1, 7, "unknown channel 'fax'");
	expect_style_error("limit sms 3 bytes\n", 1, 13, "expected chars");
	expect_style_error("banned English calm\n", 1, 8, "bad language");
	expect_style_error("banned en\n", 1, 10, "expected a phrase");
	expect_style_error("discouraged en x just\n", 1, 16, "expected a "
	    "number");
	expect_style_error("require sig *\n", 1, 9, "signature or greeting");
	expect_style_error("similar 2\n", 1, 9, "from 0.1 to 1");
	expect_style_error("colour red\n", 1, 1, "unknown directive");
	expect_style_error("include /nonexistent/x.style\n", 1, 9,
	    "cannot include");
}

struct got {
	char rules[16][48];
	size_t off[16];
	size_t n;
};

static void
collect(void *arg, const struct tend_finding *f)
{
	struct got *g = arg;

	if (g->n < 16) {
		snprintf(g->rules[g->n], 48, "%s", f->rule);
		g->off[g->n++] = f->off;
	}
}

static int
count(const struct got *g, const char *rule)
{
	size_t i;
	int n = 0;

	for (i = 0; i < g->n; i++)
		n += strcmp(g->rules[i], rule) == 0;
	return n;
}

static void
check(struct tend_style *st, const char *lang, const char *channel,
    const char *text, unsigned what, struct got *g)
{
	memset(g, 0, sizeof(*g));
	tend_tone_check(st, lang, channel, text, strlen(text), what, collect,
	    g);
}

static void
test_checks(void **state)
{
	struct tend_style *st = style("banned en calm down\n"
	    "banned * your fault*\ndiscouraged en 1 unfortunately\n"
	    "greeting en hi\nrequire greeting email\ndomain acme.com\n"
	    "caps ACME\nemoji 1\nexclamations 1\n");
	struct got g;

	(void)state;
	check(st, "en", NULL, "Please calm down, it is your faults.",
	    TEND_CHECK_ALL, &g);
	assert_int_equal(count(&g, "tone.banned"), 2);
	assert_int_equal(g.off[0], 7);
	/* near misses: the words apart, another language */
	check(st, "en", NULL, "calm. Down the road", TEND_CHECK_ALL, &g);
	assert_int_equal(g.n, 0);
	check(st, "sl", NULL, "calm down", TEND_CHECK_ALL, &g);
	assert_int_equal(g.n, 0);
	check(st, "en", NULL, "Unfortunately, unfortunately.", TEND_CHECK_ALL,
	    &g);
	assert_int_equal(count(&g, "tone.discouraged"), 1);
	assert_int_equal(g.off[0], 15);
	check(st, "en", NULL, "NEVER at ACME, OK", TEND_CHECK_ALL, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rules[0], "tone.shouting");
	check(st, "en", NULL, "Great!! Yes!", TEND_CHECK_ALL, &g);
	assert_int_equal(count(&g, "tone.exclamations"), 2);
	check(st, "en", NULL, "Great! Yes?", TEND_CHECK_ALL, &g);
	assert_int_equal(g.n, 0);
	check(st, "en", NULL, "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80",
	    TEND_CHECK_ALL, &g);
	assert_int_equal(count(&g, "tone.emoji"), 1);
	check(st, "en", "email", "Dear you", TEND_CHECK_ALL, &g);
	assert_int_equal(count(&g, "greeting.missing"), 1);
	check(st, "en", "email", "@bob hi there", TEND_CHECK_ALL, &g);
	assert_int_equal(g.n, 0);
	check(st, "en", "twitter", "Dear you", TEND_CHECK_ALL, &g);
	assert_int_equal(g.n, 0);
	tend_style_free(st);
}

static void
test_links(void **state)
{
	struct tend_style *st = style("domain acme.com\n");
	struct got g;

	(void)state;
	check(st, "en", NULL, "see https://help.acme.com/x and acme.com",
	    TEND_CHECK_LINKS, &g);
	assert_int_equal(g.n, 0);
	check(st, "en", NULL, "see http://acme.com/x", TEND_CHECK_LINKS, &g);
	assert_int_equal(count(&g, "link.insecure"), 1);
	assert_int_equal(g.off[0], 4);
	check(st, "en", NULL, "https://acrne.com https://evil.example "
	    "https://acme.com@evil.example https://notacme.com",
	    TEND_CHECK_LINKS, &g);
	assert_int_equal(count(&g, "link.domain"), 4);
	tend_style_free(st);
	/* no domain lines: any https link is fine */
	st = style("");
	check(st, "en", NULL, "https://evil.example", TEND_CHECK_LINKS, &g);
	assert_int_equal(g.n, 0);
	tend_style_free(st);
}

static void
test_length_check(void **state)
{
	struct tend_style *st = style("limit chat 5\n");
	struct got g;

	(void)state;
	check(st, "en", "chat", "12345", TEND_CHECK_LENGTH, &g);
	assert_int_equal(g.n, 0);
	check(st, "en", "chat", "123456", TEND_CHECK_LENGTH, &g);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rules[0], "length.chat");
	tend_style_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twitter_weights),
		cmocka_unit_test(test_sms),
		cmocka_unit_test(test_style_rules),
		cmocka_unit_test(test_style_errors),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_length_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
