/* partial.c: an aggregate as JSON, and back (tend-report(1): --partial,
 * --merge).
 *
 * A partial is one JSON object: "format" and "version", the "shape" (the
 * options that decide what is counted where: two partials merge only when
 * their shapes are equal), then every counter, sketch and list of the
 * aggregate.  Reading one back checks every member, since a partial may
 * come from anywhere: a bad one is refused with the member that is wrong,
 * never half merged.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "report.h"

/* Instants and sums are kept within these, so that adding a few
 * partials cannot overflow and every time has a calendar date. */
#define TIME_MIN (-62135596800LL)	/* 0001-01-01T00:00:00Z */
#define TIME_MAX 253402300799LL		/* 9999-12-31T23:59:59Z */
#define SUM_MAX (1LL << 52)

static json_t *
count_array(const uint64_t *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)v[i]));
	return a;
}

static json_t *
stats_to_json(const struct rep_stats *st, size_t nsl)
{
	json_t *o = json_object();

	json_object_set_new(o, "inbound", json_integer((json_int_t)st->inbound));
	json_object_set_new(o, "replies", json_integer((json_int_t)st->replies));
	json_object_set_new(o, "status", count_array(st->status, REP_NSTATUS));
	json_object_set_new(o, "backlog", json_integer((json_int_t)st->backlog));
	json_object_set_new(o, "fr_cal", tend_sketch_to_json(st->fr_cal));
	json_object_set_new(o, "fr_wall", tend_sketch_to_json(st->fr_wall));
	json_object_set_new(o, "nr_cal", tend_sketch_to_json(st->nr_cal));
	json_object_set_new(o, "nr_wall", tend_sketch_to_json(st->nr_wall));
	json_object_set_new(o, "resolve", tend_sketch_to_json(st->resolve));
	json_object_set_new(o, "sl_eligible",
	    json_integer((json_int_t)st->sl_eligible));
	json_object_set_new(o, "sl_within", count_array(st->sl_within, nsl));
	json_object_set_new(o, "sl_waiting", count_array(st->sl_waiting, nsl));
	json_object_set_new(o, "unanswered",
	    json_integer((json_int_t)st->unanswered));
	json_object_set_new(o, "sent", count_array(st->sent, REP_NSENT));
	json_object_set_new(o, "sent_n", json_integer((json_int_t)st->sent_n));
	json_object_set_new(o, "sent_sum", json_integer(st->sent_sum));
	json_object_set_new(o, "cur_n", json_integer((json_int_t)st->cur_n));
	json_object_set_new(o, "cur_sum", json_integer(st->cur_sum));
	json_object_set_new(o, "prev_n", json_integer((json_int_t)st->prev_n));
	json_object_set_new(o, "prev_sum", json_integer(st->prev_sum));
	return o;
}

static json_t *
shape_to_json(const struct rep_shape *s)
{
	json_t *o = json_object(), *sl = json_array(), *by = json_array();
	size_t i;

	json_object_set_new(o, "alpha", json_real(s->alpha));
	json_object_set_new(o, "zone", json_string(s->zone));
	json_object_set_new(o, "bucket",
	    json_string(rep_bucket_names[s->bucket]));
	for (i = 0; i < s->nsl; i++)
		json_array_append_new(sl, json_pack("[fI]", s->sl[i].pct,
		    (json_int_t)s->sl[i].secs));
	json_object_set_new(o, "sl", sl);
	for (i = 0; i < s->nby; i++)
		json_array_append_new(by, json_string(s->by[i]));
	json_object_set_new(o, "by", by);
	json_object_set_new(o, "now", json_integer(s->now));
	json_object_set_new(o, "period", json_integer(s->period));
	json_object_set_new(o, "interval", json_integer(s->interval));
	json_object_set_new(o, "top", json_integer(s->top));
	return o;
}

static json_t *
top_to_json(const struct rep_top *t)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct rep_entry *e = &t->v[i];

		json_array_append_new(a, json_pack("[ssssIf]", e->id,
		    e->channel, e->label, e->text, (json_int_t)e->created_at,
		    e->value));
	}
	return a;
}

