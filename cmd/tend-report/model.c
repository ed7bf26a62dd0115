/* model.c: an aggregate as the report's tables (tend-report(1) lists
 * them).  Every format is written from these, so they all say the same;
 * every list is sorted here, by count then key, so that the report never
 * depends on the order records or partials came in. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "erlang.h"
#include "report.h"
#include "strmap.h"

const char *const rep_table_names[] = {
	"summary", "volume", "response", "distribution", "service_level",
	"groups", "sla", "sentiment", "breaches", "top_negative",
	"top_positive", "agents", "escalations", "alerts", "surveys",
	"trending", "staffing", NULL
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static const struct rep_col summary_cols[] = {
	{ "figure", "figure", REP_STR }, { "count", "count", REP_INT }
};
static const struct rep_col volume_cols[] = {
	{ "start", "start", REP_TIME }, { "inbound", "inbound", REP_INT },
	{ "replies", "replies", REP_INT },
	{ "negative", "negative", REP_INT },
	{ "sentiment", "sentiment", REP_NUM }
};
static const struct rep_col response_cols[] = {
	{ "measure", "measure", REP_STR }, { "count", "count", REP_INT },
	{ "p50", "p50", REP_SECS }, { "p90", "p90", REP_SECS },
	{ "p95", "p95", REP_SECS }, { "p99", "p99", REP_SECS },
	{ "max", "max", REP_SECS }
};
static const struct rep_col distribution_cols[] = {
	{ "from", "from", REP_SECS }, { "to", "to", REP_SECS },
	{ "posts", "posts", REP_INT }, { "cumulative", "cumulative", REP_PCT }
};
static const struct rep_col sl_cols[] = {
	{ "target", "target", REP_STR }, { "within", "within", REP_INT },
	{ "eligible", "eligible", REP_INT },
	{ "attained", "attained", REP_PCT }, { "goal", "goal", REP_PCT },
	{ "met", "met", REP_STR }
};
static const struct rep_col groups_cols[] = {
	{ "field", "field", REP_STR }, { "value", "value", REP_STR },
	{ "inbound", "in", REP_INT }, { "replies", "out", REP_INT },
	{ "first_response_p50", "FR p50", REP_SECS },
	{ "first_response_p90", "FR p90", REP_SECS },
	{ "service_level", "SL", REP_PCT },
	{ "unanswered", "unans", REP_INT }, { "backlog", "backlog", REP_INT }
};
static const struct rep_col sla_cols[] = {
	{ "field", "field", REP_STR }, { "value", "value", REP_STR },
	{ "met", "met", REP_INT }, { "pending", "pending", REP_INT },
	{ "at_risk", "at risk", REP_INT },
	{ "breached", "breached", REP_INT }, { "none", "none", REP_INT },
	{ "attainment", "attain", REP_PCT }
};
static const struct rep_col sentiment_cols[] = {
	{ "field", "field", REP_STR }, { "value", "value", REP_STR },
	{ "positive", "pos", REP_INT }, { "neutral", "neu", REP_INT },
	{ "negative", "neg", REP_INT }, { "mean", "mean", REP_NUM },
	{ "current", "current", REP_NUM }, { "previous", "previous", REP_NUM }
};
static const struct rep_col breaches_cols[] = {
	{ "id", "id", REP_STR }, { "channel", "channel", REP_STR },
	{ "clock", "clock", REP_STR }, { "by", "by", REP_SECS },
	{ "created_at", "created", REP_TIME }
};
static const struct rep_col posts_cols[] = {
	{ "id", "id", REP_STR }, { "channel", "channel", REP_STR },
	{ "handle", "handle", REP_STR }, { "score", "score", REP_NUM },
	{ "created_at", "created", REP_TIME }, { "text", "text", REP_STR }
};
static const struct rep_col agents_cols[] = {
	{ "agent", "agent", REP_STR }, { "replies", "replies", REP_INT },
	{ "answers", "answers", REP_INT }, { "p50", "p50", REP_SECS },
	{ "p90", "p90", REP_SECS }, { "max", "max", REP_SECS }
};
static const struct rep_col escalations_cols[] = {
	{ "team", "team", REP_STR }, { "level", "level", REP_STR },
	{ "records", "records", REP_INT }
};
static const struct rep_col alerts_cols[] = {
	{ "kind", "kind", REP_STR }, { "alerts", "alerts", REP_INT }
};
static const struct rep_col surveys_cols[] = {
	{ "segment", "segment", REP_STR }, { "nps_answers", "NPS n", REP_INT },
	{ "nps", "NPS", REP_NUM }, { "csat_answers", "CSAT n", REP_INT },
	{ "csat", "CSAT", REP_PCT }, { "csat_mean", "CSAT mean", REP_NUM },
	{ "invalid", "invalid", REP_INT },
	{ "unknown_scale", "no scale", REP_INT }
};
static const struct rep_col trending_cols[] = {
	{ "term", "term", REP_STR }, { "current", "current", REP_INT },
	{ "previous", "previous", REP_INT }, { "change", "change", REP_INT }
};
static const struct rep_col staffing_cols[] = {
	{ "interval", "interval", REP_STR },
	{ "live_arrivals", "live in", REP_NUM },
	{ "live_agents", "live", REP_INT },
	{ "public_arrivals", "public in", REP_NUM },
	{ "public_agents", "public", REP_INT },
	{ "scheduled", "scheduled", REP_INT }
};

static char *
xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xprintf(const char *fmt, ...)
{
	struct tend_buf b = TEND_BUF_INIT;
	char tmp[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	tend_buf_adds(&b, tmp);
	return tend_buf_detach(&b);
}

static struct rep_table *
table_new(struct rep_model *m, const char *name, const struct rep_col *cols,
    size_t ncols, char *title)
{
	struct rep_table *t;

	tend_xgrow((void **)&m->t, &m->cap, m->n + 1, sizeof(*m->t));
	t = &m->t[m->n++];
	t->name = name;
	t->title = title;
	t->cols = cols;
	t->ncols = ncols;
	t->rows = json_array();
	t->note = NULL;
	return t;
}

static json_t *
jcount(uint64_t n)
{
	return json_integer((json_int_t)n);
}

/* v rounded to places decimals; null when not finite. */
static json_t *
jnum(double v, int places)
{
	double k = pow(10, places);

	if (!isfinite(v))
		return json_null();
	v = round(v * k) / k;
	return json_real(v == 0 ? 0 : v);
}

