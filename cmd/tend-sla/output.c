/* output.c: each clock's outcome at --now, and the sla object of a record
 * (tend-sla(1) documents its members). */
#include <string.h>

#include "sla.h"
#include "record.h"
#include "timestamp.h"

const char *const sla_status_names[] = {
	"none", "met", "pending", "at_risk", "breached"
};

/* A clock still counting: breached, at risk or pending by its count. */
static void
running(struct sla_outcome *o, const struct sla_clock *ck)
{
	o->running = 1;
	if (o->counted > ck->limit) {
		o->status = STATUS_BREACHED;
		o->by = o->counted - ck->limit;
	} else if (ck->warn && o->counted >= ck->warn) {
		o->status = STATUS_AT_RISK;
	} else {
		o->status = STATUS_PENDING;
	}
}

static void
stopped(struct sla_outcome *o, const struct sla_clock *ck)
{
	o->running = 0;
	o->status = o->counted > ck->limit ? STATUS_BREACHED : STATUS_MET;
	o->by = o->counted > ck->limit ? o->counted - ck->limit : 0;
}

static void
response(const struct sla_result *r, const struct sla_clock *ck,
    int64_t now, struct sla_outcome *o)
{
	o->due = sla_add(ck->cal, r->start, ck->limit);
	if (r->end >= 0) {
		o->counted = sla_secs(ck->cal, r->start, r->end);
		stopped(o, ck);
	} else {
		o->counted = sla_secs(ck->cal, r->start, now);
		running(o, ck);
	}
}

static void
resolve_clock(const struct sla_case *c, const struct sla_clock *ck,
    int64_t now, struct sla_outcome *o)
{
	int64_t cum = 0, s;
	size_t i;
	int open_end = 0;

	o->due = SLA_NEVER;
	for (i = 0; i < c->nresolve; i++) {
		const struct sla_span *sp = &c->resolve[i];
		int64_t to = sp->to == SLA_NEVER ? now : sp->to;

		open_end = sp->to == SLA_NEVER;
		if (o->due == SLA_NEVER && (open_end || cum +
		    sla_secs(ck->cal, sp->from, sp->to) >= ck->limit))
			o->due = sla_add(ck->cal, sp->from, ck->limit - cum);
		s = sla_secs(ck->cal, sp->from, to);
		cum += s;
	}
	o->counted = cum;
	if (c->resolved)
		stopped(o, ck);
	else
		running(o, ck);
	if (!c->resolved && !open_end)
		o->running = 0;		/* paused */
}

static void
update_clock(const struct sla_case *c, const struct sla_clock *ck,
    int64_t now, struct sla_outcome *o)
{
	size_t i;

	o->due = SLA_NEVER;
	o->status = STATUS_MET;
	if (!c->nupdates) {
		o->set = 0;
		return;
	}
	for (i = 0; i < c->nupdates; i++) {
		const struct sla_span *sp = &c->updates[i];
		struct sla_outcome gap;

		memset(&gap, 0, sizeof(gap));
		if (sp->to == SLA_NEVER) {
			gap.counted = sla_secs(ck->cal, sp->from, now);
			running(&gap, ck);
			o->due = sla_add(ck->cal, sp->from, ck->limit);
		} else {
			gap.counted = sla_secs(ck->cal, sp->from, sp->to);
			stopped(&gap, ck);
		}
		if (gap.counted > o->counted)
			o->counted = gap.counted;
		if (gap.by > o->by)
			o->by = gap.by;
		if (gap.status > o->status)
			o->status = gap.status;
		o->running = gap.running;
	}
}

static void
follow_up_clock(const struct sla_item *items, const struct sla_case *c,
    const struct sla_clock *ck, int64_t now, struct sla_outcome *o)
{
	if (!c->resolved) {
		o->set = 0;
		return;
	}
	o->due = sla_add(ck->cal, c->resolved_at, ck->limit);
	if (c->follow_up >= 0) {
		o->counted = sla_secs(ck->cal, c->resolved_at,
		    items[c->follow_up].at);
		stopped(o, ck);
	} else {
		o->counted = sla_secs(ck->cal, c->resolved_at, now);
		running(o, ck);
	}
}

