/* state.c: the state file of tend escalate (state.h).
 *
 * File format, version 1.  A text file of lines, each ended by '\n':
 *
 *	tend-escalate-state 1
 *	["put",KEY,EXPIRES,VALUE]
 *	["del",KEY]
 *	["commit",NCHANGES,CRC32]
 *
 * Line 1 is the header: the format's name and version.  Every other line
 * is a JSON array, written compact (so it holds no raw newline, whatever
 * the bytes of a key):
 *   - "put" sets KEY to VALUE, to expire at EXPIRES (an integer, seconds
 *     since the epoch, 0 for never);
 *   - "del" removes KEY;
 *   - "commit" closes the batch of change lines above it (back to the
 *     header or the previous commit line): NCHANGES is how many there
 *     are, CRC32 the CRC-32 (ISO-HDLC, as zlib's crc32()) of their bytes,
 *     newlines included, as an integer.
 * KEY and VALUE are JSON strings holding the bytes as given (VALUE is
 * itself compact JSON text, stored as a string so that it reads back
 * byte for byte); bytes that are not valid UTF-8 are written as an
 * object {"hex":"..."} of their lower-case hex digits instead.
 *
 * A batch is in force only once its commit line is complete.  Opening
 * reads the batches in order and applies each at its commit line; what
 * follows the last commit line is a batch whose write never finished: its
 * complete lines must still be change lines, an unfinished last line is
 * not read, and the next commit cuts it off (ftruncate) before it writes.
 * A file that does not start with the header, a line that is not one of
 * the records above, or a commit line whose count or checksum does not
 * match is an error naming the file and the line, never a silent reset.
 * An empty file is an empty state.
 *
 * A commit writes only the entries that changed (a "put" for a live one, a
 * "del" for one gone or expired), appended with pwrite(2) and fsync'd.
 * When the journal would grow past twice the bytes of the live entries
 * (and past 64 KiB), or when there is no file yet, it instead writes the
 * header and every live entry, in key order, as one batch to FILE.tmp.PID
 * in the same directory, fsyncs it, renames it over FILE and fsyncs the
 * directory.  Opening removes any FILE.tmp.PID left by a run that was
 * killed (it holds the lock, so no other run is writing one).
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "alloc.h"
#include "buf.h"
#include "state.h"
#include "strmap.h"

#define HEADER "tend-escalate-state 1\n"
#define HEADER_NAME "tend-escalate-state "
#define REWRITE_MIN (64L * 1024)
#define LOCK_POLL_NS 20000000L	/* 20 ms between tries for the lock */

struct entry {
	const char *key;	/* the map's copy */
	size_t keylen;
	char *value;		/* NULL: deleted or expired */
	int64_t expires;
	size_t line_len;	/* of its "put" line in the file; 0: none */
	size_t new_len;		/* ... in the batch being written */
	int dirty;		/* changed since the last commit */
};

struct esc_state {
	char *path;
	int lock_fd;
	off_t end;		/* bytes of the journal up to its last commit */
	size_t live_bytes;	/* header and "put" lines in force */
	struct tend_strmap *map;
	struct entry **entries;	/* every key in map */
	size_t nentries, entries_cap;
	struct entry **dirty;
	size_t ndirty, dirty_cap;
	long live;
	int64_t now;		/* given to esc_state_expire() */
	int have_now;
};

/* A change line read back, waiting for its commit line. */
struct change {
	char *key;
	size_t keylen;
	char *value;		/* NULL: a "del" */
	int64_t expires;
	size_t line_len;
};

struct batch {
	struct change *v;
	size_t n, cap;
	uint32_t crc;
	long first_line;
};

