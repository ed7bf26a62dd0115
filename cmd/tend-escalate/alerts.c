/* alerts.c: the four alert models of tend-escalate(1), ALERTS.
 *
 * spike: per key (topic, category, hashtag, term), posts counted in fixed
 * windows aligned to the epoch; a closed window's count is folded into an
 * exponentially weighted mean and variance; a window alerts when its
 * count reaches min_count and exceeds mean + z * max(sd, sqrt(mean), 1).
 * security and account: flagged posts grouped per key and window.
 * quiet: per channel, the last post seen and how many were seen.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "alloc.h"
#include "run.h"
#include "strmap.h"
#include "text.h"
#include "timestamp.h"

#define DEFAULT_SIGNATURE "[\\^\\-\xe2\x80\x93~]\\s*([A-Z]{2,3})\\s*$"
#define MAX_GAP_WINDOWS 1000
#define NCHANNELS 12

struct spike_key {
	char *key;
	int64_t win;		/* start of the window being counted */
	long count;
	double mean, var;
	char *ex[ESC_MAX_EXAMPLES];
	int nex, dirty;
	unsigned long seq;	/* the last post that counted it */
};

/* security and account: flagged posts of one key in one window. */
struct group {
	char *key;
	int64_t win;
	long count;
	char *ex[ESC_MAX_EXAMPLES];
	int nex;
	unsigned long seq;	/* the last post counted */
	json_t *tags;		/* flags or problems, distinct */
	char *who;		/* the domain or account */
	int is_domain;
};

struct groups {
	const char *kind;
	int64_t window;
	struct tend_strmap *map;
	struct group **v;
	size_t n;
};

struct channel {
	int64_t first, last;
	long n;
	int dirty;
};

struct esc_alerts {
	struct esc_run *run;
	const struct esc_routes *r;
	struct tend_strmap *keys;
	struct spike_key **v;
	size_t n;
	int64_t spike_start;	/* the first window the model counted */
	int64_t tick[4];		/* the window each model last looked in */
	unsigned long seq;
	struct tend_tokens tokens;
	struct tend_buf kb;
	struct tend_buf id, text, b1, b2;	/* fields read from a record */
	struct groups security, account;
	struct channel chans[NCHANNELS];
	pcre2_code *sig;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
};

static int64_t
window_of(int64_t t, int64_t w)
{
	int64_t q = t / w;

	if (t % w < 0)
		q--;
	return q * w;
}

static void
add_example(char **ex, int *nex, const char *id)
{
	if (*nex < ESC_MAX_EXAMPLES && id)
		ex[(*nex)++] = tend_xstrdup(id);
}

static void
clear_examples(char **ex, int *nex)
{
	int i;

	for (i = 0; i < *nex; i++)
		free(ex[i]);
	*nex = 0;
}

static json_t *
examples_json(char **ex, int nex)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < nex; i++)
		json_array_append_new(a, json_string(ex[i]));
	return a;
}

static json_t *
window_json(int64_t start, int64_t w)
{
	struct tend_time s = { start, 0 }, e = { start + w, 0 };
	char a[TEND_TIME_TEXT], b[TEND_TIME_TEXT];

	tend_time_format(s, a);
	tend_time_format(e, b);
	return json_pack("{s:s, s:s}", "start", a, "end", b);
}

/* A new alert object with kind and key first. */
static json_t *
alert_body(const char *kind, const char *key)
{
	return json_pack("{s:s, s:s}", "kind", kind, "key", key);
}

static double
round2(double x)
{
	return floor(x * 100 + 0.5) / 100;
}

static void
add_time_text(struct tend_buf *b, int64_t t)
{
	struct tend_time tt = { t, 0 };
	char s[TEND_TIME_TEXT];

	tend_buf_add(b, s, tend_time_format(tt, s));
}

/* --- spike ------------------------------------------------------------- */

static const struct esc_override *
override_of(const struct esc_override *v, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return &v[i];
	return NULL;
}

