/* fuzz_classify_rules.c: libFuzzer harness for the rule-file parser of
 * the classification engine (lib/classify.h, tend-rules(5)).
 *
 * The input is written to a scratch file and loaded as a rule file.  A
 * load that fails must say where and why; one that succeeds must classify
 * a post (whose text is the input's first line, too) without a crash, and
 * the class it writes must be one JSON object.
 *
 *	make fuzz-bin/fuzz_classify_rules && fuzz-bin/fuzz_classify_rules CORPUS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void
classify_one(struct cl *cl, const char *text, size_t n)
{
	struct tend_record rec;
	struct tend_error err;
	struct cl_post post;
	struct tend_buf out = TEND_BUF_INIT, ex = TEND_BUF_INIT, line =
	    TEND_BUF_INIT;
	json_t *obj, *cls;

	if (memchr(text, '\0', n))
		return;		/* a record's text holds no NUL */
	obj = json_pack("{s:s, s:s, s:s, s:s%, s:{s:s, s:i}, s:[s]}", "id",
	    "tw:1", "channel", "twitter", "created_at", "2026-11-20T10:00:00Z",
	    "text", text, n, "author", "handle", "AcmeCare5", "followers",
	    120000, "links", "http://acrne.com/verify");
	if (!obj)
		return;		/* text was not UTF-8 */
	tend_record_dump(obj, &line);
	json_decref(obj);
	tend_record_init(&rec);
	if (tend_record_parse(&rec, line.data, line.len - 1, &err) < 0)
		abort();
	cl_post_init(&post);
	cl_classify(cl, &post, &rec, &out, &ex);
	cls = json_loadb(out.data, out.len, 0, NULL);
	if (!json_is_object(cls))
		abort();
	json_decref(cls);
	cl_post_release(&post);
	tend_record_release(&rec);
	tend_buf_release(&out);
	tend_buf_release(&ex);
	tend_buf_release(&line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl cl;
	struct tend_error err;
	const char *nl;
	FILE *fp;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-rules-%ld.rules",
		    (long)getpid());
	if (!(fp = fopen(path, "wb")))
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	cl_init(&cl);
	cl.explain = 2;
	cl_brand_add(&cl, "handle", "AcmeCares", &err);
	cl_brand_add(&cl, "domain", "acme.com", &err);
	memset(&err, 0, sizeof(err));
	if (cl_rules_load(&cl, path, &err) < 0) {
		if (!err.text[0] || !err.file[0])
			abort();
	} else {
		nl = memchr(data, '\n', size);
		classify_one(&cl, (const char *)data, nl ?
		    (size_t)(nl - (const char *)data) : size);
	}
	cl_release(&cl);
	return 0;
}
