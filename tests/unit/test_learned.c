/* test_learned.c: learned weights (lib/cl_learned.c): the @learned lines
 * of a lexicon, how they correct a post's score and label, and the fit
 * that writes them (tend-classify --learn). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "classify.h"

#define LEXICON "@lang\ten\nlate\t-1.5\ngood\t1.9\n"

/* Loads lexicon text into a fresh cl; -1 with err set when it fails. */
static int
load(struct cl *cl, const char *text, struct tend_error *err)
{
	char path[] = "/tmp/test_learned.XXXXXX";
	int fd = mkstemp(path), rc;
	FILE *fp;

	assert_true(fd >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	memset(err, 0, sizeof(*err));
	cl_init(cl);
	rc = cl_lexicon_load(cl, path, err);
	unlink(path);
	return rc;
}

/* The score of text in English, as cl_classify() leaves it once every
 * cue is in (no rules here). */
static double
score_of(const struct cl *cl, struct cl_post *p, const char *text)
{
	int en = cl_lang_find(cl, "en", 2);

	p->text = text;
	p->text_len = strlen(text);
	tend_text_tokenize(&p->tokens, text, p->text_len, cl->emoticons,
	    cl->emoticon_max);
	cl_lookup_tokens(cl, p);
	p->lex_lang = en;
	cl_sentiment(cl, p, en);
	cl_learned_apply(cl, p, en);
	return p->score;
}

static void
test_directives_rejected(void **state)
{
	static const struct {
		const char *line, *says;
		long col;
	} bad[] = {
		{ "@learned\tlate", "needs a term, then a weight", 10 },
		{ "@learned\tlate\t1.5", "a weight from -1 to 1", 10 },
		{ "@learned\tlate\tnan", "a weight from -1 to 1", 10 },
		{ "@learned\tthe parcel late\t-0.1", "one word or two", 10 },
		{ "@learned\t \t-0.1", "one word or two", 10 },
		{ "@learned-base\t1", "a slope and an intercept", 15 },
		{ "@learned-base\t-1\t0", "slope 0 to 10", 15 },
		{ "@learned-labels\t0.1\t0.2", "a negative threshold", 17 },
		{ "@learned-labels\t-0.1\tinf", "the negative and positive",
		    17 },
		{ "@learnedx\tlate\t0.1", "unknown directive '@learnedx'", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256];
		struct tend_error err;
		struct cl cl;

		snprintf(text, sizeof(text), "%s%s\n", LEXICON, bad[i].line);
		if (load(&cl, text, &err) == 0)
			fail_msg("accepted: %s", bad[i].line);
		if (!strstr(err.text, bad[i].says))
			fail_msg("%s: said \"%s\"", bad[i].line, err.text);
		assert_int_equal(err.line, 4);
		assert_int_equal(err.col, bad[i].col);
		cl_release(&cl);
	}
}

static void
test_weights_add_up(void **state)
{
	struct tend_error err;
	struct cl cl;
	struct cl_post p;
	double plain, s;

	(void)state;
	assert_int_equal(load(&cl, LEXICON "@learned\tstill\t-0.2\n"
	    "@learned\tPARCEL Late\t-0.05\n@learned\t<number>\t-0.01\n"
	    "@learned\t<question>\t0.03\n", &err), 0);
	cl_post_init(&p);
	cl.no_learned = 1;
	plain = score_of(&cl, &p, "the parcel is late");
	assert_false(p.learned);
	cl.no_learned = 0;
	/* no learned term: the lexicon's score, slope 1, intercept 0 */
	assert_true(score_of(&cl, &p, "the parcel is late") == plain);
	assert_true(p.learned);
	/* each occurrence counts; a pair only where its words neighbour */
	s = score_of(&cl, &p, "still late, still");
	assert_true(fabs(s - (plain - 0.4)) < 1e-6);
	s = score_of(&cl, &p, "parcel late");
	assert_true(fabs(s - (plain - 0.05)) < 1e-6);
	s = score_of(&cl, &p, "parcel 3 days late?");
	assert_true(fabs(p.learned_sum - (-0.01 + 0.03)) < 1e-6);
	assert_true(fabs(s - p.lexicon_score - p.learned_sum) < 1e-6);
	cl_post_release(&p);
	cl_release(&cl);
}

static void
test_base_and_labels(void **state)
{
	struct tend_error err;
	struct cl cl;
	struct cl_post p;
	double s;
	int en;

	(void)state;
	assert_int_equal(load(&cl, LEXICON "@learned-base\t0.5\t0.1\n"
	    "@learned-labels\t-0.05\t0.3\n@learned\tgood\t0.9\n", &err), 0);
	en = cl_lang_find(&cl, "en", 2);
	cl_post_init(&p);
	s = score_of(&cl, &p, "late");
	assert_true(fabs(s - (0.5 * p.lexicon_score + 0.1)) < 1e-6);
	/* kept within [-1, 1] */
	assert_true(score_of(&cl, &p, "good good good") == 1);
	/* the language's own thresholds; the lexicon's elsewhere */
	assert_int_equal(cl_label_of(&cl, en, 0.2), CL_NEUTRAL);
	assert_int_equal(cl_label_of(&cl, -1, 0.2), CL_NEUTRAL);
	assert_int_equal(cl_label_of(&cl, en, 0.35), CL_POSITIVE);
	assert_int_equal(cl_label_of(&cl, en, -0.06), CL_NEGATIVE);
	assert_int_equal(cl_label_of(&cl, -1, -0.06), CL_NEUTRAL);
	cl.no_learned = 1;
	assert_int_equal(cl_label_of(&cl, en, -0.06), CL_NEUTRAL);
	cl_post_release(&p);
	cl_release(&cl);
}

/* Rated posts whose words the lexicon does not know: the fit must find
 * what each word says, and what it writes must load and say it. */
static void
test_learner_fits(void **state)
{
	static const char *const said[][2] = { { "the parcel came ", "" },
	    { "my parcel arrived ", " again" }, { "parcel ", " thanks" } };
	struct tend_error err;
	struct cl cl, learned;
	struct cl_post p;
	struct cl_learner *ln;
	struct tend_buf out = TEND_BUF_INIT;
	char text[128], path[] = "/tmp/test_learned.XXXXXX";
	size_t i;
	int fd;
	FILE *fp;

	(void)state;
	assert_int_equal(load(&cl, "@lang\ten\nthe\t0\n", &err), 0);
	cl.no_learned = 1;
	cl_post_init(&p);
	ln = cl_learner_new();
	for (i = 0; i < 1200; i++) {
		int bad = i % 2 == 0;

		snprintf(text, sizeof(text), "%s%s%s", said[i % 3][0],
		    bad ? "broken" : "perfect", said[i % 3][1]);
		score_of(&cl, &p, text);
		cl_learner_add(ln, &p, bad ? -2.4 : 2.8);
	}
	assert_int_equal(cl_learner_write(ln, &cl, &out), 1);
	cl_learner_free(ln);
	assert_non_null(strstr(out.data, "@lang\ten\n@learned-base\t"));
	assert_non_null(strstr(out.data, "\n@learned\tbroken\t-"));
	assert_non_null(strstr(out.data, "\n@learned\tperfect\t0."));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fwrite(out.data, 1, out.len, fp);
	assert_int_equal(fclose(fp), 0);
	cl_init(&learned);
	if (cl_lexicon_load(&learned, path, &err) < 0)
		fail_msg("%s:%ld:%ld: %s", path, err.line, err.col, err.text);
	unlink(path);
	assert_true(score_of(&learned, &p, "the parcel came broken") < -0.4);
	assert_true(score_of(&learned, &p, "the parcel came perfect") > 0.4);
	assert_int_equal(cl_label_of(&learned, p.lex_lang, p.score),
	    CL_POSITIVE);
	cl_release(&learned);
	cl_post_release(&p);
	cl_release(&cl);
	tend_buf_release(&out);
}

static void
test_learner_needs_posts(void **state)
{
	struct tend_error err;
	struct cl cl;
	struct cl_post p;
	struct cl_learner *ln;
	struct tend_buf out = TEND_BUF_INIT;
	size_t i;

	(void)state;
	assert_int_equal(load(&cl, LEXICON, &err), 0);
	cl.no_learned = 1;
	cl_post_init(&p);
	ln = cl_learner_new();
	for (i = 0; i < 10; i++) {
		score_of(&cl, &p, "late again");
		cl_learner_add(ln, &p, -1.5);
	}
	p.spam = 1;		/* spam scores 0: nothing to learn from */
	cl_learner_add(ln, &p, 3);
	assert_int_equal(cl_learner_write(ln, &cl, &out), 0);
	assert_string_equal(out.data,
	    "no language has 1000 rated posts (en 10)");
	cl_learner_free(ln);
	cl_post_release(&p);
	cl_release(&cl);
	tend_buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_directives_rejected),
		cmocka_unit_test(test_weights_add_up),
		cmocka_unit_test(test_base_and_labels),
		cmocka_unit_test(test_learner_fits),
		cmocka_unit_test(test_learner_needs_posts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
