/* cl_learned.c: a model of the rating learned on top of the lexicon's
 * score (tend-lexicon(5), LEARNED WEIGHTS), and the fitting of it from
 * rated posts (tend-classify(1), --learn).
 *
 * The lexicon and its heuristics read what a word means; what they miss
 * is how people use words around a company: "still", "again", "finally",
 * "any update", a number of days.  A post's terms are its tokens as the
 * tokeniser folds them (numbers, mentions and links as "<number>",
 * "<mention>" and "<url>"), each pair of neighbouring tokens, and
 * "<question>" and "<exclamation>" when it asks or exclaims, and
 * "<rule:ID>" for each keyword rule that fired and counts.  Ratings
 * fall into classes, cut at +-0.5 and +-2 (strongly and mildly negative,
 * neutral, mildly and strongly positive).  For class k:
 *
 *	z_k = intercept_k + slope_k * lexicon score + the terms' weights_k
 *	p_k = exp(z_k) / sum of exp(z_j)
 *	score = sum of p_k * mean rating_k, / 4
 *
 * a term counting as often as it occurs.  The fit is multinomial logistic
 * regression with an L2 penalty on the terms' weights (not on intercepts
 * and slopes), by L-BFGS; terms of one post only are left out, as are
 * those whose weights are all too small to matter.  The label's
 * thresholds are those that label the rated posts best, each scored by a
 * model fitted without it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"

#define LEARN_MIN_POSTS 1000	/* rated posts a language needs */
#define LEARN_MIN_DF 2		/* posts a term must be in */
#define LEARN_L2 1.0		/* the penalty on the weights' squares */
#define LEARN_MIN_WEIGHT 0.1	/* terms with no weight this big are left
				 * out */
#define LEARN_ITERATIONS 400
#define LEARN_MEMORY 8		/* L-BFGS's remembered steps */
#define LEARN_FOLDS 5		/* for the label's thresholds */
#define RATING_SCALE 4.0	/* ratings run -4..+4, the score -1..+1 */
#define NEUTRAL_BELOW 0.5	/* a rating within +-0.5 is neutral */
#define STRONG_AT 2.0		/* and one of 2 or more strong */
#define NCUTS 5
#define EXPLAIN_TERMS 8		/* the terms --explain names */

/* A term's key: a word's is its hash (tend_strmap_hash); a pair's mixes
 * its words' (splitmix64's finaliser); never 0, which marks an empty
 * slot. */
static uint64_t
word_key(const char *s, size_t n)
{
	uint64_t h = tend_strmap_hash(s, n);

	return h ? h : 1;
}

static uint64_t
pair_key(uint64_t a, uint64_t b)
{
	uint64_t h = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull);

	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 29;
	return h ? h : 1;
}

/* The text a token stands for as a term. */
static const char *
term_word(const struct tend_tokens *tk, size_t i, size_t *n)
{
	static const char number[] = "<number>", mention[] = "<mention>",
	    url[] = "<url>";

	switch (tk->v[i].kind) {
	case TEND_TOKEN_NUMBER:
		*n = sizeof(number) - 1;
		return number;
	case TEND_TOKEN_MENTION:
		*n = sizeof(mention) - 1;
		return mention;
	case TEND_TOKEN_URL:
		*n = sizeof(url) - 1;
		return url;
	default:
		*n = tk->v[i].len;
		return tend_token_text(tk, i);
	}
}

static const char question[] = "<question>", exclamation[] = "<exclamation>";

