/* routes.c: the tend-routes(5) parser.
 *
 * Line-oriented like tend-policy(5): a line that does not start with a
 * blank is a directive ("team NAME ...") or opens a block ("route ID",
 * "ladder NAME", "alert KIND", "account HANDLE", "notify"); a line that
 * starts with blanks is an attribute of the block above; '#' starts a
 * whole-line comment.  The first error stops the parse, reported with the
 * file, line and column.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "conf.h"
#include "escalate.h"
#include "notify.h"
#include "strmap.h"
#include "text.h"
#include "timestamp.h"

#define MAX_ROUTES_BYTES (16L * 1024 * 1024)

/* Words of no use as spike terms: function words of the languages tend
 * ships (English, Indonesian, Slovenian), at least three letters long. */
static const char *const default_stopwords[] = {
	"the", "and", "you", "your", "are", "was", "were", "for", "with",
	"this", "that", "these", "those", "have", "has", "had", "not", "but",
	"from", "they", "them", "their", "there", "what", "when", "where",
	"which", "who", "why", "how", "all", "any", "can", "could", "would",
	"should", "will", "just", "been", "being", "into", "about", "than",
	"then", "also", "our", "out", "get", "got", "its", "it's", "i'm",
	"don't", "can't", "won't", "still", "please", "thanks", "thank",
	"yang", "dan", "ini", "itu", "tidak", "untuk", "dengan", "saya",
	"ada", "kami", "kamu", "sudah", "belum", "juga", "karena", "tapi",
	"bisa", "apa", "min", "kak", "dari", "pada", "akan",
	"sem", "smo", "ste", "kaj", "tudi", "ali", "ker", "vas", "vam", "nas",
	"pri", "kot", "bil", "bila", "biti", "lahko", "samo", "zelo", "hvala",
	NULL
};

enum block {
	B_NONE, B_ROUTE, B_LADDER, B_SPIKE, B_SECURITY, B_ACCOUNTS, B_QUIET,
	B_ACCOUNT, B_NOTIFY
};

struct parser {
	const char *path, *dir;
	struct esc_routes *r;
	enum block block;
	int notify_seen;
	long line;
	struct tend_error *err;
};

#define fail(ps, ...) \
	tend_conf_fail((ps)->path, (ps)->line, (ps)->err, __VA_ARGS__)

/* The next word of line; a comma ends a word and is one. */
static int
next_word(const char *line, size_t *pos, struct tend_word *w)
{
	return tend_conf_word(line, pos, TEND_WORD_COMMA, w);
}

/* The word after keyword kw, or an error naming what was expected. */
static int
need_word(struct parser *ps, const char *line, size_t *pos,
    const struct tend_word *kw, const char *what, struct tend_word *w)
{
	if (next_word(line, pos, w))
		return 0;
	return fail(ps, kw->col + (long)kw->n, "expected %s after '%.*s'",
	    what, (int)kw->n, kw->s);
}

static int
no_more(struct parser *ps, const char *line, size_t pos)
{
	struct tend_word extra;
	char q[80];

	if (next_word(line, &pos, &extra))
		return fail(ps, extra.col, "unexpected '%s'",
		    tend_word_quote(&extra, q, sizeof(q)));
	return 0;
}

static int
duration_word(struct parser *ps, const struct tend_word *w, int zero_ok,
    int64_t *secs)
{
	char q[80];

	if (zero_ok && tend_word_is(w, "0")) {
		*secs = 0;
		return 0;
	}
	if (tend_duration_parse(w->s, w->n, secs) < 0)
		return fail(ps, w->col, "not a duration: '%s' (such as 15m, "
		    "1h30m, 2d)", tend_word_quote(w, q, sizeof(q)));
	if (*secs < 0 || (*secs == 0 && !zero_ok))
		return fail(ps, w->col, "a duration here must be more than "
		    "0, not '%s'", tend_word_quote(w, q, sizeof(q)));
	return 0;
}

static int
integer_word(struct parser *ps, const struct tend_word *w, long min, long max,
    long *out)
{
	char buf[32], *end, q[80];
	long v;

	if (w->n == 0 || w->n >= sizeof(buf))
		goto bad;
	memcpy(buf, w->s, w->n);
	buf[w->n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (*end || errno || !isdigit((unsigned char)buf[0]))
		goto bad;
	if (v < min || v > max)
		return fail(ps, w->col, "expected a number from %ld to %ld, "
		    "not '%s'", min, max, tend_word_quote(w, q, sizeof(q)));
	*out = v;
	return 0;
bad:
	return fail(ps, w->col, "not a whole number: '%s'",
	    tend_word_quote(w, q, sizeof(q)));
}

static int
real_word(struct parser *ps, const struct tend_word *w, double min, double max,
    double *out)
{
	char buf[32], *end, q[80];
	double v;

	if (w->n == 0 || w->n >= sizeof(buf))
		goto bad;
	memcpy(buf, w->s, w->n);
	buf[w->n] = '\0';
	v = strtod(buf, &end);
	if (*end || !(isdigit((unsigned char)buf[0]) || buf[0] == '.'))
		goto bad;
	if (!(v > min && v <= max))
		return fail(ps, w->col, "expected a number above %g and at "
		    "most %g, not '%s'", min, max,
		    tend_word_quote(w, q, sizeof(q)));
	*out = v;
	return 0;
bad:
	return fail(ps, w->col, "not a number: '%s'",
	    tend_word_quote(w, q, sizeof(q)));
}

static int
level_word(struct parser *ps, const struct tend_word *w, int *level)
{
	long v;

	if (integer_word(ps, w, 1, ESC_MAX_LEVEL, &v) < 0)
		return -1;
	*level = (int)v;
	return 0;
}

static int
id_ok(const struct tend_word *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!isalnum((unsigned char)w->s[i]) && w->s[i] != '_' &&
		    w->s[i] != '-' && w->s[i] != '.' && w->s[i] != '/' &&
		    w->s[i] != ':')
			return 0;
	return w->n > 0 && w->n <= 64;
}

