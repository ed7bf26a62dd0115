/* test_escalate_state.c: the state file of tend escalate
 * (cmd/tend-escalate/state.h): entries, the journal and its rewrite, torn
 * and corrupted files, the lock, hostile keys and write faults. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "state.h"

/* A scratch directory and the state path in it. */
struct scratch {
	char dir[64];
	char path[96];
};

static void
scratch_make(struct scratch *t)
{
	snprintf(t->dir, sizeof(t->dir), "%s", "/tmp/tend-state-test.XXXXXX");
	if (!mkdtemp(t->dir))
		fail_msg("mkdtemp: %s", strerror(errno));
	chmod(t->dir, 0755);
	snprintf(t->path, sizeof(t->path), "%s/esc.state", t->dir);
}

static void
scratch_remove(const struct scratch *t)
{
	char p[512];
	struct dirent *d;
	DIR *dp = opendir(t->dir);

	chmod(t->dir, 0755);
	while (dp && (d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", t->dir, d->d_name);
		unlink(p);
	}
	if (dp)
		closedir(dp);
	rmdir(t->dir);
}

/* How many files in the directory have names containing part. */
static int
count_files(const struct scratch *t, const char *part)
{
	struct dirent *d;
	DIR *dp = opendir(t->dir);
	int n = 0;

	while (dp && (d = readdir(dp)) != NULL)
		n += strstr(d->d_name, part) != NULL;
	if (dp)
		closedir(dp);
	return n;
}

static struct esc_state *
must_open(const char *path)
{
	struct tend_error err;
	struct esc_state *s;

	memset(&err, 0, sizeof(err));
	s = esc_state_open(path, 1, &err);
	if (!s)
		fail_msg("open %s: %s (line %ld)", path, err.text, err.line);
	return s;
}

static void
must_commit(struct esc_state *s)
{
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	if (esc_state_commit(s, &err) < 0)
		fail_msg("commit: %s", err.text);
}

/* Opening path must fail with text (and at line, when line >= 0). */
static void
open_fails(const char *path, const char *text, long line)
{
	struct tend_error err;
	struct esc_state *s;

	memset(&err, 0, sizeof(err));
	s = esc_state_open(path, 0, &err);
	if (s) {
		esc_state_close(s);
		fail_msg("%s opened, expected \"%s\"", path, text);
	}
	assert_string_equal(err.text, text);
	assert_string_equal(err.file, path);
	if (line >= 0)
		assert_int_equal(err.line, line);
}

static void
add_entry(void *arg, const char *key, const char *value, int64_t expires)
{
	tend_buf_printf(arg, "%s=%s@%lld;", key, value, (long long)expires);
}

/* Every live entry, in key order, as "key=value@expires;" */
static char *
dump(const struct esc_state *s, const char *prefix)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_buf_adds(&b, "");
	esc_state_each(s, prefix, add_entry, &b);
	return tend_buf_detach(&b);
}

static void
assert_dump(const struct esc_state *s, const char *want)
{
	char *got = dump(s, NULL);

	assert_string_equal(got, want);
	free(got);
}

static char *
slurp(const char *path, size_t *len)
{
	struct tend_buf b = TEND_BUF_INIT;

	if (tend_buf_read_file(&b, path, (size_t)-1) < 0)
		fail_msg("read %s: %s", path, strerror(errno));
	*len = b.len;
	return tend_buf_detach(&b);
}

static void
spill(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		fail_msg("write %s", path);
}

static int
count_lines(const char *p, size_t n)
{
	int lines = 0;

	while (n--)
		lines += *p++ == '\n';
	return lines;
}

static void
spills(const char *path, const char *s)
{
	spill(path, s, strlen(s));
}

static off_t
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : st.st_size;
}

static int
file_mode(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : (int)(st.st_mode & 07777);
}

static ino_t
file_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? 0 : st.st_ino;
}

