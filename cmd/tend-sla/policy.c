/* policy.c: the tend-policy(5) parser.
 *
 * A policy is read line by line.  A line that does not start with a blank
 * is a directive or opens a block ("calendar NAME", "target NAME"); a line
 * that starts with blanks is an attribute of the block above.  Whole-line
 * comments start with '#'.  The first error stops the parse, reported with
 * the file, line and column.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "alloc.h"
#include "conf.h"
#include "sla.h"

const char *const sla_clock_names[NCLOCKS] = {
	"first_response", "next_response", "update_every", "resolve",
	"follow_up"
};

#define DEFAULT_SIGNATURE "[\\^\\-\xe2\x80\x93~]\\s*([A-Z]{2,3})\\s*$"
#define DEFAULT_ASKS "text ~ /\\?/"
#define MAX_POLICY_BYTES (16L * 1024 * 1024)

struct sla_pattern {
	pcre2_code *re;
	pcre2_match_data *md;
};

struct parser {
	const char *path, *dir;
	struct sla_policy *p;
	struct sla_calendar *cal;	/* the block being read, if a calendar */
	struct sla_target *target;	/* ... if a target */
	const char *target_cal;		/* its "calendar" attribute */
	const struct tend_calendar *target_calp;
	int explicit_cal[NCLOCKS];	/* the clock named its own */
	long line;
	struct tend_error *err;
};

#define fail(ps, ...) \
	tend_conf_fail((ps)->path, (ps)->line, (ps)->err, __VA_ARGS__)

/* The next blank-separated word of line. */
static int
next_word(const char *line, size_t *pos, struct tend_word *w)
{
	return tend_conf_word(line, pos, TEND_WORD_BLANKS, w);
}

static int
duration_word(struct parser *ps, const struct tend_word *w, int64_t *secs)
{
	char q[80];

	if (tend_duration_parse(w->s, w->n, secs) < 0)
		return fail(ps, w->col, "not a duration: '%s' (such as 15m, "
		    "1h30m, 2d)", tend_word_quote(w, q, sizeof(q)));
	if (*secs <= 0)
		return fail(ps, w->col, "a duration here must be more than "
		    "0, not '%s'", tend_word_quote(w, q, sizeof(q)));
	return 0;
}

static int
name_ok(const struct tend_word *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!isalnum((unsigned char)w->s[i]) && w->s[i] != '_' &&
		    w->s[i] != '-' && w->s[i] != '.')
			return 0;
	return w->n > 0;
}

static const struct tend_calendar *
find_calendar(const struct sla_policy *p, const struct tend_word *w,
    const char **name)
{
	size_t i;

	for (i = 0; i < p->ncals; i++)
		if (tend_word_is(w, p->cals[i].name)) {
			*name = p->cals[i].name;
			return p->cals[i].cal;
		}
	return NULL;
}

static struct sla_pattern *
pattern_compile(const char *src, size_t n, uint32_t flags, int *errcode,
    size_t *erroff)
{
	struct sla_pattern *pat;
	pcre2_code *re;

	re = pcre2_compile((PCRE2_SPTR)src, n, flags | PCRE2_UTF, errcode,
	    erroff, NULL);
	if (!re)
		return NULL;
	pat = tend_xmalloc(sizeof(*pat));
	pat->re = re;
	pat->md = pcre2_match_data_create_from_pattern(re, NULL);
	return pat;
}

/* A signature is matched against hostile text: bound the backtracking. */
static pcre2_match_context *
match_limits(void)
{
	static pcre2_match_context *mctx;

	if (!mctx) {
		mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mctx, 100000);
		pcre2_set_depth_limit(mctx, 1000);
	}
	return mctx;
}

static void
pattern_free(struct sla_pattern *pat)
{
	if (!pat)
		return;
	pcre2_match_data_free(pat->md);
	pcre2_code_free(pat->re);
	free(pat);
}

