/* tend-lint: response templates and the response map, for CI
 * (tend-lint(1), tend-templates(5)). */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "cli.h"
#include "datadir.h"
#include "lint.h"

static const char usage[] =
    "[--style FILE] [--config-dir DIR] [--format text|json|github|sarif]\n"
    "       [--strict] FILE|DIR...";

static const char help[] =
"Check response templates (tend-templates(5)): length per channel,\n"
"placeholders, signature, tone, links, language, duplicates, coverage.\n"
"\n"
"      --style FILE      the tone-of-voice style (default:\n"
"                        templates/default.style in the data directory)\n"
"      --config-dir DIR  look for the default style and the\n"
"                        classification lexicons in DIR first\n"
"      --format FMT      text (default), json, github or sarif\n"
"      --strict          exit 1 on warnings too\n"
"  -h, --help            show this help and exit\n"
"  -V, --version         show the version and exit\n"
"\n"
"A DIR stands for the *.templates files in it.  All files form one map.\n"
"Exit status: 0 clean, 1 findings, 2 a file that cannot be read or\n"
"parsed.\n";

enum {
	OPT_STYLE = TEND_OPT_TOOL,
	OPT_CONFIG_DIR,
	OPT_FORMAT,
	OPT_STRICT
};

static const struct option longopts[] = {
	{ "help", no_argument, NULL, TEND_OPT_HELP },
	{ "version", no_argument, NULL, TEND_OPT_VERSION },
	{ "style", required_argument, NULL, OPT_STYLE },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ NULL, 0, NULL, 0 }
};

static const char *const format_names[] = { "text", "json", "github",
	"sarif", NULL };

struct opts {
	const char *style, *config_dir;
	int format, strict;
};

static void
parse_options(struct tend_cli *cli, struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		if (tend_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case OPT_STYLE:
			o->style = optarg;
			break;
		case OPT_CONFIG_DIR:
			o->config_dir = optarg;
			break;
		case OPT_FORMAT:
			for (o->format = 0; format_names[o->format];
			    o->format++)
				if (strcmp(optarg, format_names[o->format]) == 0)
					break;
			if (!format_names[o->format])
				tend_cli_usage_error(cli, "--format: expected "
				    "text, json, github or sarif, not '%s'",
				    optarg);
			break;
		case OPT_STRICT:
			o->strict = 1;
			break;
		}
	}
	if (optind >= argc)
		tend_cli_usage_error(cli, "no template file given");
}

static struct tend_style *
load_style(const struct opts *o)
{
	struct tend_style *st = tend_style_new();
	struct tend_buf path = TEND_BUF_INIT;
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	if (o->style)
		tend_buf_adds(&path, o->style);
	else if (tend_datadir_find(o->config_dir, "templates/default.style",
	    &path) < 0)
		return st;	/* the built-in defaults */
	if (tend_style_load(st, path.data, &err) < 0)
		tend_die_at(&err);
	tend_buf_release(&path);
	return st;
}

static void
load_file(struct tend_cli *cli, struct lint *l, const char *path)
{
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	if (tend_template_load(l->map, path, &err) == 0)
		return;
	tend_warn_at(&err);
	cli->status = TEND_EXIT_ERROR;
	l->coverage = 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.templates files of dir, in name order. */
static void
load_dir(struct tend_cli *cli, struct lint *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i, len;

	if (!d) {
		tend_warn("%s: cannot read the folder", dir);
		cli->status = TEND_EXIT_ERROR;
		l->coverage = 0;
		return;
	}
	while ((e = readdir(d))) {
		len = strlen(e->d_name);
		if (len <= 10 || e->d_name[0] == '.' ||
		    strcmp(e->d_name + len - 10, ".templates") != 0)
			continue;
		tend_xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		names[n] = tend_xmalloc(strlen(dir) + len + 2);
		sprintf(names[n++], "%s%s%s", dir, dir[strlen(dir) - 1] ==
		    '/' ? "" : "/", e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		load_file(cli, l, names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	struct tend_cli cli;
	struct opts opts;
	struct tend_style *st;
	struct tend_map *map;
	struct tend_buf out = TEND_BUF_INIT;
	struct lint l;
	struct stat sb;
	int i;

	memset(&opts, 0, sizeof(opts));
	tend_cli_start(&cli, "lint", usage, help, argv);
	parse_options(&cli, &opts, argc, argv);
	st = load_style(&opts);
	map = tend_template_map_new();
	lint_init(&l, map, st, opts.config_dir);
	for (i = optind; i < argc; i++) {
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			load_dir(&cli, &l, argv[i]);
		else
			load_file(&cli, &l, argv[i]);
	}
	if (lint_run(&l) < 0)
		tend_die_at(&l.cl_err);
	lint_format(&l, opts.format, &out);
	if (out.len)
		tend_cli_emit(&cli, out.data, out.len);
	if (cli.status == TEND_EXIT_OK && (l.errors || (opts.strict &&
	    l.warnings)))
		cli.status = TEND_EXIT_FINDINGS;
	tend_buf_release(&out);
	lint_release(&l);
	tend_template_map_free(map);
	tend_style_free(st);
	return tend_cli_finish(&cli);
}
