/* tend-sla: policy + calendars -> deadlines, first response, status
 * (tend-sla(1), tend-policy(5)). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "thread.h"
#include "timestamp.h"

static const char usage[] =
    "[--now TIME] [--policy FILE] [--config-dir DIR] [--only STATUS,...]\n"
    "       [--fail-on breach|at_risk] [--explain THREAD]"
    " [--horizon DURATION]\n"
    "       [--rejects FILE] [--strict] [FILE...]";

static const char help[] =
"Work out service-level clocks for posts and replies, and add an \"sla\"\n"
"object to every record.\n"
"\n"
"      --now TIME        evaluate clocks still running at TIME (RFC 3339;\n"
"                        default: the current time)\n"
"      --policy FILE     the policy (tend-policy(5); default:\n"
"                        policy/default.policy in the data directory)\n"
"      --config-dir DIR  look for the default policy in DIR first\n"
"      --only LIST       write only customer posts whose status is in\n"
"                        LIST: met, pending, at_risk, breached, none\n"
"      --fail-on WHAT    exit 1 if a post is breached (breach), or\n"
"                        breached or at risk (at_risk)\n"
"      --explain THREAD  instead of records, show how the clocks of\n"
"                        THREAD counted\n"
"      --horizon DUR     how late a record may come (default 1d); never:\n"
"                        hold every thread to the end of the input\n"
TEND_CLI_COMMON_HELP
"\n"
"With no FILE, or when FILE is -, read standard input.\n";

enum {
	OPT_NOW = TEND_OPT_TOOL,
	OPT_POLICY,
	OPT_CONFIG_DIR,
	OPT_ONLY,
	OPT_FAIL_ON,
	OPT_EXPLAIN,
	OPT_HORIZON
};

static const struct option longopts[] = {
	TEND_CLI_LONGOPTS,
	{ "now", required_argument, NULL, OPT_NOW },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "horizon", required_argument, NULL, OPT_HORIZON },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	int64_t now;
	int has_now;
	const char *policy, *config_dir, *explain;
	unsigned only;
	int fail_on;		/* 0, STATUS_BREACHED or STATUS_AT_RISK */
	int64_t horizon;
};

static unsigned
parse_only(struct tend_cli *cli, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	unsigned bits = 0;
	int s;

	if (!copy)
		tend_die(TEND_EXIT_ERROR, "out of memory");
	for (tok = strtok_r(copy, ", ", &save); tok;
	    tok = strtok_r(NULL, ", ", &save)) {
		for (s = STATUS_NONE; s <= STATUS_BREACHED; s++)
			if (strcmp(tok, sla_status_names[s]) == 0)
				break;
		if (s > STATUS_BREACHED)
			tend_cli_usage_error(cli, "--only: unknown status '%s' "
			    "(expected met, pending, at_risk, breached or "
			    "none)", tok);
		bits |= 1u << s;
	}
	free(copy);
	if (!bits)
		tend_cli_usage_error(cli, "--only: no status given");
	return bits;
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
		case OPT_NOW:
			tend_cli_time_option(cli, "--now", optarg, &t);
			o->now = t.sec;
			o->has_now = 1;
			break;
		case OPT_POLICY:
			o->policy = optarg;
			break;
		case OPT_CONFIG_DIR:
			o->config_dir = optarg;
			break;
		case OPT_ONLY:
			o->only = parse_only(cli, optarg);
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "breach") == 0)
				o->fail_on = STATUS_BREACHED;
			else if (strcmp(optarg, "at_risk") == 0)
				o->fail_on = STATUS_AT_RISK;
			else
				tend_cli_usage_error(cli, "--fail-on: expected "
				    "breach or at_risk, not '%s'", optarg);
			break;
		case OPT_EXPLAIN:
			o->explain = optarg;
			break;
		case OPT_HORIZON:
			if (strcmp(optarg, "never") == 0)
				o->horizon = -1;
			else if (strcmp(optarg, "0") == 0)
				o->horizon = 0;
			else if (tend_duration_parse(optarg, strlen(optarg),
			    &o->horizon) < 0 || o->horizon < 0)
				tend_cli_usage_error(cli, "--horizon: not a "
				    "duration: '%s'", optarg);
			break;
		}
	}
}

