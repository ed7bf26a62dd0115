/* tend-shard: partitions a stream of records by a stable hash of a field,
 * for running the keyed stages on many machines (tend-shard(1),
 * tend-scale(7)). */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "cli.h"
#include "record.h"

#define MAX_PARTITIONS 4096

static const char usage[] =
    "-n N [-k FIELD] (-o PATTERN | --index I | --tag) [FILE...]";

static const char help[] =
"Split a stream of records into N partitions by a stable hash of a field,\n"
"so that every record of a thread lands in the same partition.\n"
"\n"
"  -n, --partitions N    the number of partitions (1 to 4096)\n"
"  -k, --key FIELD       the field to hash, a dotted path (default\n"
"                        thread); a record without it is hashed by its id\n"
"  -o, --output PATTERN  write partition I to PATTERN with %d replaced by\n"
"                        I (%% for a percent sign); files or FIFOs\n"
"      --index I         write only partition I (to standard output\n"
"                        without -o)\n"
"      --tag             write every record to standard output after its\n"
"                        partition and a tab (a key for Hadoop Streaming)\n"
TEND_CLI_COMMON_HELP
"\n"
"Records pass through byte for byte.  With no FILE, or when FILE is -,\n"
"read standard input.\n";

enum {
	OPT_INDEX = TEND_OPT_TOOL,
	OPT_TAG
};

static const struct option longopts[] = {
	TEND_CLI_LONGOPTS,
	{ "partitions", required_argument, NULL, 'n' },
	{ "key", required_argument, NULL, 'k' },
	{ "output", required_argument, NULL, 'o' },
	{ "index", required_argument, NULL, OPT_INDEX },
	{ "tag", no_argument, NULL, OPT_TAG },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	long n;
	const char *key;
	const char *pattern;
	long index;		/* -1: every partition */
	int tag;		/* --tag */
};

struct partition {
	char *path;
	FILE *fp;
};

/* The 64-bit FNV-1a hash of s[0..n): the partition of a key is this
 * modulo N, the same on every machine (tend-shard(1) gives test values). */
static uint64_t
fnv1a64(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static long
parse_count(const struct tend_cli *cli, const char *opt, const char *arg,
    long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max)
		tend_cli_usage_error(cli, "%s: expected a number from %ld to "
		    "%ld, not '%s'", opt, min, max, arg);
	return v;
}

/* Checks that pattern has exactly one %d and no other % but %%. */
static void
check_pattern(const struct tend_cli *cli, const char *pattern)
{
	const char *p;
	int slots = 0;

	for (p = pattern; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == 'd')
			slots++;
		else if (p[1] != '%')
			tend_cli_usage_error(cli, "--output: only %%d and %%%% "
			    "may follow %% in '%s'", pattern);
		p++;
	}
	if (slots != 1)
		tend_cli_usage_error(cli, "--output: '%s' must hold %%d "
		    "exactly once", pattern);
}

static void
parse_options(struct tend_cli *cli, struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, ":hVn:k:o:", longopts,
	    NULL)) != -1) {
		if (tend_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case 'n':
			o->n = parse_count(cli, "--partitions", optarg, 1,
			    MAX_PARTITIONS);
			break;
		case 'k':
			if (!*optarg)
				tend_cli_usage_error(cli, "--key: empty field");
			o->key = optarg;
			break;
		case 'o':
			check_pattern(cli, optarg);
			o->pattern = optarg;
			break;
		case OPT_TAG:
			o->tag = 1;
			break;
		case OPT_INDEX:
			o->index = parse_count(cli, "--index", optarg, 0,
			    MAX_PARTITIONS - 1);
			break;
		}
	}
	if (!o->n)
		tend_cli_usage_error(cli, "-n N is required");
	if (o->index >= o->n)
		tend_cli_usage_error(cli, "--index %ld: partitions are "
		    "numbered 0 to %ld", o->index, o->n - 1);
	if (o->tag && (o->pattern || o->index >= 0))
		tend_cli_usage_error(cli, "--tag writes every partition to "
		    "standard output: not with -o or --index");
	if (!o->pattern && o->index < 0 && !o->tag)
		tend_cli_usage_error(cli, "-o PATTERN, --index I or --tag is "
		    "required");
}