/* signature /REGEX/FLAGS: the regex runs to the last '/' of the line. */
static int
parse_signature(struct parser *ps, const char *line, size_t pos)
{
	const char *start, *end, *f;
	uint32_t flags = 0;
	int code;
	size_t off;
	PCRE2_UCHAR msg[200];

	while (line[pos] == ' ' || line[pos] == '\t')
		pos++;
	start = line + pos;
	end = strrchr(start, '/');
	if (*start != '/' || end == start)
		return fail(ps, (long)pos + 1, "expected /REGEX/ after "
		    "'signature'");
	for (f = end + 1; *f; f++) {
		if (*f == 'i')
			flags |= PCRE2_CASELESS;
		else if (*f == 'x')
			flags |= PCRE2_EXTENDED;
		else
			return fail(ps, (long)(f - line) + 1, "unknown regex "
			    "flag '%c' (expected i or x)", *f);
	}
	pattern_free(ps->p->signature);
	ps->p->signature = pattern_compile(start + 1,
	    (size_t)(end - start - 1), flags, &code, &off);
	if (!ps->p->signature) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		return fail(ps, (long)(start + 1 - line) + (long)off + 1,
		    "bad regex: %s", (char *)msg);
	}
	if (pcre2_pattern_info(ps->p->signature->re, PCRE2_INFO_CAPTURECOUNT,
	    &code) == 0 && code < 1)
		return fail(ps, (long)pos + 1, "the signature needs a group "
		    "( ) around the initials");
	return 0;
}

/* An expression from pos to the end of the line, into *out. */
static int
parse_expr(struct parser *ps, const char *line, size_t pos,
    const char *what, struct tend_expr **out)
{
	struct tend_error e;

	while (line[pos] == ' ' || line[pos] == '\t')
		pos++;
	if (!line[pos])
		return fail(ps, (long)pos + 1, "expected an expression after "
		    "'%s'", what);
	memset(&e, 0, sizeof(e));
	tend_expr_free(*out);
	*out = tend_expr_parse(line + pos, &e);
	if (!*out)
		return fail(ps, (long)pos + (e.col > 0 ? e.col : 1), "%s",
		    e.text);
	return 0;
}

static void
finish_target(struct parser *ps)
{
	struct sla_target *t = ps->target;
	int i;

	if (!t)
		return;
	for (i = 0; i < NCLOCKS; i++)
		if (t->clocks[i].set && !ps->explicit_cal[i]) {
			t->clocks[i].cal = ps->target_calp;
			t->clocks[i].cal_name = ps->target_cal;
		}
	ps->target = NULL;
}

static int
open_block(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct sla_policy *p = ps->p;
	struct tend_word name, extra;
	char q[80];
	size_t i;

	finish_target(ps);
	ps->cal = NULL;
	if (!next_word(line, &pos, &name))
		return fail(ps, kw->col + (long)kw->n, "expected a name after "
		    "'%.*s'", (int)kw->n, kw->s);
	if (!name_ok(&name))
		return fail(ps, name.col, "bad name '%s' (letters, digits, "
		    "'_', '-', '.')", tend_word_quote(&name, q, sizeof(q)));
	if (next_word(line, &pos, &extra))
		return fail(ps, extra.col, "unexpected '%s' after the name",
		    tend_word_quote(&extra, q, sizeof(q)));
	if (tend_word_is(kw, "calendar")) {
		for (i = 0; i < p->ncals; i++)
			if (tend_word_is(&name, p->cals[i].name))
				return fail(ps, name.col, "duplicate calendar "
				    "'%s'", tend_word_quote(&name, q,
				    sizeof(q)));
		p->cals = tend_xrealloc(p->cals, (p->ncals + 1) *
		    sizeof(*p->cals));
		ps->cal = &p->cals[p->ncals++];
		ps->cal->name = tend_xstrndup(name.s, name.n);
		ps->cal->cal = tend_calendar_new(ps->cal->name, NULL);
		return 0;
	}
	for (i = 0; i < p->ntargets; i++)
		if (tend_word_is(&name, p->targets[i].name))
			return fail(ps, name.col, "duplicate target '%s'",
			    tend_word_quote(&name, q, sizeof(q)));
	p->targets = tend_xrealloc(p->targets, (p->ntargets + 1) *
	    sizeof(*p->targets));
	ps->target = &p->targets[p->ntargets++];
	memset(ps->target, 0, sizeof(*ps->target));
	ps->target->name = tend_xstrndup(name.s, name.n);
	ps->target_cal = NULL;
	ps->target_calp = NULL;
	memset(ps->explicit_cal, 0, sizeof(ps->explicit_cal));
	return 0;
}

