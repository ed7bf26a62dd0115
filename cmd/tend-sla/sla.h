/* sla.h: the parts of tend-sla (tend-sla(1), tend-policy(5)).
 *
 * policy.c reads a policy: calendars, targets and the patterns that tell
 * what a message is.  item.c makes what the clocks need of each record
 * (thread.h).  thread.c holds the records of each open thread and
 * decides when a thread can be written.  eval.c walks one thread's
 * records in time order and works out every clock; output.c writes the
 * sla object of each record; explain.c prints one thread's arithmetic.
 * main.c only parses options and runs the record loop, so the fuzz
 * harness can link everything else.
 */
#ifndef TEND_SLA_H
#define TEND_SLA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "buf.h"
#include "calendar.h"
#include "error.h"
#include "expr.h"
#include "timestamp.h"

#define SLA_NEVER INT64_MAX

enum sla_clock_id {
	CLOCK_FIRST_RESPONSE,
	CLOCK_NEXT_RESPONSE,
	CLOCK_UPDATE_EVERY,
	CLOCK_RESOLVE,
	CLOCK_FOLLOW_UP,
	NCLOCKS
};

extern const char *const sla_clock_names[NCLOCKS];

struct sla_clock {
	int set;			/* the target has this clock */
	int64_t limit;			/* seconds counted before a breach */
	int64_t warn;			/* at_risk from here; 0: never */
	const struct tend_calendar *cal;	/* NULL: wall time */
	const char *cal_name;		/* NULL: wall time */
};

struct sla_target {
	char *name;
	struct tend_expr *when;		/* NULL: every post */
	struct sla_clock clocks[NCLOCKS];
	int bot_counts;			/* a bot's message is a response */
	int pause_waiting;		/* resolve stops while we wait on them */
	int64_t conversation;		/* closing window; 0: events only */
};

struct sla_calendar {
	char *name;
	struct tend_calendar *cal;
};

struct sla_pattern;			/* a compiled regex (policy.c) */

struct sla_policy {
	char *name;			/* the file's name without .policy */
	struct sla_calendar *cals;
	size_t ncals;
	struct sla_target *targets;
	size_t ntargets;
	struct sla_pattern *signature;	/* agent initials: group 1 */
	struct tend_expr *asks;		/* our message waits on the customer */
	struct tend_expr *closing;	/* our message closes the case */
	struct tend_expr *thanks;	/* the customer's thanks close it */
	char **names;			/* the top-level members the
					 * expressions may read (a superset) */
	size_t nnames;
};

/* Parses a policy from text[0..n); path names it in messages and gives
 * the policy its name, dir resolves relative file names (holidays).
 * Returns a new policy (sla_policy_free) or NULL with err set, file and
 * line and column included. */
struct sla_policy *sla_policy_parse(const char *text, size_t n,
    const char *path, const char *dir, struct tend_error *err);

/* Reads and parses the policy file at path. */
struct sla_policy *sla_policy_load(const char *path, struct tend_error *err);

void sla_policy_free(struct sla_policy *p);

/* The part of the policy ("target NAME", "asks", "closing", "thanks")
 * one of whose patterns hit PCRE2's limits since the count *seen (which
 * it updates), written into buf; NULL when none did. */
const char *sla_policy_limit_hit(const struct sla_policy *p,
    unsigned long *seen, char *buf, size_t size);

/* Index of the first target whose "when" holds for record, or -1. */
int sla_policy_match(const struct sla_policy *p, const json_t *record);

/* Copies the agent's initials found by the signature pattern in text
 * into out (NUL-terminated, cut to size); returns 1, or 0 if none. */
int sla_policy_agent(const struct sla_policy *p, const char *text,
    size_t n, char *out, size_t size);



/* What a record is, for the clocks. */
enum sla_role {
	ROLE_CUSTOMER,		/* a customer's post */
	ROLE_AGENT,		/* a person on our side, public or private */
	ROLE_BOT,		/* our automation */
	ROLE_NOTE,		/* internal: customers never see it */
	ROLE_EVENT,		/* kind "event" */
	ROLE_OTHER		/* system messages, surveys */
};

enum sla_event {
	EVENT_NONE,
	EVENT_RESOLVED,
	EVENT_REOPENED,
	EVENT_WAITING,
	EVENT_UPDATE,
	EVENT_OTHER
};