/* CRC-32 (reflected, polynomial 0xedb88320), chained as zlib's crc32(). */
static uint32_t
crc32_update(uint32_t crc, const void *p, size_t n)
{
	static uint32_t table[256];
	static int ready;
	const unsigned char *b = p;
	uint32_t c;
	size_t i;
	int k;

	if (!ready) {
		for (i = 0; i < 256; i++) {
			c = (uint32_t)i;
			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	c = crc ^ 0xffffffffu;
	for (i = 0; i < n; i++)
		c = table[(c ^ b[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- entries in memory ---- */

static struct entry *
find(const struct esc_state *s, const char *key, size_t len)
{
	void **slot = tend_strmap_get(s->map, key, len);

	return slot ? *slot : NULL;
}

static struct entry *
find_or_add(struct esc_state *s, const char *key, size_t len)
{
	struct entry *e;
	const char *stored;
	void **slot;
	int added;

	slot = tend_strmap_put(s->map, key, len, &added, &stored);
	if (!added)
		return *slot;
	e = tend_xcalloc(1, sizeof(*e));
	e->key = stored;
	e->keylen = len;
	*slot = e;
	tend_xgrow((void **)&s->entries, &s->entries_cap, s->nentries + 1,
	    sizeof(*s->entries));
	s->entries[s->nentries++] = e;
	return e;
}

static void
mark_dirty(struct esc_state *s, struct entry *e)
{
	if (e->dirty)
		return;
	e->dirty = 1;
	tend_xgrow((void **)&s->dirty, &s->dirty_cap, s->ndirty + 1,
	    sizeof(*s->dirty));
	s->dirty[s->ndirty++] = e;
}

static void
drop_value(struct esc_state *s, struct entry *e)
{
	if (!e->value)
		return;
	free(e->value);
	e->value = NULL;
	s->live--;
}

const char *
esc_state_get(const struct esc_state *s, const char *key)
{
	struct entry *e = find(s, key, strlen(key));

	return e ? e->value : NULL;
}

void
esc_state_put(struct esc_state *s, const char *key, const char *value,
    int64_t expires)
{
	struct entry *e;

	if (!value || (s->have_now && expires != 0 && expires <= s->now)) {
		esc_state_del(s, key);
		return;
	}
	e = find_or_add(s, key, strlen(key));
	if (e->value && e->expires == expires && strcmp(e->value, value) == 0)
		return;
	if (e->value)
		free(e->value);
	else
		s->live++;
	e->value = tend_xstrdup(value);
	e->expires = expires;
	mark_dirty(s, e);
}

void
esc_state_del(struct esc_state *s, const char *key)
{
	struct entry *e = find(s, key, strlen(key));

	if (!e || !e->value)
		return;
	drop_value(s, e);
	mark_dirty(s, e);
}

void
esc_state_expire(struct esc_state *s, int64_t now)
{
	struct entry *e;
	size_t i;

	s->now = now;
	s->have_now = 1;
	for (i = 0; i < s->nentries; i++) {
		e = s->entries[i];
		if (e->value && e->expires != 0 && e->expires <= now) {
			drop_value(s, e);
			mark_dirty(s, e);
		}
	}
}

long
esc_state_count(const struct esc_state *s)
{
	return s->live;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;

	return strcmp(x->key, y->key);
}

void
esc_state_each(const struct esc_state *s, const char *prefix,
    void (*fn)(void *arg, const char *key, const char *value,
    int64_t expires), void *arg)
{
	struct entry **v;
	size_t i, n = 0, plen = prefix ? strlen(prefix) : 0;

	if (!s->nentries)
		return;
	v = tend_xmalloc(s->nentries * sizeof(*v));
	for (i = 0; i < s->nentries; i++) {
		struct entry *e = s->entries[i];

		if (e->value && (plen == 0 || (e->keylen >= plen &&
		    memcmp(e->key, prefix, plen) == 0)))
			v[n++] = e;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), entry_cmp);
	for (i = 0; i < n; i++)
		fn(arg, v[i]->key, v[i]->value, v[i]->expires);
	free(v);
}

/* ---- encoding lines ---- */

static json_t *
bytes_json(const char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	json_t *str = json_stringn(p, n);
	char *hex;
	size_t i;

	if (str)
		return str;	/* valid UTF-8 */
	hex = tend_xmalloc(2 * n + 1);
	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[(unsigned char)p[i] >> 4];
		hex[2 * i + 1] = digits[(unsigned char)p[i] & 15];
	}
	hex[2 * n] = '\0';
	str = json_pack("{s:s}", "hex", hex);
	free(hex);
	return str;
}

static int
add_to_buf(const char *p, size_t n, void *data)
{
	tend_buf_add(data, p, n);
	return 0;
}

/* Appends the line of a (json, stolen) and returns its length. */
static size_t
add_line(struct tend_buf *out, json_t *a)
{
	size_t start = out->len;

	json_dump_callback(a, add_to_buf, out, JSON_COMPACT);
	json_decref(a);
	tend_buf_addc(out, '\n');
	return out->len - start;
}

static size_t
add_put(struct tend_buf *out, const struct entry *e)
{
	return add_line(out, json_pack("[s o I o]", "put",
	    bytes_json(e->key, e->keylen), (json_int_t)e->expires,
	    bytes_json(e->value, strlen(e->value))));
}

static size_t
add_del(struct tend_buf *out, const struct entry *e)
{
	return add_line(out, json_pack("[s o]", "del",
	    bytes_json(e->key, e->keylen)));
}

static void
add_commit(struct tend_buf *out, size_t nchanges, uint32_t crc)
{
	add_line(out, json_pack("[s I I]", "commit", (json_int_t)nchanges,
	    (json_int_t)crc));
}

/* ---- reading ---- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The bytes of a KEY or VALUE field (malloc'd, NUL-terminated, with no
 * NUL inside), or NULL when j is not one. */
static char *
json_bytes(const json_t *j, size_t *len)
{
	const char *hex;
	char *out;
	size_t n, i;
	int hi, lo;

	if (json_is_string(j)) {
		*len = json_string_length(j);
		return tend_xstrndup(json_string_value(j), *len);
	}
	if (!json_is_object(j) || json_object_size(j) != 1 ||
	    !json_is_string(json_object_get(j, "hex")))
		return NULL;
	hex = json_string_value(json_object_get(j, "hex"));
	n = strlen(hex);
	if (n % 2)
		return NULL;
	out = tend_xmalloc(n / 2 + 1);
	for (i = 0; i < n / 2; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			free(out);
			return NULL;
		}
		out[i] = (char)(hi << 4 | lo);
	}
	out[n / 2] = '\0';
	*len = n / 2;
	return out;
}

static int
json_uint(const json_t *j, json_int_t max, json_int_t *v)
{
	if (!json_is_integer(j))
		return -1;
	*v = json_integer_value(j);
	return *v < 0 || *v > max ? -1 : 0;
}

enum { REC_BAD, REC_CHANGE, REC_COMMIT };

/* Reads a change line into c, or a commit line into *n and *crc. */
static int
parse_record(const char *p, size_t len, struct change *c, json_int_t *n,
    json_int_t *crc)
{
	json_error_t jerr;
	json_int_t exp;
	json_t *a;
	size_t vlen;
	const char *op;
	int kind = REC_BAD;

	a = json_loadb(p, len, JSON_REJECT_DUPLICATES, &jerr);
	op = json_string_value(json_array_get(a, 0));
	if (!json_is_array(a) || !op)
		;
	else if (strcmp(op, "put") == 0 && json_array_size(a) == 4 &&
	    json_uint(json_array_get(a, 2), INT64_MAX, &exp) == 0 &&
	    (c->key = json_bytes(json_array_get(a, 1), &c->keylen)) != NULL) {
		c->value = json_bytes(json_array_get(a, 3), &vlen);
		c->expires = (int64_t)exp;
		kind = c->value ? REC_CHANGE : REC_BAD;
	} else if (strcmp(op, "del") == 0 && json_array_size(a) == 2 &&
	    (c->key = json_bytes(json_array_get(a, 1), &c->keylen)) != NULL) {
		c->value = NULL;
		kind = REC_CHANGE;
	} else if (strcmp(op, "commit") == 0 && json_array_size(a) == 3 &&
	    json_uint(json_array_get(a, 1), INT64_MAX, n) == 0 &&
	    json_uint(json_array_get(a, 2), 0xffffffff, crc) == 0) {
		kind = REC_COMMIT;
	}
	json_decref(a);
	if (kind == REC_BAD && c->key) {
		free(c->key);
		c->key = NULL;
	}
	return kind;
}

static void
batch_clear(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].key);
		free(b->v[i].value);
	}
	b->n = 0;
	b->crc = 0;
}