/* [[KEY, N...], ...] of a map of n counters a key. */
static json_t *
counters_to_json(const struct rep_map *m, size_t n)
{
	json_t *a = json_array(), *row;
	size_t i, j;

	for (i = 0; i < m->n; i++) {
		const uint64_t *v = m->vals[i];

		row = json_array();
		json_array_append_new(row, json_string(m->keys[i]));
		for (j = 0; j < n; j++)
			json_array_append_new(row, json_integer((json_int_t)v[j]));
		json_array_append_new(a, row);
	}
	return a;
}

/* [[AGENT, SKETCH], ...] */
static json_t *
agent_waits_to_json(const struct rep_agg *agg)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < agg->agent_waits.n; i++)
		json_array_append_new(a, json_pack("[so]",
		    agg->agent_waits.keys[i],
		    tend_sketch_to_json(agg->agent_waits.vals[i])));
	return a;
}

static json_t *
groups_to_json(const struct rep_agg *agg)
{
	json_t *a = json_array(), *dim, *values;
	size_t i, j;

	for (i = 0; i < agg->shape.nby; i++) {
		const struct rep_map *g = &agg->dims[i].groups;

		values = json_array();
		for (j = 0; j < g->n; j++) {
			const struct rep_group *gr = g->vals[j];

			json_array_append_new(values, json_pack("[so]", gr->key,
			    stats_to_json(&gr->st, agg->shape.nsl)));
		}
		dim = json_object();
		json_object_set_new(dim, "field", json_string(agg->dims[i].field));
		json_object_set_new(dim, "values", values);
		json_array_append_new(a, dim);
	}
	return a;
}

static json_t *
buckets_to_json(const struct rep_agg *agg)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < agg->nbuckets; i++) {
		const struct rep_bucket_stats *b = &agg->buckets[i];

		json_array_append_new(a, json_pack("[IIIIII]",
		    (json_int_t)b->start, (json_int_t)b->inbound,
		    (json_int_t)b->replies, (json_int_t)b->sent_n,
		    (json_int_t)b->neg, (json_int_t)b->sent_sum));
	}
	return a;
}

json_t *
rep_partial_to_json(const struct rep_agg *agg)
{
	json_t *o = json_object(), *slots = json_array(), *days = json_array();
	size_t i;

	json_object_set_new(o, "format", json_string(REP_PARTIAL_FORMAT));
	json_object_set_new(o, "version", json_integer(REP_PARTIAL_VERSION));
	json_object_set_new(o, "shape", shape_to_json(&agg->shape));
	json_object_set_new(o, "records", json_integer((json_int_t)agg->records));
	json_object_set_new(o, "kinds", count_array(agg->kinds, 4));
	json_object_set_new(o, "notes", json_integer((json_int_t)agg->notes));
	json_object_set_new(o, "system", json_integer((json_int_t)agg->system));
	json_object_set_new(o, "first", agg->first <= agg->last ?
	    json_integer(agg->first) : json_null());
	json_object_set_new(o, "last", agg->first <= agg->last ?
	    json_integer(agg->last) : json_null());
	json_object_set_new(o, "all", stats_to_json(&agg->all, agg->shape.nsl));
	json_object_set_new(o, "groups", groups_to_json(agg));
	json_object_set_new(o, "buckets", buckets_to_json(agg));
	json_object_set_new(o, "backlog_age",
	    tend_sketch_to_json(agg->backlog_age));
	json_object_set_new(o, "breaches", top_to_json(&agg->breaches));
	json_object_set_new(o, "negative", top_to_json(&agg->negative));
	json_object_set_new(o, "positive", top_to_json(&agg->positive));
	json_object_set_new(o, "agents", counters_to_json(&agg->agents, 2));
	json_object_set_new(o, "agent_waits", agent_waits_to_json(agg));
	json_object_set_new(o, "escalations",
	    counters_to_json(&agg->escalations, 1));
	json_object_set_new(o, "alerts", counters_to_json(&agg->alerts, 1));
	json_object_set_new(o, "surveys", counters_to_json(&agg->surveys,
	    sizeof(struct rep_survey) / sizeof(uint64_t)));
	json_object_set_new(o, "trend_cur", tend_topk_to_json(agg->trend_cur));
	json_object_set_new(o, "trend_prev",
	    tend_topk_to_json(agg->trend_prev));
	for (i = 0; i < agg->nslots; i++)
		json_array_append_new(slots, json_pack("[II]",
		    (json_int_t)agg->slots[i][0], (json_int_t)agg->slots[i][1]));
	json_object_set_new(o, "slots", slots);
	for (i = 0; i < agg->ndays; i++)
		json_array_append_new(days, json_integer(agg->days[i]));
	json_object_set_new(o, "days", days);
	return o;
}

