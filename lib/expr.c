/* expr.c: the expression language (tend-expr(7)).
 *
 * The source is cut into tokens first, then a recursive-descent parser
 * builds a tree: "or" and "and" nodes with any number of children, "not"
 * nodes, and tests (an operand, an operator, literals).  Paths are split
 * once here; regular expressions are compiled once here.  Evaluation
 * walks the tree against a jansson object and allocates nothing.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>

#include "alloc.h"
#include "error.h"
#include "expr.h"
#include "timestamp.h"
#include "utf8.h"

#ifndef PCRE2_MATCH_INVALID_UTF
#define PCRE2_MATCH_INVALID_UTF 0
#endif

enum tok_type {
	T_END, T_WORD, T_NUMBER, T_DURATION, T_TIME, T_STRING, T_REGEX,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH, T_NOMATCH,
	T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_COMMA
};

struct token {
	enum tok_type type;
	const char *start;	/* in the source */
	size_t len;
	long col;		/* 1-based byte column */
};

enum lit_type { L_STR, L_NUM, L_BOOL, L_NULL };

struct literal {
	enum lit_type type;
	char *s;		/* L_STR, owned, NUL-terminated */
	size_t len;
	int is_time;		/* s is an RFC 3339 time, time holds it */
	struct tend_time time;
	int is_int;		/* L_NUM: i holds it exactly */
	json_int_t i;
	double d;
	int b;			/* L_BOOL */
};

struct path {
	char *buf;		/* the path with NULs for the dots */
	const char **seg;
	size_t nseg;
};

enum node_type { N_OR, N_AND, N_NOT, N_CONST, N_TEST };
enum operand_type { O_PATH, O_LEN, O_EXISTS };
enum op {
	OP_TRUTH, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_IN, OP_HAS, OP_MATCH, OP_NOMATCH
};

struct node {
	enum node_type type;
	struct node **kids;	/* N_OR, N_AND; N_NOT has one */
	size_t nkids, kids_cap;
	int value;		/* N_CONST */
	enum operand_type what;	/* N_TEST from here on */
	struct path path;
	enum op op;
	struct literal *lits;	/* one, or the list of "in" */
	size_t nlits, lits_cap;
	pcre2_code *re;
	pcre2_match_data *md;	/* scratch for eval: not thread-safe */
	pcre2_match_context *mctx;	/* borrowed from the expression */
	unsigned long *limit_hits;	/* the expression's counter */
};

struct tend_expr {
	char *src;
	struct node *root;
	pcre2_general_context *gctx;	/* created with the first regex */
	pcre2_compile_context *cctx;
	pcre2_match_context *mctx;
	unsigned long limit_hits;	/* matches that hit PCRE2's limits */
};

struct parser {
	struct tend_expr *e;
	const char *src;
	struct token *toks;
	size_t ntoks, cap, pos;
	int depth;
	int failed;
	struct tend_error *err;
};

/* What eval sees of an operand. */
enum value_type { V_MISSING, V_NULL, V_BOOL, V_NUM, V_STR, V_ARRAY, V_OBJECT };

struct value {
	enum value_type type;
	int is_int;
	json_int_t i;
	double d;
	const char *s;
	size_t len;
	int b;
	const json_t *j;
};

static const char *const keywords[] = {
	"and", "or", "not", "in", "has", "true", "false", "null", NULL
};

static void node_free(struct node *n);
static struct node *parse_or(struct parser *p);

static void
fail(struct parser *p, long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
fail(struct parser *p, long col, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = 1;
	if (!p->err)
		return;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->text, sizeof(p->err->text), fmt, ap);
	va_end(ap);
}

static const char *
quote(const char *s, size_t n, char *out, size_t size)
{
	return tend_error_quote(s, n, out, size);
}

/* ---- lexer ---- */

static int
is_word_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c >= 0x80;
}

static int
is_word_char(unsigned char c)
{
	return is_word_start(c) || (c >= '0' && c <= '9') || c == '.' ||
	    c == '-';
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
}

static void
add_token(struct parser *p, enum tok_type type, const char *start,
    size_t len)
{
	struct token *t;

	tend_xgrow((void **)&p->toks, &p->cap, p->ntoks + 1, sizeof(*t));
	t = &p->toks[p->ntoks++];
	t->type = type;
	t->start = start;
	t->len = len;
	t->col = (long)(start - p->src) + 1;
}

