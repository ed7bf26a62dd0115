/* test_expr.c: the expression language parsed and evaluated
 * (lib/expr.h, tend-expr(7)). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "expr.h"

#define AAA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const char record_text[] =
    "{\"id\":\"tw:1\",\"channel\":\"twitter\","
    "\"created_at\":\"2026-11-23T10:00:00Z\","
    "\"text\":\"I want a REFUND now, caf\\u00e9\","
    "\"author\":{\"id\":\"42\",\"handle\":\"dana\",\"followers\":12000,"
    "\"verified\":false},"
    "\"class\":{\"category\":\"complaint\",\"flags\":[\"sensitive.legal\","
    "\"press\"],\"score\":0.75,\"topics\":{\"billing\":1}},"
    "\"sla\":{\"first_response_secs\":1200,"
    "\"due_at\":\"2026-11-23T10:15:00Z\",\"breached\":true},"
    "\"hashtags\":[\"Acme\",\"refund\"],\"links\":[],\"lang\":\"\","
    "\"reply_to\":null,\"empty\":{},\"zero\":0,\"real\":2.5,\"neg\":-5,"
    "\"big\":9007199254740993,\"numbers\":[1,2,3],"
    "\"mixed\":[1,\"two\",true,null],"
    "\"multi\":\"line one\\nline two\","
    "\"url\":\"https://acme.example/refund\","
    "\"quote\":\"say \\\"hi\\\" \\\\o/\","
    "\"word\":\"caf\\u00e9\",\"tag\":\"out-of-hours\","
    "\"slow\":\"" AAA "!\"}";

static json_t *record;

static int
setup(void **state)
{
	json_error_t jerr;

	tend_alloc_use_for_json();
	record = json_loads(record_text, 0, &jerr);
	if (!record)
		fail_msg("fixture: %s", jerr.text);
	return 0;
}

static int
teardown(void **state)
{
	json_decref(record);
	return 0;
}

struct eval_case {
	const char *src;
	int want;
};

/* Each src must parse and evaluate to want against the record. */
static void
check_cases(const struct eval_case *c, size_t n, const json_t *rec)
{
	struct tend_error err;
	struct tend_expr *e;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&err, 0, sizeof(err));
		if (!(e = tend_expr_parse(c[i].src, &err)))
			fail_msg("%s: col %ld: %s", c[i].src, err.col,
			    err.text);
		if (tend_expr_eval(e, rec) != c[i].want)
			fail_msg("%s: want %d", c[i].src, c[i].want);
		assert_string_equal(tend_expr_source(e), c[i].src);
		tend_expr_free(e);
	}
}

#define CHECK(cases) check_cases(cases, sizeof(cases) / sizeof(cases[0]), \
	record)

static void
test_equality(void **state)
{
	static const struct eval_case c[] = {
		{ "channel == twitter", 1 },
		{ "channel == \"twitter\"", 1 },
		{ "channel == 'twitter'", 1 },
		{ "channel == facebook", 0 },
		{ "channel != facebook", 1 },
		{ "channel != twitter", 0 },
		{ "class.category == complaint", 1 },
		{ "author.handle == dana", 1 },
		{ "tag == out-of-hours", 1 },
		{ "word == caf\xc3\xa9", 1 },
		{ "word == caf", 0 },
		{ "quote == \"say \\\"hi\\\" \\\\o/\"", 1 },
		{ "quote == 'say \"hi\" \\\\o/'", 1 },
		{ "channel==twitter", 1 },
		{ "  channel\t==\n twitter  ", 1 },
	};

	CHECK(c);
}

static void
test_numbers(void **state)
{
	static const struct eval_case c[] = {
		{ "author.followers == 12000", 1 },
		{ "author.followers == 12000.0", 1 },
		{ "author.followers != 12000", 0 },
		{ "author.followers > 10000", 1 },
		{ "author.followers > 12000", 0 },
		{ "author.followers >= 12000", 1 },
		{ "author.followers < 12000", 0 },
		{ "author.followers <= 12000", 1 },
		{ "author.followers < 12000.5", 1 },
		{ "class.score == 0.75", 1 },
		{ "class.score > 0.7", 1 },
		{ "class.score < 1", 1 },
		{ "real > 2", 1 },
		{ "real <= 2.5", 1 },
		{ "neg == -5", 1 },
		{ "neg < -4", 1 },
		{ "neg > -5.5", 1 },
		{ "zero == 0", 1 },
		{ "zero == -0", 1 },
		/* exact beyond 2^53, where doubles would be equal */
		{ "big > 9007199254740992", 1 },
		{ "big == 9007199254740993", 1 },
		{ "big < 99999999999999999999999", 1 },
	};

	CHECK(c);
}

