/* jview.h: a validating view of one JSON object line, without a tree.
 *
 * Stages read a few fields of each record; building a jansson tree for
 * every line costs most of their run.  tend_jview_parse() checks a line
 * with the rules json_loadb(s, n, JSON_REJECT_DUPLICATES, ..) applies and
 * records where the top-level members are; the getters then read values
 * straight from the line.  A view is embedded and reused line after line:
 * its arrays and scratch buffers grow to the largest line seen and are
 * kept, so parsing allocates nothing once warm.
 *
 * The view borrows the line: it must stay unchanged while the view (or
 * any tend_jval taken from it) is used.  Positions are byte offsets into
 * the line.
 */
#ifndef TEND_JVIEW_H
#define TEND_JVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum tend_jtype {
	TEND_JNONE,	/* absent (a lookup that found nothing) */
	TEND_JNULL,
	TEND_JFALSE,
	TEND_JTRUE,
	TEND_JINT,	/* a number without fraction or exponent */
	TEND_JREAL,
	TEND_JSTRING,
	TEND_JARRAY,
	TEND_JOBJECT
};

/* A value: its type and its bytes line[start..end) as written (a string
 * with its quotes, a container with its brackets). */
struct tend_jval {
	enum tend_jtype type;
	size_t start, end;
};

/* One object member, as the parser saw it.  Read-only for callers. */
struct tend_jmember {
	size_t key_start, key_end;	/* the key's bytes, inside its quotes */
	size_t key_len;			/* its length once escapes are decoded */
	size_t value_start, value_end;
	enum tend_jtype type;
	uint32_t hash;			/* of the decoded key, large objects */
	size_t inner, ninner;		/* a top-level object's members, in
					 * tend_jview.inner */
};

struct tend_jframe {
	size_t start;			/* the container's opening bracket */
	size_t first;			/* its first member, or SIZE_MAX: array */
};

struct tend_jview {
	const char *line;		/* borrowed */
	size_t len;
	size_t object_start;		/* the top-level '{' */
	size_t object_end;		/* one past the top-level '}' */
	int valid;			/* the last parse succeeded */
	struct tend_jmember *members;	/* top-level members, in order */
	size_t nmembers, members_cap;
	struct tend_jmember *inner;	/* the members of top-level objects */
	size_t ninner, inner_cap;
	struct tend_jframe *stack;
	size_t stack_cap;
	uint32_t *slots;		/* duplicate check of large objects */
	size_t slots_cap;
	uint64_t seed;
	struct tend_buf str;		/* tend_jview_str's decoded strings */
	struct tend_buf key;		/* tend_jview_member's decoded keys */
	struct tend_buf tmp;		/* key comparison, number checks */
};

/* The deepest nesting accepted, as jansson's JSON_PARSER_MAX_DEPTH: a
 * value (scalars included) inside more than this many containers,
 * counting the top-level object, is rejected. */
#define TEND_JVIEW_MAX_DEPTH 2048

void tend_jview_init(struct tend_jview *v);
/* Frees what the view holds; it can be initialised again. */
void tend_jview_release(struct tend_jview *v);

/* Validates s[0..n) as one JSON text (RFC 8259) that is an object, with
 * the rules of jansson 2.14's json_loadb(s, n, JSON_REJECT_DUPLICATES, ..):
 * whitespace around it only; strings with valid escapes, surrogate
 * escapes only in high-low pairs, no \u0000 escape (no JSON_ALLOW_NUL),
 * no control characters, valid UTF-8 (checked here too, so a caller need
 * not check first); numbers per the grammar, integers within long long,
 * reals that do not overflow a double (underflow is accepted); nesting
 * up to TEND_JVIEW_MAX_DEPTH; no two members with equal names (compared
 * after decoding escapes) in any object.  Like jansson it lets one NUL
 * byte follow a number or true/false/null ("1\0," reads as "1,": its
 * lexer drops the NUL it puts back); the value's bytes end before it.
 * Indexes the top-level members, and the members of the objects that are
 * their values (so that "author.handle" is found without a scan).
 * Returns 0, or -1 when jansson would reject the text or it is not an
 * object; there is no message: run jansson for its diagnostic.  After -1
 * the view holds no members until the next successful parse. */
int tend_jview_parse(struct tend_jview *v, const char *s, size_t n);

/* The value at a dotted path of member names ("text", "author.handle"):
 * the first two names through the index, the rest by scanning the nested
 * objects (never into arrays).  A name holding '.' cannot be reached.
 * type TEND_JNONE when absent or when a step is not an object. */
struct tend_jval tend_jview_get(const struct tend_jview *v, const char *path);

/* The value of the string val, decoded, and its length in *len; NULL when
 * val is not a string.  The bytes are valid UTF-8 without NUL, and not
 * NUL-terminated when they point into the line, which they do when the
 * string has no escapes; otherwise they are in the view's string scratch
 * (NUL-terminated), valid until the next tend_jview_str() or
 * tend_jview_parse() on this view. */
const char *tend_jview_str(struct tend_jview *v, struct tend_jval val,
    size_t *len);

/* 1 when the string val equals s[0..n) once decoded, else 0 (0 too when
 * val is not a string).  Needs no scratch. */
int tend_jview_str_equal(const struct tend_jview *v, struct tend_jval val,
    const char *s, size_t n);

/* Stores integer val (TEND_JINT) in *out; returns 0, or -1 when val is not
 * an integer. */
int tend_jview_int(const struct tend_jview *v, struct tend_jval val,
    long long *out);

/* Stores number val (TEND_JINT or TEND_JREAL) in *out as a double; returns
 * 0, or -1 when val is not a number. */
int tend_jview_real(struct tend_jview *v, struct tend_jval val, double *out);

/* Iterates array val: *it starts at 0; returns 1 with *elem set to the
 * next element, 0 after the last one (and when val is not an array). */
int tend_jview_next(const struct tend_jview *v, struct tend_jval array,
    size_t *it, struct tend_jval *elem);

/* Number of top-level members (0 after a failed parse). */
size_t tend_jview_count(const struct tend_jview *v);

/* The i-th top-level member (i < tend_jview_count()), in line order: sets
 * *val and returns its name, decoded, length in *keylen; the name points
 * into the line when it has no escapes (not NUL-terminated) or else into
 * the view's key scratch, valid until the next tend_jview_member() or
 * tend_jview_parse().  Offsets of the member's bytes, for splicing, are in
 * v->members[i]. */
const char *tend_jview_member(struct tend_jview *v, size_t i, size_t *keylen,
    struct tend_jval *val);

/* Index of top-level member name[0..n), or -1 when absent. */
long tend_jview_find(const struct tend_jview *v, const char *name, size_t n);

#endif
