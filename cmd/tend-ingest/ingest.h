/* ingest.h: tend-ingest's core and the interface of its formats.
 *
 * A format turns one unit of input (a JSON document, a CSV row, a line of
 * tend records) into zero or more posts, each handed to ingest_post() as a
 * json_t in tend post v1 shape, with the platform's own object beside it.
 * The core does everything that is the same for every format: validation
 * (tend_record_validate), actor from --brand, thread reconstruction,
 * duplicates, --since/--until, source and --keep-raw, field order, output,
 * and the rejects.
 */
#ifndef TEND_INGEST_H
#define TEND_INGEST_H

#include <stddef.h>

#include <jansson.h>

#include "cli.h"
#include "csv.h"
#include "record.h"
#include "timestamp.h"

struct ingest_opts {
	const char *format;	/* -f, "auto" by default */
	char **brands;		/* --brand: handles, lower case, no '@' */
	size_t nbrands;
	int keep_raw;		/* --keep-raw */
	int keep_duplicates;	/* --keep-duplicates */
	int has_since, has_until;
	struct tend_time since, until;	/* [since, until) */
	const char *map;	/* --map field=column,... (csv) */
	const char *channel;	/* --channel: default channel (csv) */
	char **brand_domains;	/* --brand-domain: lower case (email) */
	size_t nbrand_domains;
};

/* Where a unit of input came from. */
struct ingest_unit {
	const char *file;	/* as shown in messages ("<stdin>") */
	long line;		/* its first line, 1-based */
	const char *raw;	/* its bytes, for --rejects (may be NULL) */
	size_t raw_len;
};

struct ingest;

enum ingest_input {
	INGEST_TEND_LINES,	/* tend records, one per line */
	INGEST_JSON_DOCS,	/* JSON documents: one per line, or per file */
	INGEST_CSV_ROWS,	/* RFC 4180 rows */
	INGEST_MAIL		/* e-mail messages: an mbox, one message,
				 * or a Maildir folder of them */
};

struct ingest_format {
	const char *name;
	const char *summary;
	enum ingest_input input;
	/* How sure (0..100) it is that an input starting with head[0..n) is
	 * in this format; head is NUL-terminated (n <= 64 KiB, so it may end
	 * in the middle of a line or of a UTF-8 sequence). */
	int (*sniff)(const char *head, size_t n);
	/* INGEST_JSON_DOCS: one parsed document (borrowed). */
	void (*document)(struct ingest *ig, const struct ingest_unit *unit,
	    json_t *doc);
	/* INGEST_CSV_ROWS: the header row of each input; returns 0, or -1
	 * after ingest_input_error() when the input cannot be read as this
	 * format.  Then each data row. */
	int (*csv_header)(struct ingest *ig, const struct ingest_unit *unit,
	    const struct tend_csv_row *header);
	void (*csv_row)(struct ingest *ig, const struct ingest_unit *unit,
	    const struct tend_csv_row *row);
	/* Frees what csv_header kept, at the end of each input (optional). */
	void (*input_done)(struct ingest *ig);
	/* INGEST_MAIL: one message, msg[0..n) as it was in the file (an
	 * mbox's ">From " lines unescaped); envelope is its mbox "From "
	 * line (NUL-terminated, without the newline) or NULL. */
	void (*message)(struct ingest *ig, const struct ingest_unit *unit,
	    const char *msg, size_t n, const char *envelope);
};

/* The formats, NULL-ended, in sniffing order (formats.c). */
extern const struct ingest_format *const ingest_formats[];
const struct ingest_format *ingest_format_find(const char *name);
/* 1 for csv and the formats that are CSV with --map (chat, notes, ...). */
int ingest_format_takes_map(const struct ingest_format *fmt);
/* The columns --map names, in its order, as a new NULL-ended array of
 * new strings (fmt_csv.c); NULL when spec is NULL. */
char **ingest_map_columns(const char *spec);

/* --- called by formats -------------------------------------------- */

/* Hands over one post (reference stolen) converted from native (borrowed,
 * the platform's object; may be NULL).  where names the object inside the
 * unit for messages ("data[3]"), or NULL.  The post needs id, channel,
 * created_at (any form tend_time_parse_any reads) and, for posts, text;
 * thread is set when the platform knows the conversation root, actor when
 * the format has its own marker for our agents. */
void ingest_post(struct ingest *ig, const struct ingest_unit *unit,
    const char *where, const json_t *native, json_t *post);

/* Rejects a unit, or one object inside it (native: written to --rejects as
 * compact JSON; when NULL, the unit's raw bytes are). */
void ingest_reject(struct ingest *ig, const struct ingest_unit *unit,
    const char *where, const json_t *native, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* An input that cannot be read in its format at all: reported, status 2. */
void ingest_input_error(struct ingest *ig, const struct ingest_unit *unit,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

const struct ingest_opts *ingest_options(const struct ingest *ig);

/* Per-input state a format may keep (column indexes from csv_header). */
void *ingest_format_state(struct ingest *ig);
void ingest_set_format_state(struct ingest *ig, void *state);

/* --- helpers for converters (convert.c) ----------------------------- */

/* "CHANNEL:NATIVE" as a new json string. */
json_t *ingest_id(const char *channel, const char *native);
/* Sets key to a copy of s when s is not NULL (and not empty if skip_empty). */
void ingest_set_string(json_t *obj, const char *key, const char *s,
    int skip_empty);
/* A JSON integer or a decimal string as text (Twitter ids come as both);
 * returns NULL otherwise.  buf holds the text of an integer. */
const char *ingest_id_text(const json_t *v, char buf[32]);
/* Adds links, mentions and hashtags found in plain text, for platforms
 * that do not list them; existing arrays are kept. */
void ingest_entities_from_text(json_t *post, const char *text);

/* --- the core (core.c), used by main.c and input.c -------------------- */

struct ingest *ingest_new(struct tend_cli *cli, const struct ingest_opts *o);
/* Reads one input in the given format (NULL: sniff it). */
void ingest_read(struct ingest *ig, struct tend_input *in,
    const struct ingest_format *fmt);
/* Reads the messages of Maildir folder path (cur/ and new/, in name
 * order) in format fmt (INGEST_MAIL). */
void ingest_read_maildir(struct ingest *ig, const char *path,
    const struct ingest_format *fmt);
/* Emits the posts held back for thread reconstruction; prints the
 * duplicates count. */
void ingest_flush(struct ingest *ig);
void ingest_free(struct ingest *ig);

/* tend records: the fast path that keeps their bytes (core.c). */
void ingest_tend_line(struct ingest *ig, const struct ingest_unit *unit,
    const char *text, size_t len);
const char *ingest_format_name(const struct ingest *ig);
void ingest_set_format_name(struct ingest *ig, const char *name);
struct tend_cli *ingest_cli(struct ingest *ig);
/* Rejects a whole unit with a column for the message. */
void ingest_reject_at(struct ingest *ig, const struct ingest_unit *unit,
    long col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
