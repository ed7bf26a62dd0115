/* test_template.c: the response map parser, the placeholder scanner and
 * the filler (lib/template.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "template.h"

static const char good_map[] =
    "# a map\n"
    "cover\n"
    "\tcategory complaint, question\n"
    "\tlang en\n"
    "\tchannel twitter email\n"
    "value brand Acme\n"
    "placeholder ticket max 8 ascii\n"
    "fallback-lang en\n"
    "\n"
    "template en.ack\n"
    "\tanswers category complaint, question\n"
    "\tanswers topic billing/refund\n"
    "\tchannels twitter, email\n"
    "\tlang en\n"
    "\tmax order_id 10\n"
    "\ttext Hi @{{customer.handle}},\n"
    "\ttext\n"
    "\ttext  sorry. ^{{agent.initials}}\n";

static struct tend_map *
parse(const char *text, struct tend_error *err)
{
	struct tend_map *m = tend_template_map_new();

	memset(err, 0, sizeof(*err));
	if (tend_template_parse(m, text, strlen(text), "t.templates", err)
	    < 0) {
		tend_template_map_free(m);
		return NULL;
	}
	return m;
}

static void
test_parse_map(void **state)
{
	struct tend_error err;
	struct tend_map *m = parse(good_map, &err);
	const struct tend_template *t;
	long line, col;

	(void)state;
	assert_non_null(m);
	assert_int_equal(m->n, 1);
	assert_int_equal(m->ncovers, 1);
	assert_int_equal(m->covers[0].ncategories, 2);
	assert_int_equal(m->covers[0].nchannels, 2);
	assert_string_equal(m->fallback_lang, "en");
	t = &m->v[0];
	assert_string_equal(t->id, "en.ack");
	assert_int_equal(t->line, 10);
	assert_int_equal(t->col, 10);
	assert_int_equal(t->ncategories, 2);
	assert_string_equal(t->topics[0], "billing/refund");
	assert_string_equal(t->lang, "en");
	/* text lines joined by newlines; "text  x" keeps the second blank */
	assert_string_equal(t->text, "Hi @{{customer.handle}},\n\n sorry. "
	    "^{{agent.initials}}");
	assert_int_equal(t->nlines, 3);
	tend_template_where(t, 4, &line, &col);
	assert_int_equal(line, 16);
	assert_int_equal(col, 11);
	tend_template_where(t, strlen(t->text) - 1, &line, &col);
	assert_int_equal(line, 18);
	assert_int_equal(tend_template_max(m, t, "order_id", 8), 10);
	assert_int_equal(tend_template_max(m, t, "ticket", 6), 8);
	assert_int_equal(tend_template_max(m, t, "brand", 5), 4);
	assert_int_equal(tend_template_max(m, t, "nope", 4), -1);
	assert_non_null(tend_template_spec(m, "customer.handle", 15));
	assert_int_equal(tend_template_spec(m, "ticket", 6)->ascii, 1);
	tend_template_map_free(m);
}

static void
expect_error(const char *text, long line, long col, const char *words)
{
	struct tend_error err;
	struct tend_map *m = parse(text, &err);

	assert_null(m);
	assert_string_equal(err.file, "t.templates");
	assert_int_equal(err.line, line);
	assert_int_equal(err.col, col);
	if (!strstr(err.text, words))
		fail_msg("'%s' does not say '%s'", err.text, words);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	expect_error("templat x\n", 1, 1, "unknown directive 'templat'");
	expect_error("template x\n\tlang english\n", 2, 7, "bad language");
	expect_error("template x\n\tchannels twitter, fax\n", 2, 20,
	    "unknown channel 'fax'");
	expect_error("template x\n\tanswers category moan\n", 2, 19,
	    "unknown category 'moan'");
	expect_error("template x\n\tlang en\n\tchannels chat\n"
	    "\tanswers category praise\n", 1, 10, "has no 'text'");
	expect_error("template x\n\tlang en\n\ttext hi\n", 1, 10,
	    "has no 'channels'");
	expect_error("\ttext hi\n", 1, 2, "not inside a template");
	expect_error("template a b\n", 1, 12, "unexpected 'b'");
	expect_error("template a\n\tlang en\n\tchannels chat\n"
	    "\tanswers category praise\n\ttext hi\ntemplate a\n", 6, 10,
	    "duplicate template id 'a' (first at t.templates:1)");
	expect_error("cover\n\tcategory praise\n\tlang en\n", 1, 1,
	    "no 'channel'");
	expect_error("placeholder x.y max 0\n", 1, 21, "from 1 to");
	expect_error("placeholder x..y max 3\n", 1, 13, "bad placeholder");
	expect_error("value customer.handle @me\n", 1, 7, "cannot be given");
	expect_error("template \xc4\x8d\n", 1, 10, "bad template id");
	expect_error("# ok\ntemplate x\n\ttext \xff\n", 3, 7, "invalid UTF-8");
	expect_error("template x\n\tlang en\n\tlang en\n", 3, 2, "one 'lang'");
}

