/* text.h: the text normaliser: folding and tokenising post text.
 *
 * Matching in tend is case- and diacritic-insensitive, so both the data
 * (lexicons, keyword lists, brand names) and the text go through the same
 * fold: lower case, Latin letters without their diacritics (č -> c,
 * ß -> ss, æ -> ae), fullwidth forms to ASCII, Cyrillic and Greek lower
 * case, combining marks, variation selectors and emoji modifiers dropped,
 * and the typographic apostrophe to '.
 *
 * The tokeniser splits a post into words (letters and digits, with inner
 * apostrophes), @mentions, #hashtags, URLs (with a scheme, www., or a bare
 * host name with a known top-level domain), emoji (one token each) and
 * ASCII emoticons (those in a caller's set, longest first).  Each token
 * keeps its folded form and where it came from in the original text, for
 * --explain.
 */
#ifndef TEND_TEXT_H
#define TEND_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct tend_strmap;

enum tend_token_kind {
	TEND_TOKEN_WORD,
	TEND_TOKEN_NUMBER,	/* digits only */
	TEND_TOKEN_MENTION,	/* folded without the '@' */
	TEND_TOKEN_HASHTAG,	/* folded without the '#' */
	TEND_TOKEN_URL,		/* folded: lower case, as written */
	TEND_TOKEN_EMOJI,	/* the base code point */
	TEND_TOKEN_EMOTICON	/* ":)", lower case */
};

struct tend_token {
	uint32_t start, len;	/* the folded form, in tokens->folded */
	uint32_t src, src_len;	/* the original bytes, in the text */
	uint8_t kind;
	uint8_t caps;		/* a word of 2+ letters, all upper case */
	uint8_t elongated;	/* a letter repeated 3+ times in a row */
	uint8_t clause;		/* starts a clause: . , ; : ! ? or a line
				 * break since the token before */
};

struct tend_tokens {
	struct tend_buf folded;	/* the folded forms, each NUL-terminated */
	struct tend_token *v;
	size_t n, cap;
	unsigned exclamations;	/* '!' in the text */
	unsigned questions;	/* '?' in the text */
	unsigned caps_words;	/* words with caps set */
	unsigned words;		/* word tokens with 2+ letters */
	int boundary;		/* a clause ended since the last token */
};

/* Embedded: init before use, release to free; reused post after post. */
void tend_tokens_init(struct tend_tokens *t);
void tend_tokens_release(struct tend_tokens *t);

/* Replaces t's tokens with those of s[0..n) (UTF-8; invalid bytes are
 * separators).  emoticons, when not NULL, holds the folded emoticons to
 * recognise (keys only) and maxlen the longest of them in bytes. */
void tend_text_tokenize(struct tend_tokens *t, const char *s, size_t n,
    const struct tend_strmap *emoticons, size_t maxlen);

/* The folded form of token i, NUL-terminated. */
static inline const char *
tend_token_text(const struct tend_tokens *t, size_t i)
{
	return t->folded.data + t->v[i].start;
}

/* Appends the fold of s[0..n) to out; returns the number of bytes added. */
size_t tend_text_fold(struct tend_buf *out, const char *s, size_t n);

/* Appends to out the "skeleton" of s: folded, then confusable letters and
 * digits mapped to the Latin letter they imitate (Cyrillic а -> a, 0 -> o,
 * 1 -> l, rn -> m, vv -> w), and everything but letters and digits
 * dropped.  Two names with the same skeleton look alike to a reader. */
void tend_text_skeleton(struct tend_buf *out, const char *s, size_t n);

/* 1 when code point cp is part of a word (a letter, digit or mark). */
int tend_text_is_word_char(uint32_t cp);

/* Levenshtein distance between a[0..an) and b[0..bn) (bytes), or max+1
 * when it exceeds max (cheap rejection). */
size_t tend_text_distance(const char *a, size_t an, const char *b,
    size_t bn, size_t max);

#endif
