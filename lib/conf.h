/* conf.h: what tend's line-oriented configuration files share -- the
 * policy (tend-policy(5)), the routes (tend-routes(5)), the response map
 * and the style file (tend-templates(5)): words with their columns, and
 * messages that say "FILE:LINE:COL: what is wrong".  Each parser keeps
 * its own grammar; a parser's fail() is usually the one-line macro
 *
 *	#define fail(ps, ...) \
 *		tend_conf_fail((ps)->path, (ps)->line, (ps)->err, __VA_ARGS__)
 */
#ifndef TEND_CONF_H
#define TEND_CONF_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

/* A word of a line: s[0..n), at column col (1-based, in characters). */
struct tend_word {
	const char *s;
	size_t n;
	long col;
};

/* How words end; every kind skips blanks before a word:
 * TEND_WORD_BLANKS  at a blank;
 * TEND_WORD_COMMAS  at a blank or a comma, commas skipped like blanks;
 * TEND_WORD_COMMA   at a blank or a comma, a lone comma being a word. */
enum tend_word_ends { TEND_WORD_BLANKS, TEND_WORD_COMMAS, TEND_WORD_COMMA };

/* The next word of line at or after *pos; 0 at the end of the line. */
int tend_conf_word(const char *line, size_t *pos, enum tend_word_ends ends,
    struct tend_word *w);

/* 1 when w is s, exactly. */
int tend_word_is(const struct tend_word *w, const char *s);

/* w quoted for a message (tend_error_quote); returns buf. */
const char *tend_word_quote(const struct tend_word *w, char *buf,
    size_t size);

/* The 1-based column, in characters (UTF-8 code points), of byte off of
 * line. */
long tend_conf_column(const char *line, size_t off);

/* Reads the configuration file at path whole into text (appended; still
 * to be released on failure), and when dir is not NULL the folder it is
 * in (".": none named), for the files it includes.  Returns 0, or -1 with
 * err set to path and the system's reason, or "WHAT larger than NM" past
 * max bytes. */
int tend_conf_read(const char *path, size_t max, const char *what,
    struct tend_buf *text, struct tend_buf *dir, struct tend_error *err);

/* Copies the line of text[0..n) that starts at *pos into line, without
 * its '\n' (NUL-terminated), and moves *pos past it.  Returns 0, or -1
 * when the line holds a NUL byte. */
int tend_conf_line(const char *text, size_t n, size_t *pos,
    struct tend_buf *line);

/* Sets *err (when not NULL) to path:line:col and the message; returns -1,
 * for "return fail(...)". */
int tend_conf_fail(const char *path, long line, struct tend_error *err,
    long col, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
