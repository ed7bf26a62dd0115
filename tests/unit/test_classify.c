/* test_classify.c: the classification engine as tend lint uses it, on text
 * alone (lib/classify.h: cl_text_tone); the verdicts on records are tested
 * through tend-classify's golden cases.  Reads the shipped lexicons from
 * share/tend, so it runs from the top of the tree (as make check does). */
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

/* Asserts that English text reads positive (sign > 0) or negative. */
static void
assert_reads(struct fixture *f, const char *text, int sign)
{
	double s;

	tone(f, text, "en", &s);
	if (sign > 0)
		assert_true(s >= CL_POSITIVE_AT);
	else
		assert_true(s <= CL_NEGATIVE_AT);
}

/* Asserts that English text leans positive (sign > 0) or negative, however
 * faintly: for a heuristic that must not turn a sign round. */
static void
assert_leans(struct fixture *f, const char *text, int sign)
{
	double s;

	tone(f, text, "en", &s);
	assert_true(sign > 0 ? s > 0 : s < 0);
}

/* Asserts that English text reads neutral: no feeling said. */
static void
assert_flat(struct fixture *f, const char *text)
{
	double s;

	tone(f, text, "en", &s);
	if (s <= CL_NEGATIVE_AT || s >= CL_POSITIVE_AT)
		fail_msg("\"%s\": %.3f, expected neutral", text, s);
}

/* Asserts that each text's sentiment is one term of its valence, or
 * none (NO_TERM). */
#define NO_TERM 99
struct one_term {
	const char *text, *lang;
	double valence;
};

