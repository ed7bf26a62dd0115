/* test_record.c: the tend post v1 record read, validated, edited and
 * written (lib/record.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "record.h"

#define HEAD "\"id\":\"tw:1\",\"channel\":\"twitter\"," \
	"\"created_at\":\"2026-11-23T10:00:00Z\""
#define MINIMAL "{" HEAD ",\"text\":\"hi\"}"
#define T20261123 1795428000LL	/* 2026-11-23T10:00:00Z */

struct fixture {
	struct tend_record r;
	struct tend_error err;
	struct tend_buf out;
};

static int
setup(void **state)
{
	static struct fixture f;

	tend_record_init(&f.r);
	memset(&f.err, 0, sizeof(f.err));
	tend_buf_init(&f.out);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	tend_record_release(&f->r);
	tend_buf_release(&f->out);
	return 0;
}

static int
parse_n(struct fixture *f, const char *line, size_t len)
{
	memset(&f->err, 0, sizeof(f->err));
	return tend_record_parse(&f->r, line, len, &f->err);
}

static int
parse(struct fixture *f, const char *line)
{
	return parse_n(f, line, strlen(line));
}

/* line must be rejected with message text at column col (0: none). */
static void
assert_rejected(struct fixture *f, const char *line, long col,
    const char *text)
{
	if (parse(f, line) != -1)
		fail_msg("accepted: %s", line);
	assert_string_equal(f->err.text, text);
	assert_int_equal(f->err.col, col);
}

static const char *
written(struct fixture *f)
{
	tend_buf_reset(&f->out);
	tend_record_write(&f->r, &f->out);
	return f->out.data;
}

static void
test_parse_minimal_post(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, MINIMAL), 0);
	assert_int_equal(f->r.created_at.sec, T20261123);
	assert_int_equal(f->r.created_at.nsec, 0);
	assert_int_equal(f->r.nedits, 0);
	assert_string_equal(f->r.line, MINIMAL);
	assert_int_equal(f->r.len, strlen(MINIMAL));
	assert_string_equal(tend_record_str(f->r.root, "text"), "hi");
}

static void
test_parse_event_needs_no_text(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{\"id\":\"ev:1\",\"kind\":\"event\","
	    "\"channel\":\"email\",\"created_at\":\"2026-11-23T10:00:00Z\","
	    "\"thread\":\"tw:1\",\"event\":\"resolved\"}"), 0);
}

static void
test_parse_survey(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{\"id\":\"sv:1\",\"kind\":\"survey\","
	    "\"channel\":\"survey\",\"created_at\":\"2026-11-23T10:00:00Z\","
	    "\"scale\":\"nps\",\"score\":9}"), 0);
	assert_int_equal(parse(f, "{\"id\":\"sv:2\",\"kind\":\"survey\","
	    "\"channel\":\"survey\",\"created_at\":\"2026-11-23T10:00:00Z\","
	    "\"scale\":\"csat\",\"score\":1,\"thread\":\"chat:c-1\"}"), 0);
}

/* A survey's score is checked against its scale, on both paths. */
static void
test_survey_messages(void **state)
{
#define SV "{\"id\":\"sv:1\",\"kind\":\"survey\",\"channel\":\"survey\"," \
	"\"created_at\":\"2026-11-23T10:00:00Z\""
	static const struct {
		const char *line, *text;
	} bad[] = {
		{ SV ",\"score\":9}", "missing required field \"scale\"" },
		{ SV ",\"scale\":\"stars\",\"score\":9}", "field \"scale\": "
		    "unknown value 'stars' (expected one of: nps, csat)" },
		{ SV ",\"scale\":\"nps\"}", "missing required field \"score\"" },
		{ SV ",\"scale\":\"nps\",\"score\":11}", "field \"score\" "
		    "must be an integer from 0 to 10 on the nps scale" },
		{ SV ",\"scale\":\"csat\",\"score\":0}", "field \"score\" "
		    "must be an integer from 1 to 5 on the csat scale" },
		{ SV ",\"scale\":\"csat\",\"score\":4.5}", "field \"score\" "
		    "must be an integer from 1 to 5 on the csat scale" },
		{ SV ",\"scale\":\"nps\",\"score\":\"9\"}", "field \"score\" "
		    "must be an integer from 0 to 10 on the nps scale" },
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_rejected(f, bad[i].line, 0, bad[i].text);
		memset(&f->err, 0, sizeof(f->err));
		assert_int_equal(tend_record_scan(&f->r, bad[i].line,
		    strlen(bad[i].line), &f->err), -1);
		assert_string_equal(f->err.text, bad[i].text);
	}
	assert_int_equal(tend_record_scan(&f->r, SV ",\"scale\":\"csat\","
	    "\"score\":5}", strlen(SV) + 26, &f->err), 0);
	assert_null(f->r.root);		/* the fast path took it */
#undef SV
}

