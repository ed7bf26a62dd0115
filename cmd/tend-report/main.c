/* tend-report: aggregates -> text, markdown, csv, json, html
 * (tend-report(1)). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "cli.h"
#include "record.h"
#include "report.h"
#include "timestamp.h"

static const char usage[] =
    "[--now TIME] [--zone ZONE] [--bucket hour|day|week] [--by FIELD,...]\n"
    "       [--sl PCT/DURATION]... [--exact] [--top N] [--period DURATION]\n"
    "       [--aht DURATION] [--interval DURATION] [--target PCT/DURATION]\n"
    "       [--shrinkage PCT] [--occupancy PCT]\n"
    "       [--format text|md|csv|json|html] [--table NAME|list]\n"
    "       [--output FILE] [--partial] [--merge] [FILE...]";

static const char help[] =
"Sum up a stream of records: volume, response times, service levels, SLA,\n"
"backlog, sentiment, agents, escalations, surveys, trending terms and\n"
"staffing.\n"
"\n"
"      --now TIME        judge ages and periods at TIME (RFC 3339;\n"
"                        default: the current time)\n"
"      --zone ZONE       time zone of the buckets (default UTC)\n"
"      --bucket UNIT     volume over time by hour, day (default) or week\n"
"      --by FIELDS       the fields of the per-group tables (default\n"
"                        channel,class.category,class.topics,lang,\n"
"                        class.priority,sla.policy,escalation.team)\n"
"      --sl PCT/DUR      a service level goal, PCT answered within DUR;\n"
"                        repeatable (default 90/15m and 80/1h)\n"
"      --exact           exact percentiles (memory grows with the input)\n"
"      --top N           posts in each top list (default 10)\n"
"      --period DUR      trending: the last DUR against the one before\n"
"                        (default 1d)\n"
"      --aht DUR         handle time of a contact, for staffing\n"
"      --interval DUR    staffing interval (default 30m)\n"
"      --target PCT/DUR  live service level goal (default 80/20s)\n"
"      --shrinkage PCT   time agents are not on contacts (default 30)\n"
"      --occupancy PCT   most time agents are busy (default 85)\n"
"      --format FORMAT   text (default), md, csv, json or html\n"
"      --table NAME      only this table (csv: default summary); list:\n"
"                        name the tables\n"
"      --output FILE     write the report to FILE\n"
"      --partial         write the aggregate as a partial, to merge\n"
"      --merge           read partials, not records, from the FILEs\n"
TEND_CLI_COMMON_HELP
"\n"
"With no FILE, or when FILE is -, read standard input.\n";

enum {
	OPT_NOW = TEND_OPT_TOOL,
	OPT_ZONE,
	OPT_BUCKET,
	OPT_BY,
	OPT_SL,
	OPT_EXACT,
	OPT_TOP,
	OPT_PERIOD,
	OPT_AHT,
	OPT_INTERVAL,
	OPT_TARGET,
	OPT_SHRINKAGE,
	OPT_OCCUPANCY,
	OPT_FORMAT,
	OPT_TABLE,
	OPT_OUTPUT,
	OPT_PARTIAL,
	OPT_MERGE
};

static const struct option longopts[] = {
	TEND_CLI_LONGOPTS,
	{ "now", required_argument, NULL, OPT_NOW },
	{ "zone", required_argument, NULL, OPT_ZONE },
	{ "bucket", required_argument, NULL, OPT_BUCKET },
	{ "by", required_argument, NULL, OPT_BY },
	{ "sl", required_argument, NULL, OPT_SL },
	{ "exact", no_argument, NULL, OPT_EXACT },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "aht", required_argument, NULL, OPT_AHT },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "shrinkage", required_argument, NULL, OPT_SHRINKAGE },
	{ "occupancy", required_argument, NULL, OPT_OCCUPANCY },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ NULL, 0, NULL, 0 }
};

static const char *const formats[] = {
	"text", "md", "csv", "json", "html", NULL
};
enum { FMT_TEXT, FMT_MD, FMT_CSV, FMT_JSON, FMT_HTML };

static const char default_by[] = "channel,class.category,class.topics,lang,"
    "class.priority,sla.policy,escalation.team";

struct opts {
	struct rep_shape shape;
	struct rep_staffing staff;
	int has_now, sl_given, format, partial, merge;
	const char *by, *table, *output;
};

static int64_t
duration_arg(const struct tend_cli *cli, const char *name, const char *arg,
    int64_t min)
{
	int64_t secs;

	if (tend_duration_parse(arg, strlen(arg), &secs) < 0 || secs < min)
		tend_cli_usage_error(cli, "%s: not a duration%s: '%s'", name,
		    min > 0 ? " above 0" : "", arg);
	return secs;
}

static double
pct_arg(const struct tend_cli *cli, const char *name, const char *arg,
    size_t n, double max)
{
	char buf[32], *end;
	double v;

	if (n == 0 || n >= sizeof(buf))
		tend_cli_usage_error(cli, "%s: not a percentage: '%s'", name,
		    arg);
	memcpy(buf, arg, n);
	buf[n] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (*end || errno || !(v > 0) || v > max || (buf[0] < '0' ||
	    buf[0] > '9'))
		tend_cli_usage_error(cli, "%s: not a percentage above 0 and at "
		    "most %g: '%s'", name, max, arg);
	return v;
}

/* "90/15m" */
static void
level_arg(const struct tend_cli *cli, const char *name, const char *arg,
    struct rep_sl *sl)
{
	const char *slash = strchr(arg, '/');