static void
assert_one_terms(struct fixture *f, const struct one_term *cases, size_t n)
{
	double s;
	size_t i;

	for (i = 0; i < n; i++) {
		tone(f, cases[i].text, cases[i].lang, &s);
		if (cases[i].valence == NO_TERM) {
			if (f->post.nsterms != 0)
				fail_msg("\"%s\": %zu terms", cases[i].text,
				    f->post.nsterms);
			continue;
		}
		if (f->post.nsterms != 1 || fabs(f->post.sterms[0].valence -
		    cases[i].valence) > 1e-6)
			fail_msg("\"%s\": %zu terms, valence %g, not %g",
			    cases[i].text, f->post.nsterms, f->post.nsterms ?
			    f->post.sterms[0].valence : 0, cases[i].valence);
	}
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
	/* our thanks before a "but" are meant (a customer's are taken
	 * back: golden case 087) */
	tone(f, "Thanks for your patience, but the courier needs one more "
	    "day ^AB", "en", &s);
	assert_true(s > 0);
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

/* A post mixing in English is in its own language; one English word in
 * another language's post does not make it English, nor the other way. */
static void
test_mixed_in_english(void **state)
{
	struct fixture *f = *state;
	double s;

	assert_string_equal(tone(f, "seriously min, udh 3x chat CS tapi "
	    "jawabannya template doang. so annoying", NULL, &s), "id");
	assert_string_equal(tone(f, "sinyal udh balik, malah lebih kenceng. "
	    "good job", NULL, &s), "id");
	assert_string_equal(tone(f, "the parcel is late again, where is my "
	    "order", NULL, &s), "en");
	/* evenly split, neither twice the other even so */
	assert_string_equal(tone(f, "delivery super fast, makanannya juga "
	    "enak. love it", NULL, &s), "und");
}

/* Praise meant the other way: irony markers, praise tacked on after a
 * complaint, scare quotes; and what must stay praise. */
static void
test_irony(void **state)
{
	struct fixture *f = *state;

	assert_reads(f, "I love waiting three weeks for a card 🙃", -1);
	assert_reads(f, "Oh great, the app is down again", -1);
	assert_reads(f, "love how my phone decides to update right when i "
	    "need it", -1);
	assert_reads(f, "oh good, you lost another parcel", -1);
	assert_reads(f, "who thought removing the headphone jack was a good "
	    "idea", -1);
	assert_reads(f, "oh sure, just cancel plans 10 mins before. no problem "
	    "at all", -1);
	assert_reads(f, "Great, another engineer visit to stay home for", -1);
	assert_reads(f, "Still no broadband after 3 weeks. Great job guys", -1);
	assert_reads(f, "your \"fast\" broadband drops every evening", -1);
	/* a contrast word: the praise is meant */
	assert_reads(f, "The parcel was late, but the driver was lovely", 1);
	/* a long last sentence: a point of its own, not a jab */
	assert_reads(f, "The parcel was late. The driver who finally brought "
	    "it was lovely and helpful", 1);
	/* irony is said flat: praise that exclaims, thanks or denies a
	 * fault is meant */
	assert_reads(f, "Your team caught a dodgy payment before I "
	    "noticed. Brilliant, thank you", 1);
	assert_reads(f, "The old app was slow. Great job guys!", 1);
	assert_reads(f, "The old app was slow. Great job guys", -1);
	assert_reads(f, "The hospital raised $2 million for the new wing!! "
	    "amazing community", 1);
	assert_leans(f, "The old app was slow. Not bad at all now", 1);
	assert_leans(f, "The flight was cancelled and the hotel was awful. "
	    "Thank you to the crew who stayed with us. ❤️", 1);
	/* praise at both ends of a complaint, the first as a cry */
	assert_reads(f, "lovely, the bus broke down halfway. lovely.", -1);
	assert_reads(f, "lovely, the bus was on time today", 1);
	assert_leans(f, "finally deleted the broken app. peace is back", 1);
	/* a quotation of more than two words is reported speech */
	assert_reads(f, "She said \"great to see you again\" and smiled",
	    1);
	/* praise seldom said in irony is meant (@sincere) */
	assert_leans(f, "lost my phone on the bus and the depot rang me to "
	    "say they had it. legends", 1);
	assert_leans(f, "lost 6 balls and shot 104. personal best", 1);
	/* a marker in words, in a post that thanks and finds no fault */
	assert_reads(f, "Oh brilliant, that's worked! Thank you so much", 1);
	assert_reads(f, "oh great, the app crashed again. thanks", -1);
	assert_reads(f, "oh great, that worked. thanks 🙃", -1);
	/* a negator written as a hashtag is a marker */
	assert_reads(f, "fire alarm at 3am again. dorm life is so fun #not", -1);
	assert_reads(f, "laptop updated mid essay. thanks sooo much #not", -1);
}

/* Negation turns words round, not the writer's emoji. */
static void
test_emoji_not_negated(void **state)
{
	struct fixture *f = *state;

	assert_reads(f, "ordered 3 weeks ago and still nothing 😤", -1);
	assert_reads(f, "never had a problem 😊", 1);
	/* nor a face spelt with letters */
	assert_leans(f, "met the band. never washing this shirt xD", 1);
}

/* A negator phrase reaches as far as a negator word: a phrase counts as
 * one word. */
static void
test_negator_phrase(void **state)
{
	struct fixture *f = *state;

	assert_reads(f, "he explained it all without making me feel stupid", 1);
	assert_reads(f, "the curry used to be the best in town", -1);
}

/* A word unknown with "'s" is looked up without it. */
static void
test_clitic_s(void **state)
{
	struct fixture *f = *state;

	assert_reads(f, "funeral's at 11", -1);
	assert_reads(f, "the sunshine's back", 1);
	assert_reads(f, "the bushfire's 2km away", -1);
}

/* Elongated words are looked up squeezed, alone and in phrases, each
 * way: "goood" (runs of three to two), "sorryyy" (to one), "pleaseee",
 * and phrases whose words alone would read otherwise. */
static void
test_elongated(void **state)
{
	struct fixture *f = *state;
	double plain, stretched;

	tone(f, "good", "en", &plain);
	tone(f, "goooood", "en", &stretched);
	assert_true(plain > 0 && stretched == plain);
	tone(f, "sorry", "en", &plain);
	tone(f, "sorryyyy", "en", &stretched);
	assert_true(plain < 0 && stretched == plain);
	assert_reads(f, "lets gooooo", 1);
	assert_reads(f, "can't waittttt", 1);
	assert_reads(f, "cant waiiiit for the weekend", 1);
	tone(f, "wait", "en", &plain);
	tone(f, "waiiiit", "en", &stretched);
	assert_true(stretched == plain);
	/* "nooo" is dismay, not a negator turning "died" round */
	assert_reads(f, "nooo my phone died", -1);
}

/* Our own replies quote labels ("tap "Forgot password""): unlike a
 * customer's post, quoting makes them no more negative. */
static void
test_reply_quotes_labels(void **state)
{
	struct fixture *f = *state;
	double plain, quoted;

	tone(f, "Tap Forgot password and we will send a new link",
	    "en", &plain);
	tone(f, "Tap \"Forgot password\" and we will send a new link",
	    "en", &quoted);
	assert_true(quoted == plain);
	assert_true(f->post.cue[CL_CUE_QUOTED] == 0);
}

/* A negation that praises ("can't recommend them enough"), not one that
 * only looks like it ("not good enough"). */
static void
test_superlative(void **state)
{
	struct fixture *f = *state;

	assert_reads(f, "can't recommend them enough", 1);
	assert_reads(f, "cant recommend that little taco truck on 3rd enough",
	    1);
	assert_reads(f, "not the sharpest camera, but for the price it's hard "
	    "to complain", 1);
	assert_reads(f, "Cannot say enough good things about the vet", 1);
	assert_reads(f, "can't overstate how good the new app is", 1);
	assert_reads(f, "not good enough", -1);
	assert_reads(f, "the food was not great, enough said", -1);
	/* thanks that cannot be said enough are meant, not manners that
	 * count for little beside the trouble told */
	assert_reads(f, "We can't thank the nurses enough. Dad was ill", 1);
	/* a negated expectation turns nothing round after it */
	assert_reads(f, "did not expect to enjoy a cheesy rom-com this much",
	    1);
	assert_reads(f, "never thought i'd enjoy a 4 hour documentary", 1);
}

/* A problem dealt with is over; one not dealt with is not. */
static void
test_remedy(void **state)
{
	struct fixture *f = *state;
	double s;

	assert_reads(f, "resolved my problem", 1);
	assert_reads(f, "my hacked account was recovered", 1);
	assert_reads(f, "problem solved", 1);
	assert_reads(f, "the update fixed most of the bugs", 1);
	/* less of a bad thing */
	assert_leans(f, "tree cover reduced heatstroke hospitalizations", 1);
	assert_leans(f, "unemployment fell to 4.1%", 1);
	assert_reads(f, "the problem is still not fixed", -1);
	assert_reads(f, "they never fixed the broken heater", -1);
	/* a repair verb takes the negation: the problem is still there */
	assert_reads(f, "the engineer didn't fix the problem", -1);
	assert_reads(f, "they can't resolve the fault", -1);
	assert_reads(f, "please fix the problem", -1);
	tone(f, "teknisinya tidak memperbaiki masalah", "id", &s);
	assert_true(s <= CL_NEGATIVE_AT);
	tone(f, "niso popravili napake", "sl", &s);
	assert_true(s <= CL_NEGATIVE_AT);
	/* too far away, or in another clause */
	assert_leans(f, "fixed, they say. the heater is still broken", -1);
	/* a phrase can be a remedy: a harm said in praise */
	assert_reads(f, "this episode broke me in the best way", 1);
}

/* A resolution that ends the story puts right every fault told before
 * it, however far; not one negated, still to come, or followed by a new
 * fault. */
static void
test_story_ends_well(void **state)
{
	struct fixture *f = *state;

	assert_reads(f, "a bad chicken last week, and after my email to "
	    "the shop they refunded it", 1);
	assert_leans(f, "the courier lost my parcel on the way. "
	    "customer service refunded it in a day", 1);
	assert_reads(f, "they refunded it but the new one is broken too", -1);
	assert_reads(f, "a bad chicken last week and they never refunded "
	    "it", -1);
	assert_reads(f, "the broken boiler still needs to be fixed", -1);
}

/* A booster phrase gives its last word to a feeling phrase that starts
 * there, and still boosts it; a booster after a feeling phrase boosts it
 * too. */
static void
test_booster_yields_word(void **state)
{
	struct fixture *f = *state;
	double s;

	tone(f, "so much appreciated", "en", &s);
	assert_int_equal(f->post.nsterms, 1);
	assert_int_equal(f->post.sterms[0].token, 1);	/* "much ..." */
	assert_true(f->post.sterms[0].adjusted > f->post.sterms[0].valence);
	tone(f, "the film was way too long", "en", &s);
	assert_int_equal(f->post.nsterms, 1);
	assert_int_equal(f->post.sterms[0].token, 4);	/* "too long" */
	assert_true(f->post.sterms[0].adjusted < f->post.sterms[0].valence);
	assert_reads(f, "the film was ok but way too long", -1);
	/* degree adverbs boost, whatever they would say alone */
	assert_reads(f, "my dog learned to shake paws and im unreasonably "
	    "proud", 1);
	assert_reads(f, "the new playlist is weirdly good", 1);
	/* a booster after a phrase boosts it, as after a word */
	tone(f, "love this so much", "en", &s);
	assert_int_equal(f->post.nsterms, 1);
	assert_true(f->post.sterms[0].last == 1);	/* "love this" */
	assert_true(f->post.sterms[0].adjusted > f->post.sterms[0].valence);
}

/* Our own replies negate without fault ("we can't see an order"): a lone
 * negation counts only in a customer's post (golden 077). */
static void
test_reply_lone_negation(void **state)
{
	struct fixture *f = *state;
	double s;

	tone(f, "We can't see an order under that name, please DM us the "
	    "number", "en", &s);
	assert_true(f->post.cue[CL_CUE_LONE_NEGATION] == 0);
	assert_true(s > CL_NEGATIVE_AT);
}

/* Our own replies repeat for clarity, not in anger: no echo (the
 * customer's echo is golden case 080). */
static void
test_reply_echo(void **state)
{
	struct fixture *f = *state;
	double s;

	tone(f, "We check every order. EVERY order, ^AB", "en", &s);
	assert_true(f->post.cue[CL_CUE_ECHO] == 0);
	assert_true(s > CL_NEGATIVE_AT);
}

/* A rating counts by where it sits on its scale; a date is none. */
static void
test_ratings(void **state)
{
	static const struct one_term cases[] = {
		{ "10/10", "en", 3 },
		{ "7.5/10", "en", 1.125 },
		{ "6 / 10", "en", 0 },
		{ "3,5/5", "sl", 0.75 },
		{ "1/5", "en", -3 },
		{ "95/100", "en", 2.625 },
		{ "5 stars", "en", 3 },
		{ "1 star", "en", -3 },
		{ "bintang 5", "id", 3 },
		{ "4 zvezdice", "sl", 1.5 },
		/* stars drawn: five in all, or five filled */
		{ "★☆☆☆☆", "en", -3 },
		{ "★★★☆☆", "en", 0 },
		{ "★★★★☆", "en", 1.5 },
		{ "⭐⭐⭐⭐⭐", "en", 3 },
		{ "★★☆", "en", NO_TERM },
		/* Slovenian "star" is old, not an English rating word */
		{ "star 2 leti", "sl", 0 },
		/* dates, fractions of other things, more than the scale */
		{ "10/10/2026", "en", NO_TERM },
		{ "on 2026/10/10", "en", NO_TERM },
		{ "24/7", "en", NO_TERM },
		{ "12/10", "en", NO_TERM },
		{ "7 stars", "en", NO_TERM },
	};
	struct fixture *f = *state;

	assert_one_terms(f, cases, sizeof(cases) / sizeof(cases[0]));
	/* a rating is a term like any other: turned round by a contrast */
	assert_reads(f, "the view was 10/10 but the room was dirty", -1);
}

/* A wait or a price told in figures is a fault; a figure that is
 * neither, or a wait in another clause, is no term. */
static void
test_tolls(void **state)
{
	static const struct one_term cases[] = {
		{ "waited 45 minutes", "en", -1.2 },
		{ "a 40min wait", "en", -1.2 },
		{ "queued 2 hrs", "en", -1.2 },
		{ "nunggu 2 jam", "id", -1.2 },
		{ "\xc2\xa3" "14 for a burger", "en", -1.0 },
		{ "$7.49 for eggs", "en", -1.0 },
		{ "\xc2\xa3" "420k for a flat", "en", -1.0 },
		{ "arrived in 45 minutes", "en", NO_TERM },
		{ "waited. 45 minutes later it came", "en", NO_TERM },
		{ "waited 10 years", "en", NO_TERM },
		{ "14 for a burger", "en", NO_TERM },
		{ "quoted \xc2\xa3" "500 for.", "en", NO_TERM },
	};
	struct fixture *f = *state;

	assert_one_terms(f, cases, sizeof(cases) / sizeof(cases[0]));
	/* praise outweighs it */
	assert_reads(f, "worth the 40 min queue, amazing burger", 1);
}

/* Praise before "but" with nothing weighed after it counts for nothing;
 * what is said after the contrast, praise beside a fault, an
 * exclamation or a bare "but" keep it. */
static void
test_praise_taken_back(void **state)
{
	struct fixture *f = *state;

	assert_flat(f, "the concert was good but the crowd was on their "
	    "phones the whole time");
	assert_flat(f, "Shoes look great but take a week to break in. "
	    "Bring plasters.");
	assert_flat(f, "love the app but why is there no dark mode");
	/* praise in an earlier sentence is not the contrast's */
	assert_reads(f, "Solid win. Not pretty, but three points are three "
	    "points.", 1);
	/* a feeling said after the contrast */
	assert_reads(f, "late, but the driver was lovely", 1);
	assert_leans(f, "the burgers are good but the drive thru is slow",
	    -1);
	/* an exclamation after the contrast */
	assert_reads(f, "love the new blanket but the colour is more orange "
	    "than the photos. still keeping it!", 1);
	/* fewer than two words after it */
	assert_reads(f, "loved the film but anyway", 1);
}

/* Praise weighed against fault needs a contrast word and two sides of
 * like weight; turned-round praise and manners are on neither side. */
static void
test_mixed_feelings(void **state)
{
	static const struct {
		const char *text;
		int mixed;
	} cases[] = {
		{ "love the burgers but the drive thru takes forever", 1 },
		{ "the app works ok but it keeps forgetting my address", 1 },
		{ "kurirnya lambat tapi bagus", 1 },
		/* no contrast word */
		{ "the burgers are good and the drive thru is slow", 0 },
		/* one side outweighs the other more than twice */
		{ "good but the worst, most awful, horrible service", 0 },
		/* praise turned round, manners */
		{ "not good but slow", 0 },
		{ "great burgers 🙃 but slow", 0 },
		{ "thanks but the parcel is late", 0 },
		{ "fine", 0 },
	};
	struct fixture *f = *state;
	double s;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tone(f, cases[i].text, NULL, &s);
		if (f->post.mixed != cases[i].mixed)
			fail_msg("\"%s\": mixed %d, expected %d",
			    cases[i].text, f->post.mixed, cases[i].mixed);
	}
}

