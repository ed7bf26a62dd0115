/* Unit tests for lib/html: one test per rule of tend_html_to_text() and
 * tend_html_decode_entities(), and the anchors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "html.h"
#include "utf8.h"

static struct tend_buf out = TEND_BUF_INIT;

/* The text of html[0..n), checked to be valid UTF-8 without NUL. */
static const char *
text_n(const char *html, size_t n)
{
	tend_buf_reset(&out);
	tend_html_to_text(html, n, &out);
	assert_int_equal(tend_utf8_check(out.data, out.len), out.len);
	assert_int_equal(strlen(out.data), out.len);
	return out.data;
}

static const char *
text(const char *html)
{
	return text_n(html, strlen(html));
}

static const char *
decode(const char *s, size_t *count)
{
	size_t k;

	tend_buf_reset(&out);
	k = tend_html_decode_entities(s, strlen(s), &out);
	if (count)
		*count = k;
	assert_int_equal(tend_utf8_check(out.data, out.len), out.len);
	return out.data;
}

static void
test_tags_removed(void **state)
{
	assert_string_equal(text("a <b>bold</b> and <i class=\"x\">it</i>"),
	    "a bold and it");
	assert_string_equal(text("<span>x</span><span>y</span>"), "xy");
	assert_string_equal(text("<a href=\"a>b\" title='>'>link</a>"),
	    "link");
	assert_string_equal(text(""), "");
	assert_string_equal(text("<p></p>"), "");
}

static void
test_br(void **state)
{
	assert_string_equal(text("one<br>two<br/>three<BR />four"),
	    "one\ntwo\nthree\nfour");
	assert_string_equal(text("a<br><br>b"), "a\n\nb");
	assert_string_equal(text("a <br> b"), "a\nb");
	assert_string_equal(text("<br>a<br>"), "a");
}

static void
test_paragraphs(void **state)
{
	assert_string_equal(text("<p>one</p><p>two</p>"), "one\n\ntwo");
	assert_string_equal(text("<p>one</p>\n\n  <p>two</p>\n"),
	    "one\n\ntwo");
	assert_string_equal(text("<div>a</div><div>b</div>"), "a\n\nb");
	assert_string_equal(text("<ul><li>a</li><li>b</li></ul>"), "a\n\nb");
	assert_string_equal(text("<h1>T</h1>body"), "T\n\nbody");
	assert_string_equal(text("<h6>T</h6>body"), "T\n\nbody");
	assert_string_equal(text("<blockquote>q</blockquote>a"), "q\n\na");
	assert_string_equal(text("<table><tr><td>a</td><td>b</td></tr>"
	    "<tr><td>c</td></tr></table>"), "a b\n\nc");
	assert_string_equal(text("before<p>in</p>after"),
	    "before\n\nin\n\nafter");
	assert_string_equal(text("<p>a<br></p><p>b</p>"), "a\n\nb");
	assert_string_equal(text("<p></p><p></p><p>a</p><p></p>"), "a");
}

static void
test_dropped(void **state)
{
	assert_string_equal(text("a<script>alert('<p>x</p>')</script>b"),
	    "ab");
	assert_string_equal(text("a<style type=\"text/css\">p{}</style>b"),
	    "ab");
	assert_string_equal(text("a<SCRIPT>x</ScRiPt >b"), "ab");
	assert_string_equal(text("a<script>x</scripts>y</script>b"), "ab");
	assert_string_equal(text("a<!-- <p>hidden</p> -->b"), "ab");
	assert_string_equal(text("a<!-->b<!--->c"), "abc");
	assert_string_equal(text("<!DOCTYPE html><title>t</title>a"), "a");
	assert_string_equal(text("a<?xml version=\"1.0\"?>b"), "ab");
	assert_string_equal(text("a<script>never closed"), "a");
	assert_string_equal(text("a<!-- never closed"), "a");
}