static void
spike_raise(struct esc_alerts *a, struct spike_key *k, double thr)
{
	const struct esc_spike_conf *sc = &a->r->spike;
	struct tend_buf text = TEND_BUF_INIT;
	const char *colon = strchr(k->key, ':');
	json_t *body = alert_body("spike", k->key);

	json_object_set_new(body, "window", window_json(k->win,
	    sc->a.window));
	json_object_set_new(body, "count", json_integer(k->count));
	json_object_set_new(body, "baseline", json_real(round2(k->mean)));
	json_object_set_new(body, "threshold", json_real(round2(thr)));
	json_object_set_new(body, "examples", examples_json(k->ex, k->nex));
	tend_buf_printf(&text, "spike in %.*s ", (int)(colon - k->key),
	    k->key);
	esc_add_string(&text, colon + 1, strlen(colon + 1));
	tend_buf_printf(&text, ": %ld posts from ", k->count);
	add_time_text(&text, k->win);
	tend_buf_adds(&text, " to ");
	add_time_text(&text, k->win + sc->a.window);
	tend_buf_printf(&text, " (baseline %.2f, threshold %.2f)",
	    round2(k->mean), round2(thr));
	esc_run_raise(a->run, "spike", k->key, k->win, NULL, body, text.data);
	tend_buf_release(&text);
}

static void
spike_evaluate(struct esc_alerts *a, struct spike_key *k)
{
	const struct esc_spike_conf *sc = &a->r->spike;
	const struct esc_override *o = override_of(sc->overrides,
	    sc->noverrides, k->key);
	long min_count = o && o->min_count > 0 ? o->min_count : sc->min_count;
	double z = o && o->z > 0 ? o->z : sc->z, spread, thr;

	if (!k->count || (o && o->off))
		return;
	if ((k->win - a->spike_start) / sc->a.window < sc->warmup)
		return;
	spread = sqrt(k->var);
	if (sqrt(k->mean) > spread)
		spread = sqrt(k->mean);
	if (spread < 1)
		spread = 1;
	thr = k->mean + z * spread;
	if (k->count >= min_count && (double)k->count > thr)
		spike_raise(a, k, thr);
}

static void
fold(struct spike_key *k, double x, double alpha)
{
	double d = x - k->mean;

	k->mean += alpha * d;
	k->var = (1 - alpha) * (k->var + alpha * d * d);
}

/* Ends k's window: evaluates it, folds it (and the empty windows up to
 * next) into the baseline. */
static void
spike_close(struct esc_alerts *a, struct spike_key *k, int64_t next)
{
	const struct esc_spike_conf *sc = &a->r->spike;
	int64_t gap = (next - k->win) / sc->a.window - 1;

	spike_evaluate(a, k);
	fold(k, (double)k->count, sc->alpha);
	if (gap > MAX_GAP_WINDOWS)
		gap = MAX_GAP_WINDOWS;
	while (gap-- > 0)
		fold(k, 0, sc->alpha);
	k->win = next;
	k->count = 0;
	clear_examples(k->ex, &k->nex);
	k->dirty = 1;
}

static struct spike_key *
spike_get(struct esc_alerts *a, const char *key, size_t n, int64_t win)
{
	void **slot;
	struct spike_key *k;
	int added;

	slot = tend_strmap_put(a->keys, key, n, &added, NULL);
	if (!added)
		return *slot;
	k = tend_xcalloc(1, sizeof(*k));
	k->key = tend_xstrndup(key, n);
	k->win = win;
	*slot = k;
	a->v = tend_xrealloc(a->v, (a->n + 1) * sizeof(*a->v));
	a->v[a->n++] = k;
	return k;
}

static void
spike_free_key(struct spike_key *k)
{
	clear_examples(k->ex, &k->nex);
	free(k->key);
	free(k);
}

static int
by_activity(const void *x, const void *y)
{
	const struct spike_key *a = *(struct spike_key *const *)x;
	const struct spike_key *b = *(struct spike_key *const *)y;
	double ua = a->mean + (double)a->count, ub = b->mean +
	    (double)b->count;

	return (ua < ub) - (ua > ub);
}

/* Keeps the max_keys most active keys, forgetting the others. */
static void
spike_prune(struct esc_alerts *a)
{
	size_t keep = (size_t)a->r->spike.max_keys, i;
	struct esc_state *st = a->run->state;
	int added;

	if (a->n > 1)
		qsort(a->v, a->n, sizeof(*a->v), by_activity);
	for (i = keep; i < a->n; i++) {
		if (st)
			esc_state_del(st, esc_key(a->run, "spike", a->v[i]->key,
			    NULL, NULL));
		spike_free_key(a->v[i]);
	}
	a->n = keep;
	tend_strmap_free(a->keys);
	a->keys = tend_strmap_new();
	for (i = 0; i < a->n; i++)
		*tend_strmap_put(a->keys, a->v[i]->key, strlen(a->v[i]->key),
		    &added, NULL) = a->v[i];
}