static void
test_parse_full_post(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" HEAD ",\"kind\":\"post\",\"author\":"
	    "{\"id\":\"42\",\"handle\":\"dana\",\"name\":\"Dana\","
	    "\"followers\":0,\"verified\":false},\"text\":\"\","
	    "\"thread\":\"tw:1\",\"reply_to\":\"tw:0\",\"actor\":\"agent\","
	    "\"visibility\":\"private\",\"lang\":\"en\",\"url\":\"https://x\","
	    "\"links\":[],\"mentions\":[\"acme\"],\"hashtags\":[\"a\",\"b\"],"
	    "\"source\":{\"format\":\"tend\"},\"class\":{\"x\":1}}"), 0);
	assert_int_equal(f->r.nedits, 0);
}

static void
test_not_an_object(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "[1]", 0, "a record must be a JSON object, not "
	    "an array");
	/* jansson reads only objects and arrays at the top */
	assert_rejected(f, "\"x\"", 3, "invalid JSON: '[' or '{' expected "
	    "near '\"x\"'");
}

static void
assert_validate_type(json_t *v, const char *type)
{
	struct tend_time t;
	struct tend_error err;
	char want[80];

	assert_int_equal(tend_record_validate(v, &t, &err), -1);
	snprintf(want, sizeof(want), "a record must be a JSON object, not %s",
	    type);
	assert_string_equal(err.text, want);
	json_decref(v);
}

static void
test_validate_not_an_object(void **state)
{
	(void)state;
	assert_validate_type(json_string("x"), "a string");
	assert_validate_type(json_integer(1), "an integer");
	assert_validate_type(json_real(1.5), "a number");
	assert_validate_type(json_true(), "a boolean");
	assert_validate_type(json_null(), "null");
}

static void
test_id_messages(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{\"channel\":\"twitter\"}", 0,
	    "missing required field \"id\"");
	assert_rejected(f, "{\"id\":7}", 0,
	    "field \"id\" must be a string, not an integer");
	assert_rejected(f, "{\"id\":\"\"}", 0, "field \"id\" is empty");
}

static void
test_kind_and_channel_messages(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{\"id\":\"x:1\",\"kind\":\"tweet\"}", 0,
	    "field \"kind\": unknown value 'tweet' (expected one of: post, "
	    "event, survey, alert)");
	assert_rejected(f, "{\"id\":\"x:1\"}", 0,
	    "missing required field \"channel\"");
	assert_rejected(f, "{\"id\":\"x:1\",\"channel\":\"myspace\"}", 0,
	    "field \"channel\": unknown value 'myspace' (expected one of: "
	    "twitter, facebook, instagram, mastodon, reddit, youtube, email, "
	    "chat, phone, survey, web, other)");
	assert_rejected(f, "{\"id\":\"x:1\",\"channel\":[]}", 0,
	    "field \"channel\" must be a string, not an array");
}

static void
test_unknown_value_is_quoted(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{\"id\":\"x:1\",\"kind\":\"it's\\n\"}", 0,
	    "field \"kind\": unknown value 'it\\'s\\x0a' (expected one of: "
	    "post, event, survey, alert)");
	assert_rejected(f, "{\"id\":\"x:1\",\"kind\":\"" 
	    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\"}", 0,
	    "field \"kind\": unknown value 'abcdefghijklmnopqrstuvwxyzabcdefghi"
	    "...' (expected one of: post, event, survey, alert)");
}

