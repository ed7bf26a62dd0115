/* route.c: the escalation of one record: its routes, then the ladders of
 * its sla object (tend-routes(5), ROUTES and LADDERS). */
#include <string.h>

#include "escalate.h"
#include "timestamp.h"
#include "utf8.h"

void
esc_hit_init(struct esc_hit *h)
{
	memset(h, 0, sizeof(*h));
	tend_buf_init(&h->reasons);
	tend_buf_init(&h->routes);
	h->team = -1;
}

void
esc_hit_release(struct esc_hit *h)
{
	tend_buf_release(&h->reasons);
	tend_buf_release(&h->routes);
}

void
esc_add_string(struct tend_buf *out, const char *s, size_t n)
{
	struct tend_buf fixed = TEND_BUF_INIT;

	if (tend_utf8_check(s, n) == n) {
		tend_json_add_string(out, s, n);
		return;
	}
	tend_utf8_repair(&fixed, s, n);
	tend_json_add_string(out, fixed.data, fixed.len);
	tend_buf_release(&fixed);
}

void
esc_add_time(struct tend_buf *out, int64_t t)
{
	struct tend_time tt = { t, 0 };
	char text[TEND_TIME_TEXT];
	size_t n = tend_time_format(tt, text);

	tend_buf_addc(out, '"');
	tend_buf_add(out, text, n);
	tend_buf_addc(out, '"');
}

/* One route or step matched: the highest level decides the team (the
 * first to reach it, on a tie); every reason and id is listed. */
static void
hit_add(struct esc_hit *h, int team, int level, const char *reason,
    const char *id)
{
	if (level > h->level) {
		h->level = level;
		h->team = team;
	}
	if (h->n) {
		tend_buf_addc(&h->reasons, ',');
		tend_buf_addc(&h->routes, ',');
	}
	esc_add_string(&h->reasons, reason, strlen(reason));
	esc_add_string(&h->routes, id, strlen(id));
	h->n++;
}

static int
time_member(const json_t *obj, const char *key, int64_t *t)
{
	const json_t *v = json_object_get(obj, key);
	struct tend_time tt;

	if (!json_is_string(v) || tend_time_parse_rfc3339(json_string_value(v),
	    json_string_length(v), &tt) < 0)
		return -1;
	*t = tt.sec;
	return 0;
}

/* 1 when a clock of sla.breaches was due at least offset before now (a
 * clock without a due time counts as breached just now). */
static int
breached_since(const json_t *sla, int64_t now, int64_t offset)
{
	const json_t *breaches = json_object_get(sla, "breaches");
	const json_t *due = json_object_get(sla, "due"), *b;
	size_t i;
	int64_t at;

	if (!json_is_array(breaches))
		return 0;
	json_array_foreach(breaches, i, b) {
		const json_t *clock = json_object_get(b, "clock");

		if (!json_is_string(clock))
			continue;
		if (time_member(due, json_string_value(clock), &at) < 0)
			at = now;
		if (now - at >= offset)
			return 1;
	}
	return 0;
}

static int
step_fires(const struct esc_step *st, const json_t *sla, int64_t now)
{
	const char *status = json_string_value(json_object_get(sla, "status"));
	int64_t next;

	if (st->kind == STEP_BREACH)
		return breached_since(sla, now, st->offset);
	if (!status)
		return 0;
	if (!st->offset)
		return strcmp(status, "at_risk") == 0;
	if (strcmp(status, "pending") != 0 && strcmp(status, "at_risk") != 0)
		return 0;
	if (time_member(sla, "next_due", &next) < 0)
		return 0;
	return next > now && next - now <= st->offset;
}

static void
run_ladders(const struct esc_routes *r, const json_t *record, int64_t now,
    struct esc_hit *h)
{
	const json_t *sla = json_object_get(record, "sla");
	int routed = h->team;
	size_t i, j;

	if (!json_is_object(sla))
		return;
	for (i = 0; i < r->nladders; i++) {
		const struct esc_ladder *l = &r->ladders[i];

		if (l->when && !tend_expr_eval(l->when, record))
			continue;
		for (j = 0; j < l->nsteps; j++) {
			const struct esc_step *st = &l->steps[j];

			if (!step_fires(st, sla, now))
				continue;
			hit_add(h, st->team >= 0 ? st->team : routed >= 0 ?
			    routed : l->team, st->level, st->reason, st->id);
		}
	}
}

int
esc_route_record(const struct esc_routes *r, const json_t *record,
    int64_t now, struct esc_hit *h)
{
	size_t i;

	h->team = -1;
	h->level = 0;
	h->n = 0;
	tend_buf_reset(&h->reasons);
	tend_buf_reset(&h->routes);
	for (i = 0; i < r->nroutes; i++) {
		const struct esc_route *rt = &r->routes[i];

		if (rt->when && !tend_expr_eval(rt->when, record))
			continue;
		hit_add(h, rt->team, rt->level, rt->reason ? rt->reason :
		    rt->id, rt->id);
		if (!rt->cont)
			break;
	}
	if (r->nladders)
		run_ladders(r, record, now, h);
	return h->n;
}

void
esc_hit_json(const struct esc_routes *r, const struct esc_hit *h,
    int64_t now, struct tend_buf *out)
{
	const char *team = r->teams[h->team].name;

	tend_buf_adds(out, "{\"team\":");
	tend_json_add_string(out, team, strlen(team));
	tend_buf_printf(out, ",\"level\":%d,\"reasons\":[", h->level);
	tend_buf_add(out, h->reasons.data, h->reasons.len);
	tend_buf_adds(out, "],\"routes\":[");
	tend_buf_add(out, h->routes.data, h->routes.len);
	tend_buf_adds(out, "],\"at\":");
	esc_add_time(out, now);
	tend_buf_addc(out, '}');
}