static void
test_strings_compare_bytewise(void **state)
{
	static const struct eval_case c[] = {
		{ "channel < zzz", 1 },
		{ "channel > twitte", 1 },
		{ "channel < twitterx", 1 },
		{ "channel >= twitter", 1 },
		{ "channel <= twitter", 1 },
		{ "channel > twitter", 0 },
		{ "channel < Twitter", 0 },	/* 't' > 'T' */
		{ "word > cafe", 1 },		/* 0xc3 > 'e' */
	};

	CHECK(c);
}

static void
test_times_compare_as_times(void **state)
{
	static const struct eval_case c[] = {
		{ "created_at >= \"2026-11-23T10:00:00Z\"", 1 },
		{ "created_at == \"2026-11-23T11:00:00+01:00\"", 1 },
		{ "created_at < \"2026-11-23T11:00:00+01:00\"", 0 },
		{ "created_at > \"2026-11-23T09:59:59.5Z\"", 1 },
		{ "created_at < \"2026-11-23T10:00:00.001Z\"", 1 },
		{ "created_at > '2026-11-23 09:00:00z'", 1 },
		{ "sla.due_at > \"2026-11-23T10:00:00Z\"", 1 },
		{ "created_at in (\"2026-11-23T12:00:00+02:00\")", 1 },
		/* unquoted */
		{ "created_at >= 2026-11-23T10:00:00Z", 1 },
		{ "created_at == 2026-11-23T11:00:00+01:00", 1 },
		{ "created_at < 2026-11-23T10:00:00.000000001Z", 1 },
		{ "created_at in (2026-11-22T10:00:00Z, 2026-11-23T10:00:00Z)",
		    1 },
		/* not a time on the right: bytewise */
		{ "created_at > \"2026\"", 1 },
		{ "created_at < \"2027\"", 1 },
	};

	CHECK(c);
}

static void
test_type_mismatch_is_false(void **state)
{
	static const struct eval_case c[] = {
		{ "author.id == 42", 0 },
		{ "author.id != 42", 0 },
		{ "author.id == \"42\"", 1 },
		{ "author.followers == \"12000\"", 0 },
		{ "author.followers != \"12000\"", 0 },
		{ "author.followers > abc", 0 },
		{ "author.verified == false", 1 },
		{ "author.verified != true", 1 },
		{ "author.verified == 0", 0 },
		{ "author.verified < true", 0 },
		{ "author.verified >= false", 0 },
		{ "reply_to == null", 1 },
		{ "reply_to != null", 0 },
		{ "reply_to < null", 0 },
		{ "author.verified == null", 0 },
		{ "hashtags == Acme", 0 },
		{ "author == dana", 0 },
		{ "channel == true", 0 },
	};

	CHECK(c);
}

static void
test_missing_is_false(void **state)
{
	static const struct eval_case c[] = {
		{ "nothing == x", 0 },
		{ "nothing != x", 0 },
		{ "nothing == null", 0 },
		{ "author.nothing > 1", 0 },
		{ "author.nothing < 1", 0 },
		{ "channel.sub == x", 0 },	/* through a string */
		{ "class.flags.x == x", 0 },	/* through an array */
		{ "nothing in (x)", 0 },
		{ "nothing has x", 0 },
		{ "nothing ~ /x/", 0 },
		{ "nothing !~ /x/", 0 },
		{ "nothing", 0 },
		{ "not nothing", 1 },
		{ "not nothing == x", 1 },
	};

	CHECK(c);
}

