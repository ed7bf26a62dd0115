/* tend-classify: category, topics, sentiment, language, flags and priority
 * for every post (tend-classify(1)). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"
#include "cli.h"
#include "datadir.h"

static const char usage[] =
    "[--rules FILE] [--lexicon FILE]... [--brand HANDLE,...]\n"
    "       [--brand-domain DOMAIN,...] [--brand-file FILE]\n"
    "       [--lang auto|detect|record] [--explain[=text|json]]\n"
    "       [--no-learned | --learn[=FIELD]] [--config-dir DIR]\n"
    "       [--rejects FILE] [--strict] [FILE...]";

static const char help[] =
"Add a \"class\" object to every post: category, topics, sentiment,\n"
"language, flags and priority, with the rules that decided them.\n"
"\n"
"      --rules FILE      rule file to use instead of the default pack\n"
"      --lexicon FILE    a sentiment lexicon (TERM<TAB>VALENCE, AFINN or\n"
"                        VADER style) that wins over the defaults;\n"
"                        may be repeated\n"
"      --brand LIST      comma-separated handles of our own accounts\n"
"      --brand-domain LIST  comma-separated domains that are ours\n"
"      --brand-file FILE lines of handle, name, domain or hashtag\n"
"      --lang MODE       auto (default: the record's lang unless the\n"
"                        text clearly says otherwise), detect, record\n"
"      --explain[=FMT]   show why: text on standard error (default), or\n"
"                        json as class.explain\n"
"      --no-learned      the lexicon's score alone, without the learned\n"
"                        model\n"
"      --learn[=FIELD]   write a learned model fitted on posts rated\n"
"                        -4..+4 at FIELD (default gold.sentiment),\n"
"                        instead of the posts\n"
"      --config-dir DIR  look for the default data in DIR first\n"
TEND_CLI_COMMON_HELP
"\n"
"With no FILE, or when FILE is -, read standard input.\n";

enum {
	OPT_RULES = TEND_OPT_TOOL,
	OPT_LEXICON,
	OPT_BRAND,
	OPT_BRAND_DOMAIN,
	OPT_BRAND_FILE,
	OPT_LANG,
	OPT_EXPLAIN,
	OPT_NO_LEARNED,
	OPT_LEARN,
	OPT_CONFIG_DIR
};

static const struct option longopts[] = {
	TEND_CLI_LONGOPTS,
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "lexicon", required_argument, NULL, OPT_LEXICON },
	{ "brand", required_argument, NULL, OPT_BRAND },
	{ "brand-domain", required_argument, NULL, OPT_BRAND_DOMAIN },
	{ "brand-file", required_argument, NULL, OPT_BRAND_FILE },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "explain", optional_argument, NULL, OPT_EXPLAIN },
	{ "no-learned", no_argument, NULL, OPT_NO_LEARNED },
	{ "learn", optional_argument, NULL, OPT_LEARN },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ NULL, 0, NULL, 0 }
};

struct options {
	const char *rules;
	const char **lexicons;
	size_t nlexicons;
	const char *brand_file;
	const char *config_dir;
	const char *learn;		/* the rating's field: --learn */
};

/* "a, b,c" -> cl_brand_add(kind, each) */
static void
brand_list(struct tend_cli *cli, struct cl *cl, const char *kind,
    const char *option, const char *list)
{
	char *copy = tend_xstrdup(list), *tok, *save = NULL;
	struct tend_error err;

	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok && cl_brand_add(cl, kind, tok, &err) < 0)
			tend_cli_usage_error(cli, "%s: %s", option, err.text);
	}
	free(copy);
}

static void
parse_options(struct tend_cli *cli, struct cl *cl, struct options *o,
    int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		if (tend_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case OPT_RULES:
			o->rules = optarg;
			break;
		case OPT_LEXICON:
			o->lexicons = tend_xrealloc(o->lexicons,
			    (o->nlexicons + 1) * sizeof(*o->lexicons));
			o->lexicons[o->nlexicons++] = optarg;
			break;
		case OPT_BRAND:
			brand_list(cli, cl, "handle", "--brand", optarg);
			break;
		case OPT_BRAND_DOMAIN:
			brand_list(cli, cl, "domain", "--brand-domain", optarg);
			break;
		case OPT_BRAND_FILE:
			o->brand_file = optarg;
			break;
		case OPT_LANG:
			if (strcmp(optarg, "auto") == 0)
				cl->lang_mode = CL_LANG_AUTO;
			else if (strcmp(optarg, "detect") == 0)
				cl->lang_mode = CL_LANG_DETECT;
			else if (strcmp(optarg, "record") == 0)
				cl->lang_mode = CL_LANG_RECORD;
			else
				tend_cli_usage_error(cli, "--lang: expected "
				    "auto, detect or record, not '%s'", optarg);
			break;
		case OPT_EXPLAIN:
			if (!optarg || strcmp(optarg, "text") == 0)
				cl->explain = 1;
			else if (strcmp(optarg, "json") == 0)
				cl->explain = 2;
			else
				tend_cli_usage_error(cli, "--explain: expected "
				    "text or json, not '%s'", optarg);
			break;
		case OPT_NO_LEARNED:
			cl->no_learned = 1;
			break;
		case OPT_LEARN:
			o->learn = optarg && *optarg ? optarg :
			    "gold.sentiment";
			cl->no_learned = 1;	/* fit on the lexicon's score */
			break;
		case OPT_CONFIG_DIR:
			o->config_dir = optarg;
			break;
		}
	}
}

