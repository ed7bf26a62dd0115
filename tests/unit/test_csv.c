/* test_csv.c: the CSV reader (lib/csv.h), fed through a pipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "csv.h"

struct reader {
	int fd;
	FILE *spill;
	struct tend_lines lines;
	struct tend_csv csv;
	struct tend_csv_row row;
	struct tend_error err;
};

/* Starts reading n bytes of s (less than a pipe holds) with lines of at
 * most max bytes, overlong lines spilled to a temporary file. */
static void
start_n(struct reader *r, const char *s, size_t n, size_t max)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], s, n), (ssize_t)n);
	close(fds[1]);
	r->fd = fds[0];
	r->spill = tmpfile();
	assert_non_null(r->spill);
	tend_lines_init(&r->lines, r->fd, max, r->spill);
	tend_csv_init(&r->csv, &r->lines, ',');
}

static void
start(struct reader *r, const char *s)
{
	start_n(r, s, strlen(s), 1024);
}

static void
finish(struct reader *r)
{
	tend_csv_release(&r->csv);
	tend_lines_release(&r->lines);
	fclose(r->spill);
	close(r->fd);
}

static int
next(struct reader *r)
{
	return tend_csv_next(&r->csv, &r->row, &r->err);
}

static void
assert_field(const struct reader *r, size_t i, const char *want)
{
	assert_true(i < r->row.n);
	assert_int_equal(r->row.lens[i], strlen(want));
	assert_memory_equal(r->row.fields[i], want, strlen(want) + 1);
}

static void
assert_raw(const struct reader *r, const char *want)
{
	assert_non_null(r->row.raw);
	assert_int_equal(r->row.raw_len, strlen(want));
	assert_memory_equal(r->row.raw, want, strlen(want));
}

static void
test_plain_rows(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "a,b,c\n1,2,3\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 3);
	assert_int_equal(r.row.line, 1);
	assert_field(&r, 0, "a");
	assert_field(&r, 2, "c");
	assert_raw(&r, "a,b,c\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.line, 2);
	assert_field(&r, 1, "2");
	assert_int_equal(next(&r), 0);
	assert_int_equal(next(&r), 0);
	finish(&r);
}

static void
test_quotes(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "\"a, b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 4);
	assert_field(&r, 0, "a, b");
	assert_field(&r, 1, "say \"hi\"");
	assert_field(&r, 2, "");
	assert_field(&r, 3, "\"");
	finish(&r);
}

static void
test_lenient_quotes(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "ab\"c,d\"e\",\"abc\"def,x\"\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 4);
	assert_field(&r, 0, "ab\"c");
	assert_field(&r, 1, "d\"e\"");
	assert_field(&r, 2, "abcdef");
	assert_field(&r, 3, "x\"");
	finish(&r);
}

static void
test_newline_in_quotes(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "1,\"line one\nline two\n\",x\n2,y\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.line, 1);
	assert_int_equal(r.row.n, 3);
	assert_field(&r, 1, "line one\nline two\n");
	assert_field(&r, 2, "x");
	assert_raw(&r, "1,\"line one\nline two\n\",x\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.line, 4);
	assert_field(&r, 0, "2");
	assert_raw(&r, "2,y\n");
	assert_int_equal(next(&r), 0);
	finish(&r);
}

static void
test_crlf(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "1,\"a\r\nb\"\r\n2,c\r\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 2);
	assert_field(&r, 1, "a\r\nb");
	assert_raw(&r, "1,\"a\r\nb\"\r\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.line, 3);
	assert_field(&r, 1, "c");
	assert_raw(&r, "2,c\r\n");
	assert_int_equal(next(&r), 0);
	finish(&r);
}

static void
test_empty_fields(void **state)
{
	struct reader r;

	(void)state;
	start(&r, ",,\na,,b\na,b,\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 3);
	assert_field(&r, 0, "");
	assert_field(&r, 2, "");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 3);
	assert_field(&r, 1, "");
	assert_field(&r, 2, "b");
	assert_int_equal(next(&r), 1);	/* trailing empty field */
	assert_int_equal(r.row.n, 3);
	assert_field(&r, 1, "b");
	assert_field(&r, 2, "");
	finish(&r);
}

static void
test_blank_lines_skipped(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "a\n\n\r\nb\n\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.line, 1);
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.line, 4);
	assert_field(&r, 0, "b");
	assert_int_equal(next(&r), 0);
	finish(&r);
}

static void
test_no_final_newline(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "a,b\nc,\"d\"");
	assert_int_equal(next(&r), 1);
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 2);
	assert_field(&r, 1, "d");
	assert_raw(&r, "c,\"d\"");
	assert_int_equal(next(&r), 0);
	finish(&r);
}