static void
test_durations(void **state)
{
	static const struct {
		const char *text;
		json_int_t secs;
	} d[] = {
		{ "0s", 0 }, { "30s", 30 }, { "15m", 900 }, { "2h", 7200 },
		{ "1d", 86400 }, { "1w", 604800 }, { "1h30m", 5400 },
		{ "1w2d3h4m5s", 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5 },
		{ "90m", 5400 }, { "-15m", -900 }, { "1d12h", 129600 },
	};
	struct tend_error err;
	struct tend_expr *e;
	json_t *rec;
	char src[64];
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		snprintf(src, sizeof(src), "secs == %s", d[i].text);
		if (!(e = tend_expr_parse(src, &err)))
			fail_msg("%s: %s", src, err.text);
		rec = json_pack("{s:I}", "secs", d[i].secs);
		if (!tend_expr_eval(e, rec))
			fail_msg("%s != %lld", d[i].text,
			    (long long)d[i].secs);
		json_decref(rec);
		rec = json_pack("{s:I}", "secs", d[i].secs + 1);
		assert_false(tend_expr_eval(e, rec));
		json_decref(rec);
		tend_expr_free(e);
	}
}

static void
test_durations_in_care(void **state)
{
	static const struct eval_case c[] = {
		{ "sla.first_response_secs > 15m", 1 },
		{ "sla.first_response_secs == 20m", 1 },
		{ "sla.first_response_secs == 1200s", 1 },
		{ "sla.first_response_secs < 1h", 1 },
		{ "sla.first_response_secs >= 1h30m", 0 },
		{ "sla.first_response_secs in (10m, 20m)", 1 },
	};

	CHECK(c);
}

static void
test_in(void **state)
{
	static const struct eval_case c[] = {
		{ "channel in (twitter, instagram)", 1 },
		{ "channel in (facebook, instagram)", 0 },
		{ "channel in [facebook, \"twitter\"]", 1 },
		{ "channel in (twitter)", 1 },
		{ "channel in ()", 0 },
		{ "channel in []", 0 },
		{ "author.followers in (1, 12000)", 1 },
		{ "author.followers in (\"12000\")", 0 },
		{ "author.verified in (true, false)", 1 },
		{ "reply_to in (null)", 1 },
		/* an array on the left: any element */
		{ "hashtags in (refund, x)", 1 },
		{ "hashtags in (x, y)", 0 },
		{ "hashtags in (acme)", 0 },
		{ "numbers in (3)", 1 },
		{ "links in (x)", 0 },
		{ "class.topics in (billing)", 0 },
		{ "class.category == complaint and "
		    "channel in (twitter, instagram)", 1 },
	};

	CHECK(c);
}

static void
test_has(void **state)
{
	static const struct eval_case c[] = {
		/* arrays: an element equal to it */
		{ "class.flags has sensitive.legal", 1 },
		{ "class.flags has \"press\"", 1 },
		{ "class.flags has legal", 0 },
		{ "numbers has 2", 1 },
		{ "numbers has \"2\"", 0 },
		{ "mixed has two", 1 },
		{ "mixed has true", 1 },
		{ "mixed has null", 1 },
		{ "mixed has false", 0 },
		{ "links has x", 0 },
		/* objects: a member of that name */
		{ "class.topics has billing", 1 },
		{ "class.topics has shipping", 0 },
		{ "class has flags", 1 },
		{ "class.topics has 1", 0 },
		/* strings: a substring, case and all */
		{ "text has REFUND", 1 },
		{ "text has refund", 0 },
		{ "text has \"now, caf\"", 1 },
		{ "text has \"\"", 1 },
		{ "lang has \"\"", 1 },
		{ "lang has x", 0 },
		{ "author.followers has 1", 0 },
	};

	CHECK(c);
}