	if (!slash)
		tend_cli_usage_error(cli, "%s: expected PCT/DURATION, as "
		    "90/15m, not '%s'", name, arg);
	sl->pct = pct_arg(cli, name, arg, (size_t)(slash - arg), 100);
	sl->secs = duration_arg(cli, name, slash + 1, 0);
}

static void
by_arg(const struct tend_cli *cli, struct rep_shape *s, const char *list)
{
	const char *p = list, *comma;
	size_t n;

	s->nby = 0;
	for (;;) {
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (!n)
			tend_cli_usage_error(cli, "--by: an empty field name in "
			    "'%s'", list);
		if (s->nby == REP_MAX_BY)
			tend_cli_usage_error(cli, "--by: more than %d fields",
			    REP_MAX_BY);
		s->by[s->nby++] = tend_xstrndup(p, n);
		if (!comma)
			break;
		p = comma + 1;
	}
}

static int
word_arg(const struct tend_cli *cli, const char *name, const char *arg,
    const char *const *list, const char *expected)
{
	int i;

	for (i = 0; list[i]; i++)
		if (strcmp(arg, list[i]) == 0)
			return i;
	tend_cli_usage_error(cli, "%s: expected %s, not '%s'", name, expected,
	    arg);
}

static void
option(struct tend_cli *cli, struct opts *o, int c, const char *arg)
{
	struct tend_time t;
	char *end;
	long v;

	switch (c) {
	case OPT_NOW:
		tend_cli_time_option(cli, "--now", arg, &t);
		o->shape.now = t.sec;
		o->has_now = 1;
		break;
	case OPT_ZONE:
		free(o->shape.zone);
		o->shape.zone = tend_xstrdup(arg);
		break;
	case OPT_BUCKET:
		o->shape.bucket = (enum rep_bucket)word_arg(cli, "--bucket",
		    arg, rep_bucket_names, "hour, day or week");
		break;
	case OPT_BY:
		o->by = arg;
		break;
	case OPT_SL:
		if (!o->sl_given)
			o->shape.nsl = 0;
		o->sl_given = 1;
		if (o->shape.nsl == REP_MAX_SL)
			tend_cli_usage_error(cli, "--sl: more than %d levels",
			    REP_MAX_SL);
		level_arg(cli, "--sl", arg, &o->shape.sl[o->shape.nsl++]);
		break;
	case OPT_EXACT:
		o->shape.alpha = 0;
		break;
	case OPT_TOP:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (*end || errno || end == arg || v < 0 || v > REP_MAX_TOP)
			tend_cli_usage_error(cli, "--top: not a number from 0 "
			    "to %d: '%s'", REP_MAX_TOP, arg);
		o->shape.top = (int)v;
		break;
	case OPT_PERIOD:
		o->shape.period = duration_arg(cli, "--period", arg, 1);
		break;
	case OPT_AHT:
		o->staff.aht = duration_arg(cli, "--aht", arg, 1);
		break;
	case OPT_INTERVAL:
		o->shape.interval = duration_arg(cli, "--interval", arg, 1);
		if (o->shape.interval < 60 || 86400 % o->shape.interval)
			tend_cli_usage_error(cli, "--interval: '%s' is not a "
			    "whole number of minutes that divides a day", arg);
		break;
	default:
		break;
	}
}