static void
test_bom(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "\xef\xbb\xbfid,text\n\"1\",x\n");
	assert_int_equal(next(&r), 1);
	assert_field(&r, 0, "id");
	assert_raw(&r, "\xef\xbb\xbfid,text\n");
	assert_int_equal(next(&r), 1);
	assert_field(&r, 0, "1");
	finish(&r);
}

static void
test_nul_bytes(void **state)
{
	struct reader r;

	(void)state;
	start_n(&r, "a\0b,\"c\0\"\n", 9, 1024);
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 2);
	assert_int_equal(r.row.lens[0], 3);
	assert_memory_equal(r.row.fields[0], "a\0b", 4);
	assert_int_equal(r.row.lens[1], 2);
	finish(&r);
}

static void
test_unterminated_quote_at_eof(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "h\nx,\"open\nmore\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(next(&r), -1);
	assert_int_equal(r.row.line, 2);
	assert_int_equal(r.err.line, 2);
	assert_int_equal(r.err.col, 3);
	assert_string_equal(r.err.text,
	    "quoted field not closed at the end of the input");
	assert_raw(&r, "x,\"open\nmore\n");
	assert_int_equal(next(&r), 0);
	finish(&r);
}

static void
test_open_quote_resynchronises(void **state)
{
	struct reader r;
	const char *in = "1,\"aaaaaaaa\nbbbbbbbbbb\nccc\n2,ok\n";

	(void)state;
	start_n(&r, in, strlen(in), 16);
	assert_int_equal(next(&r), -1);
	assert_int_equal(r.row.line, 1);
	assert_int_equal(r.err.line, 1);
	assert_int_equal(r.err.col, 3);
	assert_string_equal(r.err.text,
	    "quoted field not closed within --max-record (16 bytes)");
	assert_raw(&r, "1,\"aaaaaaaa\nbbbbbbbbbb\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.line, 3);
	assert_field(&r, 0, "ccc");
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.line, 4);
	assert_field(&r, 1, "ok");
	assert_int_equal(next(&r), 0);
	finish(&r);
}

static void
test_overlong_line(void **state)
{
	struct reader r;
	const char *in = "short\nthis line is too long\nok\n";
	char spilled[64];
	size_t n;

	(void)state;
	start_n(&r, in, strlen(in), 8);
	assert_int_equal(next(&r), 1);
	assert_int_equal(next(&r), -1);
	assert_null(r.row.raw);
	assert_int_equal(r.row.line, 2);
	assert_int_equal(r.err.line, 2);
	assert_string_equal(r.err.text,
	    "row too long (21 bytes, --max-record is 8)");
	assert_int_equal(next(&r), 1);
	assert_field(&r, 0, "ok");
	assert_int_equal(next(&r), 0);
	rewind(r.spill);
	n = fread(spilled, 1, sizeof(spilled), r.spill);
	assert_int_equal(n, 22);
	assert_memory_equal(spilled, "this line is too long\n", 22);
	finish(&r);
}