static void
test_regex(void **state)
{
	static const struct eval_case c[] = {
		{ "text ~ /refund|chargeback/i", 1 },
		{ "text ~ /refund|chargeback/", 0 },
		{ "text ~ /REFUND/", 1 },
		{ "text !~ /refund/", 1 },
		{ "text !~ /REFUND/", 0 },
		{ "text ~ /^I want/", 1 },
		{ "text ~ /^.{25}$/", 1 },		/* code points */
		{ "text ~ /CAF\xc3\x89$/i", 1 },	/* caseless é */
		{ "word ~ /^\\w+$/", 1 },		/* Unicode \w */
		{ "text ~ /R E F U N D/x", 1 },
		{ "text ~ /R E F U N D/", 0 },
		{ "multi ~ /one.line/", 0 },
		{ "multi ~ /one.line/s", 1 },
		{ "multi ~ /ONE.LINE/si", 1 },
		{ "multi ~ /^line two$/", 0 },
		{ "url ~ /example\\/refund$/", 1 },
		{ "text ~ \"REF+UND\"", 1 },		/* a string pattern */
		{ "text ~ 'ref'", 0 },
		{ "text ~ REFUND", 1 },			/* a bare word */
		/* arrays: any string element */
		{ "hashtags ~ /^acme$/i", 1 },
		{ "hashtags ~ /^acme$/", 0 },
		{ "mixed ~ /two/", 1 },
		{ "hashtags !~ /^x/", 1 },
		{ "hashtags !~ /refund/", 0 },
		{ "links !~ /x/", 1 },
		/* anything else: false either way */
		{ "author.followers ~ /1/", 0 },
		{ "author.followers !~ /1/", 0 },
		{ "class.topics ~ /billing/", 0 },
	};

	CHECK(c);
}

static void
test_regex_limit_is_false(void **state)
{
	static const struct eval_case c[] = {
		{ "slow ~ /^(a+)+$/", 0 },
		{ "slow !~ /^(a+)+$/", 0 },	/* a limit hit: false too */
		{ "slow ~ /^(a|aa)+$/", 0 },
		{ "slow !~ /^(a|aa)+$/", 0 },
		{ "slow ~ /^a+!$/", 1 },
		{ "not slow ~ /^(a+)+$/", 1 },
	};

	CHECK(c);
}

static void
test_regex_limit_is_counted(void **state)
{
	struct tend_error err;
	struct tend_expr *e = tend_expr_parse("slow ~ /^(a+)+$/ or "
	    "slow ~ /^a+!$/", &err);

	(void)state;
	assert_non_null(e);
	assert_int_equal(tend_expr_limit_hits(e), 0);
	assert_int_equal(tend_expr_eval(e, record), 1);	/* the second */
	assert_int_equal(tend_expr_limit_hits(e), 1);
	assert_int_equal(tend_expr_eval(e, record), 1);
	assert_int_equal(tend_expr_limit_hits(e), 2);
	tend_expr_free(e);
}

static void
test_len(void **state)
{
	static const struct eval_case c[] = {
		{ "len(text) == 25", 1 },		/* code points */
		{ "len(word) == 4", 1 },
		{ "len(text) > 280", 0 },
		{ "len(hashtags) == 2", 1 },
		{ "len(class) == 4", 1 },
		{ "len(links) == 0", 1 },
		{ "len(lang) == 0", 1 },
		{ "len(author.followers) == 5", 0 },
		{ "len(nothing) == 0", 0 },
		{ "len(reply_to) == 0", 0 },
		{ "len(text)", 1 },
		{ "len(links)", 0 },
		{ "len(hashtags) in (1, 2)", 1 },
		{ "len ( text ) >= 1", 1 },
	};

	CHECK(c);
}

static void
test_exists(void **state)
{
	static const struct eval_case c[] = {
		{ "exists(reply_to)", 1 },	/* null, but there */
		{ "exists(zero)", 1 },
		{ "exists(class.flags)", 1 },
		{ "exists(nothing)", 0 },
		{ "exists(class.nothing)", 0 },
		{ "not exists(nothing)", 1 },
		{ "exists(lang) and not lang", 1 },
		{ "exists(nothing) == false", 1 },
		{ "exists(channel) == true", 1 },
	};

	CHECK(c);
}

static void
test_truthiness(void **state)
{
	static const struct eval_case c[] = {
		{ "sla.breached", 1 },
		{ "author.verified", 0 },
		{ "zero", 0 },
		{ "real", 1 },
		{ "neg", 1 },
		{ "text", 1 },
		{ "lang", 0 },
		{ "hashtags", 1 },
		{ "links", 0 },
		{ "class", 1 },
		{ "empty", 0 },
		{ "reply_to", 0 },
		{ "nothing", 0 },
		{ "true", 1 },
		{ "false", 0 },
		{ "author.followers >= 10000 or author.verified", 1 },
	};

	CHECK(c);
}

