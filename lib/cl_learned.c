/* cl_learned.c: learned weights that correct the lexicon's sentiment
 * score (tend-lexicon(5), LEARNED WEIGHTS), and the fitting of them from
 * rated posts (tend-classify(1), --learn).
 *
 * The lexicon and its heuristics read what a word means; what they miss
 * is how people use words around a company: "still", "again", "finally",
 * "any update", a number of days.  A post's terms are its tokens as the
 * tokeniser folds them (numbers, mentions and links as "<number>",
 * "<mention>" and "<url>"), each pair of neighbouring tokens, and
 * "<question>" and "<exclamation>" when it asks or exclaims.  Each term
 * with a learned weight adds it, counted as often as the term occurs:
 *
 *	score = slope * lexicon score + intercept + the terms' weights
 *
 * kept within [-1, 1].  The fit is ridge regression of the human rating
 * (divided by 4, the score's scale) on the lexicon score and the terms,
 * solved by conjugate gradients; the terms of one post only are dropped,
 * as are weights too small to matter; the label's thresholds are those
 * that label the rated posts best, each scored with weights fitted
 * without it.
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
#define LEARN_RIDGE 30.0	/* the penalty on the weights' squares */
#define LEARN_MIN_WEIGHT 0.0025	/* smaller weights are left out */
#define LEARN_ITERATIONS 1000
#define LEARN_FOLDS 5		/* for the label's thresholds */
#define RATING_SCALE 4.0	/* ratings run -4..+4, the score -1..+1 */
#define NEUTRAL_BELOW 0.5	/* a rating within +-0.5 is neutral */
#define EXPLAIN_TERMS 8		/* the heaviest terms --explain names */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t
fnv(uint64_t h, const char *s, size_t n)
{
	while (n--) {
		h ^= (unsigned char)*s++;
		h *= FNV_PRIME;
	}
	return h ? h : 1;	/* 0 marks an empty slot */
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

/*
 * Calls fn for each of p's terms: each token (k 1), each pair of
 * neighbouring tokens from token i (k 2), then "<question>" (k 0, i 0)
 * and "<exclamation>" (k 0, i 1), with the term's key.
 */
static void
each_term(const struct cl_post *p, void (*fn)(void *, uint64_t, size_t,
    int), void *arg)
{
	const struct tend_tokens *tk = &p->tokens;
	uint64_t prev = 0;
	size_t i, n;

	for (i = 0; i < tk->n; i++) {
		const char *w = term_word(tk, i, &n);
		uint64_t h = fnv(FNV_OFFSET, w, n);

		fn(arg, h, i, 1);
		if (i > 0)
			fn(arg, fnv(fnv(prev, " ", 1), w, n), i - 1, 2);
		prev = h;
	}
	if (tk->questions)
		fn(arg, fnv(FNV_OFFSET, question, sizeof(question) - 1), 0, 0);
	if (tk->exclamations)
		fn(arg, fnv(FNV_OFFSET, exclamation, sizeof(exclamation) - 1),
		    1, 0);
}

/* The text of the term each_term() called with (i, k), into b. */
static const char *
term_text(const struct cl_post *p, size_t i, int k, struct tend_buf *b)
{
	size_t n;
	const char *w;

	tend_buf_reset(b);
	if (k == 0)
		return i == 0 ? question : exclamation;
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

/* The slot of key in l: where it is, or the empty one it would go in. */
static size_t
slot_of(const struct cl_learned *l, uint64_t key)
{
	size_t mask = l->cap - 1, i = (size_t)(key ^ key >> 29) & mask;

	while (l->keys[i] && l->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static void
put_weight(struct cl_learned *l, uint64_t key, float w)
{
	size_t i;

	if ((l->n + 1) * 2 > l->cap) {
		struct cl_learned old = *l;

		l->cap = l->cap ? l->cap * 2 : 256;
		l->keys = tend_xcalloc(l->cap, sizeof(*l->keys));
		l->weights = tend_xcalloc(l->cap, sizeof(*l->weights));
		for (i = 0; i < old.cap; i++)
			if (old.keys[i]) {
				size_t j = slot_of(l, old.keys[i]);

				l->keys[j] = old.keys[i];
				l->weights[j] = old.weights[i];
			}
		free(old.keys);
		free(old.weights);
	}
	i = slot_of(l, key);
	l->n += !l->keys[i];
	l->keys[i] = key;
	l->weights[i] = w;
}

static float
weight_of(const struct cl_learned *l, uint64_t key)
{
	size_t i;

	if (!l->cap)
		return 0;
	i = slot_of(l, key);
	return l->keys[i] ? l->weights[i] : 0;
}

static void
learned_on(struct cl_learned *l)
{
	if (l->on)
		return;
	l->on = 1;
	l->slope = 1;
	l->intercept = 0;
	l->negative_at = CL_NEGATIVE_AT;
	l->positive_at = CL_POSITIVE_AT;
}

/* Two numbers, fields f[1] and f[2], into a and b. */
static int
two_numbers(char **f, size_t nf, float *a, float *b, const char *what,
    struct tend_error *err)
{
	long col = (long)strlen(f[0]) + 2;

	if (nf < 3 || cl_parse_number(f[1], a) < 0 ||
	    cl_parse_number(f[2], b) < 0)
		return tend_error_set(err, NULL, 0, col, "%s needs %s", f[0],
		    what), -1;
	return 0;
}

int
cl_learned_directive(struct cl *cl, char **f, size_t nf, int lang,
    struct tend_buf *fold, struct tend_error *err)
{
	struct cl_learned *l = &cl->learned[lang];
	long col = (long)strlen(f[0]) + 2;
	const char *sp;
	float a, b;

	if (strcmp(f[0], "@learned-base") == 0) {
		if (two_numbers(f, nf, &a, &b, "a slope and an intercept",
		    err) < 0)
			return -1;
		if (a < 0 || a > 10 || b < -1 || b > 1)
			return tend_error_set(err, NULL, 0, col, "@learned-"
			    "base: slope 0 to 10 and intercept -1 to 1"), -1;
		learned_on(l);
		l->slope = a;
		l->intercept = b;
		return 0;
	}
	if (strcmp(f[0], "@learned-labels") == 0) {
		if (two_numbers(f, nf, &a, &b, "the negative and positive "
		    "thresholds", err) < 0)
			return -1;
		if (a > 0 || b < 0 || a < -1 || b > 1)
			return tend_error_set(err, NULL, 0, col, "@learned-"
			    "labels: a negative threshold from -1 to 0, then "
			    "a positive one from 0 to 1"), -1;
		learned_on(l);
		l->negative_at = a;
		l->positive_at = b;
		return 0;
	}
	if (strcmp(f[0], "@learned") != 0)
		return tend_error_set(err, NULL, 0, 1, "unknown directive "
		    "'%s'", f[0]), -1;
	if (nf < 3 || cl_parse_number(f[2], &a) < 0 || a < -1 || a > 1)
		return tend_error_set(err, NULL, 0, col, "@learned needs a "
		    "term, then a weight from -1 to 1"), -1;
	cl_fold_term(fold, f[1], strlen(f[1]));
	sp = memchr(fold->data, ' ', fold->len);
	if (!fold->len || (sp && memchr(sp + 1, ' ',
	    fold->len - (size_t)(sp + 1 - fold->data))))
		return tend_error_set(err, NULL, 0, col, "@learned: a term is "
		    "one word or two"), -1;
	learned_on(l);
	put_weight(l, fnv(FNV_OFFSET, fold->data, fold->len), a);
	return 0;
}

void
cl_learned_release(struct cl_learned *l)
{
	free(l->keys);
	free(l->weights);
	memset(l, 0, sizeof(*l));
}

static const struct cl_learned *
learned_for(const struct cl *cl, int lang)
{
	if (lang < 0 || cl->no_learned || !cl->learned[lang].on)
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

struct summing {
	const struct cl_learned *l;
	double sum;
};

static void
add_weight(void *arg, uint64_t key, size_t i, int k)
{
	struct summing *s = arg;

	(void)i;
	(void)k;
	s->sum += weight_of(s->l, key);
}

void
cl_learned_apply(const struct cl *cl, struct cl_post *p, int lang)
{
	struct summing s;
	double x;

	p->learned = 0;
	p->lexicon_score = p->score;
	if (!(s.l = learned_for(cl, lang)))
		return;
	s.sum = 0;
	each_term(p, add_weight, &s);
	x = s.l->slope * p->score + s.l->intercept + s.sum;
	p->learned = 1;
	p->learned_sum = s.sum;
	p->score = x < -1 ? -1 : x > 1 ? 1 : x;
}

/* The explanation's terms: those with a weight, heaviest first. */
struct weighed {
	const struct cl_learned *l;
	size_t n;
	struct {
		size_t i;
		int k;
		float w;
	} v[EXPLAIN_TERMS];
};

static void
keep_heaviest(void *arg, uint64_t key, size_t i, int k)
{
	struct weighed *h = arg;
	float w = weight_of(h->l, key);
	size_t j;

	if (w == 0)
		return;
	if (h->n == EXPLAIN_TERMS) {
		if (fabsf(w) <= fabsf(h->v[h->n - 1].w))
			return;
		h->n--;
	}
	for (j = h->n++; j > 0 && fabsf(h->v[j - 1].w) < fabsf(w); j--)
		h->v[j] = h->v[j - 1];
	h->v[j].i = i;
	h->v[j].k = k;
	h->v[j].w = w;
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
	h.n = 0;
	each_term(p, keep_heaviest, &h);
	if (json)
		tend_buf_printf(e, ",\"learned\":{\"lexicon_score\":%.4g,"
		    "\"slope\":%.4g,\"intercept\":%.4g,\"weights\":%.4g,"
		    "\"terms\":[", p->lexicon_score, h.l->slope,
		    h.l->intercept, p->learned_sum);
	else
		tend_buf_printf(e, "learned %.3f x %.4f %+.4f, terms %+.4f",
		    h.l->slope, p->lexicon_score, h.l->intercept,
		    p->learned_sum);
	for (j = 0; j < h.n; j++) {
		const char *s = term_text(p, h.v[j].i, h.v[j].k, &t);

		if (json) {
			tend_buf_adds(e, j ? ",{\"term\":" : "{\"term\":");
			tend_json_add_string(e, s, strlen(s));
			tend_buf_printf(e, ",\"weight\":%.4g}", h.v[j].w);
		} else {
			char q[96];

			tend_buf_printf(e, "%s\"%s\" %+.3f", j ? ", " : " (",
			    tend_error_quote(s, strlen(s), q, sizeof(q)),
			    h.v[j].w);
		}
	}
	tend_buf_adds(e, json ? "]}" : h.n ? ")" : "");
	tend_buf_release(&t);
}

/* What --learn gathers. */
struct rated {
	int lang;
	double score, rating;	/* the lexicon's, and the reader's / 4 */
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
	const char *s = term_text(ln->p, i, k, &ln->text);
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
cl_learner_add(struct cl_learner *ln, const struct cl_post *p,
    double rating)
{
	struct rated *r;

	if (p->spam || p->lex_lang < 0)
		return;		/* spam scores 0 whatever it says */
	tend_xgrow((void **)&ln->posts, &ln->posts_cap, ln->nposts + 1,
	    sizeof(*ln->posts));
	r = &ln->posts[ln->nposts++];
	r->lang = p->lex_lang;
	r->score = p->score;
	r->rating = rating / RATING_SCALE;
	r->first = ln->nused;
	ln->p = p;
	each_term(p, gather_term, ln);
	r->n = ln->nused - r->first;
}

/* One language's fit: its posts, and its terms as columns. */
struct fit {
	const struct cl_learner *ln;
	size_t *post;		/* indices into ln->posts */
	size_t nposts;
	long *col;		/* of each term, -1: too rare */
	size_t ncols;		/* the terms' columns and the intercept's */
	double *u;		/* a value per post */
};

/* y = (X'X + ridge) x: X the posts' term counts, the last column 1 for
 * the intercept, which is not penalised. */
static void
normal_times(const struct fit *f, const double *x, double *y)
{
	size_t i, j, last = f->ncols - 1;

	for (i = 0; i < f->nposts; i++) {
		const struct rated *r = &f->ln->posts[f->post[i]];
		double s = x[last];

		for (j = 0; j < r->n; j++) {
			long c = f->col[f->ln->used[r->first + j]];

			if (c >= 0)
				s += x[c];
		}
		f->u[i] = s;
	}
	for (j = 0; j < last; j++)
		y[j] = LEARN_RIDGE * x[j];
	y[last] = 0;
	for (i = 0; i < f->nposts; i++) {
		const struct rated *r = &f->ln->posts[f->post[i]];

		for (j = 0; j < r->n; j++) {
			long c = f->col[f->ln->used[r->first + j]];

			if (c >= 0)
				y[c] += f->u[i];
		}
		y[last] += f->u[i];
	}
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

/* Solves (X'X + ridge) w = X'resid by conjugate gradients. */
static void
solve(const struct fit *f, const double *resid, double *w)
{
	size_t n = f->ncols, i, j, it;
	double *r = tend_xcalloc(n, sizeof(*r)), *d = tend_xcalloc(n,
	    sizeof(*d)), *q = tend_xcalloc(n, sizeof(*q)), rr, goal;

	for (i = 0; i < f->nposts; i++) {
		const struct rated *p = &f->ln->posts[f->post[i]];

		for (j = 0; j < p->n; j++) {
			long c = f->col[f->ln->used[p->first + j]];

			if (c >= 0)
				r[c] += resid[i];
		}
		r[n - 1] += resid[i];
	}
	memcpy(d, r, n * sizeof(*d));
	memset(w, 0, n * sizeof(*w));
	rr = dot(r, r, n);
	goal = rr * 1e-14;
	for (it = 0; it < LEARN_ITERATIONS && rr > goal; it++) {
		double alpha, rr2;

		normal_times(f, d, q);
		alpha = rr / dot(d, q, n);
		for (i = 0; i < n; i++) {
			w[i] += alpha * d[i];
			r[i] -= alpha * q[i];
		}
		rr2 = dot(r, r, n);
		for (i = 0; i < n; i++)
			d[i] = r[i] + rr2 / rr * d[i];
		rr = rr2;
	}
	free(r);
	free(d);
	free(q);
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
			double x = pred[i] * sign, g = rating[i] * sign *
			    RATING_SCALE;

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
	double w;
};

static int
by_text(const void *a, const void *b)
{
	return strcmp(((const struct weighed_term *)a)->text,
	    ((const struct weighed_term *)b)->text);
}

/* A language's weights: slope a and intercept b on the lexicon's score,
 * and each term's weight (0 for those left out). */
struct fitted {
	double a, b;
	double *w;		/* by term index */
};

/* Fits the posts f->post[0..f->nposts) into *fd. */
static void
fit(struct fit *f, struct fitted *fd)
{
	const struct cl_learner *ln = f->ln;
	size_t n = f->nposts, i, j, *df, *seen;
	double sx = 0, sy = 0, sxx = 0, sxy = 0, *resid, *w;

	df = tend_xcalloc(ln->nterms, sizeof(*df));
	seen = tend_xcalloc(ln->nterms, sizeof(*seen));
	for (i = 0; i < n; i++) {
		const struct rated *r = &ln->posts[f->post[i]];

		for (j = 0; j < r->n; j++) {
			uint32_t t = ln->used[r->first + j];

			if (seen[t] != i + 1) {
				seen[t] = i + 1;
				df[t]++;
			}
		}
		sx += r->score;
		sy += r->rating;
		sxx += r->score * r->score;
		sxy += r->score * r->rating;
	}
	f->col = tend_xmalloc((ln->nterms + 1) * sizeof(*f->col));
	for (i = 0, f->ncols = 0; i < ln->nterms; i++)
		f->col[i] = df[i] >= LEARN_MIN_DF ? (long)f->ncols++ : -1;
	f->ncols++;	/* the intercept */
	fd->a = n * sxx - sx * sx > 0 ? (n * sxy - sx * sy) / (n * sxx -
	    sx * sx) : 0;
	fd->b = (sy - fd->a * sx) / n;
	resid = tend_xmalloc((n + 1) * sizeof(*resid));
	for (i = 0; i < n; i++) {
		const struct rated *r = &ln->posts[f->post[i]];

		resid[i] = r->rating - fd->a * r->score - fd->b;
	}
	w = tend_xcalloc(f->ncols, sizeof(*w));
	f->u = tend_xmalloc((n + 1) * sizeof(*f->u));
	solve(f, resid, w);
	fd->b += w[f->ncols - 1];
	for (i = 0; i < ln->nterms; i++)
		fd->w[i] = f->col[i] >= 0 && fabs(w[f->col[i]]) >=
		    LEARN_MIN_WEIGHT ? w[f->col[i]] : 0;
	free(f->u);
	free(w);
	free(resid);
	free(f->col);
	free(seen);
	free(df);
}

/* What fd says of post r: the corrected score. */
static double
predict(const struct cl_learner *ln, const struct rated *r,
    const struct fitted *fd)
{
	double x = fd->a * r->score + fd->b;
	size_t j;

	for (j = 0; j < r->n; j++)
		x += fd->w[ln->used[r->first + j]];
	return x < -1 ? -1 : x > 1 ? 1 : x;
}

/*
 * Fits language lang on its f->nposts posts and appends its lines.  The
 * label's thresholds are chosen on what each post's score would be with
 * weights fitted without it (LEARN_FOLDS-fold cross-validation): on the
 * posts they were fitted on, scores lie further from 0 than on new ones.
 */
static void
fit_language(struct fit *f, const struct cl *cl, int lang,
    struct tend_buf *out)
{
	const struct cl_learner *ln = f->ln;
	size_t n = f->nposts, i, k, nkept = 0, *all = f->post;
	double *pred = tend_xmalloc((n + 1) * sizeof(*pred));
	double *rating = tend_xmalloc((n + 1) * sizeof(*rating));
	struct fitted fd;
	struct weighed_term *kept;

	fd.w = tend_xcalloc(ln->nterms + 1, sizeof(*fd.w));
	f->post = tend_xmalloc((n + 1) * sizeof(*f->post));
	for (k = 0; k < LEARN_FOLDS; k++) {
		for (i = 0, f->nposts = 0; i < n; i++)
			if (i % LEARN_FOLDS != k)
				f->post[f->nposts++] = all[i];
		fit(f, &fd);
		for (i = k; i < n; i += LEARN_FOLDS)
			pred[i] = predict(ln, &ln->posts[all[i]], &fd);
	}
	free(f->post);
	f->post = all;
	f->nposts = n;
	for (i = 0; i < n; i++)
		rating[i] = ln->posts[all[i]].rating;
	fit(f, &fd);
	tend_buf_printf(out, "@lang\t%s\n@learned-base\t%.6g\t%.6g\n"
	    "@learned-labels\t%.3g\t%.3g\n", cl->langs[lang], fd.a, fd.b,
	    best_threshold(pred, rating, n, -1),
	    best_threshold(pred, rating, n, 1));
	kept = tend_xmalloc((ln->nterms + 1) * sizeof(*kept));
	for (i = 0; i < ln->nterms; i++)
		if (fd.w[i] != 0) {
			kept[nkept].text = ln->texts[i];
			kept[nkept++].w = fd.w[i];
		}
	qsort(kept, nkept, sizeof(*kept), by_text);
	for (i = 0; i < nkept; i++)
		tend_buf_printf(out, "@learned\t%s\t%.4g\n", kept[i].text,
		    kept[i].w);
	free(kept);
	free(fd.w);
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
	tend_buf_printf(out, "# learned weights (tend-lexicon(5), LEARNED "
	    "WEIGHTS), written by tend-classify --learn\n# from %zu rated "
	    "posts: learn them again rather than edit them\n", ln->nposts);
	memset(&f, 0, sizeof(f));
	f.ln = ln;
	f.post = tend_xmalloc((ln->nposts + 1) * sizeof(*f.post));
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