/* Reading.  Every helper returns 0, or -1 with err->text set to what is
 * wrong, prefixed with the member's name. */

static int
fail(struct tend_error *err, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct tend_error *err, const char *name, const char *fmt, ...)
{
	char what[TEND_ERROR_TEXT - 80];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err->text, sizeof(err->text), "\"%.64s\": %s", name, what);
	return -1;
}

static const json_t *
member(const json_t *o, const char *name, struct tend_error *err)
{
	const json_t *v = json_object_get(o, name);

	if (!v)
		fail(err, name, "missing");
	return v;
}

static int
read_int(const json_t *o, const char *name, long long lo, long long hi,
    long long *out, struct tend_error *err)
{
	const json_t *v = member(o, name, err);

	if (!v)
		return -1;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return fail(err, name, "not an integer from %lld to %lld", lo,
		    hi);
	*out = json_integer_value(v);
	return 0;
}

static int
read_count(const json_t *o, const char *name, uint64_t *out,
    struct tend_error *err)
{
	long long v;

	if (read_int(o, name, 0, SUM_MAX, &v, err) < 0)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

static int
read_sum(const json_t *o, const char *name, int64_t *out,
    struct tend_error *err)
{
	long long v;

	if (read_int(o, name, -SUM_MAX, SUM_MAX, &v, err) < 0)
		return -1;
	*out = v;
	return 0;
}

/* An array of exactly n counts (n 0: any length up to max, in *got). */
static int
read_counts(const json_t *a, const char *name, uint64_t *out, size_t n,
    struct tend_error *err)
{
	size_t i;

	if (!json_is_array(a) || json_array_size(a) != n)
		return fail(err, name, "not an array of %zu counts", n);
	for (i = 0; i < n; i++) {
		const json_t *v = json_array_get(a, i);

		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > SUM_MAX)
			return fail(err, name, "item %zu is not a count", i);
		out[i] = (uint64_t)json_integer_value(v);
	}
	return 0;
}

/* The sketch v (member name of its object) into *sk, checked against the
 * shape's alpha. */
static int
read_sketch_value(const json_t *v, const char *name, double alpha,
    struct tend_sketch **sk, struct tend_error *err)
{
	struct tend_sketch *s;

	if (!(s = tend_sketch_from_json(v, err)))
		return fail(err, name, "%s", err->text);
	if (tend_sketch_alpha(s) != alpha) {
		double a = tend_sketch_alpha(s);

		tend_sketch_free(s);
		return fail(err, name, "alpha %g, not the shape's %g", a,
		    alpha);
	}
	tend_sketch_free(*sk);
	*sk = s;
	return 0;
}

static int
read_sketch(const json_t *o, const char *name, double alpha,
    struct tend_sketch **sk, struct tend_error *err)
{
	const json_t *v = member(o, name, err);

	return v ? read_sketch_value(v, name, alpha, sk, err) : -1;
}

static int
read_stats(const json_t *o, struct rep_stats *st, const struct rep_agg *agg,
    struct tend_error *err)
{
	double a = agg->shape.alpha;
	size_t nsl = agg->shape.nsl;

	if (!json_is_object(o))
		return fail(err, "stats", "not an object");
	if (read_count(o, "inbound", &st->inbound, err) < 0 ||
	    read_count(o, "replies", &st->replies, err) < 0 ||
	    read_counts(member(o, "status", err), "status", st->status,
	    REP_NSTATUS, err) < 0 ||
	    read_count(o, "backlog", &st->backlog, err) < 0 ||
	    read_sketch(o, "fr_cal", a, &st->fr_cal, err) < 0 ||
	    read_sketch(o, "fr_wall", a, &st->fr_wall, err) < 0 ||
	    read_sketch(o, "nr_cal", a, &st->nr_cal, err) < 0 ||
	    read_sketch(o, "nr_wall", a, &st->nr_wall, err) < 0 ||
	    read_sketch(o, "resolve", a, &st->resolve, err) < 0 ||
	    read_count(o, "sl_eligible", &st->sl_eligible, err) < 0 ||
	    read_counts(member(o, "sl_within", err), "sl_within",
	    st->sl_within, nsl, err) < 0 ||
	    read_counts(member(o, "sl_waiting", err), "sl_waiting",
	    st->sl_waiting, nsl, err) < 0 ||
	    read_count(o, "unanswered", &st->unanswered, err) < 0 ||
	    read_counts(member(o, "sent", err), "sent", st->sent, REP_NSENT,
	    err) < 0 ||
	    read_count(o, "sent_n", &st->sent_n, err) < 0 ||
	    read_sum(o, "sent_sum", &st->sent_sum, err) < 0 ||
	    read_count(o, "cur_n", &st->cur_n, err) < 0 ||
	    read_sum(o, "cur_sum", &st->cur_sum, err) < 0 ||
	    read_count(o, "prev_n", &st->prev_n, err) < 0 ||
	    read_sum(o, "prev_sum", &st->prev_sum, err) < 0)
		return -1;
	return 0;
}