/* Parses [-]DIGITS[.DIGITS] into l (L_NUM); returns 0 or -1.  Done by
 * hand: strtod() would follow the locale's decimal point. */
static int
parse_number(const char *s, size_t n, struct literal *l)
{
	size_t i = s[0] == '-', start = i, fdigits = 0;
	int64_t ip = 0;
	double d = 0, frac = 0, scale = 1;
	int overflow = 0;

	for (; i < n && is_digit((unsigned char)s[i]); i++) {
		if (ip > (INT64_MAX - 9) / 10)
			overflow = 1;
		else
			ip = ip * 10 + (s[i] - '0');
		d = d * 10 + (s[i] - '0');
	}
	if (i == start)
		return -1;
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit((unsigned char)s[i]); i++, fdigits++)
			if (fdigits < 18) {
				frac = frac * 10 + (s[i] - '0');
				scale *= 10;
			}
		if (fdigits == 0)
			return -1;
	}
	if (i != n)
		return -1;
	l->type = L_NUM;
	l->is_int = !overflow && fdigits == 0;
	l->i = s[0] == '-' ? -ip : ip;
	l->d = (d + frac / scale) * (s[0] == '-' ? -1 : 1);
	return 0;
}

/* Whether s starts like a date: four digits and a hyphen. */
static int
is_date_start(const char *s)
{
	return is_digit((unsigned char)s[0]) && is_digit((unsigned char)s[1]) &&
	    is_digit((unsigned char)s[2]) && is_digit((unsigned char)s[3]) &&
	    s[4] == '-';
}

/* An unquoted RFC 3339 time at s, a string like a bare word. */
static const char *
lex_time(struct parser *p, const char *s)
{
	const char *end = s;
	struct tend_time t;
	char q[48];

	while (is_alnum((unsigned char)*end) || *end == ':' || *end == '+' ||
	    *end == '-')
		end++;
	if (tend_time_parse_rfc3339(s, (size_t)(end - s), &t) == 0)
		add_token(p, T_TIME, s, (size_t)(end - s));
	else
		fail(p, (long)(s - p->src) + 1, "invalid time \"%s\"",
		    quote(s, (size_t)(end - s), q, sizeof(q)));
	return end;
}

/* A number or a duration at p (a digit, or '-' and a digit). */
static const char *
lex_number(struct parser *p, const char *s)
{
	const char *end = s + (*s == '-');
	struct literal l;
	int64_t secs;
	char q[48];

	while (is_alnum((unsigned char)*end))
		end++;
	if (parse_number(s, (size_t)(end - s), &l) == 0)
		add_token(p, T_NUMBER, s, (size_t)(end - s));
	else if (tend_duration_parse(s, (size_t)(end - s), &secs) == 0)
		add_token(p, T_DURATION, s, (size_t)(end - s));
	else {
		const char *d = s + (*s == '-');

		while (is_digit((unsigned char)*d))
			d++;
		fail(p, (long)(s - p->src) + 1, "invalid %s \"%s\"",
		    *d && strchr("wdhms", *d) ? "duration" : "number",
		    quote(s, (size_t)(end - s), q, sizeof(q)));
	}
	return end;
}

static const char *
lex_string(struct parser *p, const char *s)
{
	const char *c = s + 1, *e;
	char q[16];

	for (; *c && *c != *s; c++) {
		if (*c != '\\')
			continue;
		if (!c[1])
			break;
		if (c[1] != '"' && c[1] != '\'' && c[1] != '\\') {
			e = c + 1;
			(void)tend_utf8_next(&e, e + strlen(e));
			fail(p, (long)(c - p->src) + 1,
			    "unknown escape \"\\%s\" in string",
			    quote(c + 1, (size_t)(e - c - 1), q, sizeof(q)));
			return e;
		}
		c++;
	}
	if (*c != *s) {
		fail(p, (long)(s - p->src) + 1, "unterminated string");
		return c;
	}
	add_token(p, T_STRING, s, (size_t)(c + 1 - s));
	return c + 1;
}

