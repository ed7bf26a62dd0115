/* utf8.h: UTF-8 validation, repair, decoding and encoding (RFC 3629).
 *
 * Overlong forms, surrogates (U+D800..U+DFFF) and code points above U+10FFFF
 * are invalid.  None of these allocate except tend_utf8_repair, which
 * appends to a caller's buffer.
 */
#ifndef TEND_UTF8_H
#define TEND_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define TEND_UTF8_REPLACEMENT 0xFFFDu

/* Returns the offset of the first byte that does not start a valid
 * sequence, or n when all of s[0..n) is valid UTF-8. */
size_t tend_utf8_check(const char *s, size_t n);

/* Appends s to out with every invalid sequence replaced by U+FFFD; returns
 * the number of replacements. */
size_t tend_utf8_repair(struct tend_buf *out, const char *s, size_t n);

/* Decodes one code point at *p (p < end), advancing *p; an invalid byte
 * yields U+FFFD and advances by one. */
uint32_t tend_utf8_next(const char **p, const char *end);

/* Writes the encoding of cp (a valid scalar value) to out; returns its
 * length, 1 to 4, or 0 when cp is not encodable. */
size_t tend_utf8_encode(uint32_t cp, char out[4]);

/* Appends the encoding of cp, U+FFFD when cp is not encodable. */
void tend_utf8_add(struct tend_buf *out, uint32_t cp);

#endif