static int
team_word(struct parser *ps, const struct tend_word *w, int *team)
{
	size_t i;
	char q[80];

	for (i = 0; i < ps->r->nteams; i++)
		if (tend_word_is(w, ps->r->teams[i].name)) {
			*team = (int)i;
			return 0;
		}
	return fail(ps, w->col, "unknown team '%s' (declare it first with "
	    "a 'team' line)", tend_word_quote(w, q, sizeof(q)));
}

/* The rest of the line from pos, trimmed, as a new string. */
static int
rest_of_line(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw, char **out)
{
	while (line[pos] == ' ' || line[pos] == '\t')
		pos++;
	if (!line[pos])
		return fail(ps, kw->col + (long)kw->n, "expected a text after "
		    "'%.*s'", (int)kw->n, kw->s);
	free(*out);
	*out = tend_xstrdup(line + pos);
	return 0;
}

static int
parse_expr(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw, struct tend_expr **out)
{
	struct tend_error e;

	if (*out)
		return fail(ps, kw->col, "duplicate 'when'");
	while (line[pos] == ' ' || line[pos] == '\t')
		pos++;
	if (!line[pos])
		return fail(ps, kw->col + (long)kw->n, "expected an expression "
		    "after 'when'");
	memset(&e, 0, sizeof(e));
	*out = tend_expr_parse(line + pos, &e);
	if (!*out)
		return fail(ps, (long)pos + (e.col > 0 ? e.col : 1), "%s",
		    e.text);
	return 0;
}

/* team NAME [DESCRIPTION] */
static int
parse_team(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_routes *r = ps->r;
	struct tend_word name;
	char q[80];
	size_t i;

	if (need_word(ps, line, &pos, kw, "a team name", &name) < 0)
		return -1;
	{
		char *s = tend_xstrndup(name.s, name.n);
		int ok = esc_team_name_ok(s);

		free(s);
		if (!ok)
			return fail(ps, name.col, "bad team name '%s' (1 to 64 "
			    "letters, digits, '-', '_' or '.', not starting "
			    "with '.' or '-')",
			    tend_word_quote(&name, q, sizeof(q)));
	}
	for (i = 0; i < r->nteams; i++)
		if (tend_word_is(&name, r->teams[i].name))
			return fail(ps, name.col, "duplicate team '%s'",
			    tend_word_quote(&name, q, sizeof(q)));
	while (line[pos] == ' ' || line[pos] == '\t')
		pos++;
	r->teams = tend_xrealloc(r->teams, (r->nteams + 1) *
	    sizeof(*r->teams));
	r->teams[r->nteams].name = tend_xstrndup(name.s, name.n);
	r->teams[r->nteams].description = tend_xstrdup(line + pos);
	r->nteams++;
	return 0;
}

static int
open_route(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_routes *r = ps->r;
	struct esc_route *rt;
	struct tend_word id;
	char q[80];
	size_t i;

	if (need_word(ps, line, &pos, kw, "a route id", &id) < 0)
		return -1;
	if (!id_ok(&id))
		return fail(ps, id.col, "bad route id '%s' (up to 64 letters, "
		    "digits, '_', '-', '.', '/', ':')",
		    tend_word_quote(&id, q, sizeof(q)));
	for (i = 0; i < r->nroutes; i++)
		if (tend_word_is(&id, r->routes[i].id))
			return fail(ps, id.col, "duplicate route '%s'",
			    tend_word_quote(&id, q, sizeof(q)));
	if (no_more(ps, line, pos) < 0)
		return -1;
	r->routes = tend_xrealloc(r->routes, (r->nroutes + 1) *
	    sizeof(*r->routes));
	rt = &r->routes[r->nroutes++];
	memset(rt, 0, sizeof(*rt));
	rt->id = tend_xstrndup(id.s, id.n);
	rt->team = -1;
	rt->level = 1;
	rt->line = ps->line;
	ps->block = B_ROUTE;
	return 0;
}

