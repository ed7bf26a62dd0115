/* rules.c: rule files (tend-rules(5)): rules, keyword lists compiled into
 * the hash of terms, PCRE2 patterns, and the priority formula. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"
#include "utf8.h"

/* In tie-break order: a missed complaint costs more than a missed
 * compliment. */
const char *const cl_categories[] = {
	"complaint", "question", "request", "spam", "feedback", "praise", NULL
};

const char *const cl_band_names[] = { "micro", "macro", "mega", NULL };
const char *const cl_label_names[] = { "negative", "neutral", "positive",
    "mixed", NULL };

void
cl_scoring_defaults(struct cl_scoring *s)
{
	static const double category[] = { 2, 1, 1, 0, 0, 0 };
	static const struct { const char *flag; double points; } flags[] = {
		{ "sensitive.legal", 4 }, { "sensitive.safety", 4 },
		{ "sensitive.privacy", 3 }, { "sensitive.press", 3 },
		{ "phishing", 4 }, { "impersonation", 4 },
		{ "brand_misuse", 2 }, { "phishing.bait", 1 },
	};
	size_t i;

	memset(s, 0, sizeof(*s));
	memcpy(s->category_points, category, sizeof(category));
	s->nflags = sizeof(flags) / sizeof(flags[0]);
	s->flag_names = tend_xcalloc(s->nflags, sizeof(char *));
	s->flag_points = tend_xcalloc(s->nflags, sizeof(double));
	for (i = 0; i < s->nflags; i++) {
		s->flag_names[i] = tend_xstrdup(flags[i].flag);
		s->flag_points[i] = flags[i].points;
	}
	s->band_points[0] = 1;
	s->band_points[1] = 2;
	s->band_points[2] = 3;
	s->band_followers[0] = 10000;
	s->band_followers[1] = 100000;
	s->band_followers[2] = 1000000;
	s->verified_band = 0;
	s->sentiment_at[0] = -0.5;
	s->sentiment_points[0] = 2;
	s->sentiment_at[1] = -0.2;
	s->sentiment_points[1] = 1;
	s->priority_at[0] = 6;
	s->priority_at[1] = 4;
	s->priority_at[2] = 2;
}

struct rules_load {
	struct cl *cl;
	const char *path;
	char *dir;		/* of path, for include */
	struct cl_rule *rule;	/* the rule being read, or NULL */
	int depth;		/* of include */
	struct tend_buf fold;
	char *line0;		/* the line, for columns */
};

static int load_file(struct cl *cl, const char *path, int depth,
    struct tend_error *err);

static long
col_of(const struct rules_load *rl, const char *p)
{
	return (long)(p - rl->line0) + 1;
}

static int fail(const struct rules_load *rl, const char *at,
    struct tend_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sets err at the column of at (NULL: unknown); returns -1. */
static int
fail(const struct rules_load *rl, const char *at, struct tend_error *err,
    const char *fmt, ...)
{
	char text[TEND_ERROR_TEXT];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	tend_error_set(err, NULL, 0, at ? col_of(rl, at) : 0, "%s", text);
	return -1;
}

static char *
skip_space(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Cuts a '#' comment: '#' at the start or after a space, and followed by
 * a space or the end (so "#boycott" stays a word). */
static void
cut_comment(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[1] == ' ' || p[1] == '\t' || !p[1])) {
			*p = '\0';
			break;
		}
	for (p = s + strlen(s); p > s && (p[-1] == ' ' || p[-1] == '\t');
	    p--)
		p[-1] = '\0';
}

/* Splits "word rest": returns rest (spaces skipped), NUL-ends word. */
static char *
split_word(char *s)
{
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	return skip_space(s);
}

static int
parse_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return end == s || *end || errno ? -1 : 0;
}

static int
valid_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    strchr("._/-", *s)))
			return 0;
	return 1;
}