enum {
	ITEM_ASKS = 1,		/* our message asks the customer something */
	ITEM_CLOSING = 2,	/* our message closes the case */
	ITEM_THANKS = 4,	/* the customer thanks us */
	ITEM_HAS_SLA = 8	/* the record has an "sla" member already */
};

/* One record held until its thread is written. */
struct sla_item {
	char *line;		/* owned: the record's bytes, normalised */
	size_t len;
	const char *id;		/* inside line's allocation */
	int64_t at;		/* created_at */
	int32_t nsec;
	unsigned char role, event, flags;
	signed char has_agent;
	int target;		/* customer posts: the matching target, or -1 */
	char agent[6];		/* initials from the signature */
};

/* What eval found for one record. */
struct sla_result {
	/* customer posts */
	int clock;		/* CLOCK_FIRST_RESPONSE, _NEXT_RESPONSE, -1 */
	int opener;		/* this post opened the case */
	int64_t start;		/* the customer waits since */
	int64_t end;		/* answered (or the case resolved) at; -1 */
	long responder;		/* the item that answered, or -1 */
	/* everything else */
	long responds_to;	/* the customer post answered, or -1 */
	int counts;		/* satisfied a clock, or changed the case */
};

/* An interval of a clock's running time. */
struct sla_span {
	int64_t from, to;	/* to == SLA_NEVER: still running */
};

/* The case of a thread, as eval found it. */
struct sla_case {
	long opener;			/* item index, -1: no customer post */
	const struct sla_target *target;	/* NULL: none matched */
	long first_response;		/* item index, -1 */
	int resolved;			/* at the end of the records */
	int64_t resolved_at;		/* the last resolution, or -1 */
	int64_t window_until;		/* a closing message's window, or -1 */
	long follow_up;			/* item index, -1 */
	int waiting;			/* we wait on the customer at the end */
	struct sla_span *resolve;	/* the resolve clock's running spans */
	size_t nresolve, resolve_cap;
	struct sla_span *updates;	/* update_every gaps */
	size_t nupdates, updates_cap;
	int64_t settle;			/* nothing changes after, but records */
};

/* Evaluates a thread's items (sorted) at instant now; res has n slots.
 * c is filled and owns its arrays (sla_case_release). */
void sla_eval(const struct sla_policy *p, const struct sla_item *items,
    size_t n, int64_t now, struct sla_result *res, struct sla_case *c);
void sla_case_release(struct sla_case *c);

/* The outcome of one clock, at now. */
enum sla_status {
	STATUS_NONE,		/* no clock applies */
	STATUS_MET,
	STATUS_PENDING,
	STATUS_AT_RISK,
	STATUS_BREACHED
};

extern const char *const sla_status_names[];

struct sla_outcome {
	int set;
	enum sla_status status;
	int64_t due;		/* SLA_NEVER: none */
	int64_t counted;	/* seconds counted so far (or in all) */
	int64_t by;		/* breached by, seconds */
	int running;		/* still counting at now */
};

/* The outcome of clock id for customer post i of a case. */
void sla_outcome(const struct sla_policy *p, const struct sla_item *items,
    const struct sla_result *res, const struct sla_case *c, size_t i,
    int id, int64_t now, struct sla_outcome *o);

/* Seconds counted between from and to on cal (NULL: wall time). */
int64_t sla_secs(const struct tend_calendar *cal, int64_t from, int64_t to);
/* The instant secs counted seconds after from on cal; SLA_NEVER. */
int64_t sla_add(const struct tend_calendar *cal, int64_t from, int64_t secs);

/* The status of item i (customer posts; STATUS_NONE otherwise), and its
 * sla object appended to out as compact JSON. */
enum sla_status sla_output(const struct sla_policy *p,
    const struct sla_item *items, const struct sla_result *res,
    const struct sla_case *c, size_t i, int64_t now, struct tend_buf *out);

/* Appends an instant as a JSON string. */
void sla_add_time(struct tend_buf *out, int64_t t);

/* Prints what happened in one thread, minute by minute, to out. */
void sla_explain(const struct sla_policy *p, const char *thread,
    const struct sla_item *items, size_t n, int64_t now, FILE *out);

#endif
