/* tone.c: the style file parser, length counting per channel and the
 * checks of a reply's text (tone.h, tend-templates(5)). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"
#include "conf.h"
#include "template.h"
#include "tone.h"
#include "utf8.h"

#define MAX_STYLE_BYTES (4L * 1024 * 1024)
#define URL_WEIGHT 23		/* twitter-text v3 transformedURLLength */
#define UCS2_SMS_MAX 70

const char *const tend_severity_names[] = { "off", "warning", "error", NULL };

const struct tend_rule_info tend_rules[] = {
	{ "length", TEND_SEV_ERROR, "the text, placeholders at their "
	    "longest, fits the channel's limit" },
	{ "placeholder.unknown", TEND_SEV_ERROR, "every placeholder is "
	    "known and has a value" },
	{ "placeholder.unbalanced", TEND_SEV_ERROR, "every {{ is closed by "
	    "}} and names a placeholder" },
	{ "placeholder.injection", TEND_SEV_ERROR, "no value can form a "
	    "placeholder with the text around it" },
	{ "signature.missing", TEND_SEV_ERROR, "the agent signs where the "
	    "style requires it" },
	{ "greeting.missing", TEND_SEV_WARNING, "the text starts with a "
	    "greeting where the style requires it" },
	{ "tone.negative", TEND_SEV_WARNING, "the template's own sentiment "
	    "is not negative" },
	{ "tone.banned", TEND_SEV_ERROR, "no banned phrase" },
	{ "tone.discouraged", TEND_SEV_WARNING, "discouraged phrases no "
	    "more often than allowed" },
	{ "tone.shouting", TEND_SEV_WARNING, "no word in capitals" },
	{ "tone.exclamations", TEND_SEV_WARNING, "no !! and few "
	    "exclamation marks" },
	{ "tone.emoji", TEND_SEV_WARNING, "no more emoji than the style "
	    "allows" },
	{ "link.insecure", TEND_SEV_ERROR, "links use https" },
	{ "link.domain", TEND_SEV_ERROR, "links go to allowed domains, and "
	    "none looks like one" },
	{ "lang.mismatch", TEND_SEV_ERROR, "the text is in the language "
	    "declared" },
	{ "duplicate.exact", TEND_SEV_ERROR, "no two templates of a "
	    "language have the same text" },
	{ "duplicate.near", TEND_SEV_WARNING, "no two templates of a "
	    "language have nearly the same words" },
	{ "coverage.missing", TEND_SEV_ERROR, "every category, language and "
	    "channel a cover block names has a template" },
	{ NULL, 0, NULL }
};

static const struct {
	const char *channel;
	long max;
	int counting;
} default_limits[] = {
	{ "twitter", 280, TEND_COUNT_WEIGHTED },
	{ "sms", 160, TEND_COUNT_SMS },
	{ "facebook", 8000, TEND_COUNT_CHARS },
	{ "instagram", 2200, TEND_COUNT_CHARS },
	{ "mastodon", 500, TEND_COUNT_CHARS },
	{ "reddit", 10000, TEND_COUNT_CHARS },
	{ "youtube", 10000, TEND_COUNT_CHARS },
	{ "chat", 2000, TEND_COUNT_CHARS },
	{ "email", 20000, TEND_COUNT_CHARS },
	{ "web", 5000, TEND_COUNT_CHARS },
};
#define NLIMITS (sizeof(default_limits) / sizeof(default_limits[0]))

static const char *const counting_names[] = { "chars", "weighted", "sms",
	NULL };

static void
list_add(char ***v, size_t *n, const char *s, size_t len)
{
	*v = tend_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = tend_xstrndup(s, len);
}

static struct tend_limit *
limit_slot(struct tend_style *st, const char *channel, size_t n)
{
	size_t i;

	for (i = 0; i < st->nlimits; i++)
		if (strlen(st->limits[i].channel) == n &&
		    memcmp(st->limits[i].channel, channel, n) == 0)
			return &st->limits[i];
	st->limits = tend_xrealloc(st->limits, (st->nlimits + 1) *
	    sizeof(*st->limits));
	st->limits[st->nlimits].channel = tend_xstrndup(channel, n);
	st->limits[st->nlimits].max = 0;
	st->limits[st->nlimits].counting = TEND_COUNT_CHARS;
	return &st->limits[st->nlimits++];
}

struct tend_style *
tend_style_new(void)
{
	struct tend_style *st = tend_xcalloc(1, sizeof(*st));
	struct tend_limit *l;
	size_t i;

	for (i = 0; i < NLIMITS; i++) {
		l = limit_slot(st, default_limits[i].channel,
		    strlen(default_limits[i].channel));
		l->max = default_limits[i].max;
		l->counting = default_limits[i].counting;
	}
	st->emoji_max = -1;
	st->exclamations_max = 2;
	st->tone_min = -0.25;
	st->similar = 0.8;
	tend_tokens_init(&st->tokens);
	tend_buf_init(&st->scratch);
	return st;
}

static void
phrases_free(struct tend_phrase *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].lang);
		free(v[i].text);
		tend_free_strings(v[i].words, v[i].nwords);
	}
	free(v);
}

