/* langid.c: which language a post is in, from the language-word lists
 * (share/tend/lang/LANG.words): each known word adds its weight to its
 * languages; the best language wins when it has enough evidence for the
 * post's length and clearly more than the runner-up, else "und". */
#include <string.h>

#include "classify.h"

/*
 * English is everyone's second language: posts in other languages mix it
 * in ("udh 3x chat CS tapi jawabannya template doang. so annoying"),
 * English posts hardly mix in any other.  English as the runner-up of
 * another language weighs this much.
 */
#define ENGLISH_RUNNER_UP 0.5

int
cl_detect_lang(const struct cl *cl, struct cl_post *p, int *confident)
{
	double best = 0, second = 0;
	size_t i, words = 0;
	int lang = -1, runner_up = -1;
	uint32_t j;

	memset(p->lang_score, 0, sizeof(p->lang_score));
	*confident = 0;
	for (i = 0; i < p->tokens.n; i++) {
		const struct tend_token *k = &p->tokens.v[i];
		const struct cl_term *t = p->tt[i];

		if (k->kind != TEND_TOKEN_WORD && k->kind != TEND_TOKEN_HASHTAG)
			continue;
		if (k->kind == TEND_TOKEN_WORD)
			words++;
		if (!t)
			continue;
		for (j = 0; j < t->n; j++)
			if (t->e[j].kind == CL_LANGWORD)
				p->lang_score[t->e[j].lang] += t->e[j].value;
	}
	for (i = 1; i < cl->nlangs; i++) {
		double s = p->lang_score[i];

		if (s > best) {
			second = best;
			runner_up = lang;
			best = s;
			lang = (int)i;
		} else if (s > second) {
			second = s;
			runner_up = (int)i;
		}
	}
	if (runner_up >= 0 && runner_up == cl->en)
		second *= ENGLISH_RUNNER_UP;
	/* enough evidence: a strong word in a short post, a fifth of the
	 * words' worth in a long one; and twice the runner-up */
	if (lang < 0 || best < 1.5 || best < 0.2 * (double)words ||
	    best < 2 * second)
		return -1;
	*confident = best >= 3 && best >= 3 * second;
	return lang;
}