static void
test_not_and_parentheses(void **state)
{
	static const struct eval_case c[] = {
		{ "not channel == twitter", 0 },
		{ "not not channel == twitter", 1 },
		{ "not false", 1 },
		{ "not (false or true)", 0 },
		{ "(channel == twitter)", 1 },
		{ "((((channel == twitter))))", 1 },
		{ "channel == twitter and (zero or sla.breached)", 1 },
		{ "channel == twitter and (zero or author.verified)", 0 },
	};

	CHECK(c);
}

static void
test_precedence(void **state)
{
	static const struct eval_case c[] = {
		/* and binds tighter than or */
		{ "true or true and false", 1 },
		{ "(true or true) and false", 0 },
		{ "false and false or true", 1 },
		{ "false and (false or true)", 0 },
		/* not binds tighter than and */
		{ "not true and false", 0 },
		{ "not false and true", 1 },
		{ "not false or false", 1 },
		{ "not (true and false)", 1 },
		/* a comparison binds tighter than not */
		{ "not zero == 1", 1 },
		{ "not zero == 0 or zero == 0", 1 },
		{ "false or false or false or true", 1 },
		{ "true and true and true and false", 0 },
	};

	CHECK(c);
}

struct error_case {
	const char *src;
	long col;
	const char *text;
};