static int
top_level(struct parser *ps, const char *line)
{
	struct tend_word kw;
	size_t pos = 0;
	char q[80];

	next_word(line, &pos, &kw);
	if (tend_word_is(&kw, "calendar") || tend_word_is(&kw, "target"))
		return open_block(ps, line, pos, &kw);
	finish_target(ps);
	ps->cal = NULL;
	if (tend_word_is(&kw, "signature"))
		return parse_signature(ps, line, pos);
	if (tend_word_is(&kw, "asks"))
		return parse_expr(ps, line, pos, "asks", &ps->p->asks);
	if (tend_word_is(&kw, "closing"))
		return parse_expr(ps, line, pos, "closing", &ps->p->closing);
	if (tend_word_is(&kw, "thanks"))
		return parse_expr(ps, line, pos, "thanks", &ps->p->thanks);
	return fail(ps, kw.col, "unknown directive '%s' (expected calendar, "
	    "target, signature, asks, closing or thanks)",
	    tend_word_quote(&kw, q, sizeof(q)));
}

static int
clock_id(const struct tend_word *w)
{
	int i;

	for (i = 0; i < NCLOCKS; i++)
		if (tend_word_is(w, sla_clock_names[i]))
			return i;
	return -1;
}

/* CLOCK DURATION [warn DURATION] [calendar NAME | wall] */
static int
parse_clock(struct parser *ps, const char *line, size_t pos, int id,
    const struct tend_word *kw)
{
	struct sla_clock *ck = &ps->target->clocks[id];
	struct tend_word w;
	char q[80];

	if (ck->set)
		return fail(ps, kw->col, "duplicate clock '%s'",
		    sla_clock_names[id]);
	memset(ck, 0, sizeof(*ck));
	if (!next_word(line, &pos, &w))
		return fail(ps, kw->col + (long)kw->n, "expected a duration "
		    "after '%s'", sla_clock_names[id]);
	if (duration_word(ps, &w, &ck->limit) < 0)
		return -1;
	ck->set = 1;
	while (next_word(line, &pos, &w)) {
		if (tend_word_is(&w, "warn")) {
			if (!next_word(line, &pos, &w))
				return fail(ps, w.col + 4, "expected a "
				    "duration after 'warn'");
			if (duration_word(ps, &w, &ck->warn) < 0)
				return -1;
			if (ck->warn >= ck->limit)
				return fail(ps, w.col, "the warning must come "
				    "before the limit");
		} else if (tend_word_is(&w, "wall")) {
			ps->explicit_cal[id] = 1;
			ck->cal = NULL;
			ck->cal_name = NULL;
		} else if (tend_word_is(&w, "calendar")) {
			if (!next_word(line, &pos, &w))
				return fail(ps, w.col + 8, "expected a "
				    "calendar name after 'calendar'");
			ck->cal = find_calendar(ps->p, &w, &ck->cal_name);
			if (!ck->cal)
				return fail(ps, w.col, "unknown calendar '%s'",
				    tend_word_quote(&w, q, sizeof(q)));
			ps->explicit_cal[id] = 1;
		} else {
			return fail(ps, w.col, "unexpected '%s' (expected "
			    "warn, calendar or wall)",
			    tend_word_quote(&w, q, sizeof(q)));
		}
	}
	return 0;
}

static int
yes_no(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw, const char *yes, int *out)
{
	struct tend_word w, extra;
	char q[80];

	if (!next_word(line, &pos, &w))
		return fail(ps, kw->col + (long)kw->n, "expected %s or no "
		    "after '%.*s'", yes, (int)kw->n, kw->s);
	if (next_word(line, &pos, &extra))
		return fail(ps, extra.col, "unexpected '%s'",
		    tend_word_quote(&extra, q, sizeof(q)));
	if (tend_word_is(&w, yes))
		*out = 1;
	else if (tend_word_is(&w, "no"))
		*out = 0;
	else
		return fail(ps, w.col, "expected %s or no, not '%s'", yes,
		    tend_word_quote(&w, q, sizeof(q)));
	return 0;
}

