/* jscan.h: byte positions of the top-level members of a JSON object text.
 *
 * The record writer splices a stage's object into a line without
 * re-serialising the rest, so unknown fields pass through byte for byte.
 * These scanners assume the text is valid JSON (it has been parsed first)
 * and never read outside [s, s+n).
 */
#ifndef TEND_JSCAN_H
#define TEND_JSCAN_H

#include <stddef.h>

struct tend_jspan {
	size_t member_start;	/* the key's opening quote */
	size_t value_start;	/* the value's first byte */
	size_t value_end;	/* one past the value's last byte */
};

/* Finds top-level member key (given unescaped, as UTF-8) in object text s;
 * returns 1 and fills *span, 0 when absent, -1 when s is not an object.
 * A key written with escapes is compared after decoding them. */
int tend_jscan_find(const char *s, size_t n, const char *key,
    struct tend_jspan *span);

/* Offset of the closing '}' of the object that starts s, or -1. */
long tend_jscan_object_end(const char *s, size_t n);

#endif