void
tend_style_free(struct tend_style *st)
{
	size_t i;

	if (!st)
		return;
	free(st->file);
	tend_free_strings(st->rule_ids, st->nrules);
	free(st->rule_sev);
	for (i = 0; i < st->nlimits; i++)
		free(st->limits[i].channel);
	free(st->limits);
	phrases_free(st->banned, st->nbanned);
	phrases_free(st->discouraged, st->ndiscouraged);
	phrases_free(st->greetings, st->ngreetings);
	tend_free_strings(st->signature_channels, st->nsignature_channels);
	tend_free_strings(st->greeting_channels, st->ngreeting_channels);
	tend_free_strings(st->domains, st->ndomains);
	tend_free_strings(st->caps, st->ncaps);
	tend_tokens_release(&st->tokens);
	tend_buf_release(&st->scratch);
	free(st);
}

/* --- rules -------------------------------------------------------------- */

static const struct tend_rule_info *
rule_info(const char *id, size_t n)
{
	size_t i;

	for (i = 0; tend_rules[i].id; i++)
		if (strlen(tend_rules[i].id) == n &&
		    memcmp(tend_rules[i].id, id, n) == 0)
			return &tend_rules[i];
	return NULL;
}

static int
rule_known_n(const char *id, size_t n)
{
	if (n > 7 && memcmp(id, "length.", 7) == 0)
		return tend_template_channel(id + 7, n - 7);
	return rule_info(id, n) != NULL;
}

int
tend_rule_known(const char *rule)
{
	return rule_known_n(rule, strlen(rule));
}

static int
style_rule(const struct tend_style *st, const char *id, size_t n)
{
	size_t i;

	for (i = st->nrules; i-- > 0;)
		if (strlen(st->rule_ids[i]) == n &&
		    memcmp(st->rule_ids[i], id, n) == 0)
			return st->rule_sev[i];
	return -1;
}

int
tend_style_severity(const struct tend_style *st, const char *rule)
{
	const struct tend_rule_info *ri;
	const char *dot = strchr(rule, '.');
	size_t n = strlen(rule);
	int sev;

	if (!rule_known_n(rule, n))
		return TEND_SEV_OFF;
	if ((sev = style_rule(st, rule, n)) >= 0)
		return sev;
	if (dot && (sev = style_rule(st, rule, (size_t)(dot - rule))) >= 0)
		return sev;
	if ((ri = rule_info(rule, n)))
		return ri->severity;
	ri = rule_info(rule, dot ? (size_t)(dot - rule) : n);
	return ri ? ri->severity : TEND_SEV_OFF;
}

const struct tend_limit *
tend_style_limit(const struct tend_style *st, const char *channel)
{
	size_t i;

	for (i = 0; i < st->nlimits; i++)
		if (strcmp(st->limits[i].channel, channel) == 0)
			return st->limits[i].max > 0 ? &st->limits[i] : NULL;
	return NULL;
}

int
tend_style_requires(const struct tend_style *st, const char *what,
    const char *channel)
{
	char **v = st->signature_channels;
	size_t i, n = st->nsignature_channels;

	if (strcmp(what, "greeting") == 0) {
		v = st->greeting_channels;
		n = st->ngreeting_channels;
	}
	for (i = 0; i < n; i++)
		if (strcmp(v[i], "*") == 0 || strcmp(v[i], channel) == 0)
			return 1;
	return 0;
}

/* --- the style file ---------------------------------------------------- */

#define MAX_INCLUDE_DEPTH 8

struct sparser {
	struct tend_style *st;
	int depth;		/* of include */
	const char *path;
	const char *text;	/* the line */
	long line;
	struct tend_error *err;
};

#define sfail(ps, ...) \
	tend_conf_fail((ps)->path, (ps)->line, (ps)->err, __VA_ARGS__)

/* The next word of the line; commas separate words like blanks. */
static int
sword_next(struct sparser *ps, size_t *pos, struct tend_word *w)
{
	return tend_conf_word(ps->text, pos, TEND_WORD_COMMAS, w);
}

/* The next word, which must be there: what names it for the message. */
static int
need_word(struct sparser *ps, size_t *pos, struct tend_word *w,
    const struct tend_word *after, const char *what)
{
	if (sword_next(ps, pos, w))
		return 0;
	return sfail(ps, after->col + (long)after->n, "expected %s after "
	    "'%.*s'", what, (int)after->n, after->s);
}

static int
no_more(struct sparser *ps, size_t pos)
{
	struct tend_word w;
	char q[80];

	if (sword_next(ps, &pos, &w))
		return sfail(ps, w.col, "unexpected '%s'",
		    tend_word_quote(&w, q, sizeof(q)));
	return 0;
}

static int
long_word(struct sparser *ps, const struct tend_word *w, long lo, long hi,
    long *out)
{
	char buf[32], *end, q[80];
	long v;

	if (w->n >= sizeof(buf))
		goto bad;
	memcpy(buf, w->s, w->n);
	buf[w->n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || *end || end == buf || v < lo || v > hi)
		goto bad;
	*out = v;
	return 0;
bad:
	return sfail(ps, w->col, "expected a number from %ld to %ld, not "
	    "'%s'", lo, hi, tend_word_quote(w, q, sizeof(q)));
}

static int
double_word(struct sparser *ps, const struct tend_word *w, double lo, double hi,
    double *out)
{
	char buf[32], *end, q[80];
	double v;

	if (w->n >= sizeof(buf))
		goto bad;
	memcpy(buf, w->s, w->n);
	buf[w->n] = '\0';
	v = strtod(buf, &end);
	if (*end || end == buf || !(v >= lo && v <= hi))
		goto bad;
	*out = v;
	return 0;
bad:
	return sfail(ps, w->col, "expected a number from %g to %g, not '%s'",
	    lo, hi, tend_word_quote(w, q, sizeof(q)));
}