static int
target_attribute(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct sla_target *t = ps->target;
	struct tend_word w;
	char q[80];
	int id;

	if (tend_word_is(kw, "when")) {
		if (t->when)
			return fail(ps, kw->col, "a target has one 'when'");
		return parse_expr(ps, line, pos, "when", &t->when);
	}
	if ((id = clock_id(kw)) >= 0)
		return parse_clock(ps, line, pos, id, kw);
	if (tend_word_is(kw, "calendar")) {
		if (!next_word(line, &pos, &w))
			return fail(ps, kw->col + 8, "expected a calendar name "
			    "after 'calendar'");
		ps->target_calp = find_calendar(ps->p, &w, &ps->target_cal);
		if (!ps->target_calp)
			return fail(ps, w.col, "unknown calendar '%s'",
			    tend_word_quote(&w, q, sizeof(q)));
		return 0;
	}
	if (tend_word_is(kw, "bot_counts"))
		return yes_no(ps, line, pos, kw, "yes", &t->bot_counts);
	if (tend_word_is(kw, "pause"))
		return yes_no(ps, line, pos, kw, "waiting", &t->pause_waiting);
	if (tend_word_is(kw, "conversation")) {
		size_t p2 = pos;

		if (!next_word(line, &p2, &w))
			return fail(ps, kw->col + 12, "expected a window or "
			    "no after 'conversation'");
		if (tend_word_is(&w, "no")) {
			t->conversation = 0;
			return 0;
		}
		return duration_word(ps, &w, &t->conversation);
	}
	return fail(ps, kw->col, "unknown target attribute '%s'",
	    tend_word_quote(kw, q, sizeof(q)));
}

static int
attribute(struct parser *ps, const char *line, size_t indent)
{
	struct tend_error e;
	struct tend_word kw;
	size_t pos = indent;
	char q[80];

	next_word(line, &pos, &kw);
	if (ps->target)
		return target_attribute(ps, line, pos, &kw);
	if (!ps->cal)
		return fail(ps, kw.col, "'%s' is not inside a calendar or a "
		    "target (only their lines are indented)",
		    tend_word_quote(&kw, q, sizeof(q)));
	memset(&e, 0, sizeof(e));
	if (tend_calendar_parse_line(ps->cal->cal, line + indent, ps->dir,
	    &e) < 0)
		return fail(ps, e.col > 0 ? (long)indent + e.col : 0, "%s",
		    e.text);
	return 0;
}

static int
parse_line(struct parser *ps, char *line)
{
	size_t indent = 0, n = strlen(line);

	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
	    line[n - 1] == '\r'))
		line[--n] = '\0';
	while (line[indent] == ' ' || line[indent] == '\t')
		indent++;
	if (!line[indent] || line[indent] == '#')
		return 0;
	return indent ? attribute(ps, line, indent) : top_level(ps, line);
}

static char *
policy_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 7 && strcmp(base + n - 7, ".policy") == 0)
		n -= 7;
	return tend_xstrndup(base, n);
}

static void
add_name(struct sla_policy *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < p->nnames; i++)
		if (strlen(p->names[i]) == n && memcmp(p->names[i], s, n) == 0)
			return;
	p->names = tend_xrealloc(p->names, (p->nnames + 1) *
	    sizeof(*p->names));
	p->names[p->nnames++] = tend_xstrndup(s, n);
}

/* Every word of an expression's source that could start a field path:
 * more than the paths it reads (words of strings and patterns too), never
 * less, so a record can be given to it with those members alone. */
static void
add_names(struct sla_policy *p, const struct tend_expr *e)
{
	const char *src = e ? tend_expr_source(e) : NULL, *w;

	if (!src)
		return;
	while (*src) {
		if (!isalpha((unsigned char)*src) && *src != '_') {
			src++;
			continue;
		}
		w = src;
		while (isalnum((unsigned char)*src) || *src == '_' ||
		    *src == '-')
			src++;
		if (w == tend_expr_source(e) || w[-1] != '.')
			add_name(p, w, (size_t)(src - w));
	}
}

static void
collect_names(struct sla_policy *p)
{
	size_t i;

	for (i = 0; i < p->ntargets; i++)
		add_names(p, p->targets[i].when);
	add_names(p, p->asks);
	add_names(p, p->closing);
	add_names(p, p->thanks);
}

static int
set_defaults(struct parser *ps)
{
	struct tend_error e;
	int code;
	size_t off;

	if (!ps->p->signature)
		ps->p->signature = pattern_compile(DEFAULT_SIGNATURE,
		    strlen(DEFAULT_SIGNATURE), 0, &code, &off);
	if (!ps->p->asks)
		ps->p->asks = tend_expr_parse(DEFAULT_ASKS, &e);
	if (!ps->p->ntargets) {
		tend_error_set(ps->err, ps->path, 0, 0, "no target: a policy "
		    "needs at least one");
		return -1;
	}
	return 0;
}

