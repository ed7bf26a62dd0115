/* match.c: which rules fire for a post: keyword hits from the hash of
 * terms (one lookup a token), prefixes, phrases, then the patterns of the
 * rules that still need them. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"

void
cl_post_init(struct cl_post *p)
{
	memset(p, 0, sizeof(*p));
	tend_tokens_init(&p->tokens);
	tend_tokens_init(&p->field_tokens);
	tend_buf_init(&p->scratch);
	tend_buf_init(&p->host);
	tend_buf_init(&p->decoded);
	tend_buf_init(&p->label);
	tend_buf_init(&p->skeleton);
	tend_buf_init(&p->textbuf);
	tend_buf_init(&p->field);
	tend_buf_init(&p->field2);
}

void
cl_post_release(struct cl_post *p)
{
	tend_tokens_release(&p->tokens);
	tend_tokens_release(&p->field_tokens);
	tend_buf_release(&p->scratch);
	tend_buf_release(&p->host);
	tend_buf_release(&p->decoded);
	tend_buf_release(&p->label);
	tend_buf_release(&p->skeleton);
	tend_buf_release(&p->textbuf);
	tend_buf_release(&p->field);
	tend_buf_release(&p->field2);
	free(p->tt);
	free(p->fired);
	free(p->word_hit);
	free(p->hit_rules);
	free(p->candidates);
	free(p->matches);
	free(p->sterms);
	free(p->roles);
}

static int
is_lookup_kind(int kind)
{
	return kind == TEND_TOKEN_WORD || kind == TEND_TOKEN_HASHTAG ||
	    kind == TEND_TOKEN_EMOJI || kind == TEND_TOKEN_EMOTICON;
}

/*
 * Each token's lexicon term, or NULL.  A word the lexicons do not know
 * that ends in "'s" is looked up without it: the clitic "is" or a
 * possessive ("funeral's at 11", "nothing's working", "nobody's
 * answering").
 */
void
cl_lookup_tokens(const struct cl *cl, struct cl_post *p)
{
	size_t i;

	tend_xgrow((void **)&p->tt, &p->tt_cap, p->tokens.n + 1,
	    sizeof(*p->tt));
	for (i = 0; i < p->tokens.n; i++) {
		const struct tend_token *k = &p->tokens.v[i];
		const char *w = tend_token_text(&p->tokens, i);

		p->tt[i] = is_lookup_kind(k->kind) ? cl_term_get(cl, w,
		    k->len) : NULL;
		if (!p->tt[i] && k->kind == TEND_TOKEN_WORD && k->len > 3 &&
		    w[k->len - 2] == '\'' && w[k->len - 1] == 's')
			p->tt[i] = cl_term_get(cl, w, k->len - 2);
	}
}

static void
add_match(struct cl_post *p, uint32_t rule, int field, size_t start,
    size_t end)
{
	size_t i;

	for (i = 0; i < p->nmatches; i++)
		if (p->matches[i].rule == rule)
			return;
	tend_xgrow((void **)&p->matches, &p->matches_cap, p->nmatches + 1,
	    sizeof(*p->matches));
	p->matches[p->nmatches].rule = rule;
	p->matches[p->nmatches].field = field;
	p->matches[p->nmatches].start = start;
	p->matches[p->nmatches++].end = end;
}

static void
hit(const struct cl *cl, struct cl_post *p, uint32_t rule, uint32_t what,
    int field, const struct tend_token *from, const struct tend_token *to)
{
	if (cl->gists[rule].field != field)
		return;
	if (!p->word_hit[rule])
		p->hit_rules[p->nhit_rules++] = rule;
	p->word_hit[rule] |= what;
	if (what == CL_HIT_WORDS && cl->explain)	/* spans: for --explain */
		add_match(p, rule, field, from->src, to->src + to->src_len);
}

static void
term_hits(const struct cl *cl, struct cl_post *p, const struct cl_term *t,
    int field, const struct tend_token *from, const struct tend_token *to,
    int gates_only)
{
	uint32_t j;

	for (j = 0; j < t->n; j++)
		if (t->e[j].kind == CL_KEYWORD && (!gates_only ||
		    t->e[j].hit >= CL_HIT_GATE))
			hit(cl, p, t->e[j].rule, t->e[j].hit, field, from,
			    to);
}

/* Hits of the keyword phrases that start at token i of tk, whose first
 * word's term is t, longest first; the lookups go from the shortest and
 * stop at the first beginning no phrase has. */