/* Puts the changes of a committed batch in force (taking their memory). */
static void
batch_apply(struct esc_state *s, struct batch *b)
{
	struct change *c;
	struct entry *e;
	size_t i;

	for (i = 0; i < b->n; i++) {
		c = &b->v[i];
		e = find_or_add(s, c->key, c->keylen);
		s->live_bytes -= e->line_len;
		drop_value(s, e);
		e->line_len = 0;
		if (c->value) {
			e->value = c->value;
			e->expires = c->expires;
			e->line_len = c->line_len;
			s->live_bytes += e->line_len;
			s->live++;
		}
		free(c->key);
	}
	b->n = 0;
	b->crc = 0;
}

static int
bad_record(struct esc_state *s, long line, const char *p, size_t len,
    struct tend_error *err)
{
	char q[64];

	tend_error_set(err, s->path, line, 0, "'%s': not a state record",
	    tend_error_quote(p, len, q, sizeof(q)));
	return -1;
}

/* Takes the commit line at line (nchanges, crc) for the batch b. */
static int
commit_line(struct esc_state *s, struct batch *b, long line,
    json_int_t nchanges, json_int_t crc, struct tend_error *err)
{
	if ((size_t)nchanges != b->n || (uint32_t)crc != b->crc ||
	    (b->n == 0 && b->first_line != 2)) {
		tend_error_set(err, s->path, b->first_line, 0,
		    "checksum mismatch in the batch ending at line %ld", line);
		return -1;
	}
	batch_apply(s, b);
	b->first_line = line + 1;
	return 0;
}

