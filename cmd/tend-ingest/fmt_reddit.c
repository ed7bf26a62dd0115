/* fmt_reddit.c: Reddit listings as the JSON API returns them: a listing
 * {kind: Listing, data: {children}} of links (t3) and comments (t1), a
 * comment page [post listing, comments listing], replies nested to any
 * depth; also a single thing, and the bare objects of archive dumps (one
 * link or comment a line, without kind and data).
 *
 * Ids are fullnames (t1_xxx, t3_xxx).  A comment answers parent_id and is
 * in the thread of its link.  The API writes <, > and & as entities in
 * title, selftext and body unless asked not to (raw_json=1): they are
 * decoded.  "more" stubs name comments that are not in the page: they are
 * not posts and are skipped.
 */
#include <string.h>

#include "buf.h"
#include "error.h"
#include "html.h"
#include "ingest.h"
#include "timestamp.h"

static size_t
step(struct tend_buf *path, const char *key, size_t i)
{
	size_t old = path->len;

	tend_buf_printf(path, "%s%s[%zu]", key && old ? "." : "",
	    key ? key : "", i);
	return old;
}

static void
back(struct tend_buf *path, size_t len)
{
	path->len = len;
	if (path->cap)
		path->data[len] = '\0';
}

static const char *
where(const struct tend_buf *path)
{
	return path->len ? path->data : NULL;
}

static const char *
str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what tend writes. */
#define FIRST_SECOND (-62135596800LL)
#define LAST_SECOND 253402300799LL

/* created_utc (seconds, an integer, a float or a string of either) in
 * canonical form; returns -1 when it is not such a time. */
static int
epoch(const json_t *v, char out[TEND_TIME_TEXT])
{
	struct tend_time t = { 0, 0 };

	if (json_is_integer(v)) {
		t.sec = json_integer_value(v);
	} else if (json_is_real(v)) {
		double d = json_real_value(v), us;

		if (!(d >= (double)FIRST_SECOND && d <= (double)LAST_SECOND))
			return -1;
		t.sec = (int64_t)d;
		if ((double)t.sec > d)
			t.sec--;
		/* a double holds microseconds at best near today */
		us = (d - (double)t.sec) * 1e6 + 0.5;
		t.nsec = (int32_t)us * 1000;
		if (t.nsec >= 1000000000) {
			t.sec++;
			t.nsec -= 1000000000;
		}
	} else if (!json_is_string(v) || tend_time_parse_epoch(
	    json_string_value(v), json_string_length(v), &t) < 0) {
		return -1;
	}
	if (t.sec < FIRST_SECOND || t.sec > LAST_SECOND)
		return -1;
	tend_time_format(t, out);
	return 0;
}

static void
add_decoded(struct tend_buf *b, const json_t *s)
{
	if (json_is_string(s))
		tend_html_decode_entities(json_string_value(s),
		    json_string_length(s), b);
}

/* t3: the title, then the self text after an empty line; t1: the body. */
static json_t *
thing_text(const json_t *d, int link)
{
	const json_t *selftext = json_object_get(d, "selftext");
	struct tend_buf b;
	json_t *text;

	tend_buf_init(&b);
	if (link) {
		add_decoded(&b, json_object_get(d, "title"));
		if (json_string_length(selftext)) {
			if (b.len)
				tend_buf_adds(&b, "\n\n");
			add_decoded(&b, selftext);
		}
	} else {
		add_decoded(&b, json_object_get(d, "body"));
	}
	text = json_stringn(b.data, b.len);
	tend_buf_release(&b);
	return text;
}

static void
add_author(json_t *post, const json_t *d)
{
	const char *handle = str(d, "author");
	json_t *author;

	if (!handle || !*handle || strcmp(handle, "[deleted]") == 0)
		return;
	author = json_object();
	ingest_set_string(author, "id", str(d, "author_fullname"), 1);
	ingest_set_string(author, "handle", handle, 1);
	json_object_set_new(post, "author", author);
}

static json_t *
prefixed(const char *fullname)
{
	return ingest_id("reddit", fullname);
}

/* A link post's own address (not for self posts, whose url is the
 * permalink) joins the links found in the text. */