/* An occasion named is no feeling: "payday tomorrow" and "the celebrity
 * special" say when, not how the writer feels; what happens on the day
 * does ("holiday weekend and im sick in bed").  So with the people named
 * and the wedding: a suitcase lost before it is a loss; and a storm named
 * in a forecast is news, not a grievance. */
static void
test_occasions(void **state)
{
	static const char *const flat[] = { "payday tomorrow",
	    "Tonight's quiz show rerun is the 2009 celebrity special.",
	    "thanksgiving at our place this year, 14 people. need more chairs",
	    "high school reunion is in june. still deciding if i go",
	    "Storm Alba expected to reach the coast on Friday" };
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(flat) / sizeof(flat[0]); i++)
		assert_flat(f, flat[i]);
	assert_reads(f, "holiday weekend and im sick in bed. typical", -1);
	assert_reads(f, "the airline lost my suitcase with my dress for the "
	    "wedding. the wedding is tomorrow", -1);
	assert_leans(f, "a fight broke out on the ice and the organist "
	    "played fight music. i love this sport lmao", 1);
}

/* Exasperation, relief and being won over said in an idiom; a plea to
 * stop is no courtesy; a wish ("it would be nice to...") no verdict;
 * praise that "used to be" is lost. */
static void
test_idioms(void **state)
{
	struct fixture *f = *state;

	assert_reads(f, "who asked for this update", -1);
	assert_reads(f, "airport lounge wifi actually works for once", 1);
	assert_leans(f, "renewal came in £60 cheaper. didn't even have to "
	    "haggle", 1);
	assert_reads(f, "another limited edition flavour nobody asked for",
	    -1);
	assert_reads(f, "The app is ok but it keeps asking me to rate it "
	    "every 5 minutes, please stop.", -1);
	assert_reads(f, "rent prices here are out of control", -1);
	assert_reads(f, "honestly this week has been too much", -1);
	assert_reads(f, "three episodes in and i'm hooked", 1);
	assert_reads(f, "the 1999 original still holds up", 1);
	/* a goal reached */
	assert_reads(f, "ran my first 10k today! slow but i finished", 1);
	assert_reads(f, "made it to the gym 3 times this week", 1);
	assert_leans(f, "passed out in the queue", -1);
	/* what it used to be, it is no longer */
	assert_leans(f, "the show used to be smart", -1);
	assert_reads(f, "another fee for features that used to be free", -1);
	assert_flat(f, "it would be nice to pick a delivery slot in the app");
	assert_reads(f, "checkout is quick and easy, though it would be nice "
	    "to save two addresses", 1);
	/* an emoticon the lexicon lists: "X >>> everything" */
	assert_reads(f, "this weather >>>", 1);
}

