/* test_classify.c: the classification engine as tend lint uses it, on text
 * alone (lib/classify.h: cl_text_tone); the verdicts on records are tested
 * through tend-classify's golden cases.  Reads the shipped lexicons from
 * share/tend, so it runs from the top of the tree (as make check does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"

struct fixture {
	struct cl cl;
	struct cl_post post;
};

static int
setup(void **state)
{
	static struct fixture f;
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	cl_init(&f.cl);
	if (cl_load_defaults(&f.cl, "share/tend", &err) < 0) {
		print_error("share/tend: %s:%ld: %s\n", err.file, err.line,
		    err.text);
		return -1;
	}
	cl_post_init(&f.post);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	cl_post_release(&f->post);
	cl_release(&f->cl);
	return 0;
}

/* The language detected for text, as a code ("und" when unsure), and its
 * tone in the language given (NULL: the one detected). */
static const char *
tone(struct fixture *f, const char *text, const char *lang, double *score)
{
	int i = cl_text_tone(&f->cl, &f->post, text, strlen(text), lang,
	    score);

	return i < 0 ? "und" : f->cl.langs[i];
}

static void
test_tone_of_replies(void **state)
{
	struct fixture *f = *state;
	double s;

	assert_string_equal(tone(f, "Thanks so much for your patience, "
	    "we're glad to help! ^AB", NULL, &s), "en");
	assert_true(s >= CL_POSITIVE_AT);
	assert_string_equal(tone(f, "Calm down. This is your fault and we "
	    "can't do anything, it's useless to complain.", NULL, &s), "en");
	assert_true(s <= CL_NEGATIVE_AT);
	assert_string_equal(tone(f, "Terima kasih banyak, kami senang bisa "
	    "membantu kakak!", NULL, &s), "id");
	assert_true(s >= CL_POSITIVE_AT);
	assert_string_equal(tone(f, "Hvala za potrpežljivost, z veseljem "
	    "vam pomagamo!", NULL, &s), "sl");
	assert_true(s >= CL_POSITIVE_AT);
}

/* A declared language is the one whose lexicon counts, whatever was
 * detected; the detection is still returned, for lint to compare. */
static void
test_declared_language_counts(void **state)
{
	struct fixture *f = *state;
	double en, id;

	assert_string_equal(tone(f, "Terima kasih banyak, kami senang bisa "
	    "membantu kakak!", "id", &id), "id");
	assert_string_equal(tone(f, "Terima kasih banyak, kami senang bisa "
	    "membantu kakak!", "en", &en), "id");
	assert_true(id > en);
}

static void
test_empty_text(void **state)
{
	struct fixture *f = *state;
	double s = 1;

	assert_string_equal(tone(f, "", NULL, &s), "und");
	assert_true(s == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tone_of_replies),
		cmocka_unit_test(test_declared_language_counts),
		cmocka_unit_test(test_empty_text),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