void
sla_outcome(const struct sla_policy *p, const struct sla_item *items,
    const struct sla_result *res, const struct sla_case *c, size_t i,
    int id, int64_t now, struct sla_outcome *o)
{
	const struct sla_clock *ck;

	memset(o, 0, sizeof(*o));
	o->due = SLA_NEVER;
	if (!c->target || !c->target->clocks[id].set)
		return;
	ck = &c->target->clocks[id];
	if (id == CLOCK_FIRST_RESPONSE || id == CLOCK_NEXT_RESPONSE) {
		if (res[i].clock != id)
			return;
		o->set = 1;
		response(&res[i], ck, now, o);
		return;
	}
	if (!res[i].opener)
		return;
	o->set = 1;
	if (id == CLOCK_RESOLVE)
		resolve_clock(c, ck, now, o);
	else if (id == CLOCK_UPDATE_EVERY)
		update_clock(c, ck, now, o);
	else
		follow_up_clock(items, c, ck, now, o);
}

static void
two_digits(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* As tend_time_format, without printf: it runs several times a post. */
void
sla_add_time(struct tend_buf *out, int64_t t)
{
	char text[TEND_TIME_TEXT + 2];
	int64_t days = t / 86400, rem = t % 86400, y;
	unsigned m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tend_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		struct tend_time tt = { t, 0 };

		text[0] = '"';
		tend_buf_add(out, text, 1);
		tend_buf_add(out, text, tend_time_format(tt, text));
		tend_buf_addc(out, '"');
		return;
	}
	memcpy(text, "\"0000-00-00T00:00:00Z\"", 22);
	two_digits(text + 1, (unsigned)(y / 100));
	two_digits(text + 3, (unsigned)(y % 100));
	two_digits(text + 6, m);
	two_digits(text + 9, d);
	two_digits(text + 12, (unsigned)(rem / 3600));
	two_digits(text + 15, (unsigned)(rem / 60 % 60));
	two_digits(text + 18, (unsigned)(rem % 60));
	tend_buf_add(out, text, 22);
}

static void
add_key(struct tend_buf *out, const char *key)
{
	tend_buf_adds(out, ",\"");
	tend_buf_adds(out, key);
	tend_buf_adds(out, "\":");
}

static void
add_int(struct tend_buf *out, int64_t v)
{
	char digits[24], *p = digits + sizeof(digits);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	tend_buf_add(out, p, (size_t)(digits + sizeof(digits) - p));
}

/* first_response_secs (or response_secs): how long the customer post of r
 * waited for the answer at, as {"calendar":N,"wall":N}. */
static void
add_response_secs(struct tend_buf *out, const struct sla_result *r,
    const struct sla_clock *ck, int64_t at)
{
	add_key(out, r->clock == CLOCK_FIRST_RESPONSE ? "first_response_secs" :
	    "response_secs");
	tend_buf_adds(out, "{\"calendar\":");
	add_int(out, sla_secs(ck && ck->set ? ck->cal : NULL, r->start, at));
	tend_buf_adds(out, ",\"wall\":");
	add_int(out, at - r->start);
	tend_buf_addc(out, '}');
}

/* first_response_at and _secs, or response_at and _secs. */
static void
add_response(struct tend_buf *out, const struct sla_item *items,
    const struct sla_result *r, const struct sla_case *c)
{
	const struct sla_clock *ck = c->target ?
	    &c->target->clocks[r->clock] : NULL;
	int64_t at;

	add_key(out, r->clock == CLOCK_FIRST_RESPONSE ? "first_response_at" :
	    "response_at");
	if (r->responder < 0) {
		tend_buf_adds(out, "null");
		return;
	}
	at = items[r->responder].at;
	sla_add_time(out, at);
	add_response_secs(out, r, ck, at);
}

/* "due": the deadline of each clock that has one. */
static void
add_due(struct tend_buf *out, const struct sla_outcome *o)
{
	int id, any = 0;

	for (id = 0; id < NCLOCKS; id++) {
		if (!o[id].set || o[id].due == SLA_NEVER)
			continue;
		tend_buf_adds(out, any ? ",\"" : ",\"due\":{\"");
		tend_buf_adds(out, sla_clock_names[id]);
		tend_buf_adds(out, "\":");
		sla_add_time(out, o[id].due);
		any = 1;
	}
	if (any)
		tend_buf_addc(out, '}');
}