static json_t *
jshare(uint64_t part, uint64_t whole)
{
	return whole ? jnum(100.0 * (double)part / (double)whole, 2) :
	    json_null();
}

static json_t *
jquantile(const struct tend_sketch *s, double q)
{
	if (!s || !tend_sketch_count(s))
		return json_null();
	return jnum(q >= 1 ? tend_sketch_max(s) : tend_sketch_quantile(s, q),
	    3);
}

static json_t *
jmean(int64_t sum, uint64_t n)
{
	return n ? jnum((double)sum / 10000.0 / (double)n, 4) : json_null();
}

static void
summary_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct rep_table *t = table_new(m, "summary", summary_cols,
	    NCOLS(summary_cols), xprintf("Summary"));
	const struct rep_stats *a = &agg->all;
	uint64_t v[] = {
		agg->records, agg->kinds[0], agg->kinds[1], agg->kinds[2],
		agg->kinds[3], a->inbound, a->replies, agg->notes,
		agg->system, a->unanswered, a->backlog, a->status[REP_BREACHED],
		a->status[REP_AT_RISK]
	};
	static const char *const names[] = {
		"records", "posts", "events", "surveys", "alerts",
		"customer posts", "our replies", "internal notes",
		"system posts", "unanswered", "backlog (open at --now)",
		"breached", "at risk"
	};
	size_t i;

	for (i = 0; i < NCOLS(names); i++)
		json_array_append_new(t->rows, json_pack("[so]", names[i],
		    jcount(v[i])));
}

static void
volume_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct rep_table *t = table_new(m, "volume", volume_cols,
	    NCOLS(volume_cols), xprintf("Volume by %s (%s)",
	    rep_bucket_names[agg->shape.bucket], agg->shape.zone));
	size_t i;

	for (i = 0; i < agg->nbuckets; i++) {
		const struct rep_bucket_stats *b = &agg->buckets[i];

		int64_t start = agg->tz ? tend_tz_to_utc(agg->tz, b->start) :
		    b->start;

		json_array_append_new(t->rows, json_pack("[Iooo o]",
		    (json_int_t)start, jcount(b->inbound),
		    jcount(b->replies), jcount(b->neg),
		    jmean(b->sent_sum, b->sent_n)));
	}
}