static void
test_empty_text(void **state)
{
	struct fixture *f = *state;
	double s = 1;

	assert_string_equal(tone(f, "", NULL, &s), "und");
	assert_true(s == 0);
}

/*
 * The shipped lexicons never give two spellings that fold alike
 * ("poceni", cheap, and "počeni", cracked) different valences in one
 * language: the later would silently take the earlier's place.  Each
 * line's valence must be the one loaded for its folded term.
 */
static void
test_shipped_lexicons_agree(void **state)
{
	static const char *const files[] = { "share/tend/lexicon/emoji.tsv",
	    "share/tend/lexicon/en.tsv", "share/tend/lexicon/id.tsv",
	    "share/tend/lexicon/sl.tsv" };
	struct fixture *f = *state;
	struct tend_buf fold = TEND_BUF_INIT;
	char line[512];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *fp = fopen(files[i], "r");
		struct tend_strmap *listed = tend_strmap_new();
		int lang = CL_ANY, added;
		long n = 0;

		assert_non_null(fp);
		while (fgets(line, sizeof(line), fp)) {
			const struct cl_term *t;
			char *tab = strchr(line, '\t');
			double v;
			uint32_t k;
			int seen = 0;

			n++;
			line[strcspn(line, "\n")] = '\0';
			if (!tab || line[0] == '#')
				continue;
			*tab++ = '\0';
			if (strcmp(line, "@lang") == 0) {
				lang = strcmp(tab, "*") == 0 ? CL_ANY :
				    cl_lang_find(&f->cl, tab, strlen(tab));
				continue;
			}
			if (line[0] == '@')
				continue;
			tend_strmap_put(listed, line, strlen(line), &added, NULL);
			if (!added)	/* one place for each term */
				fail_msg("%s:%ld: '%s' is listed twice",
				    files[i], n, line);
			v = strtod(tab, NULL);
			cl_fold_term(&fold, line, strlen(line));
			t = cl_term_get(&f->cl, fold.data, fold.len);
			assert_non_null(t);
			for (k = 0; k < t->n; k++)
				if (t->e[k].kind == CL_VALENCE &&
				    t->e[k].lang == lang) {
					seen = 1;
					if (fabs(t->e[k].value - v) > 1e-6)
						fail_msg("%s:%ld: '%s' %g folds "
						    "like a term of valence %g",
						    files[i], n, line, v,
						    t->e[k].value);
				}
			assert_true(seen);
		}
		fclose(fp);
		tend_strmap_free(listed);
	}
	tend_buf_release(&fold);
}