/* The pattern with %d as index and %% as %. */
static char *
partition_path(const char *pattern, long index)
{
	struct tend_buf b = TEND_BUF_INIT;
	const char *p;

	for (p = pattern; *p; p++) {
		if (*p != '%') {
			tend_buf_addc(&b, *p);
			continue;
		}
		if (*++p == 'd')
			tend_buf_printf(&b, "%ld", index);
		else
			tend_buf_addc(&b, '%');
	}
	tend_buf_addc(&b, '\0');
	return b.data;
}

static void
open_partitions(const struct opts *o, struct partition *parts)
{
	long i;

	for (i = 0; i < o->n; i++) {
		parts[i].path = NULL;
		parts[i].fp = NULL;
		if (o->index >= 0 && i != o->index)
			continue;
		if (!o->pattern || o->tag) {
			parts[i].fp = stdout;
			continue;
		}
		parts[i].path = partition_path(o->pattern, i);
		if (!(parts[i].fp = fopen(parts[i].path, "w")))
			tend_die(TEND_EXIT_ERROR, "%s: %s", parts[i].path,
			    strerror(errno));
		setvbuf(parts[i].fp, NULL, _IOFBF, 1 << 16);
	}
}

/* Writes the record's line (as read, but its terminator: every tool ends
 * records with a newline) to part. */
static void
write_record(struct tend_cli *cli, struct partition *part,
    const struct tend_line *line)
{
	if (part->fp == stdout) {
		tend_cli_emit(cli, line->text, line->len);
		tend_cli_emit(cli, "\n", 1);
		return;
	}
	if (fwrite(line->text, 1, line->len, part->fp) != line->len ||
	    putc('\n', part->fp) == EOF ||
	    (cli->line_buffered && fflush(part->fp) == EOF))
		tend_die(TEND_EXIT_ERROR, "%s: write error: %s", part->path,
		    strerror(errno));
}

static void
close_partitions(const struct opts *o, struct partition *parts)
{
	long i;

	for (i = 0; i < o->n; i++) {
		if (parts[i].fp && parts[i].fp != stdout &&
		    fclose(parts[i].fp) == EOF)
			tend_die(TEND_EXIT_ERROR, "%s: write error: %s",
			    parts[i].path, strerror(errno));
		free(parts[i].path);
	}
}

static void
shard_input(struct tend_cli *cli, const struct opts *o,
    struct partition *parts, struct tend_input *in, struct tend_record *rec,
    struct tend_buf *key)
{
	struct tend_line line;
	const char *k;
	long part;

	while (tend_cli_next_record(cli, in, &line, rec)) {
		if (!(k = tend_record_get_str(rec, o->key, key)))
			k = tend_record_get_str(rec, "id", key);
		part = (long)(fnv1a64(k, key->len) % (uint64_t)o->n);
		if (o->tag) {
			char prefix[24];
			int n = snprintf(prefix, sizeof(prefix), "%ld\t", part);

			tend_cli_emit(cli, prefix, (size_t)n);
		}
		if (parts[part].fp)
			write_record(cli, &parts[part], &line);
	}
}

int
main(int argc, char **argv)
{
	struct tend_cli cli;
	struct opts opts = { 0, "thread", NULL, -1, 0 };
	struct partition *parts;
	struct tend_record rec;
	struct tend_buf key = TEND_BUF_INIT;
	char *stdin_only[] = { "-", NULL };
	char **files;

	tend_cli_start(&cli, "shard", usage, help, argv);
	parse_options(&cli, &opts, argc, argv);
	tend_cli_begin(&cli);
	parts = tend_xcalloc((size_t)opts.n, sizeof(*parts));
	open_partitions(&opts, parts);
	tend_record_init(&rec);
	files = optind < argc ? argv + optind : stdin_only;
	for (; *files; files++) {
		struct tend_input in;

		if (tend_input_open(&cli, &in, *files) < 0)
			continue;
		shard_input(&cli, &opts, parts, &in, &rec, &key);
		tend_input_close(&in);
	}
	tend_record_release(&rec);
	tend_buf_release(&key);
	close_partitions(&opts, parts);
	free(parts);
	return tend_cli_finish(&cli);
}