/* rule ID error|warning|off */
static int
parse_rule(struct sparser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_style *st = ps->st;
	struct tend_word id, sev;
	char q[80];
	int s;

	if (need_word(ps, &pos, &id, kw, "a rule id") < 0)
		return -1;
	if (!rule_known_n(id.s, id.n) && !tend_word_is(&id, "length"))
		return sfail(ps, id.col, "unknown rule '%s'",
		    tend_word_quote(&id, q, sizeof(q)));
	if (need_word(ps, &pos, &sev, &id, "error, warning or off") < 0)
		return -1;
	for (s = 0; tend_severity_names[s]; s++)
		if (tend_word_is(&sev, tend_severity_names[s]))
			break;
	if (!tend_severity_names[s])
		return sfail(ps, sev.col, "expected error, warning or off, not "
		    "'%s'", tend_word_quote(&sev, q, sizeof(q)));
	st->rule_ids = tend_xrealloc(st->rule_ids, (st->nrules + 1) *
	    sizeof(*st->rule_ids));
	st->rule_sev = tend_xrealloc(st->rule_sev, (st->nrules + 1) *
	    sizeof(*st->rule_sev));
	st->rule_ids[st->nrules] = tend_xstrndup(id.s, id.n);
	st->rule_sev[st->nrules++] = s;
	return no_more(ps, pos);
}

/* limit CHANNEL N [chars|weighted|sms] */
static int
parse_limit(struct sparser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_word ch, num, how;
	struct tend_limit *l;
	char q[80];
	long max;
	int c = TEND_COUNT_CHARS;

	if (need_word(ps, &pos, &ch, kw, "a channel") < 0)
		return -1;
	if (!tend_template_channel(ch.s, ch.n))
		return sfail(ps, ch.col, "unknown channel '%s'",
		    tend_word_quote(&ch, q, sizeof(q)));
	if (need_word(ps, &pos, &num, &ch, "a length") < 0)
		return -1;
	if (long_word(ps, &num, 0, 1000000, &max) < 0)
		return -1;
	if (sword_next(ps, &pos, &how)) {
		for (c = 0; counting_names[c]; c++)
			if (tend_word_is(&how, counting_names[c]))
				break;
		if (!counting_names[c])
			return sfail(ps, how.col, "expected chars, weighted "
			    "or sms, not '%s'",
			    tend_word_quote(&how, q, sizeof(q)));
	}
	l = limit_slot(ps->st, ch.s, ch.n);
	l->max = max;
	l->counting = c;
	return no_more(ps, pos);
}

/* A phrase from pos to the end of the line, its words folded. */
static int
parse_phrase(struct sparser *ps, size_t pos, const struct tend_word *lang,
    long max, struct tend_phrase **v, size_t *n)
{
	struct tend_style *st = ps->st;
	struct tend_phrase *p;
	const char *s = ps->text + pos;
	size_t len, i;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	if (!len)
		return sfail(ps, tend_conf_column(ps->text, pos),
		    "expected a phrase");
	*v = tend_xrealloc(*v, (*n + 1) * sizeof(**v));
	p = &(*v)[(*n)++];
	memset(p, 0, sizeof(*p));
	p->lang = tend_xstrndup(lang->s, lang->n);
	p->text = tend_xstrndup(s, len);
	p->max = max;
	if (s[len - 1] == '*') {
		p->prefix = 1;
		len--;
	}
	tend_text_tokenize(&st->tokens, s, len, NULL, 0);
	for (i = 0; i < st->tokens.n; i++)
		list_add(&p->words, &p->nwords, tend_token_text(&st->tokens, i),
		    strlen(tend_token_text(&st->tokens, i)));
	if (!p->nwords)
		return sfail(ps, tend_conf_column(ps->text,
		    (size_t)(s - ps->text)),
		    "the phrase has no words");
	return 0;
}

static int
lang_word(struct sparser *ps, const struct tend_word *w)
{
	char q[80];
	size_t i;

	if (tend_word_is(w, "*"))
		return 0;
	for (i = 0; i < w->n; i++)
		if (w->s[i] < 'a' || w->s[i] > 'z')
			break;
	if (i < w->n || w->n < 2 || w->n > 3)
		return sfail(ps, w->col, "bad language '%s' (an ISO 639 code "
		    "such as en, or *)", tend_word_quote(w, q, sizeof(q)));
	return 0;
}

/* banned LANG PHRASE, greeting LANG PHRASE, discouraged LANG MAX PHRASE */
static int
parse_phrase_line(struct sparser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_style *st = ps->st;
	struct tend_word lang, num;
	long max = 0;

	if (need_word(ps, &pos, &lang, kw, "a language") < 0 ||
	    lang_word(ps, &lang) < 0)
		return -1;
	if (tend_word_is(kw, "banned"))
		return parse_phrase(ps, pos, &lang, 0, &st->banned,
		    &st->nbanned);
	if (tend_word_is(kw, "greeting"))
		return parse_phrase(ps, pos, &lang, 0, &st->greetings,
		    &st->ngreetings);
	if (need_word(ps, &pos, &num, &lang, "how many uses are allowed") < 0 ||
	    long_word(ps, &num, 0, 1000, &max) < 0)
		return -1;
	return parse_phrase(ps, pos, &lang, max, &st->discouraged,
	    &st->ndiscouraged);
}

