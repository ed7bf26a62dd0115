/* classify.h: the classification engine of tend classify, which tend lint
 * shares to judge a template's own tone and language (tend-classify(1),
 * tend-rules(5), tend-lexicon(5)).
 *
 * Its files are lib/classify.c (the verdict) and lib/cl_*.c (lexicons,
 * rules, matching, sentiment, language, security checks, the brand); its
 * names keep the short cl_ prefix they had inside tend-classify rather
 * than tend_classify_*: the engine is one module with many parts, and the
 * prefix marks them as that module's.
 *
 * One hash of terms (struct cl_terms) holds everything known about a folded
 * word or phrase: its valence in each lexicon, its role (negator, booster,
 * contrast), its weight as evidence of a language, and the keyword rules it
 * triggers; so a post costs one lookup a token, whatever the number of
 * rules and languages.  PCRE2 is kept for the rules' real patterns.
 */
#ifndef TEND_CLASSIFY_H
#define TEND_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "strmap.h"
#include "text.h"

#define CL_MAXLANG 32	/* languages with data, "*" included */
#define CL_ANY 0	/* the language index of "*": every language */

enum cl_entry_kind {
	CL_VALENCE,	/* value: -4..+4 */
	CL_NEGATOR,
	CL_BOOSTER,	/* value: added to the magnitude (dampeners < 0) */
	CL_CONTRAST,
	CL_IRONY,	/* value: its own valence, as CL_VALENCE */
	CL_COURTESY,	/* the same, for thanks and please */
	CL_SUPERLATIVE,	/* "enough": "can't recommend them enough" */
	CL_REMEDY,	/* "fixed": the problem near it is over */
	CL_REPAIR,	/* "fix": a negator before it is its own */
	CL_RATING,	/* "stars": a number beside it rates, out of five */
	CL_CORRECTIVE,	/* "not" after a comma corrects: "Portugal, not Italy" */
	CL_RESOLUTION,	/* "refunded": trouble told before it is over */
	CL_SINCERE,	/* "legends": praise seldom said in irony */
	CL_WAIT,	/* "waited": a time span after it was a wait */
	CL_SPAN,	/* "minutes": the unit of a time span */
	CL_PRICE,	/* "for": a sum before it was a price */
	CL_LANGWORD,	/* value: weight as evidence of lang */
	CL_KEYWORD,	/* rule: a rule's word; hit: what it means (CL_HIT_*) */
	CL_PREFIX	/* the same, for "refund*" (in the prefix index) */
};

/* What a keyword hit means for its rule: the bits of cl_post.word_hit.
 * Gate g of a rule (a group of words one of which its pattern cannot
 * match without) is CL_HIT_GATE << g, for g < CL_GATES. */
enum {
	CL_HIT_WORDS = 1,	/* one of its words */
	CL_HIT_UNLESS = 2,	/* one of its exclusions */
	CL_HIT_GATE = 4,	/* gate 0 */
	CL_GATES = 30
};

struct cl_entry {
	uint8_t kind;
	uint8_t lang;
	uint32_t hit;		/* CL_HIT_* bits */
	uint32_t rule;
	float value;
};

struct cl_term {
	struct cl_entry *e;
	uint32_t n;
	uint8_t phrase;		/* most words in a phrase starting here */
	uint8_t longer;		/* a longer phrase starts with this one */
	char *text;		/* the folded form (the map's copy) */
};

enum cl_field { CL_FIELD_TEXT, CL_FIELD_HANDLE, CL_FIELD_NAME,
	CL_FIELD_LINKS, CL_NFIELDS };
enum cl_sets { CL_SETS_CATEGORY, CL_SETS_TOPIC, CL_SETS_FLAG };

struct cl_pattern {
	pcre2_code *code;
	pcre2_match_data *md;
	int unless;
	int jit;		/* compiled to machine code: pcre2_jit_match */
	uint32_t gate;		/* CL_HIT_GATE bits it needs, all of them */
};

