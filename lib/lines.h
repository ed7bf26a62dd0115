/* lines.h: a line reader for record streams.
 *
 * Reads a file descriptor line by line with its own buffer: any line length
 * up to max; "\n" or "\r\n" endings; a UTF-8 byte order mark at the start of
 * the stream is skipped; a last line without a newline is still a line; NUL
 * bytes are data.  A line longer than max is not buffered whole: its bytes
 * are copied to the spill file as they are read (the tool's --rejects file,
 * so it is kept byte for byte) and tend_lines_next() reports it as too long.
 *
 * The tend_line returned points into the reader's buffer and is valid until
 * the next call.  When flush is set, it is called before every read(2), so
 * output is never held back while the reader waits for input.
 */
#ifndef TEND_LINES_H
#define TEND_LINES_H

#include <stddef.h>
#include <stdio.h>

enum tend_line_status {
	TEND_LINE_OK,
	TEND_LINE_EOF,
	TEND_LINE_TOO_LONG,	/* skipped; see tend_line.len */
	TEND_LINE_ERROR		/* read error; errno is set */
};

struct tend_line {
	const char *text;	/* the line, without terminator or BOM */
	size_t len;		/* its length; for TOO_LONG, the whole length */
	const char *raw;	/* the bytes as read, with their terminator */
	size_t raw_len;		/* (NULL and 0 for TOO_LONG) */
	long number;		/* 1-based */
};

struct tend_lines {
	int fd;
	size_t max;
	FILE *spill;
	void (*flush)(void);
	char *buf;
	size_t cap, start, scan, end;
	long number;
	int eof;
};

/* Starts reading fd (not closed by the reader) with lines of at most max
 * bytes; spill may be NULL (an overlong line is then only skipped). */
void tend_lines_init(struct tend_lines *r, int fd, size_t max, FILE *spill);
void tend_lines_release(struct tend_lines *r);

/* Makes the next want bytes (or all that remain) available without
 * consuming them: *p and *n point at them.  Returns 0, -1 on a read error. */
int tend_lines_peek(struct tend_lines *r, size_t want, const char **p,
    size_t *n);

/* 1 when s[0..n) holds only spaces, tabs, CR or LF: a blank line, which
 * every tool skips (it is no record, and is not counted as one). */
int tend_blank(const char *s, size_t n);

/* Reads the next line into *line; returns an enum tend_line_status. */
int tend_lines_next(struct tend_lines *r, struct tend_line *line);

#endif
