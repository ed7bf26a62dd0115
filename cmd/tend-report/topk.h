/* topk.h: the most frequent keys of a stream in bounded memory
 * (tend-report(1): trending terms and hashtags).
 *
 * The Space-Saving summary (Metwally, Agrawal and El Abbadi, 2005) with a
 * fixed number of counters m: a key already counted has its counter
 * raised; a new key takes a free counter, or else replaces the key with
 * the smallest count c, starting at c + weight with an error of c.  Every
 * key whose true count exceeds n / m (n the total weight) is in the
 * summary; each count is at most its error above the true count, and
 * count - error is a lower bound.
 *
 * Merging two summaries (Agarwal et al., "Mergeable summaries", 2012):
 * counts of a key in both are added; a key in one only is taken to have
 * had the other's smallest count there (added to count and error) when
 * that summary was full; then the m largest are kept.  The bounds above
 * hold for the merged summary with n the sum of the totals.  Ties are
 * broken by key, byte order, so results never depend on hash order.
 */
#ifndef TEND_REPORT_TOPK_H
#define TEND_REPORT_TOPK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"

struct tend_topk;

struct tend_topk_item {
	const char *key;	/* owned by the summary, NUL-terminated */
	uint64_t count;		/* an upper bound of the true count */
	uint64_t error;		/* count - error is a lower bound */
};

/* A summary with m counters (m >= 1).  Never NULL. */
struct tend_topk *tend_topk_new(size_t m);
void tend_topk_free(struct tend_topk *t);

/* Counts key[0..n) weight times.  Invalid UTF-8 in a key is counted as
 * U+FFFD, so every key can be written as JSON; a key holding a NUL shows
 * cut at it in tend_topk_list() (the JSON has it whole). */
void tend_topk_add(struct tend_topk *t, const char *key, size_t n,
    uint64_t weight);

/* Merges src into dst; the result has dst's m counters. */
void tend_topk_merge(struct tend_topk *dst, const struct tend_topk *src);

/* The total weight counted. */
uint64_t tend_topk_total(const struct tend_topk *t);

/* The keys held, by count descending then key ascending, into *items (a
 * new array the caller frees; the keys stay owned by t and valid until t
 * changes).  Returns how many. */
size_t tend_topk_list(const struct tend_topk *t,
    struct tend_topk_item **items);

/* As JSON for report partials (a new reference):
 *	{"m":M,"total":N,"items":[[KEY,COUNT,ERROR],...]}  */
json_t *tend_topk_to_json(const struct tend_topk *t);
/* Reads it back; NULL with err->text set when j is not such an object. */
struct tend_topk *tend_topk_from_json(const json_t *j,
    struct tend_error *err);

#endif