static void
add_prefix(struct cl *cl, const char *text, size_t len, uint32_t rule,
    uint32_t hit)
{
	int added;
	void **slot = tend_strmap_put(cl->prefixes, text, CL_PREFIX_KEY,
	    &added, NULL);
	struct cl_prefixes *list = *slot;
	struct cl_prefix *p;
	unsigned bit = cl_prefix_bit(text);

	cl->prefix_seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
	if (!list) {
		list = *slot = tend_xcalloc(1, sizeof(*list));
		tend_xgrow((void **)&cl->all_prefixes, &cl->all_prefixes_cap,
		    cl->nall_prefixes + 1, sizeof(*cl->all_prefixes));
		cl->all_prefixes[cl->nall_prefixes++] = list;
	}
	list->v = tend_xrealloc(list->v, (list->n + 1) * sizeof(*list->v));
	p = &list->v[list->n++];
	p->text = tend_xstrndup(text, len);
	p->len = len;
	p->rule = rule;
	p->hit = hit;
}

/* "refund, money back, refund*" */
static int
parse_words(struct rules_load *rl, char *list, int unless,
    struct tend_error *err)
{
	struct cl *cl = rl->cl;
	uint32_t rule = (uint32_t)(rl->rule - cl->rules);
	char *p = list;

	while (*p) {
		char *start = skip_space(p), *end = start;
		int prefix = 0;

		while (*end && *end != ',')
			end++;
		p = *end ? end + 1 : end;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end == start)
			return fail(rl, start, err, "empty keyword%s", "");
		if (end[-1] == '*') {
			prefix = 1;
			end--;
		}
		cl_fold_term(&rl->fold, start, (size_t)(end - start));
		if (!rl->fold.len)
			return fail(rl, start, err, "empty keyword%s", "");
		if (prefix) {
			if (memchr(rl->fold.data, ' ', rl->fold.len) ||
			    rl->fold.len < CL_PREFIX_KEY)
				return fail(rl, start, err, "a prefix keyword "
				    "is one word of %s bytes or more", "3");
			add_prefix(cl, rl->fold.data, rl->fold.len, rule,
			    unless ? CL_HIT_UNLESS : CL_HIT_WORDS);
		} else
			cl_entry_add(cl_term_add(cl, rl->fold.data,
			    rl->fold.len), CL_KEYWORD, 0, 0, rule, unless ?
			    CL_HIT_UNLESS : CL_HIT_WORDS);
	}
	if (unless)
		rl->rule->has_unless_words = 1;
	else
		rl->rule->has_words = 1;
	return 0;
}

/*
 * Pattern gates.  A pattern that cannot match where the text lacks one of a
 * few words ("\b(?:refund|money)\w*...\s+sue\b") need not run on a post
 * without them.  Its top level is read item by item, and each word, or
 * group of words (every alternative starting with one), that is neither
 * optional nor the whole of an alternative, and that starts where a word
 * must start (after ^, \b, \s, or a group whose every alternative ends
 * so), becomes a gate: a bit of its own, set by any of its words (a word
 * of CL_PREFIX_KEY bytes or more as a prefix, a shorter one only when \s
 * follows it).  The pattern runs only when all its gates are set.  What is
 * not read so gates nothing (a | at the top level, \Q, /x), so a gate
 * never hides a match.
 */

/* Length of the word at p: letters and digits, as the tokenizer reads
 * them, less a last letter made optional ("dollars?"). */
static size_t
gate_word(const char *p, const char *end)
{
	const char *q = p, *last = p;

	while (q < end) {
		const char *r = q;
		uint32_t cp = tend_utf8_next(&r, end);

		if (!tend_text_is_word_char(cp) || cp == '_' || cp == '\'')
			break;
		last = q;
		q = r;
	}
	if (q > p && q < end && (*q == '?' || *q == '*' || *q == '{'))
		q = last;
	return (size_t)(q - p);
}

static int
word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Past the character class that opens at p ('['), or NULL. */
static const char *
class_end(const char *p, const char *end)
{
	p++;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')	/* a ']' first is a member */
		p++;
	while (p < end && *p != ']') {
		if (*p == '\\')
			p++;
		else if (*p == '[' && p + 1 < end && p[1] == ':') {
			const char *q = strstr(p + 2, ":]");

			if (!q || q >= end)
				return NULL;
			p = q + 1;
		}
		p++;
	}
	return p < end ? p + 1 : NULL;
}

