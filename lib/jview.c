#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "jview.h"
#include "utf8.h"

/* Objects with more members than this are checked for duplicate names
 * with a hash table; smaller ones by comparing every pair. */
#define SMALL_OBJECT 16

#define ISDIGIT(c) ((unsigned char)((c) - '0') < 10)
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* What a byte inside a string asks for. */
enum { S_PLAIN, S_QUOTE, S_ESCAPE, S_CONTROL, S_UTF8 };

#define X16(c) c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c

static const unsigned char string_class[256] = {
	X16(S_CONTROL), X16(S_CONTROL),
	0, 0, S_QUOTE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	X16(0), X16(0),
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, S_ESCAPE, 0, 0, 0,
	X16(0), X16(0),
	X16(S_UTF8), X16(S_UTF8), X16(S_UTF8), X16(S_UTF8),
	X16(S_UTF8), X16(S_UTF8), X16(S_UTF8), X16(S_UTF8)
};

struct parser {
	struct tend_jview *v;
	const char *s, *p, *end;
	size_t depth;		/* containers open */
	size_t nkeys;		/* members on the stack */
};

void
tend_jview_init(struct tend_jview *v)
{
	memset(v, 0, sizeof(*v));
	tend_buf_init(&v->str);
	tend_buf_init(&v->key);
	tend_buf_init(&v->tmp);
	/* a seed the input cannot predict keeps the hash table linear */
	v->seed = UINT64_C(0xcbf29ce484222325) ^ (uint64_t)(uintptr_t)v ^
	    (uint64_t)time(NULL) << 20;
}

void
tend_jview_release(struct tend_jview *v)
{
	free(v->members);
	free(v->inner);
	free(v->stack);
	free(v->slots);
	tend_buf_release(&v->str);
	tend_buf_release(&v->key);
	tend_buf_release(&v->tmp);
	memset(v, 0, sizeof(*v));
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' ||
	    *p == '\t'))
		p++;
	return p;
}

/* Nonzero when one of the 8 bytes at p is a quote, a backslash, a control
 * character or not ASCII. */
static int
word_special(const char *p)
{
	uint64_t x, q, b;

	memcpy(&x, p, 8);
	q = x ^ (ONES * '"');
	b = x ^ (ONES * '\\');
	return ((((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q) |
	    ((b - ONES) & ~b) | x) & HIGHS) != 0;
}

static long
hex4(const char *p)
{
	long cp = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)p[i], l = c | 0x20;

		if (ISDIGIT(c))
			cp = cp << 4 | (c - '0');
		else if (l >= 'a' && l <= 'f')
			cp = cp << 4 | (l - 'a' + 10);
		else
			return -1;
	}
	return cp;
}

/* p at a backslash; returns one past the escape, or NULL.  *shrink grows
 * by what decoding saves. */
static const char *
scan_escape(const char *p, const char *end, size_t *shrink)
{
	long cp, lo;

	if (end - p < 2)
		return NULL;
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r':
	case 't':
		*shrink += 1;
		return p + 2;
	case 'u':
		break;
	default:
		return NULL;
	}
	if (end - p < 6 || (cp = hex4(p + 2)) <= 0 ||
	    (cp >= 0xdc00 && cp <= 0xdfff))
		return NULL;	/* \u0000 needs JSON_ALLOW_NUL */
	if (cp < 0xd800 || cp > 0xdbff) {
		*shrink += cp < 0x80 ? 5 : cp < 0x800 ? 4 : 3;
		return p + 6;
	}
	if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
	    (lo = hex4(p + 8)) < 0xdc00 || lo > 0xdfff)
		return NULL;
	*shrink += 8;
	return p + 12;
}

