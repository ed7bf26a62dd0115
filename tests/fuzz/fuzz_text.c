/* fuzz_text.c: libFuzzer harness for the text normaliser (lib/text.h).
 *
 * Any bytes (post text is hostile, and not always valid UTF-8 inside the
 * tools' own buffers) are tokenised, folded and skeletonised.  Every token
 * must point inside the text, with its folded form NUL-terminated inside
 * the folded buffer; the fold of the fold must be the fold (folding is
 * idempotent) when the input is valid UTF-8.
 *
 *	make fuzz-bin/fuzz_text && fuzz-bin/fuzz_text CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "text.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tend_strmap *emoticons;
	const char *s = (const char *)data;
	struct tend_tokens t;
	struct tend_buf a = TEND_BUF_INIT, b = TEND_BUF_INIT;
	size_t i;

	if (!emoticons) {
		static const char *const e[] = { ":)", ":-(", "<3", ":d",
		    "xd", ":'(", NULL };
		int added;

		emoticons = tend_strmap_new();
		for (i = 0; e[i]; i++)
			tend_strmap_put(emoticons, e[i], strlen(e[i]), &added,
			    NULL);
	}
	tend_tokens_init(&t);
	tend_text_tokenize(&t, s, size, emoticons, 3);
	for (i = 0; i < t.n; i++) {
		const struct tend_token *k = &t.v[i];

		if ((size_t)k->src + k->src_len > size ||
		    (size_t)k->start + k->len >= t.folded.len + 1 ||
		    t.folded.data[k->start + k->len] != '\0')
			abort();
	}
	tend_tokens_release(&t);
	if (tend_utf8_check(s, size) == size) {
		tend_text_fold(&a, s, size);
		tend_text_fold(&b, a.data ? a.data : "", a.len);
		if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))
			abort();
	}
	tend_buf_reset(&a);
	tend_text_skeleton(&a, s, size);
	tend_buf_release(&a);
	tend_buf_release(&b);
	return 0;
}
