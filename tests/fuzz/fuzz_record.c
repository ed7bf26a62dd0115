/* fuzz_record.c: libFuzzer harness for the record layer (lib/record.h).
 *
 * The input is one line (a line never holds a newline: inputs with one
 * are skipped).  When it parses as a record, it is written back three
 * times: as parsed (with the created_at edit, if any), after adding a
 * stage's object, and after replacing "text" and that object again.
 * Each written line must end in its one newline, parse again as JSON
 * without duplicate keys, and be equal to the record held in memory: the
 * splicing writer and the parsed object must never disagree.  When the
 * input does not parse, the error must say why.
 *
 *	make fuzz-bin/fuzz_record && fuzz-bin/fuzz_record CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_written(const struct tend_record *r)
{
	struct tend_buf out = TEND_BUF_INIT;
	json_error_t jerr;
	json_t *again;

	tend_buf_init(&out);
	tend_record_write(r, &out);
	if (out.len == 0 || out.data[out.len - 1] != '\n' ||
	    memchr(out.data, '\n', out.len - 1))
		abort();
	again = json_loadb(out.data, out.len - 1, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (!again || !json_equal(again, r->root))
		abort();
	json_decref(again);
	tend_buf_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct tend_record r;
	struct tend_error err;
	json_t *cls;

	if (memchr(line, '\n', size))
		return 0;
	tend_record_init(&r);
	memset(&err, 0, sizeof(err));
	if (tend_record_parse(&r, line, size, &err) < 0) {
		if (!err.text[0] || err.col < 0 || err.col > (long)size + 1)
			abort();
		tend_record_release(&r);
		return 0;
	}
	check_written(&r);

	cls = json_pack("{s:s, s:[s,s], s:f}", "category", "complaint",
	    "flags", "legal", "press", "score", 0.75);
	tend_record_set(&r, "class", cls);
	check_written(&r);

	tend_record_set(&r, "text", json_string("replaced \"text\" \xc3\xa9"));
	tend_record_set(&r, "class", json_integer(2));
	check_written(&r);
	if (strcmp(tend_record_str(r.root, "text"),
	    "replaced \"text\" \xc3\xa9") != 0)
		abort();

	tend_record_release(&r);
	return 0;
}