static void
test_overlong_line_in_quotes(void **state)
{
	struct reader r;
	const char *in = "a,\"b\nthis line is too long\nc\"\nok\n";

	(void)state;
	start_n(&r, in, strlen(in), 8);
	assert_int_equal(next(&r), -1);
	assert_int_equal(r.err.line, 1);
	assert_int_equal(r.err.col, 3);
	assert_raw(&r, "a,\"b\n");
	assert_int_equal(next(&r), 1);	/* resynchronised: c" is a row */
	assert_field(&r, 0, "c\"");
	assert_int_equal(next(&r), 1);
	assert_field(&r, 0, "ok");
	finish(&r);
}

static void
test_spanning_row_too_long(void **state)
{
	struct reader r;
	const char *in = "\"abcdef\nghi\",x\ny\n";

	(void)state;
	start_n(&r, in, strlen(in), 10);
	assert_int_equal(next(&r), -1);
	assert_int_equal(r.err.line, 1);
	assert_string_equal(r.err.text,
	    "row too long (14 bytes, --max-record is 10)");
	assert_raw(&r, "\"abcdef\nghi\",x\n");
	assert_int_equal(next(&r), 1);
	assert_field(&r, 0, "y");
	finish(&r);
}

static void
test_read_error(void **state)
{
	struct tend_lines lines;
	struct tend_csv csv;
	struct tend_csv_row row;
	struct tend_error err;

	(void)state;
	tend_lines_init(&lines, -1, 1024, NULL);
	tend_csv_init(&csv, &lines, ',');
	assert_int_equal(tend_csv_next(&csv, &row, &err), -1);
	assert_int_equal(strncmp(err.text, "read error", 10), 0);
	assert_null(row.raw);
	tend_csv_release(&csv);
	tend_lines_release(&lines);
}

static void
test_delimiter(void **state)
{
	struct reader r;

	(void)state;
	start(&r, "a;\"b;c\";d\n");
	r.csv.delimiter = ';';
	assert_int_equal(next(&r), 1);
	assert_int_equal(r.row.n, 3);
	assert_field(&r, 1, "b;c");
	finish(&r);
}

static void
test_many_rows(void **state)
{
	struct reader r;
	char in[8192];
	size_t n = 0;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n,
		    "%d,\"x\ny\",%d\n", i, i * 2);
	start_n(&r, in, n, 1024);
	for (i = 0; i < 200; i++) {
		char want[16];

		assert_int_equal(next(&r), 1);
		assert_int_equal(r.row.line, 2 * i + 1);
		snprintf(want, sizeof(want), "%d", i * 2);
		assert_field(&r, 2, want);
		assert_field(&r, 1, "x\ny");
	}
	assert_int_equal(next(&r), 0);
	finish(&r);
}

static void
test_column(void **state)
{
	struct reader r;

	(void)state;
	start(&r, " Tweet_ID ,text,TEXT,\"\"\n");
	assert_int_equal(next(&r), 1);
	assert_int_equal(tend_csv_column(&r.row, "text"), 1);
	assert_int_equal(tend_csv_column(&r.row, "TEXT"), 2);
	assert_int_equal(tend_csv_column(&r.row, "Text"), 1);
	assert_int_equal(tend_csv_column(&r.row, "tweet_id"), 0);
	assert_int_equal(tend_csv_column(&r.row, " text "), 1);
	assert_int_equal(tend_csv_column(&r.row, "tweet"), -1);
	assert_int_equal(tend_csv_column(&r.row, "nope"), -1);
	assert_int_equal(tend_csv_column(&r.row, ""), 3);
	finish(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_rows),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_lenient_quotes),
		cmocka_unit_test(test_newline_in_quotes),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_blank_lines_skipped),
		cmocka_unit_test(test_no_final_newline),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_unterminated_quote_at_eof),
		cmocka_unit_test(test_open_quote_resynchronises),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_overlong_line_in_quotes),
		cmocka_unit_test(test_spanning_row_too_long),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_delimiter),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_column),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