static void
phrase_hits(const struct cl *cl, struct cl_post *p,
    const struct tend_tokens *tk, const struct cl_term *t, size_t i,
    int field)
{
	const struct cl_term *found[UINT8_MAX + 1];
	size_t k, n;

	for (k = 2; k <= t->phrase; k++) {
		const struct cl_term *pt;

		if (!cl_phrase_key(&p->scratch, tk, i, k, 0) ||
		    !(pt = cl_term_get(cl, p->scratch.data, p->scratch.len)))
			break;
		found[k] = pt;
		if (!pt->longer) {
			k++;
			break;
		}
	}
	for (n = k; n-- > 2; )
		term_hits(cl, p, found[n], field, &tk->v[i], &tk->v[i + n - 1],
		    0);
}

/* Hits of the prefix keywords and pattern gates that word starts with. */
static void
prefix_hits(const struct cl *cl, struct cl_post *p, const char *word,
    size_t len, int field, const struct tend_token *tok, int gates_only)
{
	const struct cl_prefixes *list;
	void **slot;
	size_t k;
	unsigned bit;

	if (len < CL_PREFIX_KEY)
		return;
	bit = cl_prefix_bit(word);
	if (!(cl->prefix_seen[bit / 8] & (1u << (bit % 8))) ||
	    !(slot = tend_strmap_get(cl->prefixes, word, CL_PREFIX_KEY)))
		return;
	list = *slot;
	for (k = 0; k < list->n; k++) {
		const struct cl_prefix *px = &list->v[k];

		if (px->len <= len && memcmp(px->text, word, px->len) == 0 &&
		    (!gates_only || px->hit >= CL_HIT_GATE))
			hit(cl, p, px->rule, px->hit, field, tok, tok);
	}
}

/* Pattern gates opened by word[0..n): where a pattern's \b sees a word
 * that is no keyword (inside a link, a handle, after an apostrophe). */
static void
gate_hits(const struct cl *cl, struct cl_post *p, const char *word,
    size_t n, int field, const struct tend_token *tok)
{
	const struct cl_term *t = cl_term_get(cl, word, n);

	if (t)
		term_hits(cl, p, t, field, tok, tok, 1);
	prefix_hits(cl, p, word, n, field, tok, 1);
}

/* The same for each word of a folded link or handle. */
static void
gate_pieces(const struct cl *cl, struct cl_post *p, const char *s,
    size_t n, int field, const struct tend_token *tok)
{
	size_t i = 0, start;

	while (i < n) {
		while (i < n && !((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || (unsigned char)s[i] >= 0x80))
			i++;
		start = i;
		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || (unsigned char)s[i] >= 0x80))
			i++;
		if (i > start)
			gate_hits(cl, p, s + start, i - start, field, tok);
	}
}

/* Keyword hits of every token of tk (its terms in tt, or looked up). */
static void
keyword_hits(const struct cl *cl, struct cl_post *p,
    const struct tend_tokens *tk, const struct cl_term **tt, int field)
{
	size_t i;

	for (i = 0; i < tk->n; i++) {
		const struct tend_token *tok = &tk->v[i];
		const struct cl_term *t;

		if (tok->kind == TEND_TOKEN_URL ||
		    tok->kind == TEND_TOKEN_MENTION) {
			gate_pieces(cl, p, tend_token_text(tk, i), tok->len,
			    field, tok);
			continue;
		}
		if (!is_lookup_kind(tok->kind) && tok->kind !=
		    TEND_TOKEN_NUMBER)
			continue;
		t = tt ? tt[i] : cl_term_get(cl, tend_token_text(tk, i),
		    tok->len);
		if (t) {
			term_hits(cl, p, t, field, tok, tok, 0);
			phrase_hits(cl, p, tk, t, i, field);
		}
		prefix_hits(cl, p, tend_token_text(tk, i), tok->len, field,
		    tok, 0);
		/* "won't": a pattern's \b also sees the "t" */
		if (tok->kind == TEND_TOKEN_WORD) {
			const char *w = tend_token_text(tk, i);
			const char *ap = memchr(w, '\'', tok->len);

			if (ap)
				gate_hits(cl, p, ap + 1, tok->len -
				    (size_t)(ap + 1 - w), field, tok);
		}
	}
}

/* Whether a PCRE2 match ended with code rc because it reached one of
 * the engine's limits (cl->mctx, or the JIT stack): no answer either way. */
int
cl_match_limited(int rc)
{
	return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}