static void
test_put_get_del(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s;
	char *d;

	s = must_open(t->path);
	assert_int_equal(esc_state_count(s), 0);
	assert_null(esc_state_get(s, "esc:a"));
	esc_state_put(s, "esc:b", "{\"l\":2}", 0);
	esc_state_put(s, "esc:a", "1", 100);
	esc_state_put(s, "alert:x", "[1,2]", 0);
	esc_state_put(s, "esc", "\"short\"", 0);
	assert_int_equal(esc_state_count(s), 4);
	assert_string_equal(esc_state_get(s, "esc:a"), "1");
	esc_state_put(s, "esc:a", "2", 200);
	assert_string_equal(esc_state_get(s, "esc:a"), "2");
	assert_int_equal(esc_state_count(s), 4);
	d = dump(s, "esc:");
	assert_string_equal(d, "esc:a=2@200;esc:b={\"l\":2}@0;");
	free(d);
	d = dump(s, "");
	assert_string_equal(d, "alert:x=[1,2]@0;esc=\"short\"@0;esc:a=2@200;"
	    "esc:b={\"l\":2}@0;");
	free(d);
	d = dump(s, "nothing");
	assert_string_equal(d, "");
	free(d);
	esc_state_del(s, "esc:b");
	esc_state_del(s, "esc:b");
	esc_state_del(s, "never");
	assert_null(esc_state_get(s, "esc:b"));
	assert_int_equal(esc_state_count(s), 3);
	esc_state_put(s, "esc:b", "3", 0);
	assert_string_equal(esc_state_get(s, "esc:b"), "3");
	assert_int_equal(esc_state_count(s), 4);
	esc_state_close(s);
	esc_state_close(NULL);
	/* nothing committed: no file */
	assert_int_equal(file_size(t->path), -1);
}

static void
test_expire(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s;

	s = must_open(t->path);
	esc_state_put(s, "a", "1", 1000);
	esc_state_put(s, "b", "2", 1001);
	esc_state_put(s, "c", "3", 0);
	esc_state_put(s, "d", "4", 999);
	must_commit(s);
	esc_state_close(s);

	s = must_open(t->path);
	assert_int_equal(esc_state_count(s), 4);
	esc_state_expire(s, 1000);
	assert_null(esc_state_get(s, "a"));
	assert_null(esc_state_get(s, "d"));
	assert_string_equal(esc_state_get(s, "b"), "2");
	assert_int_equal(esc_state_count(s), 2);
	/* put already expired: as good as a del */
	esc_state_put(s, "e", "5", 500);
	assert_null(esc_state_get(s, "e"));
	esc_state_put(s, "b", "2", 900);
	assert_null(esc_state_get(s, "b"));
	assert_int_equal(esc_state_count(s), 1);
	assert_dump(s, "c=3@0;");
	must_commit(s);
	esc_state_close(s);

	s = must_open(t->path);
	assert_dump(s, "c=3@0;");
	esc_state_close(s);
}

static void
test_commit_reopen(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s;
	char key[32], val[32], *before, *after;
	int i;

	s = must_open(t->path);
	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "esc:twitter:%d:%d", i, i % 3 + 1);
		snprintf(val, sizeof(val), "{\"at\":%d}", 1700000000 + i);
		esc_state_put(s, key, val, i % 2 ? 0 : 1800000000 + i);
	}
	must_commit(s);
	for (i = 0; i < 300; i += 7) {
		snprintf(key, sizeof(key), "esc:twitter:%d:%d", i, i % 3 + 1);
		esc_state_del(s, key);
	}
	esc_state_put(s, "esc:twitter:1:2", "{\"at\":1}", 5);
	must_commit(s);
	before = dump(s, NULL);
	esc_state_close(s);
	s = must_open(t->path);
	after = dump(s, NULL);
	assert_string_equal(before, after);
	assert_int_equal(esc_state_count(s), 300 - 43);
	assert_string_equal(esc_state_get(s, "esc:twitter:1:2"), "{\"at\":1}");
	assert_null(esc_state_get(s, "esc:twitter:7:2"));
	esc_state_close(s);
	free(before);
	free(after);
}

/* Small changes are appended (the file grows, same inode); once the
 * journal is past 64 KiB and twice the live entries, a rewrite (new
 * inode, the file shrinks to the live entries). */