/* require signature|greeting CHANNEL... or * */
static int
parse_require(struct sparser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_style *st = ps->st;
	struct tend_word what, ch;
	char q[80], ***v;
	size_t *n;
	int got = 0;

	if (need_word(ps, &pos, &what, kw, "signature or greeting") < 0)
		return -1;
	if (tend_word_is(&what, "signature")) {
		v = &st->signature_channels;
		n = &st->nsignature_channels;
	} else if (tend_word_is(&what, "greeting")) {
		v = &st->greeting_channels;
		n = &st->ngreeting_channels;
	} else {
		return sfail(ps, what.col, "expected signature or greeting, "
		    "not '%s'", tend_word_quote(&what, q, sizeof(q)));
	}
	while (sword_next(ps, &pos, &ch)) {
		if (!tend_word_is(&ch, "*") &&
		    !tend_template_channel(ch.s, ch.n))
			return sfail(ps, ch.col, "unknown channel '%s'",
			    tend_word_quote(&ch, q, sizeof(q)));
		list_add(v, n, ch.s, ch.n);
		got = 1;
	}
	if (!got)
		return sfail(ps, what.col + (long)what.n, "expected channels "
		    "or * after '%.*s'", (int)what.n, what.s);
	return 0;
}

/* domain D..., caps WORD... */
static int
parse_words(struct sparser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_style *st = ps->st;
	struct tend_word w;
	size_t i;
	int got = 0;

	while (sword_next(ps, &pos, &w)) {
		got = 1;
		if (tend_word_is(kw, "caps")) {
			tend_buf_reset(&st->scratch);
			tend_text_fold(&st->scratch, w.s, w.n);
			list_add(&st->caps, &st->ncaps, st->scratch.data,
			    st->scratch.len);
			continue;
		}
		list_add(&st->domains, &st->ndomains, w.s, w.n);
		for (i = 0; st->domains[st->ndomains - 1][i]; i++)
			st->domains[st->ndomains - 1][i] = (char)tolower(
			    (unsigned char)st->domains[st->ndomains - 1][i]);
	}
	if (!got)
		return sfail(ps, kw->col + (long)kw->n, "expected a list after "
		    "'%.*s'", (int)kw->n, kw->s);
	return 0;
}

static int
parse_number_line(struct sparser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_style *st = ps->st;
	struct tend_word w;

	if (need_word(ps, &pos, &w, kw, "a number") < 0)
		return -1;
	if (tend_word_is(kw, "emoji")) {
		if (tend_word_is(&w, "any"))
			st->emoji_max = -1;
		else if (long_word(ps, &w, 0, 1000, &st->emoji_max) < 0)
			return -1;
	} else if (tend_word_is(kw, "exclamations")) {
		if (long_word(ps, &w, 0, 1000, &st->exclamations_max) < 0)
			return -1;
	} else if (tend_word_is(kw, "tone-below")) {
		if (double_word(ps, &w, -1, 1, &st->tone_min) < 0)
			return -1;
	} else if (double_word(ps, &w, 0.1, 1, &st->similar) < 0) {
		return -1;
	}
	return no_more(ps, pos);
}

static int style_parse(struct tend_style *st, const char *text, size_t n,
    const char *path, int depth, struct tend_error *err);
static int style_load(struct tend_style *st, const char *path, int depth,
    struct tend_error *err);

/* include FILE: a path relative to the including file's folder. */
static int
parse_include(struct sparser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_buf path = TEND_BUF_INIT;
	const char *slash = strrchr(ps->path, '/'), *name = ps->text + pos;
	int rc;

	while (*name == ' ' || *name == '\t')
		name++;
	if (!*name)
		return sfail(ps, kw->col + (long)kw->n, "expected a file after "
		    "'include'");
	if (ps->depth >= MAX_INCLUDE_DEPTH)
		return sfail(ps, kw->col, "includes nested more than %d deep",
		    MAX_INCLUDE_DEPTH);
	if (*name != '/' && slash)
		tend_buf_add(&path, ps->path, (size_t)(slash - ps->path + 1));
	tend_buf_adds(&path, name);
	rc = style_load(ps->st, path.data, ps->depth + 1, ps->err);
	if (rc < 0 && ps->err->line == 0) {
		char why[TEND_ERROR_TEXT];

		snprintf(why, sizeof(why), "%s", ps->err->text);
		sfail(ps, tend_conf_column(ps->text,
		    (size_t)(name - ps->text)), "cannot include '%s': %s",
		    name, why);
	}
	tend_buf_release(&path);
	return rc;
}

static int
style_line(struct sparser *ps)
{
	struct tend_word kw;
	size_t pos = 0;
	char q[80];

	if (!sword_next(ps, &pos, &kw) || kw.s[0] == '#')
		return 0;
	if (kw.col != 1)
		return sfail(ps, kw.col, "a style has no indented lines");
	if (tend_word_is(&kw, "rule"))
		return parse_rule(ps, pos, &kw);
	if (tend_word_is(&kw, "include"))
		return parse_include(ps, pos, &kw);
	if (tend_word_is(&kw, "limit"))
		return parse_limit(ps, pos, &kw);
	if (tend_word_is(&kw, "banned") || tend_word_is(&kw, "discouraged") ||
	    tend_word_is(&kw, "greeting"))
		return parse_phrase_line(ps, pos, &kw);
	if (tend_word_is(&kw, "require"))
		return parse_require(ps, pos, &kw);
	if (tend_word_is(&kw, "domain") || tend_word_is(&kw, "caps"))
		return parse_words(ps, pos, &kw);
	if (tend_word_is(&kw, "emoji") || tend_word_is(&kw, "exclamations") ||
	    tend_word_is(&kw, "tone-below") || tend_word_is(&kw, "similar"))
		return parse_number_line(ps, pos, &kw);
	return sfail(ps, kw.col, "unknown directive '%s' (expected include, "
	    "rule, limit, banned, discouraged, greeting, require, domain, "
	    "caps, emoji, exclamations, tone-below or similar)",
	    tend_word_quote(&kw, q, sizeof(q)));
}

