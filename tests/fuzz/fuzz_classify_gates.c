/* fuzz_classify_gates.c: differential libFuzzer harness for the pattern
 * gates of the rule loader (lib/cl_rules.c): a pattern runs only on the
 * posts that hold the words it cannot match without, and a gate must
 * never hide a match.
 *
 * The input's first line is a pattern as a rule file gives it
 * (/REGEX/FLAGS), the rest is the text of a post.  The pattern is loaded
 * as the only rule of a fresh engine; on the text, the rule must fire
 * exactly when PCRE2 alone matches the pattern the loader compiled (with
 * the engine's match limits; a post that reaches them is not compared).
 *
 *	make fuzz-bin/fuzz_classify_gates && fuzz-bin/fuzz_classify_gates CORPUS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

/* Loads pattern line[0..n) as rule t.gate; 0, or -1 when it is refused. */
static int
load_pattern(struct cl *cl, const char *line, size_t n)
{
	struct tend_error err;
	FILE *fp;

	if (!(fp = fopen(path, "wb")))
		return -1;
	fprintf(fp, "rule t.gate\n\tcategory question\n\tpattern %.*s\n",
	    (int)n, line);
	fclose(fp);
	memset(&err, 0, sizeof(err));
	return cl_rules_load(cl, path, &err) < 0 || cl->nrules != 1 ||
	    cl->rules[0].npatterns != 1 ? -1 : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl = memchr(s, '\n', size);
	const char *text;
	size_t n;
	struct cl cl;
	struct cl_post p;
	pcre2_match_data *md;
	int rc, fired;

	if (!nl || memchr(s, '\0', size))
		return 0;
	text = nl + 1;
	n = size - (size_t)(text - s);
	if (tend_utf8_check(text, n) != n)
		return 0;	/* a record's text is valid UTF-8 */
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-gates-%ld.rules",
		    (long)getpid());
	cl_init(&cl);
	if (load_pattern(&cl, s, (size_t)(nl - s)) < 0) {
		cl_release(&cl);
		return 0;
	}
	md = pcre2_match_data_create_from_pattern(cl.rules[0].patterns[0].code,
	    NULL);
	rc = pcre2_match(cl.rules[0].patterns[0].code, (PCRE2_SPTR)text, n, 0,
	    PCRE2_NO_JIT, md, cl.mctx);
	pcre2_match_data_free(md);
	cl_post_init(&p);
	p.text = text;
	p.text_len = n;
	tend_text_tokenize(&p.tokens, text, n, cl.emoticons, cl.emoticon_max);
	cl_lookup_tokens(&cl, &p);
	fired = cl_match_rules(&cl, &p, NULL, -1, CL_NEUTRAL);
	if (!cl_match_limited(rc) && !p.limit_rule &&
	    (rc >= 0) != (fired > 0)) {
		fprintf(stderr, "pattern %.*s: PCRE2 %d, rule fired %d\n",
		    (int)(nl - s), s, rc, fired);
		abort();
	}
	cl_post_release(&p);
	cl_release(&cl);
	return 0;
}
