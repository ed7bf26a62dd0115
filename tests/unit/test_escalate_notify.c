/* test_escalate_notify.c: --exec and --outdir of tend escalate
 * (cmd/tend-escalate/notify.h): how a command ended, what it was given,
 * what it was not (a shell, our descriptors), and safe team files. */
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
#include "notify.h"
#include "state.h"

static const char record[] = "{\"id\":\"twitter:1\",\"text\":\"help\"}\n";

struct scratch {
	char dir[64];
};

static int
setup(void **state)
{
	struct scratch *t = tend_xmalloc(sizeof(*t));

	snprintf(t->dir, sizeof(t->dir), "%s", "/tmp/tend-notify-test.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct scratch *t = *state;
	char p[512];
	struct dirent *d;
	DIR *dp = opendir(t->dir);

	while (dp && (d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", t->dir, d->d_name);
		unlink(p);
	}
	if (dp)
		closedir(dp);
	rmdir(t->dir);
	free(t);
	return 0;
}

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with json, team "product", level 2, kind "escalation". */
static int
run(const char *const *argv, const char *json, size_t n, double timeout,
    struct tend_error *err)
{
	memset(err, 0, sizeof(*err));
	return esc_notify_exec((char *const *)argv, json, n, "product", 2,
	    "escalation", timeout, err);
}

static void
runs_to(const char *const *argv, double timeout, const char *text)
{
	struct tend_error err;
	int rc = run(argv, record, strlen(record), timeout, &err);

	if (!text) {
		if (rc != 0)
			fail_msg("%s: %s", argv[0], err.text);
		return;
	}
	assert_int_equal(rc, -1);
	assert_string_equal(err.text, text);
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

static int
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void
test_team_names(void **state)
{
	static const char *const good[] = {
		"a", "customer-service", "PR", "team_2", "v1.2", "0day",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",	/* 64 */
	};
	static const char *const bad[] = {
		"", "../x", "a/b", ".hidden", ".", "..", "-rf", "a b", "a\nb",
		"caf\xc3\xa9", "x;rm", "$(touch)", "a\\b",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",	/* 65 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(esc_team_name_ok(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (esc_team_name_ok(bad[i]))
			fail_msg("accepted '%s'", bad[i]);
	assert_false(esc_team_name_ok(NULL));
}

static void
test_exit_status(void **state)
{
	static const char *const ok[] = { "true", NULL };
	static const char *const three[] = { "sh", "-c", "exit 3", NULL };
	static const char *const killed[] = { "sh", "-c", "kill -9 $$", NULL };
	static const char *const missing[] = { "no-such-tend-command", NULL };
	static const char *const slash[] = { "/nonexistent/cmd", "x", NULL };
	static const char *const notexec[] = { "/etc/passwd", NULL };
	static const char *const empty[] = { "", NULL };

	(void)state;
	runs_to(ok, 0, NULL);
	runs_to(ok, 5, NULL);
	runs_to(three, 0, "exited with status 3");
	runs_to(killed, 0, "killed by signal 9");
	runs_to(missing, 0, "cannot run 'no-such-tend-command': No such file "
	    "or directory");
	runs_to(slash, 0, "cannot run '/nonexistent/cmd': No such file or "
	    "directory");
	runs_to(notexec, 0, "cannot run '/etc/passwd': Permission denied");
	runs_to(empty, 0, "cannot run '': No such file or directory");
}

static void
test_timeout(void **state)
{
	static const char *const slow[] = { "sleep", "10", NULL };
	static const char *const stubborn[] = { "sleep", "7", NULL };
	double t0;

	(void)state;
	t0 = now_mono();
	runs_to(slow, 0.3, "timed out after 0.3s");
	assert_true(now_mono() - t0 >= 0.3);
	assert_true(now_mono() - t0 < 2);
	/* one that ignores SIGTERM (from birth: as we do here, it is
	 * passed on) gets SIGKILL 5 s later */
	t0 = now_mono();
	signal(SIGTERM, SIG_IGN);
	runs_to(stubborn, 0.2, "timed out after 0.2s");
	signal(SIGTERM, SIG_DFL);
	assert_true(now_mono() - t0 >= 5.2);
	assert_true(now_mono() - t0 < 6.9);
}

/* A command that neither reads nor exits cannot hold us past the timeout
 * with a record bigger than a pipe holds; one that exits without reading
 * costs us no SIGPIPE. */
static void
test_unread_input(void **state)
{
	static const char *const deaf[] = { "sleep", "10", NULL };
	static const char *const gone[] = { "true", NULL };
	static const char *const half[] = {
		"sh", "-c", "head -c 10 >/dev/null", NULL
	};
	struct tend_error err;
	size_t n = 4 * 1024 * 1024;
	char *big = tend_xmalloc(n);
	double t0;

	(void)state;
	memset(big, 'x', n);
	big[n - 1] = '\n';
	t0 = now_mono();
	assert_int_equal(run(deaf, big, n, 0.5, &err), -1);
	assert_string_equal(err.text, "timed out after 0.5s");
	assert_true(now_mono() - t0 < 2);
	assert_int_equal(run(gone, big, n, 0, &err), 0);
	assert_int_equal(run(gone, big, n, 5, &err), 0);
	assert_int_equal(run(half, big, n, 5, &err), 0);
	free(big);
}

static void
test_stdin_exact(void **state)
{
	struct scratch *t = *state;
	struct tend_error err;
	struct tend_buf json = TEND_BUF_INIT;
	char out[128], *got;
	const char *argv[] = { "sh", "-c", "cat > \"$1\"", "sh", out, NULL };
	size_t len;
	int i;

	snprintf(out, sizeof(out), "%s/stdin", t->dir);
	tend_buf_adds(&json, "{\"text\":\"");
	for (i = 0; i < 20000; i++)
		tend_buf_adds(&json, "caf\xc3\xa9 \\\"q\\\" \\u0000 ");
	tend_buf_adds(&json, "\"}\n");
	assert_int_equal(run(argv, json.data, json.len, 10, &err), 0);
	got = slurp(out, &len);
	assert_int_equal(len, json.len);
	assert_memory_equal(got, json.data, len);
	free(got);
	tend_buf_release(&json);
}

static void
test_environment(void **state)
{
	struct scratch *t = *state;
	struct tend_error err;
	char out[128], *got;
	const char *argv[] = {
		"sh", "-c", "printf '%s|%s|%s' \"$TEND_TEAM\" \"$TEND_LEVEL\" "
		"\"$TEND_KIND\" > \"$1\"; test -n \"$PATH\"", "sh", out, NULL
	};
	size_t len;

	snprintf(out, sizeof(out), "%s/env", t->dir);
	assert_int_equal(esc_notify_exec((char *const *)argv, record,
	    strlen(record), "security", 3, "spike", 0, &err), 0);
	got = slurp(out, &len);
	assert_string_equal(got, "security|3|spike");
	free(got);
	/* and nothing leaks into our own environment */
	assert_null(getenv("TEND_TEAM"));
	assert_null(getenv("TEND_KIND"));
}

/* Post text reaches the command on stdin only, and an argument is an
 * argument: nothing is run by a shell. */
static void
test_no_shell(void **state)
{
	struct scratch *t = *state;
	struct tend_error err;
	struct tend_buf json = TEND_BUF_INIT;
	char x[128], arg[300], out[128];
	const char *cat[] = { "sh", "-c", "cat > \"$1\"", "sh", out, NULL };
	const char *echo[] = { "test", arg, NULL };

	snprintf(x, sizeof(x), "%s/x", t->dir);
	snprintf(out, sizeof(out), "%s/out", t->dir);
	tend_buf_printf(&json, "{\"text\":\"$(touch %s) `touch %s`; touch %s "
	    "| touch %s && touch %s\"}\n", x, x, x, x, x);
	assert_int_equal(run(cat, json.data, json.len, 10, &err), 0);
	snprintf(arg, sizeof(arg), "$(touch %s); touch %s", x, x);
	assert_int_equal(run(echo, json.data, json.len, 10, &err), 0);
	assert_false(exists(x));
	tend_buf_release(&json);
}

/* The fd number of the state's lock file, found in /proc/self/fd. */
static int
lock_fd_of(const char *lock)
{
	char link[64], target[512];
	ssize_t n;
	int fd;

	for (fd = 3; fd < 1024; fd++) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, lock) == 0)
			return fd;
	}
	return -1;
}

static void
test_lock_not_inherited(void **state)
{
	struct scratch *t = *state;
	struct tend_error err;
	struct esc_state *s;
	char path[128], lock[160], fdpath[64], fdpath2[64];
	const char *probe[] = { "test", "-e", fdpath, NULL };
	const char *probe2[] = { "test", "-e", fdpath2, NULL };
	const char *stderr_probe[] = { "test", "-e", "/proc/self/fd/2", NULL };
	const char *linger[] = { "sh", "-c", "sleep 3 & exit 0", NULL };
	int fd, plain;

	snprintf(path, sizeof(path), "%s/esc.state", t->dir);
	snprintf(lock, sizeof(lock), "%s.lock", path);
	s = esc_state_open(path, 0, &err);
	assert_non_null(s);
	fd = lock_fd_of(lock);
	assert_true(fd > 2);
	/* a descriptor opened without O_CLOEXEC is not passed on either */
	plain = open("/dev/null", O_RDONLY);
	assert_true(plain > 2);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	snprintf(fdpath2, sizeof(fdpath2), "/proc/self/fd/%d", plain);
	runs_to(stderr_probe, 10, NULL);
	runs_to(probe, 10, "exited with status 1");
	runs_to(probe2, 10, "exited with status 1");
	close(plain);
	/* a command that leaves a process behind does not keep the lock */
	runs_to(linger, 10, NULL);
	esc_state_close(s);
	s = esc_state_open(path, 0, &err);
	if (!s)
		fail_msg("reopen: %s", err.text);
	esc_state_close(s);
}

/* The command's standard output goes to our standard error. */
static void
test_stdout_to_stderr(void **state)
{
	struct scratch *t = *state;
	const char *argv[] = { "echo", "to stderr", NULL };
	struct tend_error err;
	char out[128], errf[128], *got;
	size_t len;
	pid_t pid;
	int status, o, e;

	snprintf(out, sizeof(out), "%s/stdout", t->dir);
	snprintf(errf, sizeof(errf), "%s/stderr", t->dir);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(3);
		_exit(esc_notify_exec((char *const *)argv, record,
		    strlen(record), "pr", 1, "escalation", 10, &err) == 0 ?
		    0 : 4);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	got = slurp(out, &len);
	assert_int_equal(len, 0);
	free(got);
	got = slurp(errf, &len);
	assert_string_equal(got, "to stderr\n");
	free(got);
}

static void
test_outdir(void **state)
{
	struct scratch *t = *state;
	static const char *const bad[] = { "../x", "a/b", ".hidden", "" };
	static const char one[] = "{\"id\":\"a:1\",\"text\":\"first\"}\n";
	static const char two[] = "{\"id\":\"a:2\",\"text\":\"sec\\nond\"}\n";
	struct tend_error err;
	char path[128], link[128], *got;
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(esc_notify_outdir(t->dir, bad[i], one,
		    strlen(one), &err), -1);
		assert_non_null(strstr(err.text, "not a valid team name"));
	}
	assert_int_equal(esc_notify_outdir(t->dir, "a", one, strlen(one),
	    &err), 0);
	assert_int_equal(esc_notify_outdir(t->dir, "a", two, strlen(two),
	    &err), 0);
	snprintf(path, sizeof(path), "%s/a.jsonl", t->dir);
	got = slurp(path, &len);
	assert_int_equal(len, strlen(one) + strlen(two));
	assert_memory_equal(got, one, strlen(one));
	assert_memory_equal(got + strlen(one), two, strlen(two));
	free(got);
	/* nothing else was created: not x.jsonl above the directory */
	snprintf(path, sizeof(path), "%s/../x.jsonl", t->dir);
	assert_false(exists(path));
	/* a symbolic link in the directory is not followed */
	snprintf(path, sizeof(path), "%s/target", t->dir);
	snprintf(link, sizeof(link), "%s/b.jsonl", t->dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(esc_notify_outdir(t->dir, "b", one, strlen(one),
	    &err), -1);
	assert_string_equal(err.file, link);
	assert_false(exists(path));
	/* a missing directory */
	snprintf(path, sizeof(path), "%s/nope", t->dir);
	assert_int_equal(esc_notify_outdir(path, "a", one, strlen(one), &err),
	    -1);
	assert_string_equal(err.text, "cannot write: No such file or "
	    "directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_team_names),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_unread_input),
		cmocka_unit_test_setup_teardown(test_stdin_exact, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_environment, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_shell, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_not_inherited, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stdout_to_stderr, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_outdir, setup, teardown),
	};

	tend_alloc_use_for_json();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
