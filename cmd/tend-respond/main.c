/* tend-respond: fills templates for posts: automatic, brand-safe first
 * replies (tend-respond(1), tend-templates(5)). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "respond.h"

static const char usage[] =
    "--agent INITIALS [--agent-name NAME] | --bot NAME\n"
    "       [--map FILE]... [--style FILE] [--config-dir DIR]"
    " [--only replied]\n"
    "       [--rejects FILE] [--strict] [FILE...]";

static const char help[] =
"Choose a template for every customer post that needs a reply, fill it,\n"
"check it, and add a \"reply\" object to the record.\n"
"\n"
"      --agent INITIALS  sign as this agent ({{agent.initials}})\n"
"      --agent-name NAME the agent's name ({{agent.name}}; default: the\n"
"                        initials)\n"
"      --bot NAME        sign as our automation: NAME fills both\n"
"      --map FILE        the response map (tend-templates(5)); may be\n"
"                        repeated (default: templates/default.templates)\n"
"      --style FILE      the style replies are checked against (default:\n"
"                        templates/default.style)\n"
"      --config-dir DIR  look for the default map and style in DIR first\n"
"      --only replied    write only the posts that got a reply\n"
TEND_CLI_COMMON_HELP
"\n"
"With no FILE, or when FILE is -, read standard input.\n";

enum {
	OPT_AGENT = TEND_OPT_TOOL,
	OPT_AGENT_NAME,
	OPT_BOT,
	OPT_MAP,
	OPT_STYLE,
	OPT_CONFIG_DIR,
	OPT_ONLY
};

static const struct option longopts[] = {
	TEND_CLI_LONGOPTS,
	{ "agent", required_argument, NULL, OPT_AGENT },
	{ "agent-name", required_argument, NULL, OPT_AGENT_NAME },
	{ "bot", required_argument, NULL, OPT_BOT },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "style", required_argument, NULL, OPT_STYLE },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ NULL, 0, NULL, 0 }
};

#define MAX_MAPS 64

struct opts {
	const char *agent, *agent_name, *bot, *style, *config_dir;
	const char *maps[MAX_MAPS];
	int nmaps, only_replied;
};

static void
check_signature(struct tend_cli *cli, const char *opt, const char *s)
{
	const unsigned char *p;

	if (!*s || strlen(s) > 30)
		tend_cli_usage_error(cli, "%s: give 1 to 30 characters", opt);
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '{' || *p == '}')
			tend_cli_usage_error(cli, "%s: control characters and "
			    "braces are not allowed", opt);
}

static void
parse_options(struct tend_cli *cli, struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		if (tend_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case OPT_AGENT: o->agent = optarg; break;
		case OPT_AGENT_NAME: o->agent_name = optarg; break;
		case OPT_BOT: o->bot = optarg; break;
		case OPT_STYLE: o->style = optarg; break;
		case OPT_CONFIG_DIR: o->config_dir = optarg; break;
		case OPT_MAP:
			if (o->nmaps == MAX_MAPS)
				tend_cli_usage_error(cli, "--map: at most %d "
				    "files", MAX_MAPS);
			o->maps[o->nmaps++] = optarg;
			break;
		case OPT_ONLY:
			if (strcmp(optarg, "replied") != 0)
				tend_cli_usage_error(cli, "--only: expected "
				    "replied, not '%s'", optarg);
			o->only_replied = 1;
			break;
		}
	}
	if (!o->agent == !o->bot)
		tend_cli_usage_error(cli, "give --agent INITIALS or --bot NAME "
		    "(one of them): every reply is signed");
	if (o->agent_name && !o->agent)
		tend_cli_usage_error(cli, "--agent-name needs --agent");
	check_signature(cli, o->agent ? "--agent" : "--bot",
	    o->agent ? o->agent : o->bot);
	if (o->agent_name)
		check_signature(cli, "--agent-name", o->agent_name);
}

static void
load(const struct opts *o, struct tend_map **map, struct tend_style **st)
{
	struct tend_buf path = TEND_BUF_INIT;
	struct tend_error err;
	int i;

	memset(&err, 0, sizeof(err));
	*map = tend_template_map_new();
	for (i = 0; i < (o->nmaps ? o->nmaps : 1); i++)
		if (tend_template_load(*map, tend_cli_config_path(o->nmaps ?
		    o->maps[i] : NULL, o->config_dir,
		    "templates/default.templates", "--map", &path), &err) < 0)
			tend_die_at(&err);
	*st = tend_style_new();
	if (tend_style_load(*st, tend_cli_config_path(o->style, o->config_dir,
	    "templates/default.style", "--style", &path), &err) < 0)
		tend_die_at(&err);
	tend_buf_release(&path);
}

static void
read_input(struct tend_cli *cli, struct respond *r, struct tend_input *in,
    struct tend_record *rec, int only_replied, struct tend_buf *obj,
    struct tend_buf *out)
{
	struct tend_line line;
	int rc;

	while (tend_cli_next_record(cli, in, &line, rec)) {
		tend_buf_reset(obj);
		rc = respond_record(r, rec, obj);
		if (only_replied && rc != 1)
			continue;
		if (rc >= 0)
			tend_record_set_raw(rec, "reply", obj->data, obj->len);
		tend_buf_reset(out);
		tend_record_write(rec, out);
		tend_cli_emit(cli, out->data, out->len);
	}
}

int
main(int argc, char **argv)
{
	struct tend_cli cli;
	struct opts opts;
	struct tend_map *map;
	struct tend_style *st;
	struct respond r;
	struct tend_record rec;
	struct tend_buf obj = TEND_BUF_INIT, out = TEND_BUF_INIT;
	char *stdin_only[] = { "-", NULL };
	char **files;

	memset(&opts, 0, sizeof(opts));
	tend_cli_start(&cli, "respond", usage, help, argv);
	parse_options(&cli, &opts, argc, argv);
	load(&opts, &map, &st);
	tend_cli_begin(&cli);
	respond_init(&r, map, st);
	r.agent = opts.agent ? opts.agent : opts.bot;
	r.agent_name = opts.agent_name ? opts.agent_name : r.agent;
	r.bot = opts.bot != NULL;
	tend_record_init(&rec);
	files = optind < argc ? argv + optind : stdin_only;
	for (; *files; files++) {
		struct tend_input in;

		if (tend_input_open(&cli, &in, *files) < 0)
			continue;
		read_input(&cli, &r, &in, &rec, opts.only_replied, &obj, &out);
		tend_input_close(&in);
	}
	tend_record_release(&rec);
	tend_buf_release(&obj);
	tend_buf_release(&out);
	respond_release(&r);
	tend_template_map_free(map);
	tend_style_free(st);
	return tend_cli_finish(&cli);
}