static json_t *
quantile_row(const char *measure, const struct tend_sketch *s)
{
	return json_pack("[sooooo o]", measure, jcount(tend_sketch_count(s)),
	    jquantile(s, 0.5), jquantile(s, 0.9), jquantile(s, 0.95),
	    jquantile(s, 0.99), jquantile(s, 1));
}

static void
response_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct rep_table *t = table_new(m, "response", response_cols,
	    NCOLS(response_cols), xprintf("Response times"));
	const struct rep_stats *a = &agg->all;

	json_array_append_new(t->rows, quantile_row("first response, wall",
	    a->fr_wall));
	json_array_append_new(t->rows, quantile_row(
	    "first response, calendar", a->fr_cal));
	json_array_append_new(t->rows, quantile_row("next response, wall",
	    a->nr_wall));
	json_array_append_new(t->rows, quantile_row(
	    "next response, calendar", a->nr_cal));
	json_array_append_new(t->rows, quantile_row("resolution, wall",
	    a->resolve));
	json_array_append_new(t->rows, quantile_row("backlog age",
	    agg->backlog_age));
	t->note = agg->shape.alpha > 0 ? xprintf("percentiles by nearest "
	    "rank, within %g%% relative error; count and max exact",
	    agg->shape.alpha * 100) : xprintf("percentiles by nearest rank, "
	    "exact");
}

static void
distribution_table(struct rep_model *m, const struct rep_agg *agg)
{
	static const int64_t edges[] = {
		0, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400,
		172800, 604800
	};
	struct rep_table *t = table_new(m, "distribution", distribution_cols,
	    NCOLS(distribution_cols),
	    xprintf("First response (wall), distribution"));
	const struct tend_sketch *s = agg->all.fr_wall;
	uint64_t n = tend_sketch_count(s), below = 0, r;
	size_t i;

	if (!n)
		return;
	for (i = 0; i < NCOLS(edges); i++) {
		int last = i + 1 == NCOLS(edges);

		r = last ? n : tend_sketch_rank(s, (double)edges[i + 1]);
		if (r < below)
			r = below;
		json_array_append_new(t->rows, json_pack("[Ioo o]",
		    (json_int_t)edges[i], last ? json_null() :
		    json_integer(edges[i + 1]), jcount(r - below),
		    jshare(r, n)));
		below = r;
	}
	t->note = agg->shape.alpha > 0 ? xprintf("a post counts in the "
	    "first range whose end it does not pass by more than %g%%",
	    agg->shape.alpha * 100) : NULL;
}

static void
sl_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct rep_table *t = table_new(m, "service_level", sl_cols,
	    NCOLS(sl_cols), xprintf("Service level (first response, wall)"));
	const struct rep_stats *a = &agg->all;
	struct tend_buf d = TEND_BUF_INIT;
	size_t i;

	for (i = 0; i < agg->shape.nsl; i++) {
		uint64_t elig = a->sl_eligible + a->sl_waiting[i];
		double att = elig ? 100.0 * (double)a->sl_within[i] /
		    (double)elig : NAN;

		tend_buf_reset(&d);
		tend_buf_printf(&d, "%g%% within ", agg->shape.sl[i].pct);
		rep_add_duration(&d, (double)agg->shape.sl[i].secs);
		json_array_append_new(t->rows, json_pack("[sooo os]", d.data,
		    jcount(a->sl_within[i]), jcount(elig),
		    jshare(a->sl_within[i], elig),
		    jnum(agg->shape.sl[i].pct, 2), !elig ? "-" :
		    att >= agg->shape.sl[i].pct ? "yes" : "no"));
	}
	tend_buf_release(&d);
	t->note = xprintf("eligible: posts answered, and posts still "
	    "unanswered at --now for longer than the target");
}

/* The groups of a dimension, by customer posts and replies descending,
 * then key. */
