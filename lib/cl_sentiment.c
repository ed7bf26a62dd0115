/* cl_sentiment.c: lexicon sentiment with the heuristics that make it work
 * on social text (tend-classify(1), SENTIMENT): phrases before words;
 * elongated words looked up squeezed, alone and in phrases; ALL-CAPS
 * emphasis; boosters and dampeners up to three words before (or one
 * after: "bagus banget"); negation up to three words before (never of an
 * emoji); contrast words ("but", "tapi", "ampak") halve what comes before
 * and raise what follows; a remedy near a fault, or a resolution that
 * ends the story, puts it right; irony turns praise round; manners count
 * little where the post is about something else; questions count half;
 * '!' and '?' emphasis; ratings ("7.5/10", "5 stars") count by their
 * place on the scale; a few words quoted back, or a negation with nothing
 * to turn round, count as a mild fault; the sum normalised into [-1, 1]
 * as x / sqrt(x^2 + 15); and whether the post weighs praise against
 * fault ("mixed"). */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"

#define CAPS_EMPHASIS 0.733
#define NEGATION_SCALE (-0.74)
#define BEFORE_CONTRAST 0.5
#define AFTER_CONTRAST 1.5
#define EXCLAMATION 0.292
#define QUESTION 0.18
#define NORMALISE_ALPHA 15.0
#define IRONY_SCALE (-0.74)
#define COURTESY_SCALE 0.25
#define IN_QUESTION 0.5
#define PRAISE_IN_QUESTION 0.25
#define REMEDY_SCALE (-0.5)
#define QUOTED (-1.0)
#define LONE_NEGATION (-1.0)
#define ECHO (-1.0)
#define HASHTAG_NEGATOR (-1.0)	/* "#not": an irony marker of this valence */

#define THANKS_AT 1.0	/* courtesy of this valence or more thanks */
#define ASKS_BELOW 1.5	/* courtesy under this asks or greets: "please",
			 * "good morning" */

/* Mixed feelings: the lighter of praise and fault weighs this much of the
 * heavier at least. */
#define MIXED_AT 0.5
#define NEAR 3		/* words a negator, booster or remedy reaches */
#define REMEDY_AHEAD 4	/* and a remedy forward: "fixed most of the bugs" */
#define SUPERLATIVE_AFTER 8	/* words after its term a superlative reaches:
				 * "can't recommend that taco truck enough" */

enum role { ROLE_NONE, ROLE_VALENCE, ROLE_NEGATOR, ROLE_BOOSTER,
	ROLE_CONTRAST, ROLE_INSIDE, ROLE_IRONY, ROLE_COURTESY };

struct tok_role {
	uint8_t role;
	uint8_t negates;	/* a phrase with its own negator ("ni slabo") */
	uint8_t asked;		/* its sentence ends in '?' */
	uint8_t superlative;	/* "enough": a negation near it praises */
	uint8_t remedy;		/* "fixed": a problem near it is over */
	uint8_t repair;		/* "fix": a negator before it is its own */
	uint8_t corrects;	/* "not" after a comma: "Portugal, not Italy" */
	uint8_t resolves;	/* "refunded": the story's trouble is over */
	uint8_t sincere;	/* "legends": praise seldom said in irony */
	float value;
};

/* The languages to look a term up in, best first: "*" (emoji, a user's
 * own lexicon), the post's language, then English for mixed posts; every
 * language when the post's is unknown. */
static size_t
lookup_order(const struct cl *cl, int lang, int *order)
{
	size_t n = 0, i;

	order[n++] = CL_ANY;
	if (lang > 0)
		order[n++] = lang;
	if (cl->en > 0 && cl->en != lang)
		order[n++] = cl->en;
	if (lang < 0)
		for (i = 1; i < cl->nlangs; i++)
			if ((int)i != cl->en)
				order[n++] = (int)i;
	return n;
}

/* The role (and value) of term t for the languages in order. */
static int
term_role(const struct cl_term *t, const int *order, size_t norder,
    float *value)
{
	size_t o;
	uint32_t j;

	if (!t)
		return ROLE_NONE;
	for (o = 0; o < norder; o++)
		for (j = 0; j < t->n; j++) {
			const struct cl_entry *e = &t->e[j];

			if (e->lang != order[o])
				continue;
			switch (e->kind) {
			case CL_VALENCE:
				*value = e->value;
				return ROLE_VALENCE;
			case CL_NEGATOR:
				return ROLE_NEGATOR;
			case CL_BOOSTER:
				*value = e->value;
				return ROLE_BOOSTER;
			case CL_CONTRAST:
				return ROLE_CONTRAST;
			case CL_IRONY:
				*value = e->value;
				return ROLE_IRONY;
			case CL_COURTESY:
				*value = e->value;
				return ROLE_COURTESY;
			}
		}
	return ROLE_NONE;
}

/* Whether term t is a directive's term of kind for the languages in
 * order.  The first language after "*" that lists the term decides, as it
 * does the term's role: Slovenian "star 2 leti" (two years old) is no
 * English rating. */
static int
has_kind(const struct cl_term *t, int kind, const int *order,
    size_t norder)
{
	size_t o;
	uint32_t j;

	for (o = 0; t && o < norder; o++) {
		int listed = 0;

		for (j = 0; j < t->n; j++) {
			if (t->e[j].lang != order[o])
				continue;
			if (t->e[j].kind == kind)
				return 1;
			listed = 1;
		}
		if (listed && order[o] != CL_ANY)
			return 0;
	}
	return 0;
}

/*
 * The term of the k words from token i (one: a word), with elongated
 * words squeezed the way given (0: as written), if the lexicon has it as
 * a word, a phrase or the beginning of one.
 */
static const struct cl_term *
phrase_at(const struct cl *cl, struct cl_post *p, size_t i, size_t k,
    int way)
{
	return cl_phrase_key(&p->scratch, &p->tokens, i, k, way) ?
	    cl_term_get(cl, p->scratch.data, p->scratch.len) : NULL;
}

static int
ends_with_nt(const char *s, size_t n)
{
	return n > 3 && memcmp(s + n - 3, "n't", 3) == 0;
}

/* The most words a phrase starting at token i can have, by its word as
 * written or squeezed. */
static size_t
longest_phrase(const struct cl *cl, struct cl_post *p, size_t i)
{
	const struct tend_token *tok = &p->tokens.v[i];
	const struct cl_term *t = p->tt[i];
	size_t most = t ? t->phrase : 1;
	int way;

	if (!tok->elongated)
		return most;
	for (way = 1; way <= CL_SQUEEZE_WAYS; way++)
		if ((t = phrase_at(cl, p, i, 1, way)) && t->phrase > most)
			most = t->phrase;
	return most;
}

