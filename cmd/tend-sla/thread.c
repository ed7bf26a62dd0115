/* thread.c: the records of each open thread, held until it can be written.
 *
 * A customer post's sla object depends on what comes after it in its
 * thread, so every record waits in its thread.  A thread is written when
 * nothing can change it any more but a record arriving late: its case is
 * resolved and past its follow-up and closing windows (sla_case.settle),
 * and the stream has moved --horizon beyond that (the high-water mark is
 * the latest created_at read).  Everything else is written at the end of
 * the input, threads in the order of their first record.  So memory is
 * proportional to the open threads, and results do not depend on the
 * input order as long as no record is more than --horizon late.
 *
 * Threads live in a slab, indexed from a map of thread keys; a heap of
 * (time, thread, stamp) says when a thread may next be checked.  The map
 * cannot delete, so a written thread leaves a dead key, and the map is
 * rebuilt when the dead outnumber the live.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "jscan.h"
#include "record.h"
#include "strmap.h"
#include "thread.h"

struct thread {
	const char *key;	/* the map's copy; NULL: a free slot */
	size_t keylen;
	struct sla_item *items;
	size_t n, cap;
	int64_t last;		/* the latest created_at */
	uint64_t stamp;		/* changes with every record added */
	int sorted;
	int may_settle;		/* it holds what could resolve its case */
	size_t checked_n;	/* records at its last evaluation */
	long next_free;
};

struct check {
	int64_t at;
	size_t thread;
	uint64_t stamp;
	int force;		/* evaluate even if it grew little */
};

void
sla_run_init(struct sla_run *r, const struct sla_policy *p, int64_t now,
    int64_t horizon)
{
	memset(r, 0, sizeof(*r));
	r->policy = p;
	r->now = now;
	r->horizon = horizon;
	r->map = tend_strmap_new();
	r->free_slot = -1;
	r->hwm = INT64_MIN;
	tend_buf_init(&r->out);
	tend_buf_init(&r->obj);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct sla_item *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (x->nsec != y->nsec)
		return x->nsec < y->nsec ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void
heap_push(struct sla_run *r, int64_t at, size_t thread, uint64_t stamp,
    int force)
{
	struct check *h;
	size_t i;

	tend_xgrow((void **)&r->heap, &r->heap_cap, r->nheap + 1,
	    sizeof(*r->heap));
	h = r->heap;
	i = r->nheap++;
	while (i > 0 && h[(i - 1) / 2].at > at) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i].at = at;
	h[i].thread = thread;
	h[i].stamp = stamp;
	h[i].force = force;
}

static struct check
heap_pop(struct sla_run *r)
{
	struct check *h = r->heap, top = h[0], last = h[--r->nheap];
	size_t i = 0, k;

	for (;;) {
		k = 2 * i + 1;
		if (k >= r->nheap)
			break;
		if (k + 1 < r->nheap && h[k + 1].at < h[k].at)
			k++;
		if (h[k].at >= last.at)
			break;
		h[i] = h[k];
		i = k;
	}
	if (r->nheap)
		h[i] = last;
	return top;
}

static void
free_items(struct thread *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->items[i].line);
	free(t->items);
	t->items = NULL;
	t->n = t->cap = 0;
}

/* Rebuilds the map without the keys of written threads. */
static void
compact_map(struct sla_run *r)
{
	struct tend_strmap *m = tend_strmap_new();
	size_t i;
	int added;

	for (i = 0; i < r->nthreads; i++) {
		struct thread *t = &r->threads[i];
		void **slot;

		if (!t->key)
			continue;
		slot = tend_strmap_put(m, t->key, t->keylen, &added, &t->key);
		*slot = (void *)(uintptr_t)(i + 1);
	}
	tend_strmap_free(r->map);
	r->map = m;
	r->dead = 0;
}

/* Writes a record's bytes with its "sla" member set to obj; only a record
 * that had one already is scanned for it. */