/* The ')' that closes the group whose body starts at p, or NULL. */
static const char *
group_end(const char *p, const char *end)
{
	int depth = 0;

	for (; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '[') {
			if (!(p = class_end(p, end)))
				return NULL;
			p--;
		} else if (*p == '(')
			depth++;
		else if (*p == ')' && depth-- == 0)
			return p;
	}
	return NULL;
}

/* The '|' or ')' that ends the alternative starting at p, skipping nested
 * groups and classes, or end. */
static const char *
alt_end(const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '[') {
			if (!(p = class_end(p, end)))
				return end;
			p--;
		} else if (*p == '(') {
			if (!(p = group_end(p + 1, end)))
				return end;
		} else if (*p == '|' || *p == ')')
			return p;
	}
	return end;
}

/* Past the quantifier at p, if one is there; *optional: it allows none. */
static const char *
quantifier(const char *p, const char *end, int *optional)
{
	*optional = 0;
	if (p < end && (*p == '?' || *p == '*')) {
		*optional = 1;
		p++;
	} else if (p < end && *p == '+')
		p++;
	else if (p < end && *p == '{') {
		const char *q = memchr(p, '}', (size_t)(end - p));

		if (!q)
			return p;
		*optional = p[1] == '0' || p[1] == ',';
		p = q + 1;
	} else
		return p;
	if (p < end && (*p == '?' || *p == '+'))	/* lazy, possessive */
		p++;
	return p;
}

/* Whether the alternative a..b ends where a word must start: in ^, \b,
 * \s or \s+. */
static int
ends_before_word(const char *a, const char *b)
{
	if (b > a && b[-1] == '+')
		b--;
	if (b - a == 1 && *a == '^')
		return 1;
	return b - a >= 2 && b[-2] == '\\' && (b[-1] == 's' ||
	    b[-1] == 'b') && (b - a == 2 || b[-3] != '\\');
}

/* Whether every alternative of the group body..close ends so. */
static int
group_ends_before_word(const char *body, const char *close)
{
	const char *a = body, *b;

	for (;;) {
		b = alt_end(a, close);
		if (!ends_before_word(a, b))
			return 0;
		if (b >= close)
			return 1;
		a = b + 1;
	}
}

/* Appends gate word p[0..len) to words: 'p' (a prefix) or 'w' (a whole
 * word), the folded word, NUL. */
static void
add_gate(struct tend_buf *words, const char *p, size_t len, char how)
{
	tend_buf_addc(words, how);
	tend_text_fold(words, p, len);
	tend_buf_addc(words, '\0');
}

/* Appends the gate words of word p (whole when \s follows it); 0 when it
 * is too short to gate. */
static int
word_gate(const char *p, size_t len, const char *end, struct tend_buf *words)
{
	if (len >= CL_PREFIX_KEY)
		add_gate(words, p, len, 'p');
	else if (len && end - p >= (long)len + 2 && p[len] == '\\' &&
	    p[len + 1] == 's')
		add_gate(words, p, len, 'w');
	else
		return 0;
	return 1;
}

/* Appends the words of the group body..close, one an alternative, as one
 * gate ended by '|'; after: what follows the group.  0 (and nothing
 * appended) when an alternative does not start with a word. */
static int
group_gate(const char *body, const char *close, const char *after,
    const char *end, struct tend_buf *words)
{
	size_t mark = words->len;
	const char *a = body, *b;

	for (;;) {
		size_t len = gate_word(a, close);

		b = alt_end(a, close);
		if (len && len < CL_PREFIX_KEY && a + len == b) {
			/* a short word alone in its alternative ends where
			 * the group does: \s must follow it, unrepeated */
			if (after != close + 1 || end - after < 2 ||
			    after[0] != '\\' || after[1] != 's')
				break;
			add_gate(words, a, len, 'w');
		} else if (!word_gate(a, len, b, words))
			break;
		if (b >= close) {
			tend_buf_addc(words, '|');
			return 1;
		}
		a = b + 1;
	}
	words->len = mark;
	return 0;
}

