/* test_lines.c: the line reader (lib/lines.h), fed from a temporary file
 * (whole 128 KiB reads, so chunk boundaries fall where the test puts
 * them) or a pipe, overlong lines spilled to another temporary file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lines.h"

#define CHUNK (128 * 1024)	/* the reader's read size (lines.c) */

struct input {
	FILE *file;
	FILE *spill;
	struct tend_lines r;
	struct tend_line l;
};

/* Starts reading s[0..n) from a file with lines of at most max bytes. */
static void
open_n(struct input *in, const char *s, size_t n, size_t max)
{
	in->file = tmpfile();
	in->spill = tmpfile();
	assert_non_null(in->file);
	assert_non_null(in->spill);
	assert_int_equal(fwrite(s, 1, n, in->file), n);
	assert_int_equal(fflush(in->file), 0);
	assert_int_equal(lseek(fileno(in->file), 0, SEEK_SET), 0);
	tend_lines_init(&in->r, fileno(in->file), max, in->spill);
}

static void
open_s(struct input *in, const char *s, size_t max)
{
	open_n(in, s, strlen(s), max);
}

static void
close_input(struct input *in)
{
	tend_lines_release(&in->r);
	fclose(in->file);
	fclose(in->spill);
}

static int
next(struct input *in)
{
	return tend_lines_next(&in->r, &in->l);
}

static void
assert_line_n(struct input *in, const char *text, size_t len, long number)
{
	assert_int_equal(next(in), TEND_LINE_OK);
	assert_int_equal(in->l.len, len);
	if (len)
		assert_memory_equal(in->l.text, text, len);
	assert_int_equal(in->l.number, number);
}

static void
assert_line(struct input *in, const char *text, long number)
{
	assert_line_n(in, text, strlen(text), number);
}

static void
assert_raw(struct input *in, const char *raw, size_t len)
{
	assert_int_equal(in->l.raw_len, len);
	assert_memory_equal(in->l.raw, raw, len);
}

static void
assert_eof(struct input *in)
{
	assert_int_equal(next(in), TEND_LINE_EOF);
	assert_int_equal(next(in), TEND_LINE_EOF);
}

/* The spill file holds exactly s[0..n). */
static void
assert_spilled(struct input *in, const char *s, size_t n)
{
	char *got = malloc(n + 1);
	long size;

	assert_non_null(got);
	assert_int_equal(fflush(in->spill), 0);
	size = ftell(in->spill);
	assert_int_equal(size, (long)n);
	assert_int_equal(pread(fileno(in->spill), got, n, 0), (ssize_t)n);
	assert_memory_equal(got, s, n);
	free(got);
}

/* n bytes of c, then tail (a malloc'd string). */
static char *
repeat(char c, size_t n, const char *tail)
{
	char *s = malloc(n + strlen(tail) + 1);

	assert_non_null(s);
	memset(s, c, n);
	strcpy(s + n, tail);
	return s;
}

static void
test_lf(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "a\nbb\n\nccc\n", 100);
	assert_line(&in, "a", 1);
	assert_raw(&in, "a\n", 2);
	assert_line(&in, "bb", 2);
	assert_line(&in, "", 3);
	assert_raw(&in, "\n", 1);
	assert_line(&in, "ccc", 4);
	assert_eof(&in);
	close_input(&in);
}

static void
test_crlf(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "a\r\n\r\nx\ry\r\nz\n", 100);
	assert_line(&in, "a", 1);
	assert_raw(&in, "a\r\n", 3);
	assert_line(&in, "", 2);
	assert_line(&in, "x\ry", 3);	/* a lone CR is data */
	assert_raw(&in, "x\ry\r\n", 5);
	assert_line(&in, "z", 4);
	assert_eof(&in);
	close_input(&in);
}

static void
test_missing_final_newline(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "first\nlast", 100);
	assert_line(&in, "first", 1);
	assert_line(&in, "last", 2);
	assert_raw(&in, "last", 4);
	assert_eof(&in);
	close_input(&in);
}