static void
test_invisible_spans(void **state)
{
	/* How Mastodon writes a long link: the whole address comes out */
	assert_string_equal(text("<p>see <a href=\"https://example.com/very/"
	    "long/path\" rel=\"nofollow noopener\" target=\"_blank\">"
	    "<span class=\"invisible\">https://</span>"
	    "<span class=\"ellipsis\">example.com/very/lon</span>"
	    "<span class=\"invisible\">g/path</span></a></p>"),
	    "see https://example.com/very/long/path");
	/* mentions and hashtags */
	assert_string_equal(text("<p><span class=\"h-card\"><a href=\""
	    "https://mastodon.social/@acme\" class=\"u-url mention\">@"
	    "<span>acme</span></a></span> hi <a href=\"https://mastodon."
	    "social/tags/help\" class=\"mention hashtag\" rel=\"tag\">#"
	    "<span>help</span></a></p>"),
	    "@acme hi #help");
}

static void
test_whitespace(void **state)
{
	assert_string_equal(text("  a \t\n b\r\n  c  "), "a b c");
	assert_string_equal(text("a<b> b </b>c"), "a b c");
	assert_string_equal(text("a&#10;&#32;b"), "a b");
	assert_string_equal(text("a&nbsp;&nbsp;b"), "a\xc2\xa0\xc2\xa0" "b");
	assert_string_equal(text("<pre>\n  x  y\n\n z</pre>after"),
	    "  x  y\n\n z\n\nafter");
	assert_string_equal(text("<pre>a\r\nb\rc</pre>"), "a\nb\nc");
	assert_string_equal(text("<pre>a</pre> b  c"), "a\n\nb c");
}

static void
test_numeric_entities(void **state)
{
	assert_string_equal(text("it&#39;s &#x1F600; &#X41;"),
	    "it's \xf0\x9f\x98\x80 A");
	assert_string_equal(text("&#0;|&#xD800;|&#xDFFF;|&#x110000;|"
	    "&#99999999999999999999;"),
	    "\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd|"
	    "\xef\xbf\xbd");
	assert_string_equal(text("&#150;&#x92;&#x81;"),
	    "\xe2\x80\x93\xe2\x80\x99\xc2\x81");
	assert_string_equal(text("&#65&#66x"), "ABx");
	assert_string_equal(text("&#;&#x;&#xg;&"), "&#;&#x;&#xg;&");
	assert_string_equal(text("&#x10FFFF;"), "\xf4\x8f\xbf\xbf");
}

static void
test_named_entities(void **state)
{
	size_t k;

	assert_string_equal(text("&lt;b&gt; &amp; &quot;q&quot; &apos;"),
	    "<b> & \"q\" '");
	/* one of each group of HTML 4: Latin-1, symbols, Greek, special */
	assert_string_equal(decode("&eacute;&yuml;&AElig;&copy;", &k),
	    "\xc3\xa9\xc3\xbf\xc3\x86\xc2\xa9");
	assert_int_equal(k, 4);
	assert_string_equal(decode("&hellip;&euro;&mdash;&thetasym;", &k),
	    "\xe2\x80\xa6\xe2\x82\xac\xe2\x80\x94\xcf\x91");
	assert_string_equal(decode("&Omega;&omega;&zwj;&rsaquo;", &k),
	    "\xce\xa9\xcf\x89\xe2\x80\x8d\xe2\x80\xba");
	/* unknown, unterminated, wrong case: left as written */
	assert_string_equal(decode("&foo; AT&T &amp &AMP; &eacuteX;", &k),
	    "&foo; AT&T &amp &AMP; &eacuteX;");
	assert_int_equal(k, 0);
	assert_string_equal(decode("&verylongname; &;", NULL),
	    "&verylongname; &;");
}

static void
test_decode_keeps_text(void **state)
{
	size_t k;

	assert_string_equal(decode("<p>Tom &amp; Jerry</p>\n  x", &k),
	    "<p>Tom & Jerry</p>\n  x");
	assert_int_equal(k, 1);
	assert_string_equal(decode("caf\xc3\xa9 &#233;", &k),
	    "caf\xc3\xa9 \xc3\xa9");
	assert_int_equal(k, 1);
}