int
tend_style_parse(struct tend_style *st, const char *text, size_t n,
    const char *path, struct tend_error *err)
{
	free(st->file);
	st->file = tend_xstrdup(path);
	return style_parse(st, text, n, path, 0, err);
}

static int
style_parse(struct tend_style *st, const char *text, size_t n,
    const char *path, int depth, struct tend_error *err)
{
	struct sparser ps;
	size_t pos = 0, bad;
	struct tend_buf line = TEND_BUF_INIT;
	int rc = 0;

	memset(&ps, 0, sizeof(ps));
	ps.st = st;
	ps.depth = depth;
	ps.path = path;
	ps.err = err;
	while (pos < n && rc == 0) {
		int nul = tend_conf_line(text, n, &pos, &line);
		size_t len = line.len;

		ps.line++;
		ps.text = line.data;
		while (len && (line.data[len - 1] == ' ' ||
		    line.data[len - 1] == '\t' || line.data[len - 1] == '\r'))
			line.data[--len] = '\0';
		if (nul < 0)
			rc = sfail(&ps, tend_conf_column(line.data,
			    strlen(line.data)), "NUL byte in the file");
		else if ((bad = tend_utf8_check(line.data, len)) < len)
			rc = sfail(&ps, tend_conf_column(line.data, bad),
			    "invalid UTF-8");
		else
			rc = style_line(&ps);
	}
	tend_buf_release(&line);
	return rc;
}

int
tend_style_load(struct tend_style *st, const char *path,
    struct tend_error *err)
{
	free(st->file);
	st->file = tend_xstrdup(path);
	return style_load(st, path, 0, err);
}

static int
style_load(struct tend_style *st, const char *path, int depth,
    struct tend_error *err)
{
	struct tend_buf text = TEND_BUF_INIT;
	int rc;

	if (tend_conf_read(path, MAX_STYLE_BYTES, "file", &text, NULL,
	    err) < 0) {
		tend_buf_release(&text);
		return -1;
	}
	rc = style_parse(st, text.data ? text.data : "", text.len, path,
	    depth, err);
	tend_buf_release(&text);
	return rc;
}

/* --- length --------------------------------------------------------------- */

int
tend_tone_twitter_weight(uint32_t cp)
{
	/* twitter-text config/v3.json: these ranges weigh 100, the rest
	 * 200, on a scale of 100 */
	if (cp <= 0x10FF || (cp >= 0x2000 && cp <= 0x200D) ||
	    (cp >= 0x2010 && cp <= 0x201F) || (cp >= 0x2032 && cp <= 0x2037))
		return 1;
	return 2;
}

int
tend_tone_gsm_septets(uint32_t cp)
{
	/* GSM 03.38: the default alphabet, then its extension table */
	static const char *const basic = "@$_!\"#%&'()*+,-./:;<=>?\n\r ";
	static const uint32_t basic_other[] = {
		0xA3, 0xA5, 0xE8, 0xE9, 0xF9, 0xEC, 0xF2, 0xC7, 0xD8, 0xF8,
		0xC5, 0xE5, 0x394, 0x3A6, 0x393, 0x39B, 0x3A9, 0x3A0, 0x3A8,
		0x3A3, 0x398, 0x39E, 0xC6, 0xE6, 0xDF, 0xC9, 0xA4, 0xA1, 0xC4,
		0xD6, 0xD1, 0xDC, 0xA7, 0xBF, 0xE4, 0xF6, 0xF1, 0xFC, 0xE0
	};
	size_t i;

	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	    (cp >= '0' && cp <= '9') || (cp && cp < 0x80 &&
	    strchr(basic, (int)cp)))
		return 1;
	if (cp && cp < 0x80 && strchr("^{}\\[~]|\f", (int)cp))
		return 2;
	if (cp == 0x20AC)
		return 2;
	for (i = 0; i < sizeof(basic_other) / sizeof(basic_other[0]); i++)
		if (basic_other[i] == cp)
			return 1;
	return 0;
}

static int
is_emoji(uint32_t cp)
{
	return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 &&
	    cp <= 0x27BF) || (cp >= 0x2300 && cp <= 0x23FF) ||
	    (cp >= 0x2B00 && cp <= 0x2BFF);
}

/* Code points that continue an emoji: variation selectors, skin tones,
 * tags, the keycap. */
static int
emoji_part(uint32_t cp)
{
	return cp == 0xFE0F || cp == 0xFE0E || (cp >= 0x1F3FB &&
	    cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F) ||
	    cp == 0x20E3;
}

/* Skips the rest of the emoji sequence that started before *p. */
static void
skip_emoji(const char **p, const char *end, uint32_t first)
{
	const char *q;
	uint32_t cp;

	if (first >= 0x1F1E6 && first <= 0x1F1FF && *p < end) {
		q = *p;
		cp = tend_utf8_next(&q, end);
		if (cp >= 0x1F1E6 && cp <= 0x1F1FF)
			*p = q;	/* a flag: two regional indicators */
		return;
	}
	while (*p < end) {
		q = *p;
		cp = tend_utf8_next(&q, end);
		if (emoji_part(cp)) {
			*p = q;
		} else if (cp == 0x200D && q < end) {
			const char *r = q;

			if (!is_emoji(tend_utf8_next(&r, end)))
				return;
			*p = r;
		} else {
			return;
		}
	}
}

