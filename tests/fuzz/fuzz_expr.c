/* fuzz_expr.c: libFuzzer harness for the expression language
 * (lib/expr.h).
 *
 * The input, up to its first NUL, is an expression.  When it does not
 * parse, the error must say why and point into the source (a column from
 * 1 to one past its end).  When it parses, it is evaluated against a
 * fixed record and against a record that is not an object; the result
 * must be 0 or 1, the same on a second evaluation (the regex match data
 * is reused), and the source must be kept as given.
 *
 *	make fuzz-bin/fuzz_expr && fuzz-bin/fuzz_expr CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "error.h"
#include "expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char record_text[] =
    "{\"id\":\"tw:1\",\"channel\":\"twitter\","
    "\"created_at\":\"2026-11-23T10:00:00Z\","
    "\"text\":\"I want a REFUND now, caf\\u00e9 \\ud83d\\ude00\","
    "\"author\":{\"id\":\"42\",\"handle\":\"dana\",\"followers\":12000,"
    "\"verified\":false},"
    "\"class\":{\"category\":\"complaint\",\"flags\":[\"sensitive.legal\","
    "\"press\"],\"score\":0.75,\"topics\":{\"billing\":1}},"
    "\"sla\":{\"first_response_secs\":1200,"
    "\"due_at\":\"2026-11-23T10:15:00Z\",\"breached\":true},"
    "\"hashtags\":[\"Acme\",\"refund\"],\"links\":[],\"lang\":\"\","
    "\"reply_to\":null,\"empty\":{},\"zero\":0,\"real\":2.5,\"neg\":-5,"
    "\"big\":9223372036854775807,\"numbers\":[1,2.5,-3],"
    "\"mixed\":[1,\"two\",true,null,[\"x\"],{\"y\":1}],"
    "\"nul\":\"a\\u0000b\",\"multi\":\"line one\\nline two\","
    "\"slow\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}";

static json_t *record, *not_object;

static void
setup(void)
{
	json_error_t jerr;

	if (record)
		return;
	tend_alloc_use_for_json();
	record = json_loads(record_text, JSON_ALLOW_NUL, &jerr);
	not_object = json_pack("[s,i]", "channel", 1);
	if (!record || !not_object)
		abort();
}

static void
check_eval(const struct tend_expr *e, const json_t *rec)
{
	int r = tend_expr_eval(e, rec);

	if ((r != 0 && r != 1) || tend_expr_eval(e, rec) != r)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tend_error err;
	struct tend_expr *e;
	char *src;
	size_t len;

	setup();
	src = tend_xstrndup((const char *)data, size);
	len = strlen(src);
	memset(&err, 0, sizeof(err));
	if (!(e = tend_expr_parse(src, &err))) {
		if (!err.text[0] || err.col < 1 || err.col > (long)len + 1)
			abort();
		free(src);
		return 0;
	}
	if (strcmp(tend_expr_source(e), src) != 0)
		abort();
	check_eval(e, record);
	check_eval(e, not_object);
	check_eval(e, NULL);
	tend_expr_free(e);
	free(src);
	return 0;
}