/* "breaches": each clock breached and by how much; absent when none. */
static void
add_breaches(struct tend_buf *out, const struct sla_outcome *o)
{
	int id, any = 0;

	for (id = 0; id < NCLOCKS; id++) {
		if (!o[id].set || o[id].status != STATUS_BREACHED)
			continue;
		tend_buf_adds(out, any ? "," : ",\"breaches\":[");
		tend_buf_adds(out, "{\"clock\":\"");
		tend_buf_adds(out, sla_clock_names[id]);
		tend_buf_adds(out, "\",\"by_secs\":");
		add_int(out, o[id].by);
		tend_buf_addc(out, '}');
		any = 1;
	}
	if (any)
		tend_buf_addc(out, ']');
}

static enum sla_status
customer_object(const struct sla_policy *p, const struct sla_item *items,
    const struct sla_result *res, const struct sla_case *c, size_t i,
    int64_t now, struct tend_buf *out)
{
	struct sla_outcome o[NCLOCKS];
	enum sla_status status = STATUS_NONE;
	int64_t next = SLA_NEVER;
	int id;

	for (id = 0; id < NCLOCKS; id++) {
		sla_outcome(p, items, res, c, i, id, now, &o[id]);
		if (!o[id].set)
			continue;
		if (o[id].status > status)
			status = o[id].status;
		if (o[id].running && o[id].status != STATUS_BREACHED &&
		    o[id].due < next)
			next = o[id].due;
	}
	tend_buf_adds(out, ",\"status\":\"");
	tend_buf_adds(out, sla_status_names[status]);
	tend_buf_addc(out, '"');
	add_due(out, o);
	if (res[i].clock >= 0)
		add_response(out, items, &res[i], c);
	add_key(out, "resolved_at");
	if (c->resolved)
		sla_add_time(out, c->resolved_at);
	else
		tend_buf_adds(out, "null");
	if (res[i].opener && c->waiting && !c->resolved && c->target &&
	    c->target->pause_waiting)
		tend_buf_adds(out, ",\"paused\":true");
	add_breaches(out, o);
	if (next != SLA_NEVER) {
		add_key(out, "next_due");
		sla_add_time(out, next);
	}
	return status;
}

/* On the reply that answered a customer post's clock, the time that post
 * waited, under the post's own key: so a report can give each agent's
 * response times from the replies alone. */
static void
add_answer_secs(struct tend_buf *out, const struct sla_result *res,
    const struct sla_case *c, size_t i, int64_t at)
{
	long q = res[i].responds_to;

	if (!res[i].counts || q < 0 || res[q].responder != (long)i ||
	    res[q].clock < 0)
		return;
	add_response_secs(out, &res[q], c->target ?
	    &c->target->clocks[res[q].clock] : NULL, at);
}

static void
add_id(struct tend_buf *out, const struct sla_item *items, long i)
{
	if (i < 0)
		tend_buf_adds(out, "null");
	else
		tend_json_add_string(out, items[i].id, strlen(items[i].id));
}

enum sla_status
sla_output(const struct sla_policy *p, const struct sla_item *items,
    const struct sla_result *res, const struct sla_case *c, size_t i,
    int64_t now, struct tend_buf *out)
{
	const struct sla_item *it = &items[i];
	enum sla_status status = STATUS_NONE;

	tend_buf_addc(out, '{');
	if (it->role == ROLE_CUSTOMER) {
		tend_buf_adds(out, "\"policy\":");
		tend_json_add_string(out, p->name, strlen(p->name));
		tend_buf_adds(out, ",\"target\":");
		if (c->target)
			tend_json_add_string(out, c->target->name,
			    strlen(c->target->name));
		else
			tend_buf_adds(out, "null");
		status = customer_object(p, items, res, c, i, now, out);
	} else if (it->role == ROLE_EVENT) {
		tend_buf_adds(out, res[i].counts ? "\"counts\":true" :
		    "\"counts\":false");
	} else {
		tend_buf_adds(out, "\"responds_to\":");
		add_id(out, items, res[i].responds_to);
		tend_buf_adds(out, ",\"agent\":");
		if (it->has_agent)
			tend_json_add_string(out, it->agent, strlen(it->agent));
		else
			tend_buf_adds(out, "null");
		tend_buf_adds(out, res[i].counts ? ",\"counts\":true" :
		    ",\"counts\":false");
		add_answer_secs(out, res, c, i, it->at);
	}
	tend_buf_addc(out, '}');
	return status;
}
