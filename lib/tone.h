/* tone.h: the tone-of-voice style file (tend-templates(5)) and the checks
 * of a reply's text that tend lint runs on templates and tend respond on
 * the replies it fills: length per channel, links, banned and discouraged
 * phrases, SHOUTING, exclamation marks, emoji, the greeting.
 *
 * The style says which rules run and how severe each is, the channels'
 * length limits and how each counts, the phrases per language, the link
 * domains allowed.  tend_style_new() holds the defaults; a style file
 * changes them line by line.
 */
#ifndef TEND_TONE_H
#define TEND_TONE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "text.h"

enum tend_severity { TEND_SEV_OFF, TEND_SEV_WARNING, TEND_SEV_ERROR };
extern const char *const tend_severity_names[];	/* "off", ... */

/* Every rule: its id, default severity and one line about it.  "length"
 * stands for the length.CHANNEL rules.  Ended by an id NULL. */
struct tend_rule_info {
	const char *id;
	int severity;
	const char *summary;
};
extern const struct tend_rule_info tend_rules[];

/* How a channel counts length. */
enum tend_counting {
	TEND_COUNT_CHARS,	/* code points */
	TEND_COUNT_WEIGHTED,	/* twitter-text v3: weights, URLs 23 */
	TEND_COUNT_SMS		/* GSM-7 septets, or UTF-16 units (UCS-2) */
};

struct tend_limit {
	char *channel;
	long max;		/* for sms: the GSM-7 limit; UCS-2 is 70 */
	int counting;
};

/* A phrase: its folded words; the last may end in '*' (a prefix). */
struct tend_phrase {
	char *lang;		/* "*" for every language */
	char *text;		/* as written, for messages */
	char **words;
	size_t nwords;
	int prefix;
	long max;		/* discouraged: uses allowed per text */
};

struct tend_style {
	char *file;		/* or NULL for the built-in defaults */
	char **rule_ids;	/* severities set by "rule" lines */
	int *rule_sev;
	size_t nrules;
	struct tend_limit *limits;
	size_t nlimits;
	struct tend_phrase *banned, *discouraged, *greetings;
	size_t nbanned, ndiscouraged, ngreetings;
	char **signature_channels, **greeting_channels;	/* "*": all */
	size_t nsignature_channels, ngreeting_channels;
	char **domains;		/* lower case */
	size_t ndomains;
	char **caps;		/* folded words allowed in capitals */
	size_t ncaps;
	long emoji_max;		/* -1: no limit */
	long exclamations_max;	/* '!' per text */
	double tone_min;	/* tone.negative below this */
	double similar;		/* duplicate.near at or above this */
	long measured, measured_max;	/* the length check's last length
					 * and limit, -1 when none */
	struct tend_tokens tokens;	/* scratch for the checks */
	struct tend_buf scratch;
};

/* The built-in style (limits of every channel, no phrases, no domains).
 * Never NULL; tend_style_free() frees. */
struct tend_style *tend_style_new(void);
void tend_style_free(struct tend_style *st);

/* Applies the style text[0..n) (the file path) to st.  Returns 0, or -1
 * with err set at the first error. */
int tend_style_parse(struct tend_style *st, const char *text, size_t n,
    const char *path, struct tend_error *err);
int tend_style_load(struct tend_style *st, const char *path,
    struct tend_error *err);

/* The severity of rule ("length.twitter"): the style's line for it, else
 * for its family ("length"), else the default; TEND_SEV_OFF for an id no
 * rule has. */
int tend_style_severity(const struct tend_style *st, const char *rule);

/* 1 when rule is a rule id ("tone.banned", "length.sms"). */
int tend_rule_known(const char *rule);

/* The channel's limit, or NULL when it has none. */
const struct tend_limit *tend_style_limit(const struct tend_style *st,
    const char *channel);

/* 1 when the style requires what ("signature" or "greeting") on
 * channel. */
int tend_style_requires(const struct tend_style *st, const char *what,
    const char *channel);

/* The length of s[0..n) as the limit lim counts it; *max is set to the
 * limit that applies (70 for an SMS that needs UCS-2).  st lends its
 * scratch tokens (URLs count 23 in a weighted count). */
long tend_tone_length(struct tend_style *st, const struct tend_limit *lim,
    const char *s, size_t n, long *max);

/* The twitter-text v3 weight of code point cp (1 or 2). */
int tend_tone_twitter_weight(uint32_t cp);
/* The GSM-7 septets of cp: 1 (basic set), 2 (extension), 0 (none). */
int tend_tone_gsm_septets(uint32_t cp);

#define TEND_FINDING_TEXT 300

struct tend_finding {
	char rule[48];
	int severity;
	size_t off, len;	/* the bytes at fault in the text checked */
	char message[TEND_FINDING_TEXT];
};

/* The checks of tend_tone_check(), to or together. */
enum {
	TEND_CHECK_LENGTH = 1,
	TEND_CHECK_LINKS = 2,
	TEND_CHECK_BANNED = 4,
	TEND_CHECK_DISCOURAGED = 8,
	TEND_CHECK_SHOUTING = 16,
	TEND_CHECK_EXCLAMATIONS = 32,
	TEND_CHECK_EMOJI = 64,
	TEND_CHECK_GREETING = 128,
	TEND_CHECK_ALL = 255
};

typedef void (*tend_finding_fn)(void *arg, const struct tend_finding *f);

/* Runs the checks asked for on s[0..n), a reply in language lang (an ISO
 * code) for channel, and calls fn for each finding of a rule that is not
 * off.  The length check measures s as it is: tend lint passes the
 * worst-case expansion of a template, tend respond the filled reply. */
void tend_tone_check(struct tend_style *st, const char *lang,
    const char *channel, const char *s, size_t n, unsigned checks,
    tend_finding_fn fn, void *arg);

#endif
