/* test_conf.c: what the configuration parsers share (lib/conf.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "conf.h"

/* The words of line as "word@col|...". */
static void
assert_words(const char *line, enum tend_word_ends ends, const char *want)
{
	struct tend_buf b = TEND_BUF_INIT;
	struct tend_word w;
	size_t pos = 0;

	tend_buf_adds(&b, "");
	while (tend_conf_word(line, &pos, ends, &w))
		tend_buf_printf(&b, "%.*s@%ld|", (int)w.n, w.s, w.col);
	assert_string_equal(b.data, want);
	tend_buf_release(&b);
}

static void
test_words(void **state)
{
	(void)state;
	assert_words("  team  care\t x", TEND_WORD_BLANKS,
	    "team@3|care@9|x@15|");
	assert_words("a,b c", TEND_WORD_BLANKS, "a,b@1|c@5|");
	assert_words("keys topic, hashtag ,term", TEND_WORD_COMMAS,
	    "keys@1|topic@6|hashtag@13|term@22|");
	assert_words("a, b ,c", TEND_WORD_COMMA, "a@1|,@2|b@4|,@6|c@7|");
	assert_words("", TEND_WORD_COMMAS, "");
	assert_words(" \t ", TEND_WORD_BLANKS, "");
}

/* Columns count characters, not bytes: what an editor shows. */
static void
test_columns(void **state)
{
	(void)state;
	assert_int_equal(tend_conf_column("abc", 0), 1);
	assert_int_equal(tend_conf_column("abc", 2), 3);
	assert_int_equal(tend_conf_column("\xc4\x8d\xc5\xbe x", 5), 4);
	assert_words("\xc4\x8dlan x", TEND_WORD_BLANKS,
	    "\xc4\x8dlan@1|x@6|");
}

static void
test_word_is_and_quote(void **state)
{
	struct tend_word w = { "teamX", 4, 1 };
	char q[16];

	(void)state;
	assert_true(tend_word_is(&w, "team"));
	assert_false(tend_word_is(&w, "tea"));
	assert_false(tend_word_is(&w, "teamX"));
	w.s = "a\x1b" "b";
	w.n = 3;
	assert_string_equal(tend_word_quote(&w, q, sizeof(q)), "a\\x1bb");
}

static void
test_fail(void **state)
{
	struct tend_error err;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(tend_conf_fail("x.routes", 3, &err, 7, "bad '%s'",
	    "y"), -1);
	assert_string_equal(err.file, "x.routes");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.col, 7);
	assert_string_equal(err.text, "bad 'y'");
	assert_int_equal(tend_conf_fail("x", 1, NULL, 1, "ignored"), -1);
}

static void
test_read(void **state)
{
	char path[] = "/tmp/test_conf.XXXXXX";
	struct tend_buf text = TEND_BUF_INIT, dir = TEND_BUF_INIT;
	struct tend_error err;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "team care\n", 10), 10);
	close(fd);
	assert_int_equal(tend_conf_read(path, 1 << 20, "routes file", &text,
	    &dir, &err), 0);
	assert_string_equal(text.data, "team care\n");
	assert_string_equal(dir.data, "/tmp");
	tend_buf_reset(&text);
	assert_int_equal(tend_conf_read(path, 4, "routes file", &text, NULL,
	    &err), -1);
	assert_string_equal(err.text, "routes file larger than 0M");
	unlink(path);
	tend_buf_reset(&text);
	assert_int_equal(tend_conf_read(path, 1 << 20, "routes file", &text,
	    NULL, &err), -1);
	assert_string_equal(err.text, "No such file or directory");
	assert_string_equal(err.file, path);
	tend_buf_release(&text);
	tend_buf_release(&dir);
}

/* Lines one at a time: the last may lack its newline; a NUL is caught. */
static void
test_lines(void **state)
{
	static const char text[] = "a b\n\nlast";
	static const char nul[] = "x\0y\nz";
	struct tend_buf line = TEND_BUF_INIT;
	size_t pos = 0;

	(void)state;
	assert_int_equal(tend_conf_line(text, sizeof(text) - 1, &pos, &line),
	    0);
	assert_string_equal(line.data, "a b");
	assert_int_equal(tend_conf_line(text, sizeof(text) - 1, &pos, &line),
	    0);
	assert_string_equal(line.data, "");
	assert_int_equal(tend_conf_line(text, sizeof(text) - 1, &pos, &line),
	    0);
	assert_string_equal(line.data, "last");
	assert_int_equal(pos, sizeof(text) - 1);
	pos = 0;
	assert_int_equal(tend_conf_line(nul, sizeof(nul) - 1, &pos, &line),
	    -1);
	assert_int_equal(line.len, 3);
	assert_int_equal(pos, 4);
	tend_buf_release(&line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_word_is_and_quote),
		cmocka_unit_test(test_fail),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