static int
check_header(struct esc_state *s, const char *p, size_t size,
    struct tend_error *err)
{
	const char *nl = memchr(p, '\n', size);
	size_t hl = strlen(HEADER_NAME), vl, i;

	if (size == 0)
		return 0;
	if (!nl || (size_t)(nl - p) <= hl || memcmp(p, HEADER_NAME, hl) != 0)
		goto foreign;
	vl = (size_t)(nl - p) - hl;
	for (i = 0; i < vl; i++)
		if (p[hl + i] < '0' || p[hl + i] > '9')
			goto foreign;
	if (vl > 9)
		goto foreign;
	if (vl != 1 || p[hl] != '1') {
		tend_error_set(err, s->path, 1, 0, "unsupported version %.*s",
		    (int)vl, p + hl);
		return -1;
	}
	return 0;
foreign:
	tend_error_set(err, s->path, 1, 0, "not a tend escalate state file");
	return -1;
}

/* Reads the journal p[0..size) into s. */
static int
load(struct esc_state *s, const char *p, size_t size, struct tend_error *err)
{
	struct batch b = { NULL, 0, 0, 0, 2 };
	struct change c;
	size_t pos, len;
	const char *nl;
	json_int_t n, crc;
	long line = 2;
	int rc = 0;

	if (check_header(s, p, size, err) < 0)
		return -1;
	if (size == 0)
		return 0;
	pos = strlen(HEADER);
	s->end = (off_t)pos;
	s->live_bytes = pos;
	for (; (nl = memchr(p + pos, '\n', size - pos)) != NULL; line++) {
		len = (size_t)(nl - (p + pos));
		memset(&c, 0, sizeof(c));
		switch (parse_record(p + pos, len, &c, &n, &crc)) {
		case REC_CHANGE:
			c.line_len = len + 1;
			tend_xgrow((void **)&b.v, &b.cap, b.n + 1,
			    sizeof(*b.v));
			b.v[b.n++] = c;
			b.crc = crc32_update(b.crc, p + pos, len + 1);
			break;
		case REC_COMMIT:
			rc = commit_line(s, &b, line, n, crc, err);
			s->end = (off_t)(pos + len + 1);
			break;
		default:
			rc = bad_record(s, line, p + pos, len, err);
		}
		if (rc < 0)
			break;
		pos += len + 1;
	}
	batch_clear(&b);
	free(b.v);
	return rc;
}