static const char *
lex_regex(struct parser *p, const char *s)
{
	const char *c = s + 1, *e;
	char q[16];

	for (; *c && *c != '/'; c++)
		if (*c == '\\' && c[1])
			c++;
	if (!*c) {
		fail(p, (long)(s - p->src) + 1, "unterminated regex");
		return c;
	}
	for (c++; is_word_char((unsigned char)*c); c++)
		if (*c != 'i' && *c != 'x' && *c != 's') {
			e = c;
			(void)tend_utf8_next(&e, e + strlen(e));
			fail(p, (long)(c - p->src) + 1,
			    "unknown regex flag \"%s\"", quote(c,
			    (size_t)(e - c), q, sizeof(q)));
			return e;
		}
	add_token(p, T_REGEX, s, (size_t)(c - s));
	return c;
}

/* An operator of one or two characters at s; returns what follows it. */
static const char *
lex_operator(struct parser *p, const char *s)
{
	static const struct {
		const char *text;
		enum tok_type type;
	} ops[] = {
		{ "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE },
		{ "!~", T_NOMATCH }, { "<", T_LT }, { ">", T_GT },
		{ "~", T_MATCH }, { "(", T_LPAREN }, { ")", T_RPAREN },
		{ "[", T_LBRACKET }, { "]", T_RBRACKET }, { ",", T_COMMA },
	};
	size_t i, n;
	char q[16];

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		n = strlen(ops[i].text);
		if (strncmp(s, ops[i].text, n) == 0) {
			add_token(p, ops[i].type, s, n);
			return s + n;
		}
	}
	n = (s[0] == '&' || s[0] == '|' || s[0] == '=') && s[1] == s[0] ? 2 : 1;
	if (*s == '=' || *s == '!' || *s == '&' || *s == '|')
		fail(p, (long)(s - p->src) + 1, "unknown operator \"%s\"%s",
		    quote(s, n, q, sizeof(q)), *s == '=' ?
		    " (did you mean \"==\"?)" : *s == '!' ?
		    " (did you mean \"not\"?)" : *s == '&' ?
		    " (did you mean \"and\"?)" : " (did you mean \"or\"?)");
	else
		fail(p, (long)(s - p->src) + 1, "unexpected character \"%s\"",
		    quote(s, 1, q, sizeof(q)));
	return s + n;
}

static int
lex(struct parser *p)
{
	const char *s = p->src, *w;

	while (!p->failed) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\f' || *s == '\v')
			s++;
		if (!*s)
			break;
		if (*s == '"' || *s == '\'')
			s = lex_string(p, s);
		else if (*s == '/')
			s = lex_regex(p, s);
		else if (is_date_start(s))
			s = lex_time(p, s);
		else if (is_digit((unsigned char)*s) ||
		    (*s == '-' && is_digit((unsigned char)s[1])))
			s = lex_number(p, s);
		else if (is_word_start((unsigned char)*s)) {
			for (w = s; is_word_char((unsigned char)*w); w++)
				;
			add_token(p, T_WORD, s, (size_t)(w - s));
			s = w;
		} else
			s = lex_operator(p, s);
	}
	add_token(p, T_END, s, 0);
	return p->failed ? -1 : 0;
}

/* ---- parser ---- */

static const struct token *
cur(const struct parser *p)
{
	return &p->toks[p->pos];
}

static const struct token *
next(struct parser *p)
{
	const struct token *t = &p->toks[p->pos];

	if (t->type != T_END)
		p->pos++;
	return t;
}

static int
is_kw(const struct token *t, const char *kw)
{
	return t->type == T_WORD && t->len == strlen(kw) &&
	    memcmp(t->start, kw, t->len) == 0;
}

static int
is_keyword(const struct token *t)
{
	size_t i;

	for (i = 0; keywords[i]; i++)
		if (is_kw(t, keywords[i]))
			return 1;
	return 0;
}

/* How a message names token t: "==", string "abc", end of expression. */
static const char *
describe(const struct token *t, char *out, size_t size)
{
	char q[48];

	if (t->type == T_END)
		snprintf(out, size, "end of expression");
	else if (t->type == T_STRING)
		snprintf(out, size, "string \"%s\"",
		    quote(t->start + 1, t->len - 2, q, sizeof(q)));
	else
		snprintf(out, size, "\"%s\"", quote(t->start, t->len, q,
		    sizeof(q)));
	return out;
}

/* Fails at the current token, naming the one before it. */
static void
unexpected(struct parser *p)
{
	const struct token *t = cur(p);
	char what[64], after[64];

	if (p->pos == 0)
		fail(p, t->col, "unexpected %s", describe(t, what,
		    sizeof(what)));
	else
		fail(p, t->col, "unexpected %s after %s",
		    describe(t, what, sizeof(what)),
		    describe(t - 1, after, sizeof(after)));
}