struct seen {
	int kinds[5];
	char names[4][32];
	size_t n;
};

static void
collect(void *arg, const struct tend_ph *ph)
{
	struct seen *s = arg;

	s->kinds[ph->kind]++;
	if (ph->kind == TEND_PH_OK && s->n < 4)
		snprintf(s->names[s->n++], 32, "%.*s", (int)ph->name_len,
		    ph->name);
}

static void
test_scan(void **state)
{
	struct seen s;
	const char *t;

	(void)state;
	memset(&s, 0, sizeof(s));
	t = "{{a}} {{ b.c }} {x} }}  {{{d}}} {{e";
	assert_int_equal(tend_template_scan(t, strlen(t), collect, &s), 2);
	assert_int_equal(s.kinds[TEND_PH_OK], 3);
	assert_string_equal(s.names[0], "a");
	assert_string_equal(s.names[1], "b.c");
	assert_string_equal(s.names[2], "d");
	assert_int_equal(s.kinds[TEND_PH_STRAY], 1);
	assert_int_equal(s.kinds[TEND_PH_UNCLOSED], 1);

	memset(&s, 0, sizeof(s));
	t = "{{a{{b}}}} {{Customer Name}} {{x\n}}";
	tend_template_scan(t, strlen(t), collect, &s);
	assert_int_equal(s.kinds[TEND_PH_NESTED], 1);
	assert_int_equal(s.kinds[TEND_PH_BADNAME], 1);
	assert_int_equal(s.kinds[TEND_PH_UNCLOSED], 1);
	assert_int_equal(s.kinds[TEND_PH_STRAY], 1);
	assert_int_equal(s.kinds[TEND_PH_OK], 0);
}

static const char *
values(void *arg, const char *name, size_t n)
{
	(void)arg;
	if (n == 6 && memcmp(name, "handle", 6) == 0)
		return "{{agent}} $(touch x)";
	if (n == 5 && memcmp(name, "agent", 5) == 0)
		return "AB";
	return NULL;
}

static void
test_fill(void **state)
{
	struct tend_buf out = TEND_BUF_INIT;
	const char *t = "Hi @{{handle}} }} ^{{ agent }}", *missing;
	size_t len;

	(void)state;
	assert_int_equal(tend_template_fill(t, strlen(t), values, NULL, &out,
	    &missing, &len), 0);
	/* the value is inserted as it is, never read for placeholders */
	assert_string_equal(out.data, "Hi @{{agent}} $(touch x) }} ^AB");
	tend_buf_reset(&out);
	t = "{{agent}} {{order_id}} {{x}}";
	assert_int_equal(tend_template_fill(t, strlen(t), values, NULL, &out,
	    &missing, &len), -1);
	assert_int_equal(len, 8);
	assert_memory_equal(missing, "order_id", 8);
	tend_buf_release(&out);
}

static void
test_load_missing_file(void **state)
{
	struct tend_map *m = tend_template_map_new();
	struct tend_error err;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(tend_template_load(m, "/nonexistent/x.templates",
	    &err), -1);
	assert_int_equal(err.line, 0);
	assert_string_equal(err.file, "/nonexistent/x.templates");
	tend_template_map_free(m);
}

static void
test_channels(void **state)
{
	(void)state;
	assert_true(tend_template_channel("sms", 3));
	assert_true(tend_template_channel("twitter", 7));
	assert_false(tend_template_channel("twitte", 6));
	assert_false(tend_template_channel("fax", 3));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_map),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_load_missing_file),
		cmocka_unit_test(test_channels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