/*
 * Pattern gates (lib/cl_rules.c) make a pattern run only on posts with the
 * words it cannot match without; they must never hide a match.  Each
 * pattern is loaded as a rule of its own, and on each text the rule must
 * fire exactly when PCRE2 alone matches the pattern.
 */
struct gate_case {
	const char *pattern;
	int gated;		/* expected: the loader found a gate */
	const char *texts[6];
};

static const struct gate_case gate_cases[] = {
	{ "/\\b(?:will|gonna|going\\s+to|i'?ll|to|can)\\s+sue\\b/i", 1,
	    { "we WILL sue you", "I'll sue", "pursue them", "will sued",
	    "going to sue!", NULL } },
	{ "/\\b(?:waited|for)\\s+(?:over\\s+)?(?:\\d+|two)\\s+"
	    "(?:days|weeks)\\b/i", 1, { "waited over 3 days", "for two "
	    "weeks now", "3 days", "waited two months", NULL } },
	{ "/\\b(?:dm|pm)\\s+me\\b/i", 1, { "DM me now", "dms me", "pm  me",
	    "adm me", NULL } },
	{ "/\\bsue\\b/i", 1, { "#sue them", "see https://x.com/sue", "i'd sue",
	    "Sue!", "suede", NULL } },
	{ "/\\bpost\\s+(?:this|it)\\s+everywhere/i", 1, { "I'll post it "
	    "everywhere", "posting it everywhere", "post it's everywhere",
	    NULL } },
	{ "/\\bcolou?r\\s+(?:red|blue)/i", 1, { "color red", "Colour Blue",
	    "colr red", NULL } },
	{ "/(?:^|[.!?]\\s+)(?:how|where)\\b/i", 1, { "How so", "ok. where?",
	    "somehow", NULL } },
	/* not gated: where a word must start is not known, a short word is
	 * not followed by \s, an alternative at the top, \Q, /x */
	{ "/\\d+\\s?%\\s*off\\b/i", 0, { "20% off", "20%off today", NULL } },
	{ "/refund/", 0, { "nonrefundable", "refund", NULL } },
	{ "/\\bfoo\\w*|bar/", 0, { "a bar", "foolish", "nope", NULL } },
	{ "/(?:^|[.!?]\\s+)(?:is|do)\\b/i", 0, { "Is it on", "do's", NULL } },
	{ "/\\b(?:money)?\\s*back\\b/", 0, { "moneyback", "back", NULL } },
	{ "/\\bx\\Q|\\Eyz/", 0, { "x|yz", NULL } },
	{ "/\\b ref und/x", 0, { "refund", NULL } },
};

