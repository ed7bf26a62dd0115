/* cli.h: what every tend tool does the same way.
 *
 * This is the one module of libtend that prints and exits, because that is
 * its job: the common options (--help, --version, --rejects, --strict,
 * --max-record, --utf8, --line-buffered), diagnostics as
 * "tend-TOOL: FILE:LINE:COL: what is wrong", the input files, the rejects
 * file, the output stream and the exit status (tend(7)).
 *
 * Output is written through a large buffer and flushed whenever the tool is
 * about to wait for input, so an endless stream (tail -f) sees each record
 * as soon as it is processed while a batch run makes few write(2) calls;
 * --line-buffered flushes after every record.
 */
#ifndef TEND_CLI_H
#define TEND_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "lines.h"
#include "timestamp.h"

enum tend_exit {
	TEND_EXIT_OK = 0,
	TEND_EXIT_FINDINGS = 1,	/* lint errors, breaches with --fail-on */
	TEND_EXIT_ERROR = 2	/* usage, configuration or I/O error */
};

enum {
	TEND_OPT_HELP = 'h',
	TEND_OPT_VERSION = 'V',
	TEND_OPT_REJECTS = 0x1000,
	TEND_OPT_STRICT,
	TEND_OPT_MAX_RECORD,
	TEND_OPT_UTF8,
	TEND_OPT_LINE_BUFFERED,
	TEND_OPT_TOOL	/* first value free for a tool's own options */
};

/* The long options every record tool takes; put first in its table. */
#define TEND_CLI_LONGOPTS \
	{ "help", no_argument, NULL, TEND_OPT_HELP }, \
	{ "version", no_argument, NULL, TEND_OPT_VERSION }, \
	{ "rejects", required_argument, NULL, TEND_OPT_REJECTS }, \
	{ "strict", no_argument, NULL, TEND_OPT_STRICT }, \
	{ "max-record", required_argument, NULL, TEND_OPT_MAX_RECORD }, \
	{ "utf8", required_argument, NULL, TEND_OPT_UTF8 }, \
	{ "line-buffered", no_argument, NULL, TEND_OPT_LINE_BUFFERED }

/* The lines of --help that describe them. */
#define TEND_CLI_COMMON_HELP \
"      --rejects FILE    append records that cannot be used to FILE, byte\n" \
"                        for byte\n" \
"      --strict          stop with status 2 at the first rejected record\n" \
"      --max-record N    longest record accepted, in bytes (K, M, G\n" \
"                        suffixes; default 16M)\n" \
"      --utf8 MODE       invalid UTF-8: reject (default) or replace with\n" \
"                        U+FFFD\n" \
"      --line-buffered   flush output after every record\n" \
"  -h, --help            show this help and exit\n" \
"  -V, --version         show the version and exit\n"

#define TEND_MAX_RECORD_DEFAULT (16UL * 1024 * 1024)

struct tend_cli {
	const char *tool;	/* "ingest" */
	const char *usage;	/* "[-f FORMAT] [FILE...]" */
	const char *help;	/* the rest of --help, after the usage line */
	char **argv;		/* for naming a bad option */
	size_t max_record;
	int utf8_replace;
	int strict;
	int line_buffered;
	const char *rejects_path;
	FILE *rejects;
	long records_in;	/* lines (or units) read */
	long rejected;
	long repaired;		/* lines whose UTF-8 was repaired */
	int status;		/* the exit status so far */
	struct tend_buf fixed;	/* a repaired line */
};

/* An input file being read line by line. */
struct tend_input {
	const char *name;	/* as given; "-" is standard input */
	const char *display;	/* as printed in messages: "-" is "<stdin>" */
	int fd;
	struct tend_lines lines;
};

extern const char *tend_progname;	/* "tend-ingest" */

/* Starts a tool: names it, makes running out of memory a clean exit 2,
 * restores SIGPIPE's default, sets up standard output, and silences
 * getopt's own messages (they would name argv[0], not "tend-TOOL"). */
void tend_cli_start(struct tend_cli *c, const char *tool, const char *usage,
    const char *help, char **argv);

/* Handles a common option, and getopt_long's '?' (unknown option) and ':'
 * (missing value; the tool's optstring must start with ':'); returns 1
 * when opt was one, 0 otherwise.  --help and --version print and exit 0;
 * a bad value exits 2. */
int tend_cli_option(struct tend_cli *c, int opt, const char *arg);

/* Opens the rejects file, once options are parsed. */
void tend_cli_begin(struct tend_cli *c);

/* Messages on standard error, prefixed "tend-TOOL: ". */
void tend_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void tend_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A configuration that cannot be used: "tend-TOOL: FILE:LINE:COL: what"
 * from err, then exit 2 (tend_warn_at() only prints it). */
__attribute__((noreturn)) void tend_die_at(const struct tend_error *err);
void tend_warn_at(const struct tend_error *err);

/* The configuration file to read into path (reset first): given (an
 * option's value) when set, else name (such as "policy/default.policy")
 * found in the data directory of config_dir and TEND_PATH (datadir.h);
 * when it is nowhere, the run ends: "cannot find NAME (use OPTION,
 * --config-dir or TEND_PATH)".  Returns path->data. */
const char *tend_cli_config_path(const char *given, const char *config_dir,
    const char *name, const char *option, struct tend_buf *path);

/* A usage error: the message, the usage line, exit 2. */
__attribute__((noreturn)) void tend_cli_usage_error(const struct tend_cli *c,
    const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses the RFC 3339 time arg given to option name ("--now") into *t;
 * a bad one is a usage error (exit 2). */
void tend_cli_time_option(const struct tend_cli *c, const char *name,
    const char *arg, struct tend_time *t);

/* Parses a size with an optional K, M or G suffix; -1 when invalid. */
long long tend_cli_parse_size(const char *s);

/* Opens path ("-" for standard input) for reading lines.  On failure,
 * prints why, sets the exit status to 2 and returns -1. */
int tend_input_open(struct tend_cli *c, struct tend_input *in,
    const char *path);
void tend_input_close(struct tend_input *in);

/* Reads the next usable line: overlong lines and invalid UTF-8 (unless
 * --utf8=replace repairs it) are rejected here.  Returns 1 with *line set,
 * 0 at the end of the input (or after a read error, reported). */
int tend_cli_next_line(struct tend_cli *c, struct tend_input *in,
    struct tend_line *line);

/* Reads the next record of tend post v1: skips blank lines (they are no
 * record), rejects a line that is not a record with the reason, and
 * returns 1 with *line and rec set, or 0 at the end of the input. */
struct tend_record;
int tend_cli_next_record(struct tend_cli *c, struct tend_input *in,
    struct tend_line *line, struct tend_record *rec);

/* Rejects a unit of input: prints "tend-TOOL: FILE:LINE[:COL]: reason",
 * appends raw (and a newline if it lacks one) to the rejects file, counts
 * it; with --strict, finishes and exits 2.  col 0 means unknown. */
void tend_cli_reject(struct tend_cli *c, const char *file, long line,
    long col, const char *raw, size_t raw_len, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Writes one record (bytes ending in a newline) to standard output. */
void tend_cli_emit(struct tend_cli *c, const char *p, size_t n);

/* Ends the run: the rejects summary, closing the rejects file and standard
 * output with their errors checked.  Returns the exit status. */
int tend_cli_finish(struct tend_cli *c);

#endif