/*
 * The longest phrase with a role that starts at token i: its number of
 * words (0: none), its role and value.  Its words are read as written,
 * then with elongated words squeezed ("lets gooooo" finds "lets go", "no
 * worriesss" "no worries"); each reading stops at the first beginning no
 * phrase has.
 */
static size_t
phrase_here(const struct cl *cl, struct cl_post *p, size_t i,
    const int *order, size_t norder, int *role, float *v,
    const struct cl_term **term)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t most = longest_phrase(cl, p, i), k, found = 0;
	int way, ways = 0;

	for (k = i; k < i + most && k < tk->n; k++)
		ways |= tk->v[k].elongated;
	for (way = 0; way <= (ways ? CL_SQUEEZE_WAYS : 0) && !found; way++)
		for (k = 2; k <= most; k++) {
			const struct cl_term *pt = phrase_at(cl, p, i, k, way);
			float pv;
			int r;

			if (!pt)
				break;
			if ((r = term_role(pt, order, norder, &pv)) !=
			    ROLE_NONE) {
				found = k;
				*role = r;
				*v = pv;
				*term = pt;
			}
			if (!pt->longer)
				break;
		}
	return found;
}

/*
 * Ratings: "10/10", "7.5/10", "2/5", "95/100", a number beside a
 * @rating word ("5 stars", "1 star", "bintang 5"), out of five, and
 * stars drawn as a review site does ("★★☆☆☆", "★★★★★"): five in all, or
 * five filled, so that a lone "⭐" stays an emoji.  A
 * rating r of its scale is worth RATING_SLOPE * (r - RATING_MIDDLE), so
 * 6/10 and 3 stars are neutral and 10/10 and 1 star near the ends of the
 * scale; a date ("10/10/2026", "on 3/10/26") is no rating.
 */
#define RATING_MIDDLE 0.6
#define RATING_SLOPE 7.5
#define RATING_MOST 3.0

/* The source text between tokens i and i + 1, spaces trimmed. */
static const char *
between(const struct cl_post *p, size_t i, size_t *n)
{
	const struct tend_token *a = &p->tokens.v[i], *b = a + 1;
	const char *s = p->text + a->src + a->src_len, *e = p->text + b->src;

	while (s < e && *s == ' ')
		s++;
	while (e > s && e[-1] == ' ')
		e--;
	*n = (size_t)(e - s);
	return s;
}

/* The number that tokens from i spell ("7", "7.5", "7,5") and how many
 * tokens it takes (0: none). */
static size_t
number_at(const struct cl_post *p, size_t i, double *x)
{
	const struct tend_tokens *tk = &p->tokens;
	const struct tend_token *a, *b;
	const char *s;
	char mark;

	if (i >= tk->n || (a = &tk->v[i])->kind != TEND_TOKEN_NUMBER ||
	    a->len > 6)
		return 0;
	b = a + 1;
	for (*x = 0, s = tend_token_text(tk, i); *s; s++)
		*x = *x * 10 + (*s - '0');
	if (i + 1 >= tk->n || b->kind != TEND_TOKEN_NUMBER || b->len != 1 ||
	    b->src != a->src + a->src_len + 1 ||
	    ((mark = p->text[a->src + a->src_len]) != '.' && mark != ','))
		return 1;
	*x += (tend_token_text(tk, i + 1)[0] - '0') / 10.0;
	return 2;
}

/* Whether the source just before token i, or just after token j, is a
 * slash: the number is part of a date. */
static int
dated(const struct cl_post *p, size_t i, size_t j)
{
	const struct tend_token *a = &p->tokens.v[i], *b = &p->tokens.v[j];

	return (a->src > 0 && p->text[a->src - 1] == '/') ||
	    (b->src + b->src_len < p->text_len &&
	    p->text[b->src + b->src_len] == '/');
}

/* 1 if token i is a filled star ("★", "⭐"), -1 if an empty one ("☆"),
 * 0 if neither. */
static int
star_at(const struct cl_post *p, size_t i)
{
	const char *t;

	if (i >= p->tokens.n || p->tokens.v[i].kind != TEND_TOKEN_EMOJI)
		return 0;
	t = tend_token_text(&p->tokens, i);
	return strcmp(t, "\xe2\x98\x85") == 0 ||
	    strcmp(t, "\xe2\xad\x90") == 0 ? 1 :
	    strcmp(t, "\xe2\x98\x86") == 0 ? -1 : 0;
}

/* Drawn stars at token i, the first of their run: how many tokens, and
 * in *got the filled ones; 0 if they rate nothing. */
static size_t
stars_here(const struct cl_post *p, size_t i, double *got)
{
	size_t filled = 0, empty = 0;

	if (i > 0 && star_at(p, i - 1))
		return 0;
	while (star_at(p, i + filled) > 0)
		filled++;
	while (filled > 0 && star_at(p, i + filled + empty) < 0)
		empty++;
	if (filled + empty != 5)
		return 0;
	*got = (double)filled;
	return filled + empty;
}

/* The rating that starts at token i: its number of tokens (0: none) and
 * its valence. */
static size_t
rating_here(const struct cl_post *p, size_t i, const int *order,
    size_t norder, float *v)
{
	const struct tend_tokens *tk = &p->tokens;
	double got, of = 5, r;
	size_t k, n;
	const char *gap;

	if ((k = stars_here(p, i, &got)))
		;
	else if (has_kind(p->tt[i], CL_RATING, order, norder)) {
		if (!(k = number_at(p, i + 1, &got)))
			return 0;
		k++;
	} else if (!(k = number_at(p, i, &got)) || i + k >= tk->n)
		return 0;
	else if (has_kind(p->tt[i + k], CL_RATING, order, norder))
		k++;
	else if ((gap = between(p, i + k - 1, &n)) && n == 1 &&
	    *gap == '/' && tk->v[i + k].kind == TEND_TOKEN_NUMBER &&
	    number_at(p, i + k, &of) == 1 && (of == 5 || of == 10 ||
	    of == 100) && !dated(p, i, i + k))
		k++;
	else
		return 0;
	if (got > of)
		return 0;
	r = RATING_SLOPE * (got / of - RATING_MIDDLE);
	*v = (float)(r > RATING_MOST ? RATING_MOST : r < -RATING_MOST ?
	    -RATING_MOST : r);
	return k;
}

/*
 * Waits and prices told in figures: customers count what a thing cost
 * them.  A time span ("45 minutes", "40min", "3 weeks": a figure and a
 * @span unit) with a @wait word up to NEAR words before it in its clause
 * or just after it ("waited 45 minutes", "on hold for 2 hours", "a 40 min
 * wait") is a term of valence WAIT_TOLD; a sum after a currency sign and
 * before a @price word ("£14 for a burger", "$7.49 for eggs") one of
 * PRICE_TOLD.  Told without complaint they are rare ("worth the 40 min
 * queue"), and the post's other words outweigh them.
 */
