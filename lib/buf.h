/* buf.h: a growable byte buffer, always NUL-terminated (git's strbuf).
 *
 * Embedded: tend_buf_init() before use, tend_buf_release() to free.  The
 * buffer owns data; tend_buf_detach() hands it to the caller.  Growth goes
 * through tend_xrealloc, so these never fail.
 */
#ifndef TEND_BUF_H
#define TEND_BUF_H

#include <stddef.h>

struct tend_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define TEND_BUF_INIT { NULL, 0, 0 }

void tend_buf_init(struct tend_buf *b);
void tend_buf_release(struct tend_buf *b);
void tend_buf_reset(struct tend_buf *b);
void tend_buf_grow(struct tend_buf *b, size_t extra);
void tend_buf_add(struct tend_buf *b, const void *p, size_t n);
void tend_buf_addc(struct tend_buf *b, char c);
void tend_buf_adds(struct tend_buf *b, const char *s);
void tend_buf_printf(struct tend_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends the whole file at path to b (its configuration files: rules,
 * policies, calendars).  Returns 0, or -1 with errno set (EFBIG when the
 * file is longer than max bytes; b then holds what was read). */
int tend_buf_read_file(struct tend_buf *b, const char *path, size_t max);

/* Returns the malloc'd string (caller frees) and leaves b empty. */
char *tend_buf_detach(struct tend_buf *b);

#endif