struct cl_rule {
	char *id;
	char *file;
	long line;
	int sets;		/* enum cl_sets */
	char *value;		/* the category, topic or flag */
	int category;		/* its index, for CL_SETS_CATEGORY */
	uint32_t langs;		/* bit per language index; 0: any */
	int field;
	double weight;
	struct cl_pattern *patterns;
	size_t npatterns;
	int has_words, has_unless_words, has_patterns;
	unsigned ngates;	/* gate bits given to its patterns */
	int ungated;		/* a pattern of it runs on every post */
	int sentiment;		/* -2: no condition, else -1, 0, 1 or
				 * CL_MIXED */
	int addressed;		/* counts only on posts addressed to someone */
	uint64_t learned_key;	/* its term's key in a learned model */
};

/* cl_post.fired: how a rule that matched counts.  An audience-addressed
 * rule on a post said to no one counts for the tone alone: its words
 * weigh in the sentiment's rules prior, not for the category, and it is
 * not listed. */
enum { CL_FIRED = 1, CL_TONE_ONLY = 2 };

/* What the matching loop reads of every rule on every post, packed apart
 * from struct cl_rule so that the loop stays in a cache line or two. */
struct cl_rule_gist {
	uint8_t field;		/* enum cl_field */
	uint8_t needs;		/* CL_NEEDS_* bits */
};

enum {
	CL_NEEDS_HIT = 1,	/* a word or gate hit: no ungated pattern,
				 * no bare sentiment condition */
	CL_NEEDS_ADDRESSED = 2	/* counts only on posts addressed to someone */
};

enum { CL_NBANDS = 4 };

/* The priority formula and the influencer bands (tend-rules(5)). */
struct cl_scoring {
	double category_points[8];
	char **flag_names;
	double *flag_points;
	size_t nflags;
	double band_points[CL_NBANDS];
	double sentiment_at[2];		/* score at or below: points */
	double sentiment_points[2];
	double priority_at[3];		/* P1, P2, P3 thresholds */
	long band_followers[CL_NBANDS];	/* micro, macro, mega, (unused) */
	int verified_band;		/* band index of a verified author */
};

struct cl_brand {
	char **handles;		/* folded */
	char **skeletons;	/* of handles and names */
	size_t nhandles, nskeletons;
	char **domains;		/* lower case */
	char **labels;		/* "acme" of "acme.com" */
	char **label_skeletons;	/* of labels, made once */
	size_t ndomains;
	char **hashtags;	/* folded */
	size_t nhashtags;
};

struct cl_prefix {
	char *text;		/* folded, without the '*' */
	size_t len;
	uint32_t rule;
	uint32_t hit;		/* CL_HIT_* bits */
};

struct cl_prefixes {		/* the prefixes sharing their first bytes */
	struct cl_prefix *v;
	size_t n;
};

#define CL_PREFIX_KEY 3		/* bytes of a prefix that index it */

/* A bit per hash of CL_PREFIX_KEY bytes: most words start with no
 * prefix's bytes, and this says so without a lookup. */
#define CL_PREFIX_BITS 65536
static inline unsigned
cl_prefix_bit(const char *s)
{
	return ((unsigned char)s[0] * 961u + (unsigned char)s[1] * 31u +
	    (unsigned char)s[2]) % CL_PREFIX_BITS;
}

/*
 * A language's learned model (cl_learned.c; tend-lexicon(5), LEARNED
 * WEIGHTS): what tend-classify --learn fitted on rated posts, on top of
 * the lexicon's score.  Ratings fall into classes (strongly and mildly
 * negative, neutral, mildly and strongly positive); each class has its
 * mean rating, an intercept, a slope on the lexicon's score and a weight
 * for each of the post's terms (its words, the pairs of neighbouring
 * words, whether it asks or exclaims, the keyword rules that fired).  Their sums give each class's
 * probability (softmax), and the score is the expected rating / 4, with
 * the label's own thresholds.  Terms are kept in an open-addressed table
 * under the 64-bit FNV-1a hash of their text, a term's key and weights
 * side by side (one cache line for a lookup that finds them).
 */
#define CL_LEARNED_CLASSES 8