#define WAIT_TOLD (-1.2)
#define PRICE_TOLD (-1.0)

/* The token after the figure that starts at token i ("7", "7.49",
 * "5,000": numbers a mark apart), or i if token i starts none. */
static size_t
figure_end(const struct cl_post *p, size_t i)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t k = i;

	if (tk->v[i].kind != TEND_TOKEN_NUMBER)
		return i;
	while (++k < tk->n && tk->v[k].kind == TEND_TOKEN_NUMBER &&
	    tk->v[k].src == tk->v[k - 1].src + tk->v[k - 1].src_len + 1)
		;
	return k;
}

/* Whether a currency sign comes just before token i. */
static int
priced(const struct cl_post *p, size_t i)
{
	/* $ £ € ¥ ₹ ₦ ₱ ₩ ₺ ₽ */
	static const char *const signs[] = { "$", "\xc2\xa3", "\xe2\x82\xac",
	    "\xc2\xa5", "\xe2\x82\xb9", "\xe2\x82\xa6", "\xe2\x82\xb1",
	    "\xe2\x82\xa9", "\xe2\x82\xba", "\xe2\x82\xbd", NULL };
	size_t at = p->tokens.v[i].src, n, s;

	for (s = 0; signs[s]; s++)
		if (at >= (n = strlen(signs[s])) &&
		    memcmp(p->text + at - n, signs[s], n) == 0)
			return 1;
	return 0;
}

/* The time span at token i, its figure ending before token end: a unit
 * after the figure, or glued to it ("40min"); how many tokens the span
 * takes (0: none). */
static size_t
span_here(const struct cl *cl, const struct cl_post *p, size_t i,
    size_t end, const int *order, size_t norder)
{
	const struct tend_tokens *tk = &p->tokens;
	const char *s = tend_token_text(tk, i), *u = s;

	if (end > i)
		return end < tk->n && has_kind(p->tt[end], CL_SPAN, order,
		    norder) ? end - i + 1 : 0;
	if (tk->v[i].kind != TEND_TOKEN_WORD)
		return 0;
	while (*u >= '0' && *u <= '9')
		u++;
	return u > s && *u && has_kind(cl_term_get(cl, u, strlen(u)),
	    CL_SPAN, order, norder) ? 1 : 0;
}

/* The wait or price told from token i: its number of tokens (0: none)
 * and its valence. */
static size_t
toll_here(const struct cl *cl, const struct cl_post *p, size_t i,
    const int *order, size_t norder, float *v)
{
	const struct tend_tokens *tk = &p->tokens;
	const char *t = tend_token_text(tk, i);
	size_t k, j, end;

	if (*t < '0' || *t > '9')
		return 0;	/* no figure: most tokens */
	end = figure_end(p, i);
	if ((k = span_here(cl, p, i, end, order, norder))) {
		*v = (float)WAIT_TOLD;
		for (j = i; j > 0 && j + NEAR > i && !tk->v[j].clause; j--)
			if (has_kind(p->tt[j - 1], CL_WAIT, order, norder))
				return k;
		return i + k < tk->n && !tk->v[i + k].clause &&
		    has_kind(p->tt[i + k], CL_WAIT, order, norder) ? k : 0;
	}
	if (!priced(p, i))
		return 0;
	k = end > i ? end : i + 1;	/* "£420k": a word */
	if (k + 1 >= tk->n || tk->v[k + 1].clause ||	/* "quoted £500 for." */
	    !has_kind(p->tt[k], CL_PRICE, order, norder))
		return 0;
	*v = (float)PRICE_TOLD;
	return k - i + 1;
}

/* Whether a token of this role has a valence of its own. */
static int
has_valence(int role)
{
	return role == ROLE_VALENCE || role == ROLE_IRONY ||
	    role == ROLE_COURTESY;
}

/*
 * Whether the modifier phrase of k words at token i gives its last word to
 * a feeling phrase that starts there: "way too" boosts "too long", "so
 * much" "much appreciated".
 */
static int
yields_last_word(const struct cl *cl, struct cl_post *p, size_t i,
    size_t k, int role, const int *order, size_t norder)
{
	const struct cl_term *t;
	float v;
	int next;

	return role == ROLE_BOOSTER && k > 1 && phrase_here(cl, p, i + k - 1,
	    order, norder, &next, &v, &t) && has_valence(next);
}

/* Whether a comma comes just before token i, spaces between. */
static int
after_comma(const struct cl_post *p, size_t i)
{
	size_t at = p->tokens.v[i].src;

	while (at > 0 && p->text[at - 1] == ' ')
		at--;
	return at > 0 && p->text[at - 1] == ',';
}

/* First pass: each token's role; phrases mark their other words. */
static void
assign_roles(const struct cl *cl, struct cl_post *p, struct tok_role *tr,
    const int *order, size_t norder)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t i, k;

	for (i = 0; i < tk->n; i++) {
		const struct tend_token *tok = &tk->v[i];
		const struct cl_term *t = p->tt[i], *pt = NULL;
		float v = 0;
		int role;

		tr[i].role = ROLE_NONE;
		tr[i].superlative = (uint8_t)has_kind(t, CL_SUPERLATIVE, order,
		    norder);
		tr[i].remedy = (uint8_t)has_kind(t, CL_REMEDY, order, norder);
		tr[i].repair = (uint8_t)has_kind(t, CL_REPAIR, order, norder);
		tr[i].corrects = (uint8_t)(after_comma(p, i) &&
		    has_kind(t, CL_CORRECTIVE, order, norder));
		tr[i].resolves = (uint8_t)has_kind(t, CL_RESOLUTION, order,
		    norder);
		tr[i].sincere = (uint8_t)has_kind(t, CL_SINCERE, order, norder);
		if ((k = rating_here(p, i, order, norder, &v)) ||
		    (k = toll_here(cl, p, i, order, norder, &v)))
			role = ROLE_VALENCE;
		else if (tok->kind == TEND_TOKEN_MENTION || tok->kind ==
		    TEND_TOKEN_URL)
			continue;
		if (k || (k = phrase_here(cl, p, i, order, norder, &role,
		    &v, &pt))) {
			size_t j;

			if (yields_last_word(cl, p, i, k, role, order, norder))
				k--;
			tr[i].role = (uint8_t)role;
			tr[i].value = v;
			tr[i].negates = 0;
			tr[i].sincere = (uint8_t)has_kind(pt, CL_SINCERE, order,
			    norder);
			tr[i].resolves |= (uint8_t)has_kind(pt, CL_RESOLUTION,
			    order, norder);
			if (pt && role == ROLE_VALENCE && v <= 0)
				tr[i].remedy = 0;	/* "fell asleep" */
			tr[i].remedy |= (uint8_t)has_kind(pt, CL_REMEDY, order,
			    norder);	/* "in the best way" */
			for (j = i; j < i + k; j++) {
				float unused;

				if (term_role(p->tt[j], order, norder,
				    &unused) == ROLE_NEGATOR)
					tr[i].negates = 1;
				if (j > i) {
					tr[j].role = ROLE_INSIDE;
					tr[j].superlative = tr[j].remedy = 0;
					tr[j].repair = tr[j].corrects = 0;
					tr[j].resolves = 0;
				}
			}
			i += k - 1;
			continue;
		}
		tr[i].negates = 0;
		role = term_role(t, order, norder, &v);
		if (role == ROLE_NONE && tok->elongated) {
			int way;

			for (way = 1; way <= CL_SQUEEZE_WAYS &&
			    role == ROLE_NONE; way++)
				role = term_role(phrase_at(cl, p, i, 1, way),
				    order, norder, &v);
		}
		if (role == ROLE_NONE && tok->kind == TEND_TOKEN_WORD &&
		    ends_with_nt(tend_token_text(tk, i), tok->len))
			role = ROLE_NEGATOR;
		if (role == ROLE_NEGATOR && tok->kind == TEND_TOKEN_HASHTAG) {
			role = ROLE_IRONY;	/* "so fun #not" */
			v = HASHTAG_NEGATOR;
		}
		tr[i].role = (uint8_t)role;
		tr[i].value = v;
	}
}