/* p at a byte >= 0x80; returns one past its UTF-8 sequence, or NULL. */
static const char *
scan_utf8(const char *p, const char *end)
{
	unsigned char c = (unsigned char)p[0], lo = 0x80, hi = 0xbf;
	size_t need, i;

	if (c < 0xc2 || c > 0xf4)
		return NULL;
	need = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if ((size_t)(end - p) < need)
		return NULL;
	if (c == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (c == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (c == 0xf0)
		lo = 0x90;	/* overlong */
	else if (c == 0xf4)
		hi = 0x8f;	/* above U+10FFFF */
	if ((unsigned char)p[1] < lo || (unsigned char)p[1] > hi)
		return NULL;
	for (i = 2; i < need; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			return NULL;
	return p + need;
}

/* p just past an opening quote; returns one past the closing quote, or
 * NULL when the string is invalid or unterminated. */
static const char *
scan_string(const char *p, const char *end, size_t *shrink)
{
	for (;;) {
		while (end - p >= 8 && !word_special(p))
			p += 8;
		while (p < end && string_class[(unsigned char)*p] == S_PLAIN)
			p++;
		if (p == end)
			return NULL;
		switch (string_class[(unsigned char)*p]) {
		case S_QUOTE:
			return p + 1;
		case S_ESCAPE:
			p = scan_escape(p, end, shrink);
			break;
		case S_UTF8:
			p = scan_utf8(p, end);
			break;
		default:
			return NULL;
		}
		if (!p)
			return NULL;
	}
}

/* Decimal digits i0..i1 (no leading zero) and f0..f1, times 10^exp, as a
 * plain "DDDeX" text in v->tmp: strtod reads it the same in every
 * locale. */
static void
plain_number(struct tend_jview *v, int neg, const char *i0, const char *i1,
    const char *f0, const char *f1, long long exp)
{
	tend_buf_reset(&v->tmp);
	if (neg)
		tend_buf_addc(&v->tmp, '-');
	tend_buf_add(&v->tmp, i0, (size_t)(i1 - i0));
	tend_buf_add(&v->tmp, f0, (size_t)(f1 - f0));
	if (i1 == i0 && f1 == f0)
		tend_buf_addc(&v->tmp, '0');
	tend_buf_printf(&v->tmp, "e%lld", exp - (long long)(f1 - f0));
}

static int
real_overflows(struct tend_jview *v, const char *i0, const char *i1,
    const char *f0, const char *f1, long long exp)
{
	double d;

	plain_number(v, 0, i0, i1, f0, f1, exp);
	errno = 0;
	d = strtod(v->tmp.data, NULL);
	return d == HUGE_VAL && errno == ERANGE;
}

/* 1 when the nint digits at d, negative or not, fit a long long. */
static int
int_fits(const char *d, size_t nint, int neg)
{
	if (nint != 19)
		return nint < 19;
	return memcmp(d, neg ? "9223372036854775808" :
	    "9223372036854775807", 19) <= 0;
}

/* Reads the exponent digits at p (past 'e' and sign), saturating. */
static const char *
scan_exponent(const char *p, const char *end, long long *exp)
{
	for (*exp = 0; p < end && ISDIGIT(*p); p++)
		if (*exp < 1000000000000000LL)
			*exp = *exp * 10 + (*p - '0');
	return p;
}

/* p at '-' or a digit; returns one past the number, or NULL. */
static const char *
scan_number(struct tend_jview *v, const char *p, const char *end,
    enum tend_jtype *type)
{
	const char *d, *f0, *f1;
	long long exp = 0;
	size_t nint;
	int neg = *p == '-';

	d = p += neg;
	if (p == end || !ISDIGIT(*p))
		return NULL;
	if (*p == '0') {
		if (++p < end && ISDIGIT(*p))
			return NULL;
	} else
		while (p < end && ISDIGIT(*p))
			p++;
	nint = (size_t)(p - d);
	f0 = f1 = p;
	if (p == end || (*p != '.' && *p != 'e' && *p != 'E')) {
		*type = TEND_JINT;
		return int_fits(d, nint, neg) ? p : NULL;
	}
	*type = TEND_JREAL;
	if (*p == '.') {
		f0 = ++p;
		if (p == end || !ISDIGIT(*p))
			return NULL;
		while (p < end && ISDIGIT(*p))
			p++;
		f1 = p;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0;

		if (++p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p == end || !ISDIGIT(*p))
			return NULL;
		p = scan_exponent(p, end, &exp);
		if (eneg)
			exp = -exp;
	}
	if (*d == '0')
		nint = 0;
	/* below 10^(nint + exp) <= 10^308 < DBL_MAX: no overflow */
	if ((long long)nint + exp <= 308)
		return p;
	return real_overflows(v, d, d + nint, f0, f1, exp) ? NULL : p;
}

/* Decodes the valid string content raw[0..n) onto out. */
static void
decode(const char *raw, size_t n, struct tend_buf *out)
{
	const char *p = raw, *end = raw + n, *bs;
	char enc[4];

	tend_buf_grow(out, n);
	while ((bs = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		long cp;

		tend_buf_add(out, p, (size_t)(bs - p));
		p = bs + 2;
		switch (bs[1]) {
		case 'b': tend_buf_addc(out, '\b'); continue;
		case 'f': tend_buf_addc(out, '\f'); continue;
		case 'n': tend_buf_addc(out, '\n'); continue;
		case 'r': tend_buf_addc(out, '\r'); continue;
		case 't': tend_buf_addc(out, '\t'); continue;
		case 'u': break;
		default: tend_buf_addc(out, bs[1]); continue;
		}
		cp = hex4(p);
		p += 4;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) +
			    (hex4(p + 2) - 0xdc00);
			p += 6;
		}
		tend_buf_add(out, enc, tend_utf8_encode((uint32_t)cp, enc));
	}
	tend_buf_add(out, p, (size_t)(end - p));
}

/* 1 when the valid string content raw[0..n) decodes to s[0..len). */
static int
raw_equals(const char *raw, size_t n, const char *s, size_t len)
{
	const char *p = raw, *end = raw + n, *bs;
	size_t k = 0;

	while ((bs = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		size_t run = (size_t)(bs - p), m = 1;
		char enc[4];
		long cp;

		if (k + run > len || memcmp(s + k, p, run) != 0)
			return 0;
		k += run;
		p = bs + 2;
		switch (bs[1]) {
		case 'b': enc[0] = '\b'; break;
		case 'f': enc[0] = '\f'; break;
		case 'n': enc[0] = '\n'; break;
		case 'r': enc[0] = '\r'; break;
		case 't': enc[0] = '\t'; break;
		case 'u':
			cp = hex4(p);
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (hex4(p + 2) - 0xdc00);
				p += 6;
			}
			m = tend_utf8_encode((uint32_t)cp, enc);
			break;
		default: enc[0] = bs[1]; break;
		}
		if (k + m > len || memcmp(s + k, enc, m) != 0)
			return 0;
		k += m;
	}
	return len - k == (size_t)(end - p) && memcmp(s + k, p, len - k) == 0;
}

static int
member_escaped(const struct tend_jmember *m)
{
	return m->key_end - m->key_start != m->key_len;
}

/* 1 when members i and j have equal names. */
static int
keys_equal(struct tend_jview *v, const char *s, size_t i, size_t j)
{
	const struct tend_jmember *a = &v->members[i], *b = &v->members[j];

	if (a->key_len != b->key_len)
		return 0;
	if (!member_escaped(a) && !member_escaped(b))
		return memcmp(s + a->key_start, s + b->key_start,
		    a->key_len) == 0;
	if (member_escaped(a)) {
		const struct tend_jmember *t = a;

		a = b;
		b = t;
	}
	if (!member_escaped(a))
		return raw_equals(s + b->key_start, b->key_end - b->key_start,
		    s + a->key_start, a->key_len);
	tend_buf_reset(&v->tmp);
	decode(s + a->key_start, a->key_end - a->key_start, &v->tmp);
	return raw_equals(s + b->key_start, b->key_end - b->key_start,
	    v->tmp.data, v->tmp.len);
}

static uint32_t
hash_bytes(uint64_t h, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * UINT64_C(0x100000001b3);
	return (uint32_t)(h ^ h >> 32);
}

static uint32_t
key_hash(struct tend_jview *v, const char *s, const struct tend_jmember *m)
{
	if (!member_escaped(m))
		return hash_bytes(v->seed, s + m->key_start, m->key_len);
	tend_buf_reset(&v->tmp);
	decode(s + m->key_start, m->key_end - m->key_start, &v->tmp);
	return hash_bytes(v->seed, v->tmp.data, v->tmp.len);
}

/* Duplicate names among members first..last, through a hash table. */
static int
hash_duplicates(struct tend_jview *v, const char *s, size_t first,
    size_t last)
{
	size_t size = 64, mask, i;

	while (size < 2 * (last - first))
		size *= 2;
	if (size > v->slots_cap)
		tend_xgrow((void **)&v->slots, &v->slots_cap, size,
		    sizeof(*v->slots));
	memset(v->slots, 0, size * sizeof(*v->slots));
	mask = size - 1;
	for (i = first; i < last; i++) {
		uint32_t h = key_hash(v, s, &v->members[i]);
		size_t slot = h & mask;

		v->members[i].hash = h;
		for (; v->slots[slot]; slot = (slot + 1) & mask) {
			size_t j = first + v->slots[slot] - 1;

			if (v->members[j].hash == h && keys_equal(v, s, i, j))
				return 1;
		}
		v->slots[slot] = (uint32_t)(i - first + 1);
	}
	return 0;
}

static int
has_duplicates(struct tend_jview *v, const char *s, size_t first,
    size_t last)
{
	size_t i, j;

	if (last - first > SMALL_OBJECT)
		return hash_duplicates(v, s, first, last);
	for (i = first + 1; i < last; i++)
		for (j = first; j < i; j++)
			if (v->members[i].key_len == v->members[j].key_len &&
			    keys_equal(v, s, i, j))
				return 1;
	return 0;
}

/* The members first..last of an object that is a top-level member's
 * value (the member just before them) are kept in the inner index. */
static void
keep_inner(struct tend_jview *v, size_t first, size_t last)
{
	size_t n = last - first;

	tend_xgrow((void **)&v->inner, &v->inner_cap, v->ninner + n,
	    sizeof(*v->inner));
	memcpy(v->inner + v->ninner, v->members + first, n *
	    sizeof(*v->inner));
	v->members[first - 1].inner = v->ninner;
	v->members[first - 1].ninner = n;
	v->ninner += n;
}

/* ps->p at a member's key: pushes the member, leaves p at its value. */
static int
parse_key(struct parser *ps)
{
	struct tend_jview *v = ps->v;
	struct tend_jmember *m;
	const char *p = ps->p, *q;
	size_t shrink = 0;

	if (p == ps->end || *p != '"' ||
	    !(q = scan_string(p + 1, ps->end, &shrink)))
		return -1;
	if (ps->nkeys == v->members_cap)
		tend_xgrow((void **)&v->members, &v->members_cap,
		    ps->nkeys + 1, sizeof(*v->members));
	m = &v->members[ps->nkeys++];
	m->key_start = (size_t)(p + 1 - ps->s);
	m->key_end = (size_t)(q - 1 - ps->s);
	m->key_len = m->key_end - m->key_start - shrink;
	m->inner = m->ninner = 0;
	p = skip_space(q, ps->end);
	if (p == ps->end || *p != ':')
		return -1;
	ps->p = skip_space(p + 1, ps->end);
	return 0;
}

/* ps->p at '{' or '['; opens the container.  Returns 1 when it is empty
 * (then p is past it and its frame is closed again). */
static int
open_container(struct parser *ps)
{
	struct tend_jview *v = ps->v;
	struct tend_jframe *f;
	char close = *ps->p == '{' ? '}' : ']';

	if (ps->depth == v->stack_cap)
		tend_xgrow((void **)&v->stack, &v->stack_cap, ps->depth + 1,
		    sizeof(*v->stack));
	f = &v->stack[ps->depth++];
	f->start = (size_t)(ps->p - ps->s);
	f->first = close == '}' ? ps->nkeys : SIZE_MAX;
	ps->p = skip_space(ps->p + 1, ps->end);
	if (ps->p == ps->end || *ps->p != close)
		return 0;
	ps->p++;
	ps->depth--;
	return 1;
}

/* The value that just ended (at ps->p, from vstart) is done: records it
 * in its member, then reads on through separators and closing brackets.
 * Returns 0 when p is at the next value, 1 at the end of the text, -1 on
 * an error. */
static int
end_value(struct parser *ps, size_t vstart, enum tend_jtype type)
{
	struct tend_jview *v = ps->v;

	for (;;) {
		struct tend_jframe *f;
		char c;

		if (ps->depth == 0)
			return 1;
		f = &v->stack[ps->depth - 1];
		if (f->first != SIZE_MAX) {
			struct tend_jmember *m = &v->members[ps->nkeys - 1];

			m->value_start = vstart;
			m->value_end = (size_t)(ps->p - ps->s);
			m->type = type;
		}
		/* jansson loses the byte it puts back after a number or a
		 * literal when that byte is NUL: "1\0," reads as "1," */
		if (ps->p < ps->end && *ps->p == '\0' &&
		    type != TEND_JSTRING && type != TEND_JARRAY &&
		    type != TEND_JOBJECT)
			ps->p++;
		ps->p = skip_space(ps->p, ps->end);
		if (ps->p == ps->end)
			return -1;
		c = *ps->p++;
		if (c == ',') {
			ps->p = skip_space(ps->p, ps->end);
			return f->first == SIZE_MAX ? 0 : parse_key(ps);
		}
		if (c != (f->first == SIZE_MAX ? ']' : '}'))
			return -1;
		if (f->first != SIZE_MAX) {
			if (has_duplicates(v, ps->s, f->first, ps->nkeys))
				return -1;
			if (ps->depth == 2)
				keep_inner(v, f->first, ps->nkeys);
			if (ps->depth > 1)
				ps->nkeys = f->first;
		}
		vstart = f->start;
		type = f->first == SIZE_MAX ? TEND_JARRAY : TEND_JOBJECT;
		ps->depth--;
	}
}

/* ps->p at a value other than a container: reads it. */
static int
parse_scalar(struct parser *ps, enum tend_jtype *type)
{
	const char *p = ps->p;
	size_t shrink = 0, n = (size_t)(ps->end - p);

	switch (*p) {
	case '"':
		*type = TEND_JSTRING;
		p = scan_string(p + 1, ps->end, &shrink);
		break;
	case 't':
		*type = TEND_JTRUE;
		p = n >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
		break;
	case 'f':
		*type = TEND_JFALSE;
		p = n >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
		break;
	case 'n':
		*type = TEND_JNULL;
		p = n >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
		break;
	case '-': case '0': case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		p = scan_number(ps->v, p, ps->end, type);
		break;
	default:
		return -1;
	}
	if (!p)
		return -1;
	ps->p = p;
	return 0;
}

static int
parse_values(struct parser *ps)
{
	for (;;) {
		enum tend_jtype type;
		size_t vstart = (size_t)(ps->p - ps->s);
		int r;

		if (ps->p == ps->end || ps->depth >= TEND_JVIEW_MAX_DEPTH)
			return -1;
		if (*ps->p == '{' || *ps->p == '[') {
			int brace = *ps->p == '{';

			if (!open_container(ps)) {
				if (brace && parse_key(ps) < 0)
					return -1;
				continue;
			}
			type = brace ? TEND_JOBJECT : TEND_JARRAY;
		} else if (parse_scalar(ps, &type) < 0)
			return -1;
		r = end_value(ps, vstart, type);
		if (r != 0)
			return r > 0 ? 0 : -1;
	}
}

int
tend_jview_parse(struct tend_jview *v, const char *s, size_t n)
{
	struct parser ps;

	v->line = s;
	v->len = n;
	v->nmembers = 0;
	v->ninner = 0;
	v->valid = 0;
	ps.v = v;
	ps.s = s;
	ps.end = s + n;
	ps.p = skip_space(s, ps.end);
	ps.depth = 0;
	ps.nkeys = 0;
	if (ps.p == ps.end || *ps.p != '{')
		return -1;
	v->object_start = (size_t)(ps.p - s);
	if (parse_values(&ps) < 0)
		return -1;
	v->object_end = (size_t)(ps.p - s);
	if (skip_space(ps.p, ps.end) != ps.end)
		return -1;
	v->nmembers = ps.nkeys;
	v->valid = 1;
	return 0;
}

/* Past the closing quote of the valid string whose content starts at i. */
static size_t
skip_string(const char *s, size_t i, size_t end)
{
	for (;;) {
		const char *q = memchr(s + i, '"', end - i);
		size_t k, j;

		if (!q)
			return end;
		j = (size_t)(q - s);
		for (k = j; k > i && s[k - 1] == '\\'; k--)
			;
		if ((j - k) % 2 == 0)
			return j + 1;
		i = j + 1;
	}
}

/* Past the valid value starting at i (its first byte). */
static size_t
skip_value(const char *s, size_t i, size_t end)
{
	size_t depth = 0;

	if (s[i] == '"')
		return skip_string(s, i + 1, end);
	if (s[i] != '{' && s[i] != '[') {
		while (i < end && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
		    s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
		    s[i] != '\r' && s[i] != '\0')
			i++;
		return i;
	}
	for (; i < end; i++) {
		char c = s[i];

		if (c == '"')
			i = skip_string(s, i + 1, end) - 1;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			return i + 1;
	}
	return end;
}

static enum tend_jtype
type_of(const char *s, size_t start, size_t end)
{
	size_t i;

	switch (s[start]) {
	case '"': return TEND_JSTRING;
	case '{': return TEND_JOBJECT;
	case '[': return TEND_JARRAY;
	case 't': return TEND_JTRUE;
	case 'f': return TEND_JFALSE;
	case 'n': return TEND_JNULL;
	}
	for (i = start; i < end; i++)
		if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
			return TEND_JREAL;
	return TEND_JINT;
}

static size_t
skip_ws_at(const char *s, size_t i, size_t end)
{
	return (size_t)(skip_space(s + i, s + end) - s);
}

/* Past the whitespace after a value ending at i (and the NUL jansson lets
 * follow a number or a literal). */
static size_t
past_value(const char *s, size_t i, size_t end)
{
	if (i < end && s[i] == '\0')
		i++;
	return skip_ws_at(s, i, end);
}

/* The value at i (after whitespace) within [.., end). */
static struct tend_jval
value_at(const char *s, size_t i, size_t end)
{
	struct tend_jval val;

	val.start = i;
	val.end = skip_value(s, i, end);
	val.type = type_of(s, val.start, val.end);
	return val;
}

/* Member name[0..n) of the valid object obj, scanned. */
static struct tend_jval
object_get(const char *s, struct tend_jval obj, const char *name, size_t n)
{
	struct tend_jval none = { TEND_JNONE, 0, 0 }, val;
	size_t i = obj.start + 1, end = obj.end - 1;

	for (;;) {
		size_t k0, k1;

		i = skip_ws_at(s, i, end);
		if (i >= end || s[i] != '"')
			return none;
		k0 = i + 1;
		k1 = skip_string(s, k0, end) - 1;
		i = skip_ws_at(s, k1 + 1, end) + 1;	/* past ':' */
		val = value_at(s, skip_ws_at(s, i, end), end);
		if (raw_equals(s + k0, k1 - k0, name, n))
			return val;
		i = past_value(s, val.end, end);
		if (i < end && s[i] == ',')
			i++;
	}
}

/* The index of member name[0..n) among the nm members at m, or -1. */
static long
find_in(const char *s, const struct tend_jmember *m, size_t nm,
    const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < nm; i++, m++) {
		if (m->key_len != n)
			continue;
		if (member_escaped(m) ? raw_equals(s + m->key_start,
		    m->key_end - m->key_start, name, n) :
		    memcmp(s + m->key_start, name, n) == 0)
			return (long)i;
	}
	return -1;
}

long
tend_jview_find(const struct tend_jview *v, const char *name, size_t n)
{
	return find_in(v->line, v->members, v->nmembers, name, n);
}

struct tend_jval
tend_jview_get(const struct tend_jview *v, const char *path)
{
	struct tend_jval val = { TEND_JNONE, 0, 0 };
	const char *dot = strchr(path, '.');
	size_t n = dot ? (size_t)(dot - path) : strlen(path);
	long i = tend_jview_find(v, path, n);

	if (i < 0)
		return val;
	val.type = v->members[i].type;
	val.start = v->members[i].value_start;
	val.end = v->members[i].value_end;
	if (dot && val.type == TEND_JOBJECT) {	/* the inner index */
		const struct tend_jmember *m = &v->members[i], *in;

		path = dot + 1;
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		/* {} has no members, nor a place in the index */
		in = m->ninner ? v->inner + m->inner : NULL;
		if (!in || (i = find_in(v->line, in, m->ninner, path, n)) < 0) {
			val.type = TEND_JNONE;
			return val;
		}
		val.type = in[i].type;
		val.start = in[i].value_start;
		val.end = in[i].value_end;
	}
	while (dot && val.type != TEND_JNONE) {
		path = dot + 1;
		dot = strchr(path, '.');
		n = dot ? (size_t)(dot - path) : strlen(path);
		if (val.type != TEND_JOBJECT)
			val.type = TEND_JNONE;
		else
			val = object_get(v->line, val, path, n);
	}
	return val;
}

const char *
tend_jview_str(struct tend_jview *v, struct tend_jval val, size_t *len)
{
	const char *raw;
	size_t n;

	if (val.type != TEND_JSTRING)
		return NULL;
	raw = v->line + val.start + 1;
	n = val.end - val.start - 2;
	if (!memchr(raw, '\\', n)) {
		*len = n;
		return raw;
	}
	tend_buf_reset(&v->str);
	decode(raw, n, &v->str);
	*len = v->str.len;
	return v->str.data;
}

int
tend_jview_str_equal(const struct tend_jview *v, struct tend_jval val,
    const char *s, size_t n)
{
	if (val.type != TEND_JSTRING)
		return 0;
	return raw_equals(v->line + val.start + 1, val.end - val.start - 2, s,
	    n);
}

int
tend_jview_int(const struct tend_jview *v, struct tend_jval val,
    long long *out)
{
	const char *p = v->line + val.start, *end = v->line + val.end;
	unsigned long long u = 0;
	int neg;

	if (val.type != TEND_JINT || p == end)
		return -1;
	neg = *p == '-';
	for (p += neg; p < end; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (d > 9 || u > (ULLONG_MAX - d) / 10)
			return -1;
		u = u * 10 + d;
	}
	if (u > (unsigned long long)LLONG_MAX + neg)
		return -1;
	*out = neg ? (long long)(0 - u) : (long long)u;
	return 0;
}

int
tend_jview_real(struct tend_jview *v, struct tend_jval val, double *out)
{
	const char *p = v->line + val.start, *end = v->line + val.end;
	const char *i0, *i1, *f0 = p, *f1 = p;
	long long exp = 0;
	int neg;

	if (val.type != TEND_JINT && val.type != TEND_JREAL)
		return -1;
	neg = *p == '-';
	for (i0 = p += neg; p < end && *p == '0'; p++)
		i0 = p + 1;
	for (i1 = p; i1 < end && ISDIGIT(*i1); i1++)
		;
	p = i1;
	if (p < end && *p == '.') {
		for (f0 = f1 = p + 1; f1 < end && ISDIGIT(*f1); f1++)
			;
		p = f1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = *++p == '-';

		p += *p == '-' || *p == '+';
		scan_exponent(p, end, &exp);
		if (eneg)
			exp = -exp;
	}
	plain_number(v, neg, i0, i1, f0, f1, exp);
	*out = strtod(v->tmp.data, NULL);
	return 0;
}

int
tend_jview_next(const struct tend_jview *v, struct tend_jval array,
    size_t *it, struct tend_jval *elem)
{
	const char *s = v->line;
	size_t end = array.end - 1, i;

	if (array.type != TEND_JARRAY)
		return 0;
	i = *it ? past_value(s, *it, end) : skip_ws_at(s, array.start + 1,
	    end);
	if (i < end && s[i] == ',')
		i = skip_ws_at(s, i + 1, end);
	if (i >= end) {
		*it = end;
		return 0;
	}
	*elem = value_at(s, i, end);
	*it = elem->end;
	return 1;
}

size_t
tend_jview_count(const struct tend_jview *v)
{
	return v->nmembers;
}

const char *
tend_jview_member(struct tend_jview *v, size_t i, size_t *keylen,
    struct tend_jval *val)
{
	const struct tend_jmember *m = &v->members[i];
	const char *s = v->line;

	val->type = m->type;
	val->start = m->value_start;
	val->end = m->value_end;
	*keylen = m->key_len;
	if (!member_escaped(m))
		return s + m->key_start;
	tend_buf_reset(&v->key);
	decode(s + m->key_start, m->key_end - m->key_start, &v->key);
	return v->key.data;
}