static void
test_append_and_rewrite(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s;
	char val[2100], *before, *after;
	off_t size, last;
	ino_t ino;
	int i, rewrites = 0, appends = 0;

	s = must_open(t->path);
	esc_state_put(s, "keep", "true", 0);
	must_commit(s);
	size = file_size(t->path);
	ino = file_ino(t->path);
	assert_true(size > 0);
	assert_int_equal(chmod(t->path, 0600), 0);

	/* nothing changed: no write at all, not even a put of the same */
	esc_state_put(s, "keep", "true", 0);
	must_commit(s);
	assert_int_equal(file_size(t->path), size);

	memset(val, 'x', 2000);
	val[0] = '"';
	for (i = 0; i < 100; i++) {
		snprintf(val + 1999, sizeof(val) - 1999, "%03d\"", i);
		esc_state_put(s, "big", val, 0);
		last = file_size(t->path);
		must_commit(s);
		if (file_ino(t->path) != ino) {
			rewrites++;
			ino = file_ino(t->path);
			assert_true(file_size(t->path) < last);
			assert_true(last + 2200 > 64 * 1024);
			assert_true(file_size(t->path) < 3000);
			assert_int_equal(file_mode(t->path), 0600);
		} else {
			appends++;
			assert_true(file_size(t->path) > last + 2000);
			assert_true(file_size(t->path) < last + 2200);
		}
	}
	assert_true(rewrites >= 2);
	assert_true(appends >= 60);
	assert_int_equal(count_files(t, ".tmp."), 0);
	before = dump(s, NULL);
	esc_state_close(s);
	s = must_open(t->path);
	after = dump(s, NULL);
	assert_string_equal(before, after);
	assert_string_equal(esc_state_get(s, "keep"), "true");
	assert_int_equal(esc_state_count(s), 2);
	esc_state_close(s);
	free(before);
	free(after);
}

/* A file cut anywhere in its last batch reads as the commit before it;
 * the next commit cuts the torn batch off and reads back whole. */
static void
test_torn_batch(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s;
	char *full, *cut, *reread, *first;
	size_t len, cutlen, off, start;

	s = must_open(t->path);
	esc_state_put(s, "a", "1", 0);
	esc_state_put(s, "b\nc", "\"two\"", 7);
	must_commit(s);
	first = dump(s, NULL);
	start = (size_t)file_size(t->path);
	esc_state_put(s, "a", "10", 0);
	esc_state_put(s, "new", "{\"x\":[1,2]}", 0);
	esc_state_del(s, "b\nc");
	must_commit(s);
	esc_state_close(s);
	full = slurp(t->path, &len);
	assert_true(len > start + 20);

	for (off = start; off < len; off++) {
		spill(t->path, full, off);
		s = must_open(t->path);
		reread = dump(s, NULL);
		assert_string_equal(reread, first);
		free(reread);
		esc_state_put(s, "z", "26", 0);
		must_commit(s);
		esc_state_close(s);
		s = must_open(t->path);
		reread = dump(s, NULL);
		assert_string_equal(reread, "a=1@0;b\nc=\"two\"@7;z=26@0;");
		free(reread);
		esc_state_close(s);
		/* the torn part is gone: the file is the first commit and
		 * the new batch */
		cut = slurp(t->path, &cutlen);
		assert_true(cutlen > start);
		assert_memory_equal(cut, full, start);
		assert_int_equal(count_lines(cut + start, cutlen - start), 2);
		assert_int_equal(cut[cutlen - 1], '\n');
		free(cut);
	}
	free(full);
	free(first);
}

/* Writes a state of two batches and returns the file's bytes. */
static char *
two_batches(const char *path, size_t *len, size_t *second)
{
	struct esc_state *s = must_open(path);

	esc_state_put(s, "esc:twitter:1:1", "{\"at\":\"2026-11-23\"}", 0);
	esc_state_put(s, "esc:twitter:2:1", "{\"at\":\"2026-11-24\"}", 0);
	must_commit(s);
	*second = (size_t)file_size(path);
	esc_state_put(s, "esc:twitter:3:1", "{\"at\":\"2026-11-25\"}", 0);
	must_commit(s);
	esc_state_close(s);
	return slurp(path, len);
}