/* Whether st is courtesy that thanks ("thanks", "cheers"), which makes
 * the praise around it meant. */
static int
thanks(const struct cl_sentiment_term *st)
{
	return st->courtesy && st->valence >= THANKS_AT;
}

/* Emoji and emoticons say how the writer feels: "not" does not turn
 * them round ("still nothing 😤"). */
static int
is_pictograph(const struct tend_token *t)
{
	return t->kind == TEND_TOKEN_EMOJI || t->kind == TEND_TOKEN_EMOTICON;
}

static double
sign(double v)
{
	return v < 0 ? -1 : 1;
}

static void add_why(struct cl_sentiment_term *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends to st's explanation, comma-separated. */
static void
add_why(struct cl_sentiment_term *st, const char *fmt, ...)
{
	size_t len = strlen(st->why);
	va_list ap;

	if (len && len + 2 < sizeof(st->why)) {
		memcpy(st->why + len, ", ", 3);
		len += 2;
	}
	if (len + 1 >= sizeof(st->why))
		return;
	va_start(ap, fmt);
	vsnprintf(st->why + len, sizeof(st->why) - len, fmt, ap);
	va_end(ap);
}

/*
 * A negation that praises: a superlative word between the negator at n and
 * the term at i ("cannot say enough good things", "can't overstate how
 * good"), or two to SUPERLATIVE_AFTER words after the term in its clause
 * ("can't recommend the little taco truck on 3rd enough"; "not good
 * enough" is no praise).  Returns the superlative's token, or -1.
 */
static long
superlative(const struct cl_post *p, const struct tok_role *tr, size_t n,
    size_t i)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t k;

	for (k = n + 1; k < i; k++)
		if (tr[k].superlative)
			return (long)k;
	for (k = i + 1; k <= i + SUPERLATIVE_AFTER && k < tk->n &&
	    !tk->v[k].clause; k++)
		if (k >= i + 2 && tr[k].superlative)
			return (long)k;
	return -1;
}

/* A remedy or a repair between a negator at n and the term at i: the
 * negation is the remedy's ("never fixed the bad app"; "didn't fix the
 * leak": the leak is still there), not the term's.  Returns its token, or
 * -1. */
static long
remedy_between(const struct tok_role *tr, size_t n, size_t i)
{
	size_t k;

	for (k = n + 1; k < i; k++)
		if (tr[k].remedy || tr[k].repair)
			return (long)k;
	return -1;
}

/* Whether token k is a negator up to NEAR words before token i, in its
 * clause. */
static int
negated_at(const struct cl_post *p, const struct tok_role *tr, size_t i)
{
	size_t j;

	for (j = 1; j <= NEAR && j <= i && !p->tokens.v[i - j + 1].clause; j++)
		if (tr[i - j].role == ROLE_NEGATOR)
			return 1;
	return 0;
}

/*
 * A problem dealt with: a remedy word up to REMEDY_AHEAD words before or
 * NEAR after the negative term at i, in its clause, and not negated itself
 * ("fixed the issue", "fixed most of the bugs", "problem solved",
 * "recovered my hacked account"; "still not fixed" remedies nothing).
 * Returns the remedy's token, or -1.
 */
static long
remedy(const struct cl_post *p, const struct tok_role *tr, size_t i)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t j, k;

	for (j = 1; j <= REMEDY_AHEAD && j <= i && !tk->v[i - j + 1].clause;
	    j++)
		if (tr[i - j].remedy && !negated_at(p, tr, i - j))
			return (long)(i - j);
	for (k = i + 1; k <= i + NEAR && k < tk->n && !tk->v[k].clause; k++)
		if (tr[k].remedy && !negated_at(p, tr, k))
			return (long)k;
	return -1;
}