static void
add_link_url(json_t *post, const json_t *d)
{
	json_t *links = json_object_get(post, "links"), *v;
	const char *url = str(d, "url");
	size_t i;

	if (!url || json_is_true(json_object_get(d, "is_self")) ||
	    (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0))
		return;
	json_array_foreach(links, i, v)
		if (strcmp(json_string_value(v), url) == 0)
			return;
	json_array_append_new(links, json_string(url));
}

static json_t *
convert(const json_t *d, const char *name, const char *when, int link)
{
	json_t *post = json_object(), *text = thing_text(d, link);
	const char *permalink = str(d, "permalink"), *s;
	struct tend_buf url;

	json_object_set_new(post, "id", prefixed(name));
	json_object_set_new(post, "channel", json_string("reddit"));
	json_object_set_new(post, "created_at", json_string(when));
	add_author(post, d);
	json_object_set_new(post, "text", text);
	if (!link && (s = str(d, "link_id")) && *s)
		json_object_set_new(post, "thread", prefixed(s));
	if (!link && (s = str(d, "parent_id")) && *s)
		json_object_set_new(post, "reply_to", prefixed(s));
	if (permalink && *permalink) {
		tend_buf_init(&url);
		if (*permalink == '/')
			tend_buf_adds(&url, "https://www.reddit.com");
		tend_buf_adds(&url, permalink);
		json_object_set_new(post, "url", json_stringn(url.data,
		    url.len));
		tend_buf_release(&url);
	}
	ingest_entities_from_text(post, json_string_value(text));
	if (link)
		add_link_url(post, d);
	return post;
}

struct walk {
	struct ingest *ig;
	const struct ingest_unit *unit;
	struct tend_buf path;
};

static void listing(struct walk *, const json_t *);

/* What --rejects keeps of the rejected thing th (a new reference; NULL:
 * the unit's own bytes): not its replies, which are ingested or rejected
 * on their own. */
static json_t *
kept(const json_t *th, const json_t *d, int whole)
{
	json_t *copy, *data;

	if (!json_is_object(json_object_get(d, "replies")))
		return whole ? NULL : json_incref((json_t *)th);
	data = json_copy((json_t *)d);
	json_object_del(data, "replies");
	if (th == d)
		return data;
	copy = json_copy((json_t *)th);
	json_object_set_new(copy, "data", data);
	return copy;
}

/* Why the link or comment d cannot be a post, or NULL; fills full (its
 * fullname) and when. */
static const char *
problem(const json_t *d, const char *kind, struct tend_buf *full,
    char when[TEND_TIME_TEXT])
{
	const char *name = str(d, "name"), *id = str(d, "id");
	const json_t *t = json_object_get(d, "created_utc");

	if (name && *name)
		tend_buf_adds(full, name);
	else if (id && *id)
		tend_buf_printf(full, "%s_%s", kind, id);
	if (!full->len)
		return "missing \"name\"";
	if (!t || json_is_null(t))
		return "missing \"created_utc\"";
	if (epoch(t, when) < 0)
		return "\"created_utc\": not a time in seconds";
	return NULL;
}

/* A link or comment: th is the thing, d its data (the same for archives'
 * bare objects), kind "t1" or "t3"; whole: th is the unit itself. */
static void
post(struct walk *w, const json_t *th, const json_t *d, const char *kind,
    int whole)
{
	char when[TEND_TIME_TEXT];
	struct tend_buf full;
	const char *why;
	json_t *native;

	tend_buf_init(&full);
	if ((why = problem(d, kind, &full, when)) != NULL) {
		native = kept(th, d, whole);
		ingest_reject(w->ig, w->unit, where(&w->path), native, "%s",
		    why);
		json_decref(native);
	} else {
		ingest_post(w->ig, w->unit, where(&w->path), d,
		    convert(d, full.data, when, strcmp(kind, "t3") == 0));
	}
	tend_buf_release(&full);
}