static void
test_bom_first_line_only(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "\xef\xbb\xbf{}\n\xef\xbb\xbf{}\n", 100);
	assert_line(&in, "{}", 1);
	assert_raw(&in, "\xef\xbb\xbf{}\n", 6);	/* raw keeps it */
	assert_line(&in, "\xef\xbb\xbf{}", 2);
	assert_eof(&in);
	close_input(&in);
}

static void
test_bom_alone(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "\xef\xbb\xbf\r\nx\n", 100);
	assert_line(&in, "", 1);
	assert_line(&in, "x", 2);
	assert_eof(&in);
	close_input(&in);
}

static void
test_nul_bytes_are_data(void **state)
{
	struct input in;

	(void)state;
	open_n(&in, "a\0b\n\0\nc", 7, 100);
	assert_line_n(&in, "a\0b", 3, 1);
	assert_line_n(&in, "\0", 1, 2);
	assert_line(&in, "c", 3);
	assert_eof(&in);
	close_input(&in);
}

static void
test_line_of_exactly_max(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "12345678\n12345678\r\n12345678", 8);
	assert_line(&in, "12345678", 1);
	assert_line(&in, "12345678", 2);
	assert_line(&in, "12345678", 3);
	assert_eof(&in);
	assert_spilled(&in, "", 0);
	close_input(&in);
}

static void
test_line_of_max_plus_one(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "123456789\nok\n", 8);
	assert_int_equal(next(&in), TEND_LINE_TOO_LONG);
	assert_int_equal(in.l.len, 9);
	assert_int_equal(in.l.number, 1);
	assert_null(in.l.raw);
	assert_int_equal(in.l.raw_len, 0);
	assert_line(&in, "ok", 2);
	assert_eof(&in);
	assert_spilled(&in, "123456789\n", 10);
	close_input(&in);
}

static void
test_too_long_crlf_spilled_as_read(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "123456789\r\nok\r\n", 8);
	assert_int_equal(next(&in), TEND_LINE_TOO_LONG);
	assert_int_equal(in.l.len, 9);
	assert_line(&in, "ok", 2);
	assert_eof(&in);
	assert_spilled(&in, "123456789\r\n", 11);
	close_input(&in);
}

static void
test_too_long_last_line_gets_newline(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "ok\n1234567890", 8);
	assert_line(&in, "ok", 1);
	assert_int_equal(next(&in), TEND_LINE_TOO_LONG);
	assert_int_equal(in.l.len, 10);
	assert_int_equal(in.l.number, 2);
	assert_eof(&in);
	assert_spilled(&in, "1234567890\n", 11);
	close_input(&in);
}

static void
test_too_long_without_spill_file(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "1234567890\nok\n", 8);
	in.r.spill = NULL;
	assert_int_equal(next(&in), TEND_LINE_TOO_LONG);
	assert_int_equal(in.l.len, 10);
	assert_line(&in, "ok", 2);
	assert_eof(&in);
	assert_spilled(&in, "", 0);
	close_input(&in);
}

/* A line of 300 KiB (three reads) with max 1000, then normal lines. */
static void
test_overlong_line_then_normal_lines(void **state)
{
	size_t big = 300 * 1024;
	char *line = repeat('x', big, "\n");
	char *all = repeat('x', big, "\nafter\n\nlast\n");
	struct input in;

	(void)state;
	open_s(&in, all, 1000);
	assert_int_equal(next(&in), TEND_LINE_TOO_LONG);
	assert_int_equal(in.l.len, big);
	assert_int_equal(in.l.number, 1);
	assert_line(&in, "after", 2);
	assert_line(&in, "", 3);
	assert_line(&in, "last", 4);
	assert_eof(&in);
	assert_spilled(&in, line, big + 1);
	close_input(&in);
	free(line);
	free(all);
}

