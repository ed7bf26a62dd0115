/* fmt_mastodon.c: Mastodon statuses, as the REST API returns them (the
 * Status entity): one status, an array of them (a timeline, JSON lines of
 * either), a thread's context {ancestors, descendants} or search results
 * {statuses}.
 *
 * The text is the content's HTML as a reader sees it (tend_html_to_text),
 * with a content warning first ("CW: ...", then an empty line): the
 * warning is the author's own words and often the subject, so classify
 * must see it.  A boost (reblog) is ingested as the status it boosts: the
 * boost itself has no text, and what the care team answers is the
 * original.  account.bot marks someone else's automation, not ours, so
 * actor is left to --brand.  The thread is left to the core: a status
 * names only its parent.
 */
#include <string.h>

#include "buf.h"
#include "error.h"
#include "html.h"
#include "ingest.h"

/* Where an object is inside the document: "[3].reblog", for messages. */
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

/* direct (a DM), private (followers only) and limited are not public;
 * public, unlisted and local are.  Anything else: left out. */
static const char *
visibility(const char *v)
{
	static const char *const closed[] = { "direct", "private", "limited",
	    NULL };
	static const char *const open[] = { "public", "unlisted", "local",
	    NULL };

	if (!v)
		return NULL;
	if (tend_word_in(v, closed))
		return "private";
	return tend_word_in(v, open) ? "public" : NULL;
}

static void
add_author(json_t *post, const json_t *account)
{
	json_t *author, *followers;
	const char *id;
	char buf[32];

	if (!json_is_object(account))
		return;
	author = json_object();
	if ((id = ingest_id_text(json_object_get(account, "id"), buf)))
		json_object_set_new(author, "id", json_string(id));
	ingest_set_string(author, "handle", str(account, "acct"), 1);
	ingest_set_string(author, "name", str(account, "display_name"), 1);
	followers = json_object_get(account, "followers_count");
	if (json_is_integer(followers) && json_integer_value(followers) >= 0)
		json_object_set(author, "followers", followers);
	if (json_object_size(author))
		json_object_set_new(post, "author", author);
	else
		json_decref(author);
}

/* "CW: spoiler\n\ntext of the content" */
static json_t *
status_text(const json_t *status)
{
	const char *spoiler = str(status, "spoiler_text");
	const json_t *content = json_object_get(status, "content");
	struct tend_buf body, text;
	json_t *v;

	tend_buf_init(&body);
	tend_buf_init(&text);
	if (json_is_string(content))
		tend_html_to_text(json_string_value(content),
		    json_string_length(content), &body);
	if (spoiler && *spoiler) {
		tend_buf_printf(&text, "CW: %s", spoiler);
		if (body.len)
			tend_buf_adds(&text, "\n\n");
	}
	tend_buf_add(&text, body.data, body.len);
	v = json_stringn(text.data, text.len);
	tend_buf_release(&body);
	tend_buf_release(&text);
	return v;
}

/* A new array of the string member key of each object in list. */
static json_t *
names(const json_t *list, const char *key)
{
	json_t *arr = json_array(), *v;
	size_t i;

	json_array_foreach(list, i, v) {
		const char *s = str(v, key);

		if (s && *s)
			json_array_append_new(arr, json_string(s));
	}
	return arr;
}

static int
has_string(const json_t *arr, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), s) == 0)
			return 1;
	return 0;
}

/* A link of the content: an <a> that is not a mention or a hashtag (the
 * address, not the text shown: on remote servers they may differ). */
static void
add_link(void *arg, const struct tend_html_anchor *a)
{
	json_t *links = arg;

	if (tend_html_has_word(a->cls, "mention") ||
	    tend_html_has_word(a->cls, "hashtag") ||
	    tend_html_has_word(a->rel, "tag"))
		return;
	if (strncmp(a->href, "http://", 7) != 0 &&
	    strncmp(a->href, "https://", 8) != 0)
		return;
	if (!has_string(links, a->href))
		json_array_append_new(links, json_string(a->href));
}

static json_t *
convert(const json_t *status, const char *id)
{
	json_t *post = json_object(), *links = json_array();
	const json_t *content = json_object_get(status, "content");
	const char *parent, *url;
	char buf[32];

	json_object_set_new(post, "id", ingest_id("mastodon", id));
	json_object_set_new(post, "channel", json_string("mastodon"));
	json_object_set(post, "created_at",
	    json_object_get(status, "created_at"));
	add_author(post, json_object_get(status, "account"));
	json_object_set_new(post, "text", status_text(status));
	if ((parent = ingest_id_text(json_object_get(status,
	    "in_reply_to_id"), buf)))
		json_object_set_new(post, "reply_to",
		    ingest_id("mastodon", parent));
	ingest_set_string(post, "visibility",
	    visibility(str(status, "visibility")), 1);
	ingest_set_string(post, "lang", str(status, "language"), 1);
	url = str(status, "url");
	ingest_set_string(post, "url", url && *url ? url :
	    str(status, "uri"), 1);
	if (json_is_string(content))
		tend_html_anchors(json_string_value(content),
		    json_string_length(content), add_link, links);
	json_object_set_new(post, "links", links);
	json_object_set_new(post, "mentions",
	    names(json_object_get(status, "mentions"), "acct"));
	json_object_set_new(post, "hashtags",
	    names(json_object_get(status, "tags"), "name"));
	return post;
}