static void
spike_count(struct esc_alerts *a, const char *prefix, const char *s,
    size_t n, int64_t at, const char *id)
{
	const struct esc_spike_conf *sc = &a->r->spike;
	int64_t win = window_of(at, sc->a.window);
	struct spike_key *k;

	tend_buf_reset(&a->kb);
	tend_buf_adds(&a->kb, prefix);
	tend_buf_add(&a->kb, s, n);
	k = spike_get(a, a->kb.data, a->kb.len, win);
	if (k->seq == a->seq || win < k->win)
		return;		/* counted for this post, or late */
	k->seq = a->seq;
	if (win > k->win)
		spike_close(a, k, win);
	k->count++;
	add_example(k->ex, &k->nex, id);
	k->dirty = 1;
}

struct count_arg {
	struct esc_alerts *a;
	int64_t at;
	const char *id;
};

static void
count_topic(void *arg, const char *s, size_t n)
{
	struct count_arg *c = arg;

	spike_count(c->a, "topic:", s, n, c->at, c->id);
}

static void
spike_terms(struct esc_alerts *a, struct tend_record *rec, int64_t at,
    const char *id)
{
	const struct esc_spike_conf *sc = &a->r->spike;
	struct tend_tokens *t = &a->tokens;
	const char *text;
	size_t i;

	if (!(sc->keys & (SPIKE_TERM | SPIKE_HASHTAG)) ||
	    !(text = tend_record_get_str(rec, "text", &a->text)))
		return;
	tend_text_tokenize(t, text, a->text.len, NULL, 0);
	for (i = 0; i < t->n; i++) {
		const char *w = tend_token_text(t, i);
		size_t n = t->v[i].len;

		if (t->v[i].kind == TEND_TOKEN_HASHTAG &&
		    (sc->keys & SPIKE_HASHTAG) && n)
			spike_count(a, "hashtag:", w, n, at, id);
		else if (t->v[i].kind == TEND_TOKEN_WORD &&
		    (sc->keys & SPIKE_TERM) && n >= sc->min_length &&
		    !tend_strmap_get(sc->stopwords, w, n))
			spike_count(a, "term:", w, n, at, id);
	}
}

static int
field_is(struct tend_record *rec, const char *path, const char *value,
    struct tend_buf *b)
{
	const char *s = tend_record_get_str(rec, path, b);

	return s && strcmp(s, value) == 0;
}

/* Written by actor (customer: or by nobody said), a post, not internal. */
static int
is_post_by(struct tend_record *rec, const char *actor, struct tend_buf *b)
{
	const char *s = tend_record_get_str(rec, "actor", b);

	if (s ? strcmp(s, actor) != 0 : strcmp(actor, "customer") != 0)
		return 0;
	s = tend_record_get_str(rec, "kind", b);
	if (s && strcmp(s, "post") != 0)
		return 0;
	return !field_is(rec, "visibility", "internal", b);
}

static void
spike_observe(struct esc_alerts *a, struct tend_record *rec)
{
	const struct esc_spike_conf *sc = &a->r->spike;
	const char *id = tend_record_get_str(rec, "id", &a->id), *cat;
	int64_t at = rec->created_at.sec;
	struct count_arg c = { a, at, id };

	if (!is_post_by(rec, "customer", &a->b1))
		return;
	if (a->spike_start == INT64_MIN)
		a->spike_start = window_of(at, sc->a.window);
	if (sc->keys & SPIKE_TOPIC)
		tend_record_each_str(rec, "class.topics", count_topic, &c);
	if ((sc->keys & SPIKE_CATEGORY) &&
	    (cat = tend_record_get_str(rec, "class.category", &a->b1)))
		spike_count(a, "category:", cat, a->b1.len, at, id);
	spike_terms(a, rec, at, id);
	if (a->n > 2 * (size_t)sc->max_keys)
		spike_prune(a);
}

/* --- security and account: groups per key and window ------------------- */