static int
enter(struct parser *p, const struct token *t)
{
	if (++p->depth > TEND_EXPR_MAX_DEPTH) {
		fail(p, t->col, "expression nested too deeply (more than %d "
		    "levels)", TEND_EXPR_MAX_DEPTH);
		return -1;
	}
	return 0;
}

static struct node *
node_new(enum node_type type)
{
	struct node *n = tend_xcalloc(1, sizeof(*n));

	n->type = type;
	return n;
}

static void
node_add(struct node *n, struct node *kid)
{
	tend_xgrow((void **)&n->kids, &n->kids_cap, n->nkids + 1,
	    sizeof(*n->kids));
	n->kids[n->nkids++] = kid;
}

static char *
decode_string(const struct token *t, size_t *len)
{
	char *s = tend_xmalloc(t->len), *o = s;
	size_t i;

	for (i = 1; i + 1 < t->len; i++) {
		if (t->start[i] == '\\')
			i++;
		*o++ = t->start[i];
	}
	*o = '\0';
	*len = (size_t)(o - s);
	return s;
}

/* Reads the literal at the current token into l; -1 when there is none. */
static int
parse_literal(struct parser *p, struct literal *l)
{
	const struct token *t = cur(p);
	int64_t secs;

	memset(l, 0, sizeof(*l));
	if (t->type == T_STRING) {
		l->type = L_STR;
		l->s = decode_string(t, &l->len);
	} else if (is_kw(t, "true") || is_kw(t, "false")) {
		l->type = L_BOOL;
		l->b = is_kw(t, "true");
	} else if (is_kw(t, "null")) {
		l->type = L_NULL;
	} else if ((t->type == T_WORD && !is_keyword(t)) ||
	    t->type == T_TIME) {
		l->type = L_STR;
		l->s = tend_xstrndup(t->start, t->len);
		l->len = t->len;
	} else if (t->type == T_NUMBER) {
		parse_number(t->start, t->len, l);
	} else if (t->type == T_DURATION) {
		tend_duration_parse(t->start, t->len, &secs);
		l->type = L_NUM;
		l->is_int = 1;
		l->i = secs;
		l->d = (double)secs;
	} else {
		unexpected(p);
		return -1;
	}
	if (l->type == L_STR && tend_time_parse_rfc3339(l->s, l->len,
	    &l->time) == 0)
		l->is_time = 1;
	next(p);
	return 0;
}

static void
add_literal(struct node *n, const struct literal *l)
{
	tend_xgrow((void **)&n->lits, &n->lits_cap, n->nlits + 1,
	    sizeof(*n->lits));
	n->lits[n->nlits++] = *l;
}

/* "( LIT, ... )" or "[ LIT, ... ]" after "in"; may be empty. */
static int
parse_list(struct parser *p, struct node *n)
{
	const struct token *open = cur(p);
	enum tok_type close;
	struct literal l;

	if (open->type != T_LPAREN && open->type != T_LBRACKET) {
		unexpected(p);
		return -1;
	}
	close = open->type == T_LPAREN ? T_RPAREN : T_RBRACKET;
	next(p);
	while (cur(p)->type != close) {
		if (n->nlits > 0 && cur(p)->type == T_COMMA)
			next(p);
		else if (n->nlits > 0 && cur(p)->type != T_END) {
			unexpected(p);
			return -1;
		}
		if (cur(p)->type == T_END) {
			fail(p, open->col, "unclosed \"%c\"", *open->start);
			return -1;
		}
		if (parse_literal(p, &l) < 0)
			return -1;
		add_literal(n, &l);
	}
	next(p);
	return 0;
}

/* PCRE2 allocates through these, so running out of memory is handled as
 * everywhere else. */
static void *
re_alloc(PCRE2_SIZE n, void *data)
{
	return tend_xmalloc(n);
}

static void
re_free(void *ptr, void *data)
{
	free(ptr);
}