/* Second pass: the valence of token i with its modifiers. */
static double
adjusted(const struct cl_post *p, const struct tok_role *tr, size_t i,
    long contrast, int caps_differ, struct cl_sentiment_term *st)
{
	const struct tend_tokens *tk = &p->tokens;
	double s = tr[i].value, b;
	size_t e = st->last;	/* the term's last token */
	int negated = 0;	/* 1: turned round; -1: praise */
	long r;
	size_t j, inside;

	if (caps_differ && tk->v[i].caps) {
		s += sign(s) * CAPS_EMPHASIS;
		add_why(st, "caps %+.3f", sign(s) * CAPS_EMPHASIS);
	}
	for (j = 1, inside = 0; j <= NEAR + inside && j <= i &&
	    !tk->v[i - j + 1].clause; j++) {
		const struct tok_role *before = &tr[i - j];
		long k;

		if (before->role == ROLE_INSIDE) {
			inside++;	/* a phrase is one word away */
			continue;
		}
		if (before->role == ROLE_BOOSTER) {
			b = sign(s) * before->value * (1 - 0.05 * (double)(j - 1));
			s += b;
			add_why(st, "%s %+.3f '%s'", before->value < 0 ?
			    "dampener" : "booster", b,
			    tend_token_text(tk, i - j));
		} else if (before->role == ROLE_NEGATOR && !negated &&
		    !tr[i].negates && !is_pictograph(&tk->v[i]) &&
		    (k = superlative(p, tr, i - j, i)) >= 0) {
			negated = -1;
			st->courtesy = 0;	/* "can't thank you enough": meant */
			add_why(st, "praise '%s ... %s', not negated",
			    tend_token_text(tk, i - j),
			    tend_token_text(tk, (size_t)k));
		} else if (before->role == ROLE_NEGATOR && !negated &&
		    !tr[i].negates && !is_pictograph(&tk->v[i]) &&
		    (k = remedy_between(tr, i - j, i)) >= 0) {
			negated = -1;	/* "never fixed the bad app" */
			add_why(st, "'%s %s' is no remedy",
			    tend_token_text(tk, i - j),
			    tend_token_text(tk, (size_t)k));
		} else if (before->role == ROLE_NEGATOR && !negated &&
		    !tr[i].negates && !is_pictograph(&tk->v[i])) {
			negated = 1;
			add_why(st, "negated x%.2f '%s'", NEGATION_SCALE,
			    tend_token_text(tk, i - j));
		} else if (before->role == ROLE_VALENCE ||
		    before->role == ROLE_IRONY ||
		    before->role == ROLE_COURTESY ||
		    before->role == ROLE_CONTRAST)
			break;
	}
	if (e + 1 < tk->n && tr[e + 1].role == ROLE_BOOSTER &&
	    !tk->v[e + 1].clause &&
	    !(e + 2 < tk->n && has_valence(tr[e + 2].role))) {
		b = sign(s) * tr[e + 1].value;
		s += b;
		add_why(st, "%s after %+.3f '%s'", tr[e + 1].value < 0 ?
		    "dampener" : "booster", b,
		    tend_token_text(tk, e + 1));
	}
	if (negated > 0)
		s *= NEGATION_SCALE;
	else if (s < 0 && (r = remedy(p, tr, i)) >= 0) {
		s *= REMEDY_SCALE;
		add_why(st, "remedied x%.2f '%s'", REMEDY_SCALE,
		    tend_token_text(tk, (size_t)r));
	}
	if (contrast >= 0 && (long)i < contrast) {
		s *= BEFORE_CONTRAST;
		add_why(st, "before contrast x%.1f", BEFORE_CONTRAST);
	} else if (contrast >= 0 && (long)i > contrast) {
		s *= AFTER_CONTRAST;
		add_why(st, "after contrast x%.1f", AFTER_CONTRAST);
	}
	return s;
}

/* Whether a sentence ends between tokens k - 1 and k. */
static int
sentence_starts(const struct cl_post *p, size_t k)
{
	const struct tend_token *a, *b;
	size_t i;

	if (k == 0)
		return 1;
	a = &p->tokens.v[k - 1];
	b = &p->tokens.v[k];
	for (i = a->src + a->src_len; i < b->src; i++)
		switch (p->text[i]) {
		case '.': case '!': case '?': case '\n':
			return 1;
		}
	return 0;
}

/* A positive term that opens the post as a cry: one of its first two
 * tokens, followed by a comma or a handle ("Odlično, ..."; "mantap
 * @MakanYuk, ..."). */
static int
opening_praise(const struct cl_post *p, const struct cl_sentiment_term *st)
{
	const struct tend_token *t = &p->tokens.v[st->last];
	size_t e = t->src + t->src_len;

	if (st->token > 1 || st->adjusted <= 0 || e >= p->text_len)
		return 0;
	return p->text[e] == ',' || (p->text[e] == ' ' && e + 1 <
	    p->text_len && p->text[e + 1] == '@');
}

/*
 * Praise tacked on after a complaint: the post's last sentence with terms
 * is short (four words at most) and holds only positive ones, everything
 * before it only negative ones, and no contrast word joins them ("still
 * no broadband. great job guys 👏"; "late, but the driver was lovely" is
 * sincere).  Irony is said flat: in a post that exclaims or thanks
 * anywhere, or whose last sentence says please, praises by denying a
 * fault ("not bad at all") or in words seldom said in irony (@sincere:
 * "legends", "personal best"), the praise is meant ("hospital raised $2
 * million!! amazing community"; "caught a dodgy payment before I noticed.
 * brilliant, thank you"; "... Thank you to my sponsor. One day at a time.
 * ❤️"; "lost my phone on the 22 and your depot rang ME. legends").
 * Praise may open the post too, as a cry ("lovely, the bus broke down.
 * lovely."; "bagus @CatatPro, dokumen ilang. bagus bgt.").
 */
static int
tacked_on_praise(const struct cl_post *p, const struct tok_role *tr,
    long contrast)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t k, i, words = 0, head = 0;

	for (i = p->nsterms; i > 0 && p->sterms[i - 1].courtesy; i--)
		;
	if (contrast >= 0 || i < 2)
		return 0;
	for (k = p->sterms[i - 1].token; !sentence_starts(p, k); k--)
		;
	for (i = k; i < tk->n && (i == k || !sentence_starts(p, i)); i++)
		words += tk->v[i].kind == TEND_TOKEN_WORD;
	if (words > 4 || tk->exclamations)
		return 0;
	for (i = 0; i < p->nsterms; i++) {
		const struct cl_sentiment_term *st = &p->sterms[i];

		if (thanks(st) || (st->token >= k && (st->courtesy ||
		    st->valence < 0 || tr[st->token].sincere)))
			return 0;	/* thanks, a denied fault, @sincere */
		if (st->courtesy || (i == 0 && st->token < k &&
		    opening_praise(p, st)))
			continue;
		if (st->token < k ? st->adjusted >= 0 : st->adjusted <= 0)
			return 0;
		head += st->token < k;
	}
	return head > 0;
}

/* Whether a quotation mark (ASCII '"', or a curly one) opens just before
 * token t (open) or closes just after it (!open). */
static int
quote_at(const struct cl_post *p, const struct tend_token *t, int open)
{
	const unsigned char *s = (const unsigned char *)p->text;
	size_t at = open ? t->src : t->src + t->src_len;

	if (open)
		return (at >= 1 && s[at - 1] == '"') || (at >= 3 &&
		    s[at - 3] == 0xe2 && s[at - 2] == 0x80 &&
		    s[at - 1] == 0x9c);
	return (at < p->text_len && s[at] == '"') || (at + 3 <=
	    p->text_len && s[at] == 0xe2 && s[at + 1] == 0x80 &&
	    s[at + 2] == 0x9d);
}

/* A positive term in a quotation of one or two words: scare quotes (your
 * "superfast" broadband; my "best friend"; "fast delivery" they said). */
