/* libFuzzer harness for lib/html: whatever the input, the text and the
 * decoded entities are valid UTF-8 without NUL, and the anchors' attributes
 * are too.  make fuzz-bin/fuzz_html && fuzz-bin/fuzz_html -max_total_time=60
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *s, size_t n)
{
	if (tend_utf8_check(s, n) != n || strlen(s) != n)
		abort();
}

static void
check_anchor(void *arg, const struct tend_html_anchor *a)
{
	check(a->href, strlen(a->href));
	check(a->cls, strlen(a->cls));
	check(a->rel, strlen(a->rel));
	(void)tend_html_has_word(a->cls, "mention");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *html = (const char *)data;
	struct tend_buf out;

	tend_buf_init(&out);
	tend_html_to_text(html, size, &out);
	check(out.data, out.len);
	if (out.len && (out.data[0] == '\n' || out.data[out.len - 1] == '\n'))
		abort();	/* no leading or trailing newlines */
	tend_buf_reset(&out);
	tend_html_decode_entities(html, size, &out);
	check(out.data, out.len);
	tend_buf_release(&out);
	tend_html_anchors(html, size, check_anchor, NULL);
	return 0;
}
