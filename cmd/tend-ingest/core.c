/* core.c: what tend-ingest does to every post, whatever its format. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "ingest.h"
#include "strmap.h"

/* A reply held back until its parent's thread is known. */
struct deferred {
	json_t *post;		/* owned */
	const char *id;		/* interned in ids */
	const char *reply_to;	/* borrowed from post */
	const char *thread;	/* resolved thread, interned */
	int resolving;		/* cycle guard */
};

struct ingest {
	struct tend_cli *cli;
	struct ingest_opts opts;
	const char *format;	/* the current input's format name */
	void *format_state;
	/* every id seen: its value is the post's thread (interned), or NULL
	 * while the post is deferred */
	struct tend_strmap *ids;
	struct tend_strmap *threads;	/* interned thread ids */
	struct tend_strmap *pending;	/* id -> struct deferred * */
	struct deferred **deferred;
	size_t ndeferred, deferred_cap;
	long duplicates;
	struct tend_record rec;
	struct tend_buf out;
	struct tend_buf id, thread;	/* of the tend line being read */
};

static const char *const field_order[] = {
	"id", "kind", "channel", "created_at", "author", "text", "event",
	"thread",
	"reply_to", "actor", "visibility", "lang", "url", "links", "mentions",
	"hashtags", "source", NULL
};

struct ingest *
ingest_new(struct tend_cli *cli, const struct ingest_opts *o)
{
	struct ingest *ig = tend_xcalloc(1, sizeof(*ig));

	ig->cli = cli;
	ig->opts = *o;
	ig->ids = tend_strmap_new();
	ig->threads = tend_strmap_new();
	ig->pending = tend_strmap_new();
	tend_record_init(&ig->rec);
	tend_buf_init(&ig->out);
	tend_buf_init(&ig->id);
	tend_buf_init(&ig->thread);
	return ig;
}

void
ingest_free(struct ingest *ig)
{
	size_t i;

	for (i = 0; i < ig->ndeferred; i++) {
		json_decref(ig->deferred[i]->post);
		free(ig->deferred[i]);
	}
	free(ig->deferred);
	tend_strmap_free(ig->ids);
	tend_strmap_free(ig->threads);
	tend_strmap_free(ig->pending);
	tend_record_release(&ig->rec);
	tend_buf_release(&ig->out);
	tend_buf_release(&ig->id);
	tend_buf_release(&ig->thread);
	free(ig);
}

const struct ingest_opts *
ingest_options(const struct ingest *ig)
{
	return &ig->opts;
}

struct tend_cli *
ingest_cli(struct ingest *ig)
{
	return ig->cli;
}

const char *
ingest_format_name(const struct ingest *ig)
{
	return ig->format;
}

void
ingest_set_format_name(struct ingest *ig, const char *name)
{
	ig->format = name;
}

void *
ingest_format_state(struct ingest *ig)
{
	return ig->format_state;
}

void
ingest_set_format_state(struct ingest *ig, void *state)
{
	ig->format_state = state;
}

static void vreject(struct ingest *ig, const struct ingest_unit *unit,
    const char *where, const json_t *native, long col, const char *fmt,
    va_list ap) __attribute__((format(printf, 6, 0)));

static void
vreject(struct ingest *ig, const struct ingest_unit *unit, const char *where,
    const json_t *native, long col, const char *fmt, va_list ap)
{
	char reason[TEND_ERROR_TEXT + 64];
	char *dump = NULL;
	const char *raw = unit->raw;
	size_t raw_len = unit->raw_len;

	vsnprintf(reason, sizeof(reason), fmt, ap);
	if (native) {
		dump = json_dumps(native, JSON_COMPACT | JSON_ENCODE_ANY);
		raw = dump;
		raw_len = dump ? strlen(dump) : 0;
	}
	ig->cli->records_in++;
	if (where)
		tend_cli_reject(ig->cli, unit->file, unit->line, col, raw,
		    raw_len, "%s: %s", where, reason);
	else
		tend_cli_reject(ig->cli, unit->file, unit->line, col, raw,
		    raw_len, "%s", reason);
	free(dump);
}

void
ingest_reject(struct ingest *ig, const struct ingest_unit *unit,
    const char *where, const json_t *native, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreject(ig, unit, where, native, 0, fmt, ap);
	va_end(ap);
}

void
ingest_reject_at(struct ingest *ig, const struct ingest_unit *unit, long col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreject(ig, unit, NULL, NULL, col, fmt, ap);
	va_end(ap);
}

void
ingest_input_error(struct ingest *ig, const struct ingest_unit *unit,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (unit->line > 0)
		tend_warn("%s:%ld: %s", unit->file, unit->line, msg);
	else
		tend_warn("%s: %s", unit->file, msg);
	ig->cli->status = TEND_EXIT_ERROR;
}