static int
pcre2_alone(const char *pattern, const char *text)
{
	const char *end = strrchr(pattern, '/');
	uint32_t opts = PCRE2_UTF | PCRE2_UCP;
	pcre2_code *re;
	pcre2_match_data *md;
	PCRE2_SIZE off;
	int code, rc;

	opts |= strchr(end, 'i') ? PCRE2_CASELESS : 0;
	opts |= strchr(end, 'x') ? PCRE2_EXTENDED : 0;
	re = pcre2_compile((PCRE2_SPTR)pattern + 1, (PCRE2_SIZE)(end -
	    pattern - 1), opts, &code, &off, NULL);
	assert_non_null(re);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc >= 0;
}

static void
test_gates_hide_no_match(void **state)
{
	char path[] = "/tmp/test_classify.XXXXXX";
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(gate_cases) / sizeof(gate_cases[0]); i++) {
		const struct gate_case *gc = &gate_cases[i];
		struct tend_error err;
		struct cl cl;
		struct cl_post p;
		FILE *fp;
		int fd = mkstemp(path);

		assert_true(fd >= 0);
		assert_non_null(fp = fdopen(fd, "w"));
		fprintf(fp, "rule t.gate\n\tcategory question\n\tpattern %s\n",
		    gc->pattern);
		assert_int_equal(fclose(fp), 0);
		memset(&err, 0, sizeof(err));
		cl_init(&cl);
		cl_post_init(&p);
		if (cl_rules_load(&cl, path, &err) < 0)
			fail_msg("%s: %s", gc->pattern, err.text);
		unlink(path);
		strcpy(path, "/tmp/test_classify.XXXXXX");
		if ((cl.rules[0].patterns[0].gate != 0) != gc->gated)
			fail_msg("%s: gated %d, expected %d", gc->pattern,
			    cl.rules[0].patterns[0].gate != 0, gc->gated);
		for (j = 0; gc->texts[j]; j++) {
			const char *t = gc->texts[j];
			int want = pcre2_alone(gc->pattern, t), got;

			p.text = t;
			p.text_len = strlen(t);
			tend_text_tokenize(&p.tokens, t, p.text_len,
			    cl.emoticons, cl.emoticon_max);
			cl_lookup_tokens(&cl, &p);
			got = cl_match_rules(&cl, &p, NULL, -1, CL_NEUTRAL);
			if (got != want)
				fail_msg("%s on \"%s\": fired %d, PCRE2 %d",
				    gc->pattern, t, got, want);
		}
		cl_post_release(&p);
		cl_release(&cl);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tone_of_replies),
		cmocka_unit_test(test_declared_language_counts),
		cmocka_unit_test(test_mixed_in_english),
		cmocka_unit_test(test_irony),
		cmocka_unit_test(test_emoji_not_negated),
		cmocka_unit_test(test_negator_phrase),
		cmocka_unit_test(test_clitic_s),
		cmocka_unit_test(test_elongated),
		cmocka_unit_test(test_reply_quotes_labels),
		cmocka_unit_test(test_superlative),
		cmocka_unit_test(test_remedy),
		cmocka_unit_test(test_story_ends_well),
		cmocka_unit_test(test_ratings),
		cmocka_unit_test(test_tolls),
		cmocka_unit_test(test_reply_lone_negation),
		cmocka_unit_test(test_reply_echo),
		cmocka_unit_test(test_booster_yields_word),
		cmocka_unit_test(test_praise_taken_back),
		cmocka_unit_test(test_mixed_feelings),
		cmocka_unit_test(test_occasions),
		cmocka_unit_test(test_idioms),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_gates_hide_no_match),
		cmocka_unit_test(test_shipped_lexicons_agree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