static void
test_two_overlong_lines_in_a_row(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "aaaaaaaaaaaa\nbbbbbbbbbbbbbbbb\r\nc\n", 4);
	assert_int_equal(next(&in), TEND_LINE_TOO_LONG);
	assert_int_equal(in.l.len, 12);
	assert_int_equal(next(&in), TEND_LINE_TOO_LONG);
	assert_int_equal(in.l.len, 16);
	assert_int_equal(in.l.number, 2);
	assert_line(&in, "c", 3);
	assert_eof(&in);
	assert_spilled(&in, "aaaaaaaaaaaa\nbbbbbbbbbbbbbbbb\r\n", 31);
	close_input(&in);
}

/* The second line starts 10 bytes before the end of the first read. */
static void
test_line_split_across_read_chunk(void **state)
{
	char *first = repeat('a', CHUNK - 11, "\n");
	char *all = repeat('a', CHUNK - 11, "\n0123456789ABCDEF\nend\n");
	struct input in;

	(void)state;
	open_s(&in, all, 1 << 20);
	assert_line_n(&in, first, CHUNK - 11, 1);
	assert_line(&in, "0123456789ABCDEF", 2);
	assert_line(&in, "end", 3);
	assert_eof(&in);
	close_input(&in);
	free(first);
	free(all);
}

/* "\r" is the last byte of the first read, "\n" the first of the next. */
static void
test_crlf_split_across_read_chunk(void **state)
{
	char *all = repeat('a', CHUNK - 1, "\r\nb\n");
	struct input in;

	(void)state;
	open_s(&in, all, 1 << 20);
	assert_line_n(&in, all, CHUNK - 1, 1);
	assert_int_equal(in.l.raw_len, CHUNK + 1);
	assert_line(&in, "b", 2);
	assert_eof(&in);
	close_input(&in);
	free(all);
}

/* The same for an overlong line: its length leaves the "\r" out. */
static void
test_too_long_crlf_split_across_read_chunk(void **state)
{
	char *line = repeat('a', CHUNK - 1, "\r\n");
	char *all = repeat('a', CHUNK - 1, "\r\nb\n");
	struct input in;

	(void)state;
	open_s(&in, all, 100);
	assert_int_equal(next(&in), TEND_LINE_TOO_LONG);
	assert_int_equal(in.l.len, CHUNK - 1);
	assert_line(&in, "b", 2);
	assert_eof(&in);
	assert_spilled(&in, line, CHUNK + 1);
	close_input(&in);
	free(line);
	free(all);
}

static void
test_peek_then_next(void **state)
{
	struct input in;
	const char *p;
	size_t n;

	(void)state;
	open_s(&in, "{\"id\":1}\nsecond\n", 100);
	assert_int_equal(tend_lines_peek(&in.r, 4, &p, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(p, "{\"id", 4);
	assert_int_equal(tend_lines_peek(&in.r, 1000, &p, &n), 0);
	assert_int_equal(n, 16);
	assert_memory_equal(p, "{\"id\":1}\nsecond\n", 16);
	assert_line(&in, "{\"id\":1}", 1);
	assert_line(&in, "second", 2);
	assert_eof(&in);
	close_input(&in);
}

static void
test_peek_more_than_a_chunk(void **state)
{
	char *all = repeat('p', CHUNK + 5000, "\nq\n");
	struct input in;
	const char *p;
	size_t n;

	(void)state;
	open_s(&in, all, 1 << 20);
	assert_int_equal(tend_lines_peek(&in.r, CHUNK + 100, &p, &n), 0);
	assert_int_equal(n, CHUNK + 100);
	assert_memory_equal(p, all, n);
	assert_line_n(&in, all, CHUNK + 5000, 1);
	assert_line(&in, "q", 2);
	assert_eof(&in);
	close_input(&in);
	free(all);
}

static void
test_empty_input(void **state)
{
	struct input in;
	const char *p;
	size_t n = 99;

	(void)state;
	open_s(&in, "", 100);
	assert_int_equal(tend_lines_peek(&in.r, 10, &p, &n), 0);
	assert_int_equal(n, 0);
	assert_non_null(p);
	assert_eof(&in);
	assert_int_equal(in.r.number, 0);
	close_input(&in);
}

static void
test_lone_newline(void **state)
{
	struct input in;

	(void)state;
	open_s(&in, "\n", 100);
	assert_line(&in, "", 1);
	assert_eof(&in);
	close_input(&in);
}

static void
test_pipe(void **state)
{
	struct tend_lines r;
	struct tend_line l;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "one\r\ntwo\n", 9), 9);
	assert_int_equal(write(fds[1], "three", 5), 5);
	close(fds[1]);
	tend_lines_init(&r, fds[0], 100, NULL);
	assert_int_equal(tend_lines_next(&r, &l), TEND_LINE_OK);
	assert_int_equal(l.len, 3);
	assert_memory_equal(l.text, "one", 3);
	assert_int_equal(tend_lines_next(&r, &l), TEND_LINE_OK);
	assert_memory_equal(l.text, "two", 3);
	assert_int_equal(tend_lines_next(&r, &l), TEND_LINE_OK);
	assert_int_equal(l.len, 5);
	assert_memory_equal(l.text, "three", 5);
	assert_int_equal(tend_lines_next(&r, &l), TEND_LINE_EOF);
	tend_lines_release(&r);
	close(fds[0]);
}