/* Interns a thread id; the copy lives as long as the ingest.  Most
 * threads are the id of a post already seen: that copy serves. */
static const char *
intern_thread(struct ingest *ig, const char *s)
{
	size_t len = strlen(s);
	const char *known = tend_strmap_key(ig->ids, s, len);
	int added;

	if (!known)
		tend_strmap_put(ig->threads, s, len, &added, &known);
	return known;
}

/* Our own account: --brand names its handle or its platform id (Facebook
 * pages have no handle).  Never the display name: anyone can take that. */
static int
is_brand(const struct ingest *ig, const json_t *post)
{
	const char *handle = tend_record_str(post, "author.handle");
	const char *id = tend_record_str(post, "author.id");
	size_t i;

	if (handle && *handle == '@')
		handle++;
	for (i = 0; i < ig->opts.nbrands; i++)
		if ((handle && strcasecmp(handle, ig->opts.brands[i]) == 0) ||
		    (id && strcmp(id, ig->opts.brands[i]) == 0))
			return 1;
	return 0;
}

/* A new object with post's members in canonical order, raw last. */
static json_t *
ordered(json_t *post)
{
	json_t *out = json_object(), *v;
	const char *key;
	size_t i;

	for (i = 0; field_order[i]; i++)
		if ((v = json_object_get(post, field_order[i])))
			json_object_set(out, field_order[i], v);
	json_object_foreach(post, key, v)
		if (!json_object_get(out, key) && strcmp(key, "raw") != 0)
			json_object_set(out, key, v);
	if ((v = json_object_get(post, "raw")))
		json_object_set(out, "raw", v);
	json_decref(post);
	return out;
}

/* Completes a converted post: actor from --brand, source, and raw.  A tend
 * record is already complete: only its thread may be added. */
static json_t *
finish_post(struct ingest *ig, const struct ingest_unit *unit,
    const json_t *native, json_t *post)
{
	if (strcmp(ig->format, "tend") == 0)
		return ordered(post);
	if (!json_object_get(post, "actor"))
		json_object_set_new(post, "actor", json_string(is_brand(ig, post) ? "agent" :
		    "customer"));
	if (!json_object_get(post, "source"))
		json_object_set_new(post, "source", json_pack("{s:s,s:s,s:I}",
		    "format", ig->format, "file", unit->file, "line",
		    (json_int_t)unit->line));
	if (ig->opts.keep_raw && native)
		json_object_set(post, "raw", (json_t *)native);
	return ordered(post);
}

static void
emit_json(struct ingest *ig, const json_t *post)
{
	tend_buf_reset(&ig->out);
	tend_record_dump(post, &ig->out);
	tend_cli_emit(ig->cli, ig->out.data, ig->out.len);
}

static int
outside_window(const struct ingest *ig, struct tend_time t)
{
	return (ig->opts.has_since && tend_time_cmp(t, ig->opts.since) < 0) ||
	    (ig->opts.has_until && tend_time_cmp(t, ig->opts.until) >= 0);
}

/* Registers id; returns its slot (and *stored, the map's copy of id), or
 * NULL when it is a duplicate. */
static void **
claim_id(struct ingest *ig, const char *id, const char **stored)
{
	int added;
	void **slot = tend_strmap_put(ig->ids, id, strlen(id), &added, stored);

	if (added || ig->opts.keep_duplicates)
		return slot;
	ig->duplicates++;
	return NULL;
}

/* The thread of a post whose parent is reply_to, or NULL if unknown yet. */
static const char *
parent_thread(struct ingest *ig, const char *reply_to)
{
	void **slot = tend_strmap_get(ig->ids, reply_to, strlen(reply_to));

	return slot ? *slot : NULL;
}

static void
defer(struct ingest *ig, json_t *post, const char *id)
{
	struct deferred *d = tend_xcalloc(1, sizeof(*d));
	int added;

	d->post = post;
	d->id = id;
	d->reply_to = tend_record_str(post, "reply_to");
	*tend_strmap_put(ig->pending, id, strlen(id), &added, NULL) = d;
	tend_xgrow((void **)&ig->deferred, &ig->deferred_cap,
	    ig->ndeferred + 1, sizeof(*ig->deferred));
	ig->deferred[ig->ndeferred++] = d;
}