static int
read_sl(const json_t *a, struct rep_shape *s, struct tend_error *err)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > REP_MAX_SL)
		return fail(err, "sl", "not an array of at most %d levels",
		    REP_MAX_SL);
	json_array_foreach(a, i, v) {
		const json_t *pct = json_array_get(v, 0);
		const json_t *secs = json_array_get(v, 1);

		if (json_array_size(v) != 2 || !json_is_number(pct) ||
		    !(json_number_value(pct) > 0) ||
		    json_number_value(pct) > 100 || !json_is_integer(secs) ||
		    json_integer_value(secs) < 0 ||
		    json_integer_value(secs) > TIME_MAX)
			return fail(err, "sl", "item %zu is not [PCT, SECONDS]",
			    i);
		s->sl[i].pct = json_number_value(pct);
		s->sl[i].secs = json_integer_value(secs);
	}
	s->nsl = json_array_size(a);
	return 0;
}

static int
read_by(const json_t *a, struct rep_shape *s, struct tend_error *err)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) > REP_MAX_BY)
		return fail(err, "by", "not an array of at most %d fields",
		    REP_MAX_BY);
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || !json_string_length(v) ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return fail(err, "by", "item %zu is not a field name",
			    i);
		s->by[s->nby++] = tend_xstrdup(json_string_value(v));
	}
	return 0;
}

static int
read_shape(const json_t *o, struct rep_shape *s, struct tend_error *err)
{
	const json_t *v;
	long long n;
	int b;

	memset(s, 0, sizeof(*s));
	if (!json_is_object(o))
		return fail(err, "shape", "not an object");
	v = json_object_get(o, "alpha");
	if (!json_is_number(v) || (json_number_value(v) != 0 &&
	    json_number_value(v) != TEND_SKETCH_ALPHA))
		return fail(err, "alpha", "not 0 (exact) or %g",
		    TEND_SKETCH_ALPHA);
	s->alpha = json_number_value(v);
	v = json_object_get(o, "zone");
	if (!json_is_string(v))
		return fail(err, "zone", "not a string");
	s->zone = tend_xstrdup(json_string_value(v));
	v = json_object_get(o, "bucket");
	for (b = 0; rep_bucket_names[b]; b++)
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), rep_bucket_names[b]) == 0)
			break;
	if (!rep_bucket_names[b])
		return fail(err, "bucket", "not hour, day or week");
	s->bucket = (enum rep_bucket)b;
	if (read_sl(json_object_get(o, "sl"), s, err) < 0 ||
	    read_by(json_object_get(o, "by"), s, err) < 0 ||
	    read_int(o, "now", TIME_MIN, TIME_MAX, &n, err) < 0)
		return -1;
	s->now = n;
	if (read_int(o, "period", 1, TIME_MAX, &n, err) < 0)
		return -1;
	s->period = n;
	if (read_int(o, "interval", 60, 86400, &n, err) < 0)
		return -1;
	if (86400 % n)
		return fail(err, "interval", "%lld does not divide a day", n);
	s->interval = n;
	if (read_int(o, "top", 0, REP_MAX_TOP, &n, err) < 0)
		return -1;
	s->top = (int)n;
	return 0;
}

static int
read_time(const json_t *o, const char *name, int64_t *out, int64_t none,
    struct tend_error *err)
{
	long long v;

	if (json_is_null(json_object_get(o, name))) {
		*out = none;
		return 0;
	}
	if (read_int(o, name, TIME_MIN, TIME_MAX, &v, err) < 0)
		return -1;
	*out = v;
	return 0;
}

