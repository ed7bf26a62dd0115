#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "alloc.h"
#include "cli.h"
#include "datadir.h"
#include "record.h"
#include "utf8.h"

const char *tend_progname = "tend";
static char progname_buf[64];
static struct tend_cli *current;	/* for the OOM handler's summary */
static char out_buffer[1 << 16];

static void vmessage(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* The first error writing standard output, kept for the message when a
 * flush that failed was not the tool's own. */
static int out_errno;

/* Flushes standard output, so that it comes before what goes to standard
 * error next, noting an error. */
static void
flush_noting_error(void)
{
	if (fflush(stdout) == EOF && !out_errno)
		out_errno = errno ? errno : EIO;
}

/* Flushes standard output before the tool waits for input: a write error
 * (a full disk) ends the run there, with status 2. */
static void
flush_output(void)
{
	flush_noting_error();
	if (out_errno || ferror(stdout))
		tend_die(TEND_EXIT_ERROR, "write error: %s",
		    strerror(out_errno ? out_errno : EIO));
}

static void
vmessage(const char *fmt, va_list ap)
{
	flush_noting_error();
	fprintf(stderr, "%s: ", tend_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
tend_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

void
tend_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(status);
}

void
tend_cli_usage_error(const struct tend_cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	fprintf(stderr, "usage: %s %s\n", tend_progname, c->usage);
	exit(TEND_EXIT_ERROR);
}

static void
out_of_memory(size_t n)
{
	/* no allocation from here on */
	fprintf(stderr, "%s: out of memory (asked for %zu bytes)\n",
	    tend_progname, n);
	_exit(TEND_EXIT_ERROR);
}

void
tend_cli_start(struct tend_cli *c, const char *tool, const char *usage,
    const char *help, char **argv)
{
	memset(c, 0, sizeof(*c));
	c->argv = argv;
	opterr = 0;
	c->tool = tool;
	c->usage = usage;
	c->help = help;
	c->max_record = TEND_MAX_RECORD_DEFAULT;
	tend_buf_init(&c->fixed);
	snprintf(progname_buf, sizeof(progname_buf), "tend-%s", tool);
	tend_progname = progname_buf;
	current = c;
	tend_alloc_set_oom(out_of_memory);
	tend_alloc_use_for_json();
	signal(SIGPIPE, SIG_DFL);
	setvbuf(stdout, out_buffer, _IOFBF, sizeof(out_buffer));
}

long long
tend_cli_parse_size(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0)
		return -1;
	switch (*end) {
	case 'k': case 'K': v *= 1024; end++; break;
	case 'm': case 'M': v *= 1024 * 1024; end++; break;
	case 'g': case 'G': v *= 1024LL * 1024 * 1024; end++; break;
	}
	return *end ? -1 : v;
}

int
tend_cli_option(struct tend_cli *c, int opt, const char *arg)
{
	const char *bad;
	long long n;

	switch (opt) {
	case TEND_OPT_HELP:
		printf("usage: %s %s\n%s", tend_progname, c->usage, c->help);
		exit(tend_cli_finish(c));
	case TEND_OPT_VERSION:
		printf("%s %s\n", tend_progname, TEND_VERSION);
		exit(tend_cli_finish(c));
	case TEND_OPT_REJECTS:
		c->rejects_path = arg;
		return 1;
	case TEND_OPT_STRICT:
		c->strict = 1;
		return 1;
	case TEND_OPT_MAX_RECORD:
		n = tend_cli_parse_size(arg);
		if (n < 2)
			tend_cli_usage_error(c, "--max-record: not a size: '%s'",
			    arg);
		c->max_record = (size_t)n;
		return 1;
	case TEND_OPT_UTF8:
		if (strcmp(arg, "reject") == 0)
			c->utf8_replace = 0;
		else if (strcmp(arg, "replace") == 0)
			c->utf8_replace = 1;
		else
			tend_cli_usage_error(c, "--utf8: expected reject or "
			    "replace, not '%s'", arg);
		return 1;
	case TEND_OPT_LINE_BUFFERED:
		c->line_buffered = 1;
		return 1;
	case '?':
		bad = c->argv[optind - 1];
		if (strncmp(bad, "--", 2) == 0 && strchr(bad, '='))
			tend_cli_usage_error(c, "option '%.*s' takes no value",
			    (int)(strchr(bad, '=') - bad), bad);
		if (strncmp(bad, "--", 2) == 0 || !optopt)
			tend_cli_usage_error(c, "unknown option '%s'", bad);
		tend_cli_usage_error(c, "unknown option '-%c'", optopt);
	case ':':
		tend_cli_usage_error(c, "option '%s' needs a value",
		    c->argv[optind - 1]);
	}
	return 0;
}

void
tend_cli_begin(struct tend_cli *c)
{
	if (c->rejects_path) {
		c->rejects = fopen(c->rejects_path, "a");
		if (!c->rejects)
			tend_die(TEND_EXIT_ERROR, "%s: %s", c->rejects_path,
			    strerror(errno));
	}
}

int
tend_input_open(struct tend_cli *c, struct tend_input *in, const char *path)
{
	memset(in, 0, sizeof(*in));
	in->name = path;
	if (strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
		in->display = "<stdin>";
	} else {
		struct stat st;

		in->display = path;
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0 || (fstat(in->fd, &st) == 0 &&
		    S_ISDIR(st.st_mode))) {
			tend_warn("%s: %s", path, in->fd < 0 ? strerror(errno) :
			    "is a directory");
			if (in->fd >= 0)
				close(in->fd);
			in->fd = -1;
			c->status = TEND_EXIT_ERROR;
			return -1;
		}
	}
	tend_lines_init(&in->lines, in->fd, c->max_record, c->rejects);
	in->lines.flush = flush_output;
	return 0;
}

