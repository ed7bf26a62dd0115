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
#include "fuzz_classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

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