static int
open_ladder(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_routes *r = ps->r;
	struct esc_ladder *l;
	struct tend_word name;
	char q[80];
	size_t i;

	if (need_word(ps, line, &pos, kw, "a ladder name", &name) < 0)
		return -1;
	if (!id_ok(&name))
		return fail(ps, name.col, "bad ladder name '%s' (up to 64 "
		    "letters, digits, '_', '-', '.', '/', ':')",
		    tend_word_quote(&name, q, sizeof(q)));
	for (i = 0; i < r->nladders; i++)
		if (tend_word_is(&name, r->ladders[i].name))
			return fail(ps, name.col, "duplicate ladder '%s'",
			    tend_word_quote(&name, q, sizeof(q)));
	if (no_more(ps, line, pos) < 0)
		return -1;
	r->ladders = tend_xrealloc(r->ladders, (r->nladders + 1) *
	    sizeof(*r->ladders));
	l = &r->ladders[r->nladders++];
	memset(l, 0, sizeof(*l));
	l->name = tend_xstrndup(name.s, name.n);
	l->team = -1;
	l->line = ps->line;
	ps->block = B_LADDER;
	return 0;
}

static struct esc_alert_conf *
alert_of(struct esc_routes *r, enum block b)
{
	switch (b) {
	case B_SPIKE: return &r->spike.a;
	case B_SECURITY: return &r->security.a;
	case B_ACCOUNTS: return &r->account.a;
	case B_QUIET: return &r->quiet.a;
	default: return NULL;
	}
}

static int
open_alert(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_alert_conf *a;
	struct tend_word w;
	char q[80];

	if (need_word(ps, line, &pos, kw, "spike, security, account or "
	    "quiet", &w) < 0)
		return -1;
	if (tend_word_is(&w, "spike"))
		ps->block = B_SPIKE;
	else if (tend_word_is(&w, "security"))
		ps->block = B_SECURITY;
	else if (tend_word_is(&w, "account"))
		ps->block = B_ACCOUNTS;
	else if (tend_word_is(&w, "quiet"))
		ps->block = B_QUIET;
	else
		return fail(ps, w.col, "unknown alert '%s' (expected spike, "
		    "security, account or quiet)",
		    tend_word_quote(&w, q, sizeof(q)));
	a = alert_of(ps->r, ps->block);
	if (a->on)
		return fail(ps, w.col, "duplicate alert '%s'",
		    tend_word_quote(&w, q, sizeof(q)));
	a->on = 1;
	a->line = ps->line;
	return no_more(ps, line, pos);
}

static int
open_account(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_account_conf *ac = &ps->r->account;
	struct esc_account *a;
	struct tend_buf h = TEND_BUF_INIT;
	struct tend_word w;
	char q[80];
	size_t i;

	if (need_word(ps, line, &pos, kw, "a handle", &w) < 0)
		return -1;
	if (w.s[0] == '@') {
		w.s++;
		w.n--;
		w.col++;
	}
	if (!w.n)
		return fail(ps, w.col, "expected a handle after '@'");
	if (no_more(ps, line, pos) < 0)
		return -1;
	tend_text_fold(&h, w.s, w.n);
	for (i = 0; i < ac->naccounts; i++)
		if (strcmp(ac->accounts[i].handle, h.data) == 0) {
			tend_buf_release(&h);
			return fail(ps, w.col, "duplicate account '%s'",
			    tend_word_quote(&w, q, sizeof(q)));
		}
	ac->accounts = tend_xrealloc(ac->accounts, (ac->naccounts + 1) *
	    sizeof(*ac->accounts));
	a = &ac->accounts[ac->naccounts++];
	a->handle = tend_buf_detach(&h);
	a->hours = NULL;
	a->line = ps->line;
	ps->block = B_ACCOUNT;
	return 0;
}

static int
top_level(struct parser *ps, const char *line)
{
	struct tend_word kw;
	size_t pos = 0;
	char q[80];

	next_word(line, &pos, &kw);
	ps->block = B_NONE;
	if (tend_word_is(&kw, "team"))
		return parse_team(ps, line, pos, &kw);
	if (tend_word_is(&kw, "route"))
		return open_route(ps, line, pos, &kw);
	if (tend_word_is(&kw, "ladder"))
		return open_ladder(ps, line, pos, &kw);
	if (tend_word_is(&kw, "alert"))
		return open_alert(ps, line, pos, &kw);
	if (tend_word_is(&kw, "account"))
		return open_account(ps, line, pos, &kw);
	if (tend_word_is(&kw, "notify")) {
		if (ps->notify_seen)
			return fail(ps, kw.col, "duplicate 'notify' block");
		ps->notify_seen = 1;
		ps->block = B_NOTIFY;
		return no_more(ps, line, pos);
	}
	return fail(ps, kw.col, "unknown directive '%s' (expected team, "
	    "route, ladder, alert, account or notify)",
	    tend_word_quote(&kw, q, sizeof(q)));
}

