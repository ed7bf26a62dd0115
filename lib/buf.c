#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"

static char empty[1];

void
tend_buf_init(struct tend_buf *b)
{
	b->data = empty;
	b->len = 0;
	b->cap = 0;
}

void
tend_buf_release(struct tend_buf *b)
{
	if (b->cap)
		free(b->data);
	tend_buf_init(b);
}

void
tend_buf_reset(struct tend_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

void
tend_buf_grow(struct tend_buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;

	if (want <= b->cap)
		return;
	if (!b->cap) {
		b->data = NULL;
		tend_xgrow((void **)&b->data, &b->cap, want < 64 ? 64 : want, 1);
		b->data[0] = '\0';
	} else
		tend_xgrow((void **)&b->data, &b->cap, want, 1);
}

void
tend_buf_add(struct tend_buf *b, const void *p, size_t n)
{
	tend_buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
tend_buf_addc(struct tend_buf *b, char c)
{
	tend_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void
tend_buf_adds(struct tend_buf *b, const char *s)
{
	tend_buf_add(b, s, strlen(s));
}

void
tend_buf_printf(struct tend_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->cap ? b->data + b->len : NULL,
	    b->cap ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		tend_buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

char *
tend_buf_detach(struct tend_buf *b)
{
	char *p = b->cap ? b->data : tend_xstrdup("");

	tend_buf_init(b);
	return p;
}

int
tend_buf_read_file(struct tend_buf *b, const char *path, size_t max)
{
	char chunk[65536];
	size_t got;
	FILE *f = fopen(path, "rb");
	int e = 0;

	if (!f)
		return -1;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		tend_buf_add(b, chunk, got);
		if (b->len > max) {
			e = EFBIG;
			break;
		}
	}
	if (!e && ferror(f))
		e = errno ? errno : EIO;
	fclose(f);
	tend_buf_grow(b, 1);	/* data is never NULL on success */
	errno = e;
	return e ? -1 : 0;
}