static int
compile_regex(struct parser *p, struct node *n, const char *pat,
    size_t len, uint32_t opts, long col)
{
	struct tend_expr *e = p->e;
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE off;
	int code;

	if (!e->gctx) {
		e->gctx = pcre2_general_context_create(re_alloc, re_free, NULL);
		e->cctx = pcre2_compile_context_create(e->gctx);
		e->mctx = pcre2_match_context_create(e->gctx);
		pcre2_set_match_limit(e->mctx, TEND_EXPR_MATCH_LIMIT);
		pcre2_set_depth_limit(e->mctx, TEND_EXPR_DEPTH_LIMIT);
	}
	n->re = pcre2_compile((PCRE2_SPTR)pat, len, opts | PCRE2_UTF |
	    PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
	    &code, &off, e->cctx);
	if (!n->re) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		fail(p, col, "invalid regex: %s", (const char *)msg);
		return -1;
	}
	(void)pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE);
	n->md = pcre2_match_data_create_from_pattern(n->re, e->gctx);
	n->mctx = e->mctx;
	n->limit_hits = &e->limit_hits;
	return 0;
}

/* The pattern after "~" or "!~": /regex/flags, a string or a bare word. */
static int
parse_pattern(struct parser *p, struct node *n)
{
	const struct token *t = cur(p);
	uint32_t opts = 0;
	const char *end, *f;
	struct literal l;
	int rc;

	if (t->type == T_REGEX) {
		for (end = t->start + t->len - 1; *end != '/'; end--)
			;
		for (f = end + 1; f < t->start + t->len; f++)
			opts |= *f == 'i' ? PCRE2_CASELESS : *f == 'x' ?
			    PCRE2_EXTENDED : PCRE2_DOTALL;
		next(p);
		return compile_regex(p, n, t->start + 1,
		    (size_t)(end - t->start - 1), opts, t->col);
	}
	if (t->type != T_STRING && (t->type != T_WORD || is_keyword(t))) {
		unexpected(p);
		return -1;
	}
	parse_literal(p, &l);
	rc = compile_regex(p, n, l.s, l.len, 0, t->col);
	free(l.s);
	return rc;
}

/* Whether needle[0..nn) occurs in s[0..n). */
static int
contains(const char *s, size_t n, const char *needle, size_t nn)
{
	const char *c = s, *end = s + n;

	if (nn == 0)
		return 1;
	while ((size_t)(end - c) >= nn &&
	    (c = memchr(c, needle[0], (size_t)(end - c) - nn + 1))) {
		if (memcmp(c, needle, nn) == 0)
			return 1;
		c++;
	}
	return 0;
}

/* Splits the word t into path, refusing empty members. */
static int
parse_path(struct parser *p, const struct token *t, struct path *path)
{
	char q[48], *s, *dot;
	size_t i, n = 1;

	if (t->start[t->len - 1] == '.' || contains(t->start, t->len, "..",
	    2)) {
		fail(p, t->col, "invalid field path \"%s\"",
		    quote(t->start, t->len, q, sizeof(q)));
		return -1;
	}
	for (i = 0; i < t->len; i++)
		n += t->start[i] == '.';
	path->buf = tend_xstrndup(t->start, t->len);
	path->seg = tend_xcalloc(n, sizeof(*path->seg));
	for (s = path->buf; ; s = dot + 1) {
		path->seg[path->nseg++] = s;
		if (!(dot = strchr(s, '.')))
			break;
		*dot = '\0';
	}
	return 0;
}

/* After "len" or "exists": "( PATH )". */
static int
parse_call(struct parser *p, struct node *n)
{
	const struct token *open = next(p), *arg = cur(p);

	if (arg->type != T_WORD || is_keyword(arg)) {
		unexpected(p);
		return -1;
	}
	next(p);
	if (parse_path(p, arg, &n->path) < 0)
		return -1;
	if (cur(p)->type == T_END) {
		fail(p, open->col, "unclosed \"(\"");
		return -1;
	}
	if (cur(p)->type != T_RPAREN) {
		unexpected(p);
		return -1;
	}
	next(p);
	return 0;
}

/* PATH, len(PATH) or exists(PATH). */
static int
parse_operand(struct parser *p, struct node *n)
{
	const struct token *t = cur(p);
	char q[48];

	if (t->type != T_WORD || is_keyword(t)) {
		unexpected(p);
		return -1;
	}
	next(p);
	if (cur(p)->type != T_LPAREN) {
		n->what = O_PATH;
		return parse_path(p, t, &n->path);
	}
	if (is_kw(t, "len"))
		n->what = O_LEN;
	else if (is_kw(t, "exists"))
		n->what = O_EXISTS;
	else {
		fail(p, t->col, "unknown function \"%s\"",
		    quote(t->start, t->len, q, sizeof(q)));
		return -1;
	}
	return parse_call(p, n);
}