/* Whether src[0..n) has a | outside every group and class. */
static int
top_alternation(const char *p, const char *end)
{
	return alt_end(p, end) < end;
}

/* Appends the gates of pattern src[0..n) to words (see above): each its
 * words, then '|'.  Returns how many. */
static size_t
gate_words(const char *src, size_t n, struct tend_buf *words)
{
	const char *p = src, *end = src + n, *close, *body;
	size_t gates = 0;
	int word_start = 0, optional;

	tend_buf_reset(words);
	if (top_alternation(src, end))
		return 0;
	for (p = src; p + 1 < end; p++)
		if (*p == '\\' && *++p == 'Q')
			return 0;	/* \Q..\E: syntax read as text */
	p = src;
	while (p < end) {
		int at = word_start;

		word_start = 0;
		if (*p == '^') {
			word_start = 1;
			p++;
		} else if (*p == '\\') {
			char e = p + 1 < end ? p[1] : '\0';

			p = quantifier(p + 2, end, &optional);
			word_start = e == 'b' || (e == 's' && (!optional ||
			    at));
		} else if (*p == ' ') {
			p = quantifier(p + 1, end, &optional);
			word_start = !optional || at;
		} else if (*p == '[') {
			if (!(p = class_end(p, end)))
				return 0;
			p = quantifier(p, end, &optional);
		} else if (*p == '(') {
			if (!(close = group_end(p + 1, end)))
				return 0;
			body = p[1] != '?' ? p + 1 : p + 2 < end &&
			    p[2] == ':' ? p + 3 : NULL;
			p = quantifier(close + 1, end, &optional);
			if (body && at && !optional &&
			    group_gate(body, close, p, end, words))
				gates++;
			word_start = body && group_ends_before_word(body,
			    close) && (!optional || at);
		} else if (word_byte(*p)) {
			size_t len = gate_word(p, end);

			if (at && word_gate(p, len, end, words)) {
				tend_buf_addc(words, '|');
				gates++;
			}
			while (p < end && word_byte(*p))
				p++;
			p = quantifier(p, end, &optional);
		} else
			p = quantifier(p + 1, end, &optional);
	}
	return gates;
}

/* Gates pattern pt of rule r, src[0..n) with options opts, as far as gate
 * bits are left. */
static void
gate_pattern(struct rules_load *rl, struct cl_pattern *pt, const char *src,
    size_t n, uint32_t opts)
{
	struct cl_rule *r = rl->rule;
	uint32_t rule = (uint32_t)(r - rl->cl->rules), bit;
	struct tend_buf words = TEND_BUF_INIT;
	size_t count, off = 0;

	pt->gate = 0;
	if (r->field != CL_FIELD_TEXT || (opts & PCRE2_EXTENDED) ||
	    !(count = gate_words(src, n, &words)) || r->ngates >= CL_GATES) {
		r->ungated = 1;
		tend_buf_release(&words);
		return;
	}
	while (count-- > 0 && r->ngates < CL_GATES) {
		bit = (uint32_t)CL_HIT_GATE << r->ngates++;
		while (words.data[off] != '|') {
			const char *w = words.data + off + 1;
			size_t len = strlen(w);

			if (words.data[off] == 'p')
				add_prefix(rl->cl, w, len, rule, bit);
			else
				cl_entry_add(cl_term_add(rl->cl, w, len),
				    CL_KEYWORD, 0, 0, rule, bit);
			off += len + 2;
		}
		off++;
		pt->gate |= bit;
	}
	tend_buf_release(&words);
}

/* "/regex/flags" */
static int
parse_pattern(struct rules_load *rl, char *s, int unless,
    struct tend_error *err)
{
	struct cl_rule *r = rl->rule;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP;
	char *close = NULL, *p;
	int code;
	PCRE2_SIZE off;
	pcre2_code *re;
	struct cl_pattern *pt;

