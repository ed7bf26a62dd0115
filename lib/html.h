/* html.h: HTML fragments to plain text, as a reader sees them.
 *
 * For the HTML that platforms put in text fields (a Mastodon status's
 * content, later e-mail bodies): tags go, breaks and paragraphs become
 * newlines, entities are decoded.  Input is hostile and may be anything,
 * including invalid UTF-8 and NUL bytes; output is always valid UTF-8 with
 * no NUL.  The input may be NULL when its length is 0.  Nothing here
 * allocates except by growing the caller's buffer (out stays owned by the
 * caller, and is NUL-terminated afterwards), and nothing fails.
 */
#ifndef TEND_HTML_H
#define TEND_HTML_H

#include <stddef.h>

#include "buf.h"

/* Appends the plain text of html[0..n) to out:
 * - tags are removed; <br> is a newline; the start and end of a block
 *   (p, div, li, h1..h6, blockquote, tr, pre, ul, ol, table, hr, ...) is a
 *   paragraph break: one empty line between paragraphs, none before the
 *   first or after the last;
 * - script, style, title and template elements and comments are dropped
 *   with their content, as are <!DOCTYPE> and <?...?>;
 * - whitespace runs outside <pre> collapse to one space, as a browser
 *   shows them, and none is left at the start or end of a line;
 * - every span is kept, including Mastodon's <span class="invisible">:
 *   its text is the part of a link the web page hides, so keeping it
 *   gives the whole address ("https://example.com/long/path") where the
 *   page shows "example.com/long/pa…"; a shortened address is neither
 *   readable as text nor usable as a link;
 * - character references are decoded as by tend_html_decode_entities().
 * Invalid UTF-8 and NUL become U+FFFD.  Cannot fail. */
void tend_html_to_text(const char *html, size_t n, struct tend_buf *out);

/* Appends s[0..n) to out with character references decoded, for text that
 * has entities but no tags:
 * - numeric (&#39; &#x1F600;), the ';' optional; 0, surrogates and values
 *   above U+10FFFF become U+FFFD; 128..159 are read as Windows-1252, as
 *   browsers do (&#150; is an en dash);
 * - named: the 252 of HTML 4 (Latin-1, symbols and Greek, special) and
 *   &apos;, case-sensitive, the ';' required;
 * - anything else ("&foo;", "AT&T", "&#;") is left as written.
 * Invalid UTF-8 and NUL become U+FFFD.  Returns the number of references
 * decoded.  Cannot fail. */
size_t tend_html_decode_entities(const char *s, size_t n,
    struct tend_buf *out);

/* One <a> element's attributes, decoded (entities, UTF-8 repaired) and
 * NUL-terminated; "" when the attribute is absent.  Borrowed: valid only
 * during the callback. */
struct tend_html_anchor {
	const char *href;
	const char *cls;	/* the class attribute */
	const char *rel;
};

typedef void tend_html_anchor_fn(void *arg,
    const struct tend_html_anchor *a);

/* Calls fn(arg, a) for each <a> start tag in html[0..n) outside comments,
 * scripts and styles, in document order.  Cannot fail. */
void tend_html_anchors(const char *html, size_t n, tend_html_anchor_fn *fn,
    void *arg);

/* 1 when word is one of the whitespace-separated words of list (a class
 * or rel attribute), compared without regard to ASCII case. */
int tend_html_has_word(const char *list, const char *word);

#endif