/* The default data, then the rules, the user's lexicons, the brand. */
static void
load_config(struct cl *cl, const struct options *o)
{
	struct tend_buf path = TEND_BUF_INIT;
	struct tend_error err;
	size_t i;

	if (cl_load_defaults(cl, o->config_dir, &err) < 0)
		tend_die_at(&err);
	if (o->rules) {
		if (cl_rules_load(cl, o->rules, &err) < 0)
			tend_die_at(&err);
	} else if (tend_datadir_find(o->config_dir, "rules/default.rules",
	    &path) == 0) {
		if (cl_rules_load(cl, path.data, &err) < 0)
			tend_die_at(&err);
	} else
		tend_die(TEND_EXIT_ERROR, "rules/default.rules: not found "
		    "(give --rules FILE, --config-dir DIR or TEND_PATH)");
	for (i = 0; i < o->nlexicons; i++)
		if (cl_lexicon_load(cl, o->lexicons[i], &err) < 0)
			tend_die_at(&err);
	if (o->brand_file && cl_brand_load(cl, o->brand_file, &err) < 0)
		tend_die_at(&err);
	tend_buf_release(&path);
}

/* What --explain cannot show because the brand is not configured. */
static void
explain_off(const struct cl *cl)
{
	if (cl->explain != 1)
		return;
	if (!cl->brand.ndomains)
		tend_warn("explain: lookalike-domain checks are off (no "
		    "--brand-domain)");
	if (!cl->brand.nskeletons)
		tend_warn("explain: impersonation checks are off (no "
		    "--brand)");
}

/* Prints each line of the text explanation with the post's place. */
static void
print_explain(const struct tend_input *in, long line, const char *e)
{
	while (*e) {
		const char *nl = strchr(e, '\n');
		int n = nl ? (int)(nl - e) : (int)strlen(e);

		tend_warn("%s:%ld: %.*s", in->display, line, n, e);
		e += n + (nl != NULL);
	}
}

/* --learn: the post's rating, to learn from; a post without one is
 * rejected. */
static void
gather_rated(struct tend_cli *cli, const struct cl *cl,
    struct tend_input *in, const struct tend_line *line,
    struct tend_record *rec, const char *field, const struct cl_post *post,
    struct cl_learner *learner)
{
	double rating;

	if (tend_record_get_num(rec, field, &rating) < 0)
		tend_cli_reject(cli, in->display, line->number, 0, line->raw,
		    line->raw_len, "no rating at %s to learn from", field);
	else if (rating < -4 || rating > 4)
		tend_cli_reject(cli, in->display, line->number, 0, line->raw,
		    line->raw_len, "rating %g at %s is outside -4..+4", rating,
		    field);
	else
		cl_learner_add(learner, cl, post, rating);
}

static void
classify_input(struct tend_cli *cli, const struct cl *cl,
    struct tend_input *in, struct cl_post *post, struct tend_buf *out,
    const char *learn, struct cl_learner *learner)
{
	struct tend_record rec;
	struct tend_buf class = TEND_BUF_INIT, explain = TEND_BUF_INIT;
	struct tend_line line;

	tend_record_init(&rec);
	while (tend_cli_next_record(cli, in, &line, &rec)) {
		cl_classify(cl, post, &rec, &class, &explain);
		if (learner) {
			gather_rated(cli, cl, in, &line, &rec, learn, post,
			    learner);
			continue;
		}
		if (post->limit_rule)
			tend_warn("%s:%ld: rule %s: pattern hit the match "
			    "limit; taken as no match", in->display,
			    line.number, post->limit_rule);
		if (cl->explain == 1)
			print_explain(in, line.number, explain.data ?
			    explain.data : "");
		tend_record_set_raw(&rec, "class", class.data, class.len);
		tend_buf_reset(out);
		tend_record_write(&rec, out);
		tend_cli_emit(cli, out->data, out->len);
	}
	tend_record_release(&rec);
	tend_buf_release(&class);
	tend_buf_release(&explain);
}

/* --learn: the model fitted on what was read, or why there is none. */
static void
write_learned(struct tend_cli *cli, const struct cl *cl,
    struct cl_learner *learner, struct tend_buf *out)
{
	tend_buf_reset(out);
	if (!cl_learner_write(learner, cl, out))
		tend_die(TEND_EXIT_ERROR, "--learn: %s", out->data);
	tend_cli_emit(cli, out->data, out->len);
}

int
main(int argc, char **argv)
{
	struct tend_cli cli;
	struct options opts = { NULL, NULL, 0, NULL, NULL, NULL };
	struct cl_learner *learner = NULL;
	struct cl cl;
	struct cl_post post;
	struct tend_buf out = TEND_BUF_INIT;
	char *stdin_only[] = { "-", NULL };
	char **files;
	int status;

	tend_cli_start(&cli, "classify", usage, help, argv);
	cl_init(&cl);
	parse_options(&cli, &cl, &opts, argc, argv);
	load_config(&cl, &opts);
	tend_cli_begin(&cli);
	explain_off(&cl);

	cl_post_init(&post);
	if (opts.learn)
		learner = cl_learner_new();
	files = optind < argc ? argv + optind : stdin_only;
	for (; *files; files++) {
		struct tend_input in;

		if (tend_input_open(&cli, &in, *files) < 0)
			continue;
		classify_input(&cli, &cl, &in, &post, &out, opts.learn,
		    learner);
		tend_input_close(&in);
	}
	if (learner)
		write_learned(&cli, &cl, learner, &out);
	status = tend_cli_finish(&cli);

	cl_learner_free(learner);
	cl_post_release(&post);
	cl_release(&cl);
	tend_buf_release(&out);
	free(opts.lexicons);
	return status;
}
