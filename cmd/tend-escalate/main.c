/* tend-escalate: routes -> team, level, alerts (spikes, security),
 * notifications, safe for cron (tend-escalate(1), tend-routes(5)). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "cli.h"
#include "run.h"
#include "timestamp.h"

static const char usage[] =
    "[--routes FILE] [--config-dir DIR] [--now TIME|stream]\n"
    "       [--state FILE] [--lock-timeout SECS] [--agents FILE]\n"
    "       [--exec CMD [ARG...] ';'] [--exec-timeout SECS] [--outdir DIR]\n"
    "       [--only escalated] [--rejects FILE] [--strict] [FILE...]";

static const char help[] =
"Route posts to teams and levels, raise alerts (spike, security, account,\n"
"quiet) and notify each escalation once.\n"
"\n"
"      --routes FILE     the routes (tend-routes(5); default:\n"
"                        routes/default.routes in the data directory)\n"
"      --config-dir DIR  look for the default routes in DIR first\n"
"      --now TIME        judge ladders and alerts at TIME (RFC 3339;\n"
"                        default: the current time); stream: follow the\n"
"                        newest created_at read (backtests)\n"
"      --state FILE      remember what was escalated, alerted and learnt\n"
"                        between runs (without it nothing is remembered)\n"
"      --lock-timeout S  wait up to S seconds for another run's lock\n"
"                        (default 60)\n"
"      --agents FILE     the roster of agents (CSV: initials,name,active,\n"
"                        left) for account alerts\n"
"      --exec CMD ... ;  run CMD once per escalation and alert, the record\n"
"                        on its standard input (never through a shell)\n"
"      --exec-timeout S  kill a notification command after S seconds\n"
"                        (default 60; 0: no limit)\n"
"      --outdir DIR      append each escalation and alert to DIR/TEAM.jsonl\n"
"      --only escalated  write only escalated records and alerts\n"
TEND_CLI_COMMON_HELP
"\n"
"With no FILE, or when FILE is -, read standard input.\n";

enum {
	OPT_ROUTES = TEND_OPT_TOOL,
	OPT_CONFIG_DIR,
	OPT_NOW,
	OPT_STATE,
	OPT_LOCK_TIMEOUT,
	OPT_AGENTS,
	OPT_EXEC_TIMEOUT,
	OPT_OUTDIR,
	OPT_ONLY
};

static const struct option longopts[] = {
	TEND_CLI_LONGOPTS,
	{ "routes", required_argument, NULL, OPT_ROUTES },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
	{ "agents", required_argument, NULL, OPT_AGENTS },
	{ "exec-timeout", required_argument, NULL, OPT_EXEC_TIMEOUT },
	{ "outdir", required_argument, NULL, OPT_OUTDIR },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	int64_t now;
	int has_now, stream, only_escalated;
	const char *routes, *config_dir, *state, *agents, *outdir;
	double lock_timeout, exec_timeout;
	char **exec;		/* NULL-ended, or NULL */
};

/* Cuts "--exec CMD [ARG...] ;" out of argv (find(1)'s -exec), before
 * getopt_long sees it; returns the new argc. */
static int
cut_exec(struct tend_cli *cli, struct opts *o, int argc, char **argv)
{
	int i, j, k, out = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--exec") != 0) {
			argv[out++] = argv[i];
			continue;
		}
		if (o->exec)
			tend_cli_usage_error(cli, "--exec given twice");
		for (j = i + 1; j < argc && strcmp(argv[j], ";") != 0; j++)
			;
		if (j == argc)
			tend_cli_usage_error(cli, "--exec: the command must end "
			    "with ';' (quoted from the shell: \\; or ';')");
		if (j == i + 1)
			tend_cli_usage_error(cli, "--exec: no command before "
			    "';'");
		o->exec = tend_xcalloc((size_t)(j - i), sizeof(*o->exec));
		for (k = i + 1; k < j; k++)
			o->exec[k - i - 1] = argv[k];
		i = j;
	}
	for (; i < argc; i++)
		argv[out++] = argv[i];
	argv[out] = NULL;
	return out;
}

static double
seconds(struct tend_cli *cli, const char *name, const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (!*arg || *end || !(v >= 0) || v > 1e9)
		tend_cli_usage_error(cli, "%s: expected seconds, not '%s'",
		    name, arg);
	return v;
}