struct cl_learned {
	size_t nclasses;		/* on when 2 or more */
	double mean[CL_LEARNED_CLASSES];	/* the class's mean rating */
	double intercept[CL_LEARNED_CLASSES];
	double slope[CL_LEARNED_CLASSES];	/* on the lexicon's score */
	double negative_at, positive_at;	/* the label's thresholds */
	unsigned char *slots;		/* each a uint64_t key (0: empty),
					 * then nclasses float weights */
	size_t stride;			/* a slot's bytes */
	size_t n, cap;			/* cap: 0 or a power of two */
};

struct cl {
	struct tend_strmap *terms;	/* folded term -> struct cl_term */
	struct cl_term **all_terms;	/* the same, for freeing */
	size_t nall_terms, all_terms_cap;
	struct tend_strmap *prefixes;	/* 3 bytes -> struct cl_prefixes */
	uint8_t prefix_seen[CL_PREFIX_BITS / 8];
	struct cl_prefixes **all_prefixes;
	size_t nall_prefixes, all_prefixes_cap;
	struct tend_strmap *emoticons;	/* keys only */
	size_t emoticon_max;
	char *langs[CL_MAXLANG];	/* [0] is "*" */
	int has_lexicon[CL_MAXLANG];
	int has_words[CL_MAXLANG];
	size_t nlangs;
	int en;				/* index of "en", or -1 */
	struct cl_rule *rules;
	struct cl_rule_gist *gists;	/* one a rule, made as it ends */
	size_t nrules;
	uint32_t *hitless;		/* the rules that may fire with no
					 * hit, in order */
	size_t nhitless;
	int uses_field[CL_NFIELDS];
	struct cl_scoring scoring;
	struct cl_brand brand;
	pcre2_match_context *mctx;
	int lang_mode;			/* enum cl_lang_mode */
	int explain;			/* 0, 1 text, 2 json */
	struct cl_learned learned[CL_MAXLANG];
	int no_learned;			/* --no-learned, and --learn */
};

/* The sentiment label's thresholds on the score, where the language has
 * no learned ones. */
#define CL_POSITIVE_AT 0.25
#define CL_NEGATIVE_AT (-0.15)

/* A sentiment label, as its sign, and the condition of a rule that
 * cl_post.mixed meets; cl_label_names[label + 1] is its name. */
enum { CL_NEGATIVE = -1, CL_NEUTRAL, CL_POSITIVE, CL_MIXED };
extern const char *const cl_label_names[];	/* NULL-ended */

enum cl_lang_mode { CL_LANG_AUTO, CL_LANG_DETECT, CL_LANG_RECORD };

extern const char *const cl_categories[];	/* NULL-ended, by tie order */
enum { CL_COMPLAINT = 0, CL_PRAISE = 5 };	/* their indices there */
extern const char *const cl_band_names[];

/* lexicon.c */
void cl_init(struct cl *cl);
void cl_release(struct cl *cl);
int cl_lang_index(struct cl *cl, const char *code, int add);
/* The index of language code[0..n) (not "*"), or -1. */
int cl_lang_find(const struct cl *cl, const char *code, size_t n);
struct cl_term *cl_term_add(struct cl *cl, const char *folded, size_t n);
void cl_entry_add(struct cl_term *t, int kind, int lang, float value,
    uint32_t rule, uint32_t hit);
const struct cl_term *cl_term_get(const struct cl *cl, const char *folded,
    size_t n);
int cl_lexicon_load(struct cl *cl, const char *path, struct tend_error *err);
int cl_words_load(struct cl *cl, const char *path, const char *lang,
    struct tend_error *err);
/* s as a finite number into *v: 0, or -1 when it is none. */
int cl_parse_number(const char *s, float *v);
/* Folds s[0..n) into buf (text.h), squeezing spaces; returns buf->data. */
const char *cl_fold_term(struct tend_buf *buf, const char *s, size_t n);
/*
 * The lookup key of the k tokens of tk from token i into out: their folded
 * forms joined by a space, elongated words squeezed the way given (0: as
 * written; 1, runs of three letters or more down to two, "goood" ->
 * "good"; 2, such runs down to one, "sorryyy" -> "sorry"; 3, every run
 * down to one, "pleaseee" -> "please").  0 when a token is neither a word
 * nor a number, or there are fewer than k.
 */
