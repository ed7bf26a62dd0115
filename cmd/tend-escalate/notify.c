/* notify.c: running --exec commands and appending to --outdir files
 * (notify.h).
 *
 * A command gets the record on a pipe and our standard error as its
 * standard output.  It is found with execvp(3), never run by a shell, and
 * inherits no descriptor of ours but those three: the child marks every
 * other one close-on-exec before exec (the state's lock above all, which
 * would otherwise outlive us in a command that lingers).  An exec failure
 * comes back to us through a close-on-exec pipe, so "cannot run" is told
 * apart from a command that exits 127.  The record is written without
 * blocking, so a command that never reads cannot stall us past the
 * timeout, and with SIGPIPE blocked, so one that exits without reading
 * cannot kill us.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "notify.h"

#define TERM_GRACE 5.0		/* seconds between SIGTERM and SIGKILL */
#define MAX_NAP_NS 20000000L	/* longest sleep while waiting: 20 ms */

int
esc_team_name_ok(const char *team)
{
	size_t i;
	char c;

	if (!team || !team[0] || team[0] == '.' || team[0] == '-')
		return 0;
	for (i = 0; (c = team[i]) != '\0'; i++) {
		if (i == 64)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

/* ---- in the child ---- */

/* Marks every descriptor above 2 close-on-exec. */
static void
cloexec_all(void)
{
	struct dirent *d;
	DIR *dp = opendir("/proc/self/fd");
	long fd, max;
	char *end;

	if (dp) {
		while ((d = readdir(dp)) != NULL) {
			fd = strtol(d->d_name, &end, 10);
			if (*end == '\0' && fd > 2 && fd != dirfd(dp))
				fcntl((int)fd, F_SETFD, FD_CLOEXEC);
		}
		closedir(dp);
		return;
	}
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

static void
child(char *const argv[], int in, int report, const char *team, int level,
    const char *kind)
{
	char lv[24];
	sigset_t none;
	int e;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (in == 0 ? fcntl(0, F_SETFD, 0) < 0 : dup2(in, 0) < 0)
		goto fail;
	if (dup2(2, 1) < 0 && dup2(open("/dev/null", O_WRONLY), 1) < 0)
		goto fail;
	cloexec_all();
	snprintf(lv, sizeof(lv), "%d", level);
	if (setenv("TEND_TEAM", team ? team : "", 1) < 0 ||
	    setenv("TEND_LEVEL", lv, 1) < 0 ||
	    setenv("TEND_KIND", kind ? kind : "", 1) < 0)
		goto fail;
	execvp(argv[0], argv);
fail:
	e = errno;
	while (write(report, &e, sizeof(e)) < 0 && errno == EINTR)
		;
	_exit(127);
}

/* ---- in the parent ---- */

static double
now_mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Milliseconds left until deadline for poll(2) (-1: no deadline). */
static int
ms_left(double deadline)
{
	double left;

	if (deadline <= 0)
		return -1;
	left = (deadline - now_mono()) * 1000;
	if (left <= 0)
		return 0;
	return left > INT_MAX ? INT_MAX : (int)left + 1;
}

/* The errno the child sent when it could not exec, or 0 once it did. */
static int
exec_result(int report)
{
	ssize_t got;
	int e = 0;

	do
		got = read(report, &e, sizeof(e));
	while (got < 0 && errno == EINTR);
	return got == (ssize_t)sizeof(e) ? e : 0;
}

/* Writes json to fd (non-blocking) until done, the reader is gone, or
 * the deadline passes.  Returns 0, or -1 when the deadline passed. */
static int
feed(int fd, const char *json, size_t n, double deadline)
{
	struct pollfd pfd;
	ssize_t w;
	int rc;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (n > 0) {
		w = write(fd, json, n);
		if (w > 0) {
			json += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return 0;	/* EPIPE: it did not want it all */
		pfd.fd = fd;
		pfd.events = POLLOUT;
		rc = poll(&pfd, 1, ms_left(deadline));
		if (rc == 0)
			return -1;
		if (rc < 0 && errno != EINTR)
			return 0;
	}
	return 0;
}

/* feed() with SIGPIPE blocked, and any SIGPIPE it raised discarded. */
static int
feed_quietly(int fd, const char *json, size_t n, double deadline)
{
	struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old, pending;
	int rc;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	rc = feed(fd, json, n, deadline);
	if (!sigismember(&old, SIGPIPE) && sigpending(&pending) == 0 &&
	    sigismember(&pending, SIGPIPE))
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 &&
		    errno == EINTR)
			;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* Waits for pid until deadline (<= 0: for ever).  Returns 1 with *status
 * set once it ended, 0 when the deadline passed, -1 with errno set when it
 * cannot be waited for. */
static int
wait_until(pid_t pid, int *status, double deadline)
{
	struct timespec nap = { 0, 1000000L };
	pid_t r;

	for (;;) {
		r = waitpid(pid, status, deadline > 0 ? WNOHANG : 0);
		if (r == pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (r == 0 && now_mono() >= deadline)
			return 0;
		if (r == 0) {
			nanosleep(&nap, NULL);
			if (nap.tv_nsec < MAX_NAP_NS)
				nap.tv_nsec *= 2;
		}
	}
}

static int
ended(int status, struct tend_error *err)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		tend_error_set(err, NULL, 0, 0, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		tend_error_set(err, NULL, 0, 0, "killed by signal %d",
		    WTERMSIG(status));
	else
		tend_error_set(err, NULL, 0, 0, "ended with wait status %d",
		    status);
	return -1;
}

/* Ends pid (SIGTERM, then SIGKILL after TERM_GRACE) and reaps it. */
static void
stop(pid_t pid)
{
	int status;

	kill(pid, SIGTERM);
	if (wait_until(pid, &status, now_mono() + TERM_GRACE) == 0) {
		kill(pid, SIGKILL);
		wait_until(pid, &status, 0);
	}
}

static int
cloexec_pipe(int fd[2])
{
	if (pipe(fd) < 0)
		return -1;
	fcntl(fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(fd[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

static int
cannot_run(const char *cmd, int e, struct tend_error *err)
{
	char q[80];

	tend_error_set(err, NULL, 0, 0, "cannot run '%s': %s",
	    tend_error_quote(cmd, strlen(cmd), q, sizeof(q)), strerror(e));
	return -1;
}

int
esc_notify_exec(char *const argv[], const char *json, size_t n,
    const char *team, int level, const char *kind, double timeout,
    struct tend_error *err)
{
	double deadline = timeout > 0 ? now_mono() + timeout : 0;
	int in[2], report[2], status, e, late, r;
	pid_t pid;

	if (!argv || !argv[0] || !argv[0][0])
		return cannot_run("", ENOENT, err);
	if (cloexec_pipe(in) < 0)
		return cannot_run(argv[0], errno, err);
	if (cloexec_pipe(report) < 0) {
		e = errno;
		close(in[0]);
		close(in[1]);
		return cannot_run(argv[0], e, err);
	}
	if ((pid = fork()) == 0)
		child(argv, in[0], report[1], team, level, kind);
	e = errno;
	close(in[0]);
	close(report[1]);
	if (pid < 0 || (e = exec_result(report[0])) != 0) {
		close(in[1]);
		close(report[0]);
		if (pid > 0)
			wait_until(pid, &status, 0);
		return cannot_run(argv[0], e, err);
	}
	close(report[0]);
	late = feed_quietly(in[1], json, n, deadline) < 0;
	close(in[1]);
	r = late ? 0 : wait_until(pid, &status, deadline);
	if (r == 0) {
		stop(pid);
		tend_error_set(err, NULL, 0, 0, "timed out after %gs",
		    timeout);
		return -1;
	}
	if (r < 0) {
		tend_error_set(err, NULL, 0, 0, "cannot wait for the "
		    "command: %s", strerror(errno));
		return -1;
	}
	return ended(status, err);
}

/* After a short write of w bytes at the end of fd, cuts them off again
 * unless another writer has appended since. */
static void
undo_short_write(int fd, ssize_t w)
{
	struct stat st;
	off_t end = lseek(fd, 0, SEEK_CUR);

	if (w > 0 && end >= w && fstat(fd, &st) == 0 && st.st_size == end)
		(void)ftruncate(fd, end - w);
}

int
esc_notify_outdir(const char *dir, const char *team, const char *json,
    size_t n, struct tend_error *err)
{
	struct tend_buf path = TEND_BUF_INIT;
	char q[80];
	ssize_t w;
	int fd, e = 0;

	if (!esc_team_name_ok(team)) {
		tend_error_set(err, NULL, 0, 0, "not a valid team name for "
		    "--outdir: '%s'", tend_error_quote(team ? team : "",
		    team ? strlen(team) : 0, q, sizeof(q)));
		return -1;
	}
	tend_buf_printf(&path, "%s/%s.jsonl", dir, team);
	fd = open(path.data, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0644);
	if (fd < 0) {
		e = errno;
	} else {
		do
			w = write(fd, json, n);
		while (w < 0 && errno == EINTR);
		if (w >= 0 && (size_t)w < n) {
			undo_short_write(fd, w);
			e = ENOSPC;
		} else if (w < 0 || fsync(fd) < 0) {
			e = errno;
		}
		if (close(fd) < 0 && !e)
			e = errno;
	}
	if (e)
		tend_error_set(err, path.data, 0, 0, "cannot write: %s",
		    strerror(e));
	tend_buf_release(&path);
	return e ? -1 : 0;
}
