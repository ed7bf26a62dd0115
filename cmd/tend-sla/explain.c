/* explain.c: --explain THREAD: the records of one thread, then for each
 * clock the stretches of time it counted, those outside its calendar and
 * those it was stopped, and its outcome at --now. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "sla.h"

static const char *const role_names[] = {
	"customer", "agent", "bot", "note", "event", "other"
};

static const char *const event_names[] = {
	"", "resolved", "reopened", "waiting", "update", "(other)"
};

struct span_printer {
	FILE *out;
	int64_t cursor;		/* the end of the last stretch printed */
	int64_t counted;
};

/* A record's id or thread, control characters escaped: it comes from the
 * input and must not reach a terminal raw. */
static void
print_id(FILE *out, const char *id)
{
	char q[512];

	fputs(tend_error_quote(id, strlen(id), q, sizeof(q)), out);
}

static void
print_time(FILE *out, int64_t t)
{
	struct tend_buf b = TEND_BUF_INIT;

	sla_add_time(&b, t);
	fprintf(out, "%.*s", (int)b.len - 2, b.data + 1);
	tend_buf_release(&b);
}

static void
print_stretch(FILE *out, const char *what, int64_t from, int64_t to)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_duration_format(&b, to - from);
	fprintf(out, "    %-8s ", what);
	print_time(out, from);
	fputs("  ", out);
	print_time(out, to);
	fprintf(out, "  %s\n", b.data);
	tend_buf_release(&b);
}

static void
open_stretch(void *arg, int64_t start, int64_t end)
{
	struct span_printer *sp = arg;

	if (start > sp->cursor)
		print_stretch(sp->out, "outside", sp->cursor, start);
	print_stretch(sp->out, "counted", start, end);
	sp->counted += end - start;
	sp->cursor = end;
}

/* The stretches of [from, to) on cal. */
static int64_t
explain_span(FILE *out, const struct tend_calendar *cal, int64_t from,
    int64_t to)
{
	struct span_printer sp;

	if (to <= from)
		return 0;
	sp.out = out;
	sp.cursor = from;
	sp.counted = 0;
	if (cal)
		tend_calendar_each_open(cal, from, to, open_stretch, &sp);
	else
		open_stretch(&sp, from, to);
	if (sp.cursor < to)
		print_stretch(out, "outside", sp.cursor, to);
	return sp.counted;
}

static void
clock_head(FILE *out, const struct sla_clock *ck, int id, const char *of)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_duration_format(&b, ck->limit);
	fprintf(out, "%s%s%s: limit %s", sla_clock_names[id], of ? " of " : "",
	    of ? of : "", b.data);
	if (ck->warn) {
		tend_buf_reset(&b);
		tend_duration_format(&b, ck->warn);
		fprintf(out, ", warn %s", b.data);
	}
	if (ck->cal)
		fprintf(out, ", calendar %s (%s)\n", ck->cal_name,
		    tend_tz_name(tend_calendar_tz(ck->cal)));
	else
		fputs(", wall time\n", out);
	tend_buf_release(&b);
}

static void
outcome_line(FILE *out, const struct sla_outcome *o, int id)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_duration_format(&b, o->counted);
	fprintf(out, "    = %s%s (%lld s)", id == CLOCK_UPDATE_EVERY ?
	    "longest gap " : "", b.data, (long long)o->counted);
	fputs(id == CLOCK_UPDATE_EVERY ? "" : " counted", out);
	if (o->running)
		fputs(" so far", out);
	fprintf(out, ": %s", sla_status_names[o->status]);
	if (o->status == STATUS_BREACHED) {
		tend_buf_reset(&b);
		tend_duration_format(&b, o->by);
		fprintf(out, " by %s", b.data);
	}
	if (o->due != SLA_NEVER) {
		fputs(", due ", out);
		print_time(out, o->due);
	}
	fputc('\n', out);
	tend_buf_release(&b);
}

static void
explain_clocks(const struct sla_policy *p, const struct sla_item *items,
    const struct sla_result *res, const struct sla_case *c, size_t i,
    int64_t now, FILE *out)
{
	const struct sla_target *t = c->target;
	struct sla_outcome o;
	int id;
	size_t k;

	for (id = 0; id < NCLOCKS; id++) {
		const struct sla_clock *ck = &t->clocks[id];
		int64_t end;

		sla_outcome(p, items, res, c, i, id, now, &o);
		if (!o.set)
			continue;
		clock_head(out, ck, id, items[i].id);
		if (id <= CLOCK_NEXT_RESPONSE) {
			end = res[i].end >= 0 ? res[i].end : now;
			explain_span(out, ck->cal, res[i].start, end);
		} else if (id == CLOCK_RESOLVE) {
			for (k = 0; k < c->nresolve; k++) {
				end = c->resolve[k].to == SLA_NEVER ? now :
				    c->resolve[k].to;
				if (k)
					print_stretch(out, "stopped",
					    c->resolve[k - 1].to,
					    c->resolve[k].from);
				explain_span(out, ck->cal, c->resolve[k].from,
				    end);
			}
		} else if (id == CLOCK_UPDATE_EVERY) {
			for (k = 0; k < c->nupdates; k++) {
				end = c->updates[k].to == SLA_NEVER ? now :
				    c->updates[k].to;
				explain_span(out, ck->cal, c->updates[k].from,
				    end);
			}
		} else {
			end = c->follow_up >= 0 ? items[c->follow_up].at : now;
			explain_span(out, ck->cal, c->resolved_at, end);
		}
		outcome_line(out, &o, id);
	}
}

static void
list_records(const struct sla_item *items, const struct sla_result *res,
    size_t n, FILE *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fputs("  ", out);
		print_time(out, items[i].at);
		fprintf(out, "  %-8s ", role_names[items[i].role]);
		print_id(out, items[i].id);
		if (items[i].has_agent)
			fprintf(out, " (%s)", items[i].agent);
		if (items[i].role == ROLE_EVENT)
			fprintf(out, " %s", event_names[items[i].event]);
		if (res[i].opener)
			fputs(": opens the case", out);
		else if (items[i].role != ROLE_CUSTOMER &&
		    items[i].role != ROLE_EVENT && res[i].responds_to >= 0)
		{
			fprintf(out, ": %s ", res[i].counts ? "answers" :
			    "does not count for");
			print_id(out, items[res[i].responds_to].id);
		}
		else if (items[i].role != ROLE_CUSTOMER && !res[i].counts)
			fputs(": does not count", out);
		fputc('\n', out);
	}
}

void
sla_explain(const struct sla_policy *p, const char *thread,
    const struct sla_item *items, size_t n, int64_t now, FILE *out)
{
	struct sla_result *res = tend_xcalloc(n ? n : 1, sizeof(*res));
	struct sla_case c;
	size_t i;

	sla_eval(p, items, n, now, res, &c);
	fputs("thread ", out);
	print_id(out, thread);
	fprintf(out, ": policy %s, target %s, at ", p->name,
	    c.target ? c.target->name : "(none)");
	print_time(out, now);
	fputc('\n', out);
	list_records(items, res, n, out);
	if (c.resolved) {
		fputs("resolved at ", out);
		print_time(out, c.resolved_at);
		fputc('\n', out);
	}
	for (i = 0; i < n && c.target; i++)
		if (items[i].role == ROLE_CUSTOMER)
			explain_clocks(p, items, res, &c, i, now, out);
	sla_case_release(&c);
	free(res);
}
