/* run.c: the record loop's work: route each record, raise alerts, and
 * notify each escalation once, remembering in the state what was done
 * (tend-escalate(1), STATE and NOTIFICATIONS). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cli.h"
#include "jscan.h"
#include "notify.h"
#include "run.h"
#include "strmap.h"
#include "timestamp.h"

static void
key_into(struct tend_buf *b, const char *k1, const char *k2, const char *k3,
    const char *k4)
{
	const char *parts[4];
	int i;

	parts[0] = k1;
	parts[1] = k2;
	parts[2] = k3;
	parts[3] = k4;
	tend_buf_reset(b);
	for (i = 0; i < 4 && parts[i]; i++) {
		if (i)
			tend_buf_addc(b, '\x1f');
		tend_buf_adds(b, parts[i]);
	}
	if (!b->data)
		tend_buf_adds(b, "");
}

const char *
esc_key(struct esc_run *run, const char *k1, const char *k2, const char *k3,
    const char *k4)
{
	key_into(&run->key, k1, k2, k3, k4);
	return run->key.data;
}

static int64_t
meta_time(struct esc_state *s, const char *key)
{
	const char *v = s ? esc_state_get(s, key) : NULL;

	return v ? strtoll(v, NULL, 10) : INT64_MIN;
}

void
esc_run_init(struct esc_run *run, const struct esc_routes *routes,
    struct esc_state *state, int64_t now, int stream)
{
	memset(run, 0, sizeof(*run));
	run->routes = routes;
	run->state = state;
	run->now = stream ? INT64_MIN : now;
	run->stream = stream;
	run->newest = INT64_MIN;
	esc_hit_init(&run->hit);
	tend_buf_init(&run->out);
	tend_buf_init(&run->key);
	tend_buf_init(&run->value);
	tend_buf_init(&run->scratch);
	run->touched = tend_strmap_new();
	run->raised = tend_strmap_new();
	if (state && !stream)
		esc_state_expire(state, now);
	run->upto = meta_time(state, "meta\x1fupto");
	run->models = esc_alerts_new(run);
	esc_alerts_load(run->models);
}

/* Cuts top-level member key out of the record line in b (ending in a
 * newline), with its comma. */
static void
cut_member(struct tend_buf *b, size_t from, const char *key)
{
	struct tend_jspan span;
	char *s = b->data + from;
	size_t n = b->len - from, start, end;

	if (tend_jscan_find(s, n, key, &span) != 1)
		return;
	start = span.member_start;
	end = span.value_end;
	while (start > 0 && (s[start - 1] == ' ' || s[start - 1] == '\t'))
		start--;
	if (start > 0 && s[start - 1] == ',') {
		start--;
	} else {
		while (end < n && (s[end] == ' ' || s[end] == '\t'))
			end++;
		if (end < n && s[end] == ',')
			end++;
	}
	memmove(s + start, s + end, n - end);
	b->len -= end - start;
	b->data[b->len] = '\0';
}

/* Hands line (with its newline) to every notifier.  Returns 0 when all
 * took it. */
static int
send(struct esc_run *run, const char *id, const char *line, size_t n,
    const char *team, int level, const char *kind)
{
	struct tend_error err;
	int rc = 0;
	char q[120];

	tend_error_quote(id, strlen(id), q, sizeof(q));
	if (run->exec_argv) {
		memset(&err, 0, sizeof(err));
		if (esc_notify_exec(run->exec_argv, line, n, team, level, kind,
		    run->exec_timeout, &err) < 0) {
			tend_warn("%s: notifying %s of '%s' (level %d): %s%s",
			    run->exec_argv[0], team, q, level, err.text,
			    run->state ? "; will retry next run" : "");
			rc = -1;
		}
	}
	if (rc == 0 && run->outdir) {
		memset(&err, 0, sizeof(err));
		if (esc_notify_outdir(run->outdir, team, line, n, &err) < 0) {
			tend_warn("%s: %s%s", run->outdir, err.text,
			    run->state ? "; will retry next run" : "");
			rc = -1;
		}
	}
	if (rc < 0) {
		run->failed++;
		run->notify_failed = 1;
	} else {
		run->notified++;
	}
	return rc;
}