	if (*s != '/')
		return fail(rl, s, err, "expected /PATTERN/%s", "");
	/* the closing slash is the last one followed only by flags */
	for (p = s + 1; *p; p++)
		if (*p == '/' && p[-1] != '\\') {
			char *q = p + 1;

			while (*q && strchr("ixs", *q))
				q++;
			q = skip_space(q);
			if (!*q || *q == '#')
				close = p;
		}
	if (!close)
		return fail(rl, s, err, "unterminated pattern: no closing "
		    "'/'%s", "");
	for (p = close + 1; *p && *p != ' ' && *p != '\t' && *p != '#'; p++)
		switch (*p) {
		case 'i': opts |= PCRE2_CASELESS; break;
		case 'x': opts |= PCRE2_EXTENDED; break;
		case 's': opts |= PCRE2_DOTALL; break;
		}
	re = pcre2_compile((PCRE2_SPTR)(s + 1), (PCRE2_SIZE)(close - s - 1),
	    opts, &code, &off, NULL);
	if (!re) {
		char msg[256];

		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof(msg));
		tend_error_set(err, NULL, 0, col_of(rl, s) + 1 + (long)off,
		    "bad pattern: %s", msg);
		return -1;
	}
	r->patterns = tend_xrealloc(r->patterns, (r->npatterns + 1) *
	    sizeof(*r->patterns));
	pt = &r->patterns[r->npatterns];
	pt->jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
	pt->code = re;
	pt->md = pcre2_match_data_create_from_pattern(re, NULL);
	pt->unless = unless;
	pt->gate = 0;
	if (!unless) {
		r->has_patterns = 1;
		gate_pattern(rl, pt, s + 1, (size_t)(close - s - 1), opts);
	}
	r->npatterns++;
	return 0;
}

static int
parse_langs(struct rules_load *rl, char *s, struct tend_error *err)
{
	char *p = s;

	while (*p) {
		char *start = skip_space(p), *end = start, save;
		int i;

		while (*end && *end != ',' && *end != ' ')
			end++;
		p = end;
		while (*p == ',' || *p == ' ')
			p++;
		if (end == start)
			continue;
		save = *end;
		*end = '\0';
		if (strcmp(start, "*") == 0 || strcmp(start, "any") == 0) {
			rl->rule->langs = 0;
			*end = save;
			return 0;
		}
		i = cl_lang_index(rl->cl, start, 1);
		if (i == -2)
			return fail(rl, start, err, "bad language code '%s'",
			    start);
		if (i < 0)
			return fail(rl, start, err, "too many languages%s", "");
		rl->rule->langs |= (uint32_t)1 << i;
		*end = save;
	}
	return 0;
}