static int
scare_quoted(const struct cl_post *p, const struct cl_sentiment_term *st)
{
	const struct tend_token *v = p->tokens.v;
	size_t a, b;

	for (a = st->token > 0 ? st->token - 1 : 0; a <= st->token; a++)
		for (b = st->last; b <= st->last + 1 && b < p->tokens.n &&
		    b <= a + 1; b++)
			if (quote_at(p, &v[a], 1) && quote_at(p, &v[b], 0))
				return 1;
	return 0;
}

/*
 * Whether a negator, outside a phrase, has no sentiment term to turn round
 * in the NEAR words after it in its clause.  Such a negation states a lack
 * or a failure ("can't find anything", "she moved out. no note", "our cat
 * hasn't come back", "i did not ask for bangs"), so a post with one counts
 * LONE_NEGATION more, like a mild negative term, unless it asks something
 * ("does it not come in green?", "has my refund not gone through?") or its
 * terms lean to praise ("love the new app, didn't even have to call").
 * A corrective negator after a comma sets a fact right ("the composer was
 * Anton Vehl, not Jonas Berg"; "depots close at 6pm now, not 8pm") and
 * states no lack.
 * Our own replies ("we can't see an order under that name") are left
 * alone.
 */
static int
lone_negation(const struct cl_post *p, const struct tok_role *tr)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t i, k;

	for (i = 0; i < tk->n; i++) {
		int scope = 0;

		if (tr[i].role != ROLE_NEGATOR || tr[i].corrects)
			continue;
		for (k = i + 1; k <= i + NEAR && k < tk->n && !tk->v[k].clause;
		    k++)
			scope |= has_valence(tr[k].role);
		if (!scope)
			return 1;
	}
	return 0;
}

/*
 * Whether a word comes back in capitals, said again louder: "of course. OF
 * COURSE.", "my coworker replies-all to everything. EVERYTHING", "hair in
 * my burger. HAIR.".  Indignation repeats itself, so a post with such an
 * echo counts ECHO more, like a mild negative term, unless its terms lean
 * to praise ("love love LOVE the new app").  Our own replies are left
 * alone.  Capitals are rare, so the quadratic search costs nothing.
 */
static int
echoed(const struct cl_post *p)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t i, j;

	for (i = 1; i < tk->n; i++) {
		if (!tk->v[i].caps || tk->v[i].kind != TEND_TOKEN_WORD ||
		    tk->v[i].src_len < 3)
			continue;
		for (j = 0; j < i; j++)
			if (!tk->v[j].caps && tk->v[j].kind == TEND_TOKEN_WORD &&
			    strcmp(tend_token_text(tk, i),
			    tend_token_text(tk, j)) == 0)
				return 1;
	}
	return 0;
}

/*
 * Whether the post quotes a few words back, one to four in a sentence:
 * the brand's promise or a label it was given ("5 days for an "instant"
 * transfer"; "landlord says "market rate""; "tracking says "out for
 * delivery" for 4 days").  Customers mostly quote to hold words against
 * their speaker, so such a post counts QUOTED more, like a mild negative
 * term.  Our own replies quote labels ("tap "Forgot password"") and are
 * left alone, and so are quotations in a sentence that asks: they ask
 * what the words mean ("my flight shows "schedule change", what does that
 * mean for me?").
 */
static int
quoted_back(const struct cl_post *p, const struct tok_role *tr)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t i, j;

	for (i = 0; i < tk->n; i++) {
		if (!quote_at(p, &tk->v[i], 1) || (tk->questions && tr[i].asked))
			continue;
		for (j = i; j < tk->n && j < i + 4; j++) {
			if (j > i && sentence_starts(p, j))
				break;
			if (quote_at(p, &tk->v[j], 0))
				return 1;
		}
	}
	return 0;
}

/*
 * A marker in words ("oh great", not "🙃" or "#not") in a post that
 * thanks and finds no fault is meant: "Oh brilliant, that's worked! Thank
 * you so much", "Oh great, that fixed it. Cheers!".  Turns such markers
 * into praise; whether it did.
 */
static int
marker_meant(struct cl_post *p, const struct tok_role *tr)
{
	size_t i;
	int thanked = 0;

	for (i = 0; i < p->nsterms; i++) {
		const struct cl_sentiment_term *st = &p->sterms[i];

		if (st->marker) {
			if (is_pictograph(&p->tokens.v[st->token]) ||
			    p->tokens.v[st->token].kind == TEND_TOKEN_HASHTAG)
				return 0;	/* "🙃", "#not" */
		} else if (st->adjusted < 0)
			return 0;
		else
			thanked |= thanks(st) || tr[st->token].sincere;
	}
	for (i = 0; thanked && i < p->nsterms; i++)
		if (p->sterms[i].marker) {
			p->sterms[i].adjusted = -p->sterms[i].adjusted;
			add_why(&p->sterms[i], "meant: the post thanks x-1");
		}
	return thanked;
}

/*
 * Irony: praise that means its opposite.  A marker ("🙃", "yeah right")
 * or praise tacked on after a complaint turns every positive term round;
 * scare quotes turn the term they enclose.  Whether any term was turned.
 */
static int
read_irony(struct cl_post *p, const struct tok_role *tr, long contrast)
{
	const char *why = NULL;
	size_t i;
	int marked, turned = 0;

	for (i = 0; i < p->nsterms && !why; i++)
		if (p->sterms[i].marker)
			why = "irony";
	if (why && marker_meant(p, tr))
		why = NULL;
	marked = why != NULL;
	if (!why && tacked_on_praise(p, tr, contrast))
		why = "praise after a complaint";
	for (i = 0; i < p->nsterms; i++) {
		struct cl_sentiment_term *st = &p->sterms[i];
		const char *w = why;

		if (st->adjusted <= 0 || (st->courtesy && !marked))
			continue;
		if (!w && scare_quoted(p, st))
			w = "scare quotes";
		if (!w)
			continue;
		st->adjusted *= IRONY_SCALE;
		add_why(st, "%s x%.2f", w, IRONY_SCALE);
		turned = 1;
	}
	return turned;
}

/*
 * Thanks and please are manners, not praise, where the post is about
 * something else: they count for little in a complaint that asks (a
 * question, or please: "arrived damaged, please replace it, thanks"),
 * though in full in a story of trouble that only thanks ("my card
 * declined and a stranger paid. whoever you are, thank you"), and for
 * nothing in a question or request that says nothing good or bad ("do
 * you have it in stock? Thanks"; "please ..., thanks", "Good morning,
 * ... Best wishes": more than one courtesy, one of them a request's or a
 * letter's; four words or more, then a flat "Thanks."; a term of valence
 * 0, such as "I'd like", says nothing good or bad).  Thanks twice are
 * thanks ("thx for the update, appreciate it").  A smiling face in a post
 * that asks is manners too ("is this available in size 10? 😊").
 * "Thanks!" alone, or effusive ("exactly what I needed, thank you!!"),
 * keeps its value, and so do the thanks of our own replies
 * (cl_text_tone()), which are meant.
 */
