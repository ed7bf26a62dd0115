/* fmt_twcs.c: "Customer Support on Twitter" (the Kaggle data set twcs.csv):
 *
 *   tweet_id,author_id,inbound,created_at,text,response_tweet_id,
 *   in_response_to_tweet_id
 *
 * inbound is True for a customer's tweet and False for the brand's; a
 * brand's author_id is its handle (AppleSupport), a customer's an
 * anonymised number.  Tweet ids are the data set's own (anonymised too),
 * so no url is made of them.  created_at is Twitter's legacy form.  The
 * parent is in_response_to_tweet_id, which pandas wrote as a float
 * ("3.0"); response_tweet_id lists the replies, which carry their own
 * link back, so it adds nothing.  Columns are found by name, in any order
 * and beside others (a pandas index).  Text came from the Twitter API,
 * which writes &, < and > as entities: they are decoded.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "html.h"
#include "ingest.h"
#include "timestamp.h"

enum column {
	TWEET_ID, AUTHOR_ID, INBOUND, CREATED_AT, TEXT, RESPONSE_TWEET_ID,
	IN_RESPONSE_TO, NCOLUMNS
};

static const char *const column_names[NCOLUMNS] = {
	"tweet_id", "author_id", "inbound", "created_at", "text",
	"response_tweet_id", "in_response_to_tweet_id"
};

static const char header_line[] = "tweet_id,author_id,inbound,created_at,"
    "text,response_tweet_id,in_response_to_tweet_id";

/* What csv_header found in an input. */
struct twcs {
	long col[NCOLUMNS];
	size_t ncolumns;	/* fields in the header */
};

/* 1 when name is one of the comma-separated fields of line[0..len),
 * quoted or not. */