/* One indented line of a rule. */
static int
rule_attribute(struct rules_load *rl, char *s, struct tend_error *err)
{
	struct cl_rule *r = rl->rule;
	char *key = s, *val = split_word(s);
	static const char *const fields[] = { "text", "handle", "name",
	    "links", NULL };
	int unless = 0, i;

	if (strcmp(key, "unless") == 0) {
		unless = 1;
		key = val;
		val = split_word(val);
		if (strcmp(key, "words") != 0 && strcmp(key, "pattern") != 0)
			return fail(rl, key, err, "unless goes with words or "
			    "pattern, not '%s'", key);
	}
	if (strcmp(key, "pattern") != 0)
		cut_comment(val);
	if (!*val)
		return fail(rl, key, err, "%s needs a value", key);
	if (strcmp(key, "words") == 0)
		return parse_words(rl, val, unless, err);
	if (strcmp(key, "pattern") == 0)
		return parse_pattern(rl, val, unless, err);
	if (strcmp(key, "category") == 0 || strcmp(key, "topic") == 0 ||
	    strcmp(key, "flag") == 0) {
		if (r->value)
			return fail(rl, key, err, "a rule sets one category, "
			    "topic or flag; this one already has '%s'",
			    r->value);
		if (strpbrk(val, " \t\"\\"))
			return fail(rl, val, err, "bad name '%s'", val);
		r->sets = key[0] == 'c' ? CL_SETS_CATEGORY : key[0] == 't' ?
		    CL_SETS_TOPIC : CL_SETS_FLAG;
		if (r->sets == CL_SETS_CATEGORY) {
			for (i = 0; cl_categories[i]; i++)
				if (strcmp(val, cl_categories[i]) == 0)
					break;
			if (!cl_categories[i])
				return fail(rl, val, err, "unknown category "
				    "'%s' (complaint, question, request, spam, "
				    "feedback, praise)", val);
			r->category = i;
		}
		r->value = tend_xstrdup(val);
		return 0;
	}
	if (strcmp(key, "lang") == 0)
		return parse_langs(rl, val, err);
	if (strcmp(key, "field") == 0) {
		for (i = 0; fields[i]; i++)
			if (strcmp(val, fields[i]) == 0)
				break;
		if (!fields[i])
			return fail(rl, val, err, "unknown field '%s' (text, "
			    "handle, name, links)", val);
		r->field = i;
		rl->cl->uses_field[i] = 1;
		return 0;
	}
	if (strcmp(key, "weight") == 0) {
		if (parse_double(val, &r->weight) < 0 || r->weight <= 0 ||
		    r->weight > 100)
			return fail(rl, val, err, "weight '%s' is not a number "
			    "above 0", val);
		return 0;
	}
	if (strcmp(key, "audience") == 0) {
		if (strcmp(val, "addressed") != 0 && strcmp(val, "any") != 0)
			return fail(rl, val, err, "unknown audience '%s' "
			    "(addressed, any)", val);
		r->addressed = val[0] == 'a' && val[1] == 'd';
		return 0;
	}
	if (strcmp(key, "sentiment") == 0) {
		for (i = 0; cl_label_names[i]; i++)
			if (strcmp(val, cl_label_names[i]) == 0)
				break;
		if (!cl_label_names[i])
			return fail(rl, val, err, "unknown sentiment '%s' "
			    "(negative, neutral, positive, mixed)", val);
		r->sentiment = i - 1;
		return 0;
	}
	return fail(rl, key, err, "unknown rule attribute '%s'", key);
}

static int
end_rule(struct rules_load *rl, struct tend_error *err)
{
	struct cl_rule *r = rl->rule;
	struct cl *cl = rl->cl;
	struct cl_rule_gist *g;

	rl->rule = NULL;
	if (!r)
		return 0;
	/* these errors belong to the rule's own line: placed here (-2) */
	if (!r->value) {
		tend_error_set(err, rl->path, r->line, 0, "rule '%s' sets no "
		    "category, topic or flag", r->id);
		return -2;
	}
	if (!r->has_words && r->sentiment == -2 && !r->has_patterns) {
		tend_error_set(err, rl->path, r->line, 0, "rule '%s' has no "
		    "words, pattern or sentiment", r->id);
		return -2;
	}
	g = &cl->gists[r - cl->rules];
	g->field = (uint8_t)r->field;
	g->needs = (r->has_words || r->has_patterns) && !r->ungated ?
	    CL_NEEDS_HIT : 0;
	if (r->addressed)
		g->needs |= CL_NEEDS_ADDRESSED;
	if (!(g->needs & CL_NEEDS_HIT)) {
		cl->hitless = tend_xrealloc(cl->hitless, (cl->nhitless + 1) *
		    sizeof(*cl->hitless));
		cl->hitless[cl->nhitless++] = (uint32_t)(r - cl->rules);
	}
	return 0;
}