static void
splice(struct tend_buf *out, const struct sla_item *it,
    const struct tend_buf *obj)
{
	const char *line = it->line;
	size_t len = it->len;
	struct tend_jspan span;
	long close;
	size_t k;

	tend_buf_grow(out, len + obj->len + 8);
	if ((it->flags & ITEM_HAS_SLA) &&
	    tend_jscan_find(line, len, "sla", &span) == 1) {
		tend_buf_add(out, line, span.value_start);
		tend_buf_add(out, obj->data, obj->len);
		tend_buf_add(out, line + span.value_end, len - span.value_end);
		tend_buf_addc(out, '\n');
		return;
	}
	/* a valid object: its last byte but blanks is its closing brace */
	close = (long)len - 1;
	while (close > 0 && line[close] != '}')
		close--;
	k = (size_t)close;
	while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t'))
		k--;
	tend_buf_add(out, line, (size_t)close);
	if (k > 0 && line[k - 1] != '{')
		tend_buf_addc(out, ',');
	tend_buf_adds(out, "\"sla\":");
	tend_buf_add(out, obj->data, obj->len);
	tend_buf_add(out, line + close, len - (size_t)close);
	tend_buf_addc(out, '\n');
}

static void
sort_thread(struct thread *t)
{
	if (!t->sorted)
		qsort(t->items, t->n, sizeof(*t->items), item_cmp);
	t->sorted = 1;
}

static void
evaluate(struct sla_run *r, struct thread *t)
{
	sort_thread(t);
	tend_xgrow((void **)&r->res, &r->res_cap, t->n, sizeof(*r->res));
	sla_case_release(&r->kase);
	sla_eval(r->policy, t->items, t->n, r->now, r->res, &r->kase);
}

/* Writes the thread in slot i (evaluated) and frees it. */
static void
write_thread(struct sla_run *r, size_t i)
{
	struct thread *t = &r->threads[i];
	void **slot;
	size_t k;

	if (r->explain) {
		sla_explain(r->policy, t->key, t->items, t->n, r->now,
		    r->explain_out);
		r->explained = 1;
	}
	for (k = 0; k < t->n && !r->explain; k++) {
		enum sla_status st;

		tend_buf_reset(&r->obj);
		st = sla_output(r->policy, t->items, r->res, &r->kase, k,
		    r->now, &r->obj);
		if (st == STATUS_BREACHED)
			r->breached++;
		else if (st == STATUS_AT_RISK)
			r->at_risk++;
		if (r->only && (t->items[k].role != ROLE_CUSTOMER ||
		    !(r->only & (1u << st)))) {
			r->dropped++;
			continue;
		}
		tend_buf_reset(&r->out);
		splice(&r->out, &t->items[k], &r->obj);
		r->emit(r->emit_arg, r->out.data, r->out.len);
	}
	slot = tend_strmap_get(r->map, t->key, t->keylen);
	if (slot)
		*slot = NULL;
	free_items(t);
	t->key = NULL;
	t->next_free = r->free_slot;
	r->free_slot = (long)i;
	r->live--;
	if (++r->dead > 1024 && r->dead > r->live)
		compact_map(r);
}

/* Checks whether the thread of a due heap entry can be written.  A thread
 * still growing is evaluated again only when it has grown by a quarter,
 * or once it has been quiet a while, so a long busy thread costs a few
 * evaluations of its length, not one a record. */
static void
check_thread(struct sla_run *r, struct check ck)
{
	struct thread *t = &r->threads[ck.thread];
	int64_t later;

	if (!t->key || t->stamp != ck.stamp)
		return;
	if (!ck.force && t->n - t->checked_n < t->checked_n / 4) {
		later = r->hwm + (r->horizon > 0 ? r->horizon : 1);
		heap_push(r, later, ck.thread, ck.stamp, 1);
		return;
	}
	t->checked_n = t->n;
	evaluate(r, t);
	if (r->kase.settle == SLA_NEVER)
		return;
	if (r->kase.settle <= r->hwm - r->horizon)
		write_thread(r, ck.thread);
	else
		heap_push(r, r->kase.settle + r->horizon, ck.thread, ck.stamp,
		    1);
}