static long
weighted_run(const char *s, size_t n)
{
	const char *p = s, *end = s + n, *q;
	long len = 0;
	uint32_t cp;

	while (p < end) {
		cp = tend_utf8_next(&p, end);
		q = p;
		if (p < end && (is_emoji(cp) || ((cp == '#' || cp == '*' ||
		    (cp >= '0' && cp <= '9')) && emoji_part(
		    tend_utf8_next(&q, end))))) {
			skip_emoji(&p, end, cp);
			len += 2;
			continue;
		}
		len += is_emoji(cp) ? 2 : tend_tone_twitter_weight(cp);
	}
	return len;
}

/* The weighted length of s[0..n), whose tokens are in t. */
static long
weighted_tokens(const struct tend_tokens *t, const char *s, size_t n)
{
	size_t i, at = 0;
	long len = 0;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].kind != TEND_TOKEN_URL)
			continue;
		len += weighted_run(s + at, t->v[i].src - at) + URL_WEIGHT;
		at = t->v[i].src + t->v[i].src_len;
	}
	return len + weighted_run(s + at, n - at);
}

static long
weighted_length(struct tend_style *st, const char *s, size_t n)
{
	tend_text_tokenize(&st->tokens, s, n, NULL, 0);
	return weighted_tokens(&st->tokens, s, n);
}

/* tend_tone_length() for a text already in st->tokens. */
static long
length_tokenized(struct tend_style *st, const struct tend_limit *lim,
    const char *s, size_t n, long *max)
{
	if (lim->counting == TEND_COUNT_WEIGHTED) {
		*max = lim->max;
		return weighted_tokens(&st->tokens, s, n);
	}
	return tend_tone_length(st, lim, s, n, max);
}

static long
sms_length(const char *s, size_t n, long gsm_max, long *max)
{
	const char *p = s, *end = s + n;
	long septets = 0, units = 0;
	int gsm = 1, k;
	uint32_t cp;

	while (p < end) {
		cp = tend_utf8_next(&p, end);
		units += cp > 0xFFFF ? 2 : 1;
		if (gsm && (k = tend_tone_gsm_septets(cp)))
			septets += k;
		else
			gsm = 0;
	}
	*max = gsm ? gsm_max : (gsm_max < UCS2_SMS_MAX ? gsm_max :
	    UCS2_SMS_MAX);
	return gsm ? septets : units;
}

long
tend_tone_length(struct tend_style *st, const struct tend_limit *lim,
    const char *s, size_t n, long *max)
{
	const char *p = s, *end = s + n;
	long len = 0;

	*max = lim->max;
	if (lim->counting == TEND_COUNT_WEIGHTED)
		return weighted_length(st, s, n);
	if (lim->counting == TEND_COUNT_SMS)
		return sms_length(s, n, lim->max, max);
	while (p < end) {
		tend_utf8_next(&p, end);
		len++;
	}
	return len;
}

/* --- the checks ----------------------------------------------------------- */

struct checker {
	struct tend_style *st;
	const char *lang, *channel;
	const char *s;
	size_t n;
	tend_finding_fn fn;
	void *arg;
	struct tend_buf host, a, b;
};