static void
test_invalid_utf8(void **state)
{
	static const char bad[] = "a\xff" "b\xc3(c\xed\xa0\x80" "d\0e";

	assert_string_equal(text_n(bad, sizeof bad - 1),
	    "a\xef\xbf\xbd" "b\xef\xbf\xbd(c\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd" "d\xef\xbf\xbd" "e");
	tend_buf_reset(&out);
	tend_html_decode_entities(bad, sizeof bad - 1, &out);
	assert_int_equal(tend_utf8_check(out.data, out.len), out.len);
	assert_int_equal(strlen(out.data), out.len);
	/* a reference cut off in the middle of a character */
	assert_string_equal(text("&#x41\xe2\x82;"),
	    "A\xef\xbf\xbd\xef\xbf\xbd;");
}

static void
test_odd_markup(void **state)
{
	assert_string_equal(text("1 < 2 and 3<4 <> a</>b"),
	    "1 < 2 and 3<4 <> ab");
	assert_string_equal(text("a</ b>c"), "ac");
	assert_string_equal(text("a<b"), "a");
	assert_string_equal(text("a<p class=\"never closed>b"), "a");
	assert_string_equal(text("x<"), "x<");
	assert_string_equal(text("<verylongtagname>a</verylongtagname>"),
	    "a");
}

static void
test_empty(void **state)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_html_to_text(NULL, 0, &b);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(tend_html_decode_entities(NULL, 0, &b), 0);
	assert_string_equal(b.data, "");
	tend_html_anchors(NULL, 0, NULL, NULL);
	tend_buf_release(&b);
}

static void
test_appends(void **state)
{
	struct tend_buf b = TEND_BUF_INIT;

	tend_buf_adds(&b, "CW: x\n\n");
	tend_html_to_text("<p>  body</p>", 13, &b);
	assert_string_equal(b.data, "CW: x\n\nbody");
	tend_buf_release(&b);
}

struct seen {
	struct tend_buf all;
};

static void
collect(void *arg, const struct tend_html_anchor *a)
{
	struct seen *s = arg;

	tend_buf_printf(&s->all, "[%s|%s|%s]", a->href, a->cls, a->rel);
}

static void
test_anchors(void **state)
{
	static const char html[] =
	    "<p><a href=\"https://a.example/?x=1&amp;y=2\" class=\"u-url "
	    "mention\">@a</a> <A HREF=https://b.example/ REL='tag' href=no>b"
	    "</A><!-- <a href=\"c\"> --><a name=x>"
	    "<script><a href=\"d\"></script></p>";
	struct seen s;

	tend_buf_init(&s.all);
	tend_html_anchors(html, sizeof html - 1, collect, &s);
	assert_string_equal(s.all.data,
	    "[https://a.example/?x=1&y=2|u-url mention|]"
	    "[https://b.example/||tag][||]");
	tend_buf_release(&s.all);
}

static void
test_has_word(void **state)
{
	assert_true(tend_html_has_word("u-url mention", "mention"));
	assert_true(tend_html_has_word(" Mention\thashtag ", "hashtag"));
	assert_true(tend_html_has_word("MENTION", "mention"));
	assert_false(tend_html_has_word("mentions", "mention"));
	assert_false(tend_html_has_word("", "mention"));
}

static int
teardown(void **state)
{
	tend_buf_release(&out);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tags_removed),
		cmocka_unit_test(test_br),
		cmocka_unit_test(test_paragraphs),
		cmocka_unit_test(test_dropped),
		cmocka_unit_test(test_invisible_spans),
		cmocka_unit_test(test_whitespace),
		cmocka_unit_test(test_numeric_entities),
		cmocka_unit_test(test_named_entities),
		cmocka_unit_test(test_decode_keeps_text),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_odd_markup),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_anchors),
		cmocka_unit_test(test_has_word),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
