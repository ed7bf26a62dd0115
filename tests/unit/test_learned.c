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

#define TWO_CLASSES "@learned-class\t-4\t0\t-2\n@learned-class\t4\t0\t2\n"

static void
test_directives_rejected(void **state)
{
	static const struct {
		const char *lines, *says;
		long col;
	} bad[] = {
		{ "@learned\tlate\t0.1\t0.2", "before two @learned-class", 1 },
		{ TWO_CLASSES "@learned\tlate\t0.1", "a weight for each of "
		    "the 2 classes", 10 },
		{ TWO_CLASSES "@learned\tlate\t0.1\t0.2\t0.3", "a weight "
		    "for each", 10 },
		{ TWO_CLASSES "@learned\tlate\tnan\t0.2", "a weight for "
		    "each", 10 },
		{ TWO_CLASSES "@learned\tlate\t21\t0.2", "weight '21' is "
		    "not from -20 to 20", 10 },
		{ TWO_CLASSES "@learned\tthe parcel late\t-0.1\t0", "one "
		    "word or two", 10 },
		{ TWO_CLASSES "@learned\t \t-0.1\t0", "one word or two",
		    10 },
		{ "@learned-class\t1\t0", "a mean rating from -4 to 4, an "
		    "intercept and a slope", 16 },
		{ "@learned-class\t5\t0\t0", "a mean rating", 16 },
		{ "@learned-class\t0\t0\t0\n@learned-class\t0\t0\t0\n"
		    "@learned-class\t0\t0\t0\n@learned-class\t0\t0\t0\n"
		    "@learned-class\t0\t0\t0\n@learned-class\t0\t0\t0\n"
		    "@learned-class\t0\t0\t0\n@learned-class\t0\t0\t0\n"
		    "@learned-class\t0\t0\t0", "more than 8 @learned-class", 1 },
		{ "@learned-labels\t-0.1\t0.2", "before two @learned-class",
		    1 },
		{ TWO_CLASSES "@learned-labels\t0.1\t0.2", "a negative "
		    "threshold", 17 },
		{ TWO_CLASSES "@learned-labels\t-0.1\tinf", "a negative "
		    "threshold", 17 },
		{ "@learnedx\tlate\t0.1", "unknown directive '@learnedx'", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[512];
		const char *c;
		struct tend_error err;
		struct cl cl;
		long lines = 4;

		snprintf(text, sizeof(text), "%s%s\n", LEXICON, bad[i].lines);
		for (c = bad[i].lines; *c; c++)
			lines += *c == '\n';
		if (load(&cl, text, &err) == 0)
			fail_msg("accepted: %s", bad[i].lines);
		if (!strstr(err.text, bad[i].says))
			fail_msg("%s: said \"%s\"", bad[i].lines, err.text);
		assert_int_equal(err.line, lines);
		assert_int_equal(err.col, bad[i].col);
		cl_release(&cl);
	}
}

/*
 * Two classes, of mean -4 and +4: the score is p(+4) - p(-4), the tanh
 * of half the difference of their sums, so each term's weights move it
 * by a known amount.
 */
static void
test_classes_score(void **state)
{
	struct tend_error err;
	struct cl cl;
	struct cl_post p;
	double plain, s;

	(void)state;
	assert_int_equal(load(&cl, LEXICON TWO_CLASSES "@learned\tstill\t-1"
	    "\t1\n@learned\tPARCEL Late\t-0.5\t0.5\n@learned\t<number>\t"
	    "0.25\t-0.25\n@learned\t<question>\t-0.1\t0.1\n", &err), 0);
	cl_post_init(&p);
	cl.no_learned = 1;
	plain = score_of(&cl, &p, "the parcel is late");
	assert_false(p.learned);
	cl.no_learned = 0;
	/* no term with weights: the slopes alone, 4 x the lexicon's score */
	s = score_of(&cl, &p, "the parcel is late");
	assert_true(p.learned);
	assert_true(fabs(p.lexicon_score - plain) < 1e-12);
	assert_true(fabs(s - tanh(2 * plain)) < 1e-6);
	assert_true(fabs(p.class_p[0] + p.class_p[1] - 1) < 1e-9);
	/* each occurrence counts; a pair only where its words neighbour */
	s = score_of(&cl, &p, "still late, still");
	assert_true(fabs(s - tanh(2 * plain + 2)) < 1e-6);
	s = score_of(&cl, &p, "parcel late");
	assert_true(fabs(s - tanh(2 * plain + 0.5)) < 1e-6);
	s = score_of(&cl, &p, "parcel 3 days late?");
	assert_true(fabs(s - tanh(2 * p.lexicon_score - 0.25 + 0.1)) < 1e-6);
	cl_post_release(&p);
	cl_release(&cl);
}

static void
test_labels(void **state)
{
	struct tend_error err;
	struct cl cl;
	int en;

	(void)state;
	assert_int_equal(load(&cl, LEXICON TWO_CLASSES "@learned-labels\t"
	    "-0.05\t0.3\n", &err), 0);
	en = cl_lang_find(&cl, "en", 2);
	/* the language's own thresholds; the lexicon's elsewhere */
	assert_int_equal(cl_label_of(&cl, en, 0.2), CL_NEUTRAL);
	assert_int_equal(cl_label_of(&cl, -1, 0.2), CL_NEUTRAL);
	assert_int_equal(cl_label_of(&cl, en, 0.35), CL_POSITIVE);
	assert_int_equal(cl_label_of(&cl, en, -0.06), CL_NEGATIVE);
	assert_int_equal(cl_label_of(&cl, -1, -0.06), CL_NEUTRAL);
	cl.no_learned = 1;
	assert_int_equal(cl_label_of(&cl, en, -0.06), CL_NEUTRAL);
	cl_release(&cl);
}

/* A model loaded after another for the same language (a --lexicon file
 * after the defaults) replaces it, weights and all. */
static void
test_later_model_replaces(void **state)
{
	struct tend_error err;
	struct cl cl;
	struct cl_post p;
	double s;

	(void)state;
	assert_int_equal(load(&cl, LEXICON TWO_CLASSES "@learned\tstill\t-1"
	    "\t1\n@learned-class\t-2\t0\t0\n@learned-class\t2\t0\t0\n",
	    &err), 0);
	cl_post_init(&p);
	s = score_of(&cl, &p, "still late");
	assert_true(fabs(s) < 1e-9);	/* slopes 0, and "still" forgotten */
	assert_int_equal(cl.learned[cl_lang_find(&cl, "en", 2)].nclasses, 2);
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
		cl_learner_add(ln, &cl, &p, bad ? -2.4 : 2.8);
	}
	assert_int_equal(cl_learner_write(ln, &cl, &out), 1);
	cl_learner_free(ln);
	assert_non_null(strstr(out.data, "@lang\ten\n@learned-class\t"));
	assert_non_null(strstr(out.data, "\n@learned\tbroken\t"));
	assert_non_null(strstr(out.data, "\n@learned\tperfect\t"));

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
		cl_learner_add(ln, &cl, &p, -1.5);
	}
	p.spam = 1;		/* spam scores 0: nothing to learn from */
	cl_learner_add(ln, &cl, &p, 3);
	assert_int_equal(cl_learner_write(ln, &cl, &out), 0);
	assert_string_equal(out.data,
	    "no language has 1000 rated posts (en 10)");
	cl_learner_free(ln);
	cl_post_release(&p);
	cl_release(&cl);
	tend_buf_release(&out);
}