/* Runs the patterns of rule r (unless ones or not) on s; 1 on a match. */
static int
patterns_match(const struct cl *cl, struct cl_post *p, uint32_t ri,
    int unless, const char *s, size_t n)
{
	const struct cl_rule *r = &cl->rules[ri];
	size_t j;

	for (j = 0; j < r->npatterns; j++) {
		const struct cl_pattern *pt = &r->patterns[j];
		int rc;

		if (pt->unless != unless ||
		    (p->word_hit[ri] & pt->gate) != pt->gate)
			continue;	/* a gated pattern without its words */
		/* the text is valid UTF-8 already (the line was checked) */
		rc = pt->jit ? pcre2_jit_match(pt->code, (PCRE2_SPTR)s, n, 0,
		    PCRE2_NO_UTF_CHECK, pt->md, cl->mctx) :
		    pcre2_match(pt->code, (PCRE2_SPTR)s, n, 0,
		    PCRE2_NO_UTF_CHECK, pt->md, cl->mctx);
		if (rc >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(pt->md);

			if (!unless && cl->explain)
				add_match(p, ri, r->field, ov[0], ov[1]);
			return 1;
		}
		if (cl_match_limited(rc))
			p->limit_rule = r->id;
	}
	return 0;
}

static const char *
field_string(struct cl_post *p, struct tend_record *rec, int field,
    size_t *n)
{
	const char *path = field == CL_FIELD_HANDLE ? "author.handle" :
	    "author.name";
	const char *s = tend_record_get_str(rec, path, &p->field);

	*n = s ? p->field.len : 0;
	return s;
}

struct link_patterns {
	const struct cl *cl;
	struct cl_post *p;
	uint32_t rule;
	int unless, matched;
};

static void
link_patterns_one(void *arg, const char *s, size_t n)
{
	struct link_patterns *lp = arg;

	if (!lp->matched)
		lp->matched = patterns_match(lp->cl, lp->p, lp->rule,
		    lp->unless, s, n);
}

/* 1 when rule ri's patterns (unless or not) match its field. */
static int
rule_patterns(const struct cl *cl, struct cl_post *p, struct tend_record *rec,
    uint32_t ri, int unless)
{
	const struct cl_rule *r = &cl->rules[ri];
	const char *s;
	size_t n, i;

	switch (r->field) {
	case CL_FIELD_TEXT:
		return patterns_match(cl, p, ri, unless, p->text, p->text_len);
	case CL_FIELD_LINKS: {
		struct link_patterns lp = { cl, p, ri, unless, 0 };

		tend_record_each_str(rec, "links", link_patterns_one, &lp);
		if (lp.matched)
			return 1;
		for (i = 0; i < p->tokens.n; i++)
			if (p->tokens.v[i].kind == TEND_TOKEN_URL &&
			    patterns_match(cl, p, ri, unless, p->text +
			    p->tokens.v[i].src, p->tokens.v[i].src_len))
				return 1;
		return 0;
	}
	default:
		s = field_string(p, rec, r->field, &n);
		return s ? patterns_match(cl, p, ri, unless, s, n) : 0;
	}
}

/* Keyword hits in the author's handle and name and in the links, for the
 * rules that look there. */
struct link_hits {
	const struct cl *cl;
	struct cl_post *p;
};

static void
link_hits_one(void *arg, const char *s, size_t n)
{
	struct link_hits *lh = arg;

	tend_text_tokenize(&lh->p->field_tokens, s, n, NULL, 0);
	keyword_hits(lh->cl, lh->p, &lh->p->field_tokens, NULL,
	    CL_FIELD_LINKS);
}

static void
field_hits(const struct cl *cl, struct cl_post *p, struct tend_record *rec)
{
	int f;

	for (f = CL_FIELD_HANDLE; f <= CL_FIELD_NAME; f++) {
		const char *s;
		size_t n;

		if (!cl->uses_field[f] || !(s = field_string(p, rec, f, &n)))
			continue;
		tend_text_tokenize(&p->field_tokens, s, n, NULL, 0);
		keyword_hits(cl, p, &p->field_tokens, NULL, f);
	}
	if (cl->uses_field[CL_FIELD_LINKS]) {
		struct link_hits lh = { cl, p };

		tend_record_each_str(rec, "links", link_hits_one, &lh);
	}
}

/* Whether rule i fires on the post (its language, sentiment, words,
 * patterns and exclusions). */