struct sla_policy *
sla_policy_parse(const char *text, size_t n, const char *path,
    const char *dir, struct tend_error *err)
{
	struct parser ps;
	size_t pos = 0;
	struct tend_buf line = TEND_BUF_INIT;
	int rc = 0;

	memset(&ps, 0, sizeof(ps));
	ps.path = path;
	ps.dir = dir;
	ps.err = err;
	ps.p = tend_xcalloc(1, sizeof(*ps.p));
	ps.p->name = policy_name(path);
	while (pos < n && rc == 0) {
		ps.line++;
		if (tend_conf_line(text, n, &pos, &line) < 0)
			rc = fail(&ps, (long)strlen(line.data) + 1, "NUL byte "
			    "in the policy");
		else
			rc = parse_line(&ps, line.data);
	}
	tend_buf_release(&line);
	finish_target(&ps);
	if (rc == 0)
		rc = set_defaults(&ps);
	if (rc == 0)
		collect_names(ps.p);
	if (rc < 0) {
		sla_policy_free(ps.p);
		return NULL;
	}
	return ps.p;
}

struct sla_policy *
sla_policy_load(const char *path, struct tend_error *err)
{
	struct sla_policy *p;
	struct tend_buf text = TEND_BUF_INIT, dir = TEND_BUF_INIT;

	if (tend_conf_read(path, MAX_POLICY_BYTES, "policy file", &text, &dir,
	    err) < 0) {
		tend_buf_release(&text);
		return NULL;
	}
	p = sla_policy_parse(text.data ? text.data : "", text.len, path,
	    dir.data, err);
	tend_buf_release(&text);
	tend_buf_release(&dir);
	return p;
}

void
sla_policy_free(struct sla_policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->ncals; i++) {
		free(p->cals[i].name);
		tend_calendar_free(p->cals[i].cal);
	}
	free(p->cals);
	for (i = 0; i < p->ntargets; i++) {
		free(p->targets[i].name);
		tend_expr_free(p->targets[i].when);
	}
	free(p->targets);
	pattern_free(p->signature);
	tend_expr_free(p->asks);
	tend_expr_free(p->closing);
	tend_expr_free(p->thanks);
	for (i = 0; i < p->nnames; i++)
		free(p->names[i]);
	free(p->names);
	free(p->name);
	free(p);
}

static unsigned long
hits(const struct tend_expr *e)
{
	return e ? tend_expr_limit_hits(e) : 0;
}

const char *
sla_policy_limit_hit(const struct sla_policy *p, unsigned long *seen,
    char *buf, size_t size)
{
	unsigned long total = hits(p->asks) + hits(p->closing) +
	    hits(p->thanks);
	const char *part = NULL;
	size_t i;

	for (i = 0; i < p->ntargets; i++)
		total += hits(p->targets[i].when);
	if (total == *seen)
		return NULL;
	*seen = total;
	/* name the first part with hits: enough to find the pattern */
	for (i = 0; i < p->ntargets && !part; i++)
		if (hits(p->targets[i].when)) {
			snprintf(buf, size, "target %s", p->targets[i].name);
			return buf;
		}
	part = hits(p->asks) ? "asks" : hits(p->closing) ? "closing" :
	    "thanks";
	snprintf(buf, size, "%s", part);
	return buf;
}

int
sla_policy_match(const struct sla_policy *p, const json_t *record)
{
	size_t i;

	for (i = 0; i < p->ntargets; i++)
		if (!p->targets[i].when ||
		    tend_expr_eval(p->targets[i].when, record))
			return (int)i;
	return -1;
}

int
sla_policy_agent(const struct sla_policy *p, const char *text, size_t n,
    char *out, size_t size)
{
	PCRE2_SIZE *ov;
	size_t len;
	int rc;

	if (!p->signature)
		return 0;
	rc = pcre2_match(p->signature->re, (PCRE2_SPTR)text, n, 0,
	    PCRE2_NO_UTF_CHECK, p->signature->md, match_limits());
	if (rc < 2)
		return 0;
	ov = pcre2_get_ovector_pointer(p->signature->md);
	if (ov[2] == PCRE2_UNSET)
		return 0;
	len = ov[3] - ov[2];
	if (len >= size)
		len = size - 1;
	memcpy(out, text + ov[2], len);
	out[len] = '\0';
	return 1;
}
