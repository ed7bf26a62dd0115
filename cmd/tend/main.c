/* tend: runs tend-TOOL for "tend TOOL ARGS..." (tend(7)). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "datadir.h"

static const char *const tools[][2] = {
	{ "ingest", "platform exports -> tend post records" },
	{ "classify", "category, topics, sentiment, language, flags, priority" },
	{ "sla", "service-level clocks, deadlines and status" },
	{ "escalate", "routes, escalation ladders and alerts" },
	{ "report", "percentiles, SLA attainment, staffing" },
	{ "lint", "check response templates" },
	{ "respond", "fill approved templates for posts" },
	{ "shard", "partition a stream for scale-out" },
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: tend TOOL [ARGS...]\n"
	    "       tend help [TOOL]\n"
	    "       tend --version\n");
}

/* Tools installed beside tend or on PATH. */
static int
tool_exists(const char *name)
{
	struct tend_buf path = TEND_BUF_INIT;
	int found;

	if (tend_datadir_exe_dir(&path) < 0)
		return 0;
	tend_buf_printf(&path, "/tend-%s", name);
	found = access(path.data, X_OK) == 0;
	tend_buf_release(&path);
	return found;
}

static int
help(void)
{
	size_t i;

	usage(stdout);
	printf("\nTools (tend help TOOL shows the manual):\n");
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (tool_exists(tools[i][0]))
			printf("  %-10s %s\n", tools[i][0], tools[i][1]);
	printf("\nThe pipeline, the record and the exit statuses: man 7 tend\n");
	return fflush(stdout) == EOF ? 2 : 0;
}

/* A tool name is a plain word: never a path. */
static int
valid_tool(const char *name)
{
	size_t i;

	if (!*name || strlen(name) > 32)
		return 0;
	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '-'))
			return 0;
	return 1;
}

static void
run_tool(const char *name, char **argv)
{
	struct tend_buf path = TEND_BUF_INIT;
	char prog[64];

	snprintf(prog, sizeof(prog), "tend-%s", name);
	argv[0] = prog;
	if (tend_datadir_exe_dir(&path) == 0) {
		tend_buf_printf(&path, "/%s", prog);
		execv(path.data, argv);
	}
	tend_buf_release(&path);
	execvp(prog, argv);
	if (errno == ENOENT)
		tend_die(TEND_EXIT_ERROR, "'%s' is not a tend tool (tend help "
		    "lists them)", name);
	tend_die(TEND_EXIT_ERROR, "%s: %s", prog, strerror(errno));
}

static void
show_manual(const char *name)
{
	char page[64];

	snprintf(page, sizeof(page), "tend-%s", name);
	execlp("man", "man", page, (char *)NULL);
	tend_die(TEND_EXIT_ERROR, "man: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	tend_progname = "tend";
	if (argc < 2) {
		usage(stderr);
		return TEND_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("tend %s\n", TEND_VERSION);
		return fflush(stdout) == EOF ? 2 : 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0) {
			if (!valid_tool(argv[2]))
				tend_die(TEND_EXIT_ERROR, "'%s' is not a tend "
				    "tool", argv[2]);
			show_manual(argv[2]);
		}
		return help();
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "tend: unknown option '%s'\n", argv[1]);
		usage(stderr);
		return TEND_EXIT_ERROR;
	}
	if (!valid_tool(argv[1]))
		tend_die(TEND_EXIT_ERROR, "'%s' is not a tend tool (tend help "
		    "lists them)", argv[1]);
	run_tool(argv[1], argv + 1);
	return TEND_EXIT_ERROR;
}