/* Appends the file at path to b; 0, or -1 with errno set. */
static int
read_file(const char *path, struct tend_buf *b)
{
	struct stat st;
	ssize_t got;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		tend_buf_grow(b, (size_t)st.st_size);
	for (;;) {
		tend_buf_grow(b, 65536);
		got = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		b->len += (size_t)got;
		b->data[b->len] = '\0';
	}
	e = errno;
	close(fd);
	errno = e;
	return got < 0 ? -1 : 0;
}

static int
read_state(struct esc_state *s, struct tend_error *err)
{
	struct tend_buf b = TEND_BUF_INIT;
	int rc;

	if (read_file(s->path, &b) < 0) {
		rc = errno;
		tend_buf_release(&b);
		if (rc == ENOENT)
			return 0;
		tend_error_set(err, s->path, 0, 0, "cannot read: %s",
		    strerror(rc));
		return -1;
	}
	rc = load(s, b.data ? b.data : "", b.len, err);
	tend_buf_release(&b);
	return rc;
}

/* ---- locking ---- */

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int
open_lock(const char *path, struct tend_error *err)
{
	struct tend_buf lp = TEND_BUF_INIT;
	int fd, saved;

	tend_buf_printf(&lp, "%s.lock", path);
	fd = open(lp.data, O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		saved = errno;
		fd = open(lp.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			errno = saved;
	}
	saved = errno;
	tend_buf_release(&lp);
	if (fd >= 0)
		return fd;
	if (saved == ENOENT || saved == ENOTDIR)
		tend_error_set(err, path, 0, 0, "%s", strerror(saved));
	else
		tend_error_set(err, path, 0, 0, "cannot create lock file: %s",
		    strerror(saved));
	return -1;
}

static int
take_lock(int fd, const char *path, double timeout, struct tend_error *err)
{
	struct timespec t0, nap;
	double left;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			tend_error_set(err, path, 0, 0, "cannot lock: %s",
			    strerror(errno));
			return -1;
		}
		left = timeout - seconds_since(&t0);
		if (left <= 0) {
			tend_error_set(err, path, 0, 0, "is locked by another "
			    "run (waited %gs)", timeout);
			return -1;
		}
		nap.tv_sec = 0;
		nap.tv_nsec = left < LOCK_POLL_NS / 1e9 ?
		    (long)(left * 1e9) + 1 : LOCK_POLL_NS;
		nanosleep(&nap, NULL);
	}
}

