/* run.h: one run of tend-escalate: records in, escalations and alerts
 * out, the state and the notifications (tend-escalate(1)).
 *
 * State keys (each part separated by the unit separator, 0x1f):
 *   done  ID  LEVEL      ID (a post's or an alert's) was notified at LEVEL
 *   pend  ID  LEVEL      a notification held or failed, to send again
 *   cool  TEAM  THREAD   TEAM last heard about THREAD (or an alert key)
 *   alert KIND  KEY  START   alert raised for KEY's window from START
 *   spike KEY            the spike model's baseline of KEY
 *   quiet CHANNEL        the channel's last post and traffic
 *   meta  upto           the newest created_at the models counted
 *   meta  spike          when the spike model started counting
 */
#ifndef TEND_ESCALATE_RUN_H
#define TEND_ESCALATE_RUN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "escalate.h"
#include "record.h"
#include "state.h"

struct esc_alerts;		/* alerts.c */
struct tend_strmap;

struct esc_run {
	const struct esc_routes *routes;
	const struct esc_roster *roster;	/* NULL: no --agents */
	struct esc_state *state;		/* NULL: no --state */
	const char *state_path;
	int64_t now;
	int stream;			/* --now stream: now follows the input */
	char **exec_argv;		/* NULL: no --exec */
	double exec_timeout;
	const char *outdir;		/* NULL: no --outdir */
	int only_escalated;
	void (*emit)(void *arg, const char *p, size_t n);
	void *emit_arg;

	int64_t upto;			/* the models counted records up to */
	int64_t newest;			/* the newest created_at seen */
	long escalated, alerts, notified, failed, held;
	int notify_failed;		/* exit status 1 */
	struct esc_alerts *models;
	struct tend_strmap *touched;	/* pend keys written this run */
	struct tend_strmap *raised;	/* alert ids raised this run */
	struct esc_hit hit;
	struct tend_buf out, key, value, scratch;
};

/* Starts a run: reads the models' memory from the state (may be NULL). */
void esc_run_init(struct esc_run *run, const struct esc_routes *routes,
    struct esc_state *state, int64_t now, int stream);

/* Before the first record, once the run's notification settings are
 * set: sends what earlier runs held or failed to send (with --now stream,
 * esc_run_finish() does, when the clock is known). */
void esc_run_start(struct esc_run *run);

/* One record (parsed, so rec->root is set). */
void esc_run_record(struct esc_run *run, struct tend_record *rec);

/* Ends the run: the alerts still open, held notifications, the models
 * back into the state (not committed: the caller does). */
void esc_run_finish(struct esc_run *run);
void esc_run_release(struct esc_run *run);

/* For alerts.c: raises an alert unless it was raised before (this run or,
 * with a state, an earlier one); alert (stolen) holds its kind-specific
 * members, text the one-line summary.  start is the window's start (or
 * the silence's, for quiet). */
void esc_run_raise(struct esc_run *run, const char *kind, const char *key,
    int64_t start, const char *channel, json_t *alert, const char *text);

/* The models (alerts.c). */
struct esc_alerts *esc_alerts_new(struct esc_run *run);
void esc_alerts_free(struct esc_alerts *a);
/* Reads what the state remembers of the models. */
void esc_alerts_load(struct esc_alerts *a);
/* Counts record (a post counted by no earlier run when counted is 1). */
void esc_alerts_observe(struct esc_alerts *a, struct tend_record *rec,
    int counted);
/* Closes the windows that ended by run->now (stream mode, per record). */
void esc_alerts_tick(struct esc_alerts *a);
/* End of the input: every window is evaluated, the models saved. */
void esc_alerts_finish(struct esc_alerts *a);

/* "K1\x1fK2..." into run->key; returns its data. */
const char *esc_key(struct esc_run *run, const char *k1, const char *k2,
    const char *k3, const char *k4);

#endif