static void
group_raise(struct esc_alerts *a, struct groups *gs, struct group *g)
{
	struct tend_buf text = TEND_BUF_INIT;
	json_t *body = alert_body(gs->kind, g->key), *tag;
	size_t i;

	json_object_set_new(body, g->is_domain ? "domain" : "account",
	    json_string(g->who));
	json_object_set(body, strcmp(gs->kind, "security") == 0 ? "flags" :
	    "problems", g->tags);
	json_object_set_new(body, "window", window_json(g->win, gs->window));
	json_object_set_new(body, "count", json_integer(g->count));
	json_object_set_new(body, "examples", examples_json(g->ex, g->nex));
	tend_buf_printf(&text, "%s: %ld post%s %s ", gs->kind, g->count,
	    g->count == 1 ? "" : "s", strcmp(gs->kind, "security") == 0 ?
	    (g->is_domain ? "linking to domain" : "from account") :
	    "as our account");
	esc_add_string(&text, g->who, strlen(g->who));
	tend_buf_adds(&text, strcmp(gs->kind, "security") == 0 ? ", flagged " :
	    ": ");
	json_array_foreach(g->tags, i, tag) {
		if (i)
			tend_buf_adds(&text, ", ");
		tend_buf_adds(&text, json_string_value(tag));
	}
	tend_buf_adds(&text, ", from ");
	add_time_text(&text, g->win);
	tend_buf_adds(&text, " to ");
	add_time_text(&text, g->win + gs->window);
	esc_run_raise(a->run, gs->kind, g->key, g->win, NULL, body, text.data);
	tend_buf_release(&text);
}

static void
group_close(struct esc_alerts *a, struct groups *gs, struct group *g)
{
	if (g->count)
		group_raise(a, gs, g);
	g->count = 0;
	clear_examples(g->ex, &g->nex);
	json_array_clear(g->tags);
}

static void
group_tag(struct group *g, const char *tag)
{
	json_t *t;
	size_t i;

	json_array_foreach(g->tags, i, t)
		if (strcmp(json_string_value(t), tag) == 0)
			return;
	json_array_append_new(g->tags, json_string(tag));
}

/* Counts post id in key's group; tags are added by the caller. */
static struct group *
group_add(struct esc_alerts *a, struct groups *gs, const char *key,
    const char *who, int is_domain, int64_t at, const char *id)
{
	int64_t win = window_of(at, gs->window);
	struct group *g;
	void **slot;
	int added;

	slot = tend_strmap_put(gs->map, key, strlen(key), &added, NULL);
	if (added) {
		g = tend_xcalloc(1, sizeof(*g));
		g->key = tend_xstrdup(key);
		g->who = tend_xstrdup(who);
		g->is_domain = is_domain;
		g->win = win;
		g->tags = json_array();
		*slot = g;
		gs->v = tend_xrealloc(gs->v, (gs->n + 1) * sizeof(*gs->v));
		gs->v[gs->n++] = g;
	}
	g = *slot;
	if (win < g->win)
		return NULL;	/* late: its window is closed */
	if (win > g->win) {
		group_close(a, gs, g);
		g->win = win;
	}
	if (g->seq == a->seq)
		return g;
	g->seq = a->seq;
	g->count++;
	add_example(g->ex, &g->nex, id);
	return g;
}

static void
groups_tick(struct esc_alerts *a, struct groups *gs, int64_t now, int all)
{
	size_t i;

	for (i = 0; i < gs->n; i++)
		if (gs->v[i]->count && (all || gs->v[i]->win + gs->window <=
		    now))
			group_close(a, gs, gs->v[i]);
}

static void
groups_free(struct groups *gs)
{
	size_t i;

	for (i = 0; i < gs->n; i++) {
		clear_examples(gs->v[i]->ex, &gs->v[i]->nex);
		json_decref(gs->v[i]->tags);
		free(gs->v[i]->key);
		free(gs->v[i]->who);
		free(gs->v[i]);
	}
	free(gs->v);
	tend_strmap_free(gs->map);
}

/* The host of a link, lower case, into b; 0 when it has none. */
static int
link_host(const char *url, struct tend_buf *b)
{
	const char *p = strstr(url, "://"), *e;

	p = p ? p + 3 : url;
	e = p;
	while (*e && *e != '/' && *e != '?' && *e != '#' && *e != ':' &&
	    *e != '@')
		e++;
	if (*e == '@') {	/* user@host */
		p = e + 1;
		e = p;
		while (*e && *e != '/' && *e != '?' && *e != '#' && *e != ':')
			e++;
	}
	tend_buf_reset(b);
	tend_text_fold(b, p, (size_t)(e - p));
	return b->len > 0;
}

static const char *
handle_of(struct esc_alerts *a, struct tend_record *rec, struct tend_buf *b)
{
	const char *h = tend_record_get_str(rec, "author.handle", &a->b2);

	tend_buf_reset(b);
	tend_buf_addc(b, '@');
	if (h)
		tend_text_fold(b, h, a->b2.len);
	else
		tend_buf_adds(b, "unknown");
	return b->data;
}