static void
test_checksum_mismatch(void **state)
{
	struct scratch *t = *state;
	char *full, *p, *bad;
	size_t len, second;

	full = two_batches(t->path, &len, &second);
	/* "2026-11-24" in the first batch becomes "2026-11-34": still a
	 * record, but not what was committed */
	bad = tend_xstrndup(full, len);
	p = strstr(bad, "2026-11-24");
	assert_non_null(p);
	assert_true((size_t)(p - bad) < second);
	p[8] = '3';
	spill(t->path, bad, len);
	open_fails(t->path, "checksum mismatch in the batch ending at line 4",
	    2);
	/* the file is left as it was, never reset */
	p = slurp(t->path, &second);
	assert_int_equal(second, len);
	assert_memory_equal(p, bad, len);
	free(p);
	free(bad);

	/* a change line dropped from a committed batch */
	bad = tend_xstrndup(full, len);
	p = strchr(bad, '\n') + 1;
	memmove(p, strchr(p, '\n') + 1, strlen(strchr(p, '\n') + 1) + 1);
	spill(t->path, bad, strlen(bad));
	open_fails(t->path, "checksum mismatch in the batch ending at line 3",
	    2);
	free(bad);

	/* a flipped bracket is not a record at all */
	bad = tend_xstrndup(full, len);
	p = strstr(bad, "[\"put\"");
	*p = '{';
	spill(t->path, bad, len);
	open_fails(t->path, "'{\"put\",\"esc:twitter:1:1\",0,\"{\\\\\"at\\\\\":"
	    "\\\\\"2026-11-23\\\\\"}\"]': not a state record", 2);
	free(bad);

	/* a commit line twice */
	bad = tend_xmalloc(len + 32);
	memcpy(bad, full, len);
	memcpy(bad + len, "[\"commit\",0,0]\n", 15);
	spill(t->path, bad, len + 15);
	open_fails(t->path, "checksum mismatch in the batch ending at line 7",
	    7);
	free(bad);
	free(full);
}

static void
test_foreign_file(void **state)
{
	struct scratch *t = *state;
	static const char *const foreign[] = {
		"hello\n", "{\"esc\":1}\n", "tend-escalate-state\n",
		"tend-escalate-state 1", "tend-escalate-state x1\n",
		"tend-escalate-state 1 \n", "TEND-ESCALATE-STATE 1\n",
		"\x89PNG\r\n\x1a\n",
	};
	size_t i, len;
	char *after;

	for (i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		spill(t->path, foreign[i], strlen(foreign[i]));
		open_fails(t->path, "not a tend escalate state file", 1);
		after = slurp(t->path, &len);
		assert_int_equal(len, strlen(foreign[i]));
		assert_memory_equal(after, foreign[i], len);
		free(after);
	}
	spills(t->path, "tend-escalate-state 2\n");
	open_fails(t->path, "unsupported version 2", 1);
	spills(t->path, "tend-escalate-state 1\nnot json\n");
	open_fails(t->path, "'not json': not a state record", 2);
	/* a complete line after the last commit must still be a record */
	spills(t->path, "tend-escalate-state 1\n[\"commit\",0,0]\n"
	    "[\"put\",\"a\",0,\"1\"]\n[\"pot\",\"a\"]\n");
	open_fails(t->path, "'[\"pot\",\"a\"]': not a state record", 4);
	/* a NUL in a key, a negative expiry, a bad hex key */
	spills(t->path, "tend-escalate-state 1\n[\"del\",\"a\\u0000b\"]\n");
	open_fails(t->path, "'[\"del\",\"a\\\\u0000b\"]': not a state record",
	    2);
	spills(t->path, "tend-escalate-state 1\n[\"put\",\"a\",-1,\"1\"]\n");
	open_fails(t->path, "'[\"put\",\"a\",-1,\"1\"]': not a state record",
	    2);
	spills(t->path, "tend-escalate-state 1\n[\"del\",{\"hex\":\"0g\"}]\n");
	open_fails(t->path, "'[\"del\",{\"hex\":\"0g\"}]': not a state record",
	    2);
}

static void
test_empty_file(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s;

	spill(t->path, "", 0);
	s = must_open(t->path);
	assert_int_equal(esc_state_count(s), 0);
	esc_state_put(s, "a", "1", 0);
	must_commit(s);
	esc_state_close(s);
	s = must_open(t->path);
	assert_dump(s, "a=1@0;");
	esc_state_close(s);
}

static void
test_missing_directory(void **state)
{
	struct scratch *t = *state;
	char path[160];

	snprintf(path, sizeof(path), "%s/no/such/dir/esc.state", t->dir);
	open_fails(path, "No such file or directory", 0);
	snprintf(path, sizeof(path), "%s/esc.state/x", t->dir);
	spill(t->path, "", 0);
	open_fails(path, "Not a directory", 0);
}

/* The child's part of test_lock: opening must time out after about
 * timeout seconds with the message.  Returns the exit status. */
