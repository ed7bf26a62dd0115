/* agg.c: the aggregate of a stream of records (report.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report.h"
#include "strmap.h"
#include "timestamp.h"

const char *const rep_bucket_names[] = { "hour", "day", "week", NULL };
const char *const rep_status_names[REP_NSTATUS] = {
	"none", "met", "pending", "at_risk", "breached"
};
const char *const rep_sentiment_names[REP_NSENT] = {
	"positive", "neutral", "negative"
};

/* What one customer post or reply adds to the stats it counts in. */
struct contrib {
	int customer, reply;
	int status;			/* -1: no sla status */
	int backlog;
	double fr_cal, fr_wall, nr_cal, nr_wall, resolve;	/* NAN: none */
	int answered, unanswered;
	int within[REP_MAX_SL], waiting[REP_MAX_SL];
	int sent;			/* -1: no label */
	int scored;
	int64_t score;			/* times 10^4 */
	int period;			/* 1 current, 2 previous, 0 neither */
};

void
rep_map_init(struct rep_map *m)
{
	memset(m, 0, sizeof(*m));
	m->m = tend_strmap_new();
}

void **
rep_map_slot(struct rep_map *m, const char *key, size_t n)
{
	void **slot = tend_strmap_get(m->m, key, n);
	const char *stored;
	int added;

	if (slot)
		return &m->vals[(uintptr_t)*slot - 1];
	if (m->n >= REP_MAX_KEYS && !(n == strlen(REP_OTHER) &&
	    memcmp(key, REP_OTHER, n) == 0))
		return NULL;
	slot = tend_strmap_put(m->m, key, n, &added, &stored);
	*slot = (void *)(uintptr_t)(m->n + 1);
	if (m->n == m->cap) {
		size_t cap = m->cap;

		tend_xgrow((void **)&m->vals, &cap, m->n + 1,
		    sizeof(*m->vals));
		tend_xgrow((void **)&m->keys, &m->cap, m->n + 1,
		    sizeof(*m->keys));
	}
	m->keys[m->n] = stored;
	m->vals[m->n] = NULL;
	return &m->vals[m->n++];
}

void
rep_map_release(struct rep_map *m, void (*free_val)(void *))
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free_val(m->vals[i]);
	free(m->vals);
	free(m->keys);
	tend_strmap_free(m->m);
	memset(m, 0, sizeof(*m));
}

/* The slot of key, or of "(other)" when the map is full. */
static void **
map_slot(struct rep_map *m, const char *key, size_t n)
{
	void **slot = rep_map_slot(m, key, n);

	return slot ? slot : rep_map_slot(m, REP_OTHER, strlen(REP_OTHER));
}

static uint64_t *
map_counter(struct rep_map *m, const char *key, size_t n)
{
	void **slot = map_slot(m, key, n);

	if (!*slot)
		*slot = tend_xcalloc(1, sizeof(uint64_t));
	return *slot;
}

void
rep_stats_init(struct rep_stats *st, double alpha)
{
	memset(st, 0, sizeof(*st));
	st->fr_cal = tend_sketch_new(alpha);
	st->fr_wall = tend_sketch_new(alpha);
	st->nr_cal = tend_sketch_new(alpha);
	st->nr_wall = tend_sketch_new(alpha);
	st->resolve = tend_sketch_new(alpha);
}

void
rep_stats_release(struct rep_stats *st)
{
	tend_sketch_free(st->fr_cal);
	tend_sketch_free(st->fr_wall);
	tend_sketch_free(st->nr_cal);
	tend_sketch_free(st->nr_wall);
	tend_sketch_free(st->resolve);
	memset(st, 0, sizeof(*st));
}

