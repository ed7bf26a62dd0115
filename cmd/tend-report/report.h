/* report.h: the parts of tend-report (tend-report(1)).
 *
 * agg.c holds the aggregate: counters, sketches and bounded lists, filled
 * record by record (rep_agg_add) or by merging another aggregate.
 * partial.c writes an aggregate as a partial (--partial) and reads one
 * back (--merge).  model.c turns an aggregate into the report: a list of
 * named tables.  render.c writes the tables as text, md, csv or json;
 * html.c as one page with its charts.  main.c only parses options and
 * runs the record loop, so the unit tests and the fuzz harness can link
 * everything else.
 *
 * Memory does not grow with the input: every map is keyed by a value of
 * a closed or small vocabulary (a channel, a category, an agent's
 * initials, a time bucket), capped at REP_MAX_KEYS keys, and the lists of
 * posts keep the top N; only --exact keeps every duration.
 */
#ifndef TEND_REPORT_H
#define TEND_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "sketch.h"
#include "text.h"
#include "topk.h"
#include "tz.h"

#define REP_PARTIAL_FORMAT "tend-report-partial"
#define REP_PARTIAL_VERSION 1

#define REP_MAX_SL 8		/* --sl thresholds */
#define REP_MAX_BY 16		/* --by fields */
#define REP_MAX_KEYS 1000	/* values kept per map; then "(other)" */
#define REP_MAX_TOP 1000	/* --top */
#define REP_TOPK_M 1000		/* counters of each trending summary */
#define REP_TEXT_MAX 200	/* bytes of post text kept in a top list */
#define REP_OTHER "(other)"
#define REP_NONE "(none)"

enum rep_bucket { REP_HOUR, REP_DAY, REP_WEEK };
extern const char *const rep_bucket_names[];

enum rep_status {
	REP_NONE_STATUS, REP_MET, REP_PENDING, REP_AT_RISK, REP_BREACHED,
	REP_NSTATUS
};
extern const char *const rep_status_names[REP_NSTATUS];

enum rep_sentiment { REP_POSITIVE, REP_NEUTRAL, REP_NEGATIVE, REP_NSENT };
extern const char *const rep_sentiment_names[REP_NSENT];

/* "90/15m": PCT percent answered within secs. */
struct rep_sl {
	double pct;
	int64_t secs;
};

/* What shapes the aggregate: partials merge only when all of it agrees. */
struct rep_shape {
	double alpha;			/* 0: --exact */
	char *zone;			/* IANA name; owned */
	enum rep_bucket bucket;
	struct rep_sl sl[REP_MAX_SL];
	size_t nsl;
	char *by[REP_MAX_BY];		/* owned */
	size_t nby;
	int64_t now, period, interval;
	int top;
};

/* The figures kept for the whole stream and for each group. */
struct rep_stats {
	uint64_t inbound, replies;
	uint64_t status[REP_NSTATUS];	/* customer posts with an sla */
	uint64_t backlog;
	struct tend_sketch *fr_cal, *fr_wall;	/* first response */
	struct tend_sketch *nr_cal, *nr_wall;	/* next response */
	struct tend_sketch *resolve;		/* created_at to resolved_at */
	uint64_t sl_eligible;		/* answered, or waiting past T */
	uint64_t sl_within[REP_MAX_SL];
	uint64_t sl_waiting[REP_MAX_SL];	/* unanswered, past T */
	uint64_t unanswered;
	uint64_t sent[REP_NSENT];
	uint64_t sent_n;		/* posts with a score */
	int64_t sent_sum;		/* scores times 10^4, exact */
	uint64_t cur_n, prev_n;		/* scored posts in the last two */
	int64_t cur_sum, prev_sum;	/*   periods, for the trend */
};

struct rep_group {
	const char *key;		/* owned by the map */
	struct rep_stats st;
};

/* A map from a short string to a value, capped at REP_MAX_KEYS. */
struct rep_map {
	struct tend_strmap *m;
	void **vals;			/* in insertion order */
	const char **keys;
	size_t n, cap;
};