static int
mannerly(const struct cl_post *p, const struct cl_sentiment_term *st)
{
	return st->courtesy || (p->tokens.questions && st->valence > 0 &&
	    is_pictograph(&p->tokens.v[st->token]));
}

/* Whether a sentence ends between tokens a and b. */
static int
sentence_between(const struct cl_post *p, size_t a, size_t b)
{
	while (++a <= b)
		if (sentence_starts(p, a))
			return 1;
	return 0;
}

/* Whether st comes before the contrast word, in its sentence. */
static int
in_contrast_sentence(const struct cl_post *p,
    const struct cl_sentiment_term *st, long contrast)
{
	return (long)st->token < contrast &&
	    !sentence_between(p, st->token, (size_t)contrast);
}

/*
 * Thanks taken back: courtesy before the post's contrast word, with nothing
 * positive after it, opens a complaint ("thanks for the reply but this
 * still doesn't solve anything"; "thanks but the parcel was still left
 * with a neighbour"): in the contrast's sentence, it turns round like
 * irony.  "thanks, but it's fine now" and "thanks! but one more question"
 * keep it; our own replies are left alone.
 */
static void
thanks_taken_back(struct cl_post *p, long contrast)
{
	size_t i;

	if (contrast < 0 || p->reply)
		return;
	for (i = 0; i < p->nsterms; i++)
		if ((long)p->sterms[i].token > contrast &&
		    p->sterms[i].adjusted > 0)
			return;
	for (i = 0; i < p->nsterms; i++) {
		struct cl_sentiment_term *st = &p->sterms[i];

		if (st->courtesy && st->adjusted > 0 &&
		    in_contrast_sentence(p, st, contrast)) {
			st->adjusted *= IRONY_SCALE;
			add_why(st, "thanks taken back x%.2f", IRONY_SCALE);
		}
	}
}

/* Whether a fault is told in courtesy st's own sentence ("the parcel is
 * late, cheers"). */
static int
fault_beside(const struct cl_post *p, const struct cl_sentiment_term *st)
{
	size_t i;

	for (i = 0; i < p->nsterms; i++) {
		const struct cl_sentiment_term *f = &p->sterms[i];
		size_t a = f->token < st->token ? f->token : st->token;
		size_t b = f->token < st->token ? st->token : f->token;

		if (f->adjusted < 0 && !mannerly(p, f) &&
		    !sentence_between(p, a, b))
			return 1;
	}
	return 0;
}

static void
manners(struct cl_post *p)
{
	const char *why;
	double scale;
	size_t i, other = 0, courtesy = 0, before = 0, first = SIZE_MAX;
	int negative = 0, asks = 0;

	if (p->reply)
		return;
	for (i = 0; i < p->nsterms; i++) {
		const struct cl_sentiment_term *st = &p->sterms[i];

		if (!mannerly(p, st)) {
			other += st->valence != 0;
			negative |= st->adjusted < 0;
			continue;
		}
		asks |= st->valence < ASKS_BELOW;
		if (courtesy++ == 0)
			first = st->token;
	}
	for (i = 0; i < first && i < p->tokens.n; i++)
		before += p->tokens.v[i].kind == TEND_TOKEN_WORD;
	if (negative) {
		why = "courtesy in a complaint";
		scale = COURTESY_SCALE;
	} else if (courtesy && !other && (p->tokens.questions ||
	    (courtesy > 1 && asks) || (before >= 4 &&
	    !p->tokens.exclamations))) {
		why = "courtesy in a question or request";
		scale = 0;
	} else
		return;
	for (i = 0; i < p->nsterms; i++) {
		struct cl_sentiment_term *st = &p->sterms[i];

		if (!mannerly(p, st) || st->adjusted <= 0)
			continue;
		if (negative && !p->tokens.questions && !asks &&
		    !fault_beside(p, st))
			continue;	/* thanks closing a story of trouble */
		st->adjusted *= scale;
		add_why(st, "%s x%.2f", why, scale);
	}
}

/* Marks the tokens of sentences that end in '?', in one pass from the
 * end. */
static void
mark_questions(const struct cl_post *p, struct tok_role *tr)
{
	const struct tend_tokens *tk = &p->tokens;
	size_t i, j, end;
	int asked = 0;

	for (i = tk->n; i-- > 0; ) {
		if (i + 1 == tk->n || sentence_starts(p, i + 1)) {
			end = i + 1 < tk->n ? tk->v[i + 1].src : p->text_len;
			asked = 0;
			for (j = tk->v[i].src + tk->v[i].src_len; j < end; j++)
				asked |= p->text[j] == '?';
		}
		tr[i].asked = (uint8_t)asked;
	}
}

/* A question asks more than it tells: the faults of a sentence that ends
 * in '?' count half ("is the app down?"), its praise a quarter, since
 * asking whether a thing is good is not saying so ("is it worth it?",
 * "what's the best way?"). */
static void
asked(struct cl_post *p, struct tok_role *tr)
{
	size_t i;

	if (!p->tokens.questions)
		return;		/* tr[].asked left unmarked: none would be */
	mark_questions(p, tr);
	for (i = 0; i < p->nsterms; i++) {
		struct cl_sentiment_term *st = &p->sterms[i];

		if (tr[st->last].asked) {
			double by = st->adjusted > 0 ? PRAISE_IN_QUESTION :
			    IN_QUESTION;

			st->adjusted *= by;
			add_why(st, "in a question x%.2g", by);
		}
	}
}

/*
 * Praise weighed against fault ("the app works ok but it keeps forgetting
 * my address"): with a contrast word in the post, its praise and its
 * faults, each by the lexicon's own valence, the lighter side at least
 * MIXED_AT of the heavier.  Praise that irony or negation turned round
 * counts on neither side, nor do manners.
 */
static int
mixed_feelings(const struct cl_post *p)
{
	double praise = 0, fault = 0;
	size_t i;

	for (i = 0; i < p->nsterms; i++) {
		const struct cl_sentiment_term *st = &p->sterms[i];

		if (st->courtesy || st->marker)
			continue;
		if (st->valence > 0 && st->adjusted > 0)
			praise += st->valence;
		else if (st->valence < 0 && st->adjusted < 0)
			fault -= st->valence;
	}
	return praise > 0 && fault > 0 && (praise < fault ? praise / fault :
	    fault / praise) >= MIXED_AT;
}

/* Whether st is a feeling term (no manners, no irony marker) before the
 * contrast word, in its sentence. */
