/* thread.h: the run of tend-sla: records held by thread, written when
 * their thread is settled (thread.c), and the item made of a record
 * (item.c). */
#ifndef TEND_SLA_THREAD_H
#define TEND_SLA_THREAD_H

#include <stdio.h>

#include "record.h"
#include "sla.h"

struct thread;
struct check;
struct tend_strmap;

struct sla_run {
	const struct sla_policy *policy;
	int64_t now;
	int64_t horizon;	/* < 0: hold every thread to the end */
	unsigned only;		/* 1 << status of the records wanted; 0: all */
	const char *explain;	/* the thread explained, or NULL */
	FILE *explain_out;
	int explained;
	void (*emit)(void *arg, const char *p, size_t n);
	void *emit_arg;
	long breached, at_risk, dropped;
	unsigned long limit_hits;	/* of the policy's patterns, seen */

	struct tend_strmap *map;	/* key -> slot + 1 */
	struct thread *threads;
	size_t nthreads, threads_cap, live, dead;
	long free_slot;
	struct check *heap;
	size_t nheap, heap_cap;
	uint64_t stamps;
	int64_t hwm;			/* the latest created_at read */
	struct sla_result *res;		/* scratch for evaluation */
	size_t res_cap;
	struct sla_case kase;
	struct tend_buf out, obj;
};

void sla_run_init(struct sla_run *r, const struct sla_policy *p,
    int64_t now, int64_t horizon);
/* Adds item (its line now owned by the run) to thread key[0..keylen);
 * may write threads that are settled. */
void sla_run_add(struct sla_run *r, const char *key, size_t keylen,
    const struct sla_item *item);
/* Writes every thread still held, in the order of their first records. */
void sla_run_finish(struct sla_run *r);
size_t sla_run_live(const struct sla_run *r);
void sla_run_release(struct sla_run *r);

/* Buffers sla_item_make() reuses from record to record. */
struct sla_scratch {
	struct tend_buf word, text, key;
};

void sla_scratch_init(struct sla_scratch *s);
void sla_scratch_release(struct sla_scratch *s);

/* Makes the item of a record read by tend_record_scan(): its role, the
 * patterns that hold, the agent's initials, a customer post's target, and
 * a copy of its bytes (with the record's edits).  *key and *keylen get its
 * thread, in s (valid until the next call). */
void sla_item_make(const struct sla_policy *p, struct tend_record *rec,
    struct sla_scratch *s, struct sla_item *item, const char **key,
    size_t *keylen);

#endif