static void
option2(struct tend_cli *cli, struct opts *o, int c, const char *arg)
{
	struct rep_sl sl;
	size_t i;

	switch (c) {
	case OPT_TARGET:
		level_arg(cli, "--target", arg, &sl);
		if (sl.pct >= 100)
			tend_cli_usage_error(cli, "--target: the share must be "
			    "below 100%%: '%s'", arg);
		o->staff.target_pct = sl.pct;
		o->staff.target_secs = sl.secs;
		break;
	case OPT_SHRINKAGE:
		if (strcmp(arg, "0") == 0)
			o->staff.shrinkage = 0;
		else if ((o->staff.shrinkage = pct_arg(cli, "--shrinkage", arg,
		    strlen(arg), 100)) >= 100)
			tend_cli_usage_error(cli, "--shrinkage: must be below "
			    "100: '%s'", arg);
		break;
	case OPT_OCCUPANCY:
		o->staff.occupancy = pct_arg(cli, "--occupancy", arg,
		    strlen(arg), 100);
		break;
	case OPT_FORMAT:
		o->format = word_arg(cli, "--format", arg, formats,
		    "text, md, csv, json or html");
		break;
	case OPT_TABLE:
		for (i = 0; rep_table_names[i]; i++)
			if (strcmp(arg, rep_table_names[i]) == 0)
				break;
		if (!rep_table_names[i] && strcmp(arg, "list") != 0)
			tend_cli_usage_error(cli, "--table: no table '%s' "
			    "(--table list names them)", arg);
		o->table = arg;
		break;
	case OPT_OUTPUT:
		o->output = arg;
		break;
	case OPT_PARTIAL:
		o->partial = 1;
		break;
	case OPT_MERGE:
		o->merge = 1;
		break;
	default:
		option(cli, o, c, arg);
	}
}

static void
parse_options(struct tend_cli *cli, struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1)
		if (!tend_cli_option(cli, c, optarg))
			option2(cli, o, c, optarg);
	if (o->table && strcmp(o->table, "list") == 0) {
		size_t i;

		for (i = 0; rep_table_names[i]; i++)
			printf("%s\n", rep_table_names[i]);
		exit(tend_cli_finish(cli));
	}
	if (o->format == FMT_HTML && o->table)
		tend_cli_usage_error(cli, "--table: the html page has every "
		    "table");
	if (o->partial && (o->table || o->format != FMT_TEXT))
		tend_cli_usage_error(cli, "--partial writes the aggregate "
		    "itself: no --format or --table");
	by_arg(cli, &o->shape, o->by ? o->by : default_by);
	if (!o->has_now)
		o->shape.now = (int64_t)time(NULL);
}

static void
read_records(struct tend_cli *cli, struct rep_agg *agg, struct tend_input *in,
    struct tend_record *rec)
{
	struct tend_line line;

	while (tend_cli_next_record(cli, in, &line, rec)) {
		rep_agg_add(agg, rec);
	}
}

static void
aggregate_records(struct tend_cli *cli, struct rep_agg *agg, char **files)
{
	struct tend_record rec;
	struct tend_input in;

	tend_record_init(&rec);
	for (; *files; files++) {
		if (tend_input_open(cli, &in, *files) < 0)
			continue;
		read_records(cli, agg, &in, &rec);
		tend_input_close(&in);
	}
	tend_record_release(&rec);
}

/* Reads partial path into agg (initialised here); 0, or -1 after saying
 * why. */
static int
read_partial(const char *path, struct rep_agg *agg)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct tend_error err;
	json_error_t jerr;
	json_t *j;
	int rc;

	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

	memset(&err, 0, sizeof(err));
	if (!f) {
		tend_warn("%s: %s", name, strerror(errno));
		return -1;
	}
	j = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	if (f != stdin)
		fclose(f);
	if (!j) {
		char text[TEND_JSON_ERROR_TEXT];

		tend_json_error_text(&jerr, text, sizeof(text));
		if (jerr.line < 0)
			tend_warn("%s: %s", name, text);
		else
			tend_warn("%s:%d:%d: %s", name, jerr.line, jerr.column,
			    text);
		return -1;
	}
	rc = rep_partial_from_json(j, agg, &err);
	json_decref(j);
	if (rc < 0)
		tend_warn("%s: bad partial: %s", name, err.text);
	return rc;
}