void
rep_stats_merge(struct rep_stats *dst, const struct rep_stats *src,
    size_t nsl)
{
	size_t i;

	dst->inbound += src->inbound;
	dst->replies += src->replies;
	for (i = 0; i < REP_NSTATUS; i++)
		dst->status[i] += src->status[i];
	dst->backlog += src->backlog;
	tend_sketch_merge(dst->fr_cal, src->fr_cal);
	tend_sketch_merge(dst->fr_wall, src->fr_wall);
	tend_sketch_merge(dst->nr_cal, src->nr_cal);
	tend_sketch_merge(dst->nr_wall, src->nr_wall);
	tend_sketch_merge(dst->resolve, src->resolve);
	dst->sl_eligible += src->sl_eligible;
	for (i = 0; i < nsl; i++) {
		dst->sl_within[i] += src->sl_within[i];
		dst->sl_waiting[i] += src->sl_waiting[i];
	}
	dst->unanswered += src->unanswered;
	for (i = 0; i < REP_NSENT; i++)
		dst->sent[i] += src->sent[i];
	dst->sent_n += src->sent_n;
	dst->sent_sum += src->sent_sum;
	dst->cur_n += src->cur_n;
	dst->cur_sum += src->cur_sum;
	dst->prev_n += src->prev_n;
	dst->prev_sum += src->prev_sum;
}

static void
stats_apply(struct rep_stats *st, const struct contrib *c, size_t nsl)
{
	size_t i;

	if (c->reply) {
		st->replies++;
		return;
	}
	st->inbound++;
	if (c->status >= 0)
		st->status[c->status]++;
	st->backlog += (uint64_t)c->backlog;
	if (!isnan(c->fr_cal))
		tend_sketch_add(st->fr_cal, c->fr_cal);
	if (!isnan(c->fr_wall))
		tend_sketch_add(st->fr_wall, c->fr_wall);
	if (!isnan(c->nr_cal))
		tend_sketch_add(st->nr_cal, c->nr_cal);
	if (!isnan(c->nr_wall))
		tend_sketch_add(st->nr_wall, c->nr_wall);
	if (!isnan(c->resolve))
		tend_sketch_add(st->resolve, c->resolve);
	st->sl_eligible += (uint64_t)c->answered;
	for (i = 0; i < nsl; i++) {
		st->sl_within[i] += (uint64_t)c->within[i];
		st->sl_waiting[i] += (uint64_t)c->waiting[i];
	}
	st->unanswered += (uint64_t)c->unanswered;
	if (c->sent >= 0)
		st->sent[c->sent]++;
	if (c->scored) {
		st->sent_n++;
		st->sent_sum += c->score;
		if (c->period == 1) {
			st->cur_n++;
			st->cur_sum += c->score;
		} else if (c->period == 2) {
			st->prev_n++;
			st->prev_sum += c->score;
		}
	}
}

struct rep_group *
rep_dim_group(struct rep_agg *agg, struct rep_dim *d, const char *key,
    size_t n)
{
	void **slot = map_slot(&d->groups, key, n);
	struct rep_group *g = *slot;

	if (!g) {
		g = tend_xmalloc(sizeof(*g));
		g->key = d->groups.keys[(size_t)(slot - d->groups.vals)];
		rep_stats_init(&g->st, agg->shape.alpha);
		*slot = g;
	}
	return g;
}

static void
free_group(void *p)
{
	struct rep_group *g = p;

	if (g)
		rep_stats_release(&g->st);
	free(g);
}

static void
free_sketch(void *p)
{
	tend_sketch_free(p);
}

void
rep_top_init(struct rep_top *t, size_t cap, int desc)
{
	t->v = tend_xcalloc(cap ? cap : 1, sizeof(*t->v));
	t->n = 0;
	t->cap = cap;
	t->desc = desc;
}

static void
entry_free(struct rep_entry *e)
{
	free(e->id);
	free(e->channel);
	free(e->label);
	free(e->text);
}

