/* fmt_facebook.c: Facebook posts and comments, as the Graph API returns
 * them: a page of a feed or of a comments edge {data: [...], paging}, a
 * single post, or an array of posts; each object may hold its comments
 * {data: [...]} and they theirs, to any depth.
 *
 * A comment answers its "parent" when the API gives it, else the object
 * it is nested in; every comment under a post is in that post's thread.
 * "from" is left out by the API for people who did not allow the app to
 * see them: then the post has no author.  Facebook gives no handle, so
 * author has id and name only.
 */
#include <string.h>

#include "buf.h"
#include "error.h"
#include "ingest.h"

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

/* Where the object sits, and the posts it hangs from. */
struct place {
	struct tend_buf *path;
	const char *post;	/* native id of the post on top, or NULL */
	const char *parent;	/* native id of the object holding this one */
	int whole;		/* the object is the unit itself */
};

static void
add_author(json_t *post, const json_t *from)
{
	json_t *author;
	const char *id;
	char buf[32];

	if (!json_is_object(from))
		return;
	author = json_object();
	if ((id = ingest_id_text(json_object_get(from, "id"), buf)))
		json_object_set_new(author, "id", json_string(id));
	ingest_set_string(author, "name", str(from, "name"), 1);
	if (json_object_size(author))
		json_object_set_new(post, "author", author);
	else
		json_decref(author);
}

static json_t *
convert(const json_t *obj, const char *id, const struct place *at)
{
	json_t *post = json_object();
	const char *message = str(obj, "message"), *parent;
	char buf[32];

	json_object_set_new(post, "id", ingest_id("facebook", id));
	json_object_set_new(post, "channel", json_string("facebook"));
	json_object_set(post, "created_at",
	    json_object_get(obj, "created_time"));
	add_author(post, json_object_get(obj, "from"));
	json_object_set_new(post, "text", json_string(message ? message :
	    ""));
	if (at->post)
		json_object_set_new(post, "thread",
		    ingest_id("facebook", at->post));
	parent = ingest_id_text(json_object_get(json_object_get(obj,
	    "parent"), "id"), buf);
	if (!parent)
		parent = at->parent;
	if (parent)
		json_object_set_new(post, "reply_to",
		    ingest_id("facebook", parent));
	ingest_set_string(post, "url", str(obj, "permalink_url"), 1);
	ingest_entities_from_text(post, message ? message : "");
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

static void object(struct ingest *, const struct ingest_unit *,
    struct place *, const json_t *);

/* The objects of list (the array of {data: [...]}) at key, held by the
 * object whose native id is id (NULL: none, or it has no id). */
static void
children(struct ingest *ig, const struct ingest_unit *unit,
    struct place *at, const char *key, const json_t *list, const char *id)
{
	struct place in = *at;
	const json_t *v;
	size_t i, mark;

	in.whole = 0;
	in.parent = id;
	if (!in.post)
		in.post = id;
	json_array_foreach(list, i, v) {
		mark = step(in.path, key, i);
		object(ig, unit, &in, v);
		back(in.path, mark);
	}
}

/* What --rejects keeps of a rejected object (a new reference; NULL: the
 * unit's own bytes): not its comments, which are ingested or rejected on
 * their own. */
static json_t *
kept(const struct place *at, const json_t *obj)
{
	json_t *copy;

	if (!json_is_object(obj) || !json_object_get(obj, "comments"))
		return at->whole ? NULL : json_incref((json_t *)obj);
	copy = json_copy((json_t *)obj);
	json_object_del(copy, "comments");
	return copy;
}

/* A post or comment, then its comments (even when it is rejected: the
 * answers under a broken post are still wanted). */
static void
object(struct ingest *ig, const struct ingest_unit *unit, struct place *at,
    const json_t *obj)
{
	json_t *native = kept(at, obj);
	const json_t *comments;
	const char *id, *w = where(at->path);
	char buf[32];

	if (!json_is_object(obj)) {
		ingest_reject(ig, unit, w, native,
		    "expected a post or comment (an object)");
		json_decref(native);
		return;
	}
	id = ingest_id_text(json_object_get(obj, "id"), buf);
	if (!id)
		ingest_reject(ig, unit, w, native, "missing \"id\"");
	else if (check_time(ig, unit, w, native, obj, "created_time") == 0)
		ingest_post(ig, unit, w, obj, convert(obj, id, at));
	json_decref(native);
	comments = json_object_get(json_object_get(obj, "comments"), "data");
	if (json_is_array(comments))
		children(ig, unit, at, "comments.data", comments, id);
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
document_facebook(struct ingest *ig, const struct ingest_unit *unit,
    json_t *doc)
{
	struct tend_buf path;
	struct place at = { NULL, NULL, NULL, 0 };
	const json_t *data = json_object_get(doc, "data");

	tend_buf_init(&path);
	at.path = &path;
	if (json_is_array(data))
		children(ig, unit, &at, "data", data, NULL);
	else if (json_is_array(doc))
		children(ig, unit, &at, NULL, doc, NULL);
	else if (json_is_string(json_object_get(json_object_get(doc, "error"),
	    "message")))
		api_error(ig, unit, json_object_get(json_object_get(doc,
		    "error"), "message"));
	else if (json_is_object(doc) && json_object_get(doc, "id")) {
		at.whole = 1;
		object(ig, unit, &at, doc);
	} else
		ingest_reject(ig, unit, NULL, NULL, "not a Facebook Graph API "
		    "page ({\"data\": [...]}), post or array of posts");
	tend_buf_release(&path);
}

/* Graph API objects carry "created_time" ("2024-01-05T10:00:00+0000")
 * beside "message" or "from". */
static int
sniff_facebook(const char *head, size_t n)
{
	if (!strstr(head, "\"created_time\""))
		return 0;
	if (!strstr(head, "\"message\"") && !strstr(head, "\"from\""))
		return 20;
	return strstr(head, "\"data\"") ? 85 : 75;
}

const struct ingest_format ingest_format_facebook = {
	"facebook", "Facebook Graph API posts and comments (a feed or "
	"comments page, a post, an array of posts)", INGEST_JSON_DOCS,
	sniff_facebook, document_facebook, NULL, NULL, NULL, NULL
};