static int
group_cmp(const void *pa, const void *pb)
{
	const struct rep_group *a = *(const struct rep_group *const *)pa;
	const struct rep_group *b = *(const struct rep_group *const *)pb;
	uint64_t na = a->st.inbound + a->st.replies;
	uint64_t nb = b->st.inbound + b->st.replies;

	if (na != nb)
		return na > nb ? -1 : 1;
	return strcmp(a->key, b->key);
}

static struct rep_group **
sorted_groups(const struct rep_dim *d)
{
	struct rep_group **v = tend_xcalloc(d->groups.n + 1, sizeof(*v));

	if (d->groups.n)
		memcpy(v, d->groups.vals, d->groups.n * sizeof(*v));
	if (d->groups.n > 1)
		qsort(v, d->groups.n, sizeof(*v), group_cmp);
	return v;
}

static json_t *
groups_row(const char *field, const char *value, const struct rep_stats *st)
{
	return json_pack("[ssoooo ooo]", field, value, jcount(st->inbound),
	    jcount(st->replies), jquantile(st->fr_wall, 0.5),
	    jquantile(st->fr_wall, 0.9), jshare(st->sl_within[0],
	    st->sl_eligible + st->sl_waiting[0]), jcount(st->unanswered),
	    jcount(st->backlog));
}

static json_t *
sla_row(const char *field, const char *value, const struct rep_stats *st)
{
	return json_pack("[ssoooo oo]", field, value,
	    jcount(st->status[REP_MET]), jcount(st->status[REP_PENDING]),
	    jcount(st->status[REP_AT_RISK]), jcount(st->status[REP_BREACHED]),
	    jcount(st->status[REP_NONE_STATUS]),
	    jshare(st->status[REP_MET], st->status[REP_MET] +
	    st->status[REP_BREACHED]));
}

static json_t *
sentiment_row(const char *field, const char *value,
    const struct rep_stats *st)
{
	return json_pack("[ssooo ooo]", field, value,
	    jcount(st->sent[REP_POSITIVE]), jcount(st->sent[REP_NEUTRAL]),
	    jcount(st->sent[REP_NEGATIVE]), jmean(st->sent_sum, st->sent_n),
	    jmean(st->cur_sum, st->cur_n), jmean(st->prev_sum, st->prev_n));
}

static void
group_table(struct rep_model *m, const struct rep_agg *agg,
    const char *name, const struct rep_col *cols, size_t ncols, char *title,
    json_t *(*row)(const char *, const char *, const struct rep_stats *))
{
	struct rep_table *t = table_new(m, name, cols, ncols, title);
	struct rep_group **v;
	size_t i, j;

	json_array_append_new(t->rows, row("all", "all", &agg->all));
	for (i = 0; i < agg->shape.nby; i++) {
		v = sorted_groups(&agg->dims[i]);
		for (j = 0; j < agg->dims[i].groups.n; j++)
			json_array_append_new(t->rows, row(agg->dims[i].field,
			    v[j]->key, &v[j]->st));
		free(v);
	}
}

static void
group_tables(struct rep_model *m, const struct rep_agg *agg)
{
	struct tend_buf d = TEND_BUF_INIT;
	char *note;

	if (agg->shape.nsl)
		rep_add_duration(&d, (double)agg->shape.sl[0].secs);
	group_table(m, agg, "groups", groups_cols, NCOLS(groups_cols),
	    xprintf("By group: volume and first response"), groups_row);
	note = agg->shape.nsl ? xprintf("FR: first response, wall; SL: "
	    "answered within %s; unans: unanswered; backlog: open at --now",
	    d.data) : xprintf("FR: first response, wall; no --sl level");
	m->t[m->n - 1].note = note;
	group_table(m, agg, "sla", sla_cols, NCOLS(sla_cols),
	    xprintf("SLA status of customer posts"), sla_row);
	m->t[m->n - 1].note = xprintf("attainment: met / (met + breached)");
	group_table(m, agg, "sentiment", sentiment_cols, NCOLS(sentiment_cols),
	    xprintf("Sentiment of customer posts"), sentiment_row);
	tend_buf_reset(&d);
	rep_add_duration(&d, (double)agg->shape.period);
	m->t[m->n - 1].note = xprintf("mean score from -1 to 1; current: the "
	    "last %s before --now, previous: the %s before it", d.data,
	    d.data);
	tend_buf_release(&d);
}