static int
has_field(const char *line, size_t len, const char *name)
{
	const char *p = line, *end = line + len;
	size_t n = strlen(name);

	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *s = p, *e = comma ? comma : end;

		if (e - s >= 2 && *s == '"' && e[-1] == '"') {
			s++;
			e--;
		}
		if ((size_t)(e - s) == n && memcmp(s, name, n) == 0)
			return 1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* The exact header scores 100; the seven columns in another order or
 * beside others (a pandas index) 80. */
static int
sniff_twcs(const char *head, size_t n)
{
	const char *eol;
	size_t len, i;

	if (n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0) {
		head += 3;
		n -= 3;
	}
	eol = memchr(head, '\n', n);
	len = eol ? (size_t)(eol - head) : n;
	if (len > 0 && head[len - 1] == '\r')
		len--;
	if (len == sizeof(header_line) - 1 &&
	    memcmp(head, header_line, len) == 0)
		return 100;
	for (i = 0; i < NCOLUMNS; i++)
		if (!has_field(head, len, column_names[i]))
			return 0;
	return 80;
}

/* "a, b, c": the header's columns for a message. */
static void
list_columns(const struct tend_csv_row *header, struct tend_buf *out)
{
	size_t i;
	char q[64];

	for (i = 0; i < header->n && out->len < 200; i++)
		tend_buf_printf(out, "%s%s", i ? ", " : "",
		    tend_error_quote(header->fields[i], header->lens[i], q,
		    sizeof(q)));
	if (i < header->n)
		tend_buf_adds(out, ", ...");
}

static int
header_twcs(struct ingest *ig, const struct ingest_unit *unit,
    const struct tend_csv_row *header)
{
	struct twcs *st = tend_xcalloc(1, sizeof(*st));
	struct tend_buf cols = TEND_BUF_INIT;
	size_t i;

	for (i = 0; i < NCOLUMNS; i++)
		if ((st->col[i] = tend_csv_column(header, column_names[i])) < 0)
			break;
	if (i < NCOLUMNS) {
		list_columns(header, &cols);
		ingest_input_error(ig, unit, "not a twcs header: no column "
		    "\"%s\" (columns: %s)", column_names[i], cols.data);
		tend_buf_release(&cols);
		free(st);
		return -1;
	}
	st->ncolumns = header->n;
	ingest_set_format_state(ig, st);
	return 0;
}

static void
done_twcs(struct ingest *ig)
{
	free(ingest_format_state(ig));
}

/* A tweet id as text: "3.0" (pandas' float) is "3".  NULL when empty. */
static const char *
tweet_id(const struct tend_csv_row *row, long col, size_t *len)
{
	const char *s = row->fields[col];
	size_t n = row->lens[col];

	if (n > 2 && s[n - 2] == '.' && s[n - 1] == '0' &&
	    s[0] >= '0' && s[0] <= '9')
		n -= 2;
	*len = n;
	return n ? s : NULL;
}

static json_t *
twitter_id(const char *s, size_t n)
{
	struct tend_buf b = TEND_BUF_INIT;
	json_t *id;

	tend_buf_adds(&b, "twitter:");
	tend_buf_add(&b, s, n);
	id = json_stringn(b.data, b.len);
	tend_buf_release(&b);
	return id;
}

/* 1 for True, 0 for False (as pandas writes them, or lower case), -1
 * for anything else. */
static int
inbound(const char *s)
{
	if (strcmp(s, "True") == 0 || strcmp(s, "true") == 0 ||
	    strcmp(s, "TRUE") == 0 || strcmp(s, "1") == 0)
		return 1;
	if (strcmp(s, "False") == 0 || strcmp(s, "false") == 0 ||
	    strcmp(s, "FALSE") == 0 || strcmp(s, "0") == 0)
		return 0;
	return -1;
}

static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* author_id is the id; a brand's (not a number) is its handle too. */
static void
add_author(json_t *post, const struct tend_csv_row *row, long col)
{
	const char *s = row->fields[col];
	size_t n = row->lens[col];
	json_t *author;

	if (!n)
		return;
	author = json_object();
	json_object_set_new(author, "id", json_stringn(s, n));
	if (!all_digits(s, n))
		json_object_set_new(author, "handle", json_stringn(s, n));
	json_object_set_new(post, "author", author);
}

static void
add_text(json_t *post, const struct tend_csv_row *row, long col)
{
	struct tend_buf text = TEND_BUF_INIT;

	tend_html_decode_entities(row->fields[col], row->lens[col], &text);
	json_object_set_new(post, "text", json_stringn(text.data, text.len));
	ingest_entities_from_text(post, text.data);
	tend_buf_release(&text);
}

/* Why row cannot be a post (in why), or 0 with *when and *in set. */
static int
check_row(const struct twcs *st, const struct tend_csv_row *row,
    struct tend_time *when, int *in, char *why, size_t size)
{
	const char *s;
	char q[64];

	if (row->n != st->ncolumns) {
		snprintf(why, size, "row has %zu field%s, the header has %zu",
		    row->n, row->n == 1 ? "" : "s", st->ncolumns);
		return -1;
	}
	if (row->lens[st->col[TWEET_ID]] == 0) {
		snprintf(why, size, "field \"tweet_id\" is empty");
		return -1;
	}
	s = row->fields[st->col[INBOUND]];
	if ((*in = inbound(s)) < 0) {
		snprintf(why, size, "field \"inbound\": not True or False: "
		    "'%s'", tend_error_quote(s, row->lens[st->col[INBOUND]],
		    q, 40));
		return -1;
	}
	s = row->fields[st->col[CREATED_AT]];
	if (tend_time_parse_any(s, row->lens[st->col[CREATED_AT]], when) < 0) {
		snprintf(why, size, "field \"created_at\": not a time: '%s'",
		    tend_error_quote(s, row->lens[st->col[CREATED_AT]], q,
		    48));
		return -1;
	}
	return 0;
}

static void
row_twcs(struct ingest *ig, const struct ingest_unit *unit,
    const struct tend_csv_row *row)
{
	const struct twcs *st = ingest_format_state(ig);
	char why[TEND_ERROR_TEXT], when[TEND_TIME_TEXT];
	struct tend_time t;
	const char *id;
	size_t len;
	json_t *post;
	int in;

	if (check_row(st, row, &t, &in, why, sizeof(why)) < 0) {
		ingest_reject(ig, unit, NULL, NULL, "%s", why);
		return;
	}
	tend_time_format(t, when);
	post = json_object();
	id = tweet_id(row, st->col[TWEET_ID], &len);
	json_object_set_new(post, "id", twitter_id(id, len));
	json_object_set_new(post, "channel", json_string("twitter"));
	json_object_set_new(post, "created_at", json_string(when));
	add_author(post, row, st->col[AUTHOR_ID]);
	add_text(post, row, st->col[TEXT]);
	if ((id = tweet_id(row, st->col[IN_RESPONSE_TO], &len)))
		json_object_set_new(post, "reply_to", twitter_id(id, len));
	json_object_set_new(post, "actor", json_string(in ? "customer" :
	    "agent"));
	ingest_post(ig, unit, NULL, NULL, post);
}

const struct ingest_format ingest_format_twcs = {
	"twcs", "Customer Support on Twitter (Kaggle twcs.csv): tweet_id, "
	"author_id, inbound, created_at, text, ...", INGEST_CSV_ROWS,
	sniff_twcs, NULL, header_twcs, row_twcs, done_twcs, NULL
};