static void
test_created_at_messages(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{\"id\":\"x:1\",\"channel\":\"chat\"}", 0,
	    "missing required field \"created_at\"");
	assert_rejected(f, "{\"id\":\"x:1\",\"channel\":\"chat\","
	    "\"created_at\":1700000000}", 0,
	    "field \"created_at\" must be a string, not an integer");
	assert_rejected(f, "{\"id\":\"x:1\",\"channel\":\"chat\","
	    "\"created_at\":\"yesterday\"}", 0,
	    "field \"created_at\": not an RFC 3339 time: 'yesterday'");
	assert_rejected(f, "{\"id\":\"x:1\",\"channel\":\"chat\","
	    "\"created_at\":\"2023-02-29T00:00:00Z\"}", 0,
	    "field \"created_at\": not an RFC 3339 time: "
	    "'2023-02-29T00:00:00Z'");
}

static void
test_text_thread_event_messages(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{" HEAD "}", 0, "missing required field \"text\"");
	assert_rejected(f, "{" HEAD ",\"text\":null}", 0,
	    "field \"text\" must be a string, not null");
	assert_rejected(f, "{" HEAD ",\"kind\":\"event\",\"event\":\"x\"}", 0,
	    "missing required field \"thread\"");
	assert_rejected(f, "{" HEAD ",\"kind\":\"event\",\"thread\":\"t\"}",
	    0, "missing required field \"event\"");
	assert_rejected(f, "{" HEAD ",\"kind\":\"event\",\"thread\":\"t\","
	    "\"event\":1}", 0, "field \"event\" must be a string, not an "
	    "integer");
}

static void
test_optional_field_messages(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"reply_to\":{}}", 0,
	    "field \"reply_to\" must be a string, not an object");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"actor\":\"robot\"}", 0,
	    "field \"actor\": unknown value 'robot' (expected one of: "
	    "customer, agent, bot, system)");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"visibility\":\"secret\"}",
	    0, "field \"visibility\": unknown value 'secret' (expected one "
	    "of: public, private, internal)");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"lang\":[\"en\"]}", 0,
	    "field \"lang\" must be a string, not an array");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"url\":true}", 0,
	    "field \"url\" must be a string, not a boolean");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"source\":\"tend\"}", 0,
	    "field \"source\" must be an object");
}

static void
test_array_messages(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"links\":\"https://x\"}",
	    0, "field \"links\" must be an array of strings, not a string");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"mentions\":[\"a\",2]}",
	    0, "field \"mentions[1]\" must be a string, not an integer");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"hashtags\":[null]}", 0,
	    "field \"hashtags[0]\" must be a string, not null");
}

static void
test_author_messages(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"author\":\"dana\"}", 0,
	    "field \"author\" must be an object, not a string");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"author\":{\"id\":1}}", 0,
	    "field \"author.id\" must be a string, not an integer");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"author\":{\"handle\":1}}",
	    0, "field \"author.handle\" must be a string, not an integer");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"author\":{\"name\":[]}}",
	    0, "field \"author.name\" must be a string, not an array");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"author\":"
	    "{\"followers\":-1}}", 0,
	    "field \"author.followers\" must be a non-negative integer");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"author\":"
	    "{\"followers\":\"10\"}}", 0,
	    "field \"author.followers\" must be a non-negative integer");
	assert_rejected(f, "{" HEAD ",\"text\":\"\",\"author\":"
	    "{\"verified\":\"yes\"}}", 0,
	    "field \"author.verified\" must be a boolean, not a string");
}

static void
test_nul_byte(void **state)
{
	struct fixture *f = *state;
	const char line[] = "{\"id\":\"a\0b\"}";

	assert_int_equal(parse_n(f, line, sizeof(line) - 1), -1);
	assert_string_equal(f->err.text, "NUL byte in record");
	assert_int_equal(f->err.col, 9);
}

static void
test_invalid_utf8(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{\"id\":\"caf\xc3\xa9 \xff\"}", 14,
	    "invalid UTF-8 (byte 0xff)");
	assert_rejected(f, "{\"id\":\"\xed\xa0\x80\"}", 8,
	    "invalid UTF-8 (byte 0xed)");
}

static void
test_invalid_utf8_before_nul(void **state)
{
	struct fixture *f = *state;
	const char line[] = "{\"id\":\"\xc0\0\"}";

	assert_int_equal(parse_n(f, line, sizeof(line) - 1), -1);
	assert_string_equal(f->err.text, "invalid UTF-8 (byte 0xc0)");
	assert_int_equal(f->err.col, 8);
}

static void
test_truncated(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{\"id\":\"x", 9, "invalid JSON: truncated record");
	assert_rejected(f, "{\"id\":\"x\"", 10,
	    "invalid JSON: truncated record");
	assert_rejected(f, "", 1, "invalid JSON: truncated record");
}

