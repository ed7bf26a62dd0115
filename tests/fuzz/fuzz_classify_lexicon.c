/* fuzz_classify_lexicon.c: libFuzzer harness for the lexicon and
 * language-word parsers of the classification engine (tend-lexicon(5)).
 *
 * The input is written to a scratch file and loaded twice: as a lexicon
 * (.tsv) and as the word list of a language.  A load that fails must say
 * where and why; one that succeeds must classify a post whose text is the
 * input's first line, and judge its tone as tend lint does, without a
 * crash.
 *
 *	make fuzz-bin/fuzz_classify_lexicon && fuzz-bin/fuzz_classify_lexicon CORPUS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "fuzz_classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

/* Loads the scratch file with load (0 for a lexicon, 1 for words), then
 * uses what loaded. */
static void
load_and_use(const uint8_t *data, size_t size, int words)
{
	struct cl cl;
	struct cl_post post;
	struct tend_error err;
	const char *nl = memchr(data, '\n', size);
	size_t first = nl ? (size_t)(nl - (const char *)data) : size;
	double score;
	int rc;

	cl_init(&cl);
	memset(&err, 0, sizeof(err));
	rc = words ? cl_words_load(&cl, path, "xx", &err) :
	    cl_lexicon_load(&cl, path, &err);
	if (rc < 0) {
		if (!err.text[0] || !err.file[0])
			abort();
	} else {
		classify_one(&cl, (const char *)data, first);
		cl_post_init(&post);
		cl_text_tone(&cl, &post, (const char *)data, first, NULL,
		    &score);
		if (score < -1 || score > 1)
			abort();
		cl_post_release(&post);
	}
	cl_release(&cl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp;

	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-lexicon-%ld.tsv",
		    (long)getpid());
	if (!(fp = fopen(path, "wb")))
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	load_and_use(data, size, 0);
	load_and_use(data, size, 1);
	return 0;
}
