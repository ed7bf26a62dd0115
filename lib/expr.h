/* expr.h: the expression language of tend sla, escalate and report
 * (tend-expr(7)).
 *
 *	class.category == complaint and channel in (twitter, instagram)
 *	author.followers >= 10000 or author.verified
 *	text ~ /refund|chargeback/i
 *
 * An expression is compiled once, before the record loop, and then tested
 * against each record.  Regular expressions are PCRE2, compiled (and
 * JIT-compiled when the library can) at parse time, with a match limit
 * and a depth limit: a match that hits a limit makes "~" and "!~" alike
 * false.
 *
 * Thread safety: each regular expression keeps its match data in the
 * compiled expression, so tend_expr_eval() writes to it.  Evaluating one
 * expression from two threads at once is not safe; give each thread its
 * own copy (parse the source again).  Different expressions are
 * independent.
 */
#ifndef TEND_EXPR_H
#define TEND_EXPR_H

#include <jansson.h>

#include "error.h"

/* The limits every match runs under (pcre2_set_match_limit and
 * pcre2_set_depth_limit). */
#define TEND_EXPR_MATCH_LIMIT 100000
#define TEND_EXPR_DEPTH_LIMIT 1000

/* How deeply parentheses and "not" may nest. */
#define TEND_EXPR_MAX_DEPTH 200

struct tend_expr;

/* Compiles src (NUL-terminated).  Returns a new expression (free with
 * tend_expr_free), or NULL with err->col (the 1-based byte column in src
 * of the offending token) and err->text set; err->file and err->line are
 * left as they were, for the caller to fill.  err may be NULL. */
struct tend_expr *tend_expr_parse(const char *src, struct tend_error *err);

/* Returns 1 when the expression holds for record (a JSON object, borrowed)
 * and 0 when it does not.  Never fails: a missing field, a type mismatch
 * or a match that hits a limit makes that comparison false.  Allocates
 * nothing, except when PCRE2 grows a regex's backtracking memory. */
int tend_expr_eval(const struct tend_expr *e, const json_t *record);

/* Frees e and everything it holds; e may be NULL. */
void tend_expr_free(struct tend_expr *e);

/* The source e was compiled from, as given (owned by e). */
const char *tend_expr_source(const struct tend_expr *e);

/* How many regex matches of e have hit PCRE2's match or depth limit (each
 * taken as no match) since it was parsed: a tool compares it before and
 * after an evaluation to report the record. */
unsigned long tend_expr_limit_hits(const struct tend_expr *e);

#endif
