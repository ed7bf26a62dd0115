/* topk.c: the Space-Saving summary of topk.h.
 *
 * The counters are kept in a min-heap ordered the way they are evicted:
 * the smallest count first and, among equal counts, the greatest key, so
 * that which key goes never depends on hash order; a new key replaces the
 * root in O(log m).  A hash table of counter indexes (open addressing,
 * linear probing, deletion by backward shift) finds a key's counter.
 * Counters are allocated as they are first used, so m is only a cap.
 *
 * Keys are text: an invalid UTF-8 sequence in a key is counted as U+FFFD,
 * so that every key can be written to JSON as it is held.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "topk.h"
#include "utf8.h"

struct counter {
	char *key;		/* NUL-terminated copy */
	size_t len, cap;
	uint64_t hash;
	uint64_t count, error;
	size_t pos;		/* in the heap */
};

struct tend_topk {
	size_t m;
	uint64_t total;
	struct counter *c;	/* n in use */
	size_t n, cap;
	size_t *heap;		/* n counter indexes */
	size_t heap_cap;
	size_t *table;		/* counter index + 1; 0: empty */
	size_t mask;		/* table size - 1, a power of two */
	struct tend_buf repair;	/* scratch for invalid keys */
};

/* Counts stop at the largest a JSON integer holds. */
#define COUNT_MAX ((uint64_t)INT64_MAX)

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > COUNT_MAX - b || b > COUNT_MAX ? COUNT_MAX : a + b;
}

static uint64_t
hash_key(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h ^ (h >> 31);
}

static int
key_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	int r = memcmp(a, b, na < nb ? na : nb);

	if (r)
		return r;
	return (na > nb) - (na < nb);
}

/* Whether counter a ranks below b: evicted first, listed last. */
static int
below(const struct counter *a, const struct counter *b)
{
	if (a->count != b->count)
		return a->count < b->count;
	return key_cmp(a->key, a->len, b->key, b->len) > 0;
}

struct tend_topk *
tend_topk_new(size_t m)
{
	struct tend_topk *t = tend_xcalloc(1, sizeof(*t));

	t->m = m ? m : 1;
	t->mask = 15;
	t->table = tend_xcalloc(t->mask + 1, sizeof(*t->table));
	tend_buf_init(&t->repair);
	return t;
}

static void
release(struct tend_topk *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->c[i].key);
	free(t->c);
	free(t->heap);
	free(t->table);
	tend_buf_release(&t->repair);
}

void
tend_topk_free(struct tend_topk *t)
{
	if (!t)
		return;
	release(t);
	free(t);
}

/* The table slot holding key, or the empty slot where it would go. */
static size_t
find_slot(const struct tend_topk *t, const char *key, size_t n, uint64_t h)
{
	size_t i = (size_t)h & t->mask;
	const struct counter *c;

	while (t->table[i]) {
		c = &t->c[t->table[i] - 1];
		if (c->hash == h && c->len == n && memcmp(c->key, key, n) == 0)
			break;
		i = (i + 1) & t->mask;
	}
	return i;
}

static void
grow_table(struct tend_topk *t)
{
	size_t i, j;

	free(t->table);
	t->mask = t->mask * 2 + 1;
	t->table = tend_xcalloc(t->mask + 1, sizeof(*t->table));
	for (i = 0; i < t->n; i++) {
		j = (size_t)t->c[i].hash & t->mask;
		while (t->table[j])
			j = (j + 1) & t->mask;
		t->table[j] = i + 1;
	}
}

/* Removes slot i from the table, moving later entries of its run back. */
static void
unlink_slot(struct tend_topk *t, size_t i)
{
	size_t j = i, home;

	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->table[j])
			break;
		home = (size_t)t->c[t->table[j] - 1].hash & t->mask;
		/* the entry at j may move to i unless its home lies
		 * cyclically in (i, j] */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && home <= i && home > j)) {
			t->table[i] = t->table[j];
			i = j;
		}
	}
	t->table[i] = 0;
}

static void
heap_swap(struct tend_topk *t, size_t a, size_t b)
{
	size_t x = t->heap[a];

	t->heap[a] = t->heap[b];
	t->heap[b] = x;
	t->c[t->heap[a]].pos = a;
	t->c[t->heap[b]].pos = b;
}

