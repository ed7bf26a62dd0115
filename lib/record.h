/* record.h: the tend post v1 record (tend-post(5)), read and written.
 *
 * A record is one JSON object on one line.  tend_record_parse() parses and
 * validates it; a stage then adds or replaces its own object with
 * tend_record_set(), and tend_record_write() splices the changes into the
 * original bytes, so every field the stage did not touch passes through
 * byte for byte and the cost stays close to parsing alone.
 */
#ifndef TEND_RECORD_H
#define TEND_RECORD_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "jview.h"
#include "timestamp.h"

struct tend_record_edit {
	char *key;	/* a top-level member name, plain ASCII */
	char *value;	/* its new value, compact JSON */
};

struct tend_record {
	json_t *root;		/* owned: the parsed object; NULL after a
				 * tend_record_scan() that took the fast path */
	struct tend_jview view;	/* the line's index on the fast path */
	const char *line;	/* borrowed: the bytes parsed */
	size_t len;
	struct tend_time created_at;
	struct tend_record_edit *edits;
	size_t nedits, edits_cap;
};

/* The values the closed vocabularies of tend-post(5) allow, NULL-ended. */
extern const char *const tend_channels[];
extern const char *const tend_kinds[];
extern const char *const tend_actors[];
extern const char *const tend_visibilities[];
extern const char *const tend_scales[];		/* of a survey's score */

void tend_record_init(struct tend_record *r);
/* Frees the parsed object and the edits; r can be parsed into again. */
void tend_record_release(struct tend_record *r);

/* Parses line[0..len) (no terminator) into r and validates it as a post
 * v1 record.  A created_at that is not in canonical UTC form is queued as
 * an edit, so the record is written normalised.  Returns 0, or -1 with
 * err->text (and err->col when the JSON itself is bad) set; err->file and
 * err->line are left to the caller. */
int tend_record_parse(struct tend_record *r, const char *line, size_t len,
    struct tend_error *err);

/* As tend_record_parse(), for stages that only read a few fields: a line
 * that is plainly a valid record (the view in jview.h says so, with a
 * canonical created_at) is indexed without building r->root, several
 * times faster; any other line goes through tend_record_parse(), which
 * decides and says why.  Read the fields with the accessors below, which
 * work on either path; tend_record_set() needs r->root (use
 * tend_record_set_raw()). */
int tend_record_scan(struct tend_record *r, const char *line, size_t len,
    struct tend_error *err);

/* The string at a dotted path ("author.handle"), decoded, copied into buf
 * (reset first, NUL-terminated); returns buf->data, or NULL when absent or
 * not a string. */
const char *tend_record_get_str(struct tend_record *r, const char *path,
    struct tend_buf *buf);

/* The integer at path into *out: 0, or -1 when absent or not one. */
int tend_record_get_int(struct tend_record *r, const char *path,
    long long *out);

/* The number (integer or not) at path into *out: 0, or -1 when absent or
 * not a number. */
int tend_record_get_num(struct tend_record *r, const char *path,
    double *out);

/* 1 when the value at path is true. */
int tend_record_is_true(struct tend_record *r, const char *path);

/* Calls fn with each string of the array at path (s[0..n), valid during
 * the call only; not NUL-terminated). */
void tend_record_each_str(struct tend_record *r, const char *path,
    void (*fn)(void *arg, const char *s, size_t n), void *arg);

/* Checks that root is a valid post v1 record; fills *created_at.  Returns 0
 * or -1 with err->text set.  Used for records built in memory too. */
int tend_record_validate(json_t *root, struct tend_time *created_at,
    struct tend_error *err);

/* Sets top-level member key to value (reference stolen), in the parsed
 * object and in what tend_record_write() will write. */
void tend_record_set(struct tend_record *r, const char *key, json_t *value);

/* Sets top-level member key to the compact JSON text json[0..n) in what
 * tend_record_write() will write, leaving the parsed object as it was: for
 * a stage that builds its object as text, without a json_t. */
void tend_record_set_raw(struct tend_record *r, const char *key,
    const char *json, size_t n);

/* Appends the record, with its edits, and a newline to out. */
void tend_record_write(const struct tend_record *r, struct tend_buf *out);

/* jansson's message in jerr, with the input it quotes made safe for a
 * terminal (control bytes as \xNN), into out; returns out.  Every tool
 * prints jansson's messages through it. */
#define TEND_JSON_ERROR_TEXT (JSON_ERROR_TEXT_LENGTH * 4)
const char *tend_json_error_text(const json_error_t *jerr, char *out,
    size_t size);

/* Appends root as one compact line (member order kept) to out. */
void tend_record_dump(const json_t *root, struct tend_buf *out);

/* Appends s[0..n) (valid UTF-8) to out as a JSON string, quoted, with
 * '"', '\\' and control characters escaped: for stages that write their
 * object as text. */
void tend_json_add_string(struct tend_buf *out, const char *s, size_t n);

/* Borrowed string at a dotted path ("author.handle"), or NULL. */
const char *tend_record_str(const json_t *root, const char *path);

/* 1 when s is one of the NULL-ended list. */
int tend_word_in(const char *s, const char *const *list);

#endif