static void
emit(struct checker *c, const char *rule, size_t off, size_t len,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
emit(struct checker *c, const char *rule, size_t off, size_t len,
    const char *fmt, ...)
{
	struct tend_finding f;
	va_list ap;

	memset(&f, 0, sizeof(f));
	f.severity = tend_style_severity(c->st, rule);
	if (f.severity == TEND_SEV_OFF)
		return;
	snprintf(f.rule, sizeof(f.rule), "%s", rule);
	f.off = off;
	f.len = len;
	va_start(ap, fmt);
	vsnprintf(f.message, sizeof(f.message), fmt, ap);
	va_end(ap);
	c->fn(c->arg, &f);
}

/* A value of the text for a message, quoted and cut short. */
static const char *
q(const char *s, size_t n, char *buf, size_t size)
{
	return tend_error_quote(s, n, buf, size);
}

static void
check_length(struct checker *c)
{
	const struct tend_limit *lim = tend_style_limit(c->st, c->channel);
	static const char *const units[] = { "characters",
		"weighted characters", "GSM-7 characters" };
	const char *unit;
	char rule[48];
	long len, max;

	if (!lim)
		return;
	len = length_tokenized(c->st, lim, c->s, c->n, &max);
	c->st->measured = len;
	c->st->measured_max = max;
	if (len <= max)
		return;
	unit = units[lim->counting];
	if (lim->counting == TEND_COUNT_SMS && max != lim->max)
		unit = "UCS-2 characters (a character outside GSM-7)";
	snprintf(rule, sizeof(rule), "length.%s", c->channel);
	emit(c, rule, 0, c->n, "%ld %s, over the %s limit of %ld", len, unit,
	    c->channel, max);
}

static int
lang_applies(const struct checker *c, const struct tend_phrase *p)
{
	return strcmp(p->lang, "*") == 0 || (c->lang &&
	    strcmp(p->lang, c->lang) == 0);
}

/* The tokens phrase p matches at token i of t (0 when it does not). */
static size_t
phrase_at(const struct tend_tokens *t, size_t i, const struct tend_phrase *p)
{
	size_t k;
	const char *w;

	if (i + p->nwords > t->n)
		return 0;
	for (k = 0; k < p->nwords; k++) {
		if (k && t->v[i + k].clause)
			return 0;	/* a phrase does not span "." or "," */
		w = tend_token_text(t, i + k);
		if (k + 1 == p->nwords && p->prefix) {
			if (strncmp(w, p->words[k], strlen(p->words[k])) != 0)
				return 0;
		} else if (strcmp(w, p->words[k]) != 0) {
			return 0;
		}
	}
	return p->nwords;
}

static size_t
span_end(const struct tend_tokens *t, size_t last)
{
	return t->v[last].src + t->v[last].src_len;
}

static void
check_banned(struct checker *c)
{
	const struct tend_tokens *t = &c->st->tokens;
	const struct tend_phrase *p;
	size_t i, j, k;
	char buf[80];

	for (j = 0; j < c->st->nbanned; j++) {
		p = &c->st->banned[j];
		if (!lang_applies(c, p))
			continue;
		for (i = 0; i < t->n; i++) {
			if (!(k = phrase_at(t, i, p)))
				continue;
			emit(c, "tone.banned", t->v[i].src, span_end(t,
			    i + k - 1) - t->v[i].src, "banned phrase '%s'",
			    q(c->s + t->v[i].src, span_end(t, i + k - 1) -
			    t->v[i].src, buf, sizeof(buf)));
		}
	}
}

static void
check_discouraged(struct checker *c)
{
	const struct tend_tokens *t = &c->st->tokens;
	const struct tend_phrase *p;
	size_t i, j, k;
	long uses;
	char buf[80];

	for (j = 0; j < c->st->ndiscouraged; j++) {
		p = &c->st->discouraged[j];
		if (!lang_applies(c, p))
			continue;
		for (i = 0, uses = 0; i < t->n; i++) {
			if (!(k = phrase_at(t, i, p)) || ++uses != p->max + 1)
				continue;
			emit(c, "tone.discouraged", t->v[i].src, span_end(t,
			    i + k - 1) - t->v[i].src, "'%s' used more than "
			    "%ld time%s", q(p->text, strlen(p->text), buf,
			    sizeof(buf)), p->max, p->max == 1 ? "" : "s");
		}
	}
}

static void
check_shouting(struct checker *c)
{
	const struct tend_tokens *t = &c->st->tokens;
	const char *w;
	size_t i, j;
	char buf[80];

	for (i = 0; i < t->n; i++) {
		if (!t->v[i].caps || t->v[i].kind != TEND_TOKEN_WORD)
			continue;
		w = tend_token_text(t, i);
		if (strlen(w) < 4)
			continue;
		for (j = 0; j < c->st->ncaps; j++)
			if (strcmp(c->st->caps[j], w) == 0)
				break;
		if (j < c->st->ncaps)
			continue;
		emit(c, "tone.shouting", t->v[i].src, t->v[i].src_len, "'%s' "
		    "in capitals reads as shouting", q(c->s + t->v[i].src,
		    t->v[i].src_len, buf, sizeof(buf)));
	}
}

static void
check_exclamations(struct checker *c)
{
	size_t i, run;
	long count = 0;

	for (i = 0; i < c->n; i++) {
		if (c->s[i] != '!')
			continue;
		for (run = 1; i + run < c->n && (c->s[i + run] == '!' ||
		    c->s[i + run] == '?'); run++)
			;
		if (run > 1)
			emit(c, "tone.exclamations", i, run, "'%.*s': more "
			    "than one mark in a row", (int)run, c->s + i);
		for (; run; run--, i++)
			if (c->s[i] == '!' && ++count == c->st->exclamations_max
			    + 1)
				emit(c, "tone.exclamations", i, 1, "more than "
				    "%ld exclamation mark%s",
				    c->st->exclamations_max,
				    c->st->exclamations_max == 1 ? "" : "s");
		i--;
	}
}

static void
check_emoji(struct checker *c)
{
	const struct tend_tokens *t = &c->st->tokens;
	long count = 0;
	size_t i;

	if (c->st->emoji_max < 0)
		return;
	for (i = 0; i < t->n; i++)
		if (t->v[i].kind == TEND_TOKEN_EMOJI &&
		    ++count == c->st->emoji_max + 1) {
			if (c->st->emoji_max == 0)
				emit(c, "tone.emoji", t->v[i].src,
				    t->v[i].src_len, "an emoji, where the "
				    "style allows none");
			else
				emit(c, "tone.emoji", t->v[i].src,
				    t->v[i].src_len, "more than %ld emoji",
				    c->st->emoji_max);
		}
}

static void
check_greeting(struct checker *c)
{
	const struct tend_tokens *t = &c->st->tokens;
	size_t j, first = 0;
	int any = 0;

	if (!c->channel || !tend_style_requires(c->st, "greeting", c->channel))
		return;
	while (first < t->n && t->v[first].kind == TEND_TOKEN_MENTION)
		first++;
	for (j = 0; j < c->st->ngreetings; j++) {
		if (!lang_applies(c, &c->st->greetings[j]))
			continue;
		any = 1;
		if (phrase_at(t, first, &c->st->greetings[j]))
			return;
	}
	if (!any)
		return;
	for (j = 0; j < c->st->ngreetings; j++)
		if (lang_applies(c, &c->st->greetings[j]))
			break;
	emit(c, "greeting.missing", first < t->n ? t->v[first].src : 0, 0,
	    "no greeting at the start on %s (such as '%s')", c->channel,
	    c->st->greetings[j].text);
}

static int
domain_allowed(const struct tend_style *st, const char *host)
{
	size_t i, hn = strlen(host), dn;

	for (i = 0; i < st->ndomains; i++) {
		dn = strlen(st->domains[i]);
		if (hn == dn && memcmp(host, st->domains[i], dn) == 0)
			return 1;
		if (hn > dn && host[hn - dn - 1] == '.' &&
		    memcmp(host + hn - dn, st->domains[i], dn) == 0)
			return 1;
	}
	return 0;
}

/* The allowed domain host imitates (same skeleton of its label), or
 * NULL. */
static const char *
lookalike(struct checker *c, const char *host)
{
	size_t i;

	tend_buf_reset(&c->a);
	cl_domain_label(host, &c->a);
	tend_buf_reset(&c->b);
	tend_text_skeleton(&c->b, c->a.data, c->a.len);
	tend_buf_reset(&c->a);
	tend_buf_add(&c->a, c->b.data, c->b.len);
	for (i = 0; i < c->st->ndomains; i++) {
		tend_buf_reset(&c->host);
		cl_domain_label(c->st->domains[i], &c->host);
		tend_buf_reset(&c->b);
		tend_text_skeleton(&c->b, c->host.data, c->host.len);
		if (c->a.len && c->a.len == c->b.len &&
		    memcmp(c->a.data, c->b.data, c->a.len) == 0)
			return c->st->domains[i];
	}
	return NULL;
}

/* Splits the link u[0..n) into its scheme (lower case, "" when none) and
 * host (lower case, without user, port or final dot) in c->host; returns
 * 1 when a user part ("x@") came before the host. */
static int
link_parts(struct checker *c, const char *u, size_t n, char *scheme,
    size_t size)
{
	const char *p = u, *end = u + n, *h, *at;
	size_t i;

	scheme[0] = '\0';
	for (i = 0; i < n && i + 3 <= n; i++)
		if (memcmp(u + i, "://", 3) == 0)
			break;
	if (i + 3 <= n && i < size) {
		for (size_t k = 0; k < i; k++)
			scheme[k] = (char)tolower((unsigned char)u[k]);
		scheme[i] = '\0';
		p = u + i + 3;
	}
	for (h = p; h < end && *h != '/' && *h != '?' && *h != '#'; h++)
		;
	at = NULL;
	for (const char *s = p; s < h; s++)
		if (*s == '@')
			at = s;
	if (at)
		p = at + 1;
	tend_buf_reset(&c->host);
	for (; p < h && *p != ':'; p++)
		tend_buf_addc(&c->host, (char)tolower((unsigned char)*p));
	while (c->host.len && c->host.data[c->host.len - 1] == '.')
		c->host.data[--c->host.len] = '\0';
	return at != NULL;
}

static void
check_link(struct checker *c, size_t off, size_t len)
{
	const char *u = c->s + off, *like;
	char scheme[16], buf[100], host[256];
	int user;

	user = link_parts(c, u, len, scheme, sizeof(scheme));
	snprintf(host, sizeof(host), "%s", c->host.data ? c->host.data : "");
	if (scheme[0] && strcmp(scheme, "https") != 0)
		emit(c, "link.insecure", off, len, "link '%s' does not use "
		    "https", q(u, len, buf, sizeof(buf)));
	if (!c->st->ndomains)
		return;
	if (user)
		emit(c, "link.domain", off, len, "link '%s' hides its host "
		    "after a user name", q(u, len, buf, sizeof(buf)));
	else if (domain_allowed(c->st, host))
		return;
	else if ((like = lookalike(c, host)))
		emit(c, "link.domain", off, len, "link to '%s', which looks "
		    "like '%s' but is not it", host, like);
	else
		emit(c, "link.domain", off, len, "link to '%s', a domain the "
		    "style does not allow", host);
}

static void
check_links(struct checker *c)
{
	const struct tend_tokens *t = &c->st->tokens;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].kind == TEND_TOKEN_URL)
			check_link(c, t->v[i].src, t->v[i].src_len);
}