static struct sla_policy *
load_policy(const struct opts *o)
{
	struct tend_buf path = TEND_BUF_INIT;
	struct sla_policy *p;
	struct tend_error err;

	memset(&err, 0, sizeof(err));
	p = sla_policy_load(tend_cli_config_path(o->policy, o->config_dir,
	    "policy/default.policy", "--policy", &path), &err);
	if (!p)
		tend_die_at(&err);
	tend_buf_release(&path);
	return p;
}

static void
emit(void *arg, const char *p, size_t n)
{
	tend_cli_emit(arg, p, n);
}

/* 1 when rec belongs to thread (its "thread", else its "id"). */
static int
in_thread(struct tend_record *rec, struct sla_scratch *s,
    const char *thread)
{
	const char *t = tend_record_get_str(rec, "thread", &s->key);

	if (!t)
		t = tend_record_get_str(rec, "id", &s->key);
	return strcmp(t, thread) == 0;
}

static void
read_input(struct tend_cli *cli, struct sla_run *run, struct tend_input *in,
    struct tend_record *rec, struct sla_scratch *s)
{
	struct tend_line line;
	struct sla_item item;
	const char *key, *hit;
	size_t keylen;
	char part[160];

	while (tend_cli_next_record(cli, in, &line, rec)) {
		if (run->explain && !in_thread(rec, s, run->explain))
			continue;
		sla_item_make(run->policy, rec, s, &item, &key, &keylen);
		if ((hit = sla_policy_limit_hit(run->policy, &run->limit_hits,
		    part, sizeof(part))))
			tend_warn("%s:%ld: %s: pattern hit the match limit; "
			    "taken as no match", in->display, line.number, hit);
		sla_run_add(run, key, keylen, &item);
	}
}

int
main(int argc, char **argv)
{
	struct tend_cli cli;
	struct opts opts;
	struct sla_policy *policy;
	struct sla_run run;
	struct tend_record rec;
	struct sla_scratch scratch;
	char *stdin_only[] = { "-", NULL };
	char **files;
	int status;

	memset(&opts, 0, sizeof(opts));
	opts.horizon = 86400;
	tend_cli_start(&cli, "sla", usage, help, argv);
	parse_options(&cli, &opts, argc, argv);
	if (!opts.has_now)
		opts.now = (int64_t)time(NULL);
	policy = load_policy(&opts);
	tend_cli_begin(&cli);

	sla_run_init(&run, policy, opts.now, opts.explain ? -1 : opts.horizon);
	run.only = opts.only;
	run.explain = opts.explain;
	run.explain_out = stdout;
	run.emit = emit;
	run.emit_arg = &cli;
	tend_record_init(&rec);
	sla_scratch_init(&scratch);
	files = optind < argc ? argv + optind : stdin_only;
	for (; *files; files++) {
		struct tend_input in;

		if (tend_input_open(&cli, &in, *files) < 0)
			continue;
		read_input(&cli, &run, &in, &rec, &scratch);
		tend_input_close(&in);
	}
	tend_record_release(&rec);
	sla_scratch_release(&scratch);
	sla_run_finish(&run);
	if (opts.explain && !run.explained) {
		tend_warn("no record of thread '%s' in the input", opts.explain);
		cli.status = TEND_EXIT_ERROR;
	}
	if (cli.status == TEND_EXIT_OK && ((opts.fail_on && run.breached) ||
	    (opts.fail_on == STATUS_AT_RISK && run.at_risk)))
		cli.status = TEND_EXIT_FINDINGS;
	sla_run_release(&run);
	sla_policy_free(policy);
	status = tend_cli_finish(&cli);
	return status;
}