struct strings {
	char **v;
	size_t n;
};

static void
collect(void *arg, const char *str, size_t n)
{
	struct strings *l = arg;

	l->v = tend_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = tend_xstrndup(str, n);
}

static void
strings_free(struct strings *l)
{
	tend_free_strings(l->v, l->n);
}

/* Counts a flagged post in the group of each domain it links to, or of
 * its author (impersonation, or no link). */
static void
security_flag(struct esc_alerts *a, struct tend_record *rec,
    const char *flag, const struct strings *links, const char *id)
{
	struct tend_buf key = TEND_BUF_INIT, who = TEND_BUF_INIT;
	int64_t at = rec->created_at.sec;
	struct group *g;
	int by_domain = 0;
	size_t k;

	for (k = 0; strcmp(flag, "impersonation") != 0 && k < links->n; k++) {
		if (!link_host(links->v[k], &who))
			continue;
		tend_buf_reset(&key);
		tend_buf_printf(&key, "domain:%s", who.data);
		if ((g = group_add(a, &a->security, key.data, who.data, 1, at,
		    id)))
			group_tag(g, flag);
		by_domain = 1;
	}
	if (!by_domain) {
		handle_of(a, rec, &who);
		tend_buf_printf(&key, "account:%s", who.data);
		if ((g = group_add(a, &a->security, key.data, who.data, 0, at,
		    id)))
			group_tag(g, flag);
	}
	tend_buf_release(&key);
	tend_buf_release(&who);
}

static void
security_observe(struct esc_alerts *a, struct tend_record *rec)
{
	const struct esc_security_conf *sc = &a->r->security;
	struct strings flags = { NULL, 0 }, links = { NULL, 0 };
	const char *id;
	size_t i, j;

	tend_record_each_str(rec, "class.flags", collect, &flags);
	for (i = 0; i < flags.n; i++) {
		for (j = 0; j < sc->nflags; j++)
			if (strcmp(flags.v[i], sc->flags[j]) == 0)
				break;
		if (j == sc->nflags)
			continue;
		if (!links.v)
			tend_record_each_str(rec, "links", collect, &links);
		id = tend_record_get_str(rec, "id", &a->id);
		security_flag(a, rec, flags.v[i], &links, id);
	}
	strings_free(&flags);
	strings_free(&links);
}

/* The initials that sign an agent's post: sla.agent when tend-sla ran,
 * else the default signature at the end of the text.  0 when unsigned. */
static int
signer(struct esc_alerts *a, struct tend_record *rec, char *out, size_t size)
{
	const char *text, *agent;
	PCRE2_SIZE *ov;
	size_t len;

	if (rec->root ? json_is_object(json_object_get(rec->root, "sla")) :
	    tend_jview_get(&rec->view, "sla").type == TEND_JOBJECT) {
		agent = tend_record_get_str(rec, "sla.agent", &a->b1);
		if (!agent || !*agent)
			return 0;
		snprintf(out, size, "%s", agent);
		return 1;
	}
	if (!(text = tend_record_get_str(rec, "text", &a->text)) || !a->sig)
		return 0;
	if (pcre2_match(a->sig, (PCRE2_SPTR)text, a->text.len, 0,
	    PCRE2_NO_UTF_CHECK, a->md, a->mctx) < 2)
		return 0;
	ov = pcre2_get_ovector_pointer(a->md);
	if (ov[2] == PCRE2_UNSET)
		return 0;
	len = ov[3] - ov[2];
	if (len >= size)
		len = size - 1;
	memcpy(out, text + ov[2], len);
	out[len] = '\0';
	return 1;
}

static const struct esc_account *
our_account(const struct esc_account_conf *ac, const char *handle)
{
	size_t i;

	for (i = 0; i < ac->naccounts; i++)
		if (strcmp(ac->accounts[i].handle, handle + 1) == 0)
			return &ac->accounts[i];
	return NULL;
}