static void
top_table(struct rep_model *m, const char *name, char *title,
    const struct rep_top *top, int posts)
{
	struct rep_table *t = table_new(m, name, posts ? posts_cols :
	    breaches_cols, posts ? NCOLS(posts_cols) : NCOLS(breaches_cols),
	    title);
	size_t i;

	for (i = 0; i < top->n; i++) {
		const struct rep_entry *e = &top->v[i];

		if (posts)
			json_array_append_new(t->rows, json_pack("[ssso Is]",
			    e->id, e->channel, e->label, jnum(e->value, 4),
			    (json_int_t)e->created_at, e->text));
		else
			json_array_append_new(t->rows, json_pack("[ssso I]",
			    e->id, e->channel, e->label, jnum(e->value, 3),
			    (json_int_t)e->created_at));
	}
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The indexes of a map's keys in key order. */
static size_t *
key_order(const struct rep_map *mp)
{
	const char **keys = tend_xcalloc(mp->n + 1, sizeof(*keys));
	size_t *idx = tend_xcalloc(mp->n + 1, sizeof(*idx)), i;
	void **slot;

	if (mp->n)
		memcpy(keys, mp->keys, mp->n * sizeof(*keys));
	if (mp->n > 1)
		qsort(keys, mp->n, sizeof(*keys), key_cmp);
	for (i = 0; i < mp->n; i++) {
		slot = tend_strmap_get(mp->m, keys[i], strlen(keys[i]));
		idx[i] = (size_t)(uintptr_t)*slot - 1;
	}
	free(keys);
	return idx;
}

static void
agents_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct rep_table *t = table_new(m, "agents", agents_cols,
	    NCOLS(agents_cols), xprintf("Agents (by signature)"));
	size_t *idx = key_order(&agg->agents), i;

	for (i = 0; i < agg->agents.n; i++) {
		const struct rep_agent *a = agg->agents.vals[idx[i]];
		const char *key = agg->agents.keys[idx[i]];
		void **slot = tend_strmap_get(agg->agent_waits.m, key,
		    strlen(key));
		const struct tend_sketch *w = slot ?
		    agg->agent_waits.vals[(uintptr_t)*slot - 1] : NULL;

		json_array_append_new(t->rows, json_pack("[sooooo]", key,
		    jcount(a->replies), jcount(a->answers),
		    jquantile(w, 0.5), jquantile(w, 0.9), jquantile(w, 1)));
	}
	free(idx);
	t->note = xprintf("answers: replies that answered a customer post "
	    "waiting; p50, p90, max: how long the posts each agent answered "
	    "had waited (wall), from the replies' sla objects");
}

static void
escalations_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct rep_table *t = table_new(m, "escalations", escalations_cols,
	    NCOLS(escalations_cols), xprintf("Escalations by team and level"));
	size_t *idx = key_order(&agg->escalations), i;

	for (i = 0; i < agg->escalations.n; i++) {
		const char *key = agg->escalations.keys[idx[i]];
		const char *sep = strchr(key, '\037');
		const uint64_t *n = agg->escalations.vals[idx[i]];

		json_array_append_new(t->rows, json_pack("[s%so]", key,
		    sep ? (size_t)(sep - key) : strlen(key), sep ? sep + 1 :
		    REP_NONE, jcount(*n)));
	}
	free(idx);
}

static void
alerts_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct rep_table *t = table_new(m, "alerts", alerts_cols,
	    NCOLS(alerts_cols), xprintf("Alerts by kind"));
	size_t *idx = key_order(&agg->alerts), i;

	for (i = 0; i < agg->alerts.n; i++)
		json_array_append_new(t->rows, json_pack("[so]",
		    agg->alerts.keys[idx[i]],
		    jcount(*(const uint64_t *)agg->alerts.vals[idx[i]])));
	free(idx);
}