/* The directory of path ("." for a bare name), malloc'd. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return tend_xstrdup(".");
	if (slash == path)
		return tend_xstrdup("/");
	return tend_xstrndup(path, (size_t)(slash - path));
}

/* Removes FILE.tmp.PID files that runs killed while rewriting left. */
static void
remove_stale_tmp(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t bl = strlen(base), i;
	struct tend_buf tmp = TEND_BUF_INIT;
	struct dirent *d;
	char *dir = dir_of(path);
	DIR *dp = opendir(dir);

	while (dp && (d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, base, bl) != 0 ||
		    strncmp(d->d_name + bl, ".tmp.", 5) != 0 ||
		    !d->d_name[bl + 5])
			continue;
		for (i = bl + 5; d->d_name[i] >= '0' && d->d_name[i] <= '9';)
			i++;
		if (d->d_name[i])
			continue;
		tend_buf_reset(&tmp);
		tend_buf_printf(&tmp, "%s/%s", dir, d->d_name);
		unlink(tmp.data);
	}
	if (dp)
		closedir(dp);
	tend_buf_release(&tmp);
	free(dir);
}

struct esc_state *
esc_state_open(const char *path, double timeout, struct tend_error *err)
{
	struct esc_state *s;
	int fd;

	if ((fd = open_lock(path, err)) < 0)
		return NULL;
	if (take_lock(fd, path, timeout, err) < 0) {
		close(fd);
		return NULL;
	}
	s = tend_xcalloc(1, sizeof(*s));
	s->path = tend_xstrdup(path);
	s->lock_fd = fd;
	s->map = tend_strmap_new();
	remove_stale_tmp(path);
	if (read_state(s, err) < 0) {
		esc_state_close(s);
		return NULL;
	}
	return s;
}

void
esc_state_close(struct esc_state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nentries; i++) {
		free(s->entries[i]->value);
		free(s->entries[i]);
	}
	free(s->entries);
	free(s->dirty);
	tend_strmap_free(s->map);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->path);
	free(s);
}

/* ---- writing ---- */

static int
write_all(int fd, const char *p, size_t n, off_t at)
{
	ssize_t w;

	while (n > 0) {
		w = pwrite(fd, p, n, at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
		at += w;
	}
	return 0;
}

static int
write_error(struct esc_state *s, int errnum, struct tend_error *err)
{
	tend_error_set(err, s->path, 0, 0, "cannot write: %s",
	    strerror(errnum));
	return -1;
}

/* Appends the batch out (change lines and commit) at s->end. */
static int
append(struct esc_state *s, const struct tend_buf *out,
    struct tend_error *err)
{
	struct stat st;
	int fd, e;

	fd = open(s->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return write_error(s, errno, err);
	if (fstat(fd, &st) < 0 || (st.st_size != s->end &&
	    (st.st_size < s->end || ftruncate(fd, s->end) < 0)))
		goto fail;
	if (write_all(fd, out->data, out->len, s->end) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0)
		return write_error(s, errno, err);
	return 0;
fail:
	e = errno;
	if (fstat(fd, &st) == 0 && st.st_size < s->end) {
		close(fd);
		tend_error_set(err, s->path, 0, 0, "cannot write: it is "
		    "shorter than when it was read");
		return -1;
	}
	if (ftruncate(fd, s->end) == 0)
		fsync(fd);
	close(fd);
	return write_error(s, e, err);
}

static int
fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd, rc = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -1;
	close(fd);
	return rc;
}

/* Writes out (a whole journal) to FILE.tmp.PID and renames it over FILE
 * (keeping FILE's permissions).  Returns 0; -1 when FILE is as it was; -2
 * when FILE was replaced but the directory could not be fsync'd. */
static int
replace(struct esc_state *s, const struct tend_buf *out,
    struct tend_error *err)
{
	struct tend_buf tmp = TEND_BUF_INIT;
	struct stat st;
	int fd, e;

	tend_buf_printf(&tmp, "%s.tmp.%ld", s->path, (long)getpid());
	unlink(tmp.data);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0644);
	if (fd < 0) {
		e = errno;
		tend_buf_release(&tmp);
		return write_error(s, e, err);
	}
	if (stat(s->path, &st) == 0)
		(void)fchmod(fd, st.st_mode & 07777);
	if (write_all(fd, out->data, out->len, 0) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp.data, s->path) < 0) {
		e = errno;
		goto fail;
	}
	tend_buf_release(&tmp);
	if (fsync_dir(s->path) < 0) {
		write_error(s, errno, err);
		return -2;	/* in place, maybe not yet durable */
	}
	return 0;