static int
read_groups(const json_t *a, struct rep_agg *agg, struct tend_error *err)
{
	const json_t *dim, *values, *v;
	size_t i, j;

	if (!json_is_array(a) || json_array_size(a) != agg->shape.nby)
		return fail(err, "groups", "not an array of %zu fields",
		    agg->shape.nby);
	json_array_foreach(a, i, dim) {
		v = json_object_get(dim, "field");
		if (!json_is_string(v) ||
		    strcmp(json_string_value(v), agg->shape.by[i]) != 0)
			return fail(err, "groups", "field %zu is not \"%.64s\"",
			    i, agg->shape.by[i]);
		values = json_object_get(dim, "values");
		if (!json_is_array(values))
			return fail(err, "values", "not an array");
		json_array_foreach(values, j, v) {
			const json_t *key = json_array_get(v, 0);
			struct rep_stats st;
			int rc;

			if (json_array_size(v) != 2 || !json_is_string(key))
				return fail(err, "values",
				    "item %zu is not [KEY, STATS]", j);
			rep_stats_init(&st, agg->shape.alpha);
			rc = read_stats(json_array_get(v, 1), &st, agg, err);
			if (rc == 0)
				rep_stats_merge(&rep_dim_group(agg,
				    &agg->dims[i], json_string_value(key),
				    json_string_length(key))->st, &st,
				    agg->shape.nsl);
			rep_stats_release(&st);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

static int
read_buckets(const json_t *a, struct rep_agg *agg, struct tend_error *err)
{
	struct rep_bucket_stats *b;
	const json_t *v, *start, *sum;
	uint64_t c[4];
	json_t *mid;
	size_t i, k;
	int rc;

	if (!json_is_array(a))
		return fail(err, "buckets", "not an array");
	json_array_foreach(a, i, v) {
		start = json_array_get(v, 0);
		sum = json_array_get(v, 5);
		if (json_array_size(v) != 6 || !json_is_integer(start) ||
		    json_integer_value(start) < TIME_MIN ||
		    json_integer_value(start) > TIME_MAX ||
		    !json_is_integer(sum) || json_integer_value(sum) < -SUM_MAX ||
		    json_integer_value(sum) > SUM_MAX)
			return fail(err, "buckets", "item %zu is not a bucket",
			    i);
		mid = json_array();
		for (k = 1; k < 5; k++)
			json_array_append(mid, json_array_get(v, k));
		rc = read_counts(mid, "buckets", c, 4, err);
		json_decref(mid);
		if (rc < 0)
			return -1;
		b = rep_agg_bucket(agg, json_integer_value(start));
		b->inbound += c[0];
		b->replies += c[1];
		b->sent_n += c[2];
		b->neg += c[3];
		b->sent_sum += json_integer_value(sum);
	}
	return 0;
}

static int
read_top(const json_t *a, const char *name, struct rep_top *t,
    struct tend_error *err)
{
	struct rep_entry e;
	const json_t *v, *at, *val;
	size_t i, k;

	if (!json_is_array(a))
		return fail(err, name, "not an array");
	json_array_foreach(a, i, v) {
		at = json_array_get(v, 4);
		val = json_array_get(v, 5);
		for (k = 0; k < 4; k++)
			if (!json_is_string(json_array_get(v, k)))
				break;
		if (json_array_size(v) != 6 || k < 4 ||
		    !json_is_integer(at) || json_integer_value(at) < TIME_MIN ||
		    json_integer_value(at) > TIME_MAX || !json_is_number(val) ||
		    !(fabs(json_number_value(val)) <= (double)SUM_MAX))
			return fail(err, name, "item %zu is not [ID, CHANNEL, "
			    "LABEL, TEXT, TIME, VALUE]", i);
		e.id = (char *)json_string_value(json_array_get(v, 0));
		e.channel = (char *)json_string_value(json_array_get(v, 1));
		e.label = (char *)json_string_value(json_array_get(v, 2));
		e.text = (char *)json_string_value(json_array_get(v, 3));
		e.created_at = json_integer_value(at);
		e.value = json_number_value(val);
		rep_top_offer(t, &e);
	}
	return 0;
}

/* [[KEY, N...], ...] into a map of n counters a key, added. */
/* "agent_waits": each [AGENT, SKETCH] merged into agg. */
static int
read_agent_waits(const json_t *a, struct rep_agg *agg,
    struct tend_error *err)
{
	struct tend_sketch *s = NULL;
	const json_t *v, *key;
	size_t i;

	if (!json_is_array(a))
		return fail(err, "agent_waits", "not an array");
	json_array_foreach(a, i, v) {
		key = json_array_get(v, 0);
		if (!json_is_string(key) || json_array_size(v) != 2)
			return fail(err, "agent_waits", "item %zu is not "
			    "[AGENT, SKETCH]", i);
		if (read_sketch_value(json_array_get(v, 1), "agent_waits",
		    agg->shape.alpha, &s, err) < 0)
			return -1;
		tend_sketch_merge(rep_agent_waits(agg, json_string_value(key)),
		    s);
	}
	tend_sketch_free(s);
	return 0;
}

static int
read_counters(const json_t *a, const char *name, struct rep_map *m,
    size_t n, struct tend_error *err)
{
	const json_t *v, *key;
	uint64_t c[32], *to;
	json_t *rest;
	void **slot;
	size_t i, k;
	int rc;

	if (!json_is_array(a))
		return fail(err, name, "not an array");
	json_array_foreach(a, i, v) {
		key = json_array_get(v, 0);
		if (!json_is_string(key) || json_array_size(v) != n + 1)
			return fail(err, name, "item %zu is not [KEY, %zu "
			    "counts]", i, n);
		rest = json_array();
		for (k = 1; k <= n; k++)
			json_array_append(rest, json_array_get(v, k));
		rc = read_counts(rest, name, c, n, err);
		json_decref(rest);
		if (rc < 0)
			return -1;
		slot = rep_map_slot(m, json_string_value(key),
		    json_string_length(key));
		if (!slot)
			slot = rep_map_slot(m, REP_OTHER, strlen(REP_OTHER));
		if (!*slot)
			*slot = tend_xcalloc(n, sizeof(uint64_t));
		to = *slot;
		for (k = 0; k < n; k++)
			to[k] += c[k];
	}
	return 0;
}

static int
read_topk(const json_t *o, const char *name, struct tend_topk **t,
    struct tend_error *err)
{
	const json_t *v = member(o, name, err);
	struct tend_topk *k;

	if (!v)
		return -1;
	if (!(k = tend_topk_from_json(v, err)))
		return fail(err, name, "%s", err->text);
	tend_topk_free(*t);
	*t = k;
	return 0;
}

static int
read_slots(const json_t *a, struct rep_agg *agg, struct tend_error *err)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(a) || json_array_size(a) != agg->nslots)
		return fail(err, "slots", "not an array of %zu intervals",
		    agg->nslots);
	json_array_foreach(a, i, v)
		if (read_counts(v, "slots", agg->slots[i], 2, err) < 0)
			return -1;
	return 0;
}

static int
read_days(const json_t *a, struct rep_agg *agg, struct tend_error *err)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(a))
		return fail(err, "days", "not an array");
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v) ||
		    json_integer_value(v) < TIME_MIN / 86400 ||
		    json_integer_value(v) > TIME_MAX / 86400)
			return fail(err, "days", "item %zu is not a day", i);
		rep_agg_note_day(agg, json_integer_value(v));
	}
	return 0;
}