static void
test_duplicate_key(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{\"id\":\"a\",\"id\":\"b\"}", 14,
	    "invalid JSON: duplicate object key near '\"id\"'");
}

static void
test_bad_json(void **state)
{
	struct fixture *f = *state;

	assert_rejected(f, "{\"id\":tru}", 9,
	    "invalid JSON: invalid token near 'tru'");
	assert_rejected(f, MINIMAL "x", 82,
	    "invalid JSON: end of file expected near 'x'");
}

static void
test_created_at_normalised(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{\"id\":\"tw:1\",\"channel\":\"twitter\","
	    "\"created_at\":\"2026-11-23 04:30:00.50-05:30\",\"text\":\"hi\"}"),
	    0);
	assert_int_equal(f->r.created_at.sec, T20261123);
	assert_int_equal(f->r.created_at.nsec, 500000000);
	assert_int_equal(f->r.nedits, 1);
	assert_string_equal(f->r.edits[0].key, "created_at");
	assert_string_equal(f->r.edits[0].value, "\"2026-11-23T10:00:00.5Z\"");
	assert_string_equal(tend_record_str(f->r.root, "created_at"),
	    "2026-11-23T10:00:00.5Z");
	assert_string_equal(written(f), "{\"id\":\"tw:1\",\"channel\":"
	    "\"twitter\",\"created_at\":\"2026-11-23T10:00:00.5Z\","
	    "\"text\":\"hi\"}\n");
}

static void
test_canonical_created_at_not_edited(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{\"id\":\"tw:1\",\"channel\":\"twitter\","
	    "\"created_at\":\"2026-11-23T10:00:00.25Z\",\"text\":\"hi\"}"), 0);
	assert_int_equal(f->r.nedits, 0);
}

static void
test_write_without_edits_is_the_input(void **state)
{
	struct fixture *f = *state;
	const char *line = "{ \"id\" : \"tw:1\",\"channel\":\"twitter\","
	    "\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":\"caf\\u00e9\","
	    "\"n\":1.50,\"x\":{ \"y\" :[ ] } }  ";
	char want[512];

	assert_int_equal(parse(f, line), 0);
	snprintf(want, sizeof(want), "%s\n", line);
	assert_string_equal(written(f), want);
	/* a second write of the same record is the same */
	assert_string_equal(written(f), want);
}

static void
test_set_replaces_member(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{\"id\":\"tw:1\",  \"channel\":\"twitter\","
	    "\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":\"hi\","
	    "\"class\" : {\"old\":[1, {\"}\":\"{\"}]} ,\"x-unknown\":[1, 2]}"), 0);
	tend_record_set(&f->r, "class", json_pack("{s:s}", "category",
	    "complaint"));
	assert_string_equal(written(f), "{\"id\":\"tw:1\",  \"channel\":"
	    "\"twitter\",\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":"
	    "\"hi\",\"class\" : {\"category\":\"complaint\"} ,\"x-unknown\":"
	    "[1, 2]}\n");
	assert_string_equal(tend_record_str(f->r.root, "class.category"),
	    "complaint");
}

static void
test_set_adds_member(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" HEAD ",\"text\":\"hi\",\"z\":[ 1 ]}"),
	    0);
	tend_record_set(&f->r, "sla", json_pack("{s:s,s:b}", "status", "due",
	    "breached", 0));
	assert_string_equal(written(f), "{" HEAD ",\"text\":\"hi\",\"z\":[ 1 ],"
	    "\"sla\":{\"status\":\"due\",\"breached\":false}}\n");
}

static void
test_set_adds_member_before_spaces(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{ " HEAD ",\"text\":\"hi\" }\t"), 0);
	tend_record_set(&f->r, "reply", json_string("ok"));
	assert_string_equal(written(f), "{ " HEAD ",\"text\":\"hi\" ,"
	    "\"reply\":\"ok\"}\t\n");
}

static void
test_set_same_key_twice(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, MINIMAL), 0);
	tend_record_set(&f->r, "class", json_integer(1));
	tend_record_set(&f->r, "class", json_integer(2));
	assert_int_equal(f->r.nedits, 1);
	assert_string_equal(written(f), "{" HEAD ",\"text\":\"hi\","
	    "\"class\":2}\n");
}