static int
lock_child(const char *path, double timeout)
{
	struct tend_error err;
	struct timespec t0, t1;
	struct esc_state *s;
	double took;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	s = esc_state_open(path, timeout, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (s)
		return 10;
	if (strcmp(err.text, timeout == 0 ? "is locked by another run "
	    "(waited 0s)" : "is locked by another run (waited 0.3s)") != 0)
		return 11;
	if (strcmp(err.file, path) != 0)
		return 12;
	if (took < timeout || took > timeout + 1)
		return 13;
	return 0;
}

static int
run_child(int (*fn)(const char *, double), const char *path, double arg)
{
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) < 0)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(fn(path, arg));
	if (waitpid(pid, &status, 0) < 0)
		fail_msg("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);
}

/* The child's part after the parent closed: the lock is free. */
static int
open_child(const char *path, double timeout)
{
	struct tend_error err;
	struct esc_state *s = esc_state_open(path, timeout, &err);

	if (!s)
		return 20;
	if (!esc_state_get(s, "held") ||
	    strcmp(esc_state_get(s, "held"), "1") != 0)
		return 21;
	esc_state_close(s);
	return 0;
}

static void
test_lock(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s = must_open(t->path);

	esc_state_put(s, "held", "1", 0);
	must_commit(s);
	assert_int_equal(run_child(lock_child, t->path, 0.3), 0);
	assert_int_equal(run_child(lock_child, t->path, 0), 0);
	esc_state_close(s);
	assert_int_equal(run_child(open_child, t->path, 0), 0);
	/* the lock is the lock file's, not the state file's */
	assert_int_equal(count_files(t, "esc.state.lock"), 1);
}

static void
test_hostile_keys(void **state)
{
	struct scratch *t = *state;
	static const char *const keys[] = {
		"esc:twitter:1\n[\"commit\",0,0]\n", "quote\"d", "back\\slash",
		"tab\there", "\x01\x02\x1f\x7f", "caf\xc3\xa9", "bad\xff\xfe",
		"cut\xc3", "\xed\xa0\x80surrogate", "", "{\"hex\":\"6161\"}",
		"\xe2\x80\xa8line-separator", "\r\n",
	};
	size_t nkeys = sizeof(keys) / sizeof(keys[0]), i, len;
	char *longkey, *longval, *before, *after, *file;
	struct esc_state *s = must_open(t->path);

	longkey = tend_xmalloc(10241);
	longval = tend_xmalloc(10241);
	for (i = 0; i < 10240; i++) {
		longkey[i] = (char)(1 + i % 255);
		longval[i] = "\"\\\n\xff{}"[i % 6];
	}
	longkey[10240] = longval[10240] = '\0';
	for (i = 0; i < nkeys; i++)
		esc_state_put(s, keys[i], keys[(i + 1) % nkeys], (int64_t)i);
	esc_state_put(s, longkey, longval, 0);
	assert_int_equal(esc_state_count(s), (long)nkeys + 1);
	must_commit(s);
	esc_state_del(s, "bad\xff\xfe");
	esc_state_put(s, "cut\xc3", "\n", 3);
	must_commit(s);
	before = dump(s, NULL);
	esc_state_close(s);

	s = must_open(t->path);
	after = dump(s, NULL);
	assert_string_equal(before, after);
	assert_string_equal(esc_state_get(s, longkey), longval);
	assert_string_equal(esc_state_get(s, "cut\xc3"), "\n");
	assert_null(esc_state_get(s, "bad\xff\xfe"));
	assert_string_equal(esc_state_get(s, ""), keys[10]);
	esc_state_close(s);
	/* the framing held: header, 14 puts, commit, del, put, commit */
	file = slurp(t->path, &len);
	assert_int_equal(count_lines(file, len), 1 + 14 + 1 + 3);
	assert_null(memchr(file, '\0', len));
	free(file);
	free(before);
	free(after);
	free(longkey);
	free(longval);
}

static void
test_stale_tmp_removed(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s;
	char tmp[160], other[160];

	snprintf(tmp, sizeof(tmp), "%s.tmp.12345", t->path);
	snprintf(other, sizeof(other), "%s.tmp.x", t->path);
	spill(tmp, "half a rewrite", 14);
	spill(other, "not ours", 8);
	s = must_open(t->path);
	assert_int_equal(file_size(tmp), -1);
	assert_int_equal(file_size(other), 8);
	esc_state_close(s);
}