static int
read_body(const json_t *j, struct rep_agg *agg, struct tend_error *err)
{
	size_t nsurvey = sizeof(struct rep_survey) / sizeof(uint64_t);

	if (read_count(j, "records", &agg->records, err) < 0 ||
	    read_counts(member(j, "kinds", err), "kinds", agg->kinds, 4,
	    err) < 0 ||
	    read_count(j, "notes", &agg->notes, err) < 0 ||
	    read_count(j, "system", &agg->system, err) < 0 ||
	    read_time(j, "first", &agg->first, INT64_MAX, err) < 0 ||
	    read_time(j, "last", &agg->last, INT64_MIN, err) < 0 ||
	    read_stats(member(j, "all", err), &agg->all, agg, err) < 0 ||
	    read_groups(json_object_get(j, "groups"), agg, err) < 0 ||
	    read_buckets(json_object_get(j, "buckets"), agg, err) < 0 ||
	    read_sketch(j, "backlog_age", agg->shape.alpha,
	    &agg->backlog_age, err) < 0 ||
	    read_top(json_object_get(j, "breaches"), "breaches",
	    &agg->breaches, err) < 0 ||
	    read_top(json_object_get(j, "negative"), "negative",
	    &agg->negative, err) < 0 ||
	    read_top(json_object_get(j, "positive"), "positive",
	    &agg->positive, err) < 0 ||
	    read_counters(json_object_get(j, "agents"), "agents",
	    &agg->agents, 2, err) < 0 ||
	    read_agent_waits(json_object_get(j, "agent_waits"), agg,
	    err) < 0 ||
	    read_counters(json_object_get(j, "escalations"), "escalations",
	    &agg->escalations, 1, err) < 0 ||
	    read_counters(json_object_get(j, "alerts"), "alerts",
	    &agg->alerts, 1, err) < 0 ||
	    read_counters(json_object_get(j, "surveys"), "surveys",
	    &agg->surveys, nsurvey, err) < 0 ||
	    read_topk(j, "trend_cur", &agg->trend_cur, err) < 0 ||
	    read_topk(j, "trend_prev", &agg->trend_prev, err) < 0 ||
	    read_slots(json_object_get(j, "slots"), agg, err) < 0 ||
	    read_days(json_object_get(j, "days"), agg, err) < 0)
		return -1;
	if ((agg->first == INT64_MAX) != (agg->last == INT64_MIN) ||
	    (agg->first != INT64_MAX && agg->first > agg->last))
		return fail(err, "first", "not before \"last\"");
	return 0;
}