static void
test_set_several_in_line_order(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{\"text\":\"a\",\"id\":\"tw:1\","
	    "\"channel\":\"twitter\",\"created_at\":\"2026-11-23T10:00:00+00:00\""
	    ",\"b\":1}"), 0);
	tend_record_set(&f->r, "new", json_true());
	tend_record_set(&f->r, "b", json_string("B"));
	tend_record_set(&f->r, "text", json_string("\"quoted\" \xc3\xa9"));
	assert_string_equal(written(f), "{\"text\":\"\\\"quoted\\\" \xc3\xa9\","
	    "\"id\":\"tw:1\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-11-23T10:00:00Z\",\"b\":\"B\",\"new\":true}\n");
}

static void
test_set_key_written_with_escapes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{" HEAD ",\"t\\u0065xt\":\"hi\"}"), 0);
	tend_record_set(&f->r, "text", json_string("bye"));
	assert_string_equal(written(f), "{" HEAD ",\"t\\u0065xt\":\"bye\"}\n");
}

static void
test_many_edits(void **state)
{
	struct fixture *f = *state;
	char key[16], want[512];
	int i;

	assert_int_equal(parse(f, MINIMAL), 0);
	snprintf(want, sizeof(want), "{" HEAD ",\"text\":\"hi\"");
	for (i = 0; i < 12; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		tend_record_set(&f->r, key, json_integer(i));
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
		    ",\"k%d\":%d", i, i);
	}
	strcat(want, "}\n");
	assert_string_equal(written(f), want);
}

static void
test_parse_again_replaces(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse(f, "{\"id\":\"tw:1\",\"channel\":\"twitter\","
	    "\"created_at\":\"2026-11-23T10:00:00+01:00\",\"text\":\"hi\"}"), 0);
	tend_record_set(&f->r, "class", json_integer(1));
	assert_int_equal(f->r.nedits, 2);
	assert_int_equal(parse(f, MINIMAL), 0);
	assert_int_equal(f->r.nedits, 0);
	assert_null(json_object_get(f->r.root, "class"));
	assert_string_equal(written(f), MINIMAL "\n");
}

static void
test_validate_in_memory(void **state)
{
	struct tend_time t;
	struct tend_error err;
	json_t *v = json_pack("{s:s,s:s,s:s,s:s}", "id", "chat:1", "channel",
	    "chat", "created_at", "2026-11-23T10:00:00Z", "text", "x");

	(void)state;
	assert_int_equal(tend_record_validate(v, &t, &err), 0);
	assert_int_equal(t.sec, T20261123);
	json_object_set_new(v, "channel", json_string("fax"));
	assert_int_equal(tend_record_validate(v, &t, &err), -1);
	assert_non_null(strstr(err.text, "field \"channel\": unknown value "
	    "'fax' (expected one of: twitter,"));
	json_decref(v);
}

static void
test_dump(void **state)
{
	struct tend_buf out;
	json_t *v = json_pack("{s:i,s:[i,s],s:{}}", "b", 1, "a", 2, "\xc3\xa9",
	    "c");

	(void)state;
	tend_buf_init(&out);
	tend_buf_adds(&out, ">");
	tend_record_dump(v, &out);
	assert_string_equal(out.data, ">{\"b\":1,\"a\":[2,\"\xc3\xa9\"],"
	    "\"c\":{}}\n");
	tend_buf_release(&out);
	json_decref(v);
}

static void
test_str_paths(void **state)
{
	json_t *v = json_pack("{s:s,s:{s:s,s:i},s:{s:{s:s}}}", "id", "tw:1",
	    "author", "handle", "dana", "followers", 3, "a", "b", "c", "deep");
	char longpath[100];

	(void)state;
	assert_string_equal(tend_record_str(v, "id"), "tw:1");
	assert_string_equal(tend_record_str(v, "author.handle"), "dana");
	assert_string_equal(tend_record_str(v, "a.b.c"), "deep");
	assert_null(tend_record_str(v, "author.followers"));	/* integer */
	assert_null(tend_record_str(v, "author"));		/* object */
	assert_null(tend_record_str(v, "author.name"));
	assert_null(tend_record_str(v, "id.x"));		/* not an object */
	assert_null(tend_record_str(v, "nope.handle"));
	assert_null(tend_record_str(v, ""));
	memset(longpath, 'k', 70);
	strcpy(longpath + 70, ".handle");
	assert_null(tend_record_str(v, longpath));
	assert_null(tend_record_str(NULL, "id"));
	json_decref(v);
}