/* The child's part of test_write_faults: with the file size limited to
 * limit bytes, a commit must fail with "cannot write: File too large"
 * and leave the last commit and no temporary file. */
static int
fsize_child(const char *path, double limit)
{
	struct tend_error err;
	struct esc_state *s;
	struct rlimit rl;
	char val[4096];

	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = rl.rlim_max = (rlim_t)limit;
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
		return 30;
	if (!(s = esc_state_open(path, 1, &err)))
		return 31;
	memset(val, 'v', sizeof(val) - 3);
	val[0] = '"';
	val[sizeof(val) - 3] = '"';
	val[sizeof(val) - 2] = '\0';
	esc_state_put(s, "huge", val, 0);
	if (esc_state_commit(s, &err) == 0)
		return 32;
	if (strcmp(err.text, "cannot write: File too large") != 0 ||
	    strcmp(err.file, path) != 0)
		return 33;
	esc_state_close(s);
	return 0;
}

static void
test_write_faults(void **state)
{
	struct scratch *t = *state;
	struct esc_state *s;
	long len;

	/* the first commit (a rewrite) fails: no file, no temporary */
	assert_int_equal(run_child(fsize_child, t->path, 1000), 0);
	assert_int_equal(file_size(t->path), -1);
	assert_int_equal(count_files(t, ".tmp."), 0);

	s = must_open(t->path);
	esc_state_put(s, "a", "1", 0);
	must_commit(s);
	assert_dump(s, "a=1@0;");
	esc_state_close(s);
	len = (long)file_size(t->path);
	/* an append fails half-way: cut back to the last commit (nothing
	 * allocated here while the child runs: under valgrind the child
	 * would report it) */
	assert_int_equal(run_child(fsize_child, t->path, (double)len + 1000),
	    0);
	assert_int_equal(file_size(t->path), len);
	s = must_open(t->path);
	assert_dump(s, "a=1@0;");
	esc_state_close(s);
}

/* The child's part of test_readonly_dir: as an unprivileged user, a
 * state in a directory it cannot write.  path is the parent directory. */
static int
readonly_child(const char *parent, double unused)
{
	struct tend_error err;
	struct esc_state *s;
	char dir[160], path[200];

	(void)unused;
	if (getuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
		return 77;
	snprintf(dir, sizeof(dir), "%s/ro", parent);
	snprintf(path, sizeof(path), "%s/esc.state", dir);
	if (mkdir(dir, 0755) < 0)
		return 40;
	if (!(s = esc_state_open(path, 0, &err)))
		return 41;
	chmod(dir, 0555);
	esc_state_put(s, "a", "1", 0);
	if (esc_state_commit(s, &err) == 0)
		return 42;
	if (strcmp(err.text, "cannot write: Permission denied") != 0)
		return 43;
	esc_state_close(s);
	/* a read-only directory without the lock file */
	chmod(dir, 0755);
	unlink(path);
	snprintf(path, sizeof(path), "%s/esc.state.lock", dir);
	unlink(path);
	chmod(dir, 0555);
	snprintf(path, sizeof(path), "%s/esc.state", dir);
	if ((s = esc_state_open(path, 0, &err)) != NULL)
		return 44;
	if (strcmp(err.text, "cannot create lock file: Permission denied"))
		return 45;
	chmod(dir, 0755);
	return 0;
}

static void
test_readonly_dir(void **state)
{
	struct scratch *t = *state;
	char dir[160];
	int rc;

	chmod(t->dir, 0777);
	rc = run_child(readonly_child, t->dir, 0);
	snprintf(dir, sizeof(dir), "%s/ro", t->dir);
	chmod(dir, 0755);
	rmdir(dir);
	if (rc == 77)
		skip();
	assert_int_equal(rc, 0);
}

static int
setup(void **state)
{
	struct scratch *t = tend_xmalloc(sizeof(*t));

	scratch_make(t);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	scratch_remove(*state);
	free(*state);
	return 0;
}

#define T(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_put_get_del),
		T(test_expire),
		T(test_commit_reopen),
		T(test_append_and_rewrite),
		T(test_torn_batch),
		T(test_checksum_mismatch),
		T(test_foreign_file),
		T(test_empty_file),
		T(test_missing_directory),
		T(test_lock),
		T(test_hostile_keys),
		T(test_stale_tmp_removed),
		T(test_write_faults),
		T(test_readonly_dir),
	};

	tend_alloc_use_for_json();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