static int
weighed_before(const struct cl_post *p, const struct cl_sentiment_term *st,
    long contrast)
{
	return !st->courtesy && !st->marker &&
	    in_contrast_sentence(p, st, contrast);
}

/*
 * Praise taken back: praise before the contrast word, in its sentence,
 * when nothing after the contrast says how the writer feels ("the
 * concert was good but the crowd was on their phones the whole time";
 * "love the app but why is there no dark mode"): what follows "but" is
 * the point of the post, in words the lexicon does not weigh, so the
 * praise counts for nothing.  Praise and fault together before the
 * contrast, an exclamation after it ("but still keeping it!") or fewer
 * than two words after it leave the praise alone.
 */
static void
praise_taken_back(struct cl_post *p, long contrast)
{
	const struct tend_token *c;
	size_t i, words = 0;
	int praise = 0, fault = 0;

	if (contrast < 0)
		return;
	c = &p->tokens.v[contrast];
	for (i = (size_t)contrast + 1; i < p->tokens.n; i++)
		words += p->tokens.v[i].kind == TEND_TOKEN_WORD;
	if (words < 2 || memchr(p->text + c->src, '!', p->text_len - c->src))
		return;
	for (i = 0; i < p->nsterms; i++) {
		const struct cl_sentiment_term *st = &p->sterms[i];

		if ((long)st->token > contrast && st->adjusted != 0 &&
		    !st->courtesy)
			return;
		if (weighed_before(p, st, contrast)) {
			praise |= st->adjusted > 0;
			fault |= st->adjusted < 0;
		}
	}
	if (!praise || fault)
		return;
	for (i = 0; i < p->nsterms; i++) {
		struct cl_sentiment_term *st = &p->sterms[i];

		if (weighed_before(p, st, contrast)) {
			st->adjusted = 0;
			add_why(st, "praise taken back by '%s' x0",
			    tend_token_text(&p->tokens, (size_t)contrast));
		}
	}
}

/*
 * A story that ends well: trouble told anywhere before the post's last
 * resolution ("refunded", "fixed"), not negated, with no fault after it,
 * is over, as a remedy near it says ("a bad chicken last week and they
 * refunded it, sent a voucher and the manager rang me"; "card cloned,
 * blocked, money refunded and a new card at my hotel").  Without it such
 * a story, with its trouble told and its resolution only an event, reads
 * as a complaint, and the praise that ends it as irony.
 */
static void
story_ends_well(struct cl_post *p, const struct tok_role *tr)
{
	size_t i, end = SIZE_MAX;

	for (i = 0; i < p->tokens.n; i++)
		if (tr[i].resolves && !negated_at(p, tr, i))
			end = i;
	if (end == SIZE_MAX)
		return;
	for (i = 0; i < p->nsterms; i++)
		if (p->sterms[i].token > end && p->sterms[i].adjusted < 0)
			return;
	for (i = 0; i < p->nsterms; i++) {
		struct cl_sentiment_term *st = &p->sterms[i];

		if (st->token < end && st->adjusted < 0) {
			st->adjusted *= REMEDY_SCALE;
			add_why(st, "told before '%s' x%.2f",
			    tend_token_text(&p->tokens, end), REMEDY_SCALE);
		}
	}
}

/* p->score from its parts: the terms' sum, emphasis and the cues,
 * normalised into [-1, 1]. */
static void
score(struct cl_post *p)
{
	double x = p->sum + p->emphasis;
	int c;

	for (c = 0; c < CL_NCUES; c++)
		x += p->cue[c];
	p->score = x / sqrt(x * x + NORMALISE_ALPHA);	/* in (-1, 1) */
}

void
cl_sentiment_add_cue(struct cl_post *p, int c, double value)
{
	p->cue[c] = value;
	score(p);
}

void
cl_sentiment(const struct cl *cl, struct cl_post *p, int lang)
{
	const struct tend_tokens *tk = &p->tokens;
	int order[CL_MAXLANG + 2];
	size_t norder = lookup_order(cl, lang, order), i;
	struct tok_role *tr;
	long contrast = -1;
	int caps_differ = tk->caps_words > 0 && tk->caps_words < tk->words;
	int turned;
	double sum = 0, emphasis;
	unsigned q;

	tend_xgrow(&p->roles, &p->roles_cap, tk->n + 1, sizeof(*tr));
	tr = p->roles;
	assign_roles(cl, p, tr, order, norder);
	for (i = 0; i < tk->n; i++)
		if (tr[i].role == ROLE_CONTRAST)
			contrast = (long)i;
	p->nsterms = 0;
	memset(p->cue, 0, sizeof(p->cue));
	p->spam = 0;
	for (i = 0; i < tk->n; i++) {
		struct cl_sentiment_term *st;

		if (!has_valence(tr[i].role))
			continue;
		tend_xgrow((void **)&p->sterms, &p->sterms_cap, p->nsterms + 1,
		    sizeof(*p->sterms));
		st = &p->sterms[p->nsterms++];
		st->token = i;
		for (st->last = i; st->last + 1 < tk->n &&
		    tr[st->last + 1].role == ROLE_INSIDE; st->last++)
			;
		st->valence = tr[i].value;
		st->marker = tr[i].role == ROLE_IRONY;
		st->courtesy = tr[i].role == ROLE_COURTESY;
		st->why[0] = '\0';
		if (st->marker)
			add_why(st, "irony marker");
		st->adjusted = adjusted(p, tr, i, contrast, caps_differ, st);
	}
	story_ends_well(p, tr);
	praise_taken_back(p, contrast);
	turned = read_irony(p, tr, contrast);
	thanks_taken_back(p, contrast);
	manners(p);
	asked(p, tr);
	p->mixed = contrast >= 0 && mixed_feelings(p);
	for (i = 0; i < p->nsterms; i++)
		sum += p->sterms[i].adjusted;
	q = tk->questions;
	emphasis = (tk->exclamations < 4 ? tk->exclamations : 4) * EXCLAMATION;
	if (q > 1)
		emphasis += q <= 3 ? q * QUESTION : 0.96;
	p->emphasis = sum > 0 ? emphasis : sum < 0 && emphasis > 0 ?
	    -emphasis : 0;
	p->sum = sum;
	p->cue[CL_CUE_QUOTED] = !p->reply && quoted_back(p, tr) ? QUOTED : 0;
	p->cue[CL_CUE_LONE_NEGATION] = !p->reply && !tk->questions &&
	    sum <= 0 && lone_negation(p, tr) ? LONE_NEGATION : 0;
	p->cue[CL_CUE_ECHO] = !p->reply && sum <= 0 && echoed(p) ? ECHO : 0;
	score(p);
	p->ironic = turned && p->score < 0;
}
