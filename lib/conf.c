/* conf.c: the shared parts of the configuration parsers (conf.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

static int
ends_word(char c, enum tend_word_ends ends)
{
	return c == ' ' || c == '\t' || (ends != TEND_WORD_BLANKS && c == ',');
}

int
tend_conf_word(const char *line, size_t *pos, enum tend_word_ends ends,
    struct tend_word *w)
{
	size_t i = *pos;

	while (line[i] == ' ' || line[i] == '\t' ||
	    (ends == TEND_WORD_COMMAS && line[i] == ','))
		i++;
	if (!line[i])
		return 0;
	w->s = line + i;
	w->col = tend_conf_column(line, i);
	while (line[i] && !ends_word(line[i], ends))
		i++;
	/* TEND_WORD_COMMA: a comma alone is a word */
	if (i == (size_t)(w->s - line))
		i++;
	w->n = (size_t)(line + i - w->s);
	*pos = i;
	return 1;
}

int
tend_word_is(const struct tend_word *w, const char *s)
{
	return strlen(s) == w->n && memcmp(w->s, s, w->n) == 0;
}

const char *
tend_word_quote(const struct tend_word *w, char *buf, size_t size)
{
	return tend_error_quote(w->s, w->n, buf, size);
}

long
tend_conf_column(const char *line, size_t off)
{
	long col = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			col++;
	return col;
}

int
tend_conf_line(const char *text, size_t n, size_t *pos,
    struct tend_buf *line)
{
	const char *start = text + *pos;
	const char *nl = memchr(start, '\n', n - *pos);
	size_t len = nl ? (size_t)(nl - start) : n - *pos;

	tend_buf_reset(line);
	tend_buf_add(line, start, len);
	*pos += nl ? len + 1 : len;
	return memchr(start, '\0', len) ? -1 : 0;
}

int
tend_conf_read(const char *path, size_t max, const char *what,
    struct tend_buf *text, struct tend_buf *dir, struct tend_error *err)
{
	const char *slash = strrchr(path, '/');

	if (tend_buf_read_file(text, path, max) == 0) {
		if (dir && slash)
			tend_buf_add(dir, path, (size_t)(slash - path));
		else if (dir)
			tend_buf_adds(dir, ".");
		return 0;
	}
	if (errno == EFBIG)
		tend_error_set(err, path, 0, 0, "%s larger than %zuM", what,
		    max >> 20);
	else
		tend_error_set(err, path, 0, 0, "%s", strerror(errno));
	return -1;
}

int
tend_conf_fail(const char *path, long line, struct tend_error *err,
    long col, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	tend_error_set(err, path, line, col, "%s", "");
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -1;
}