static size_t
thread_slot(struct sla_run *r, const char *key, size_t keylen)
{
	void **slot;
	struct thread *t;
	size_t i;
	int added;
	const char *stored;

	slot = tend_strmap_put(r->map, key, keylen, &added, &stored);
	if (*slot)
		return (size_t)(uintptr_t)*slot - 1;
	if (!added)
		r->dead--;	/* a written thread comes back */
	if (r->free_slot >= 0) {
		i = (size_t)r->free_slot;
		r->free_slot = r->threads[i].next_free;
	} else {
		tend_xgrow((void **)&r->threads, &r->threads_cap,
		    r->nthreads + 1, sizeof(*r->threads));
		i = r->nthreads++;
	}
	*slot = (void *)(uintptr_t)(i + 1);
	t = &r->threads[i];
	memset(t, 0, sizeof(*t));
	t->key = stored;
	t->keylen = keylen;
	t->sorted = 1;
	t->last = INT64_MIN;
	t->next_free = -1;
	r->live++;
	return i;
}

void
sla_run_add(struct sla_run *r, const char *key, size_t keylen,
    const struct sla_item *item)
{
	struct thread *t;
	size_t i;

	i = thread_slot(r, key, keylen);
	t = &r->threads[i];
	if (t->n == t->cap) {
		/* most threads hold one to three records */
		t->cap = t->cap ? 2 * t->cap : 2;
		t->items = tend_xrealloc(t->items, t->cap * sizeof(*t->items));
	}
	if (t->n && item_cmp(&t->items[t->n - 1], item) > 0)
		t->sorted = 0;
	t->items[t->n++] = *item;
	if (item->at > t->last)
		t->last = item->at;
	t->stamp = ++r->stamps;
	if (item->at > r->hwm)
		r->hwm = item->at;
	if (item->event == EVENT_RESOLVED || (item->flags & (ITEM_CLOSING |
	    ITEM_THANKS)))
		t->may_settle = 1;
	if (r->horizon < 0)
		return;
	/* a case that nothing can resolve waits for the end of the input,
	 * or for a record that can */
	if (t->may_settle)
		heap_push(r, t->last + r->horizon, i, t->stamp, 0);
	while (r->nheap && r->heap[0].at <= r->hwm)
		check_thread(r, heap_pop(r));
}

static int
first_cmp(const void *a, const void *b)
{
	const struct thread *x = *(struct thread *const *)a;
	const struct thread *y = *(struct thread *const *)b;
	int c = item_cmp(&x->items[0], &y->items[0]);

	return c ? c : strcmp(x->key, y->key);
}

void
sla_run_finish(struct sla_run *r)
{
	struct thread **order;
	size_t i, n = 0;

	order = tend_xmalloc((r->live + 1) * sizeof(*order));
	for (i = 0; i < r->nthreads; i++)
		if (r->threads[i].key) {
			sort_thread(&r->threads[i]);
			order[n++] = &r->threads[i];
		}
	qsort(order, n, sizeof(*order), first_cmp);
	for (i = 0; i < n; i++) {
		size_t slot = (size_t)(order[i] - r->threads);

		evaluate(r, order[i]);
		write_thread(r, slot);
	}
	free(order);
}

size_t
sla_run_live(const struct sla_run *r)
{
	return r->live;
}

void
sla_run_release(struct sla_run *r)
{
	size_t i;

	for (i = 0; i < r->nthreads; i++)
		if (r->threads[i].key)
			free_items(&r->threads[i]);
	free(r->threads);
	free(r->heap);
	free(r->res);
	sla_case_release(&r->kase);
	tend_strmap_free(r->map);
	tend_buf_release(&r->out);
	tend_buf_release(&r->obj);
}
