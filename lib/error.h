/* error.h: what went wrong, and where, without printing.
 *
 * Library functions that can fail fill a struct tend_error, as jansson fills
 * json_error_t; the tool decides how to report it (cli.h).  line and col are
 * 1-based, 0 when unknown; file is "" when unknown.
 */
#ifndef TEND_ERROR_H
#define TEND_ERROR_H

#define TEND_ERROR_FILE 256
#define TEND_ERROR_TEXT 320

struct tend_error {
	char file[TEND_ERROR_FILE];
	long line;
	long col;
	char text[TEND_ERROR_TEXT];
};

/* Sets all of *err (err may be NULL); text is printf-style. */
void tend_error_set(struct tend_error *err, const char *file, long line,
    long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Sets err's text only, leaving where it is to the caller (err may be
 * NULL); text is printf-style. */
void tend_error_text(struct tend_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes "FILE:LINE:COL: " (the parts known) into out; returns out. */
const char *tend_error_where(const struct tend_error *err, char *out,
    size_t size);

/* Quotes a value from the input for a message: at most max bytes, control
 * characters and quotes escaped, "..." when cut.  Returns out. */
const char *tend_error_quote(const char *s, size_t n, char *out, size_t size);

#endif