/* The term of the rule with id: "<rule:ID>" into buf; its length. */
static size_t
rule_term(const char *id, char *buf, size_t size)
{
	int n = snprintf(buf, size, "<rule:%s>", id);

	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

#define RULE_TERM_MAX 160

uint64_t
cl_learned_rule_key(const char *id)
{
	char buf[RULE_TERM_MAX];

	return word_key(buf, rule_term(id, buf, sizeof(buf)));
}

/*
 * Calls fn for each of p's terms: each token (k 1), each pair of
 * neighbouring tokens from token i (k 2), "<question>" (k 0, i 0) and
 * "<exclamation>" (k 0, i 1), then each keyword rule that fired and
 * counts (k 3, i the rule), with the term's key.
 */
static void
each_term(const struct cl *cl, const struct cl_post *p,
    void (*fn)(void *, uint64_t, size_t, int), void *arg)
{
	const struct tend_tokens *tk = &p->tokens;
	uint64_t prev = 0;
	size_t i, n;

	for (i = 0; i < tk->n; i++) {
		const char *w = term_word(tk, i, &n);
		uint64_t h = word_key(w, n);

		fn(arg, h, i, 1);
		if (i > 0)
			fn(arg, pair_key(prev, h), i - 1, 2);
		prev = h;
	}
	if (tk->questions)
		fn(arg, word_key(question, sizeof(question) - 1), 0, 0);
	if (tk->exclamations)
		fn(arg, word_key(exclamation, sizeof(exclamation) - 1), 1, 0);
	for (i = 0; i < p->ncandidates; i++) {
		uint32_t r = p->candidates[i];

		if (p->fired[r] == CL_FIRED)
			fn(arg, cl->rules[r].learned_key, r, 3);
	}
}

/* The text of the term each_term() called with (i, k), into b. */
static const char *
term_text(const struct cl *cl, const struct cl_post *p, size_t i, int k,
    struct tend_buf *b)
{
	size_t n;
	const char *w;
	char buf[RULE_TERM_MAX];

	tend_buf_reset(b);
	if (k == 0)
		return i == 0 ? question : exclamation;
	if (k == 3) {
		n = rule_term(cl->rules[i].id, buf, sizeof(buf));
		tend_buf_add(b, buf, n);
		tend_buf_addc(b, '\0');
		b->len--;
		return b->data;
	}
	w = term_word(&p->tokens, i, &n);
	tend_buf_add(b, w, n);
	if (k == 2) {
		w = term_word(&p->tokens, i + 1, &n);
		tend_buf_addc(b, ' ');
		tend_buf_add(b, w, n);
	}
	tend_buf_addc(b, '\0');
	b->len--;
	return b->data;
}

static uint64_t
key_at(const struct cl_learned *l, size_t i)
{
	uint64_t key;

	memcpy(&key, l->slots + i * l->stride, sizeof(key));
	return key;
}

static float *
weights_at(const struct cl_learned *l, size_t i)
{
	return (float *)(void *)(l->slots + i * l->stride + sizeof(uint64_t));
}

/* The slot of key in l: where it is, or the empty one it would go in. */
/* Where key's probe starts. */
static size_t
home_of(const struct cl_learned *l, uint64_t key)
{
	return (size_t)(key ^ key >> 29) & (l->cap - 1);
}

static size_t
slot_of(const struct cl_learned *l, uint64_t key)
{
	size_t mask = l->cap - 1, i = home_of(l, key);
	uint64_t at;

	while ((at = key_at(l, i)) && at != key)
		i = (i + 1) & mask;
	return i;
}

static void
put_weights(struct cl_learned *l, uint64_t key, const float *w)
{
	size_t i, bytes = l->nclasses * sizeof(*w);

	if ((l->n + 1) * 4 > l->cap * 3) {	/* at most 3/4 full */
		struct cl_learned old = *l;

		l->cap = l->cap ? l->cap * 2 : 256;
		l->stride = (sizeof(uint64_t) + bytes + 7) / 8 * 8;
		l->slots = tend_xcalloc(l->cap, l->stride);
		for (i = 0; i < old.cap; i++) {
			uint64_t k = key_at(&old, i);

			if (k) {
				size_t j = slot_of(l, k);

				memcpy(l->slots + j * l->stride, old.slots +
				    i * old.stride, old.stride);
			}
		}
		free(old.slots);
	}
	i = slot_of(l, key);
	l->n += !key_at(l, i);
	memcpy(l->slots + i * l->stride, &key, sizeof(key));
	memcpy(weights_at(l, i), w, bytes);
}

/* The weights of the term with key, or NULL. */
static const float *
weights_of(const struct cl_learned *l, uint64_t key)
{
	size_t i;

	if (!l->cap)
		return NULL;
	i = slot_of(l, key);
	return key_at(l, i) ? weights_at(l, i) : NULL;
}

/* Numbers f[from..nf) into v, as many as want; -1 unless there are. */
static int
numbers(char **f, size_t nf, size_t from, float *v, size_t want)
{
	size_t i;

	if (nf != from + want)
		return -1;
	for (i = 0; i < want; i++)
		if (cl_parse_number(f[from + i], &v[i]) < 0)
			return -1;
	return 0;
}

int
cl_learned_directive(struct cl *cl, char **f, size_t nf, int lang,
    struct tend_buf *fold, struct tend_error *err)
{
	struct cl_learned *l = &cl->learned[lang];
	long col = (long)strlen(f[0]) + 2;
	float v[CL_LEARNED_CLASSES];
	const char *sp;
	size_t i;

	if (strcmp(f[0], "@learned-class") == 0) {
		if (numbers(f, nf, 1, v, 3) < 0 || v[0] < -4 || v[0] > 4)
			return tend_error_set(err, NULL, 0, col, "@learned-"
			    "class needs a mean rating from -4 to 4, an "
			    "intercept and a slope"), -1;
		if (l->n)	/* a new model: it replaces the one before */
			cl_learned_release(l);
		if (l->nclasses == CL_LEARNED_CLASSES)
			return tend_error_set(err, NULL, 0, 1, "more than %d "
			    "@learned-class lines", CL_LEARNED_CLASSES), -1;
		if (!l->nclasses) {
			l->negative_at = CL_NEGATIVE_AT;
			l->positive_at = CL_POSITIVE_AT;
		}
		l->mean[l->nclasses] = v[0];
		l->intercept[l->nclasses] = v[1];
		l->slope[l->nclasses++] = v[2];
		return 0;
	}
	if (strcmp(f[0], "@learned-labels") == 0) {
		if (numbers(f, nf, 1, v, 2) < 0 || v[0] > 0 || v[1] < 0 ||
		    v[0] < -1 || v[1] > 1)
			return tend_error_set(err, NULL, 0, col, "@learned-"
			    "labels needs a negative threshold from -1 to 0, "
			    "then a positive one from 0 to 1"), -1;
		if (l->nclasses < 2)
			return tend_error_set(err, NULL, 0, 1, "@learned-"
			    "labels before two @learned-class lines"), -1;
		l->negative_at = v[0];
		l->positive_at = v[1];
		return 0;
	}
	if (strcmp(f[0], "@learned") != 0)
		return tend_error_set(err, NULL, 0, 1, "unknown directive "
		    "'%s'", f[0]), -1;
	if (l->nclasses < 2)
		return tend_error_set(err, NULL, 0, 1, "@learned before two "
		    "@learned-class lines"), -1;
	if (nf < 2 || numbers(f, nf, 2, v, l->nclasses) < 0)
		return tend_error_set(err, NULL, 0, col, "@learned needs a "
		    "term, then a weight for each of the %zu classes",
		    l->nclasses), -1;
	for (i = 0; i < l->nclasses; i++)
		if (v[i] < -20 || v[i] > 20)
			return tend_error_set(err, NULL, 0, col, "@learned: "
			    "weight '%s' is not from -20 to 20", f[2 + i]), -1;
	cl_fold_term(fold, f[1], strlen(f[1]));
	sp = memchr(fold->data, ' ', fold->len);
	if (!fold->len || (sp && memchr(sp + 1, ' ',
	    fold->len - (size_t)(sp + 1 - fold->data))))
		return tend_error_set(err, NULL, 0, col, "@learned: a term is "
		    "one word or two"), -1;
	put_weights(l, sp ? pair_key(word_key(fold->data, (size_t)(sp -
	    fold->data)), word_key(sp + 1, fold->len - (size_t)(sp + 1 -
	    fold->data))) : word_key(fold->data, fold->len), v);
	return 0;
}

void
cl_learned_release(struct cl_learned *l)
{
	free(l->slots);
	memset(l, 0, sizeof(*l));
}

static const struct cl_learned *
learned_for(const struct cl *cl, int lang)
{
	if (lang < 0 || cl->no_learned || cl->learned[lang].nclasses < 2)
		return NULL;
	return &cl->learned[lang];
}

int
cl_label_of(const struct cl *cl, int lang, double score)
{
	const struct cl_learned *l = learned_for(cl, lang);
	double negative_at = l ? l->negative_at : CL_NEGATIVE_AT;
	double positive_at = l ? l->positive_at : CL_POSITIVE_AT;

	return score >= positive_at ? CL_POSITIVE :
	    score <= negative_at ? CL_NEGATIVE : CL_NEUTRAL;
}

/* Probabilities p[k] of n classes from their sums z[k]; returns the score,
 * the expected mean rating / 4. */
static double
softmax_score(size_t n, const double *mean, const double *z, double *p)
{
	double top = z[0], sum = 0, score = 0;
	size_t k;

	for (k = 1; k < n; k++)
		if (z[k] > top)
			top = z[k];
	for (k = 0; k < n; k++)
		sum += p[k] = exp(z[k] - top);
	for (k = 0; k < n; k++) {
		p[k] /= sum;
		score += p[k] * mean[k];
	}
	score /= RATING_SCALE;
	return score < -1 ? -1 : score > 1 ? 1 : score;
}

/*
 * The weights of a post's terms are summed a batch of keys at a time:
 * the batch's slots are prefetched first, so that their cache misses
 * overlap instead of following one another.
 */
#define KEY_BATCH 64

struct summing {
	const struct cl_learned *l;
	double z[CL_LEARNED_CLASSES];
	uint64_t key[KEY_BATCH];
	size_t n;
};

static void
sum_batch(struct summing *s)
{
	const struct cl_learned *l = s->l;
	size_t j, c;

	for (j = 0; l->cap && j < s->n; j++)
		__builtin_prefetch(l->slots + home_of(l, s->key[j]) *
		    l->stride);
	for (j = 0; j < s->n; j++) {
		const float *w = weights_of(l, s->key[j]);

		if (w)
			for (c = 0; c < l->nclasses; c++)
				s->z[c] += w[c];
	}
	s->n = 0;
}

static void
add_weights(void *arg, uint64_t key, size_t i, int k)
{
	struct summing *s = arg;

	(void)i;
	(void)k;
	s->key[s->n++] = key;
	if (s->n == KEY_BATCH)
		sum_batch(s);
}

void
cl_learned_apply(const struct cl *cl, struct cl_post *p, int lang)
{
	struct summing s;
	size_t k;

	p->learned = 0;
	p->lexicon_score = p->score;
	if (!(s.l = learned_for(cl, lang)))
		return;
	for (k = 0; k < s.l->nclasses; k++)
		s.z[k] = s.l->intercept[k] + s.l->slope[k] * p->score;
	s.n = 0;
	each_term(cl, p, add_weights, &s);
	sum_batch(&s);
	p->score = softmax_score(s.l->nclasses, s.l->mean, s.z, p->class_p);
	p->learned = 1;
}

/*
 * The explanation's terms: those with weights, by how far they pull the
 * score at the post's probabilities (the score's derivative along the
 * term's weights: sum of p_k w_k (mean_k - 4 score) / 4), farthest first.
 */
struct weighed {
	const struct cl_learned *l;
	const struct cl_post *p;
	size_t n;
	struct {
		size_t i;
		int k;
		double pull;
	} v[EXPLAIN_TERMS];
};

static void
keep_strongest(void *arg, uint64_t key, size_t i, int k)
{
	struct weighed *h = arg;
	const float *w = weights_of(h->l, key);
	double pull = 0;
	size_t c, j;

	if (!w)
		return;
	for (c = 0; c < h->l->nclasses; c++)
		pull += h->p->class_p[c] * w[c] * (h->l->mean[c] -
		    RATING_SCALE * h->p->score) / RATING_SCALE;
	if (h->n == EXPLAIN_TERMS) {
		if (fabs(pull) <= fabs(h->v[h->n - 1].pull))
			return;
		h->n--;
	}
	for (j = h->n++; j > 0 && fabs(h->v[j - 1].pull) < fabs(pull); j--)
		h->v[j] = h->v[j - 1];
	h->v[j].i = i;
	h->v[j].k = k;
	h->v[j].pull = pull;
}

void
cl_learned_explain(const struct cl *cl, const struct cl_post *p,
    struct tend_buf *e, int json)
{
	struct tend_buf t = TEND_BUF_INIT;
	struct weighed h;
	size_t j;

	if (!p->learned)
		return;
	h.l = learned_for(cl, p->lex_lang);
	h.p = p;
	h.n = 0;
	each_term(cl, p, keep_strongest, &h);
	if (json)
		tend_buf_printf(e, ",\"learned\":{\"lexicon_score\":%.4g,"
		    "\"classes\":[", p->lexicon_score);
	else
		tend_buf_adds(e, "learned");
	for (j = 0; j < h.l->nclasses; j++)
		tend_buf_printf(e, json ? "%s{\"mean\":%.4g,\"p\":%.4g}" :
		    "%s P(%.2g) %.3f", j ? "," : json ? "" : "", h.l->mean[j],
		    p->class_p[j]);
	tend_buf_adds(e, json ? "],\"terms\":[" : ", terms");
	for (j = 0; j < h.n; j++) {
		const char *s = term_text(cl, p, h.v[j].i, h.v[j].k, &t);

		if (json) {
			tend_buf_adds(e, j ? ",{\"term\":" : "{\"term\":");
			tend_json_add_string(e, s, strlen(s));
			tend_buf_printf(e, ",\"pull\":%.4g}", h.v[j].pull);
		} else {
			char q[96];

			tend_buf_printf(e, "%s\"%s\" %+.3f", j ? ", " : " ",
			    tend_error_quote(s, strlen(s), q, sizeof(q)),
			    h.v[j].pull);
		}
	}
	if (!json && !h.n)
		tend_buf_adds(e, " none");
	tend_buf_adds(e, json ? "]}" : "");
	tend_buf_release(&t);
}

/* What --learn gathers. */
struct rated {
	int lang;
	double score, rating;	/* the lexicon's, and the reader's */
	size_t first, n;	/* its terms in cl_learner.used */
};

struct cl_learner {
	struct tend_strmap *ids;	/* term text -> its index + 1 */
	const char **texts;		/* the map's copies */
	size_t nterms, terms_cap;
	struct rated *posts;
	size_t nposts, posts_cap;
	uint32_t *used;			/* the posts' terms, by index */
	size_t nused, used_cap;
	struct tend_buf text;
	const struct cl *cl;
	const struct cl_post *p;	/* the post being added */
};

struct cl_learner *
cl_learner_new(void)
{
	struct cl_learner *ln = tend_xcalloc(1, sizeof(*ln));

	ln->ids = tend_strmap_new();
	tend_buf_init(&ln->text);
	return ln;
}

void
cl_learner_free(struct cl_learner *ln)
{
	if (!ln)
		return;
	tend_strmap_free(ln->ids);
	free(ln->texts);
	free(ln->posts);
	free(ln->used);
	tend_buf_release(&ln->text);
	free(ln);
}

static void
gather_term(void *arg, uint64_t key, size_t i, int k)
{
	struct cl_learner *ln = arg;
	const char *s = term_text(ln->cl, ln->p, i, k, &ln->text);
	const char *stored;
	int added;
	void **slot = tend_strmap_put(ln->ids, s, strlen(s), &added,
	    &stored);

	(void)key;
	if (added) {
		tend_xgrow((void **)&ln->texts, &ln->terms_cap,
		    ln->nterms + 1, sizeof(*ln->texts));
		ln->texts[ln->nterms++] = stored;
		*slot = (void *)(uintptr_t)ln->nterms;
	}
	tend_xgrow((void **)&ln->used, &ln->used_cap, ln->nused + 1,
	    sizeof(*ln->used));
	ln->used[ln->nused++] = (uint32_t)((uintptr_t)*slot - 1);
}

void
cl_learner_add(struct cl_learner *ln, const struct cl *cl,
    const struct cl_post *p, double rating)
{
	struct rated *r;

	if (p->spam || p->lex_lang < 0)
		return;		/* spam scores 0 whatever it says */
	tend_xgrow((void **)&ln->posts, &ln->posts_cap, ln->nposts + 1,
	    sizeof(*ln->posts));
	r = &ln->posts[ln->nposts++];
	r->lang = p->lex_lang;
	r->score = p->score;
	r->rating = rating;
	r->first = ln->nused;
	ln->cl = cl;
	ln->p = p;
	each_term(cl, p, gather_term, ln);
	r->n = ln->nused - r->first;
}

/* One language's fit: its posts, their classes, and its terms as
 * columns. */
struct fit {
	const struct cl_learner *ln;
	size_t *post;		/* indices into ln->posts */
	size_t nposts;
	int *cls;		/* each post's class, by index into ln->posts */
	size_t nclasses;
	long *col;		/* of each term, -1: too rare */
	size_t ncols;		/* the terms' columns */
};

/*
 * The penalised loss of the model x, and its gradient into g.  x holds
 * each column's nclasses weights, then the classes' intercepts, then
 * their slopes.
 */
static double
loss(const struct fit *f, const double *x, double *g)
{
	const struct cl_learner *ln = f->ln;
	size_t K = f->nclasses, terms = f->ncols * K, n = terms + 2 * K;
	size_t i, j, k;
	double total = 0;

	memset(g, 0, n * sizeof(*g));
	for (i = 0; i < f->nposts; i++) {
		const struct rated *r = &ln->posts[f->post[i]];
		double z[CL_LEARNED_CLASSES] = { 0 }, top, sum = 0, logz;
		int y = f->cls[f->post[i]];

		for (k = 0; k < K; k++)
			z[k] = x[terms + k] + x[terms + K + k] * r->score;
		for (j = 0; j < r->n; j++) {
			long c = f->col[ln->used[r->first + j]];

			if (c >= 0)
				for (k = 0; k < K; k++)
					z[k] += x[c * K + k];
		}
		for (top = z[0], k = 1; k < K; k++)
			if (z[k] > top)
				top = z[k];
		for (k = 0; k < K; k++)
			sum += exp(z[k] - top);
		logz = top + log(sum);
		total += logz - z[y];
		for (k = 0; k < K; k++)
			z[k] = exp(z[k] - logz) - ((int)k == y);
		for (j = 0; j < r->n; j++) {
			long c = f->col[ln->used[r->first + j]];

			if (c >= 0)
				for (k = 0; k < K; k++)
					g[c * K + k] += z[k];
		}
		for (k = 0; k < K; k++) {
			g[terms + k] += z[k];
			g[terms + K + k] += z[k] * r->score;
		}
	}
	for (j = 0; j < terms; j++) {
		total += LEARN_L2 * x[j] * x[j];
		g[j] += 2 * LEARN_L2 * x[j];
	}
	return total;
}

static double
dot(const double *a, const double *b, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

/*
 * Minimises loss() from x (n values) by L-BFGS: the direction from the
 * LEARN_MEMORY last steps and gradient changes (the two-loop recursion),
 * the step by backtracking until the loss falls enough (Armijo).  Stops
 * when the loss no longer falls by a part in 10^9, or after
 * LEARN_ITERATIONS.
 */
static void
minimise(const struct fit *f, double *x, size_t n)
{
	double *s = tend_xcalloc(LEARN_MEMORY * n, sizeof(*s));
	double *y = tend_xcalloc(LEARN_MEMORY * n, sizeof(*y));
	double rho[LEARN_MEMORY], alpha[LEARN_MEMORY];
	double *g = tend_xmalloc(n * sizeof(*g)), *gnew = tend_xmalloc(n *
	    sizeof(*gnew)), *d = tend_xmalloc(n * sizeof(*d));
	double *xnew = tend_xmalloc(n * sizeof(*xnew)), fx, fnew;
	size_t it, m = 0, newest = 0, i, j;

	fx = loss(f, x, g);
	for (it = 0; it < LEARN_ITERATIONS; it++) {
		double step, slope, beta, gamma;

		memcpy(d, g, n * sizeof(*d));
		for (j = 0; j < m; j++) {
			size_t h = (newest + LEARN_MEMORY - j) % LEARN_MEMORY;

			alpha[h] = rho[h] * dot(s + h * n, d, n);
			for (i = 0; i < n; i++)
				d[i] -= alpha[h] * y[h * n + i];
		}
		if (m && rho[newest] > 0)
			gamma = 1 / (rho[newest] * dot(y + newest * n, y +
			    newest * n, n));
		else
			gamma = 1 / sqrt(dot(g, g, n) + 1e-300);
		for (i = 0; i < n; i++)
			d[i] *= gamma;
		for (j = m; j-- > 0;) {
			size_t h = (newest + LEARN_MEMORY - j) % LEARN_MEMORY;

			beta = rho[h] * dot(y + h * n, d, n);
			for (i = 0; i < n; i++)
				d[i] += s[h * n + i] * (alpha[h] - beta);
		}
		slope = -dot(g, d, n);
		if (slope >= 0) {	/* not downhill: start again */
			m = 0;
			continue;
		}
		for (step = 1;; step /= 2) {
			for (i = 0; i < n; i++)
				xnew[i] = x[i] - step * d[i];
			fnew = loss(f, xnew, gnew);
			if (fnew <= fx + 1e-4 * step * slope || step < 1e-10)
				break;
		}
		if (fnew > fx)
			break;
		newest = (newest + 1) % LEARN_MEMORY;
		for (i = 0; i < n; i++) {
			s[newest * n + i] = xnew[i] - x[i];
			y[newest * n + i] = gnew[i] - g[i];
		}
		rho[newest] = dot(y + newest * n, s + newest * n, n);
		rho[newest] = rho[newest] > 0 ? 1 / rho[newest] : 0;
		if (m < LEARN_MEMORY && rho[newest] > 0)
			m++;
		memcpy(x, xnew, n * sizeof(*x));
		memcpy(g, gnew, n * sizeof(*g));
		if (fx - fnew <= 1e-9 * fabs(fnew)) {
			fx = fnew;
			break;
		}
		fx = fnew;
	}
	free(s);
	free(y);
	free(g);
	free(gnew);
	free(d);
	free(xnew);
}

/* A model: the classes' means, intercepts and slopes, and each term's
 * weights (NULL when it has none). */
struct model {
	size_t nclasses;
	double mean[CL_LEARNED_CLASSES], intercept[CL_LEARNED_CLASSES];
	double slope[CL_LEARNED_CLASSES];
	double *w;		/* nclasses a term, by term index */
	uint8_t *has;		/* by term index */
};

/* Fits the posts f->post[0..f->nposts) into *md. */
static void
fit(struct fit *f, struct model *md)
{
	const struct cl_learner *ln = f->ln;
	size_t n = f->nposts, i, j, k, K = f->nclasses, *df, *seen, nx;
	size_t count[CL_LEARNED_CLASSES] = { 0 };
	double *x;

	df = tend_xcalloc(ln->nterms + 1, sizeof(*df));
	seen = tend_xcalloc(ln->nterms + 1, sizeof(*seen));
	md->nclasses = K;
	memset(md->mean, 0, sizeof(md->mean));
	for (i = 0; i < n; i++) {
		const struct rated *r = &ln->posts[f->post[i]];

		for (j = 0; j < r->n; j++) {
			uint32_t t = ln->used[r->first + j];

			if (seen[t] != i + 1) {
				seen[t] = i + 1;
				df[t]++;
			}
		}
		md->mean[f->cls[f->post[i]]] += r->rating;
		count[f->cls[f->post[i]]]++;
	}
	for (k = 0; k < K; k++)
		md->mean[k] = count[k] ? md->mean[k] / count[k] : 0;
	f->col = tend_xmalloc((ln->nterms + 1) * sizeof(*f->col));
	for (i = 0, f->ncols = 0; i < ln->nterms; i++)
		f->col[i] = df[i] >= LEARN_MIN_DF ? (long)f->ncols++ : -1;
	nx = f->ncols * K + 2 * K;
	x = tend_xcalloc(nx, sizeof(*x));
	minimise(f, x, nx);
	for (k = 0; k < K; k++) {
		md->intercept[k] = x[f->ncols * K + k];
		md->slope[k] = x[f->ncols * K + K + k];
	}
	for (i = 0; i < ln->nterms; i++) {
		long c = f->col[i];
		double most = 0;

		for (k = 0; c >= 0 && k < K; k++)
			if (fabs(x[c * K + k]) > most)
				most = fabs(x[c * K + k]);
		md->has[i] = most >= LEARN_MIN_WEIGHT;
		for (k = 0; k < K; k++)
			md->w[i * K + k] = md->has[i] ? x[c * K + k] : 0;
	}
	free(x);
	free(f->col);
	free(seen);
	free(df);
}

/* What md says of post r: its score. */
static double
predict(const struct cl_learner *ln, const struct rated *r,
    const struct model *md)
{
	double z[CL_LEARNED_CLASSES], p[CL_LEARNED_CLASSES];
	size_t j, k;

	for (k = 0; k < md->nclasses; k++)
		z[k] = md->intercept[k] + md->slope[k] * r->score;
	for (j = 0; j < r->n; j++) {
		uint32_t t = ln->used[r->first + j];

		for (k = 0; md->has[t] && k < md->nclasses; k++)
			z[k] += md->w[t * md->nclasses + k];
	}
	return softmax_score(md->nclasses, md->mean, z, p);
}

/*
 * The threshold on one side of 0 (sign -1 or +1) that labels the posts
 * best: a post beyond it is labelled that way, one short of it neutral.
 * Thresholds are tried in steps of THRESHOLD_STEP; each is judged with
 * its THRESHOLD_NEAR neighbours on either side, so that the choice falls
 * in the middle of a plateau rather than on a peak of a few posts.
 */
#define THRESHOLD_STEP 0.005
#define THRESHOLD_STEPS 100
#define THRESHOLD_NEAR 4

static double
best_threshold(const double *pred, const double *rating, size_t n,
    int sign)
{
	long right[THRESHOLD_STEPS + 1] = { 0 }, most = -1;
	int step, best = 0, k;
	size_t i;

	for (step = 1; step <= THRESHOLD_STEPS; step++)
		for (i = 0; i < n; i++) {
			double x = pred[i] * sign, g = rating[i] * sign;

			if (x <= 0)
				continue;
			if (x >= step * THRESHOLD_STEP)
				right[step] += g >= NEUTRAL_BELOW;
			else
				right[step] += fabs(g) < NEUTRAL_BELOW;
		}
	for (step = 1; step <= THRESHOLD_STEPS; step++) {
		long near = 0;

		for (k = step - THRESHOLD_NEAR; k <= step + THRESHOLD_NEAR; k++)
			near += right[k < 1 ? 1 : k > THRESHOLD_STEPS ?
			    THRESHOLD_STEPS : k];
		if (near > most) {
			most = near;
			best = step;
		}
	}
	return sign * best * THRESHOLD_STEP;
}

struct weighed_term {
	const char *text;
	const double *w;
};

static int
by_text(const void *a, const void *b)
{
	return strcmp(((const struct weighed_term *)a)->text,
	    ((const struct weighed_term *)b)->text);
}

/* v, or 0 when it is no more than the fit's rounding noise (what a
 * class's intercept is where only the terms tell classes apart). */
static double
tidy(double v)
{
	return fabs(v) < 1e-6 ? 0 : v;
}

/* The class of a rating: strongly or mildly negative, neutral, mildly or
 * strongly positive. */
static int
rating_class(double rating)
{
	return rating <= -STRONG_AT ? 0 : rating <= -NEUTRAL_BELOW ? 1 :
	    rating < NEUTRAL_BELOW ? 2 : rating < STRONG_AT ? 3 : 4;
}

static void
new_model(struct model *md, size_t nterms)
{
	md->w = tend_xcalloc((nterms + 1) * CL_LEARNED_CLASSES,
	    sizeof(*md->w));
	md->has = tend_xcalloc(nterms + 1, 1);
}

/*
 * Fits language lang on its f->nposts posts and appends its lines.  The
 * label's thresholds are chosen on what each post's score would be from
 * a model fitted without it (LEARN_FOLDS-fold cross-validation): on the
 * posts it was fitted on, a model's scores lie further from 0 than on new
 * ones.
 */
static void
fit_language(struct fit *f, const struct cl *cl, int lang,
    struct tend_buf *out)
{
	const struct cl_learner *ln = f->ln;
	size_t n = f->nposts, i, k, nkept = 0, *all = f->post;
	size_t count[NCUTS] = { 0 };
	int to[NCUTS];
	double *pred = tend_xmalloc((n + 1) * sizeof(*pred));
	double *rating = tend_xmalloc((n + 1) * sizeof(*rating));
	struct model md;
	struct weighed_term *kept;

	for (i = 0; i < n; i++)
		count[rating_class(ln->posts[all[i]].rating)]++;
	for (k = 0, f->nclasses = 0; k < NCUTS; k++)
		to[k] = count[k] ? (int)f->nclasses++ : -1;
	for (i = 0; i < n; i++)
		f->cls[all[i]] = to[rating_class(ln->posts[all[i]].rating)];
	new_model(&md, ln->nterms);
	f->post = tend_xmalloc((n + 1) * sizeof(*f->post));
	for (k = 0; k < LEARN_FOLDS; k++) {
		for (i = 0, f->nposts = 0; i < n; i++)
			if (i % LEARN_FOLDS != k)
				f->post[f->nposts++] = all[i];
		fit(f, &md);
		for (i = k; i < n; i += LEARN_FOLDS)
			pred[i] = predict(ln, &ln->posts[all[i]], &md);
	}
	free(f->post);
	f->post = all;
	f->nposts = n;
	for (i = 0; i < n; i++)
		rating[i] = ln->posts[all[i]].rating;
	fit(f, &md);
	tend_buf_printf(out, "@lang\t%s\n", cl->langs[lang]);
	for (k = 0; k < md.nclasses; k++)
		tend_buf_printf(out, "@learned-class\t%.4g\t%.6g\t%.6g\n",
		    md.mean[k], tidy(md.intercept[k]), tidy(md.slope[k]));
	tend_buf_printf(out, "@learned-labels\t%.3g\t%.3g\n",
	    best_threshold(pred, rating, n, -1),
	    best_threshold(pred, rating, n, 1));
	kept = tend_xmalloc((ln->nterms + 1) * sizeof(*kept));
	for (i = 0; i < ln->nterms; i++)
		if (md.has[i]) {
			kept[nkept].text = ln->texts[i];
			kept[nkept++].w = md.w + i * md.nclasses;
		}
	qsort(kept, nkept, sizeof(*kept), by_text);
	for (i = 0; i < nkept; i++) {
		tend_buf_printf(out, "@learned\t%s", kept[i].text);
		for (k = 0; k < md.nclasses; k++)
			tend_buf_printf(out, "\t%.3g", kept[i].w[k]);
		tend_buf_addc(out, '\n');
	}
	free(kept);
	free(md.w);
	free(md.has);
	free(pred);
	free(rating);
}

int
cl_learner_write(struct cl_learner *ln, const struct cl *cl,
    struct tend_buf *out)
{
	struct fit f;
	size_t counts[CL_MAXLANG] = { 0 }, i;
	int lang, wrote = 0;

	for (i = 0; i < ln->nposts; i++)
		counts[ln->posts[i].lang]++;
	tend_buf_printf(out, "# learned model (tend-lexicon(5), LEARNED "
	    "WEIGHTS), written by tend-classify --learn\n# from %zu rated "
	    "posts: learn it again rather than edit it\n", ln->nposts);
	memset(&f, 0, sizeof(f));
	f.ln = ln;
	f.post = tend_xmalloc((ln->nposts + 1) * sizeof(*f.post));
	f.cls = tend_xmalloc((ln->nposts + 1) * sizeof(*f.cls));
	for (lang = 1; lang < (int)cl->nlangs; lang++) {
		if (counts[lang] < LEARN_MIN_POSTS)
			continue;
		for (i = 0, f.nposts = 0; i < ln->nposts; i++)
			if (ln->posts[i].lang == lang)
				f.post[f.nposts++] = i;
		fit_language(&f, cl, lang, out);
		wrote++;
	}
	free(f.post);
	free(f.cls);
	if (!wrote) {
		tend_buf_reset(out);
		tend_buf_printf(out, "no language has %d rated posts (",
		    LEARN_MIN_POSTS);
		for (lang = 1, i = 0; lang < (int)cl->nlangs; lang++)
			if (counts[lang])
				tend_buf_printf(out, "%s%s %zu", i++ ? ", " :
				    "", cl->langs[lang], counts[lang]);
		tend_buf_adds(out, i ? ")" : "none rated)");
	}
	return wrote;
}