static inline int
rule_fires(const struct cl *cl, struct cl_post *p, struct tend_record *rec,
    size_t i, int lang, int sentiment)
{
	const struct cl_rule *r = &cl->rules[i];
	int fired;

	if (r->langs && lang >= 0 && !(r->langs & (1u << lang)))
		return 0;
	if (r->sentiment != -2 && (r->sentiment == CL_MIXED ? !p->mixed :
	    r->sentiment != sentiment))
		return 0;
	fired = p->word_hit[i] & CL_HIT_WORDS;
	if (!fired && r->has_patterns && (r->ungated ||
	    (p->word_hit[i] & ~(uint32_t)(CL_HIT_WORDS | CL_HIT_UNLESS))))
		fired = rule_patterns(cl, p, rec, (uint32_t)i, 0);
	if (!fired && !r->has_words && !r->has_patterns)
		fired = 1;	/* a sentiment rule */
	if (!fired || (p->word_hit[i] & CL_HIT_UNLESS))
		return 0;
	return !(r->npatterns && rule_patterns(cl, p, rec, (uint32_t)i, 1));
}

/*
 * Whether the post is addressed to someone, not said to the world: it
 * mentions a handle, answers a post, came by a channel that is not a
 * public timeline (e-mail, chat, a comment on a page), or is about one of
 * the care topics.  A tweet about one's day is no complaint to a brand.
 */
static int
addressed(struct cl_post *p, struct tend_record *rec, int topic)
{
	static const char *const timelines[] = { "twitter", "mastodon",
	    "reddit", NULL };
	const char *channel;
	size_t i;

	if (!rec || topic)
		return 1;
	for (i = 0; i < p->tokens.n; i++)
		if (p->tokens.v[i].kind == TEND_TOKEN_MENTION)
			return 1;
	if (tend_record_get_str(rec, "reply_to", &p->scratch))
		return 1;
	if (!(channel = tend_record_get_str(rec, "channel", &p->scratch)))
		return 1;
	for (i = 0; timelines[i]; i++)
		if (strcmp(channel, timelines[i]) == 0)
			return 0;
	return 1;
}

/* The rules that may fire on the post, in order: those with a hit
 * (sorted here: few, and mostly in order already) merged with those that
 * need none. */
static void
gather_candidates(const struct cl *cl, struct cl_post *p)
{
	uint32_t *h = p->hit_rules;
	size_t nh = p->nhit_rules, i, j, n = 0;

	for (i = 1; i < nh; i++) {
		uint32_t v = h[i];

		for (j = i; j > 0 && h[j - 1] > v; j--)
			h[j] = h[j - 1];
		h[j] = v;
	}
	for (i = j = 0; i < nh || j < cl->nhitless; )
		if (j == cl->nhitless || (i < nh && h[i] < cl->hitless[j]))
			p->candidates[n++] = h[i++];
		else {
			if (i < nh && h[i] == cl->hitless[j])
				i++;
			p->candidates[n++] = cl->hitless[j++];
		}
	p->ncandidates = n;
}

int
cl_match_rules(const struct cl *cl, struct cl_post *p, struct tend_record *rec,
    int lang, int sentiment)
{
	size_t k, nfired = 0, deferred = 0;
	int topic = 0;

	if (p->rules_cap < cl->nrules) {
		p->fired = tend_xrealloc(p->fired, cl->nrules);
		p->word_hit = tend_xrealloc(p->word_hit, cl->nrules *
		    sizeof(*p->word_hit));
		p->hit_rules = tend_xrealloc(p->hit_rules, cl->nrules *
		    sizeof(*p->hit_rules));
		p->candidates = tend_xrealloc(p->candidates, cl->nrules *
		    sizeof(*p->candidates));
		p->rules_cap = cl->nrules;
	}
	memset(p->word_hit, 0, cl->nrules * sizeof(*p->word_hit));
	memset(p->fired, 0, cl->nrules);
	p->nhit_rules = 0;
	p->nmatches = 0;
	p->limit_rule = NULL;
	keyword_hits(cl, p, &p->tokens, p->tt, CL_FIELD_TEXT);
	field_hits(cl, p, rec);
	gather_candidates(cl, p);
	for (k = 0; k < p->ncandidates; k++) {
		uint32_t i = p->candidates[k];

		if (cl->gists[i].needs & CL_NEEDS_ADDRESSED)
			deferred++;
		else if (rule_fires(cl, p, rec, i, lang, sentiment)) {
			p->fired[i] = CL_FIRED;
			nfired++;
			topic |= cl->rules[i].sets == CL_SETS_TOPIC;
		}
	}
	if (deferred) {
		int to_someone = addressed(p, rec, topic);

		for (k = 0; k < p->ncandidates; k++) {
			uint32_t i = p->candidates[k];

			if ((cl->gists[i].needs & CL_NEEDS_ADDRESSED) &&
			    rule_fires(cl, p, rec, i, lang, sentiment)) {
				p->fired[i] = to_someone ? CL_FIRED :
				    CL_TONE_ONLY;
				nfired += to_someone;
			}
		}
	}
	return (int)nfired;
}
