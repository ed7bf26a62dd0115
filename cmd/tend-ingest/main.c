/* tend-ingest: platform exports -> tend post v1 records (tend-ingest(1)). */
#include <sys/stat.h>

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cli.h"
#include "ingest.h"

static const char usage[] =
    "[-f FORMAT] [--brand HANDLE,...] [--brand-domain DOMAIN,...]\n"
    "       [--since TIME] [--until TIME]\n"
    "       [--keep-raw] [--keep-duplicates] [--map FIELD=COLUMN,...]\n"
    "       [--channel NAME] [--rejects FILE] [--strict] [FILE...]";

static const char help[] =
"Turn platform exports into tend post v1 records, one JSON object a line.\n"
"\n"
"  -f, --format NAME     input format (default auto: guessed per input);\n"
"                        --list-formats lists them\n"
"      --list-formats    list the formats and exit\n"
"      --brand LIST      comma-separated handles of our own accounts:\n"
"                        their posts get actor \"agent\"\n"
"      --brand-domain LIST  email: our mail domains: messages from them\n"
"                        get actor \"agent\"\n"
"      --since TIME      drop posts created before TIME (RFC 3339)\n"
"      --until TIME      drop posts created at or after TIME\n"
"      --keep-raw        keep the platform's object under \"raw\"\n"
"      --keep-duplicates keep records whose id was already seen\n"
"      --map LIST        csv: FIELD=COLUMN pairs naming the columns\n"
"      --channel NAME    csv: the channel when no column gives it\n"
TEND_CLI_COMMON_HELP
"\n"
"With no FILE, or when FILE is -, read standard input.\n";

enum {
	OPT_LIST_FORMATS = TEND_OPT_TOOL,
	OPT_BRAND,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_KEEP_RAW,
	OPT_KEEP_DUPLICATES,
	OPT_MAP,
	OPT_CHANNEL,
	OPT_BRAND_DOMAIN
};

static const struct option longopts[] = {
	TEND_CLI_LONGOPTS,
	{ "format", required_argument, NULL, 'f' },
	{ "list-formats", no_argument, NULL, OPT_LIST_FORMATS },
	{ "brand", required_argument, NULL, OPT_BRAND },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "keep-raw", no_argument, NULL, OPT_KEEP_RAW },
	{ "keep-duplicates", no_argument, NULL, OPT_KEEP_DUPLICATES },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "brand-domain", required_argument, NULL, OPT_BRAND_DOMAIN },
	{ NULL, 0, NULL, 0 }
};

static void
list_formats(struct tend_cli *cli)
{
	size_t i;

	for (i = 0; ingest_formats[i]; i++)
		printf("%-12s %s\n", ingest_formats[i]->name,
		    ingest_formats[i]->summary);
	exit(tend_cli_finish(cli));
}

/* --brand "@AcmeCares, acme_help" -> { "AcmeCares", "acme_help" }, and
 * --brand-domain "acme.example, @acme.co.uk" likewise: a leading '@'
 * and spaces go. */
static void
parse_names(char ***names, size_t *n, const char *list)
{
	char *copy = tend_xstrdup(list), *tok, *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		char *p;

		while (isspace((unsigned char)*tok))
			tok++;
		if (*tok == '@')
			tok++;
		for (p = tok + strlen(tok); p > tok &&
		    isspace((unsigned char)p[-1]); p--)
			p[-1] = '\0';
		if (!*tok)
			continue;
		*names = tend_xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = tend_xstrdup(tok);
	}
	free(copy);
}

static void
parse_time_option(struct tend_cli *cli, const char *name, const char *arg,
    struct tend_time *t, int *has)
{
	tend_cli_time_option(cli, name, arg, t);
	*has = 1;
}

static void
parse_options(struct tend_cli *cli, struct ingest_opts *o, int argc,
    char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, ":f:hV", longopts, NULL)) != -1) {
		if (tend_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case 'f':
			o->format = optarg;
			break;
		case OPT_LIST_FORMATS:
			list_formats(cli);
			break;
		case OPT_BRAND:
			parse_names(&o->brands, &o->nbrands, optarg);
			break;
		case OPT_BRAND_DOMAIN:
			parse_names(&o->brand_domains, &o->nbrand_domains,
			    optarg);
			break;
		case OPT_SINCE:
			parse_time_option(cli, "--since", optarg, &o->since,
			    &o->has_since);
			break;
		case OPT_UNTIL:
			parse_time_option(cli, "--until", optarg, &o->until,
			    &o->has_until);
			break;
		case OPT_KEEP_RAW:
			o->keep_raw = 1;
			break;
		case OPT_KEEP_DUPLICATES:
			o->keep_duplicates = 1;
			break;
		case OPT_MAP:
			o->map = optarg;
			break;
		case OPT_CHANNEL:
			o->channel = optarg;
			break;
		}
	}
}

int
main(int argc, char **argv)
{
	struct tend_cli cli;
	struct ingest_opts opts = { "auto", NULL, 0, 0, 0, 0, 0, { 0, 0 },
	    { 0, 0 }, NULL, NULL, NULL, 0 };
	const struct ingest_format *fmt = NULL;
	struct ingest *ig;
	char *stdin_only[] = { "-", NULL };
	char **files;
	size_t i;
	int status;

	tend_cli_start(&cli, "ingest", usage, help, argv);
	parse_options(&cli, &opts, argc, argv);
	if (strcmp(opts.format, "auto") != 0 &&
	    !(fmt = ingest_format_find(opts.format)))
		tend_cli_usage_error(&cli, "unknown format '%s' (tend-ingest "
		    "--list-formats lists them)", opts.format);
	if (opts.map && !ingest_format_takes_map(fmt))
		tend_cli_usage_error(&cli, "--map goes with -f csv (or chat, "
		    "notes, survey, events)");
	if (opts.channel && !ingest_format_takes_map(fmt))
		tend_cli_usage_error(&cli, "--channel goes with -f csv (or "
		    "chat, notes, survey, events)");
	tend_cli_begin(&cli);

	ig = ingest_new(&cli, &opts);
	files = optind < argc ? argv + optind : stdin_only;
	for (; *files; files++) {
		struct tend_input in;
		struct stat st;

		if ((!fmt || fmt->input == INGEST_MAIL) &&
		    stat(*files, &st) == 0 && S_ISDIR(st.st_mode)) {
			ingest_read_maildir(ig, *files, fmt ? fmt :
			    ingest_format_find("email"));
			continue;
		}
		if (tend_input_open(&cli, &in, *files) < 0)
			continue;
		ingest_read(ig, &in, fmt);
		tend_input_close(&in);
	}
	ingest_flush(ig);
	ingest_free(ig);

	status = tend_cli_finish(&cli);
	for (i = 0; i < opts.nbrands; i++)
		free(opts.brands[i]);
	free(opts.brands);
	for (i = 0; i < opts.nbrand_domains; i++)
		free(opts.brand_domains[i]);
	free(opts.brand_domains);
	return status;
}