static int
held(const struct esc_run *run, int level)
{
	const struct esc_notify_conf *nc = &run->routes->notify;

	return run->state && nc->hours && level < nc->urgent &&
	    !tend_calendar_is_open(nc->hours, run->now);
}

static void
mark_done(struct esc_run *run, const char *done, const char *team,
    const char *thread, int level)
{
	const struct esc_notify_conf *nc = &run->routes->notify;
	struct tend_buf v = TEND_BUF_INIT, k = TEND_BUF_INIT;
	char lv[16];

	tend_buf_adds(&v, "{\"at\":");
	esc_add_time(&v, run->now);
	tend_buf_addc(&v, '}');
	esc_state_put(run->state, done, v.data, run->now + nc->remember);
	if (nc->cooldown && level > 0) {
		snprintf(lv, sizeof(lv), "%d", level);
		key_into(&k, "cool", team, thread, NULL);
		esc_state_put(run->state, k.data, lv, run->now + nc->cooldown);
	}
	tend_buf_release(&v);
	tend_buf_release(&k);
}

/* The pending entry's value: what is needed to send it again. */
static void
pend_value(struct tend_buf *v, const char *team, int level, const char *kind,
    const char *thread, const char *line, size_t n)
{
	tend_buf_reset(v);
	tend_buf_adds(v, "{\"team\":");
	tend_json_add_string(v, team, strlen(team));
	tend_buf_printf(v, ",\"level\":%d,\"kind\":", level);
	tend_json_add_string(v, kind, strlen(kind));
	tend_buf_adds(v, ",\"thread\":");
	esc_add_string(v, thread, strlen(thread));
	tend_buf_adds(v, ",\"record\":");
	tend_buf_add(v, line, n && line[n - 1] == '\n' ? n - 1 : n);
	tend_buf_addc(v, '}');
}

/* Notifies once per (id, level): see NOTIFICATIONS in tend-escalate(1). */
static void
notify(struct esc_run *run, const char *id, const char *thread,
    const char *team, int level, const char *kind, const char *line,
    size_t n)
{
	struct tend_buf done = TEND_BUF_INIT, pend = TEND_BUF_INIT;
	char lv[16];
	const char *cool;
	int added;

	if (!run->exec_argv && !run->outdir && !run->state)
		return;
	if (!run->state) {
		send(run, id, line, n, team, level, kind);
		return;
	}
	snprintf(lv, sizeof(lv), "%d", level);
	key_into(&done, "done", id, lv, NULL);
	key_into(&pend, "pend", id, lv, NULL);
	if (esc_state_get(run->state, done.data) ||
	    esc_state_get(run->state, pend.data))
		goto out;
	if (run->routes->notify.cooldown &&
	    (cool = esc_state_get(run->state, esc_key(run, "cool", team,
	    thread, NULL))) && atoi(cool) >= level) {
		mark_done(run, done.data, team, thread, 0);
		goto out;
	}
	if (held(run, level) || (!run->exec_argv && !run->outdir ? 0 :
	    send(run, id, line, n, team, level, kind) < 0)) {
		if (held(run, level))
			run->held++;
		pend_value(&run->value, team, level, kind, thread, line, n);
		esc_state_put(run->state, pend.data, run->value.data,
		    run->now + run->routes->notify.remember);
		tend_strmap_put(run->touched, pend.data, pend.len, &added,
		    NULL);
		goto out;
	}
	mark_done(run, done.data, team, thread, level);
out:
	tend_buf_release(&done);
	tend_buf_release(&pend);
}

static void
emit(struct esc_run *run)
{
	run->emit(run->emit_arg, run->out.data, run->out.len);
}

/* 1 when the record has top-level member name. */
static int
has_member(const struct tend_record *rec, const char *name)
{
	if (rec->root)
		return json_object_get(rec->root, name) != NULL;
	return tend_jview_find(&rec->view, name, strlen(name)) >= 0;
}