static void
test_word_in(void **state)
{
	(void)state;
	assert_true(tend_word_in("chat", tend_channels));
	assert_true(tend_word_in("other", tend_channels));
	assert_false(tend_word_in("Chat", tend_channels));
	assert_false(tend_word_in("", tend_channels));
	assert_true(tend_word_in("alert", tend_kinds));
	assert_true(tend_word_in("system", tend_actors));
	assert_true(tend_word_in("internal", tend_visibilities));
}

/* The accessors answer alike on the scan path (no json_t) and on the
 * jansson path (a created_at to normalise sends the line there). */
static void
test_accessors_on_both_paths(void **state)
{
	static const char *const lines[] = {
		"{" HEAD ",\"text\":\"hi\",\"author\":{\"followers\":12,"
		    "\"verified\":true},\"class\":{\"sentiment\":"
		    "{\"score\":-0.25}},\"hashtags\":[\"a\",\"b\"]}",
		"{\"id\":\"tw:1\",\"channel\":\"twitter\",\"created_at\":"
		    "\"2026-11-23T11:00:00+01:00\",\"text\":\"hi\",\"author\":"
		    "{\"followers\":12,\"verified\":true},\"class\":"
		    "{\"sentiment\":{\"score\":-0.25}},\"hashtags\":"
		    "[\"a\",\"b\"]}",
	};
	struct fixture *f = *state;
	struct tend_buf b = TEND_BUF_INIT;
	long long n;
	double d;
	size_t i;

	for (i = 0; i < 2; i++) {
		assert_int_equal(tend_record_scan(&f->r, lines[i],
		    strlen(lines[i]), &f->err), 0);
		assert_true(i == 0 ? f->r.root == NULL : f->r.root != NULL);
		assert_string_equal(tend_record_get_str(&f->r, "text", &b),
		    "hi");
		assert_null(tend_record_get_str(&f->r, "author.followers",
		    &b));
		assert_int_equal(tend_record_get_int(&f->r,
		    "author.followers", &n), 0);
		assert_int_equal(n, 12);
		assert_int_equal(tend_record_get_int(&f->r,
		    "class.sentiment.score", &n), -1);
		assert_int_equal(tend_record_get_num(&f->r,
		    "class.sentiment.score", &d), 0);
		assert_true(d == -0.25);
		assert_int_equal(tend_record_get_num(&f->r,
		    "author.followers", &d), 0);
		assert_true(d == 12);
		assert_int_equal(tend_record_get_num(&f->r, "text", &d), -1);
		assert_int_equal(tend_record_get_num(&f->r, "nope", &d), -1);
		assert_true(tend_record_is_true(&f->r, "author.verified"));
		assert_false(tend_record_is_true(&f->r, "author.followers"));
		tend_record_release(&f->r);
	}
	tend_buf_release(&b);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_minimal_post),
		T(test_parse_event_needs_no_text),
		T(test_parse_survey),
		T(test_survey_messages),
		T(test_parse_full_post),
		T(test_not_an_object),
		cmocka_unit_test(test_validate_not_an_object),
		T(test_id_messages),
		T(test_kind_and_channel_messages),
		T(test_unknown_value_is_quoted),
		T(test_created_at_messages),
		T(test_text_thread_event_messages),
		T(test_optional_field_messages),
		T(test_array_messages),
		T(test_author_messages),
		T(test_nul_byte),
		T(test_invalid_utf8),
		T(test_invalid_utf8_before_nul),
		T(test_truncated),
		T(test_duplicate_key),
		T(test_bad_json),
		T(test_created_at_normalised),
		T(test_canonical_created_at_not_edited),
		T(test_write_without_edits_is_the_input),
		T(test_set_replaces_member),
		T(test_set_adds_member),
		T(test_set_adds_member_before_spaces),
		T(test_set_same_key_twice),
		T(test_set_several_in_line_order),
		T(test_set_key_written_with_escapes),
		T(test_many_edits),
		T(test_parse_again_replaces),
		cmocka_unit_test(test_validate_in_memory),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_str_paths),
		cmocka_unit_test(test_word_in),
		T(test_accessors_on_both_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