/* A thing {kind, data} of a listing. */
static void
thing(struct walk *w, const json_t *th, int whole)
{
	const char *kind = str(th, "kind");
	const json_t *native = whole ? NULL : th, *d, *replies;
	size_t mark;
	char q[40];

	if (!json_is_object(th) || !kind) {
		ingest_reject(w->ig, w->unit, where(&w->path), native,
		    "expected a thing ({\"kind\", \"data\"})");
		return;
	}
	if (strcmp(kind, "more") == 0)
		return;	/* comments not in the page: nothing to ingest */
	if (strcmp(kind, "t1") != 0 && strcmp(kind, "t3") != 0) {
		tend_error_quote(kind, strlen(kind), q, 24);
		ingest_reject(w->ig, w->unit, where(&w->path), native,
		    "kind '%s' is not a link or comment", q);
		return;
	}
	if (!json_is_object(d = json_object_get(th, "data"))) {
		ingest_reject(w->ig, w->unit, where(&w->path), native,
		    "missing \"data\"");
		return;
	}
	post(w, th, d, kind, whole);
	replies = json_object_get(d, "replies");
	if (json_is_object(replies)) {
		mark = w->path.len;
		tend_buf_printf(&w->path, "%sdata.replies",
		    mark ? "." : "");
		listing(w, replies);
		back(&w->path, mark);
	}
}

static void
listing(struct walk *w, const json_t *l)
{
	const json_t *children, *th;
	size_t i, mark;

	children = json_object_get(json_object_get(l, "data"), "children");
	json_array_foreach(children, i, th) {
		mark = step(&w->path, "data.children", i);
		thing(w, th, 0);
		back(&w->path, mark);
	}
}

/* A document: a listing, an array of listings, a thing, or an archive's
 * bare link or comment. */
/* A saved error response ({"error": ...}) instead of data. */
static void
api_error(struct ingest *ig, const struct ingest_unit *unit,
    const json_t *message)
{
	char q[96];

	ingest_reject(ig, unit, NULL, NULL, "an API error response, not "
	    "data: '%s'", tend_error_quote(json_string_value(message),
	    json_string_length(message), q, 64));
}

static void
document_reddit(struct ingest *ig, const struct ingest_unit *unit,
    json_t *doc)
{
	struct walk w;
	const char *kind = str(doc, "kind");
	const json_t *v;
	size_t i, mark;

	w.ig = ig;
	w.unit = unit;
	tend_buf_init(&w.path);
	if (json_is_array(doc)) {
		json_array_foreach(doc, i, v) {
			mark = step(&w.path, NULL, i);
			if (strcmp(str(v, "kind") ? str(v, "kind") : "",
			    "Listing") == 0)
				listing(&w, v);
			else
				thing(&w, v, 0);
			back(&w.path, mark);
		}
	} else if (kind && strcmp(kind, "Listing") == 0) {
		listing(&w, doc);
	} else if (kind) {
		thing(&w, doc, 1);
	} else if (json_is_integer(json_object_get(doc, "error")) &&
	    json_is_string(json_object_get(doc, "message"))) {
		api_error(ig, unit, json_object_get(doc, "message"));
	} else if (json_object_get(doc, "created_utc")) {
		post(&w, doc, doc, json_object_get(doc, "title") ? "t3" :
		    "t1", 1);
	} else {
		ingest_reject(ig, unit, NULL, NULL, "not a Reddit listing, "
		    "link or comment");
	}
	tend_buf_release(&w.path);
}

/* "kind": "Listing", "t1" or "t3", with or without spaces; archives'
 * bare objects have "created_utc" and "subreddit". */
static int
sniff_reddit(const char *head, size_t n)
{
	const char *p = head;

	while ((p = strstr(p, "\"kind\"")) != NULL) {
		p += 6;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p++ != ':')
			continue;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (strncmp(p, "\"Listing\"", 9) == 0 ||
		    strncmp(p, "\"t1\"", 4) == 0 ||
		    strncmp(p, "\"t3\"", 4) == 0)
			return 95;
	}
	if (strstr(head, "\"created_utc\"") && strstr(head, "\"subreddit\""))
		return 80;
	return 0;
}

const struct ingest_format ingest_format_reddit = {
	"reddit", "Reddit listings, comment pages and archive lines (links "
	"t3, comments t1)", INGEST_JSON_DOCS, sniff_reddit, document_reddit,
	NULL, NULL, NULL, NULL
};