/* Merges the partials named; returns 0, or -1 when one cannot be used
 * (said why; nothing is written then). */
static int
merge_partials(struct rep_agg *total, char **files)
{
	struct rep_agg one;
	struct tend_error err;
	const char *first = files[0];

	if (read_partial(*files, total) < 0)
		return -1;
	for (files++; *files; files++) {
		if (read_partial(*files, &one) < 0) {
			rep_agg_release(total);
			return -1;
		}
		if (rep_shape_compare(&total->shape, &one.shape, &err) < 0) {
			tend_warn("%s: cannot merge with %s: %s", *files, first,
			    err.text);
			rep_agg_release(&one);
			rep_agg_release(total);
			return -1;
		}
		rep_agg_merge(total, &one);
		rep_agg_release(&one);
	}
	return 0;
}

static int
columns(void)
{
	const char *s = getenv("COLUMNS");
	long v = s ? strtol(s, NULL, 10) : 0;

	return v >= 40 && v <= 1000 ? (int)v : 80;
}

static void
render(struct tend_buf *out, const struct opts *o, const struct rep_agg *agg)
{
	struct rep_model m;
	char *s;

	if (o->partial) {
		json_t *j = rep_partial_to_json(agg);

		s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		tend_buf_adds(out, s);
		tend_buf_addc(out, '\n');
		free(s);
		json_decref(j);
		return;
	}
	rep_model_build(&m, agg, &o->staff);
	switch (o->format) {
	case FMT_TEXT:
	case FMT_MD:
		rep_render_text(out, &m, agg, o->table, columns(),
		    o->format == FMT_MD);
		break;
	case FMT_CSV:
		rep_render_csv(out, rep_model_table(&m, o->table ? o->table :
		    "summary"));
		break;
	case FMT_JSON:
		rep_render_json(out, &m, agg, o->table);
		break;
	default:
		rep_render_html(out, &m, agg);
	}
	rep_model_release(&m);
}

static void
write_output(struct tend_cli *cli, const char *path, const struct tend_buf *b)
{
	FILE *f;

	if (!path) {
		tend_cli_emit(cli, b->data, b->len);
		return;
	}
	if (!(f = fopen(path, "w")))
		tend_die(TEND_EXIT_ERROR, "%s: %s", path, strerror(errno));
	if (fwrite(b->data, 1, b->len, f) != b->len || fclose(f) == EOF)
		tend_die(TEND_EXIT_ERROR, "%s: write error: %s", path,
		    strerror(errno));
}

int
main(int argc, char **argv)
{
	struct tend_cli cli;
	struct opts o;
	struct rep_agg agg;
	struct tend_error err;
	struct tend_buf out = TEND_BUF_INIT;
	char *stdin_only[] = { "-", NULL };
	char **files;

	memset(&o, 0, sizeof(o));
	o.shape.alpha = TEND_SKETCH_ALPHA;
	o.shape.zone = tend_xstrdup("UTC");
	o.shape.bucket = REP_DAY;
	o.shape.sl[0].pct = 90;
	o.shape.sl[0].secs = 900;
	o.shape.sl[1].pct = 80;
	o.shape.sl[1].secs = 3600;
	o.shape.nsl = 2;
	o.shape.top = 10;
	o.shape.period = 86400;
	o.shape.interval = 1800;
	o.staff.target_pct = 80;
	o.staff.target_secs = 20;
	o.staff.shrinkage = 30;
	o.staff.occupancy = 85;
	tend_cli_start(&cli, "report", usage, help, argv);
	parse_options(&cli, &o, argc, argv);
	files = optind < argc ? argv + optind : stdin_only;
	if (o.merge) {
		rep_shape_release(&o.shape);
		if (merge_partials(&agg, files) < 0) {
			cli.status = TEND_EXIT_ERROR;
			return tend_cli_finish(&cli);
		}
	} else {
		memset(&err, 0, sizeof(err));
		if (rep_agg_init(&agg, &o.shape, &err) < 0)
			tend_cli_usage_error(&cli, "--zone: %s", err.text);
		tend_cli_begin(&cli);
		aggregate_records(&cli, &agg, files);
	}
	render(&out, &o, &agg);
	write_output(&cli, o.output, &out);
	tend_buf_release(&out);
	rep_agg_release(&agg);
	return tend_cli_finish(&cli);
}
