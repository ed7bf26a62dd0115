/* state.h: what tend escalate remembers between runs (tend-escalate(1),
 * FILES).
 *
 * A small key-value store: each entry a key, a value (compact JSON text)
 * and the time it expires.  Escalate keeps there what it escalated
 * ("esc" entries: thread and level), what it alerted (alert key and
 * window), the baselines of the spike model and the last post seen per
 * channel.
 *
 * The file is a journal: a header line, then batches of changes, each
 * closed by a commit line with the batch's number of changes and its
 * CRC-32.  A run appends one batch (write, fsync) when it commits, so
 * its cost is the entries it changed, not the history; when the journal
 * has grown to more than twice the live entries, the commit instead
 * writes them all to a temporary file in the same directory, fsyncs it,
 * renames it over the state and fsyncs the directory.  A process killed
 * at any point leaves either the old state or the new one: a last batch
 * without its commit line is a write that never finished, ignored (and
 * cut off by the next commit); anything else that does not read back --
 * a foreign file, a bad checksum, a commit line in the wrong place -- is
 * an error naming the file and line, never a silent reset.
 *
 * Opening takes an exclusive lock (flock(2)) on FILE.lock, kept until
 * close, so overlapping runs take turns.
 */
#ifndef TEND_ESCALATE_STATE_H
#define TEND_ESCALATE_STATE_H

#include <stdint.h>

#include "error.h"

struct esc_state;

/* Locks path's lock file (creating it, mode 0644), waiting up to timeout
 * seconds (0: not at all), then reads path; a missing file is an empty
 * state (created at the first commit), a missing directory an error.
 * Returns the state, or NULL with err set (file, line when the content is
 * bad; text says what: "is locked by another run (waited 30s)", "not a
 * tend escalate state file", "checksum mismatch", ...). */
struct esc_state *esc_state_open(const char *path, double timeout,
    struct tend_error *err);

/* The value of key (NUL-terminated, owned by the state, valid until the
 * entry changes), or NULL when there is none or it has expired by the
 * time given to esc_state_expire(). */
const char *esc_state_get(const struct esc_state *s, const char *key);

/* Sets key (any bytes but NUL) to value (compact JSON text), to expire at
 * expires (seconds since the epoch; 0: never). */
void esc_state_put(struct esc_state *s, const char *key, const char *value,
    int64_t expires);
void esc_state_del(struct esc_state *s, const char *key);

/* Calls fn for each live entry whose key starts with prefix, in key
 * order.  fn must not change the state. */
void esc_state_each(const struct esc_state *s, const char *prefix,
    void (*fn)(void *arg, const char *key, const char *value,
    int64_t expires), void *arg);

/* Drops the entries expired at now (they are deleted at the next
 * commit). */
void esc_state_expire(struct esc_state *s, int64_t now);

/* The number of live entries. */
long esc_state_count(const struct esc_state *s);

/* Makes the changes since the last commit durable, as described above.
 * Returns 0, or -1 with err set (the state on disk is then the last one
 * committed). */
int esc_state_commit(struct esc_state *s, struct tend_error *err);

/* Releases the lock and frees s (NULL is fine); changes not committed
 * are lost. */
void esc_state_close(struct esc_state *s);

#endif
