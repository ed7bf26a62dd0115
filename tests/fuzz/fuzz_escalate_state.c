/* fuzz_escalate_state.c: libFuzzer harness for the state file of tend
 * escalate (cmd/tend-escalate/state.c), linked with tend-escalate's
 * files but main.c.
 *
 * The input is written to a state file, which is opened.  When it does
 * not load, the error must name the file, say why, point at a line of it
 * (or none), and the file must be left as it was.  When it loads, the
 * entries are expired at a fixed time, one is put and the state
 * committed; reopened, it must hold exactly the same entries, and again
 * after a second commit that deletes the one put (an append or a rewrite,
 * whichever the sizes call for).  The files live in a scratch directory
 * under $TMPDIR (/dev/shm when there is one: the commits fsync), removed
 * at exit.
 *
 *	make fuzz-bin/fuzz_escalate_state && fuzz-bin/fuzz_escalate_state CORPUS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SENTINEL "\x01fuzz\xff"

static char dir[400], path[512];

/* Removes the scratch directory when the fuzzer exits. */
static void
cleanup(void)
{
	char lock[520];

	snprintf(lock, sizeof(lock), "%s.lock", path);
	unlink(path);
	unlink(lock);
	rmdir(dir);
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");

	if (path[0])
		return;
	tend_alloc_use_for_json();
	if (!tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof(dir), "%s/tend-fuzz-state.XXXXXX", tmp);
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/esc.state", dir);
	atexit(cleanup);
}

static void
spill(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
}

static void
add_entry(void *arg, const char *key, const char *value, int64_t expires)
{
	struct tend_buf *b = arg;

	tend_buf_add(b, key, strlen(key) + 1);
	tend_buf_add(b, value, strlen(value) + 1);
	tend_buf_printf(b, "%lld;", (long long)expires);
}

/* Every entry, in key order, with its count. */
static void
dump(const struct esc_state *s, struct tend_buf *b)
{
	tend_buf_reset(b);
	esc_state_each(s, "", add_entry, b);
	tend_buf_printf(b, "%ld", esc_state_count(s));
}

static struct esc_state *
reopen(struct esc_state *s)
{
	struct tend_error err;

	esc_state_close(s);
	if (!(s = esc_state_open(path, 0, &err)))
		abort();
	return s;
}

static void
check_failure(const uint8_t *data, size_t size, const struct tend_error *err)
{
	struct tend_buf after = TEND_BUF_INIT;
	size_t lines = 1, i;

	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (!err->text[0] || strcmp(err->file, path) != 0 || err->line < 0 ||
	    (size_t)err->line > lines)
		abort();
	if (tend_buf_read_file(&after, path, (size_t)-1) < 0 ||
	    after.len != size || (size && memcmp(after.data, data, size)))
		abort();
	tend_buf_release(&after);
}

static void
check_round_trip(struct esc_state *s)
{
	struct tend_buf want = TEND_BUF_INIT, got = TEND_BUF_INIT;
	struct tend_error err;

	esc_state_expire(s, 1800000000);
	esc_state_put(s, SENTINEL, "{\"n\":1}", 1900000000);
	dump(s, &want);
	if (esc_state_commit(s, &err) < 0)
		abort();
	s = reopen(s);
	dump(s, &got);
	if (got.len != want.len || memcmp(got.data, want.data, got.len))
		abort();
	esc_state_del(s, SENTINEL);
	dump(s, &want);
	if (esc_state_commit(s, &err) < 0)
		abort();
	s = reopen(s);
	dump(s, &got);
	if (got.len != want.len || memcmp(got.data, want.data, got.len))
		abort();
	esc_state_close(s);
	tend_buf_release(&want);
	tend_buf_release(&got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tend_error err;
	struct esc_state *s;

	setup();
	spill(data, size);
	memset(&err, 0, sizeof(err));
	s = esc_state_open(path, 0, &err);
	if (!s)
		check_failure(data, size, &err);
	else
		check_round_trip(s);
	return 0;
}