/* Adds to tags what is wrong with an agent's post; returns how many. */
static int
account_problems(struct esc_alerts *a, struct tend_record *rec, int64_t at,
    const struct esc_account *acc, json_t *tags)
{
	const struct esc_roster *roster = a->run->roster;
	const struct esc_agent *ag;
	char initials[16], tag[64];

	if (!signer(a, rec, initials, sizeof(initials))) {
		json_array_append_new(tags, json_string("unsigned"));
	} else if (roster && !(ag = esc_roster_find(roster, initials))) {
		snprintf(tag, sizeof(tag), "unknown:%s", initials);
		json_array_append_new(tags, json_string(tag));
	} else if (roster && (at >= ag->left || (!ag->active &&
	    ag->left == INT64_MAX))) {
		snprintf(tag, sizeof(tag), "departed:%s", initials);
		json_array_append_new(tags, json_string(tag));
	}
	if (acc && acc->hours && !tend_calendar_is_open(acc->hours, at))
		json_array_append_new(tags, json_string("off_hours"));
	return (int)json_array_size(tags);
}

static void
account_observe(struct esc_alerts *a, struct tend_record *rec)
{
	const struct esc_account_conf *ac = &a->r->account;
	const struct esc_account *acc = NULL;
	const json_t *t;
	struct tend_buf who = TEND_BUF_INIT;
	json_t *tags;
	struct group *g;
	size_t i;

	if (!is_post_by(rec, "agent", &a->b1))
		return;
	handle_of(a, rec, &who);
	if (ac->naccounts && !(acc = our_account(ac, who.data)))
		goto out;
	tags = json_array();
	if (account_problems(a, rec, rec->created_at.sec, acc, tags) &&
	    (g = group_add(a, &a->account, who.data, who.data + 1, 0,
	    rec->created_at.sec, tend_record_get_str(rec, "id", &a->id))))
		json_array_foreach(tags, i, t)
			group_tag(g, json_string_value(t));
	json_decref(tags);
out:
	tend_buf_release(&who);
}

/* --- quiet ---------------------------------------------------------------- */

static void
quiet_observe(struct esc_alerts *a, struct tend_record *rec, int counted)
{
	const char *ch = tend_record_get_str(rec, "channel", &a->b1);
	int64_t at = rec->created_at.sec;
	struct channel *c;
	int i;

	for (i = 0; ch && tend_channels[i]; i++)
		if (strcmp(ch, tend_channels[i]) == 0)
			break;
	if (!ch || !tend_channels[i] || i >= NCHANNELS)
		return;
	c = &a->chans[i];
	if (c->last == INT64_MIN)
		c->first = c->last = at;
	if (at > c->last)
		c->last = at;
	if (at < c->first)
		c->first = at;
	if (counted)
		c->n++;
	c->dirty = 1;
}

static void
quiet_check(struct esc_alerts *a)
{
	const struct esc_quiet_conf *qc = &a->r->quiet;
	int64_t now = a->run->now, after;
	struct tend_buf text = TEND_BUF_INIT;
	const struct esc_override *o;
	struct channel *c;
	json_t *body;
	int i;

	for (i = 0; tend_channels[i] && i < NCHANNELS; i++) {
		c = &a->chans[i];
		o = override_of(qc->overrides, qc->noverrides,
		    tend_channels[i]);
		after = o && o->after ? o->after : qc->after;
		if (c->n < qc->min_posts || c->last == INT64_MIN ||
		    (o && o->off) ||
		    now - c->last < after)
			continue;
		body = alert_body("quiet", tend_channels[i]);
		json_object_set_new(body, "channel",
		    json_string(tend_channels[i]));
		json_object_set_new(body, "last_seen", json_string(""));
		tend_buf_reset(&text);
		add_time_text(&text, c->last);
		json_object_set_new(body, "last_seen", json_string(text.data));
		json_object_set_new(body, "silent_secs", json_integer(now -
		    c->last));
		json_object_set_new(body, "after_secs", json_integer(after));
		json_object_set_new(body, "posts_seen", json_integer(c->n));
		tend_buf_reset(&text);
		tend_buf_printf(&text, "quiet: no record from %s since ",
		    tend_channels[i]);
		add_time_text(&text, c->last);
		tend_buf_adds(&text, " (");
		tend_duration_format(&text, now - c->last);
		tend_buf_adds(&text, " silent; alert after ");
		tend_duration_format(&text, after);
		tend_buf_printf(&text, "; %ld posts seen before)", c->n);
		esc_run_raise(a->run, "quiet", tend_channels[i], c->last,
		    tend_channels[i], body, text.data);
	}
	tend_buf_release(&text);
}

/* --- memory: the state ---------------------------------------------------- */

