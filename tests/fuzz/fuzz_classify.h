/* fuzz_classify.h: what the classification harnesses share: classifying
 * one post with the engine a harness loaded, which must write one JSON
 * object.  Included by fuzz_classify_rules.c and fuzz_classify_lexicon.c.
 */
#ifndef FUZZ_CLASSIFY_H
#define FUZZ_CLASSIFY_H

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "classify.h"
#include "record.h"

/* Classifies a post whose text is text[0..n) (skipped when it holds a NUL
 * or is not UTF-8); aborts unless the class is one JSON object. */
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

#endif