void
ingest_post(struct ingest *ig, const struct ingest_unit *unit,
    const char *where, const json_t *native, json_t *post)
{
	struct tend_error err;
	struct tend_time t;
	const char *id, *thread, *reply_to, *when;
	char canon[TEND_TIME_TEXT];
	void **slot;

	/* created_at in any form a platform writes, then the record rules */
	when = tend_record_str(post, "created_at");
	if (when && tend_time_parse_any(when, strlen(when), &t) == 0) {
		tend_time_format(t, canon);
		json_object_set_new(post, "created_at", json_string(canon));
	}
	if (tend_record_validate(post, &t, &err) < 0) {
		ingest_reject(ig, unit, where, native, "%s", err.text);
		json_decref(post);
		return;
	}
	ig->cli->records_in++;
	if (outside_window(ig, t)) {
		json_decref(post);
		return;
	}
	post = finish_post(ig, unit, native, post);
	if (!(slot = claim_id(ig, tend_record_str(post, "id"), &id))) {
		json_decref(post);
		return;
	}
	thread = tend_record_str(post, "thread");
	reply_to = tend_record_str(post, "reply_to");
	if (!thread && reply_to && !(thread = parent_thread(ig, reply_to))) {
		*slot = NULL;
		defer(ig, post, id);
		return;
	}
	thread = !thread || strcmp(thread, id) == 0 ? id :
	    intern_thread(ig, thread);
	*slot = (void *)thread;
	if (!json_object_get(post, "thread")) {
		json_object_set_new(post, "thread", json_string(thread));
		post = ordered(post);
	}
	emit_json(ig, post);
	json_decref(post);
}

/* The thread of a deferred post: its parent's, found through the chain of
 * reply links, else (parent not in the input) the parent's id. */
static const char *
resolve(struct ingest *ig, struct deferred *d)
{
	void **slot;

	if (d->thread)
		return d->thread;
	if (d->resolving) {	/* a reply cycle: the parent is the root */
		d->thread = intern_thread(ig, d->reply_to);
		return d->thread;
	}
	d->resolving = 1;
	slot = tend_strmap_get(ig->ids, d->reply_to, strlen(d->reply_to));
	if (slot && *slot)
		d->thread = *slot;
	else if (slot && (slot = tend_strmap_get(ig->pending, d->reply_to,
	    strlen(d->reply_to))))
		d->thread = resolve(ig, *slot);
	else
		d->thread = intern_thread(ig, d->reply_to);
	d->resolving = 0;
	return d->thread;
}

void
ingest_flush(struct ingest *ig)
{
	size_t i;

	for (i = 0; i < ig->ndeferred; i++) {
		struct deferred *d = ig->deferred[i];
		const char *thread = resolve(ig, d);

		*tend_strmap_get(ig->ids, d->id, strlen(d->id)) =
		    (void *)thread;
		json_object_set_new(d->post, "thread", json_string(thread));
		d->post = ordered(d->post);	/* thread after text */
		emit_json(ig, d->post);
	}
	for (i = 0; i < ig->ndeferred; i++) {
		json_decref(ig->deferred[i]->post);
		free(ig->deferred[i]);
	}
	ig->ndeferred = 0;
	if (ig->duplicates)
		tend_warn("%ld duplicate record%s dropped (same id)",
		    ig->duplicates, ig->duplicates == 1 ? "" : "s");
}

void
ingest_tend_line(struct ingest *ig, const struct ingest_unit *unit,
    const char *text, size_t len)
{
	struct tend_error err;
	const char *id, *thread;
	void **slot;

	/* a plainly valid line is only indexed, not built (record.h) */
	if (tend_record_scan(&ig->rec, text, len, &err) < 0) {
		ingest_reject_at(ig, unit, err.col, "%s", err.text);
		return;
	}
	ig->cli->records_in++;
	if (outside_window(ig, ig->rec.created_at))
		return;
	thread = tend_record_get_str(&ig->rec, "thread", &ig->thread);
	if (!thread) {
		/* a record without its thread goes the long way */
		json_t *post;

		if (!ig->rec.root && tend_record_parse(&ig->rec, text, len,
		    &err) < 0)
			return;	/* cannot be: the scan accepted it */
		post = json_incref(ig->rec.root);

		ig->cli->records_in--;
		ingest_post(ig, unit, NULL, NULL, json_deep_copy(post));
		json_decref(post);
		return;
	}
	/* with --keep-duplicates a stream of complete records needs no index:
	 * memory stays flat however long it runs */
	if (!ig->opts.keep_duplicates) {
		if (!(slot = claim_id(ig, tend_record_get_str(&ig->rec, "id",
		    &ig->id), &id)))
			return;
		*slot = (void *)(strcmp(thread, id) == 0 ? id :
		    intern_thread(ig, thread));
	}
	tend_buf_reset(&ig->out);
	tend_record_write(&ig->rec, &ig->out);
	tend_cli_emit(ig->cli, ig->out.data, ig->out.len);
}