static void
load_spike(void *arg, const char *key, const char *value, int64_t expires)
{
	struct esc_alerts *a = arg;
	const char *name = key + strlen("spike\x1f");
	json_error_t jerr;
	json_t *v = json_loads(value, 0, &jerr), *ex, *e;
	json_int_t win, count;
	double mean, var;
	struct spike_key *k;
	size_t i;

	(void)expires;
	if (!v || json_unpack(v, "{s:I, s:I, s:F, s:F, s:o}", "w", &win, "n",
	    &count, "m", &mean, "v", &var, "ex", &ex) < 0 || !*name) {
		json_decref(v);
		return;		/* not ours to judge: left as it is */
	}
	k = spike_get(a, name, strlen(name), (int64_t)win);
	k->count = (long)count;
	k->mean = mean;
	k->var = var;
	json_array_foreach(ex, i, e)
		if (json_is_string(e))
			add_example(k->ex, &k->nex, json_string_value(e));
	json_decref(v);
}

static void
load_quiet(struct esc_alerts *a)
{
	json_error_t jerr;
	json_int_t first, last, n;
	const char *v;
	json_t *j;
	int i;

	for (i = 0; tend_channels[i] && i < NCHANNELS; i++) {
		if (!(v = esc_state_get(a->run->state, esc_key(a->run, "quiet",
		    tend_channels[i], NULL, NULL))))
			continue;
		j = json_loads(v, 0, &jerr);
		if (j && json_unpack(j, "{s:I, s:I, s:I}", "first", &first,
		    "last", &last, "n", &n) == 0) {
			a->chans[i].first = (int64_t)first;
			a->chans[i].last = (int64_t)last;
			a->chans[i].n = (long)n;
		}
		json_decref(j);
	}
}

void
esc_alerts_load(struct esc_alerts *a)
{
	const char *v;

	if (!a->run->state)
		return;
	if ((v = esc_state_get(a->run->state, "meta\x1fspike")))
		a->spike_start = strtoll(v, NULL, 10);
	if (a->r->spike.a.on)
		esc_state_each(a->run->state, "spike\x1f", load_spike, a);
	if (a->r->quiet.a.on)
		load_quiet(a);
}

static void
save_spike(struct esc_alerts *a)
{
	struct esc_run *run = a->run;
	struct tend_buf v = TEND_BUF_INIT, k = TEND_BUF_INIT;
	size_t i;
	int j;

	for (i = 0; i < a->n; i++) {
		struct spike_key *sk = a->v[i];

		if (!sk->dirty)
			continue;
		tend_buf_reset(&v);
		tend_buf_printf(&v, "{\"w\":%lld,\"n\":%ld,\"m\":%.17g,"
		    "\"v\":%.17g,\"ex\":[", (long long)sk->win, sk->count,
		    sk->mean, sk->var);
		for (j = 0; j < sk->nex; j++) {
			if (j)
				tend_buf_addc(&v, ',');
			esc_add_string(&v, sk->ex[j], strlen(sk->ex[j]));
		}
		tend_buf_adds(&v, "]}");
		tend_buf_reset(&k);
		tend_buf_adds(&k, "spike\x1f");
		tend_buf_adds(&k, sk->key);
		esc_state_put(run->state, k.data, v.data, run->now +
		    a->r->notify.remember);
	}
	if (a->spike_start != INT64_MIN) {
		tend_buf_reset(&v);
		tend_buf_printf(&v, "%lld", (long long)a->spike_start);
		esc_state_put(run->state, "meta\x1fspike", v.data, 0);
	}
	tend_buf_release(&v);
	tend_buf_release(&k);
}

static void
save_quiet(struct esc_alerts *a)
{
	struct tend_buf v = TEND_BUF_INIT;
	int i;

	for (i = 0; tend_channels[i] && i < NCHANNELS; i++) {
		if (!a->chans[i].dirty)
			continue;
		tend_buf_reset(&v);
		tend_buf_printf(&v, "{\"first\":%lld,\"last\":%lld,\"n\":%ld}",
		    (long long)a->chans[i].first, (long long)a->chans[i].last,
		    a->chans[i].n);
		esc_state_put(a->run->state, esc_key(a->run, "quiet",
		    tend_channels[i], NULL, NULL), v.data, a->run->now +
		    a->r->notify.remember);
	}
	tend_buf_release(&v);
}

/* --- the run's calls ---------------------------------------------------- */