int
rep_partial_from_json(const json_t *j, struct rep_agg *agg,
    struct tend_error *err)
{
	struct rep_shape shape;
	const json_t *v;

	memset(agg, 0, sizeof(*agg));
	v = json_object_get(j, "format");
	if (!json_is_object(j) || !json_is_string(v) ||
	    strcmp(json_string_value(v), REP_PARTIAL_FORMAT) != 0) {
		snprintf(err->text, sizeof(err->text), "not a tend-report "
		    "partial (no \"format\":\"%s\")", REP_PARTIAL_FORMAT);
		return -1;
	}
	v = json_object_get(j, "version");
	if (!json_is_integer(v) ||
	    json_integer_value(v) != REP_PARTIAL_VERSION) {
		snprintf(err->text, sizeof(err->text), "partial version not "
		    "supported (this tend-report reads version %d)",
		    REP_PARTIAL_VERSION);
		return -1;
	}
	if (read_shape(json_object_get(j, "shape"), &shape, err) < 0) {
		rep_shape_release(&shape);
		return -1;
	}
	if (rep_agg_init(agg, &shape, err) < 0) {
		rep_agg_release(agg);
		return fail(err, "zone", "%s", err->text);
	}
	if (read_body(j, agg, err) < 0) {
		rep_agg_release(agg);
		return -1;
	}
	return 0;
}

int
rep_shape_compare(const struct rep_shape *a, const struct rep_shape *b,
    struct tend_error *err)
{
	size_t i;
	int same_sl = a->nsl == b->nsl, same_by = a->nby == b->nby;

	for (i = 0; same_sl && i < a->nsl; i++)
		same_sl = a->sl[i].pct == b->sl[i].pct &&
		    a->sl[i].secs == b->sl[i].secs;
	for (i = 0; same_by && i < a->nby; i++)
		same_by = strcmp(a->by[i], b->by[i]) == 0;
	if (a->alpha != b->alpha)
		return fail(err, "alpha", "%s here, %s in the first partial",
		    b->alpha ? "sketched" : "exact",
		    a->alpha ? "sketched" : "exact");
	if (strcmp(a->zone, b->zone) != 0)
		return fail(err, "zone", "\"%.64s\" here, \"%.64s\" in the "
		    "first partial", b->zone, a->zone);
	if (a->bucket != b->bucket)
		return fail(err, "bucket", "%s here, %s in the first partial",
		    rep_bucket_names[b->bucket], rep_bucket_names[a->bucket]);
	if (!same_sl)
		return fail(err, "sl", "other --sl levels than the first "
		    "partial's");
	if (!same_by)
		return fail(err, "by", "other --by fields than the first "
		    "partial's");
	if (a->now != b->now)
		return fail(err, "now", "another --now than the first "
		    "partial's");
	if (a->period != b->period)
		return fail(err, "period", "another --period than the first "
		    "partial's");
	if (a->interval != b->interval)
		return fail(err, "interval", "another --interval than the "
		    "first partial's");
	if (a->top != b->top)
		return fail(err, "top", "another --top than the first "
		    "partial's");
	return 0;
}