static void
parse_options(struct tend_cli *cli, struct opts *o, int argc, char **argv)
{
	struct tend_time t;
	int c;

	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		if (tend_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case OPT_ROUTES: o->routes = optarg; break;
		case OPT_CONFIG_DIR: o->config_dir = optarg; break;
		case OPT_STATE: o->state = optarg; break;
		case OPT_AGENTS: o->agents = optarg; break;
		case OPT_OUTDIR: o->outdir = optarg; break;
		case OPT_NOW:
			if (strcmp(optarg, "stream") == 0) {
				o->stream = 1;
				break;
			}
			tend_cli_time_option(cli, "--now", optarg, &t);
			o->now = t.sec;
			o->has_now = 1;
			o->stream = 0;
			break;
		case OPT_LOCK_TIMEOUT:
			o->lock_timeout = seconds(cli, "--lock-timeout", optarg);
			break;
		case OPT_EXEC_TIMEOUT:
			o->exec_timeout = seconds(cli, "--exec-timeout", optarg);
			break;
		case OPT_ONLY:
			if (strcmp(optarg, "escalated") != 0)
				tend_cli_usage_error(cli, "--only: expected "
				    "escalated, not '%s'", optarg);
			o->only_escalated = 1;
			break;
		}
	}
}

static struct esc_routes *
load_routes(const struct opts *o)
{
	struct tend_buf path = TEND_BUF_INIT;
	struct esc_routes *r;
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	r = esc_routes_load(tend_cli_config_path(o->routes, o->config_dir,
	    "routes/default.routes", "--routes", &path), &err);
	if (!r)
		tend_die_at(&err);
	tend_buf_release(&path);
	return r;
}

static struct esc_roster *
load_roster(const char *path)
{
	struct esc_roster *r;
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	if (!(r = esc_roster_load(path, &err)))
		tend_die_at(&err);
	return r;
}

static struct esc_state *
open_state(const struct opts *o)
{
	struct esc_state *s;
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	if (!(s = esc_state_open(o->state, o->lock_timeout, &err)))
		tend_die_at(&err);
	return s;
}

static void
emit(void *arg, const char *p, size_t n)
{
	tend_cli_emit(arg, p, n);
}

static void
read_input(struct tend_cli *cli, struct esc_run *run, struct tend_input *in,
    struct tend_record *rec)
{
	struct tend_line line;
	struct tend_error err;
	unsigned long hits = 0, h;

	while (tend_cli_next_line(cli, in, &line)) {
		if (tend_blank(line.text, line.len)) {
			cli->records_in--;
			continue;
		}
		tend_record_release(rec);
		if (tend_record_scan(rec, line.text, line.len, &err) < 0) {
			tend_cli_reject(cli, in->display, line.number, err.col,
			    line.raw, line.raw_len, "%s", err.text);
			continue;
		}
		esc_run_record(run, rec);
		if ((h = esc_routes_limit_hits(run->routes)) != hits) {
			hits = h;
			tend_warn("%s:%ld: a pattern hit the match limit; "
			    "taken as no match", in->display, line.number);
		}
	}
}

int
main(int argc, char **argv)
{
	struct tend_cli cli;
	struct opts o;
	struct esc_routes *routes;
	struct esc_roster *roster = NULL;
	struct esc_state *state = NULL;
	struct esc_run run;
	struct tend_record rec;
	struct tend_error err;
	char *stdin_only[] = { "-", NULL }, **files;
	int status;

	memset(&o, 0, sizeof(o));
	o.lock_timeout = 60;
	o.exec_timeout = 60;
	tend_cli_start(&cli, "escalate", usage, help, argv);
	argc = cut_exec(&cli, &o, argc, argv);
	parse_options(&cli, &o, argc, argv);
	if (!o.has_now)
		o.now = (int64_t)time(NULL);
	routes = load_routes(&o);
	if (o.agents)
		roster = load_roster(o.agents);
	tend_cli_begin(&cli);
	if (o.state)
		state = open_state(&o);

	esc_run_init(&run, routes, state, o.now, o.stream);
	run.roster = roster;
	run.state_path = o.state;
	run.exec_argv = o.exec;
	run.exec_timeout = o.exec_timeout;
	run.outdir = o.outdir;
	run.only_escalated = o.only_escalated;
	run.emit = emit;
	run.emit_arg = &cli;
	esc_run_start(&run);
	tend_record_init(&rec);
	files = optind < argc ? argv + optind : stdin_only;
	for (; *files; files++) {
		struct tend_input in;

		if (tend_input_open(&cli, &in, *files) < 0)
			continue;
		read_input(&cli, &run, &in, &rec);
		tend_input_close(&in);
	}
	tend_record_release(&rec);
	esc_run_finish(&run);
	if (state && esc_state_commit(state, &err) < 0)
		tend_die_at(&err);
	esc_state_close(state);
	if (cli.status == TEND_EXIT_OK && run.notify_failed)
		cli.status = TEND_EXIT_FINDINGS;
	esc_run_release(&run);
	esc_roster_free(roster);
	esc_routes_free(routes);
	free(o.exec);
	status = tend_cli_finish(&cli);
	return status;
}