static int
route_attribute(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_route *rt = &ps->r->routes[ps->r->nroutes - 1];
	struct tend_word w;
	char q[80];

	if (tend_word_is(kw, "when"))
		return parse_expr(ps, line, pos, kw, &rt->when);
	if (tend_word_is(kw, "reason"))
		return rest_of_line(ps, line, pos, kw, &rt->reason);
	if (tend_word_is(kw, "continue")) {
		rt->cont = 1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "team")) {
		if (need_word(ps, line, &pos, kw, "a team", &w) < 0 ||
		    team_word(ps, &w, &rt->team) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "level")) {
		if (need_word(ps, line, &pos, kw, "a level", &w) < 0 ||
		    level_word(ps, &w, &rt->level) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	return fail(ps, kw->col, "unknown route attribute '%s' (expected "
	    "when, team, level, reason or continue)",
	    tend_word_quote(kw, q, sizeof(q)));
}

/* "LADDER.breach", "LADDER.breach+1h", "LADDER.at_risk-15m": the
 * duration as written. */
static void
step_id(struct esc_ladder *l, struct esc_step *st, const struct tend_word *d)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_buf_printf(&b, "%s.%s", l->name, st->kind == STEP_BREACH ?
	    "breach" : "at_risk");
	if (st->offset) {
		tend_buf_addc(&b, st->kind == STEP_BREACH ? '+' : '-');
		tend_buf_add(&b, d->s, d->n);
	}
	st->id = tend_buf_detach(&b);
}

/* breach [after DUR] level N [team T] [reason TEXT]
 * at_risk [before DUR] level N [team T] [reason TEXT] */
static int
parse_step(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw, int kind)
{
	struct esc_ladder *l = &ps->r->ladders[ps->r->nladders - 1];
	struct esc_step st;
	struct tend_word w, dur = { "", 0, 0 };
	size_t i;
	char q[80];
	int rc = -1;

	memset(&st, 0, sizeof(st));
	st.kind = kind;
	st.team = -1;
	while (next_word(line, &pos, &w)) {
		if (tend_word_is(&w, kind == STEP_BREACH ? "after" :
		    "before")) {
			struct tend_word d;

			if (need_word(ps, line, &pos, &w, "a duration", &d) <
			    0 || duration_word(ps, &d, 1, &st.offset) < 0)
				goto out;
			dur = d;
		} else if (tend_word_is(&w, "level")) {
			struct tend_word d;

			if (need_word(ps, line, &pos, &w, "a level", &d) < 0 ||
			    level_word(ps, &d, &st.level) < 0)
				goto out;
		} else if (tend_word_is(&w, "team")) {
			struct tend_word d;

			if (need_word(ps, line, &pos, &w, "a team", &d) < 0 ||
			    team_word(ps, &d, &st.team) < 0)
				goto out;
		} else if (tend_word_is(&w, "reason")) {
			if (rest_of_line(ps, line, pos, &w, &st.reason) < 0)
				goto out;
			break;
		} else {
			fail(ps, w.col, "unexpected '%s' (expected %s, level, "
			    "team or reason)",
			    tend_word_quote(&w, q, sizeof(q)),
			    kind == STEP_BREACH ? "after" : "before");
			goto out;
		}
	}
	if (!st.level) {
		fail(ps, kw->col, "a %.*s step needs a level", (int)kw->n,
		    kw->s);
		goto out;
	}
	step_id(l, &st, &dur);
	for (i = 0; i < l->nsteps; i++)
		if (strcmp(l->steps[i].id, st.id) == 0) {
			fail(ps, kw->col, "duplicate step '%s'", st.id);
			free(st.id);
			goto out;
		}
	if (!st.reason)
		st.reason = tend_xstrdup(kind == STEP_BREACH ? "sla breached" :
		    "sla deadline near");
	l->steps = tend_xrealloc(l->steps, (l->nsteps + 1) *
	    sizeof(*l->steps));
	l->steps[l->nsteps++] = st;
	return 0;
out:
	free(st.reason);
	return rc;
}

static int
ladder_attribute(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_ladder *l = &ps->r->ladders[ps->r->nladders - 1];
	struct tend_word w;
	char q[80];

	if (tend_word_is(kw, "when"))
		return parse_expr(ps, line, pos, kw, &l->when);
	if (tend_word_is(kw, "team")) {
		if (need_word(ps, line, &pos, kw, "a team", &w) < 0 ||
		    team_word(ps, &w, &l->team) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "breach"))
		return parse_step(ps, line, pos, kw, STEP_BREACH);
	if (tend_word_is(kw, "at_risk"))
		return parse_step(ps, line, pos, kw, STEP_AT_RISK);
	return fail(ps, kw->col, "unknown ladder attribute '%s' (expected "
	    "when, team, breach or at_risk)",
	    tend_word_quote(kw, q, sizeof(q)));
}

/* A list of words separated by commas (and blanks), each checked by fn. */
static int
each_listed(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw,
    int (*fn)(struct parser *, const struct tend_word *, void *), void *arg)
{
	struct tend_word w;
	int any = 0;

	while (next_word(line, &pos, &w)) {
		if (tend_word_is(&w, ","))
			continue;
		if (fn(ps, &w, arg) < 0)
			return -1;
		any = 1;
	}
	if (!any)
		return fail(ps, kw->col + (long)kw->n, "expected a list after "
		    "'%.*s'", (int)kw->n, kw->s);
	return 0;
}

static int
spike_key_kind(struct parser *ps, const struct tend_word *w, void *arg)
{
	unsigned *keys = arg;
	char q[80];

	if (tend_word_is(w, "topic"))
		*keys |= SPIKE_TOPIC;
	else if (tend_word_is(w, "category"))
		*keys |= SPIKE_CATEGORY;
	else if (tend_word_is(w, "hashtag"))
		*keys |= SPIKE_HASHTAG;
	else if (tend_word_is(w, "term"))
		*keys |= SPIKE_TERM;
	else
		return fail(ps, w->col, "unknown key kind '%s' (expected "
		    "topic, category, hashtag or term)",
		    tend_word_quote(w, q, sizeof(q)));
	return 0;
}

