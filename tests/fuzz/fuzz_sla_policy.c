/* fuzz_sla_policy.c: libFuzzer harness for the tend-policy(5) parser
 * (cmd/tend-sla/policy.c), linked with tend-sla's files but main.c.
 *
 * The input is a policy.  When it does not parse, the error must say why
 * and where (a line within the input).  When it parses, a fixed thread (a
 * customer post, a bot's and an agent's reply, a note, a second customer
 * post and a resolved event) is evaluated under it, and every record's
 * sla object must be valid JSON: whatever the calendars and targets say,
 * the clocks must not crash, loop or write nonsense.  Relative holiday
 * files are looked for in a directory that does not exist.
 *
 *	make fuzz-bin/fuzz_sla_policy && fuzz-bin/fuzz_sla_policy CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "../../cmd/tend-sla/thread.h"	/* not on -I */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const thread_records[] = {
	"{\"id\":\"twitter:1\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-03-27T16:30:00Z\",\"text\":\"my order is late\","
	    "\"thread\":\"twitter:1\",\"class\":{\"category\":\"complaint\"}}",
	"{\"id\":\"twitter:2\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-03-27T16:31:00Z\",\"text\":\"Thanks, we will reply\","
	    "\"thread\":\"twitter:1\",\"actor\":\"bot\"}",
	"{\"id\":\"twitter:3\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-03-30T09:10:00Z\",\"text\":\"Can you DM us? ^AB\","
	    "\"thread\":\"twitter:1\",\"actor\":\"agent\"}",
	"{\"id\":\"twitter:4\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-03-30T09:11:00Z\",\"text\":\"vip -CD\","
	    "\"thread\":\"twitter:1\",\"actor\":\"agent\","
	    "\"visibility\":\"internal\"}",
	"{\"id\":\"twitter:5\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-03-30T12:00:00Z\",\"text\":\"done, thanks\","
	    "\"thread\":\"twitter:1\"}",
	"{\"id\":\"event:6\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-03-31T12:00:00Z\",\"text\":\"\",\"kind\":\"event\","
	    "\"event\":\"resolved\",\"thread\":\"twitter:1\"}",
};
#define NRECORDS (sizeof(thread_records) / sizeof(thread_records[0]))

static void
run_thread(const struct sla_policy *p)
{
	struct sla_item items[NRECORDS];
	struct sla_result res[NRECORDS];
	struct sla_case c;
	struct tend_record rec;
	struct tend_error err;
	struct tend_buf out = TEND_BUF_INIT;
	struct sla_scratch scratch;
	const char *key;
	size_t i, keylen;
	json_error_t jerr;
	json_t *obj;

	sla_scratch_init(&scratch);
	for (i = 0; i < NRECORDS; i++) {
		tend_record_init(&rec);
		if (tend_record_scan(&rec, thread_records[i],
		    strlen(thread_records[i]), &err) < 0)
			abort();
		sla_item_make(p, &rec, &scratch, &items[i], &key, &keylen);
		tend_record_release(&rec);
	}
	sla_scratch_release(&scratch);
	sla_eval(p, items, NRECORDS, 1775000000, res, &c);
	for (i = 0; i < NRECORDS; i++) {
		tend_buf_reset(&out);
		sla_output(p, items, res, &c, i, 1775000000, &out);
		obj = json_loadb(out.data, out.len, JSON_REJECT_DUPLICATES,
		    &jerr);
		if (!obj)
			abort();
		json_decref(obj);
	}
	sla_case_release(&c);
	for (i = 0; i < NRECORDS; i++)
		free(items[i].line);
	tend_buf_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sla_policy *p;
	struct tend_error err;
	size_t lines = 1, i;

	memset(&err, 0, sizeof(err));
	p = sla_policy_parse((const char *)data, size, "fuzz.policy",
	    "/nonexistent-tend-fuzz", &err);
	if (!p) {
		for (i = 0; i < size; i++)
			lines += data[i] == '\n';
		if (!err.text[0] || err.line < 0 || (size_t)err.line > lines ||
		    err.col < 0)
			abort();
		return 0;
	}
	run_thread(p);
	sla_policy_free(p);
	return 0;
}
