/* eval.c: one thread's clocks, worked out from its records in time order.
 *
 * A thread is one case, opened by its first customer post.  The walk
 * keeps who is waiting on whom: the customer posts not yet answered (their
 * response clock runs from the first of them), whether our last message
 * asked the customer something (then we wait on them), when the resolve
 * clock runs, and the gaps between our updates.  A resolution ends every
 * response clock still running; a customer post after it reopens the case.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "sla.h"

struct walk {
	const struct sla_policy *p;
	const struct sla_item *items;
	size_t n;
	int64_t now;
	struct sla_result *res;
	struct sla_case *c;
	int open;
	long unanswered;	/* first customer post not answered, -1 */
	long last_customer;
	int64_t run_start;	/* the resolve clock runs since, -1 */
	int64_t update_from;	/* an update is due counting from, -1 */
	int waiting;		/* we wait on the customer */
	long *next_customer;	/* see next_customer() */
};

int64_t
sla_secs(const struct tend_calendar *cal, int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	return cal ? tend_calendar_open_secs(cal, from, to) : to - from;
}

int64_t
sla_add(const struct tend_calendar *cal, int64_t from, int64_t secs)
{
	if (secs < 0)
		secs = 0;
	if (!cal)
		return from > SLA_NEVER - secs ? SLA_NEVER : from + secs;
	return tend_calendar_add(cal, from, secs);
}

static void
push_span(struct sla_span **v, size_t *n, size_t *cap, int64_t from,
    int64_t to)
{
	tend_xgrow((void **)v, cap, *n + 1, sizeof(**v));
	(*v)[*n].from = from;
	(*v)[(*n)++].to = to;
}

static int
conversation(const struct walk *w)
{
	return w->c->target && w->c->target->conversation > 0;
}

static int
pauses(const struct walk *w)
{
	return w->c->target && w->c->target->pause_waiting;
}

static void
stop_resolve_clock(struct walk *w, int64_t t)
{
	struct sla_case *c = w->c;

	if (w->run_start < 0)
		return;
	push_span(&c->resolve, &c->nresolve, &c->resolve_cap, w->run_start, t);
	w->run_start = -1;
}

static void
stop_update_clock(struct walk *w, int64_t t)
{
	struct sla_case *c = w->c;

	if (w->update_from < 0)
		return;
	push_span(&c->updates, &c->nupdates, &c->updates_cap, w->update_from,
	    t);
	w->update_from = -1;
}

/* Item i answers every customer post still waiting. */
static void
answer(struct walk *w, size_t i, long responder)
{
	size_t k;

	if (w->unanswered < 0)
		return;
	for (k = (size_t)w->unanswered; k < i; k++)
		if (w->items[k].role == ROLE_CUSTOMER &&
		    w->res[k].clock >= 0 && w->res[k].end < 0) {
			w->res[k].end = w->items[i].at;
			w->res[k].responder = responder;
		}
	w->unanswered = -1;
}

static void
resolve(struct walk *w, size_t i, int64_t t)
{
	struct sla_case *c = w->c;

	if (c->resolved)
		return;
	answer(w, i, -1);
	stop_resolve_clock(w, t);
	stop_update_clock(w, t);
	c->resolved = 1;
	c->resolved_at = t;
	c->follow_up = -1;
	c->window_until = -1;
	w->waiting = 0;
}

static void
reopen(struct walk *w, int64_t t)
{
	if (!w->c->resolved)
		return;
	w->c->resolved = 0;
	w->waiting = 0;
	w->run_start = t;
}

static void
start_waiting(struct walk *w, int64_t t)
{
	if (w->waiting)
		return;
	w->waiting = 1;
	if (pauses(w))
		stop_resolve_clock(w, t);
}

static void
stop_waiting(struct walk *w, int64_t t)
{
	if (!w->waiting)
		return;
	w->waiting = 0;
	if (pauses(w) && w->run_start < 0 && !w->c->resolved)
		w->run_start = t;
}

/* The index of the first customer post at or after each item (n when
 * none), made once per walk: a thread of many closing messages must not
 * cost the square of its length. */
static const long *
next_customer(struct walk *w)
{
	long next = (long)w->n;
	size_t i;

	if (w->next_customer)
		return w->next_customer;
	w->next_customer = tend_xmalloc((w->n + 1) * sizeof(long));
	w->next_customer[w->n] = next;
	for (i = w->n; i-- > 0;) {
		if (w->items[i].role == ROLE_CUSTOMER)
			next = (long)i;
		w->next_customer[i] = next;
	}
	return w->next_customer;
}

/* Our closing message at i resolves the case unless the customer writes
 * (other than thanks) within the window; a window still open at now
 * (and with no later record past it) leaves the case open for now. */
static void
closing(struct walk *w, size_t i)
{
	int64_t t = w->items[i].at, until = t + w->c->target->conversation;
	long j = next_customer(w)[i + 1];
	int passed = w->now >= until || w->items[w->n - 1].at >= until;

	if (j < (long)w->n) {
		if (w->items[j].flags & ITEM_THANKS)
			passed = 1;
		else if (w->items[j].at < until)
			return;
	}
	if (w->c->settle == SLA_NEVER || until > w->c->settle)
		w->c->settle = until;
	if (passed)
		resolve(w, i, t);
	else
		w->c->window_until = until;
}

static void
open_case(struct walk *w, size_t i)
{
	struct sla_case *c = w->c;
	int target = w->items[i].target;

	w->open = 1;
	c->opener = (long)i;
	c->target = target >= 0 ? &w->p->targets[target] : NULL;
	w->run_start = w->items[i].at;
	w->res[i].opener = 1;
}

