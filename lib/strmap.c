#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strmap.h"

#define ARENA_CHUNK (256 * 1024)

/* A key in the arena is preceded by its length (4 bytes, unaligned) and
 * followed by a NUL. */
struct slot {
	const char *key;	/* NULL: empty */
	void *value;
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct tend_strmap {
	struct slot *slots;
	uint32_t *tags;		/* low 32 bits of each slot's hash */
	size_t mask;		/* number of slots - 1 (a power of two) */
	size_t count;
	struct chunk *arena;
	size_t arena_bytes;
};

uint64_t
tend_strmap_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;	/* FNV-1a, 8 bytes a step */
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

static size_t
key_length(const char *key)
{
	uint32_t n;

	memcpy(&n, key - 4, 4);
	return n;
}

struct tend_strmap *
tend_strmap_new(void)
{
	struct tend_strmap *m = tend_xcalloc(1, sizeof(*m));

	m->mask = 63;
	m->slots = tend_xcalloc(m->mask + 1, sizeof(*m->slots));
	m->tags = tend_xcalloc(m->mask + 1, sizeof(*m->tags));
	return m;
}

void
tend_strmap_free(struct tend_strmap *m)
{
	struct chunk *c, *next;

	if (!m)
		return;
	for (c = m->arena; c; c = next) {
		next = c->next;
		free(c);
	}
	free(m->slots);
	free(m->tags);
	free(m);
}

static const char *
arena_copy(struct tend_strmap *m, const char *s, size_t n)
{
	struct chunk *c = m->arena;
	uint32_t len = (uint32_t)n;
	char *p;

	if (!c || c->size - c->used < n + 5) {
		size_t size = n + 5 > ARENA_CHUNK ? n + 5 : ARENA_CHUNK;

		c = tend_xmalloc(sizeof(*c) + size);
		c->next = m->arena;
		c->used = 0;
		c->size = size;
		m->arena = c;
		m->arena_bytes += sizeof(*c) + size;
	}
	p = c->data + c->used;
	memcpy(p, &len, 4);
	memcpy(p + 4, s, n);
	p[4 + n] = '\0';
	c->used += n + 5;
	return p + 4;
}

static size_t
find(const struct tend_strmap *m, uint64_t h, const char *key, size_t len)
{
	uint32_t tag = (uint32_t)h;
	size_t i = (size_t)(h >> 32) & m->mask;

	for (;;) {
		const struct slot *s = &m->slots[i];

		if (!s->key || (m->tags[i] == tag && key_length(s->key) == len &&
		    memcmp(s->key, key, len) == 0))
			return i;
		i = (i + 1) & m->mask;
	}
}

static void
grow(struct tend_strmap *m)
{
	struct slot *old = m->slots;
	uint32_t *old_tags = m->tags;
	size_t n = m->mask + 1, i;

	if (n > SIZE_MAX / 2 / sizeof(*m->slots))
		tend_xmalloc(SIZE_MAX);	/* out of memory */
	m->mask = n * 2 - 1;
	m->slots = tend_xcalloc(n * 2, sizeof(*m->slots));
	m->tags = tend_xcalloc(n * 2, sizeof(*m->tags));
	for (i = 0; i < n; i++)
		if (old[i].key) {
			size_t len = key_length(old[i].key);
			uint64_t h = tend_strmap_hash(old[i].key, len);
			size_t j = find(m, h, old[i].key, len);

			m->slots[j] = old[i];
			m->tags[j] = (uint32_t)h;
		}
	free(old);
	free(old_tags);
}

void **
tend_strmap_put(struct tend_strmap *m, const char *key, size_t len,
    int *added, const char **stored)
{
	uint64_t h = tend_strmap_hash(key, len);
	size_t i = find(m, h, key, len);

	*added = 0;
	if (!m->slots[i].key) {
		if ((m->count + 1) * 4 > (m->mask + 1) * 3) {
			grow(m);
			i = find(m, h, key, len);
		}
		m->slots[i].key = arena_copy(m, key, len);
		m->slots[i].value = NULL;
		m->tags[i] = (uint32_t)h;
		m->count++;
		*added = 1;
	}
	if (stored)
		*stored = m->slots[i].key;
	return &m->slots[i].value;
}

void **
tend_strmap_get(const struct tend_strmap *m, const char *key, size_t len)
{
	size_t i = find(m, tend_strmap_hash(key, len), key, len);

	return m->slots[i].key ? &m->slots[i].value : NULL;
}

const char *
tend_strmap_key(const struct tend_strmap *m, const char *key, size_t len)
{
	return m->slots[find(m, tend_strmap_hash(key, len), key, len)].key;
}

size_t
tend_strmap_count(const struct tend_strmap *m)
{
	return m->count;
}

size_t
tend_strmap_bytes(const struct tend_strmap *m)
{
	return (m->mask + 1) * (sizeof(struct slot) + sizeof(uint32_t)) +
	    m->arena_bytes;
}