static int
new_rule(struct rules_load *rl, char *id, struct tend_error *err)
{
	struct cl *cl = rl->cl;
	struct cl_rule *r;
	size_t i;

	if (!valid_id(id))
		return fail(rl, id, err, "bad rule id '%s' (lower-case "
		    "letters, digits, '.', '_', '/', '-')", id);
	for (i = 0; i < cl->nrules; i++)
		if (strcmp(cl->rules[i].id, id) == 0) {
			char where[64];

			snprintf(where, sizeof(where), "%ld", cl->rules[i].line);
			tend_error_set(err, NULL, 0, col_of(rl, id), "rule id "
			    "'%s' already used at %s:%s", id,
			    cl->rules[i].file, where);
			return -1;
		}
	cl->rules = tend_xrealloc(cl->rules, (cl->nrules + 1) *
	    sizeof(*cl->rules));
	cl->gists = tend_xrealloc(cl->gists, (cl->nrules + 1) *
	    sizeof(*cl->gists));
	memset(&cl->gists[cl->nrules], 0, sizeof(*cl->gists));
	r = &cl->rules[cl->nrules++];
	memset(r, 0, sizeof(*r));
	r->id = tend_xstrdup(id);
	r->learned_key = cl_learned_rule_key(id);
	r->file = tend_xstrdup(rl->path);
	r->weight = 1;
	r->sentiment = -2;
	rl->rule = r;
	return 0;
}