void
tend_input_close(struct tend_input *in)
{
	tend_lines_release(&in->lines);
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	in->fd = -1;
}

int
tend_cli_next_line(struct tend_cli *c, struct tend_input *in,
    struct tend_line *line)
{
	for (;;) {
		size_t bad;

		switch (tend_lines_next(&in->lines, line)) {
		case TEND_LINE_EOF:
			return 0;
		case TEND_LINE_ERROR:
			tend_warn("%s: read error: %s", in->display,
			    strerror(errno));
			c->status = TEND_EXIT_ERROR;
			return 0;
		case TEND_LINE_TOO_LONG:
			c->records_in++;
			/* the reader has already copied it to --rejects */
			tend_cli_reject(c, in->display, line->number, 0, NULL, 0,
			    "record too long (%zu bytes, --max-record is %zu)",
			    line->len, c->max_record);
			continue;
		}
		c->records_in++;
		bad = tend_utf8_check(line->text, line->len);
		if (bad == line->len)
			return 1;
		if (!c->utf8_replace) {
			tend_cli_reject(c, in->display, line->number,
			    (long)bad + 1, line->raw, line->raw_len,
			    "invalid UTF-8 (byte 0x%02x)",
			    (unsigned char)line->text[bad]);
			continue;
		}
		tend_buf_reset(&c->fixed);
		tend_utf8_repair(&c->fixed, line->text, line->len);
		line->text = c->fixed.data;
		line->len = c->fixed.len;
		c->repaired++;
		return 1;
	}
}

int
tend_cli_next_record(struct tend_cli *c, struct tend_input *in,
    struct tend_line *line, struct tend_record *rec)
{
	struct tend_error err;

	while (tend_cli_next_line(c, in, line)) {
		if (tend_blank(line->text, line->len)) {
			c->records_in--;	/* a blank line is no record */
			continue;
		}
		if (tend_record_scan(rec, line->text, line->len, &err) < 0) {
			tend_cli_reject(c, in->display, line->number, err.col,
			    line->raw, line->raw_len, "%s", err.text);
			continue;
		}
		return 1;
	}
	return 0;
}

void
tend_cli_reject(struct tend_cli *c, const char *file, long line, long col,
    const char *raw, size_t raw_len, const char *fmt, ...)
{
	va_list ap;

	flush_noting_error();
	if (col > 0)
		fprintf(stderr, "%s: %s:%ld:%ld: ", tend_progname, file, line,
		    col);
	else if (line > 0)
		fprintf(stderr, "%s: %s:%ld: ", tend_progname, file, line);
	else
		fprintf(stderr, "%s: %s: ", tend_progname, file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	c->rejected++;
	if (c->rejects && raw) {
		fwrite(raw, 1, raw_len, c->rejects);
		if (!raw_len || raw[raw_len - 1] != '\n')
			fputc('\n', c->rejects);
	}
	if (c->strict) {
		tend_warn("stopping at the first rejected record (--strict)");
		tend_cli_finish(c);
		exit(TEND_EXIT_ERROR);
	}
}

void
tend_cli_emit(struct tend_cli *c, const char *p, size_t n)
{
	if (fwrite(p, 1, n, stdout) != n || (c->line_buffered &&
	    fflush(stdout) == EOF))
		tend_die(TEND_EXIT_ERROR, "write error: %s", strerror(errno));
}

int
tend_cli_finish(struct tend_cli *c)
{
	if (c->repaired)
		tend_warn("%ld record%s had invalid UTF-8 replaced by U+FFFD",
		    c->repaired, c->repaired == 1 ? "" : "s");
	if (c->rejected)
		tend_warn("%ld of %ld record%s rejected%s%s", c->rejected,
		    c->records_in, c->records_in == 1 ? "" : "s",
		    c->rejects_path ? ", kept in " : "",
		    c->rejects_path ? c->rejects_path : "");
	if (c->rejects) {
		if (fclose(c->rejects) == EOF) {
			tend_warn("%s: write error: %s", c->rejects_path,
			    strerror(errno));
			c->status = TEND_EXIT_ERROR;
		}
		c->rejects = NULL;
	}
	flush_noting_error();
	if (out_errno || ferror(stdout)) {
		tend_warn("write error: %s",
		    strerror(out_errno ? out_errno : EIO));
		c->status = TEND_EXIT_ERROR;
	}
	if (fclose(stdout) == EOF && c->status != TEND_EXIT_ERROR) {
		tend_warn("write error: %s", strerror(errno));
		c->status = TEND_EXIT_ERROR;
	}
	tend_buf_release(&c->fixed);
	return c->status;
}

void
tend_warn_at(const struct tend_error *err)
{
	char where[TEND_ERROR_FILE + 64];

	tend_warn("%s%s", tend_error_where(err, where, sizeof(where)),
	    err->text);
}

void
tend_die_at(const struct tend_error *err)
{
	tend_warn_at(err);
	exit(TEND_EXIT_ERROR);
}

const char *
tend_cli_config_path(const char *given, const char *config_dir,
    const char *name, const char *option, struct tend_buf *path)
{
	tend_buf_reset(path);
	if (given)
		tend_buf_adds(path, given);
	else if (tend_datadir_find(config_dir, name, path) < 0)
		tend_die(TEND_EXIT_ERROR, "cannot find %s (use %s, --config-dir "
		    "or TEND_PATH)", name, option);
	return path->data;
}

void
tend_cli_time_option(const struct tend_cli *c, const char *name,
    const char *arg, struct tend_time *t)
{
	if (tend_time_parse_rfc3339(arg, strlen(arg), t) < 0)
		tend_cli_usage_error(c, "%s: not an RFC 3339 time: '%s'", name,
		    arg);
}