static enum op
operator_of(const struct token *t)
{
	switch (t->type) {
	case T_EQ: return OP_EQ;
	case T_NE: return OP_NE;
	case T_LT: return OP_LT;
	case T_LE: return OP_LE;
	case T_GT: return OP_GT;
	case T_GE: return OP_GE;
	case T_MATCH: return OP_MATCH;
	case T_NOMATCH: return OP_NOMATCH;
	default:
		break;
	}
	return is_kw(t, "in") ? OP_IN : is_kw(t, "has") ? OP_HAS : OP_TRUTH;
}

/* OPERAND [OPERATOR RIGHT] */
static struct node *
parse_test(struct parser *p)
{
	struct node *n = node_new(N_TEST);
	struct literal l;
	int rc;

	if (parse_operand(p, n) < 0)
		goto bad;
	if ((n->op = operator_of(cur(p))) == OP_TRUTH)
		return n;
	next(p);
	if (n->op == OP_IN)
		rc = parse_list(p, n);
	else if (n->op == OP_MATCH || n->op == OP_NOMATCH)
		rc = parse_pattern(p, n);
	else if ((rc = parse_literal(p, &l)) == 0)
		add_literal(n, &l);
	if (rc == 0)
		return n;
bad:
	node_free(n);
	return NULL;
}

/* "( EXPR )", true, false, or a test. */
static struct node *
parse_primary(struct parser *p)
{
	const struct token *t = cur(p);
	struct node *n;

	if (is_kw(t, "true") || is_kw(t, "false")) {
		n = node_new(N_CONST);
		n->value = is_kw(t, "true");
		next(p);
		return n;
	}
	if (t->type != T_LPAREN)
		return parse_test(p);
	if (enter(p, t) < 0)
		return NULL;
	next(p);
	n = parse_or(p);
	p->depth--;
	if (!n)
		return NULL;
	if (cur(p)->type == T_RPAREN) {
		next(p);
		return n;
	}
	if (cur(p)->type == T_END)
		fail(p, t->col, "unclosed \"(\"");
	else
		unexpected(p);
	node_free(n);
	return NULL;
}

static struct node *
parse_not(struct parser *p)
{
	const struct token *t = cur(p);
	struct node *n, *kid;

	if (!is_kw(t, "not"))
		return parse_primary(p);
	if (enter(p, t) < 0)
		return NULL;
	next(p);
	kid = parse_not(p);
	p->depth--;
	if (!kid)
		return NULL;
	n = node_new(N_NOT);
	node_add(n, kid);
	return n;
}

/* SUB (KW SUB)*: one node of type with all the SUBs as children. */
static struct node *
parse_chain(struct parser *p, const char *kw, enum node_type type,
    struct node *(*sub)(struct parser *))
{
	struct node *first, *n, *kid;

	if (!(first = sub(p)))
		return NULL;
	if (!is_kw(cur(p), kw))
		return first;
	n = node_new(type);
	node_add(n, first);
	while (is_kw(cur(p), kw)) {
		next(p);
		if (!(kid = sub(p))) {
			node_free(n);
			return NULL;
		}
		node_add(n, kid);
	}
	return n;
}

static struct node *
parse_and(struct parser *p)
{
	return parse_chain(p, "and", N_AND, parse_not);
}

static struct node *
parse_or(struct parser *p)
{
	return parse_chain(p, "or", N_OR, parse_and);
}

static void
node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->path.buf);
	free(n->path.seg);
	for (i = 0; i < n->nlits; i++)
		free(n->lits[i].s);
	free(n->lits);
	pcre2_match_data_free(n->md);
	pcre2_code_free(n->re);
	free(n);
}

struct tend_expr *
tend_expr_parse(const char *src, struct tend_error *err)
{
	struct tend_expr *e = tend_xcalloc(1, sizeof(*e));
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.e = e;
	p.src = src;
	p.err = err;
	e->src = tend_xstrdup(src);
	if (lex(&p) == 0) {
		if (p.toks[0].type == T_END)
			fail(&p, 1, "empty expression");
		else if ((e->root = parse_or(&p)) && cur(&p)->type != T_END)
			unexpected(&p);
	}
	free(p.toks);
	if (p.failed) {
		tend_expr_free(e);
		return NULL;
	}
	return e;
}