static void
sift_up(struct tend_topk *t, size_t i)
{
	while (i > 0 && below(&t->c[t->heap[i]], &t->c[t->heap[(i - 1) / 2]])) {
		heap_swap(t, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
sift_down(struct tend_topk *t, size_t i)
{
	size_t l, least;

	for (;;) {
		l = 2 * i + 1;
		least = i;
		if (l < t->n && below(&t->c[t->heap[l]], &t->c[t->heap[least]]))
			least = l;
		if (l + 1 < t->n &&
		    below(&t->c[t->heap[l + 1]], &t->c[t->heap[least]]))
			least = l + 1;
		if (least == i)
			return;
		heap_swap(t, i, least);
		i = least;
	}
}

static void
set_key(struct counter *c, const char *key, size_t n, uint64_t h)
{
	if (n + 1 > c->cap) {
		c->cap = n + 1;
		c->key = tend_xrealloc(c->key, c->cap);
	}
	memcpy(c->key, key, n);
	c->key[n] = '\0';
	c->len = n;
	c->hash = h;
}

/* A new counter for key at table slot slot (there is room: n < m). */
static struct counter *
new_counter(struct tend_topk *t, const char *key, size_t n, uint64_t h,
    size_t slot)
{
	struct counter *c;

	tend_xgrow((void **)&t->c, &t->cap, t->n + 1, sizeof(*t->c));
	tend_xgrow((void **)&t->heap, &t->heap_cap, t->n + 1,
	    sizeof(*t->heap));
	c = &t->c[t->n];
	memset(c, 0, sizeof(*c));
	set_key(c, key, n, h);
	t->table[slot] = t->n + 1;
	t->heap[t->n] = t->n;
	c->pos = t->n;
	t->n++;
	return c;
}

/* Counts a key known to be valid UTF-8. */
static void
add_key(struct tend_topk *t, const char *key, size_t n, uint64_t weight)
{
	uint64_t h = hash_key(key, n);
	size_t slot = find_slot(t, key, n, h), i;
	struct counter *c;

	if (t->table[slot]) {
		c = &t->c[t->table[slot] - 1];
		c->count = sat_add(c->count, weight);
		sift_down(t, c->pos);
		return;
	}
	if (t->n < t->m) {
		c = new_counter(t, key, n, h, slot);
		c->count = weight;
		sift_up(t, c->pos);
		if (t->n * 2 > t->mask)
			grow_table(t);
		return;
	}
	/* full: the smallest counter takes the key over */
	i = t->heap[0];
	c = &t->c[i];
	unlink_slot(t, find_slot(t, c->key, c->len, c->hash));
	set_key(c, key, n, h);
	t->table[find_slot(t, key, n, h)] = i + 1;
	c->error = c->count;
	c->count = sat_add(c->count, weight);
	sift_down(t, 0);
}

void
tend_topk_add(struct tend_topk *t, const char *key, size_t n,
    uint64_t weight)
{
	if (weight == 0)
		return;
	t->total = sat_add(t->total, weight);
	if (tend_utf8_check(key, n) == n) {
		add_key(t, key, n, weight);
		return;
	}
	tend_buf_reset(&t->repair);
	tend_utf8_repair(&t->repair, key, n);
	add_key(t, t->repair.data, t->repair.len, weight);
}

uint64_t
tend_topk_total(const struct tend_topk *t)
{
	return t->total;
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct counter *x = *(const struct counter *const *)a;
	const struct counter *y = *(const struct counter *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return key_cmp(x->key, x->len, y->key, y->len);
}

/* The counters in list order (count descending, key ascending), in a new
 * array. */
static const struct counter **
ranked(const struct tend_topk *t)
{
	const struct counter **v;
	size_t i;

	v = tend_xmalloc((t->n ? t->n : 1) * sizeof(*v));
	for (i = 0; i < t->n; i++)
		v[i] = &t->c[i];
	qsort(v, t->n, sizeof(*v), cmp_rank);
	return v;
}

size_t
tend_topk_list(const struct tend_topk *t, struct tend_topk_item **items)
{
	const struct counter **v = ranked(t);
	size_t i;

	*items = tend_xmalloc((t->n ? t->n : 1) * sizeof(**items));
	for (i = 0; i < t->n; i++) {
		(*items)[i].key = v[i]->key;
		(*items)[i].count = v[i]->count;
		(*items)[i].error = v[i]->error;
	}
	free(v);
	return t->n;
}

/* The count a key absent from t may have had there: the smallest count
 * when t is full, else 0. */
static uint64_t
floor_count(const struct tend_topk *t)
{
	return t->n == t->m && t->n > 0 ? t->c[t->heap[0]].count : 0;
}

/* Adds a key known to be new, with its count and error, to t (not full). */
static void
put_new(struct tend_topk *t, const char *key, size_t n, uint64_t count,
    uint64_t error)
{
	uint64_t h = hash_key(key, n);
	struct counter *c;

	c = new_counter(t, key, n, h, find_slot(t, key, n, h));
	c->count = count;
	c->error = error;
	sift_up(t, c->pos);
	if (t->n * 2 > t->mask)
		grow_table(t);
}

void
tend_topk_merge(struct tend_topk *dst, const struct tend_topk *src)
{
	uint64_t dmin = floor_count(dst), smin = floor_count(src);
	struct counter *v = tend_xmalloc((dst->n + src->n + 1) * sizeof(*v));
	const struct counter **order;
	const struct counter *c;
	struct tend_topk *r, tmp;
	size_t n = 0, i, slot;

	for (i = 0; i < dst->n; i++) {
		v[n] = dst->c[i];
		slot = find_slot(src, v[n].key, v[n].len, v[n].hash);
		c = src->table[slot] ? &src->c[src->table[slot] - 1] : NULL;
		v[n].count = sat_add(v[n].count, c ? c->count : smin);
		v[n].error = sat_add(v[n].error, c ? c->error : smin);
		n++;
	}
	for (i = 0; i < src->n; i++) {
		c = &src->c[i];
		if (dst->table[find_slot(dst, c->key, c->len, c->hash)])
			continue;
		v[n] = *c;
		v[n].count = sat_add(c->count, dmin);
		v[n].error = sat_add(c->error, dmin);
		n++;
	}
	/* the m best of the union, into a new summary that takes dst's
	 * place (src may be dst: it is only read until then) */
	r = tend_topk_new(dst->m);
	r->total = sat_add(dst->total, src->total);
	tmp.c = v;
	tmp.n = n;
	order = ranked(&tmp);
	for (i = 0; i < n && i < r->m; i++)
		put_new(r, order[i]->key, order[i]->len, order[i]->count,
		    order[i]->error);
	free(order);
	free(v);
	release(dst);
	*dst = *r;
	free(r);
}

json_t *
tend_topk_to_json(const struct tend_topk *t)
{
	const struct counter **v = ranked(t);
	json_t *j = json_object(), *items = json_array();
	size_t i;

	json_object_set_new(j, "m", json_integer((json_int_t)t->m));
	json_object_set_new(j, "total", json_integer((json_int_t)t->total));
	for (i = 0; i < t->n; i++)
		json_array_append_new(items, json_pack("[s%II]",
		    v[i]->key, v[i]->len, (json_int_t)v[i]->count,
		    (json_int_t)v[i]->error));
	json_object_set_new(j, "items", items);
	free(v);
	return j;
}


/* A JSON integer >= 0 into *out; -1 when v is not one. */
static int
get_count(const json_t *v, uint64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* Item i: [KEY, COUNT, ERROR] with error <= count <= total and a key not
 * seen before, added to t. */
static int
read_item(struct tend_topk *t, const json_t *item, size_t i,
    struct tend_error *err)
{
	const json_t *k = json_array_get(item, 0);
	uint64_t count, error, h;
	const char *key;
	size_t n;

	if (!json_is_array(item) || json_array_size(item) != 3 ||
	    !json_is_string(k) || get_count(json_array_get(item, 1),
	    &count) < 0 || get_count(json_array_get(item, 2), &error) < 0) {
		tend_error_text(err,
		    "top-k: item %zu is not [KEY, COUNT, ERROR]", i + 1);
		return -1;
	}
	if (error > count || count > t->total) {
		tend_error_text(err,
		    "top-k: item %zu: not error %llu <= count %llu <= "
		    "total %llu", i + 1, (unsigned long long)error,
		    (unsigned long long)count, (unsigned long long)t->total);
		return -1;
	}
	key = json_string_value(k);
	n = json_string_length(k);
	h = hash_key(key, n);
	if (t->table[find_slot(t, key, n, h)]) {
		tend_error_text(err,
		    "top-k: item %zu: a key seen before", i + 1);
		return -1;
	}
	put_new(t, key, n, count, error);
	return 0;
}

struct tend_topk *
tend_topk_from_json(const json_t *j, struct tend_error *err)
{
	const json_t *m, *items, *item;
	struct tend_topk *t;
	uint64_t mv, total;
	size_t i;

	if (!json_is_object(j)) {
		tend_error_text(err, "top-k: not an object");
		return NULL;
	}
	m = json_object_get(j, "m");
	items = json_object_get(j, "items");
	if (get_count(m, &mv) < 0 || mv < 1 || mv > SIZE_MAX) {
		tend_error_text(err,
		    "top-k: \"m\" is missing or not a count above 0");
		return NULL;
	}
	if (get_count(json_object_get(j, "total"), &total) < 0) {
		tend_error_text(err,
		    "top-k: \"total\" is missing or not a count");
		return NULL;
	}
	if (!json_is_array(items)) {
		tend_error_text(err,
		    "top-k: \"items\" is missing or not an array");
		return NULL;
	}
	if (json_array_size(items) > mv) {
		tend_error_text(err, "top-k: %zu items, more than \"m\" %llu",
		    json_array_size(items), (unsigned long long)mv);
		return NULL;
	}
	t = tend_topk_new((size_t)mv);
	t->total = total;
	json_array_foreach(items, i, item) {
		if (read_item(t, item, i, err) < 0) {
			tend_topk_free(t);
			return NULL;
		}
	}
	return t;
}