fail:
	unlink(tmp.data);
	tend_buf_release(&tmp);
	return write_error(s, e, err);
}

/* Makes the entries in force after a rewrite the only ones in memory. */
static void
compact(struct esc_state *s)
{
	struct tend_strmap *old = s->map;
	struct entry *e;
	void **slot;
	size_t i, n = 0;
	int added;

	s->map = tend_strmap_new();
	for (i = 0; i < s->nentries; i++) {
		e = s->entries[i];
		if (!e->value) {
			free(e);
			continue;
		}
		slot = tend_strmap_put(s->map, e->key, e->keylen, &added,
		    &e->key);
		*slot = e;
		s->entries[n++] = e;
	}
	s->nentries = n;
	tend_strmap_free(old);
}

static int
rewrite(struct esc_state *s, struct tend_error *err)
{
	struct tend_buf out = TEND_BUF_INIT;
	struct entry **v = NULL;
	size_t i, n = 0, start;
	int rc;

	if (s->nentries)
		v = tend_xmalloc(s->nentries * sizeof(*v));
	for (i = 0; i < s->nentries; i++)
		if (s->entries[i]->value)
			v[n++] = s->entries[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), entry_cmp);
	tend_buf_adds(&out, HEADER);
	start = out.len;
	for (i = 0; i < n; i++)
		v[i]->new_len = add_put(&out, v[i]);
	add_commit(&out, n, crc32_update(0, out.data + start,
	    out.len - start));
	rc = replace(s, &out, err);
	if (rc != -1) {
		s->live_bytes = start;
		for (i = 0; i < n; i++) {
			v[i]->line_len = v[i]->new_len;
			s->live_bytes += v[i]->line_len;
		}
		s->end = (off_t)out.len;
		for (i = 0; i < s->ndirty; i++)
			s->dirty[i]->dirty = 0;
		s->ndirty = 0;
		compact(s);
	}
	free(v);
	tend_buf_release(&out);
	return rc < 0 ? -1 : 0;
}

/* Puts the appended batch in force in memory. */
static void
settle(struct esc_state *s)
{
	struct entry *e;
	size_t i;

	for (i = 0; i < s->ndirty; i++) {
		e = s->dirty[i];
		s->live_bytes -= e->line_len;
		e->line_len = e->value ? e->new_len : 0;
		s->live_bytes += e->line_len;
		e->dirty = 0;
	}
	s->ndirty = 0;
}

int
esc_state_commit(struct esc_state *s, struct tend_error *err)
{
	struct tend_buf out = TEND_BUF_INIT;
	struct entry *e;
	size_t i, nchanges = 0, live_after = s->live_bytes, journal;
	int rc;

	if (s->ndirty > 1)
		qsort(s->dirty, s->ndirty, sizeof(*s->dirty), entry_cmp);
	for (i = 0; i < s->ndirty; i++) {
		e = s->dirty[i];
		e->new_len = 0;
		if (e->value)
			e->new_len = add_put(&out, e);
		else if (e->line_len)
			add_del(&out, e);
		else
			continue;
		nchanges++;
		live_after += e->new_len;
		live_after -= e->line_len;
	}
	if (nchanges == 0) {
		tend_buf_release(&out);
		settle(s);
		return 0;
	}
	add_commit(&out, nchanges, crc32_update(0, out.data, out.len));
	journal = (size_t)s->end + out.len;
	if (s->end == 0 ||
	    (journal > 2 * live_after && journal > REWRITE_MIN)) {
		rc = rewrite(s, err);
	} else if ((rc = append(s, &out, err)) == 0) {
		s->end += (off_t)out.len;
		settle(s);
	}
	tend_buf_release(&out);
	return rc;
}