#define CL_SQUEEZE_WAYS 3
int cl_phrase_key(struct tend_buf *out, const struct tend_tokens *tk,
    size_t i, size_t k, int way);
/* Calls fn with each line of path (NUL-terminated, no newline); the
 * first error gets path and the line number. */
int cl_each_line(const char *path, int (*fn)(void *, char *,
    struct tend_error *), void *arg, struct tend_error *err);
int cl_load_defaults(struct cl *cl, const char *config_dir,
    struct tend_error *err);

/* rules.c */
int cl_rules_load(struct cl *cl, const char *path, struct tend_error *err);
void cl_scoring_defaults(struct cl_scoring *s);

/* brand.c */
int cl_brand_add(struct cl *cl, const char *kind, const char *value,
    struct tend_error *err);
int cl_brand_load(struct cl *cl, const char *path, struct tend_error *err);
/* "acme.co.id" -> "acme": the label before the public suffix. */
void cl_domain_label(const char *domain, struct tend_buf *out);

/* One post being classified: tokens and what was found. */
struct cl_match {
	uint32_t rule;
	int field;
	size_t start, end;	/* bytes in the field's text */
};

struct cl_sentiment_term {
	size_t token, last;	/* its tokens (a phrase has several) */
	double valence, adjusted;
	int marker;		/* an irony marker (tend-lexicon(5)) */
	int courtesy;		/* thanks, please: manners */
	char why[96];
};

/*
 * Cues: what moves a post's score besides its terms and emphasis, each a
 * mild term's worth.  The first three are found in the text
 * (cl_sentiment.c), the rest are the rules' priors (classify.c's
 * rules_prior()); --explain names them in this order.
 */
enum cl_cue {
	CL_CUE_QUOTED,		/* words quoted back */
	CL_CUE_LONE_NEGATION,	/* a negation with nothing to turn round */
	CL_CUE_ECHO,		/* a word echoed in capitals */
	CL_CUE_COMPLAINT,	/* a complaint by its rules */
	CL_CUE_PRAISE,		/* praise by its rules */
	CL_CUE_EXCITEMENT,	/* exclaimed about nothing rated */
	CL_NCUES
};

struct cl_post {
	const char *text;
	size_t text_len;
	struct tend_tokens tokens;
	const struct cl_term **tt;	/* the term of each token, or NULL */
	size_t tt_cap;
	struct tend_tokens field_tokens;
	uint8_t *fired;			/* per rule: 0, CL_FIRED or
					 * CL_TONE_ONLY */
	uint32_t *word_hit;		/* per rule: CL_HIT_* bits */
	uint32_t *hit_rules;		/* the rules with a word_hit, */
	uint32_t *candidates;		/* those and the hitless, in order:
					 * every rule that fired is one */
	size_t nhit_rules, ncandidates, rules_cap;
	struct cl_match *matches;
	size_t nmatches, matches_cap;
	struct cl_sentiment_term *sterms;
	size_t nsterms, sterms_cap;
	void *roles;			/* sentiment.c's per-token roles */
	size_t roles_cap;
	int lang;			/* detected index, -1 und */
	double lang_score[CL_MAXLANG];
	double sum, emphasis, score;
	double cue[CL_NCUES];		/* each cue's part of the score, or 0 */
	int spam;			/* score 0: spam (classify.c) */
	int mixed;			/* praise and fault, with a contrast */
	int ironic;			/* praise turned round by irony, and
					 * the post left negative */
	int lex_lang;			/* the language its sentiment was
					 * counted in (an index), or -1 */
	int learned;			/* its learned model scored it */
	double lexicon_score;		/* the score before */
	double class_p[CL_LEARNED_CLASSES];	/* the model's probabilities */
	int reply;			/* our own words: cl_text_tone() */
	const char *limit_rule;		/* a pattern hit PCRE2's limits */
	struct tend_buf scratch;
	struct tend_buf host;		/* security.c's scratch */
	struct tend_buf decoded, label, skeleton;
	struct tend_buf textbuf;	/* the post's text */
	struct tend_buf field, field2;	/* other fields being read */
};

