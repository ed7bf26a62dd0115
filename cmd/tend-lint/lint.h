/* lint.h: tend lint's checks of a response map and its output
 * (tend-lint(1)). */
#ifndef TEND_LINT_H
#define TEND_LINT_H

#include <stddef.h>

#include "buf.h"
#include "classify.h"
#include "template.h"
#include "tone.h"

struct lint_finding {
	const char *file;	/* the map's copy */
	long line, col;
	int severity;		/* TEND_SEV_WARNING or TEND_SEV_ERROR */
	char rule[48];
	char *message;
	const char *tpl;	/* the template's id, or NULL */
	size_t seq;		/* order found, for a stable sort */
};

struct lint {
	struct tend_map *map;
	struct tend_style *st;
	const char *config_dir;
	struct cl cl;
	int cl_state;		/* 0 not loaded, 1 loaded, -1 failed */
	struct tend_error cl_err;
	struct cl_post post;
	int coverage;		/* every file parsed: coverage can be judged */
	struct lint_finding *v;
	size_t n, cap;
	size_t errors, warnings;
	struct tend_buf a, b;	/* scratch */
};

enum lint_format { LINT_TEXT, LINT_JSON, LINT_GITHUB, LINT_SARIF };

void lint_init(struct lint *l, struct tend_map *map, struct tend_style *st,
    const char *config_dir);
void lint_release(struct lint *l);

/* Records a finding of rule at file:line:col, at the severity the style
 * gives the rule (nothing when it is off).  tpl may be NULL. */
void lint_add(struct lint *l, const char *file, long line, long col,
    const char *rule, const char *tpl, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Runs every check on the map; findings sorted by file, line, column.
 * Returns -1 when the classification data (for tone.negative and
 * lang.mismatch) cannot be loaded: l->cl_err says why. */
int lint_run(struct lint *l);

/* Appends the findings in format to out. */
void lint_format(const struct lint *l, int format, struct tend_buf *out);

#endif