void
tend_tone_check(struct tend_style *st, const char *lang, const char *channel,
    const char *s, size_t n, unsigned checks, tend_finding_fn fn, void *arg)
{
	struct checker c;

	memset(&c, 0, sizeof(c));
	c.st = st;
	c.lang = lang;
	c.channel = channel;
	c.s = s;
	c.n = n;
	c.fn = fn;
	c.arg = arg;
	tend_text_tokenize(&st->tokens, s, n, NULL, 0);
	st->measured = st->measured_max = -1;
	if ((checks & TEND_CHECK_LENGTH) && channel)
		check_length(&c);
	if (checks & TEND_CHECK_LINKS)
		check_links(&c);
	if (checks & TEND_CHECK_BANNED)
		check_banned(&c);
	if (checks & TEND_CHECK_DISCOURAGED)
		check_discouraged(&c);
	if (checks & TEND_CHECK_SHOUTING)
		check_shouting(&c);
	if (checks & TEND_CHECK_EXCLAMATIONS)
		check_exclamations(&c);
	if (checks & TEND_CHECK_EMOJI)
		check_emoji(&c);
	if (checks & TEND_CHECK_GREETING)
		check_greeting(&c);
	tend_buf_release(&c.host);
	tend_buf_release(&c.a);
	tend_buf_release(&c.b);
}
