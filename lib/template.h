/* template.h: response templates and the response map
 * (tend-templates(5)), parsed and filled; shared by tend lint, which
 * checks them, and tend respond, which fills them for posts.
 *
 * A map is read from one or more files: its templates (an id, what they
 * answer, channels, a language and text with {{placeholders}}), the
 * combinations it must cover (cover blocks), the placeholders it declares
 * and the fixed values of some (value brand Acme).  Parsing stops at the
 * first error of a file, with its FILE:LINE:COL; the map keeps what the
 * files parsed before it.
 *
 * Placeholders are found by tend_template_scan(), the one reader of the
 * {{...}} syntax, and filled in one pass by tend_template_fill(): a value
 * is inserted as text and never read for placeholders again.
 */
#ifndef TEND_TEMPLATE_H
#define TEND_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

#define TEND_PH_NAME_MAX 64	/* longest placeholder name, in bytes */

/* Where a placeholder's value comes from. */
enum tend_ph_source {
	TEND_PH_RECORD,		/* the post being answered (customer.*) */
	TEND_PH_AGENT,		/* --agent / --bot (agent.*) */
	TEND_PH_VALUE,		/* a fixed value in the map (brand, link) */
	TEND_PH_NONE		/* declared, filled by no tool (order_id) */
};

/* A known placeholder: built in, or declared by the map. */
struct tend_ph_spec {
	char *name;
	int source;		/* enum tend_ph_source */
	long max;		/* most characters a value has */
	int ascii;		/* values are ASCII letters, digits, _-.@ */
	char *value;		/* TEND_PH_VALUE: the value, else NULL */
	const char *file;	/* where declared or given a value, or NULL */
	long line;
};

/* One line of a template's text: where text[off..] was read from. */
struct tend_text_line {
	size_t off;		/* byte offset in the template's text */
	long line;		/* in the file */
	long col;		/* 1-based column (code points) of its start */
};

struct tend_tpl_max {		/* a "max NAME N" line of a template */
	char *name;
	long max;
	long line, col;
};

struct tend_template {
	char *id;
	const char *file;	/* the map's copy of the file name */
	long line, col;		/* of the id */
	char **categories, **topics, **channels;
	size_t ncategories, ntopics, nchannels;
	char *lang;
	long lang_line, lang_col;
	struct tend_tpl_max *maxes;
	size_t nmaxes;
	char *text;		/* text lines joined by '\n' */
	size_t text_len;
	struct tend_text_line *lines;
	size_t nlines;
};

/* A cover block: every category x lang x channel needs a template. */
struct tend_cover {
	const char *file;
	long line, col;
	char **categories, **langs, **channels;
	size_t ncategories, nlangs, nchannels;
};

struct tend_map {
	struct tend_template *v;
	size_t n, cap;
	struct tend_cover *covers;
	size_t ncovers;
	struct tend_ph_spec *specs;
	size_t nspecs;
	char **files;		/* every file name seen, owned */
	size_t nfiles;
	char *fallback_lang;	/* for a post of unknown language, or NULL */
};

/* A new map holding only the built-in placeholders (tend-templates(5)):
 * customer.handle, customer.name, agent.initials, agent.name, order_id,
 * case_id, brand and link.  Never NULL; tend_template_map_free() frees. */
struct tend_map *tend_template_map_new(void);
void tend_template_map_free(struct tend_map *m);

/* Adds the templates and declarations of text[0..n) (the file path) to m.
 * Returns 0, or -1 with err set (path, line, col, text) at the first
 * error; the templates before it stay in m. */
int tend_template_parse(struct tend_map *m, const char *text, size_t n,
    const char *path, struct tend_error *err);

/* Reads the file at path and parses it: 0, or -1 with err set (a file
 * that cannot be read has line 0). */
int tend_template_load(struct tend_map *m, const char *path,
    struct tend_error *err);

/* The spec of placeholder name[0..n), or NULL when unknown. */
const struct tend_ph_spec *tend_template_spec(const struct tend_map *m,
    const char *name, size_t n);

/* The most characters placeholder name may have in template t: its "max"
 * line, else the spec's; -1 when unknown. */
long tend_template_max(const struct tend_map *m, const struct tend_template *t,
    const char *name, size_t n);

/* What tend_template_scan() finds in a text. */
enum tend_ph_kind {
	TEND_PH_OK,		/* {{name}}: name, name_len set */
	TEND_PH_UNCLOSED,	/* "{{" with no "}}" after it */
	TEND_PH_STRAY,		/* "}}" that closes nothing */
	TEND_PH_BADNAME,	/* {{...}} whose inside is not a name */
	TEND_PH_NESTED		/* "{{" inside a placeholder */
};

struct tend_ph {
	int kind;		/* enum tend_ph_kind */
	size_t start, end;	/* the bytes, "{{" to "}}" included */
	const char *name;	/* TEND_PH_OK: inside the braces */
	size_t name_len;
};

/* Calls fn for each placeholder and each brace problem of s[0..n), in
 * order.  A placeholder ends on its line.  A name is letters, digits and
 * '_', in parts joined by '.', as customer.handle; blanks inside the
 * braces are allowed ({{ brand }}).
 * Returns the number of problems (kinds other than TEND_PH_OK). */
size_t tend_template_scan(const char *s, size_t n,
    void (*fn)(void *arg, const struct tend_ph *ph), void *arg);

/* Appends s[0..n) to out with every {{name}} replaced by what value()
 * returns for it (a NUL-terminated string, inserted as it is and never
 * scanned again; NULL: no value).  Brace problems are copied as they
 * are.  Returns 0, or -1 when a placeholder had no value: *missing then
 * points at the first such name (in s) and *missing_len is its length. */
int tend_template_fill(const char *s, size_t n,
    const char *(*value)(void *arg, const char *name, size_t len),
    void *arg, struct tend_buf *out, const char **missing,
    size_t *missing_len);

/* The file line and column of byte off of t's text. */
void tend_template_where(const struct tend_template *t, size_t off,
    long *line, long *col);

/* 1 when s[0..n) is a channel a template may name: one of tend-post(5)
 * or "sms". */
int tend_template_channel(const char *s, size_t n);

/* 1 when s is one of list[0..n). */
int tend_template_has(const char *const *list, size_t n, const char *s);

#endif