static json_t *
survey_row(const char *segment, const struct rep_survey *sv)
{
	uint64_t nps_n = 0, prom = 0, det = 0, csat_n = 0, sat = 0;
	int64_t csat_sum = 0;
	int i;

	for (i = 0; i <= 10; i++) {
		nps_n += sv->nps[i];
		prom += i >= 9 ? sv->nps[i] : 0;
		det += i <= 6 ? sv->nps[i] : 0;
	}
	for (i = 0; i < 5; i++) {
		csat_n += sv->csat[i];
		sat += i >= 3 ? sv->csat[i] : 0;
		csat_sum += (int64_t)sv->csat[i] * (i + 1) * 10000;
	}
	return json_pack("[sooo ooo o]", segment, jcount(nps_n), nps_n ?
	    jnum(100.0 * ((double)prom - (double)det) / (double)nps_n, 1) :
	    json_null(), jcount(csat_n), jshare(sat, csat_n),
	    jmean(csat_sum, csat_n), jcount(sv->invalid), jcount(sv->unknown));
}

static void
surveys_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct rep_table *t = table_new(m, "surveys", surveys_cols,
	    NCOLS(surveys_cols), xprintf("Customer experience (surveys)"));
	size_t *idx = key_order(&agg->surveys), i, j;
	struct rep_survey all;
	uint64_t *sum = (uint64_t *)&all;

	memset(&all, 0, sizeof(all));
	for (i = 0; i < agg->surveys.n; i++)
		for (j = 0; j < sizeof(all) / sizeof(uint64_t); j++)
			sum[j] += ((const uint64_t *)agg->surveys.vals[i])[j];
	if (agg->surveys.n)
		json_array_append_new(t->rows, survey_row("all", &all));
	for (i = 0; i < agg->surveys.n; i++)
		json_array_append_new(t->rows, survey_row(
		    agg->surveys.keys[idx[i]], agg->surveys.vals[idx[i]]));
	free(idx);
	t->note = xprintf("NPS: %% promoters (9-10) minus %% detractors "
	    "(0-6); CSAT: %% of answers 4 or 5 of 5; no scale: surveys "
	    "without \"scale\" nps or csat, not counted");
}

struct trend {
	const char *key;
	uint64_t cur, prev;
};

static int
trend_cmp(const void *pa, const void *pb)
{
	const struct trend *a = pa, *b = pb;
	int64_t da = (int64_t)a->cur - (int64_t)a->prev;
	int64_t db = (int64_t)b->cur - (int64_t)b->prev;

	if (da != db)
		return da > db ? -1 : 1;
	return strcmp(a->key, b->key);
}

static void
trending_table(struct rep_model *m, const struct rep_agg *agg)
{
	struct tend_topk_item *cur, *prev;
	size_t ncur = tend_topk_list(agg->trend_cur, &cur);
	size_t nprev = tend_topk_list(agg->trend_prev, &prev), i, n = 0;
	struct tend_strmap *pm = tend_strmap_new();
	struct trend *v = tend_xcalloc(ncur + 1, sizeof(*v));
	struct tend_buf d = TEND_BUF_INIT;
	struct rep_table *t;
	void **slot;
	int added;

	rep_add_duration(&d, (double)agg->shape.period);
	t = table_new(m, "trending", trending_cols, NCOLS(trending_cols),
	    xprintf("Trending terms: the last %s against the %s before",
	    d.data, d.data));
	for (i = 0; i < nprev; i++)
		*tend_strmap_put(pm, prev[i].key, strlen(prev[i].key), &added,
		    NULL) = &prev[i];
	for (i = 0; i < ncur; i++) {
		slot = tend_strmap_get(pm, cur[i].key, strlen(cur[i].key));
		v[n].key = cur[i].key;
		v[n].cur = cur[i].count;
		v[n].prev = slot ? ((struct tend_topk_item *)*slot)->count : 0;
		if (v[n].cur > v[n].prev)
			n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), trend_cmp);
	for (i = 0; i < n && i < (size_t)agg->shape.top; i++)
		json_array_append_new(t->rows, json_pack("[soo I]", v[i].key,
		    jcount(v[i].cur), jcount(v[i].prev),
		    (json_int_t)v[i].cur - (json_int_t)v[i].prev));
	t->note = xprintf("words of 3 letters or more and hashtags of "
	    "customer posts, folded; counts from %d-counter summaries, "
	    "exact below %d distinct terms", REP_TOPK_M, REP_TOPK_M);
	free(v);
	free(cur);
	free(prev);
	tend_strmap_free(pm);
	tend_buf_release(&d);
}