struct esc_alerts *
esc_alerts_new(struct esc_run *run)
{
	struct esc_alerts *a = tend_xcalloc(1, sizeof(*a));
	int code, i;
	size_t off;

	a->run = run;
	a->r = run->routes;
	a->keys = tend_strmap_new();
	a->spike_start = INT64_MIN;
	for (i = 0; i < 4; i++)
		a->tick[i] = INT64_MIN;
	tend_tokens_init(&a->tokens);
	tend_buf_init(&a->kb);
	tend_buf_init(&a->id);
	tend_buf_init(&a->text);
	tend_buf_init(&a->b1);
	tend_buf_init(&a->b2);
	a->security.kind = "security";
	a->security.window = a->r->security.a.window;
	a->security.map = tend_strmap_new();
	a->account.kind = "account";
	a->account.window = a->r->account.a.window;
	a->account.map = tend_strmap_new();
	for (i = 0; i < NCHANNELS; i++)
		a->chans[i].last = INT64_MIN;
	a->sig = pcre2_compile((PCRE2_SPTR)DEFAULT_SIGNATURE,
	    PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off, NULL);
	if (a->sig)
		a->md = pcre2_match_data_create_from_pattern(a->sig, NULL);
	a->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(a->mctx, TEND_EXPR_MATCH_LIMIT);
	pcre2_set_depth_limit(a->mctx, TEND_EXPR_DEPTH_LIMIT);
	return a;
}

void
esc_alerts_free(struct esc_alerts *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++)
		spike_free_key(a->v[i]);
	free(a->v);
	tend_strmap_free(a->keys);
	groups_free(&a->security);
	groups_free(&a->account);
	tend_tokens_release(&a->tokens);
	tend_buf_release(&a->kb);
	tend_buf_release(&a->id);
	tend_buf_release(&a->text);
	tend_buf_release(&a->b1);
	tend_buf_release(&a->b2);
	pcre2_match_data_free(a->md);
	pcre2_code_free(a->sig);
	pcre2_match_context_free(a->mctx);
	free(a);
}

void
esc_alerts_observe(struct esc_alerts *a, struct tend_record *rec,
    int counted)
{
	const struct esc_routes *r = a->r;

	if (r->quiet.a.on)
		quiet_observe(a, rec, counted);
	if (!counted)
		return;
	a->seq++;
	if (r->spike.a.on)
		spike_observe(a, rec);
	if (r->security.a.on)
		security_observe(a, rec);
	if (r->account.a.on)
		account_observe(a, rec);
}

/* Closes every spike window that ended by now. */
static void
spike_tick(struct esc_alerts *a, int64_t now)
{
	int64_t w = a->r->spike.a.window, cur = window_of(now, w);
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->v[i]->count && a->v[i]->win + w <= now)
			spike_close(a, a->v[i], cur);
}

/* Called for each record in stream mode: a model looks again when now
 * enters a new window of its own (quiet: a new minute). */
void
esc_alerts_tick(struct esc_alerts *a)
{
	const struct esc_routes *r = a->r;
	int64_t now = a->run->now, cur;

	if (r->spike.a.on && (cur = window_of(now, r->spike.a.window)) !=
	    a->tick[0]) {
		a->tick[0] = cur;
		spike_tick(a, now);
	}
	if (r->security.a.on && (cur = window_of(now,
	    r->security.a.window)) != a->tick[1]) {
		a->tick[1] = cur;
		groups_tick(a, &a->security, now, 0);
	}
	if (r->account.a.on && (cur = window_of(now, r->account.a.window)) !=
	    a->tick[2]) {
		a->tick[2] = cur;
		groups_tick(a, &a->account, now, 0);
	}
	if (r->quiet.a.on && (cur = window_of(now, 60)) != a->tick[3]) {
		a->tick[3] = cur;
		quiet_check(a);
	}
}

void
esc_alerts_finish(struct esc_alerts *a)
{
	const struct esc_routes *r = a->r;
	int64_t now = a->run->now;
	size_t i;

	if (r->spike.a.on) {
		spike_tick(a, now);
		for (i = 0; i < a->n; i++)	/* the windows still open */
			spike_evaluate(a, a->v[i]);
	}
	if (r->security.a.on)
		groups_tick(a, &a->security, now, 1);
	if (r->account.a.on)
		groups_tick(a, &a->account, now, 1);
	if (r->quiet.a.on)
		quiet_check(a);
	if (!a->run->state)
		return;
	if (r->spike.a.on)
		save_spike(a);
	if (r->quiet.a.on)
		save_quiet(a);
}