static int
add_stopword(struct parser *ps, const struct tend_word *w, void *arg)
{
	struct tend_buf b = TEND_BUF_INIT;
	int added;

	(void)ps;
	tend_text_fold(&b, w->s, w->n);
	tend_strmap_put(arg, b.data, b.len, &added, NULL);
	tend_buf_release(&b);
	return 0;
}

static int
add_flag(struct parser *ps, const struct tend_word *w, void *arg)
{
	struct esc_security_conf *sc = arg;

	(void)ps;
	sc->flags = tend_xrealloc(sc->flags, (sc->nflags + 1) *
	    sizeof(*sc->flags));
	sc->flags[sc->nflags++] = tend_xstrndup(w->s, w->n);
	return 0;
}

/* key KEY [min_count N] [z X] [off], channel NAME [after DUR] [off] */
static int
parse_override(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw, struct esc_override **v, size_t *n, int quiet)
{
	struct esc_override o;
	struct tend_word k, w, d;
	char q[80];
	size_t i;

	if (need_word(ps, line, &pos, kw, quiet ? "a channel" : "a key",
	    &k) < 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (tend_word_is(&k, (*v)[i].key))
			return fail(ps, k.col, "duplicate %s '%s'", quiet ?
			    "channel" : "key",
			    tend_word_quote(&k, q, sizeof(q)));
	memset(&o, 0, sizeof(o));
	o.min_count = -1;
	o.z = -1;
	while (next_word(line, &pos, &w)) {
		if (tend_word_is(&w, "off")) {
			o.off = 1;
		} else if (!quiet && tend_word_is(&w, "min_count")) {
			if (need_word(ps, line, &pos, &w, "a number", &d) < 0 ||
			    integer_word(ps, &d, 1, 1000000000L, &o.min_count) <
			    0)
				return -1;
		} else if (!quiet && tend_word_is(&w, "z")) {
			if (need_word(ps, line, &pos, &w, "a number", &d) < 0 ||
			    real_word(ps, &d, 0, 1000, &o.z) < 0)
				return -1;
		} else if (quiet && tend_word_is(&w, "after")) {
			if (need_word(ps, line, &pos, &w, "a duration", &d) <
			    0 || duration_word(ps, &d, 0, &o.after) < 0)
				return -1;
		} else {
			return fail(ps, w.col, "unexpected '%s' (expected %s)",
			    tend_word_quote(&w, q, sizeof(q)),
			    quiet ? "after or off" : "min_count, z or off");
		}
	}
	o.key = tend_xstrndup(k.s, k.n);
	*v = tend_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = o;
	return 0;
}

/* team, level, reason, window: what every alert block takes. */
static int
alert_common(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw, struct esc_alert_conf *a, int *done)
{
	struct tend_word w;

	*done = 1;
	if (tend_word_is(kw, "team")) {
		if (need_word(ps, line, &pos, kw, "a team", &w) < 0 ||
		    team_word(ps, &w, &a->team) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "level")) {
		if (need_word(ps, line, &pos, kw, "a level", &w) < 0 ||
		    level_word(ps, &w, &a->level) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "reason"))
		return rest_of_line(ps, line, pos, kw, &a->reason);
	if (tend_word_is(kw, "window") && ps->block != B_QUIET) {
		if (need_word(ps, line, &pos, kw, "a duration", &w) < 0 ||
		    duration_word(ps, &w, 0, &a->window) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	*done = 0;
	return 0;
}

static int
spike_attribute(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_spike_conf *sc = &ps->r->spike;
	struct tend_word w;
	long v;

	if (tend_word_is(kw, "keys")) {
		sc->keys = 0;
		return each_listed(ps, line, pos, kw, spike_key_kind,
		    &sc->keys);
	}
	if (tend_word_is(kw, "stopwords"))
		return each_listed(ps, line, pos, kw, add_stopword,
		    sc->stopwords);
	if (tend_word_is(kw, "key"))
		return parse_override(ps, line, pos, kw, &sc->overrides,
		    &sc->noverrides, 0);
	if (tend_word_is(kw, "alpha") || tend_word_is(kw, "z")) {
		if (need_word(ps, line, &pos, kw, "a number", &w) < 0)
			return -1;
		if (tend_word_is(kw, "alpha") ? real_word(ps, &w, 0, 1,
		    &sc->alpha) < 0 : real_word(ps, &w, 0, 1000, &sc->z) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "min_count") || tend_word_is(kw, "warmup") ||
	    tend_word_is(kw, "max_keys") || tend_word_is(kw, "min_length")) {
		if (need_word(ps, line, &pos, kw, "a number", &w) < 0 ||
		    integer_word(ps, &w, tend_word_is(kw, "warmup") ? 0 : 1,
		    tend_word_is(kw, "min_length") ? 100 : 1000000000L, &v) < 0)
			return -1;
		if (tend_word_is(kw, "min_count"))
			sc->min_count = v;
		else if (tend_word_is(kw, "warmup"))
			sc->warmup = v;
		else if (tend_word_is(kw, "max_keys"))
			sc->max_keys = v;
		else
			sc->min_length = (size_t)v;
		return no_more(ps, line, pos);
	}
	return -2;
}

static int
quiet_attribute(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_quiet_conf *qc = &ps->r->quiet;
	struct tend_word w;

	if (tend_word_is(kw, "after")) {
		if (need_word(ps, line, &pos, kw, "a duration", &w) < 0 ||
		    duration_word(ps, &w, 0, &qc->after) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "min_posts")) {
		if (need_word(ps, line, &pos, kw, "a number", &w) < 0 ||
		    integer_word(ps, &w, 1, 1000000000L, &qc->min_posts) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "channel")) {
		struct tend_word c;
		size_t p2 = pos;
		char *name, q[80];
		int known;

		if (need_word(ps, line, &p2, kw, "a channel", &c) < 0)
			return -1;
		name = tend_xstrndup(c.s, c.n);
		known = tend_word_in(name, tend_channels);
		free(name);
		if (!known)
			return fail(ps, c.col, "unknown channel '%s'",
			    tend_word_quote(&c, q, sizeof(q)));
		return parse_override(ps, line, pos, kw, &qc->overrides,
		    &qc->noverrides, 1);
	}
	return -2;
}

static int
alert_attribute(struct parser *ps, const char *line, size_t pos,
    const struct tend_word *kw)
{
	struct esc_alert_conf *a = alert_of(ps->r, ps->block);
	char q[80];
	int done, rc;

	rc = alert_common(ps, line, pos, kw, a, &done);
	if (done)
		return rc;
	rc = -2;
	if (ps->block == B_SPIKE)
		rc = spike_attribute(ps, line, pos, kw);
	else if (ps->block == B_QUIET)
		rc = quiet_attribute(ps, line, pos, kw);
	else if (ps->block == B_SECURITY && tend_word_is(kw, "flags")) {
		size_t i;

		for (i = 0; i < ps->r->security.nflags; i++)
			free(ps->r->security.flags[i]);
		ps->r->security.nflags = 0;
		rc = each_listed(ps, line, pos, kw, add_flag,
		    &ps->r->security);
	}
	if (rc != -2)
		return rc;
	return fail(ps, kw->col, "unknown alert attribute '%s' (expected "
	    "%s)", tend_word_quote(kw, q, sizeof(q)),
	    ps->block == B_SPIKE ? "team, "
	    "level, reason, window, keys, alpha, z, min_count, warmup, "
	    "max_keys, min_length, stopwords or key" : ps->block == B_QUIET ?
	    "team, level, reason, after, min_posts or channel" :
	    ps->block == B_SECURITY ? "team, level, reason, window or flags" :
	    "team, level, reason or window");
}

/* A calendar line for block b: the account's hours or notify's. */
static int
calendar_line(struct parser *ps, struct tend_calendar **cal,
    const char *line, size_t indent)
{
	struct tend_error e;

	if (!*cal)
		*cal = tend_calendar_new(NULL, NULL);
	memset(&e, 0, sizeof(e));
	if (tend_calendar_parse_line(*cal, line + indent, ps->dir, &e) < 0)
		return fail(ps, e.col > 0 ? (long)indent + e.col : 0, "%s",
		    e.text);
	return 0;
}

static int
notify_attribute(struct parser *ps, const char *line, size_t pos,
    size_t indent, const struct tend_word *kw)
{
	struct esc_notify_conf *nc = &ps->r->notify;
	struct tend_word w;
	char q[80];

	if (tend_word_is(kw, "cooldown") || tend_word_is(kw, "remember")) {
		if (need_word(ps, line, &pos, kw, "a duration", &w) < 0 ||
		    duration_word(ps, &w, tend_word_is(kw, "cooldown"),
		    tend_word_is(kw,
		    "cooldown") ? &nc->cooldown : &nc->remember) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "urgent")) {
		if (need_word(ps, line, &pos, kw, "a level", &w) < 0 ||
		    level_word(ps, &w, &nc->urgent) < 0)
			return -1;
		return no_more(ps, line, pos);
	}
	if (tend_word_is(kw, "zone") || tend_word_is(kw, "hours") ||
	    tend_word_is(kw, "holiday") || tend_word_is(kw, "holidays"))
		return calendar_line(ps, &nc->hours, line, indent);
	return fail(ps, kw->col, "unknown notify attribute '%s' (expected "
	    "cooldown, remember, urgent, zone, hours, holiday or holidays)",
	    tend_word_quote(kw, q, sizeof(q)));
}

static int
attribute(struct parser *ps, const char *line, size_t indent)
{
	struct esc_account_conf *ac = &ps->r->account;
	struct tend_word kw;
	size_t pos = indent;
	char q[80];

	next_word(line, &pos, &kw);
	switch (ps->block) {
	case B_ROUTE:
		return route_attribute(ps, line, pos, &kw);
	case B_LADDER:
		return ladder_attribute(ps, line, pos, &kw);
	case B_SPIKE: case B_SECURITY: case B_ACCOUNTS: case B_QUIET:
		return alert_attribute(ps, line, pos, &kw);
	case B_NOTIFY:
		return notify_attribute(ps, line, pos, indent, &kw);
	case B_ACCOUNT:
		if (tend_word_is(&kw, "zone") || tend_word_is(&kw, "hours") ||
		    tend_word_is(&kw, "holiday") || tend_word_is(&kw,
		    "holidays"))
			return calendar_line(ps,
			    &ac->accounts[ac->naccounts - 1].hours, line,
			    indent);
		return fail(ps, kw.col, "unknown account attribute '%s' "
		    "(expected zone, hours, holiday or holidays)",
		    tend_word_quote(&kw, q, sizeof(q)));
	default:
		return fail(ps, kw.col, "'%s' is not inside a block (only the "
		    "lines of a route, ladder, alert, account or notify block "
		    "are indented)", tend_word_quote(&kw, q, sizeof(q)));
	}
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

/* What a block must have, checked at the end: its team. */
static int
check_teams(struct parser *ps)
{
	struct esc_routes *r = ps->r;
	struct esc_alert_conf *alerts[4];
	static const char *const names[4] = { "spike", "security", "account",
	    "quiet" };
	size_t i;

	for (i = 0; i < r->nroutes; i++)
		if (r->routes[i].team < 0) {
			ps->line = r->routes[i].line;
			return fail(ps, 1, "route '%s' has no team",
			    r->routes[i].id);
		}
	for (i = 0; i < r->nladders; i++)
		if (r->ladders[i].team < 0) {
			ps->line = r->ladders[i].line;
			return fail(ps, 1, "ladder '%s' has no team",
			    r->ladders[i].name);
		}
	alerts[0] = &r->spike.a;
	alerts[1] = &r->security.a;
	alerts[2] = &r->account.a;
	alerts[3] = &r->quiet.a;
	for (i = 0; i < 4; i++)
		if (alerts[i]->on && alerts[i]->team < 0) {
			ps->line = alerts[i]->line;
			return fail(ps, 1, "alert %s has no team", names[i]);
		}
	return 0;
}

static void
alert_defaults(struct esc_alert_conf *a, const char *reason)
{
	a->team = -1;
	a->level = 2;
	a->window = 3600;
	a->reason = tend_xstrdup(reason);
}

static struct esc_routes *
routes_new(void)
{
	struct esc_routes *r = tend_xcalloc(1, sizeof(*r));
	int added;
	size_t i;

	alert_defaults(&r->spike.a, "spike");
	alert_defaults(&r->security.a, "security alert");
	alert_defaults(&r->account.a, "account alert");
	alert_defaults(&r->quiet.a, "channel quiet");
	r->spike.keys = SPIKE_TOPIC | SPIKE_CATEGORY | SPIKE_HASHTAG |
	    SPIKE_TERM;
	r->spike.alpha = 0.1;
	r->spike.z = 4;
	r->spike.min_count = 10;
	r->spike.warmup = 24;
	r->spike.max_keys = 10000;
	r->spike.min_length = 4;
	r->spike.stopwords = tend_strmap_new();
	for (i = 0; default_stopwords[i]; i++)
		tend_strmap_put(r->spike.stopwords, default_stopwords[i],
		    strlen(default_stopwords[i]), &added, NULL);
	r->quiet.after = 7200;
	r->quiet.min_posts = 20;
	r->notify.urgent = ESC_MAX_LEVEL + 1;
	r->notify.remember = 30 * 86400;
	return r;
}

static void
add_name(struct esc_routes *r, const char *s, size_t n)
{
	size_t i;
	int added;

	for (i = 0; i < r->nnames; i++)
		if (strlen(r->names[i]) == n && memcmp(r->names[i], s, n) == 0)
			return;
	r->names = tend_xrealloc(r->names, (r->nnames + 1) *
	    sizeof(*r->names));
	r->names[r->nnames++] = tend_xstrndup(s, n);
	if (!r->name_map)
		r->name_map = tend_strmap_new();
	tend_strmap_put(r->name_map, s, n, &added, NULL);
}

/* Every word of an expression that could start a field path: more than
 * it reads (words of strings and patterns too), never less. */
static void
add_names(struct esc_routes *r, const struct tend_expr *e)
{
	const char *src = e ? tend_expr_source(e) : NULL, *w;

	if (!src)
		return;
	while (*src) {
		if (!isalpha((unsigned char)*src) && *src != '_' &&
		    !((unsigned char)*src & 0x80)) {
			src++;
			continue;
		}
		w = src;
		while (isalnum((unsigned char)*src) || *src == '_' ||
		    *src == '-' || ((unsigned char)*src & 0x80))
			src++;
		if (w == tend_expr_source(e) || w[-1] != '.')
			add_name(r, w, (size_t)(src - w));
	}
}

static void
collect_names(struct esc_routes *r)
{
	size_t i;

	for (i = 0; i < r->nroutes; i++)
		add_names(r, r->routes[i].when);
	for (i = 0; i < r->nladders; i++)
		add_names(r, r->ladders[i].when);
	if (r->nladders)
		add_name(r, "sla", 3);
}

const json_t *
esc_expr_root(const struct esc_routes *r, struct tend_record *rec,
    json_t **owned)
{
	const struct tend_jview *v = &rec->view;
	json_error_t jerr;
	char key[128];
	size_t i, n;

	if (rec->root)
		return rec->root;
	if (*owned)
		return *owned;
	*owned = json_object();
	for (i = 0; r->name_map && i < v->nmembers; i++) {
		const struct tend_jmember *m = &v->members[i];
		json_t *val;

		n = m->key_end - m->key_start;
		if (n != m->key_len) {
			/* a key with escapes: the whole tree, to be sure */
			json_decref(*owned);
			*owned = json_loadb(rec->line, rec->len, 0, &jerr);
			if (!*owned)
				*owned = json_object();
			return *owned;
		}
		if (n >= sizeof(key) ||
		    !tend_strmap_get(r->name_map, v->line + m->key_start, n))
			continue;
		memcpy(key, v->line + m->key_start, n);
		key[n] = '\0';
		val = json_loadb(v->line + m->value_start, m->value_end -
		    m->value_start, JSON_DECODE_ANY, &jerr);
		if (val)
			json_object_set_new(*owned, key, val);
	}
	return *owned;
}

static int
set_defaults(struct parser *ps)
{
	struct esc_security_conf *sc = &ps->r->security;
	static const char *const flags[] = { "phishing", "impersonation" };
	size_t i;

	if (!sc->nflags)
		for (i = 0; i < 2; i++) {
			struct tend_word w = { flags[i], strlen(flags[i]), 0 };

			add_flag(ps, &w, sc);
		}
	if (!ps->r->nroutes && !ps->r->nladders && !ps->r->spike.a.on &&
	    !ps->r->security.a.on && !ps->r->account.a.on &&
	    !ps->r->quiet.a.on) {
		tend_error_set(ps->err, ps->path, 0, 0, "no route, ladder or "
		    "alert: a routes file needs at least one");
		return -1;
	}
	collect_names(ps->r);
	return check_teams(ps);
}

struct esc_routes *
esc_routes_parse(const char *text, size_t n, const char *path,
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
	ps.r = routes_new();
	while (pos < n && rc == 0) {
		ps.line++;
		if (tend_conf_line(text, n, &pos, &line) < 0)
			rc = fail(&ps, (long)strlen(line.data) + 1, "NUL byte "
			    "in the routes file");
		else
			rc = parse_line(&ps, line.data);
	}
	tend_buf_release(&line);
	if (rc == 0)
		rc = set_defaults(&ps);
	if (rc < 0) {
		esc_routes_free(ps.r);
		return NULL;
	}
	return ps.r;
}

struct esc_routes *
esc_routes_load(const char *path, struct tend_error *err)
{
	struct esc_routes *r;
	struct tend_buf text = TEND_BUF_INIT, dir = TEND_BUF_INIT;

	if (tend_conf_read(path, MAX_ROUTES_BYTES, "routes file", &text, &dir,
	    err) < 0) {
		tend_buf_release(&text);
		return NULL;
	}
	r = esc_routes_parse(text.data ? text.data : "", text.len, path,
	    dir.data, err);
	tend_buf_release(&text);
	tend_buf_release(&dir);
	return r;
}

static void
free_overrides(struct esc_override *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].key);
	free(v);
}

void
esc_routes_free(struct esc_routes *r)
{
	size_t i, j;

	if (!r)
		return;
	for (i = 0; i < r->nteams; i++) {
		free(r->teams[i].name);
		free(r->teams[i].description);
	}
	free(r->teams);
	for (i = 0; i < r->nroutes; i++) {
		free(r->routes[i].id);
		free(r->routes[i].reason);
		tend_expr_free(r->routes[i].when);
	}
	free(r->routes);
	for (i = 0; i < r->nladders; i++) {
		for (j = 0; j < r->ladders[i].nsteps; j++) {
			free(r->ladders[i].steps[j].id);
			free(r->ladders[i].steps[j].reason);
		}
		free(r->ladders[i].steps);
		free(r->ladders[i].name);
		tend_expr_free(r->ladders[i].when);
	}
	free(r->ladders);
	free(r->spike.a.reason);
	free(r->security.a.reason);
	free(r->account.a.reason);
	free(r->quiet.a.reason);
	tend_strmap_free(r->spike.stopwords);
	free_overrides(r->spike.overrides, r->spike.noverrides);
	free_overrides(r->quiet.overrides, r->quiet.noverrides);
	tend_free_strings(r->security.flags, r->security.nflags);
	for (i = 0; i < r->account.naccounts; i++) {
		free(r->account.accounts[i].handle);
		tend_calendar_free(r->account.accounts[i].hours);
	}
	free(r->account.accounts);
	tend_calendar_free(r->notify.hours);
	tend_free_strings(r->names, r->nnames);
	tend_strmap_free(r->name_map);
	free(r);
}

unsigned long
esc_routes_limit_hits(const struct esc_routes *r)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < r->nroutes; i++)
		if (r->routes[i].when)
			n += tend_expr_limit_hits(r->routes[i].when);
	for (i = 0; i < r->nladders; i++)
		if (r->ladders[i].when)
			n += tend_expr_limit_hits(r->ladders[i].when);
	return n;
}