void
tend_expr_free(struct tend_expr *e)
{
	if (!e)
		return;
	node_free(e->root);
	pcre2_match_context_free(e->mctx);
	pcre2_compile_context_free(e->cctx);
	pcre2_general_context_free(e->gctx);
	free(e->src);
	free(e);
}

unsigned long
tend_expr_limit_hits(const struct tend_expr *e)
{
	return e->limit_hits;
}

const char *
tend_expr_source(const struct tend_expr *e)
{
	return e->src;
}

/* ---- evaluation ---- */

static const json_t *
lookup(const json_t *v, const struct path *path)
{
	size_t i;

	for (i = 0; i < path->nseg && v; i++)
		v = json_is_object(v) ? json_object_get(v, path->seg[i]) : NULL;
	return v;
}

static void
value_of(const json_t *j, struct value *v)
{
	memset(v, 0, sizeof(*v));
	v->j = j;
	switch (j ? json_typeof(j) : JSON_NULL) {
	case JSON_OBJECT: v->type = V_OBJECT; break;
	case JSON_ARRAY: v->type = V_ARRAY; break;
	case JSON_STRING:
		v->type = V_STR;
		v->s = json_string_value(j);
		v->len = json_string_length(j);
		break;
	case JSON_INTEGER:
		v->type = V_NUM;
		v->is_int = 1;
		v->i = json_integer_value(j);
		v->d = (double)v->i;
		break;
	case JSON_REAL:
		v->type = V_NUM;
		v->d = json_real_value(j);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		v->type = V_BOOL;
		v->b = json_is_true(j);
		break;
	case JSON_NULL:
		v->type = j ? V_NULL : V_MISSING;
		break;
	}
}

static void
set_count(struct value *v, size_t n)
{
	v->type = V_NUM;
	v->is_int = 1;
	v->i = (json_int_t)n;
	v->d = (double)n;
}

/* The value of the test's left operand in record. */
static void
operand_value(const struct node *n, const json_t *record, struct value *v)
{
	const json_t *j = lookup(record, &n->path);
	const char *s, *end;
	size_t count = 0;

	value_of(j, v);
	if (n->what == O_EXISTS) {
		memset(v, 0, sizeof(*v));
		v->type = V_BOOL;
		v->b = j != NULL;
	} else if (n->what == O_LEN && v->type == V_STR) {
		for (s = v->s, end = s + v->len; s < end; count++)
			(void)tend_utf8_next(&s, end);
		set_count(v, count);
	} else if (n->what == O_LEN && v->type == V_ARRAY)
		set_count(v, json_array_size(j));
	else if (n->what == O_LEN && v->type == V_OBJECT)
		set_count(v, json_object_size(j));
	else if (n->what == O_LEN)
		v->type = V_MISSING;
}

static int
sign(int c)
{
	return (c > 0) - (c < 0);
}

/* Bytewise, or as instants when both are RFC 3339 times. */
static int
compare_strings(const struct value *v, const struct literal *l)
{
	struct tend_time t;
	size_t n = v->len < l->len ? v->len : l->len;
	int c;

	if (l->is_time && tend_time_parse_rfc3339(v->s, v->len, &t) == 0)
		return sign(tend_time_cmp(t, l->time));
	if (n && (c = memcmp(v->s, l->s, n)) != 0)
		return sign(c);
	return (v->len > l->len) - (v->len < l->len);
}

/* Sets *c to the order of v against l (-1, 0, 1) and returns 1 when they
 * can be compared; *ordered says whether < and > mean anything. */
static int
compare(const struct value *v, const struct literal *l, int *c,
    int *ordered)
{
	*ordered = 0;
	if (v->type == V_NUM && l->type == L_NUM) {
		*ordered = 1;
		if (v->is_int && l->is_int)
			*c = (v->i > l->i) - (v->i < l->i);
		else
			*c = (v->d > l->d) - (v->d < l->d);
	} else if (v->type == V_STR && l->type == L_STR) {
		*ordered = 1;
		*c = compare_strings(v, l);
	} else if (v->type == V_BOOL && l->type == L_BOOL)
		*c = v->b != l->b;
	else if (v->type == V_NULL && l->type == L_NULL)
		*c = 0;
	else
		return 0;
	return 1;
}