static void
escalate(struct esc_run *run, struct tend_record *rec)
{
	struct esc_hit *h = &run->hit;
	const char *team = run->routes->teams[h->team].name, *id, *thread;
	struct tend_buf ib = TEND_BUF_INIT, tb = TEND_BUF_INIT;

	tend_buf_reset(&run->scratch);
	esc_hit_json(run->routes, h, run->now, &run->scratch);
	tend_record_set_raw(rec, "escalation", run->scratch.data,
	    run->scratch.len);
	tend_record_write(rec, &run->out);
	emit(run);
	run->escalated++;
	id = tend_record_get_str(rec, "id", &ib);
	thread = tend_record_get_str(rec, "thread", &tb);
	notify(run, id, thread ? thread : id, team, h->level, "escalation",
	    run->out.data, run->out.len);
	tend_buf_release(&ib);
	tend_buf_release(&tb);
}

void
esc_run_record(struct esc_run *run, struct tend_record *rec)
{
	const char *kind = tend_record_get_str(rec, "kind", &run->key);
	int64_t at = rec->created_at.sec;
	json_t *owned = NULL;

	if (run->stream && at > run->now) {
		run->now = at;
		esc_alerts_tick(run->models);
	}
	tend_buf_reset(&run->out);
	if (kind && strcmp(kind, "alert") == 0) {
		tend_record_write(rec, &run->out);
		emit(run);
		return;
	}
	if (esc_route_record(run->routes, esc_expr_root(run->routes, rec,
	    &owned), run->now, &run->hit)) {
		escalate(run, rec);
	} else if (!run->only_escalated) {
		tend_record_write(rec, &run->out);
		if (has_member(rec, "escalation"))
			cut_member(&run->out, 0, "escalation");
		emit(run);
	}
	json_decref(owned);
	esc_alerts_observe(run->models, rec, run->upto == INT64_MIN ||
	    at > run->upto);
	if (at > run->newest)
		run->newest = at;
}

static json_t *
escalation_object(struct esc_run *run, const struct esc_alert_conf *a,
    const char *kind)
{
	struct tend_buf route = TEND_BUF_INIT;
	struct tend_time t = { run->now, 0 };
	char when[TEND_TIME_TEXT];
	json_t *e;

	tend_buf_printf(&route, "alert.%s", kind);
	tend_time_format(t, when);
	e = json_pack("{s:s, s:i, s:[s], s:[s], s:s}", "team",
	    run->routes->teams[a->team].name, "level", a->level, "reasons",
	    a->reason, "routes", route.data, "at", when);
	tend_buf_release(&route);
	return e;
}

static const struct esc_alert_conf *
conf_of(const struct esc_routes *r, const char *kind)
{
	if (strcmp(kind, "spike") == 0)
		return &r->spike.a;
	if (strcmp(kind, "security") == 0)
		return &r->security.a;
	if (strcmp(kind, "account") == 0)
		return &r->account.a;
	return &r->quiet.a;
}

void
esc_run_raise(struct esc_run *run, const char *kind, const char *key,
    int64_t start, const char *channel, json_t *alert, const char *text)
{
	const struct esc_alert_conf *a = conf_of(run->routes, kind);
	struct tend_time t = { start, 0 }, now = { run->now, 0 };
	struct tend_buf id = TEND_BUF_INIT, mark = TEND_BUF_INIT;
	char st[TEND_TIME_TEXT], nowtext[TEND_TIME_TEXT];
	struct tend_error err;
	json_t *rec;
	int added;

	tend_time_format(t, st);
	tend_time_format(now, nowtext);
	tend_buf_printf(&id, "alert:%s:%s:%s", kind, key, st);
	key_into(&mark, "alert", kind, key, st);
	if (tend_strmap_get(run->raised, id.data, id.len) || (run->state &&
	    esc_state_get(run->state, mark.data))) {
		json_decref(alert);
		goto out;
	}
	tend_strmap_put(run->raised, id.data, id.len, &added, NULL);
	if (run->state)
		esc_state_put(run->state, mark.data, "{}", run->now +
		    run->routes->notify.remember);
	rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id", id.data,
	    "kind", "alert", "channel", channel ? channel : "other",
	    "created_at", nowtext, "text", text, "alert", alert,
	    "escalation", escalation_object(run, a, kind));
	if (!rec || tend_record_validate(rec, &now, &err) < 0)
		tend_die(TEND_EXIT_ERROR, "internal error: alert '%s' is not a "
		    "valid record: %s", id.data, rec ? err.text : "bad text");
	tend_buf_reset(&run->out);
	tend_record_dump(rec, &run->out);
	json_decref(rec);
	emit(run);
	run->alerts++;
	tend_buf_reset(&id);
	tend_buf_printf(&id, "%s:%s", kind, key);
	tend_buf_reset(&mark);
	tend_buf_printf(&mark, "alert:%s:%s:%s", kind, key, st);
	notify(run, mark.data, id.data, run->routes->teams[a->team].name,
	    a->level, kind, run->out.data, run->out.len);