static void
customer(struct walk *w, size_t i)
{
	const struct sla_item *it = &w->items[i];
	struct sla_result *r = &w->res[i];
	struct sla_case *c = w->c;
	int thanks;

	if (!w->open) {
		open_case(w, i);
	} else {
		thanks = conversation(w) && (it->flags & ITEM_THANKS);
		if (c->resolved && thanks)
			return;
		if (thanks) {
			resolve(w, i, it->at);
			return;
		}
		reopen(w, it->at);
	}
	c->window_until = -1;
	stop_waiting(w, it->at);
	stop_update_clock(w, it->at);
	r->clock = c->first_response < 0 ? CLOCK_FIRST_RESPONSE :
	    CLOCK_NEXT_RESPONSE;
	if (w->unanswered < 0)
		w->unanswered = (long)i;
	r->start = w->items[w->unanswered].at;
	w->last_customer = (long)i;
}

/* A message from us that counts as a response. */
static void
ours(struct walk *w, size_t i)
{
	const struct sla_item *it = &w->items[i];
	struct sla_case *c = w->c;

	w->res[i].counts = w->open;
	w->res[i].responds_to = w->unanswered >= 0 ? w->unanswered :
	    w->last_customer;
	if (!w->open)
		return;
	answer(w, i, (long)i);
	if (c->first_response < 0)
		c->first_response = (long)i;
	if (c->resolved) {
		if (c->follow_up < 0 && it->at > c->resolved_at)
			c->follow_up = (long)i;
		return;
	}
	stop_update_clock(w, it->at);
	if (it->flags & ITEM_ASKS) {
		start_waiting(w, it->at);
	} else {
		stop_waiting(w, it->at);
		w->update_from = it->at;
	}
	if ((it->flags & ITEM_CLOSING) && conversation(w))
		closing(w, i);
}

static void
event(struct walk *w, size_t i)
{
	const struct sla_item *it = &w->items[i];
	int live = w->open && !w->c->resolved;

	switch (it->event) {
	case EVENT_RESOLVED:
		w->res[i].counts = live;
		if (live)
			resolve(w, i, it->at);
		break;
	case EVENT_REOPENED:
		w->res[i].counts = w->open && w->c->resolved;
		reopen(w, it->at);
		break;
	case EVENT_WAITING:
		w->res[i].counts = live;
		if (live) {
			stop_update_clock(w, it->at);
			start_waiting(w, it->at);
		}
		break;
	case EVENT_UPDATE:
		w->res[i].counts = live;
		if (live) {
			stop_update_clock(w, it->at);
			if (!w->waiting)
				w->update_from = it->at;
		}
		break;
	}
}

static int
counts_as_ours(const struct walk *w, const struct sla_item *it)
{
	if (it->role == ROLE_AGENT)
		return 1;
	return it->role == ROLE_BOT && w->c->target &&
	    w->c->target->bot_counts;
}

static void
walk_items(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		const struct sla_item *it = &w->items[i];

		if (it->role == ROLE_CUSTOMER)
			customer(w, i);
		else if (it->role == ROLE_EVENT)
			event(w, i);
		else if (counts_as_ours(w, it))
			ours(w, i);
		else
			w->res[i].responds_to = w->unanswered >= 0 ?
			    w->unanswered : w->last_customer;
	}
}

/* When nothing in the case can change any more but by new records. */
static void
settle(struct walk *w)
{
	struct sla_case *c = w->c;
	const struct sla_clock *fu;
	int64_t last = w->n ? w->items[w->n - 1].at : 0, due;

	if (c->settle == SLA_NEVER || c->settle < last)
		c->settle = last;
	if (w->open && !c->resolved) {
		c->settle = SLA_NEVER;
		return;
	}
	if (!w->open || !c->target)
		return;
	fu = &c->target->clocks[CLOCK_FOLLOW_UP];
	if (fu->set && c->follow_up < 0) {
		due = sla_add(fu->cal, c->resolved_at, fu->limit);
		c->settle = due > c->settle ? due : c->settle;
	}
}

void
sla_eval(const struct sla_policy *p, const struct sla_item *items, size_t n,
    int64_t now, struct sla_result *res, struct sla_case *c)
{
	struct walk w;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->opener = c->first_response = c->follow_up = -1;
	c->resolved_at = c->window_until = -1;
	c->settle = SLA_NEVER;
	for (i = 0; i < n; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		res[i].clock = -1;
		res[i].end = res[i].start = -1;
		res[i].responder = res[i].responds_to = -1;
	}
	memset(&w, 0, sizeof(w));
	w.p = p;
	w.items = items;
	w.n = n;
	w.now = now;
	w.res = res;
	w.c = c;
	w.unanswered = w.last_customer = -1;
	w.run_start = w.update_from = -1;
	walk_items(&w);
	if (w.run_start >= 0)
		push_span(&c->resolve, &c->nresolve, &c->resolve_cap,
		    w.run_start, SLA_NEVER);
	if (w.update_from >= 0)
		push_span(&c->updates, &c->nupdates, &c->updates_cap,
		    w.update_from, SLA_NEVER);
	c->waiting = w.waiting;
	settle(&w);
	free(w.next_customer);
}

void
sla_case_release(struct sla_case *c)
{
	free(c->resolve);
	free(c->updates);
	c->resolve = c->updates = NULL;
	c->nresolve = c->nupdates = c->resolve_cap = c->updates_cap = 0;
}