/* Agents for the public backlog model: the work arriving in an interval
 * over what one agent does in it at the occupancy cap. */
static int
backlog_agents(double arrivals, double aht, double interval, double occ)
{
	double need = arrivals * aht / (interval * occ);

	return need <= 0 ? 0 : (int)ceil(need - 1e-9);
}

static void
staffing_table(struct rep_model *m, const struct rep_agg *agg,
    const struct rep_staffing *sf)
{
	struct rep_table *t;
	struct tend_buf d = TEND_BUF_INIT;
	double iv = (double)agg->shape.interval, days = (double)agg->ndays;
	size_t i;

	rep_add_duration(&d, iv);
	t = table_new(m, "staffing", staffing_cols, NCOLS(staffing_cols),
	    xprintf("Staffing per %s interval (%s)", d.data, agg->shape.zone));
	if (!sf->aht) {
		t->note = xprintf("no staffing without --aht: the records do "
		    "not say how long a contact takes to handle");
		tend_buf_release(&d);
		return;
	}
	for (i = 0; i < agg->nslots && days > 0; i++) {
		double live = (double)agg->slots[i][0] / days;
		double pub = (double)agg->slots[i][1] / days;
		double a = live * (double)sf->aht / iv;
		int nl, np, sched;
		char label[16];
		int64_t start = (int64_t)i * agg->shape.interval;

		if (!agg->slots[i][0] && !agg->slots[i][1])
			continue;
		nl = tend_erlang_agents(a, (double)sf->aht,
		    (double)sf->target_secs, sf->target_pct / 100,
		    sf->occupancy / 100);
		np = backlog_agents(pub, (double)sf->aht, iv,
		    sf->occupancy / 100);
		sched = nl < 0 ? -1 : tend_erlang_scheduled(nl + np,
		    sf->shrinkage / 100);
		snprintf(label, sizeof(label), "%02d:%02d",
		    (int)(start / 3600), (int)(start / 60 % 60));
		json_array_append_new(t->rows, json_pack("[soo oo o]", label,
		    jnum(live, 2), nl < 0 ? json_null() : json_integer(nl),
		    jnum(pub, 2), json_integer(np), sched < 0 ? json_null() :
		    json_integer(sched)));
	}
	tend_buf_reset(&d);
	rep_add_duration(&d, (double)sf->aht);
	tend_buf_adds(&d, ", live target ");
	tend_buf_printf(&d, "%g%% within ", sf->target_pct);
	rep_add_duration(&d, (double)sf->target_secs);
	t->note = xprintf("customer posts an interval, averaged over %zu "
	    "day%s; AHT %s (Erlang C), public: backlog model; occupancy at "
	    "most %g%%, shrinkage %g%%", agg->ndays, agg->ndays == 1 ? "" :
	    "s", d.data, sf->occupancy, sf->shrinkage);
	tend_buf_release(&d);
}

void
rep_model_build(struct rep_model *m, const struct rep_agg *agg,
    const struct rep_staffing *staff)
{
	memset(m, 0, sizeof(*m));
	summary_table(m, agg);
	volume_table(m, agg);
	response_table(m, agg);
	distribution_table(m, agg);
	sl_table(m, agg);
	group_tables(m, agg);
	top_table(m, "breaches", xprintf("Worst breaches"), &agg->breaches,
	    0);
	top_table(m, "top_negative", xprintf("Most negative posts"),
	    &agg->negative, 1);
	top_table(m, "top_positive", xprintf("Most positive posts (praise "
	    "wall)"), &agg->positive, 1);
	agents_table(m, agg);
	escalations_table(m, agg);
	alerts_table(m, agg);
	surveys_table(m, agg);
	trending_table(m, agg);
	staffing_table(m, agg, staff);
}

void
rep_model_release(struct rep_model *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->t[i].title);
		free(m->t[i].note);
		json_decref(m->t[i].rows);
	}
	free(m->t);
	memset(m, 0, sizeof(*m));
}

const struct rep_table *
rep_model_table(const struct rep_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->t[i].name, name) == 0)
			return &m->t[i];
	return NULL;
}