/* The time at key must be there and readable: checked here rather than
 * by the core so that a unit rejected whole keeps its own bytes. */
static int
check_time(struct ingest *ig, const struct ingest_unit *unit, const char *w,
    const json_t *native, const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	struct tend_time t;
	char q[80];

	if (!v || json_is_null(v)) {
		ingest_reject(ig, unit, w, native, "missing \"%s\"", key);
		return -1;
	}
	if (!json_is_string(v)) {
		ingest_reject(ig, unit, w, native, "\"%s\" is not a string",
		    key);
		return -1;
	}
	if (tend_time_parse_any(json_string_value(v), json_string_length(v),
	    &t) < 0) {
		ingest_reject(ig, unit, w, native, "\"%s\": not a time: '%s'",
		    key, tend_error_quote(json_string_value(v),
		    json_string_length(v), q, 48));
		return -1;
	}
	return 0;
}

/* One status at path; whole: it is the unit itself (rejects keep the
 * unit's bytes). */
static void
status(struct ingest *ig, const struct ingest_unit *unit,
    struct tend_buf *path, const json_t *st, int whole)
{
	const json_t *reblog = json_object_get(st, "reblog");
	const char *id;
	size_t mark;
	char buf[32];

	if (!json_is_object(st)) {
		ingest_reject(ig, unit, where(path), whole ? NULL : st,
		    "expected a status (an object)");
		return;
	}
	if (json_is_object(reblog)) {
		mark = path->len;
		tend_buf_printf(path, "%sreblog", mark ? "." : "");
		status(ig, unit, path, reblog, 0);
		back(path, mark);
		return;
	}
	if (!(id = ingest_id_text(json_object_get(st, "id"), buf))) {
		ingest_reject(ig, unit, where(path), whole ? NULL : st,
		    "missing \"id\"");
		return;
	}
	if (check_time(ig, unit, where(path), whole ? NULL : st, st,
	    "created_at") < 0)
		return;
	ingest_post(ig, unit, where(path), st, convert(st, id));
}

static void
statuses(struct ingest *ig, const struct ingest_unit *unit,
    struct tend_buf *path, const char *key, const json_t *list)
{
	const json_t *st;
	size_t i, mark;

	json_array_foreach(list, i, st) {
		mark = step(path, key, i);
		status(ig, unit, path, st, 0);
		back(path, mark);
	}
}

/* A context {ancestors, descendants} or search results {statuses}:
 * returns 0 when doc has none of these lists. */
static int
lists(struct ingest *ig, const struct ingest_unit *unit,
    struct tend_buf *path, const json_t *doc)
{
	static const char *const keys[] = { "ancestors", "descendants",
	    "statuses", NULL };
	const json_t *list;
	int found = 0;
	size_t i;

	for (i = 0; keys[i]; i++)
		if (json_is_array(list = json_object_get(doc, keys[i]))) {
			statuses(ig, unit, path, keys[i], list);
			found = 1;
		}
	return found;
}

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
document_mastodon(struct ingest *ig, const struct ingest_unit *unit,
    json_t *doc)
{
	struct tend_buf path;

	tend_buf_init(&path);
	if (json_is_array(doc))
		statuses(ig, unit, &path, NULL, doc);
	else if (json_is_object(doc) && json_object_get(doc, "id"))
		status(ig, unit, &path, doc, 1);
	else if (json_is_string(json_object_get(doc, "error")))
		api_error(ig, unit, json_object_get(doc, "error"));
	else if (!json_is_object(doc) || !lists(ig, unit, &path, doc))
		ingest_reject(ig, unit, NULL, NULL, "not a Mastodon status, "
		    "an array of statuses or a context");
	tend_buf_release(&path);
}

/* A Status names its account and that account's "acct"; "content" and
 * "spoiler_text" are Mastodon's own words. */
static int
sniff_mastodon(const char *head, size_t n)
{
	int score = 0;

	if (strstr(head, "\"account\"") && strstr(head, "\"acct\"") &&
	    strstr(head, "\"content\""))
		score = 80;
	if (score && (strstr(head, "\"spoiler_text\"") ||
	    strstr(head, "\"in_reply_to_account_id\"")))
		score = 95;
	return score;
}

const struct ingest_format ingest_format_mastodon = {
	"mastodon", "Mastodon statuses (API Status entities, one, an array "
	"or a context)", INGEST_JSON_DOCS, sniff_mastodon, document_mastodon,
	NULL, NULL, NULL, NULL
};