static void
test_parse_errors(void **state)
{
	static const struct error_case c[] = {
		{ "", 1, "empty expression" },
		{ "  \t ", 1, "empty expression" },
		{ "a and == b", 7, "unexpected \"==\" after \"and\"" },
		{ "channel == ", 12,
		    "unexpected end of expression after \"==\"" },
		{ "channel twitter", 9,
		    "unexpected \"twitter\" after \"channel\"" },
		{ "and x", 1, "unexpected \"and\"" },
		{ "x and or y", 7, "unexpected \"or\" after \"and\"" },
		{ "not", 4, "unexpected end of expression after \"not\"" },
		{ "x ==", 5, "unexpected end of expression after \"==\"" },
		{ "x == and", 6, "unexpected \"and\" after \"==\"" },
		{ "x == in", 6, "unexpected \"in\" after \"==\"" },
		{ "x == (a)", 6, "unexpected \"(\" after \"==\"" },
		{ "x == /a/", 6, "unexpected \"/a/\" after \"==\"" },
		{ "x has", 6, "unexpected end of expression after \"has\"" },
		{ "\"text\" == x", 1, "unexpected string \"text\"" },
		{ "5 > x", 1, "unexpected \"5\"" },
		{ "true == x", 6, "unexpected \"==\" after \"true\"" },
		{ "null", 1, "unexpected \"null\"" },
		{ "x == 1 y", 8, "unexpected \"y\" after \"1\"" },
		{ "x == 'a' 'b'", 10,
		    "unexpected string \"b\" after string \"a\"" },
		/* strings */
		{ "text == \"abc", 9, "unterminated string" },
		{ "text == 'abc\\'", 9, "unterminated string" },
		{ "text == \"abc\\", 9, "unterminated string" },
		{ "text == \"a\\qb\"", 11, "unknown escape \"\\q\" in string" },
		{ "text == \"a\\n\"", 11, "unknown escape \"\\n\" in string" },
		/* numbers and durations */
		{ "x == 15min", 6, "invalid duration \"15min\"" },
		{ "x == 1h1h", 6, "invalid duration \"1h1h\"" },
		{ "x == 30s1m", 6, "invalid duration \"30s1m\"" },
		{ "x == 1h30", 6, "invalid duration \"1h30\"" },
		{ "x == 99999999999999999999w", 6,
		    "invalid duration \"99999999999999999999w\"" },
		{ "x == 2000000000000000w", 6,
		    "invalid duration \"2000000000000000w\"" },
		{ "x == 12abc", 6, "invalid number \"12abc\"" },
		{ "x == 1.", 6, "invalid number \"1.\"" },
		{ "x == 1.5h", 6, "invalid number \"1.5h\"" },
		{ "x == 1e5", 6, "invalid number \"1e5\"" },
		{ "x == - 1", 6, "unexpected character \"-\"" },
		{ "x > 2026-11-23", 5, "invalid time \"2026-11-23\"" },
		{ "x > 2026-11-23T25:00:00Z", 5,
		    "invalid time \"2026-11-23T25:00:00Z\"" },
		{ "2026-11-23T10:00:00Z == x", 1,
		    "unexpected \"2026-11-23T10:00:00Z\"" },
		{ "x ~ 2026-11-23T10:00:00Z", 5,
		    "unexpected \"2026-11-23T10:00:00Z\" after \"~\"" },
		/* operators and characters */
		{ "x = 1", 3, "unknown operator \"=\" (did you mean \"==\"?)" },
		{ "x ! y", 3, "unknown operator \"!\" (did you mean \"not\"?)" },
		{ "a && b", 3,
		    "unknown operator \"&&\" (did you mean \"and\"?)" },
		{ "a || b", 3, "unknown operator \"||\" (did you mean \"or\"?)" },
		{ "a # b", 3, "unexpected character \"#\"" },
		{ "x == 'a' $", 10, "unexpected character \"$\"" },
		{ "x == \x01", 6, "unexpected character \"\\x01\"" },
		/* parentheses and lists */
		{ "(a and b", 1, "unclosed \"(\"" },
		{ "x and ((a)", 7, "unclosed \"(\"" },
		{ "a and b)", 8, "unexpected \")\" after \"b\"" },
		{ "()", 2, "unexpected \")\" after \"(\"" },
		{ "x in (a, b", 6, "unclosed \"(\"" },
		{ "x in [a,", 6, "unclosed \"[\"" },
		{ "x in [a, b)", 11, "unexpected \")\" after \"b\"" },
		{ "x in (a b)", 9, "unexpected \"b\" after \"a\"" },
		{ "x in (a,)", 9, "unexpected \")\" after \",\"" },
		{ "x in (,)", 7, "unexpected \",\" after \"(\"" },
		{ "x in a", 6, "unexpected \"a\" after \"in\"" },
		{ "x in ((a))", 7, "unexpected \"(\" after \"(\"" },
		/* paths and functions */
		{ "a..b == 1", 1, "invalid field path \"a..b\"" },
		{ "a. == 1", 1, "invalid field path \"a.\"" },
		{ "lenn(text) > 3", 1, "unknown function \"lenn\"" },
		{ "channel(x)", 1, "unknown function \"channel\"" },
		{ "len(text", 4, "unclosed \"(\"" },
		{ "len(text x)", 10, "unexpected \"x\" after \"text\"" },
		{ "len(\"text\")", 5,
		    "unexpected string \"text\" after \"(\"" },
		{ "len()", 5, "unexpected \")\" after \"(\"" },
		{ "exists(a.)", 8, "invalid field path \"a.\"" },
		/* regular expressions */
		{ "text ~ /abc", 8, "unterminated regex" },
		{ "text ~ /a\\/", 8, "unterminated regex" },
		{ "text ~ /a/g", 11, "unknown regex flag \"g\"" },
		{ "text ~ /a/ig", 12, "unknown regex flag \"g\"" },
		{ "text ~ /a/\xc3\xa9", 11, "unknown regex flag \"\xc3\xa9\"" },
		{ "text ~ /(a/", 8,
		    "invalid regex: missing closing parenthesis" },
		{ "text ~ \"(a\"", 8,
		    "invalid regex: missing closing parenthesis" },
		{ "text ~ /a\\C/", 8, "invalid regex: using \\C is disabled "
		    "by the application" },
		{ "text ~ 5", 8, "unexpected \"5\" after \"~\"" },
		{ "text !~", 8, "unexpected end of expression after \"!~\"" },
		{ "text ~ or", 8, "unexpected \"or\" after \"~\"" },
	};
	struct tend_error err;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (tend_expr_parse(c[i].src, &err))
			fail_msg("accepted: %s", c[i].src);
		if (strcmp(err.text, c[i].text) != 0 || err.col != c[i].col)
			fail_msg("%s: got col %ld \"%s\", want col %ld \"%s\"",
			    c[i].src, err.col, err.text, c[i].col, c[i].text);
	}
}

static void
test_error_keeps_file_and_line(void **state)
{
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	snprintf(err.file, sizeof(err.file), "%s", "policy");
	err.line = 7;
	assert_null(tend_expr_parse("x ==", &err));
	assert_string_equal(err.file, "policy");
	assert_int_equal(err.line, 7);
	assert_int_equal(err.col, 5);
	assert_null(tend_expr_parse("x ==", NULL));
}