struct rep_dim {
	char *field;			/* borrowed from the shape */
	struct rep_map groups;		/* -> struct rep_group */
};

/* One bucket of volume over time (local start of hour, day or week). */
struct rep_bucket_stats {
	int64_t start;
	uint64_t inbound, replies;
	uint64_t sent_n, neg;
	int64_t sent_sum;
};

/* An entry of a top list. */
struct rep_entry {
	char *id, *channel, *label, *text;	/* owned; label: the clock
						 * or the handle; may be "" */
	int64_t created_at;
	double value;			/* by_secs, or the score */
};

/* The n best of at most cap entries: by value (descending when desc),
 * then id ascending. */
struct rep_top {
	struct rep_entry *v;
	size_t n, cap;
	int desc;
};

/* The sketch of an agent's waits in agg, made on first use. */
struct rep_agg;
struct tend_sketch *rep_agent_waits(struct rep_agg *agg, const char *agent);

struct rep_agent {
	uint64_t replies, answers;
};

struct rep_survey {
	uint64_t nps[11], csat[5];
	uint64_t invalid;		/* a score outside its scale */
	uint64_t unknown;		/* no scale, or one not known */
};

struct rep_agg {
	struct rep_shape shape;
	struct tend_tz *tz;
	uint64_t records;
	uint64_t kinds[4];		/* post, event, survey, alert */
	uint64_t notes, system;		/* internal posts; actor system */
	int64_t first, last;		/* created_at range; first > last:
					 * none */
	struct rep_stats all;
	struct rep_dim dims[REP_MAX_BY];
	struct rep_bucket_stats *buckets;	/* sorted by start */
	size_t nbuckets, buckets_cap;
	struct tend_sketch *backlog_age;
	struct rep_top breaches, negative, positive;
	struct rep_map agents;		/* -> struct rep_agent */
	struct rep_map agent_waits;	/* agent -> struct tend_sketch *: how
					 * long the posts each answered had
					 * waited (wall) */
	struct rep_map escalations;	/* "TEAM\037LEVEL" -> uint64_t * */
	struct rep_map alerts;		/* kind -> uint64_t * */
	struct rep_map surveys;		/* channel -> struct rep_survey */
	struct tend_topk *trend_cur, *trend_prev;
	uint64_t (*slots)[2];		/* arrivals per interval of the
					 * day: live, public */
	size_t nslots;
	int64_t *days;			/* local days seen, sorted */
	size_t ndays, days_cap;
	/* scratch, not state */
	struct tend_buf id, channel, s1, s2, s3;
	struct tend_tokens tokens;
};

/* Sets up agg for shape (taken over: agg frees its strings).  Returns 0,
 * or -1 with err->text set when the zone cannot be loaded. */
int rep_agg_init(struct rep_agg *agg, struct rep_shape *shape,
    struct tend_error *err);
void rep_agg_release(struct rep_agg *agg);
void rep_shape_release(struct rep_shape *shape);

/* Counts one record. */
void rep_agg_add(struct rep_agg *agg, struct tend_record *rec);

/* Adds src into dst (same shape: the caller checks). */
void rep_agg_merge(struct rep_agg *dst, const struct rep_agg *src);

/* The stats of the bucket starting at start (added when new). */
struct rep_bucket_stats *rep_agg_bucket(struct rep_agg *agg, int64_t start);
/* Notes local day number day (days since the epoch) as seen. */
void rep_agg_note_day(struct rep_agg *agg, int64_t day);

/* The local start of the bucket holding instant t. */
int64_t rep_bucket_of(const struct rep_agg *agg, int64_t t);

/* Map helpers (agg.c). */
void rep_map_init(struct rep_map *m);
/* The value slot of key (added as NULL when new); NULL when the map is
 * full and key is not in it. */
void **rep_map_slot(struct rep_map *m, const char *key, size_t n);
void rep_map_release(struct rep_map *m, void (*free_val)(void *));

