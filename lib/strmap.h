/* strmap.h: a hash map from byte-string keys to pointers.
 *
 * Keys are copied into the map's own arena; values are the caller's (the
 * map never frees them).  Open addressing with linear probing over 16-byte
 * slots and a separate array of 32-bit hash tags, grown at three quarters
 * full: about 50 bytes per entry plus the key, and a lookup costs one hash
 * and usually one key comparison.
 */
#ifndef TEND_STRMAP_H
#define TEND_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct tend_strmap;

/* Returns a new, empty map (never NULL); tend_strmap_free() frees it. */
struct tend_strmap *tend_strmap_new(void);
void tend_strmap_free(struct tend_strmap *m);

/* Returns the value slot for key[0..len), adding the key with a NULL value
 * when absent (then *added is 1).  The slot is valid until the next put.
 * When stored is not NULL it is set to the map's copy of the key, which
 * lives as long as the map. */
void **tend_strmap_put(struct tend_strmap *m, const char *key, size_t len,
    int *added, const char **stored);

/* Returns the value slot for key, or NULL when absent. */
void **tend_strmap_get(const struct tend_strmap *m, const char *key,
    size_t len);

/* The stored copy of a key that is in the map (NUL-terminated), or NULL. */
const char *tend_strmap_key(const struct tend_strmap *m, const char *key,
    size_t len);

size_t tend_strmap_count(const struct tend_strmap *m);

/* The 64-bit hash the map files s[0..n) under (FNV-1a, 8 bytes a step,
 * then mixed), for tables of their own. */
uint64_t tend_strmap_hash(const char *s, size_t n);

/* Bytes held by the map (table and arena), for the benchmarks. */
size_t tend_strmap_bytes(const struct tend_strmap *m);

#endif
