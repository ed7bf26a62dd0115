/* fuzz_template.c: libFuzzer harness for the response map parser and the
 * style parser (lib/template.c, lib/tone.c).
 *
 * The input is parsed as a map and as a style.  A map that does not
 * parse must say why and where (a line within the input); one that does
 * has every template scanned and filled (a value with braces in it must
 * come out as it went in, never expanded), and every text offset maps to
 * a line of the input.  A style that parses runs every check on a fixed
 * reply and on the input itself as a reply, for every channel.
 *
 *	make fuzz-bin/fuzz_template && fuzz-bin/fuzz_template CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "template.h"
#include "tone.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char hostile[] = "{{agent.initials}} $(touch x) }}";

static const char *
value(void *arg, const char *name, size_t n)
{
	(void)arg;
	(void)name;
	return n % 3 ? hostile : NULL;
}

static void
count_findings(void *arg, const struct tend_finding *f)
{
	size_t *n = arg;

	if (!f->rule[0] || !f->message[0])
		abort();
	(*n)++;
}

static void
check_error(const struct tend_error *err, const uint8_t *data, size_t size)
{
	size_t lines = 1, i;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (!err->text[0] || err->line < 0 || (size_t)err->line > lines ||
	    err->col < 0)
		abort();
}

static void
fuzz_map(const uint8_t *data, size_t size)
{
	struct tend_map *m = tend_template_map_new();
	struct tend_buf out = TEND_BUF_INIT;
	struct tend_error err;
	const struct tend_template *t;
	size_t i, j, lines = 1;
	long line, col;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	memset(&err, 0, sizeof(err));
	if (tend_template_parse(m, (const char *)data, size, "fuzz.templates",
	    &err) < 0)
		check_error(&err, data, size);
	for (i = 0; i < m->n; i++) {
		t = &m->v[i];
		if (tend_utf8_check(t->text, t->text_len) != t->text_len)
			abort();
		tend_buf_reset(&out);
		tend_template_fill(t->text, t->text_len, value, NULL, &out,
		    NULL, NULL);
		if (tend_utf8_check(out.data ? out.data : "", out.len) !=
		    out.len)
			abort();
		for (j = 0; j <= t->text_len; j++) {
			tend_template_where(t, j, &line, &col);
			if (line < 1 || (size_t)line > lines || col < 1)
				abort();
		}
	}
	tend_buf_release(&out);
	tend_template_map_free(m);
}

static void
fuzz_style(const uint8_t *data, size_t size)
{
	static const char reply[] = "Hi @bob, CALM DOWN!!! see "
	    "http://acrne.com/x \xf0\x9f\x98\x80\xf0\x9f\x98\x80 ^AB";
	struct tend_style *st = tend_style_new();
	struct tend_error err;
	size_t i, found = 0;

	memset(&err, 0, sizeof(err));
	if (tend_style_parse(st, (const char *)data, size, "fuzz.style",
	    &err) < 0) {
		check_error(&err, data, size);
	} else {
		for (i = 0; tend_channels[i]; i++) {
			tend_tone_check(st, "en", tend_channels[i], reply,
			    sizeof(reply) - 1, TEND_CHECK_ALL, count_findings,
			    &found);
			if (tend_utf8_check((const char *)data, size) == size)
				tend_tone_check(st, "sl", tend_channels[i],
				    (const char *)data, size, TEND_CHECK_ALL,
				    count_findings, &found);
		}
	}
	tend_style_free(st);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_map(data, size);
	fuzz_style(data, size);
	return 0;
}