void rep_stats_init(struct rep_stats *st, double alpha);
void rep_stats_release(struct rep_stats *st);
void rep_stats_merge(struct rep_stats *dst, const struct rep_stats *src,
    size_t nsl);
struct rep_group *rep_dim_group(struct rep_agg *agg, struct rep_dim *d,
    const char *key, size_t n);

void rep_top_init(struct rep_top *t, size_t cap, int desc);
void rep_top_release(struct rep_top *t);
/* Offers an entry; copies what it keeps. */
void rep_top_offer(struct rep_top *t, const struct rep_entry *e);

/* Partials (partial.c). */
json_t *rep_partial_to_json(const struct rep_agg *agg);
/* Reads a partial into a new aggregate (*agg initialised here).  Returns
 * 0, or -1 with err->text set (err->file left to the caller). */
int rep_partial_from_json(const json_t *j, struct rep_agg *agg,
    struct tend_error *err);
/* 0 when a and b agree on everything that shapes an aggregate; else -1
 * with err->text naming the first difference. */
int rep_shape_compare(const struct rep_shape *a, const struct rep_shape *b,
    struct tend_error *err);

/* The report model (model.c): tables of typed columns. */
enum rep_col_type {
	REP_STR,	/* a string: escaped, neutralised in csv */
	REP_INT,	/* a count */
	REP_NUM,	/* a number, shown with 2 decimals */
	REP_PCT,	/* a percentage, 0..100, one decimal */
	REP_SECS,	/* a duration in seconds, shown as 5m07s */
	REP_TIME	/* an instant, RFC 3339, in the zone for text */
};

struct rep_col {
	const char *key;	/* json member and csv header */
	const char *head;	/* text and md header */
	enum rep_col_type type;
};

struct rep_table {
	const char *name;	/* --table NAME */
	char *title;
	const struct rep_col *cols;
	size_t ncols;
	json_t *rows;		/* array of arrays; null cells for none */
	char *note;		/* a line under the table, or NULL */
};

/* Staffing settings (not part of the aggregate). */
struct rep_staffing {
	int64_t aht;			/* 0: not given */
	double target_pct;
	int64_t target_secs;
	double shrinkage, occupancy;
};

struct rep_model {
	struct rep_table *t;
	size_t n, cap;
};

extern const char *const rep_table_names[];

void rep_model_build(struct rep_model *m, const struct rep_agg *agg,
    const struct rep_staffing *staff);
void rep_model_release(struct rep_model *m);
/* The table named name, or NULL. */
const struct rep_table *rep_model_table(const struct rep_model *m,
    const char *name);

/* Output (render.c, html.c): appended to out.  only: one table's name,
 * or NULL for all. */
void rep_render_text(struct tend_buf *out, const struct rep_model *m,
    const struct rep_agg *agg, const char *only, int columns, int md);
void rep_render_csv(struct tend_buf *out, const struct rep_table *t);
void rep_render_json(struct tend_buf *out, const struct rep_model *m,
    const struct rep_agg *agg, const char *only);
void rep_render_html(struct tend_buf *out, const struct rep_model *m,
    const struct rep_agg *agg);

/* Helpers the renderers share (render.c). */
void rep_add_csv_cell(struct tend_buf *out, const char *s, size_t n,
    int neutralise);
void rep_add_html(struct tend_buf *out, const char *s, size_t n);
/* A value shown as text (durations, percentages, times in the zone). */
void rep_format_cell(struct tend_buf *out, const json_t *v,
    enum rep_col_type type, const struct rep_agg *agg);
/* Appends s with control characters, DEL and invalid UTF-8 escaped
 * (\n, \t, \xNN), as text output shows post text. */
void rep_add_visible(struct tend_buf *out, const char *s, size_t n);
/* Appends secs as a short duration: "42s", "5m07s", "1h", "2d03h";
 * fractions below a second are shown for durations under a minute. */
void rep_add_duration(struct tend_buf *out, double secs);
void rep_format_local(struct tend_buf *out, const struct rep_agg *agg,
    int64_t t);

#endif