void
rep_top_release(struct rep_top *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		entry_free(&t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* <0 when a ranks before b. */
static int
entry_cmp(const struct rep_top *t, const struct rep_entry *a,
    const struct rep_entry *b)
{
	if (a->value != b->value)
		return (a->value > b->value) == t->desc ? -1 : 1;
	return strcmp(a->id, b->id);
}

void
rep_top_offer(struct rep_top *t, const struct rep_entry *e)
{
	size_t i;

	if (!t->cap)
		return;
	if (t->n == t->cap && entry_cmp(t, e, &t->v[t->n - 1]) >= 0)
		return;
	if (t->n == t->cap)
		entry_free(&t->v[--t->n]);
	for (i = t->n; i > 0 && entry_cmp(t, e, &t->v[i - 1]) < 0; i--)
		t->v[i] = t->v[i - 1];
	t->v[i].id = tend_xstrdup(e->id);
	t->v[i].channel = tend_xstrdup(e->channel);
	t->v[i].label = tend_xstrdup(e->label ? e->label : "");
	t->v[i].text = tend_xstrdup(e->text ? e->text : "");
	t->v[i].created_at = e->created_at;
	t->v[i].value = e->value;
	t->n++;
}

void
rep_shape_release(struct rep_shape *shape)
{
	size_t i;

	free(shape->zone);
	for (i = 0; i < shape->nby; i++)
		free(shape->by[i]);
	memset(shape, 0, sizeof(*shape));
}

int
rep_agg_init(struct rep_agg *agg, struct rep_shape *shape,
    struct tend_error *err)
{
	size_t i;

	memset(agg, 0, sizeof(*agg));
	agg->shape = *shape;
	memset(shape, 0, sizeof(*shape));
	if (strcmp(agg->shape.zone, "UTC") != 0 &&
	    !(agg->tz = tend_tz_load(agg->shape.zone, err)))
		return -1;
	agg->first = INT64_MAX;
	agg->last = INT64_MIN;
	rep_stats_init(&agg->all, agg->shape.alpha);
	for (i = 0; i < agg->shape.nby; i++) {
		agg->dims[i].field = agg->shape.by[i];
		rep_map_init(&agg->dims[i].groups);
	}
	agg->backlog_age = tend_sketch_new(agg->shape.alpha);
	rep_top_init(&agg->breaches, (size_t)agg->shape.top, 1);
	rep_top_init(&agg->negative, (size_t)agg->shape.top, 0);
	rep_top_init(&agg->positive, (size_t)agg->shape.top, 1);
	rep_map_init(&agg->agents);
	rep_map_init(&agg->agent_waits);
	rep_map_init(&agg->escalations);
	rep_map_init(&agg->alerts);
	rep_map_init(&agg->surveys);
	agg->trend_cur = tend_topk_new(REP_TOPK_M);
	agg->trend_prev = tend_topk_new(REP_TOPK_M);
	agg->nslots = (size_t)(86400 / agg->shape.interval);
	agg->slots = tend_xcalloc(agg->nslots, sizeof(*agg->slots));
	tend_tokens_init(&agg->tokens);
	return 0;
}

void
rep_agg_release(struct rep_agg *agg)
{
	size_t i;

	tend_tz_free(agg->tz);
	rep_stats_release(&agg->all);
	for (i = 0; i < agg->shape.nby; i++)
		if (agg->dims[i].groups.m)
			rep_map_release(&agg->dims[i].groups, free_group);
	free(agg->buckets);
	tend_sketch_free(agg->backlog_age);
	rep_top_release(&agg->breaches);
	rep_top_release(&agg->negative);
	rep_top_release(&agg->positive);
	if (agg->agents.m) {
		rep_map_release(&agg->agents, free);
		rep_map_release(&agg->agent_waits, free_sketch);
		rep_map_release(&agg->escalations, free);
		rep_map_release(&agg->alerts, free);
		rep_map_release(&agg->surveys, free);
	}
	tend_topk_free(agg->trend_cur);
	tend_topk_free(agg->trend_prev);
	free(agg->slots);
	free(agg->days);
	tend_buf_release(&agg->id);
	tend_buf_release(&agg->channel);
	tend_buf_release(&agg->s1);
	tend_buf_release(&agg->s2);
	tend_buf_release(&agg->s3);
	tend_tokens_release(&agg->tokens);
	rep_shape_release(&agg->shape);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t
local_of(const struct rep_agg *agg, int64_t t)
{
	return agg->tz ? t + tend_tz_offset(agg->tz, t) : t;
}

int64_t
rep_bucket_of(const struct rep_agg *agg, int64_t t)
{
	int64_t local = local_of(agg, t);

	switch (agg->shape.bucket) {
	case REP_HOUR:
		return floor_div(local, 3600) * 3600;
	case REP_DAY:
		return floor_div(local, 86400) * 86400;
	default:	/* weeks start on Monday; 1970-01-01 was a Thursday */
		return (floor_div(floor_div(local, 86400) + 3, 7) * 7 - 3) *
		    86400;
	}
}

struct rep_bucket_stats *
rep_agg_bucket(struct rep_agg *agg, int64_t start)
{
	size_t lo = 0, hi = agg->nbuckets, mid;

	if (hi && agg->buckets[hi - 1].start == start)
		return &agg->buckets[hi - 1];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (agg->buckets[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < agg->nbuckets && agg->buckets[lo].start == start)
		return &agg->buckets[lo];
	tend_xgrow((void **)&agg->buckets, &agg->buckets_cap,
	    agg->nbuckets + 1, sizeof(*agg->buckets));
	memmove(&agg->buckets[lo + 1], &agg->buckets[lo],
	    (agg->nbuckets - lo) * sizeof(*agg->buckets));
	memset(&agg->buckets[lo], 0, sizeof(*agg->buckets));
	agg->buckets[lo].start = start;
	agg->nbuckets++;
	return &agg->buckets[lo];
}

void
rep_agg_note_day(struct rep_agg *agg, int64_t day)
{
	size_t lo = 0, hi = agg->ndays, mid;

	if (hi && agg->days[hi - 1] == day)
		return;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (agg->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < agg->ndays && agg->days[lo] == day)
		return;
	tend_xgrow((void **)&agg->days, &agg->days_cap, agg->ndays + 1,
	    sizeof(*agg->days));
	memmove(&agg->days[lo + 1], &agg->days[lo],
	    (agg->ndays - lo) * sizeof(*agg->days));
	agg->days[lo] = day;
	agg->ndays++;
}

static int
word_index(const char *s, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return i;
	return -1;
}

static double
get_secs(struct tend_record *rec, const char *path)
{
	double v;

	if (tend_record_get_num(rec, path, &v) < 0 || !(v >= 0))
		return NAN;
	return v;
}

/* The largest breach of the sla.breaches array, from its bytes. */
static int
worst_breach(struct tend_record *rec, struct tend_buf *clock, double *by)
{
	json_t *arr, *b, *v;
	size_t i;
	int found = 0;

	if (rec->root) {
		arr = json_object_get(json_object_get(rec->root, "sla"),
		    "breaches");
		json_incref(arr);
	} else {
		struct tend_jval val = tend_jview_get(&rec->view,
		    "sla.breaches");

		if (val.type != TEND_JARRAY)
			return 0;
		arr = json_loadb(rec->line + val.start, val.end - val.start,
		    0, NULL);
	}
	json_array_foreach(arr, i, b) {
		v = json_object_get(b, "by_secs");
		if (!json_is_number(v) || json_number_value(v) < 0)
			continue;
		if (!found || json_number_value(v) > *by) {
			*by = json_number_value(v);
			tend_buf_reset(clock);
			if (json_is_string(json_object_get(b, "clock")))
				tend_buf_adds(clock, json_string_value(
				    json_object_get(b, "clock")));
			found = 1;
		}
	}
	json_decref(arr);
	return found;
}

/* Post text for a top list: at most REP_TEXT_MAX bytes, cut at a
 * character boundary, "…" when cut. */
static const char *
short_text(struct tend_record *rec, struct tend_buf *buf)
{
	const char *s = tend_record_get_str(rec, "text", buf);
	size_t n;

	if (!s)
		return "";
	if (buf->len <= REP_TEXT_MAX)
		return s;
	n = REP_TEXT_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	buf->len = n;
	buf->data[n] = '\0';
	tend_buf_adds(buf, "\xE2\x80\xA6");
	return buf->data;
}

static void
offer_breach(struct rep_agg *agg, struct tend_record *rec, const char *id,
    const char *channel)
{
	struct rep_entry e;
	double by;

	if (!agg->shape.top || !worst_breach(rec, &agg->s3, &by))
		return;
	e.id = (char *)id;
	e.channel = (char *)channel;
	e.label = agg->s3.data ? agg->s3.data : "";
	e.text = "";
	e.created_at = rec->created_at.sec;
	e.value = by;
	rep_top_offer(&agg->breaches, &e);
}

static void
offer_sentiment(struct rep_agg *agg, struct tend_record *rec,
    const char *id, const char *channel, double score)
{
	struct rep_entry e;
	struct rep_top *t = score < 0 ? &agg->negative : score > 0 ?
	    &agg->positive : NULL;
	const char *handle;

	if (!t || !t->cap || (t->n == t->cap && (t->desc ?
	    score < t->v[t->n - 1].value : score > t->v[t->n - 1].value)))
		return;
	handle = tend_record_get_str(rec, "author.handle", &agg->s2);
	e.id = (char *)id;
	e.channel = (char *)channel;
	e.label = (char *)(handle ? handle : "");
	e.created_at = rec->created_at.sec;
	e.value = score;
	e.text = tend_xstrdup(short_text(rec, &agg->s3));
	rep_top_offer(t, &e);
	free(e.text);
}

static void
add_trend(struct rep_agg *agg, struct tend_record *rec, int period)
{
	struct tend_topk *t = period == 1 ? agg->trend_cur : agg->trend_prev;
	const char *text = tend_record_get_str(rec, "text", &agg->s3);
	struct tend_tokens *tk = &agg->tokens;
	size_t i;

	if (!text)
		return;
	tend_text_tokenize(tk, text, agg->s3.len, NULL, 0);
	for (i = 0; i < tk->n; i++) {
		const char *w = tend_token_text(tk, i);
		size_t n = strlen(w);

		if (tk->v[i].kind == TEND_TOKEN_WORD && n >= 3) {
			tend_topk_add(t, w, n, 1);
		} else if (tk->v[i].kind == TEND_TOKEN_HASHTAG && n) {
			tend_buf_reset(&agg->s2);
			tend_buf_addc(&agg->s2, '#');
			tend_buf_add(&agg->s2, w, n);
			tend_topk_add(t, agg->s2.data, agg->s2.len, 1);
		}
	}
}

static int
period_of(const struct rep_agg *agg, int64_t t)
{
	int64_t now = agg->shape.now, p = agg->shape.period;

	if (t < now && t >= now - p)
		return 1;
	if (t < now - p && t >= now - 2 * p)
		return 2;
	return 0;
}

/* First and next response, and the service levels. */
static void
response_figures(struct rep_agg *agg, struct tend_record *rec,
    struct contrib *c)
{
	int64_t age = agg->shape.now - rec->created_at.sec;
	size_t i;

	c->fr_cal = get_secs(rec, "sla.first_response_secs.calendar");
	c->fr_wall = get_secs(rec, "sla.first_response_secs.wall");
	c->nr_cal = get_secs(rec, "sla.response_secs.calendar");
	c->nr_wall = get_secs(rec, "sla.response_secs.wall");
	if (!isnan(c->fr_wall)) {
		c->answered = 1;
		for (i = 0; i < agg->shape.nsl; i++)
			c->within[i] = c->fr_wall <=
			    (double)agg->shape.sl[i].secs;
	} else if (c->status >= REP_PENDING && tend_record_get_str(rec,
	    "sla.due.first_response", &agg->s1)) {
		c->unanswered = 1;
		for (i = 0; i < agg->shape.nsl; i++)
			c->waiting[i] = age > agg->shape.sl[i].secs;
	}
}

static void
sentiment_figures(struct rep_agg *agg, struct tend_record *rec,
    struct contrib *c, const char *id, const char *channel)
{
	const char *label = tend_record_get_str(rec, "class.sentiment.label",
	    &agg->s1);
	double score;

	if (label)
		c->sent = word_index(label, rep_sentiment_names);
	if (tend_record_get_num(rec, "class.sentiment.score", &score) < 0 ||
	    !isfinite(score) || fabs(score) > 1e6)
		return;
	c->scored = 1;
	c->score = (int64_t)llround(score * 10000);
	offer_sentiment(agg, rec, id, channel, (double)c->score / 10000);
}

static void
customer_figures(struct rep_agg *agg, struct tend_record *rec,
    struct contrib *c, const char *id, const char *channel)
{
	const char *s, *thread;
	struct tend_time at;
	int64_t t = rec->created_at.sec;
	int resolved = 0;

	c->customer = 1;
	if ((s = tend_record_get_str(rec, "sla.status", &agg->s1)))
		c->status = word_index(s, rep_status_names);
	response_figures(agg, rec, c);
	if ((s = tend_record_get_str(rec, "sla.resolved_at", &agg->s1))) {
		resolved = 1;
		thread = tend_record_get_str(rec, "thread", &agg->s2);
		if ((!thread || strcmp(thread, id) == 0) &&
		    tend_time_parse_rfc3339(s, agg->s1.len, &at) == 0 &&
		    at.sec >= t)
			c->resolve = (double)(at.sec - t);
	}
	if (c->status >= REP_PENDING && !resolved) {
		c->backlog = 1;
		tend_sketch_add(agg->backlog_age, agg->shape.now > t ?
		    (double)(agg->shape.now - t) : 0);
	}
	if (c->status == REP_BREACHED)
		offer_breach(agg, rec, id, channel);
	c->period = period_of(agg, t);
	sentiment_figures(agg, rec, c, id, channel);
	if (c->period)
		add_trend(agg, rec, c->period);
}

static void
staffing_figures(struct rep_agg *agg, struct tend_record *rec,
    const char *channel, const char *vis)
{
	int64_t local = local_of(agg, rec->created_at.sec);
	int64_t day = floor_div(local, 86400);
	size_t slot = (size_t)((local - day * 86400) / agg->shape.interval);
	int live = strcmp(channel, "chat") == 0 ||
	    strcmp(channel, "phone") == 0 ||
	    (vis && strcmp(vis, "private") == 0);

	agg->slots[slot][live ? 0 : 1]++;
	rep_agg_note_day(agg, day);
}

/* The sketch of agent's waits in agg (made on first use). */
struct tend_sketch *
rep_agent_waits(struct rep_agg *agg, const char *agent)
{
	void **slot = map_slot(&agg->agent_waits, agent, strlen(agent));

	if (!*slot)
		*slot = tend_sketch_new(agg->shape.alpha);
	return *slot;
}

static void
reply_figures(struct rep_agg *agg, struct tend_record *rec)
{
	const char *agent = tend_record_get_str(rec, "sla.agent", &agg->s1);
	void **slot;
	struct rep_agent *a;
	double wait;

	if (!agent)
		agent = REP_NONE;
	slot = map_slot(&agg->agents, agent, strlen(agent));
	if (!(a = *slot))
		a = *slot = tend_xcalloc(1, sizeof(*a));
	a->replies++;
	if (tend_record_is_true(rec, "sla.counts"))
		a->answers++;
	/* the reply that answered a clock carries the wait it ended */
	if (tend_record_get_num(rec, "sla.first_response_secs.wall",
	    &wait) == 0 || tend_record_get_num(rec,
	    "sla.response_secs.wall", &wait) == 0)
		if (wait >= 0)
			tend_sketch_add(rep_agent_waits(agg, agent), wait);
}

struct dim_walk {
	struct rep_agg *agg;
	struct rep_dim *dim;
	const struct contrib *c;
	int n;
};

static void
dim_value(void *arg, const char *s, size_t n)
{
	struct dim_walk *w = arg;

	stats_apply(&rep_dim_group(w->agg, w->dim, s, n)->st, w->c,
	    w->agg->shape.nsl);
	w->n++;
}

static void
add_to_groups(struct rep_agg *agg, struct tend_record *rec,
    const struct contrib *c)
{
	struct dim_walk w;
	const char *s;
	long long v;
	size_t i;

	w.agg = agg;
	w.c = c;
	for (i = 0; i < agg->shape.nby; i++) {
		w.dim = &agg->dims[i];
		w.n = 0;
		tend_record_each_str(rec, w.dim->field, dim_value, &w);
		if (w.n)
			continue;
		if ((s = tend_record_get_str(rec, w.dim->field, &agg->s3))) {
			dim_value(&w, s, agg->s3.len);
		} else if (tend_record_get_int(rec, w.dim->field, &v) == 0) {
			tend_buf_reset(&agg->s3);
			tend_buf_printf(&agg->s3, "%lld", v);
			dim_value(&w, agg->s3.data, agg->s3.len);
		} else {
			dim_value(&w, REP_NONE, strlen(REP_NONE));
		}
	}
}

static void
add_post(struct rep_agg *agg, struct tend_record *rec)
{
	const char *actor, *vis, *id, *channel;
	struct rep_bucket_stats *b;
	struct contrib c;

	vis = tend_record_get_str(rec, "visibility", &agg->s2);
	if (vis && strcmp(vis, "internal") == 0) {
		agg->notes++;
		return;
	}
	actor = tend_record_get_str(rec, "actor", &agg->s1);
	if (actor && strcmp(actor, "system") == 0) {
		agg->system++;
		return;
	}
	memset(&c, 0, sizeof(c));
	c.status = c.sent = -1;
	c.fr_cal = c.fr_wall = c.nr_cal = c.nr_wall = c.resolve = NAN;
	c.reply = actor && strcmp(actor, "customer") != 0;
	id = tend_record_get_str(rec, "id", &agg->id);
	channel = tend_record_get_str(rec, "channel", &agg->channel);
	if (c.reply) {
		reply_figures(agg, rec);
	} else {
		staffing_figures(agg, rec, channel, vis);
		customer_figures(agg, rec, &c, id, channel);
	}
	stats_apply(&agg->all, &c, agg->shape.nsl);
	b = rep_agg_bucket(agg, rep_bucket_of(agg, rec->created_at.sec));
	if (c.reply) {
		b->replies++;
	} else {
		b->inbound++;
		b->neg += c.sent == REP_NEGATIVE;
		if (c.scored) {
			b->sent_n++;
			b->sent_sum += c.score;
		}
	}
	add_to_groups(agg, rec, &c);
}

static void
add_survey(struct rep_agg *agg, struct tend_record *rec)
{
	const char *channel = tend_record_get_str(rec, "channel", &agg->channel);
	const char *scale = tend_record_get_str(rec, "scale", &agg->s1);
	void **slot = map_slot(&agg->surveys, channel, agg->channel.len);
	struct rep_survey *sv;
	double score;
	int nps;

	if (!(sv = *slot))
		sv = *slot = tend_xcalloc(1, sizeof(*sv));
	if (!scale || (strcmp(scale, "nps") != 0 &&
	    strcmp(scale, "csat") != 0)) {
		sv->unknown++;
		return;
	}
	nps = strcmp(scale, "nps") == 0;
	if (tend_record_get_num(rec, "score", &score) < 0 ||
	    score != floor(score) || score < (nps ? 0 : 1) ||
	    score > (nps ? 10 : 5)) {
		sv->invalid++;
		return;
	}
	if (nps)
		sv->nps[(int)score]++;
	else
		sv->csat[(int)score - 1]++;
}

static void
add_escalation(struct rep_agg *agg, struct tend_record *rec)
{
	const char *team = tend_record_get_str(rec, "escalation.team",
	    &agg->s1);
	long long level;

	if (!team)
		return;
	tend_buf_addc(&agg->s1, '\037');
	if (tend_record_get_int(rec, "escalation.level", &level) == 0)
		tend_buf_printf(&agg->s1, "%lld", level);
	else
		tend_buf_adds(&agg->s1, REP_NONE);
	(*map_counter(&agg->escalations, agg->s1.data, agg->s1.len))++;
}

void
rep_agg_add(struct rep_agg *agg, struct tend_record *rec)
{
	const char *kind = tend_record_get_str(rec, "kind", &agg->s1);
	int k = kind ? word_index(kind, tend_kinds) : 0;
	int64_t t = rec->created_at.sec;

	if (k < 0)
		k = 0;
	agg->records++;
	agg->kinds[k]++;
	if (t < agg->first)
		agg->first = t;
	if (t > agg->last)
		agg->last = t;
	add_escalation(agg, rec);
	if (k == 0) {
		add_post(agg, rec);
	} else if (k == 2) {
		add_survey(agg, rec);
	} else if (k == 3) {
		kind = tend_record_get_str(rec, "alert.kind", &agg->s1);
		if (!kind)
			kind = REP_NONE;
		(*map_counter(&agg->alerts, kind, strlen(kind)))++;
	}
}

static void
merge_counters(struct rep_map *dst, const struct rep_map *src, size_t n)
{
	size_t i, j;

	for (i = 0; i < src->n; i++) {
		void **slot = map_slot(dst, src->keys[i], strlen(src->keys[i]));
		const uint64_t *from = src->vals[i];
		uint64_t *to;

		if (!*slot)
			*slot = tend_xcalloc(n, sizeof(uint64_t));
		to = *slot;
		for (j = 0; j < n; j++)
			to[j] += from[j];
	}
}

static void
merge_tops(struct rep_top *dst, const struct rep_top *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		rep_top_offer(dst, &src->v[i]);
}

void
rep_agg_merge(struct rep_agg *dst, const struct rep_agg *src)
{
	size_t i, j;

	dst->records += src->records;
	for (i = 0; i < 4; i++)
		dst->kinds[i] += src->kinds[i];
	dst->notes += src->notes;
	dst->system += src->system;
	if (src->first < dst->first)
		dst->first = src->first;
	if (src->last > dst->last)
		dst->last = src->last;
	rep_stats_merge(&dst->all, &src->all, dst->shape.nsl);
	for (i = 0; i < dst->shape.nby; i++) {
		const struct rep_map *g = &src->dims[i].groups;

		for (j = 0; j < g->n; j++) {
			const struct rep_group *sg = g->vals[j];

			rep_stats_merge(&rep_dim_group(dst, &dst->dims[i],
			    sg->key, strlen(sg->key))->st, &sg->st,
			    dst->shape.nsl);
		}
	}
	for (i = 0; i < src->nbuckets; i++) {
		const struct rep_bucket_stats *s = &src->buckets[i];
		struct rep_bucket_stats *d = rep_agg_bucket(dst, s->start);

		d->inbound += s->inbound;
		d->replies += s->replies;
		d->sent_n += s->sent_n;
		d->neg += s->neg;
		d->sent_sum += s->sent_sum;
	}
	tend_sketch_merge(dst->backlog_age, src->backlog_age);
	merge_tops(&dst->breaches, &src->breaches);
	merge_tops(&dst->negative, &src->negative);
	merge_tops(&dst->positive, &src->positive);
	merge_counters(&dst->agents, &src->agents, 2);
	for (i = 0; i < src->agent_waits.n; i++)
		tend_sketch_merge(rep_agent_waits(dst, src->agent_waits.keys[i]),
		    src->agent_waits.vals[i]);
	merge_counters(&dst->escalations, &src->escalations, 1);
	merge_counters(&dst->alerts, &src->alerts, 1);
	merge_counters(&dst->surveys, &src->surveys,
	    sizeof(struct rep_survey) / sizeof(uint64_t));
	tend_topk_merge(dst->trend_cur, src->trend_cur);
	tend_topk_merge(dst->trend_prev, src->trend_prev);
	for (i = 0; i < dst->nslots; i++) {
		dst->slots[i][0] += src->slots[i][0];
		dst->slots[i][1] += src->slots[i][1];
	}
	for (i = 0; i < src->ndays; i++)
		rep_agg_note_day(dst, src->days[i]);
}