static void
test_long_messages_are_cut(void **state)
{
	struct tend_error err;
	char src[400];

	memset(src, 'w', sizeof(src) - 1);
	src[sizeof(src) - 1] = '\0';
	memcpy(src, "x == ", 5);
	src[300] = ' ';
	memset(&err, 0, sizeof(err));
	assert_null(tend_expr_parse(src, &err));
	assert_int_equal(err.col, 302);
	assert_true(strlen(err.text) < 120);
	assert_non_null(strstr(err.text, "...\" after \"www"));
}

static void
test_nesting_limit(void **state)
{
	struct tend_buf src = TEND_BUF_INIT;
	struct tend_error err;
	struct tend_expr *e;
	int i;

	for (i = 0; i < TEND_EXPR_MAX_DEPTH; i++)
		tend_buf_adds(&src, "(");
	tend_buf_adds(&src, "true");
	for (i = 0; i < TEND_EXPR_MAX_DEPTH; i++)
		tend_buf_adds(&src, ")");
	assert_non_null(e = tend_expr_parse(src.data, &err));
	assert_true(tend_expr_eval(e, record));
	tend_expr_free(e);

	tend_buf_reset(&src);
	for (i = 0; i <= TEND_EXPR_MAX_DEPTH; i++)
		tend_buf_adds(&src, "not ");
	tend_buf_adds(&src, "true");
	assert_null(tend_expr_parse(src.data, &err));
	assert_int_equal(err.col, TEND_EXPR_MAX_DEPTH * 4 + 1);
	assert_string_equal(err.text,
	    "expression nested too deeply (more than 200 levels)");
	tend_buf_release(&src);
}

static void
test_long_chains(void **state)
{
	struct tend_buf src = TEND_BUF_INIT;
	struct tend_error err;
	struct tend_expr *e;
	int i;

	tend_buf_adds(&src, "zero == 0");
	for (i = 0; i < 20000; i++)
		tend_buf_adds(&src, i % 2 ? " and zero == 0" : " or zero");
	assert_non_null(e = tend_expr_parse(src.data, &err));
	assert_true(tend_expr_eval(e, record));
	tend_expr_free(e);
	tend_buf_release(&src);
}

static void
test_record_not_an_object(void **state)
{
	static const struct eval_case c[] = {
		{ "x", 0 }, { "not x", 1 }, { "true", 1 },
		{ "exists(x)", 0 }, { "len(x) == 0", 0 },
	};
	json_t *array = json_pack("[i]", 1);

	check_cases(c, sizeof(c) / sizeof(c[0]), array);
	check_cases(c, sizeof(c) / sizeof(c[0]), NULL);
	json_decref(array);
}

static void
test_shared_regex_state(void **state)
{
	struct tend_error err;
	struct tend_expr *e;
	json_t *rec;
	int i;

	/* the match data is reused: results must not leak between calls */
	e = tend_expr_parse("t ~ /^(x+)y$/ and u !~ /z/", &err);
	assert_non_null(e);
	for (i = 0; i < 100; i++) {
		rec = json_pack("{s:s, s:s}", "t", i % 2 ? "xxxy" : "xxx",
		    "u", i % 3 ? "a" : "z");
		assert_int_equal(tend_expr_eval(e, rec), i % 2 && i % 3);
		json_decref(rec);
	}
	tend_expr_free(e);
	tend_expr_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equality),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_strings_compare_bytewise),
		cmocka_unit_test(test_times_compare_as_times),
		cmocka_unit_test(test_type_mismatch_is_false),
		cmocka_unit_test(test_missing_is_false),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_durations_in_care),
		cmocka_unit_test(test_in),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_regex_limit_is_false),
		cmocka_unit_test(test_regex_limit_is_counted),
		cmocka_unit_test(test_len),
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_truthiness),
		cmocka_unit_test(test_not_and_parentheses),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_error_keeps_file_and_line),
		cmocka_unit_test(test_long_messages_are_cut),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_long_chains),
		cmocka_unit_test(test_record_not_an_object),
		cmocka_unit_test(test_shared_regex_state),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