static int
test_compare(const struct value *v, const struct literal *l, enum op op)
{
	int c, ordered;

	if (!compare(v, l, &c, &ordered))
		return 0;
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return ordered && c < 0;
	case OP_LE: return ordered && c <= 0;
	case OP_GT: return ordered && c > 0;
	case OP_GE: return ordered && c >= 0;
	default:
		break;
	}
	return 0;
}

static int
in_list(const struct value *v, const struct node *n)
{
	size_t i;

	for (i = 0; i < n->nlits; i++)
		if (test_compare(v, &n->lits[i], OP_EQ))
			return 1;
	return 0;
}

static int
test_in(const struct value *v, const struct node *n)
{
	const json_t *item;
	struct value iv;
	size_t i;

	if (v->type != V_ARRAY)
		return in_list(v, n);
	json_array_foreach(v->j, i, item) {
		value_of(item, &iv);
		if (in_list(&iv, n))
			return 1;
	}
	return 0;
}

static int
test_has(const struct value *v, const struct literal *l)
{
	const json_t *item;
	struct value iv;
	size_t i;

	switch (v->type) {
	case V_ARRAY:
		json_array_foreach(v->j, i, item) {
			value_of(item, &iv);
			if (test_compare(&iv, l, OP_EQ))
				return 1;
		}
		return 0;
	case V_OBJECT:
		return l->type == L_STR && json_object_get(v->j, l->s);
	case V_STR:
		return l->type == L_STR && contains(v->s, v->len, l->s,
		    l->len);
	default:
		break;
	}
	return 0;
}

/* 1 on a match, 0 on none, -1 when the match failed (a limit hit). */
static int
match_one(const struct node *n, const char *s, size_t len)
{
	int rc = pcre2_match(n->re, (PCRE2_SPTR)s, len, 0, 0, n->md,
	    n->mctx);

	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
		(*n->limit_hits)++;
	return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/* "~": the string, or any string in the array, matches.  "!~": the
 * string, or every string in the array, does not; a failed match makes
 * both false. */
static int
test_match(const struct node *n, const struct value *v)
{
	int want = n->op == OP_MATCH, r;
	const json_t *item;
	size_t i;

	if (v->type == V_STR) {
		r = match_one(n, v->s, v->len);
		return want ? r == 1 : r == 0;
	}
	if (v->type != V_ARRAY)
		return 0;
	json_array_foreach(v->j, i, item) {
		if (!json_is_string(item))
			continue;
		r = match_one(n, json_string_value(item),
		    json_string_length(item));
		if (r == 1 || (r < 0 && !want))
			return want;
	}
	return !want;
}

static int
truthy(const struct value *v)
{
	switch (v->type) {
	case V_MISSING:
	case V_NULL: return 0;
	case V_BOOL: return v->b;
	case V_NUM: return v->is_int ? v->i != 0 : v->d != 0;
	case V_STR: return v->len > 0;
	case V_ARRAY: return json_array_size(v->j) > 0;
	case V_OBJECT: return json_object_size(v->j) > 0;
	}
	return 0;
}

static int
eval_test(const struct node *n, const json_t *record)
{
	struct value v;

	operand_value(n, record, &v);
	switch (n->op) {
	case OP_TRUTH: return truthy(&v);
	case OP_IN: return test_in(&v, n);
	case OP_HAS: return test_has(&v, &n->lits[0]);
	case OP_MATCH:
	case OP_NOMATCH: return test_match(n, &v);
	default: return test_compare(&v, &n->lits[0], n->op);
	}
}

static int
eval_node(const struct node *n, const json_t *record)
{
	size_t i;

	switch (n->type) {
	case N_OR:
		for (i = 0; i < n->nkids; i++)
			if (eval_node(n->kids[i], record))
				return 1;
		return 0;
	case N_AND:
		for (i = 0; i < n->nkids; i++)
			if (!eval_node(n->kids[i], record))
				return 0;
		return 1;
	case N_NOT: return !eval_node(n->kids[0], record);
	case N_CONST: return n->value;
	case N_TEST: return eval_test(n, record);
	}
	return 0;
}

int
tend_expr_eval(const struct tend_expr *e, const json_t *record)
{
	return e && e->root ? eval_node(e->root, record) : 0;
}