out:
	tend_buf_release(&id);
	tend_buf_release(&mark);
}

struct pending {
	char *key;
	char *value;
};

struct pending_list {
	struct pending *v;
	size_t n;
	struct tend_strmap *skip;
};

static void
collect_pending(void *arg, const char *key, const char *value,
    int64_t expires)
{
	struct pending_list *l = arg;

	(void)expires;
	if (tend_strmap_get(l->skip, key, strlen(key)))
		return;
	l->v = tend_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].key = tend_xstrdup(key);
	l->v[l->n].value = tend_xstrdup(value);
	l->n++;
}

/* A notification held or failed in an earlier run: sent again now. */
static void
retry(struct esc_run *run, const struct pending *p)
{
	json_error_t jerr;
	json_t *v = json_loads(p->value, 0, &jerr), *rec;
	const char *team, *kind, *thread, *id;
	struct tend_buf line = TEND_BUF_INIT, done = TEND_BUF_INIT;
	char lv[16];
	int level;

	if (!v || json_unpack(v, "{s:s, s:i, s:s, s:s, s:o}", "team", &team,
	    "level", &level, "kind", &kind, "thread", &thread, "record",
	    &rec) < 0 || !(id = tend_record_str(rec, "id"))) {
		tend_warn("%s: dropping a pending notification that does not "
		    "read back", run->state_path ? run->state_path : "state");
		esc_state_del(run->state, p->key);
		json_decref(v);
		return;
	}
	if (held(run, level))
		goto out;
	tend_record_dump(rec, &line);
	if (send(run, id, line.data, line.len, team, level, kind) < 0)
		goto out;
	snprintf(lv, sizeof(lv), "%d", level);
	key_into(&done, "done", id, lv, NULL);
	mark_done(run, done.data, team, thread, level);
	esc_state_del(run->state, p->key);
out:
	tend_buf_release(&line);
	tend_buf_release(&done);
	json_decref(v);
}

static void
flush_pending(struct esc_run *run)
{
	struct pending_list l;
	size_t i;

	memset(&l, 0, sizeof(l));
	l.skip = run->touched;
	esc_state_each(run->state, "pend\x1f", collect_pending, &l);
	for (i = 0; i < l.n; i++) {
		retry(run, &l.v[i]);
		free(l.v[i].key);
		free(l.v[i].value);
	}
	free(l.v);
}

void
esc_run_start(struct esc_run *run)
{
	/* what earlier runs held or could not send goes first, so that a
	 * thread's held notification is the one its cooldown counts from */
	if (run->state && !run->stream)
		flush_pending(run);
}

void
esc_run_finish(struct esc_run *run)
{
	char v[32];

	if (run->stream && run->now == INT64_MIN) {
		/* no record: no time to judge anything at */
		return;
	}
	esc_alerts_finish(run->models);
	if (!run->state)
		return;
	if (run->stream)
		flush_pending(run);	/* the clock is known only now */
	if (run->newest > run->upto) {
		snprintf(v, sizeof(v), "%lld", (long long)run->newest);
		esc_state_put(run->state, "meta\x1fupto", v, 0);
	}
	esc_state_expire(run->state, run->now);
}

void
esc_run_release(struct esc_run *run)
{
	esc_alerts_free(run->models);
	esc_hit_release(&run->hit);
	tend_buf_release(&run->out);
	tend_buf_release(&run->key);
	tend_buf_release(&run->value);
	tend_buf_release(&run->scratch);
	tend_strmap_free(run->touched);
	tend_strmap_free(run->raised);
}