/* The lexicons' numbers: plain decimals fast, the rest through strtod,
 * nothing that is not a finite number. */
static void
test_parse_number(void **state)
{
	static const struct {
		const char *s;
		double want;	/* NAN: rejected */
	} cases[] = {
		{ "-0.25", -0.25 }, { "3", 3 }, { "+1.5", 1.5 }, { "1.5 ", 1.5 },
		{ "1.5\r", 1.5 }, { "1e-3", 0.001 }, { " 2", 2 }, { ".5", 0.5 },
		{ "0.12345678901234567", 0.12345678901234567 },
		{ "1.5x", NAN }, { "", NAN }, { "-", NAN }, { "nan", NAN },
		{ "inf", NAN }, { "1e999", NAN },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		float v = 0;
		int rc = cl_parse_number(cases[i].s, &v);

		if (isnan(cases[i].want)) {
			if (rc == 0)
				fail_msg("\"%s\" accepted as %g", cases[i].s, v);
		} else if (rc < 0 || v != (float)cases[i].want)
			fail_msg("\"%s\": %d, %g", cases[i].s, rc, v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_number),
		cmocka_unit_test(test_directives_rejected),
		cmocka_unit_test(test_classes_score),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_later_model_replaces),
		cmocka_unit_test(test_learner_fits),
		cmocka_unit_test(test_learner_needs_posts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
