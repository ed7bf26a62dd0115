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

/* In tie-break order: a missed complaint costs more than a missed
 * compliment. */
const char *const cl_categories[] = {
	"complaint", "question", "request", "spam", "feedback", "praise", NULL
};

const char *const cl_band_names[] = { "micro", "macro", "mega", NULL };

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
    int hit)
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
 * Pattern gates.  A pattern that can only match where the text has one of
 * a few words ("\b(?:refund|money)\w*...") need not run on a post without
 * them: those words go into the prefix index, and the pattern runs only
 * after one of them is seen (CL_HIT_GATE).  Only plain shapes are read:
 * an optional \b, then a word, or a group of words (each optionally
 * followed by \w* or \w+, or by \s and more) not itself optional.
 * Anything else leaves the pattern ungated, so a gate never hides a match.
 */
static size_t
gate_word(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && ((p[n] >= 'a' && p[n] <= 'z') ||
	    (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9') ||
	    (unsigned char)p[n] >= 0x80))
		n++;
	/* "dollars?": the last letter is optional */
	if (n && p + n < end && (p[n] == '?' || p[n] == '*' || p[n] == '{'))
		n--;
	return n;
}

/* One end of the group that starts at p (after its "(?:"), or NULL. */
static const char *
group_end(const char *p, const char *end)
{
	int depth = 0;

	for (; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '[') {	/* a class may hold ')' */
			while (p < end && *p != ']')
				p += *p == '\\' ? 2 : 1;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth-- == 0)
			return p;
	}
	return NULL;
}

/* The next | or ) of the current alternative, skipping nested groups. */
static const char *
alt_end(const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '[') {
			while (p < end && *p != ']')
				p += *p == '\\' ? 2 : 1;
			continue;
		}
		if (*p == '(') {
			p = group_end(p + 1, end);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '|' || *p == ')')
			return p;
	}
	return NULL;
}

/* Adds gate word p[0..len) to words, a prefix ('p') or a whole word
 * ('w', for words shorter than the prefix index takes). */
static void
add_gate(struct tend_buf *words, const char *p, size_t len, char how)
{
	tend_buf_addc(words, how);
	tend_text_fold(words, p, len);
	tend_buf_addc(words, '\0');
}

/* Appends the gate words of pattern src[0..n) to words (each a 'p' or 'w'
 * then the folded word, NUL-ended); returns how many, 0 when the pattern
 * has no gate. */
static size_t
gate_words(const char *src, size_t n, struct tend_buf *words)
{
	const char *p = src, *end = src + n, *close;
	size_t count = 0, len;

	tend_buf_reset(words);
	/* a leading context group such as (?:^|[.!?]\s+) is skipped */
	if (p + 5 <= end && strncmp(p, "(?:^|", 5) == 0) {
		if (!(close = group_end(p + 3, end)))
			return 0;
		p = close + 1;
	}
	if (p + 2 <= end && p[0] == '\\' && p[1] == 'b')
		p += 2;
	else if (p == src)
		return 0;	/* no \b: it may match inside a word */
	if (p + 3 > end || strncmp(p, "(?:", 3) != 0) {
		len = gate_word(p, end);
		if (len >= CL_PREFIX_KEY) {
			add_gate(words, p, len, 'p');
			return 1;
		}
		/* a short whole word: "dm\s", "my\s" */
		if (len && p + len + 1 < end && p[len] == '\\' &&
		    (p[len + 1] == 's' || p[len + 1] == 'b')) {
			add_gate(words, p, len, 'w');
			return 1;
		}
		return 0;
	}
	if (!(close = group_end(p + 3, end)))
		return 0;
	/* the group must be followed by a word's end for short words, and
	 * must not itself be optional */
	if (close + 1 < end && (close[1] == '?' || close[1] == '*' ||
	    close[1] == '{'))
		return 0;
	for (p += 3; p < close; p++) {
		const char *stop = alt_end(p, close + 1);
		int whole;

		if (!stop)
			return 0;
		len = gate_word(p, stop);
		/* a short word must be whole: \s after it, in the
		 * alternative or after the group */
		whole = (p + len == stop && close + 2 < end &&
		    close[1] == '\\' && close[2] == 's') ||
		    (p + len + 1 < stop && p[len] == '\\' && p[len + 1] == 's');
		if (len >= CL_PREFIX_KEY)
			add_gate(words, p, len, 'p');
		else if (len && whole)
			add_gate(words, p, len, 'w');
		else
			return 0;
		count++;
		p = stop;
		if (*p == ')')
			break;
	}
	return count;
}

/* Gates rule r's patterns when every one of them has a gate. */
static void
gate_rule(struct rules_load *rl, const char *src, size_t n)
{
	struct cl_rule *r = rl->rule;
	uint32_t rule = (uint32_t)(r - rl->cl->rules);
	struct tend_buf words = TEND_BUF_INIT;
	size_t count = gate_words(src, n, &words), i, off = 0;

	if (r->field != CL_FIELD_TEXT || !count) {
		r->gated = -1;		/* never: an ungated pattern */
	} else {
		for (i = 0; i < count; i++) {
			const char *w = words.data + off + 1;
			size_t len = strlen(w);

			if (words.data[off] == 'p')
				add_prefix(rl->cl, w, len, rule, CL_HIT_GATE);
			else
				cl_entry_add(cl_term_add(rl->cl, w, len),
				    CL_KEYWORD, 0, 0, rule, CL_HIT_GATE);
			off += len + 2;
		}
		if (r->gated == 0)
			r->gated = 1;
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
	r->patterns[r->npatterns].jit =
	    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
	r->patterns[r->npatterns].code = re;
	r->patterns[r->npatterns].md =
	    pcre2_match_data_create_from_pattern(re, NULL);
	r->patterns[r->npatterns++].unless = unless;
	if (!unless) {
		r->has_patterns = 1;
		gate_rule(rl, s + 1, (size_t)(close - s - 1));
	}
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
	static const char *const labels[] = { "negative", "neutral",
	    "positive", NULL };
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
		for (i = 0; labels[i]; i++)
			if (strcmp(val, labels[i]) == 0)
				break;
		if (!labels[i])
			return fail(rl, val, err, "unknown sentiment '%s' "
			    "(negative, neutral, positive)", val);
		r->sentiment = i - 1;
		return 0;
	}
	return fail(rl, key, err, "unknown rule attribute '%s'", key);
}

static int
end_rule(struct rules_load *rl, struct tend_error *err)
{
	struct cl_rule *r = rl->rule;

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
	r = &cl->rules[cl->nrules++];
	memset(r, 0, sizeof(*r));
	r->id = tend_xstrdup(id);
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