/* What the built-in checks found: "builtin.*" ids, with what matched. */
#define CL_MAX_FINDINGS 12
struct cl_findings {
	size_t n;
	const char *id[CL_MAX_FINDINGS];
	char detail[CL_MAX_FINDINGS][128];
};

/* security.c */
void cl_findings_add(struct cl_findings *f, const char *id,
    const char *detail);
void cl_check_links(const struct cl *cl, struct cl_post *p,
    struct tend_record *rec, int bait, struct cl_findings *f);
void cl_check_author(const struct cl *cl, struct cl_post *p,
    struct tend_record *rec, struct cl_findings *f);
void cl_check_hashtags(const struct cl *cl, struct cl_post *p,
    struct tend_record *rec, struct cl_findings *f);

/* langid.c: the language index detected (-1: und); *confident is set
 * when the evidence is strong enough to overrule the record's lang. */
int cl_detect_lang(const struct cl *cl, struct cl_post *p, int *confident);
/* sentiment.c */
void cl_sentiment(const struct cl *cl, struct cl_post *p, int lang);
/* Adds cue c, one of the rules' priors, to a post's score. */
void cl_sentiment_add_cue(struct cl_post *p, int c, double value);
/* learned.c */
/* Loads one @learned-class, @learned-labels or @learned line (its fields
 * f[0..nf)) for language lang; -1 with err's column and text set. */
int cl_learned_directive(struct cl *cl, char **f, size_t nf, int lang,
    struct tend_buf *fold, struct tend_error *err);
/* Rescores p by language lang's learned model (once every cue is in),
 * unless it has none or models are off. */
void cl_learned_apply(const struct cl *cl, struct cl_post *p, int lang);
/* The label of a score counted in language lang (-1: the lexicon's
 * score, by the thresholds of a language without a learned model). */
int cl_label_of(const struct cl *cl, int lang, double score);
/* What the model made of p, for --explain: a member of the sentiment
 * object (json), or the words that go before ": score" (text); nothing
 * when no model scored it. */
void cl_learned_explain(const struct cl *cl, const struct cl_post *p,
    struct tend_buf *e, int json);
void cl_learned_release(struct cl_learned *l);
/* The key of the term "<rule:ID>" of the rule with id, made once as the
 * rule is loaded. */
uint64_t cl_learned_rule_key(const char *id);

/* What tend-classify --learn gathers: each rated post's lexicon score
 * and terms, to fit every language's model at the end. */
struct cl_learner;
struct cl_learner *cl_learner_new(void);
/* Adds post p, classified with the models off, rated rating (-4..+4, as
 * the human-rated sets are). */
void cl_learner_add(struct cl_learner *ln, const struct cl *cl,
    const struct cl_post *p, double rating);
/* Fits the model of every language with LEARN_MIN_POSTS rated posts or
 * more and appends it to out as lexicon lines; returns how many
 * languages it wrote (0: none had enough posts, and out says how many
 * each had). */
int cl_learner_write(struct cl_learner *ln, const struct cl *cl,
    struct tend_buf *out);
void cl_learner_free(struct cl_learner *ln);

/* match.c */
void cl_post_init(struct cl_post *p);
void cl_post_release(struct cl_post *p);
void cl_lookup_tokens(const struct cl *cl, struct cl_post *p);
int cl_match_limited(int rc);
/* Marks the rules that fire in p->fired and returns how many count
 * (CL_FIRED; tone-only matches do not); sentiment: the post's label,
 * CL_NEGATIVE .. CL_POSITIVE */
int cl_match_rules(const struct cl *cl, struct cl_post *p,
    struct tend_record *rec, int lang, int sentiment);
/* classify.c */
void cl_classify(const struct cl *cl, struct cl_post *p,
    struct tend_record *r, struct tend_buf *out, struct tend_buf *explain);

/* The tone of text[0..n) alone, as cl_classify() would judge a post's:
 * returns the language detected (an index of cl->langs, -1 when unsure)
 * and sets *score to the lexicon sentiment in [-1, 1], counted in the
 * language lang (a code such as "en"; NULL: the one detected).  For tend
 * lint, which judges templates, not records. */
int cl_text_tone(const struct cl *cl, struct cl_post *p, const char *text,
    size_t n, const char *lang, double *score);

#endif