static int
find_name(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* points category|flag|influencer|sentiment NAME N */
static int
points_directive(struct rules_load *rl, char *s, struct tend_error *err)
{
	struct cl_scoring *sc = &rl->cl->scoring;
	char *what = s, *name = split_word(s), *num = split_word(name);
	double v, at;
	size_t i;
	int k;

	if (parse_double(num, &v) < 0)
		return fail(rl, num, err, "expected a number of points, not "
		    "'%s'", num);
	if (strcmp(what, "category") == 0) {
		if ((k = find_name(cl_categories, name)) < 0)
			return fail(rl, name, err, "unknown category '%s'",
			    name);
		sc->category_points[k] = v;
	} else if (strcmp(what, "flag") == 0) {
		for (i = 0; i < sc->nflags; i++)
			if (strcmp(sc->flag_names[i], name) == 0)
				break;
		if (i == sc->nflags) {
			sc->flag_names = tend_xrealloc(sc->flag_names,
			    (i + 1) * sizeof(char *));
			sc->flag_points = tend_xrealloc(sc->flag_points,
			    (i + 1) * sizeof(double));
			sc->flag_names[i] = tend_xstrdup(name);
			sc->nflags++;
		}
		sc->flag_points[i] = v;
	} else if (strcmp(what, "influencer") == 0) {
		if ((k = find_name(cl_band_names, name)) < 0)
			return fail(rl, name, err, "unknown band '%s' (micro, "
			    "macro, mega)", name);
		sc->band_points[k] = v;
	} else if (strcmp(what, "sentiment") == 0) {
		if (parse_double(name, &at) < 0 || at < -1 || at > 1)
			return fail(rl, name, err, "expected a score from -1 "
			    "to 1, not '%s'", name);
		/* keep the two thresholds, the lower first */
		if (at <= sc->sentiment_at[0]) {
			sc->sentiment_at[0] = at;
			sc->sentiment_points[0] = v;
		} else {
			sc->sentiment_at[1] = at;
			sc->sentiment_points[1] = v;
		}
	} else
		return fail(rl, what, err, "points for category, flag, "
		    "influencer or sentiment, not '%s'", what);
	return 0;
}

static int
top_directive(struct rules_load *rl, char *s, struct tend_error *err)
{
	struct cl_scoring *sc = &rl->cl->scoring;
	char *key = s, *val = split_word(s), *arg;
	double v;
	int k;

	cut_comment(val);
	if (strcmp(key, "rule") == 0) {
		if (!*val)
			return fail(rl, key, err, "rule needs an id%s", "");
		return new_rule(rl, val, err);
	}
	if (strcmp(key, "include") == 0) {
		struct tend_buf path = TEND_BUF_INIT;
		int rc;

		if (!*val)
			return fail(rl, key, err, "include needs a file%s", "");
		if (rl->depth >= 16)
			return fail(rl, val, err, "includes nested too deep at "
			    "'%s'", val);
		if (*val == '/' || strcmp(rl->dir, ".") == 0)
			tend_buf_adds(&path, val);
		else
			tend_buf_printf(&path, "%s/%s", rl->dir, val);
		rc = load_file(rl->cl, path.data, rl->depth + 1, err);
		tend_buf_release(&path);
		if (rc < 0 && err->line == 0) {
			/* the file itself could not be read: say where from */
			char why[TEND_ERROR_TEXT];

			memcpy(why, err->text, sizeof(why));
			return fail(rl, val, err, "cannot include '%s': %s",
			    val, why);
		}
		return rc < 0 ? -2 : 0;
	}
	if (strcmp(key, "points") == 0)
		return points_directive(rl, val, err);
	arg = split_word(val);
	if (strcmp(key, "priority") == 0) {
		static const char *const levels[] = { "P1", "P2", "P3", NULL };

		if ((k = find_name(levels, val)) < 0)
			return fail(rl, val, err, "priority P1, P2 or P3, not "
			    "'%s'", val);
		if (parse_double(arg, &v) < 0)
			return fail(rl, arg, err, "expected a number of "
			    "points, not '%s'", arg);
		sc->priority_at[k] = v;
		return 0;
	}
	if (strcmp(key, "influencer") == 0) {
		long n;
		char *end;

		if (strcmp(val, "verified") == 0) {
			if ((k = find_name(cl_band_names, arg)) < 0)
				return fail(rl, arg, err, "unknown band '%s'",
				    arg);
			sc->verified_band = k;
			return 0;
		}
		if ((k = find_name(cl_band_names, val)) < 0)
			return fail(rl, val, err, "unknown band '%s' (micro, "
			    "macro, mega, verified)", val);
		n = strtol(arg, &end, 10);
		if (end == arg || *end || n < 0)
			return fail(rl, arg, err, "expected a follower count, "
			    "not '%s'", arg);
		sc->band_followers[k] = n;
		return 0;
	}
	return fail(rl, key, err, "unknown directive '%s' (rule, include, "
	    "points, priority, influencer)", key);
}

static int
rules_line(void *arg, char *s, struct tend_error *err)
{
	struct rules_load *rl = arg;
	char *p;
	int rc;

	rl->line0 = s;
	p = skip_space(s);
	if (!*p || *p == '#')
		return 0;
	if (p != s) {
		if (!rl->rule)
			return fail(rl, p, err, "an indented line belongs to "
			    "a rule, and no rule started%s", "");
		return rule_attribute(rl, p, err);
	}
	if ((rc = end_rule(rl, err)) < 0)
		return rc;
	rc = top_directive(rl, s, err);
	if (rc == 0 && rl->rule)
		rl->rule->line = 0;
	return rc;
}

/* cl_each_line gives no line number to the callback; count here. */
struct counted {
	struct rules_load *rl;
	long line;
};

static int
counted_line(void *arg, char *s, struct tend_error *err)
{
	struct counted *c = arg;
	int rc;

	c->line++;
	rc = rules_line(c->rl, s, err);
	if (rc == 0 && c->rl->rule && c->rl->rule->line == 0)
		c->rl->rule->line = c->line;
	return rc;
}

static int
load_file(struct cl *cl, const char *path, int depth, struct tend_error *err)
{
	struct rules_load rl;
	struct counted c;
	const char *slash = strrchr(path, '/');
	int rc;

	memset(&rl, 0, sizeof(rl));
	rl.cl = cl;
	rl.path = path;
	rl.depth = depth;
	rl.dir = slash ? tend_xstrndup(path, (size_t)(slash - path)) :
	    tend_xstrdup(".");
	c.rl = &rl;
	c.line = 0;
	rc = cl_each_line(path, counted_line, &c, err);
	if (rc == 0 && end_rule(&rl, err) < 0)
		rc = -1;
	free(rl.dir);
	tend_buf_release(&rl.fold);
	return rc;
}

int
cl_rules_load(struct cl *cl, const char *path, struct tend_error *err)
{
	return load_file(cl, path, 0, err);
}