static void
test_read_error(void **state)
{
	struct tend_lines r;
	struct tend_line l;
	const char *p;
	size_t n;

	(void)state;
	tend_lines_init(&r, -1, 100, NULL);
	errno = 0;
	assert_int_equal(tend_lines_next(&r, &l), TEND_LINE_ERROR);
	assert_int_equal(errno, EBADF);
	assert_int_equal(tend_lines_peek(&r, 10, &p, &n), -1);
	tend_lines_release(&r);
}

static FILE *pending_out;

static void
flush_pending(void)
{
	fflush(pending_out);
}

/* Output waiting to be flushed is written before the reader reads. */
static void
test_flush_before_read(void **state)
{
	struct input in;
	FILE *out = tmpfile();

	(void)state;
	assert_non_null(out);
	open_s(&in, "x\n", 100);
	pending_out = out;
	in.r.flush = flush_pending;
	fputs("pending", out);
	assert_line(&in, "x", 1);
	assert_int_equal(lseek(fileno(out), 0, SEEK_END), 7);
	close_input(&in);
	fclose(out);
}

static void
test_blank(void **state)
{
	(void)state;
	assert_true(tend_blank("", 0));
	assert_true(tend_blank(" \t\r\n", 4));
	assert_false(tend_blank(" x ", 3));
	assert_false(tend_blank("{}", 2));
	assert_false(tend_blank("\v", 1));	/* only space, tab, CR, LF */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_lf),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_missing_final_newline),
		cmocka_unit_test(test_bom_first_line_only),
		cmocka_unit_test(test_bom_alone),
		cmocka_unit_test(test_nul_bytes_are_data),
		cmocka_unit_test(test_line_of_exactly_max),
		cmocka_unit_test(test_line_of_max_plus_one),
		cmocka_unit_test(test_too_long_crlf_spilled_as_read),
		cmocka_unit_test(test_too_long_last_line_gets_newline),
		cmocka_unit_test(test_too_long_without_spill_file),
		cmocka_unit_test(test_overlong_line_then_normal_lines),
		cmocka_unit_test(test_two_overlong_lines_in_a_row),
		cmocka_unit_test(test_line_split_across_read_chunk),
		cmocka_unit_test(test_crlf_split_across_read_chunk),
		cmocka_unit_test(test_too_long_crlf_split_across_read_chunk),
		cmocka_unit_test(test_peek_then_next),
		cmocka_unit_test(test_peek_more_than_a_chunk),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_lone_newline),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_flush_before_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
