/* escalate.h: the parts of tend-escalate (tend-escalate(1),
 * tend-routes(5)).
 *
 * routes.c reads a routes file: teams, routes, ladders, alert settings,
 * our accounts and the notification settings.  route.c decides the
 * escalation of one record (routes, then ladders).  agents.c reads the
 * --agents roster.  alerts.c keeps the four alert models (spike,
 * security, account, quiet) and builds alert records.  run.c ties them to
 * the state (state.h) and the notifications (notify.h).  main.c only
 * parses options and runs the record loop, so the unit tests and the fuzz
 * harness can link everything else.
 */
#ifndef TEND_ESCALATE_H
#define TEND_ESCALATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "calendar.h"
#include "error.h"
#include "expr.h"
#include "record.h"

#define ESC_MAX_LEVEL 9
#define ESC_MAX_EXAMPLES 5

struct esc_team {
	char *name;
	char *description;	/* "" when none */
};

struct esc_route {
	char *id;
	struct tend_expr *when;	/* NULL: every record */
	int team;		/* index in teams */
	int level;		/* 1..ESC_MAX_LEVEL */
	char *reason;
	int cont;		/* "continue": look further after a match */
	long line;
};

enum esc_step_kind { STEP_BREACH, STEP_AT_RISK };

struct esc_step {
	int kind;
	int64_t offset;		/* breach: after; at_risk: before (0: sla's
				 * own at_risk status) */
	int level;
	int team;		/* -1: the team routed, else the ladder's */
	char *reason;
	char *id;		/* "LADDER.breach+1h" */
};

struct esc_ladder {
	char *name;
	struct tend_expr *when;	/* NULL: every record with an sla object */
	int team;		/* -1 until given; required */
	struct esc_step *steps;
	size_t nsteps;
	long line;
};

/* What every alert block has. */
struct esc_alert_conf {
	int on;			/* the block is in the file */
	long line;		/* where it starts */
	int team;
	int level;
	int64_t window;		/* spike, security, account */
	char *reason;
};

enum {
	SPIKE_TOPIC = 1, SPIKE_CATEGORY = 2, SPIKE_HASHTAG = 4, SPIKE_TERM = 8
};

struct esc_override {
	char *key;		/* "topic:outage/app", or a channel for quiet */
	long min_count;		/* -1: as the block says */
	double z;		/* < 0: as the block says */
	int64_t after;		/* quiet: silence; 0: as the block says */
	int off;
};

struct esc_spike_conf {
	struct esc_alert_conf a;
	unsigned keys;		/* SPIKE_* */
	double alpha, z;
	long min_count, warmup, max_keys;
	size_t min_length;	/* of a term, in bytes */
	struct tend_strmap *stopwords;	/* folded terms never counted */
	struct esc_override *overrides;
	size_t noverrides;
};

struct esc_security_conf {
	struct esc_alert_conf a;
	char **flags;		/* the class flags that count */
	size_t nflags;
};

struct esc_account {
	char *handle;		/* folded to lower case */
	struct tend_calendar *hours;	/* NULL: any time */
	long line;
};

struct esc_account_conf {
	struct esc_alert_conf a;
	struct esc_account *accounts;	/* none: every agent post is ours */
	size_t naccounts;
};

struct esc_quiet_conf {
	struct esc_alert_conf a;
	int64_t after;
	long min_posts;		/* seen before a channel has a baseline */
	struct esc_override *overrides;	/* per channel */
	size_t noverrides;
};

struct esc_notify_conf {
	int64_t cooldown;	/* per team and thread or alert key; 0 none */
	struct tend_calendar *hours;	/* NULL: always */
	int urgent;		/* this level and above is never held */
	int64_t remember;	/* how long "done" entries are kept */
};

struct esc_routes {
	struct esc_team *teams;
	size_t nteams;
	struct esc_route *routes;
	size_t nroutes;
	struct esc_ladder *ladders;
	size_t nladders;
	struct esc_spike_conf spike;
	struct esc_security_conf security;
	struct esc_account_conf account;
	struct esc_quiet_conf quiet;
	struct esc_notify_conf notify;
	char **names;		/* the top-level members the expressions and
				 * ladders may read (a superset) */
	size_t nnames;
	struct tend_strmap *name_map;	/* the same, for lookups */
};

/* Parses a routes file from text[0..n); path names it in messages, dir
 * resolves relative file names (holidays).  Returns a new set of routes
 * (esc_routes_free) or NULL with err set, file, line and column
 * included. */
struct esc_routes *esc_routes_parse(const char *text, size_t n,
    const char *path, const char *dir, struct tend_error *err);
struct esc_routes *esc_routes_load(const char *path, struct tend_error *err);
void esc_routes_free(struct esc_routes *r);

/* The object the expressions are evaluated on: rec's tree, or a new one
 * (*owned, for the caller to decref) holding the members in r->names,
 * for a record read by tend_record_scan(). */
const json_t *esc_expr_root(const struct esc_routes *r,
    struct tend_record *rec, json_t **owned);

/* The number of regex matches of the routes' and ladders' expressions
 * that hit PCRE2's limits so far. */
unsigned long esc_routes_limit_hits(const struct esc_routes *r);

/* The escalation of one record. */
struct esc_hit {
	int team, level;
	struct tend_buf reasons;	/* JSON array members, comma-separated */
	struct tend_buf routes;		/* the same, route and step ids */
	int n;				/* routes and steps that matched */
};

void esc_hit_init(struct esc_hit *h);
void esc_hit_release(struct esc_hit *h);

/* Routes record (a post; its parsed tree) at now into h (reset first):
 * the routes in order (first match, or on past those with "continue"),
 * then every ladder's steps.  Returns h->n. */
int esc_route_record(const struct esc_routes *r, const json_t *record,
    int64_t now, struct esc_hit *h);

/* Appends h's escalation object, with at = now, to out. */
void esc_hit_json(const struct esc_routes *r, const struct esc_hit *h,
    int64_t now, struct tend_buf *out);

/* The --agents roster. */
struct esc_agent {
	char initials[8];
	char *name;
	int active;
	int64_t left;		/* INT64_MAX: has not left */
};

struct esc_roster {
	struct esc_agent *agents;
	size_t n;
};

/* Reads the roster CSV at path (header: initials,name,active,left).
 * Returns a new roster or NULL with err set (FILE:LINE:COL). */
struct esc_roster *esc_roster_load(const char *path, struct tend_error *err);
void esc_roster_free(struct esc_roster *r);
const struct esc_agent *esc_roster_find(const struct esc_roster *r,
    const char *initials);

/* Appends t as a JSON string ("2026-11-23T10:00:00Z") to out. */
void esc_add_time(struct tend_buf *out, int64_t t);
/* Appends a JSON string of s (any bytes: invalid UTF-8 is replaced). */
void esc_add_string(struct tend_buf *out, const char *s, size_t n);

#endif
