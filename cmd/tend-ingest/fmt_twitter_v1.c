/* fmt_twitter_v1.c: legacy Twitter API v1.1 statuses: one status, an
 * array of them, a search response {statuses}, JSON lines of any of these
 * (the streaming API, or a collector's dump), and the tweets.js of a
 * Twitter archive (window.YTD.tweets.part0 = [{"tweet": {...}}, ...]; the
 * core strips the "window... =").
 *
 * The text is the whole text (extended_tweet.full_text in streams,
 * full_text in extended mode, else text) as a reader sees it: each t.co
 * link replaced by the address it stands for, and &amp; &lt; &gt;, which
 * Twitter writes for &, < and >, decoded.  A retweet is ingested as
 * itself (its author, its time: who amplified what, and when), with the
 * text "RT @user: " and the original's whole text, where the API cuts it.
 * An archive's tweets carry no user: they have no author.  A status names
 * only its parent, so the thread is left to the core.  Stream notices
 * (delete, limit, ...) are not posts and are skipped.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "ingest.h"

static const char *
str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Maps the t.co link of each url entity of list to its expansion. */
static void
add_expansions(json_t *map, const json_t *list)
{
	const json_t *u;
	size_t i;

	json_array_foreach(list, i, u) {
		const char *url = str(u, "url"), *to = str(u, "expanded_url");

		if (url && to && *to)
			json_object_set_new(map, url, json_string(to));
	}
}

/* The length of the t.co link at s[0..n) ("https://t.co/" and letters
 * and digits), or 0. */
static size_t
tco_at(const char *s, size_t n)
{
	static const char *const prefixes[] = { "https://t.co/",
	    "http://t.co/" };
	size_t i, len;

	for (i = 0; i < 2; i++) {
		len = strlen(prefixes[i]);
		if (n > len && memcmp(s, prefixes[i], len) == 0)
			break;
	}
	if (i == 2)
		return 0;
	while (len < n && ((s[len] >= '0' && s[len] <= '9') ||
	    ((s[len] | 0x20) >= 'a' && (s[len] | 0x20) <= 'z')))
		len++;
	return len;
}

/* Appends text as a reader sees it: the t.co links of entities (urls and
 * media) expanded, &amp; &lt; &gt; decoded (and only those: Twitter
 * escapes nothing else, so "&quot;" was typed as such). */
static void
add_text(struct tend_buf *out, const json_t *text, const json_t *entities)
{
	static const struct { const char *ref; char c; } refs[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }
	};
	const char *s = json_string_value(text);
	size_t n = json_string_length(text), i = 0, j, len;
	json_t *expansions = json_object(), *to;

	add_expansions(expansions, json_object_get(entities, "urls"));
	add_expansions(expansions, json_object_get(entities, "media"));
	while (i < n) {
		if ((len = tco_at(s + i, n - i)) &&
		    (to = json_object_getn(expansions, s + i, len))) {
			tend_buf_add(out, json_string_value(to),
			    json_string_length(to));
			i += len;
			continue;
		}
		for (j = 0; s[i] == '&' && j < 3; j++)
			if (strncmp(s + i, refs[j].ref, strlen(refs[j].ref)) == 0)
				break;
		if (s[i] == '&' && j < 3) {
			tend_buf_addc(out, refs[j].c);
			i += strlen(refs[j].ref);
			continue;
		}
		tend_buf_add(out, s + i, len ? len : 1);
		i += len ? len : 1;
	}
	json_decref(expansions);
}

/* A list of names in order, each once. */
struct names {
	json_t *list;
	json_t *seen;
};

static void
names_init(struct names *n)
{
	n->list = json_array();
	n->seen = json_object();
}

static void
add_unique(struct names *n, const char *s)
{
	if (s && *s && !json_object_get(n->seen, s)) {
		json_object_set_new(n->seen, s, json_true());
		json_array_append_new(n->list, json_string(s));
	}
}

/* Sets post's key to the list; n is released. */
static void
names_set(json_t *post, const char *key, struct names *n)
{
	json_object_set_new(post, key, n->list);
	json_decref(n->seen);
}

/* Adds the string member key of each object of list. */
static void
add_names(struct names *n, const json_t *list, const char *key)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		add_unique(n, str(v, key));
}

/* The links, mentions and hashtags of entities (media are not links). */
static void
add_entities(struct names n[3], const json_t *entities)
{
	const json_t *u;
	size_t i;

	json_array_foreach(json_object_get(entities, "urls"), i, u) {
		const char *to = str(u, "expanded_url");

		add_unique(&n[0], to && *to ? to : str(u, "url"));
	}
	add_names(&n[1], json_object_get(entities, "user_mentions"),
	    "screen_name");
	add_names(&n[2], json_object_get(entities, "hashtags"), "text");
}

/* A status's whole text and the entities that go with it. */
static const json_t *
text_of(const json_t *st, const json_t **entities)
{
	const json_t *ext = json_object_get(st, "extended_tweet");

	if (json_is_string(json_object_get(ext, "full_text"))) {
		*entities = json_object_get(ext, "entities");
		return json_object_get(ext, "full_text");
	}
	*entities = json_object_get(st, "entities");
	if (json_is_string(json_object_get(st, "full_text")))
		return json_object_get(st, "full_text");
	return json_object_get(st, "text");
}

/* Adds text, links, mentions and hashtags; a retweet's text is "RT
 * @user: " and the original's whole text. */
static void
add_content(json_t *post, const json_t *st)
{
	static const char *const keys[] = { "links", "mentions", "hashtags" };
	const json_t *entities, *text = text_of(st, &entities);
	const json_t *rs = json_object_get(st, "retweeted_status");
	const json_t *rs_entities = NULL, *rs_text = text_of(rs, &rs_entities);
	const char *who = str(json_object_get(rs, "user"), "screen_name");
	struct tend_buf b = TEND_BUF_INIT;
	struct names n[3];
	size_t i;

	if (json_is_string(rs_text) && who && *who) {
		tend_buf_printf(&b, "RT @%s: ", who);
		add_text(&b, rs_text, rs_entities);
	} else {
		rs_entities = NULL;
		who = NULL;
		add_text(&b, text, entities);
	}
	json_object_set_new(post, "text", json_stringn(b.data, b.len));
	if (!json_is_object(entities) && !json_is_object(rs_entities)) {
		/* a collector that dropped them */
		ingest_entities_from_text(post, b.data ? b.data : "");
		tend_buf_release(&b);
		return;
	}
	for (i = 0; i < 3; i++)
		names_init(&n[i]);
	add_unique(&n[1], who);
	add_entities(n, entities);
	add_entities(n, rs_entities);
	for (i = 0; i < 3; i++)
		names_set(post, keys[i], &n[i]);
	tend_buf_release(&b);
}

static const char *
add_author(json_t *post, const json_t *user)
{
	json_t *author, *followers;
	const char *id, *handle = str(user, "screen_name");
	char buf[32];

	if (!json_is_object(user))
		return NULL;
	author = json_object();
	if ((id = ingest_id_text(json_object_get(user, "id_str"), buf)) ||
	    (id = ingest_id_text(json_object_get(user, "id"), buf)))
		json_object_set_new(author, "id", json_string(id));
	ingest_set_string(author, "handle", handle, 1);
	ingest_set_string(author, "name", str(user, "name"), 1);
	followers = json_object_get(user, "followers_count");
	if (json_is_integer(followers) && json_integer_value(followers) >= 0)
		json_object_set(author, "followers", followers);
	if (json_is_boolean(json_object_get(user, "verified")))
		json_object_set(author, "verified",
		    json_object_get(user, "verified"));
	if (json_object_size(author))
		json_object_set_new(post, "author", author);
	else
		json_decref(author);
	return handle && *handle ? handle : NULL;
}

/* Twitter's own codes are not languages: und (undetermined), zxx (no
 * text), art (emoji only), and the private-use qaa..qtz (qme: media
 * links only, qht: hashtags only, qst: too short, ...). */
static int
is_language(const char *lang)
{
	static const char *const not_languages[] = { "und", "zxx", "art",
	    NULL };

	if (!lang || !*lang || tend_word_in(lang, not_languages))
		return 0;
	return !(strlen(lang) == 3 && lang[0] == 'q' && lang[1] >= 'a' &&
	    lang[1] <= 't');
}

/* An id given as a string (key_str) or a number (key). */
static const char *
id_of(const json_t *obj, const char *key, char buf[32])
{
	char key_str[64];
	const char *id;

	snprintf(key_str, sizeof(key_str), "%s_str", key);
	if ((id = ingest_id_text(json_object_get(obj, key_str), buf)))
		return id;
	return ingest_id_text(json_object_get(obj, key), buf);
}

static json_t *
convert(const json_t *st, const char *id)
{
	json_t *post = json_object();
	const char *v, *handle;
	char buf[32];

	json_object_set_new(post, "id", ingest_id("twitter", id));
	json_object_set_new(post, "channel", json_string("twitter"));
	json_object_set(post, "created_at", json_object_get(st, "created_at"));
	handle = add_author(post, json_object_get(st, "user"));
	add_content(post, st);
	if ((v = id_of(st, "in_reply_to_status_id", buf)))
		json_object_set_new(post, "reply_to", ingest_id("twitter", v));
	if (is_language(v = str(st, "lang")))
		json_object_set_new(post, "lang", json_string(v));
	if (handle) {
		struct tend_buf url = TEND_BUF_INIT;

		tend_buf_printf(&url, "https://twitter.com/%s/status/%s",
		    handle, id);
		json_object_set_new(post, "url", json_string(url.data));
		tend_buf_release(&url);
	}
	return post;
}

/* Checks what the core cannot say as well: which field is missing. */
static int
check(struct ingest *ig, const struct ingest_unit *unit, const char *w,
    const json_t *native, const json_t *st)
{
	const json_t *entities, *when = json_object_get(st, "created_at");
	struct tend_time t;
	char q[80];

	if (!json_is_string(text_of(st, &entities))) {
		ingest_reject(ig, unit, w, native,
		    "missing \"text\" (or \"full_text\")");
		return -1;
	}
	if (!when || json_is_null(when)) {
		ingest_reject(ig, unit, w, native, "missing \"created_at\"");
		return -1;
	}
	if (!json_is_string(when)) {
		ingest_reject(ig, unit, w, native,
		    "\"created_at\" is not a string");
		return -1;
	}
	if (tend_time_parse_any(json_string_value(when),
	    json_string_length(when), &t) < 0) {
		ingest_reject(ig, unit, w, native, "\"created_at\": not a "
		    "time: '%s'", tend_error_quote(json_string_value(when),
		    json_string_length(when), q, 48));
		return -1;
	}
	return 0;
}

/* One status at w, or an archive's {"tweet": status}; whole: it is the
 * unit itself (a reject keeps the unit's bytes). */
static void
status(struct ingest *ig, const struct ingest_unit *unit, const char *w,
    const json_t *st, int whole)
{
	const json_t *native = whole ? NULL : st;
	const char *id;
	char buf[32];

	if (json_is_object(json_object_get(st, "tweet")) &&
	    !json_object_get(st, "id_str") && !json_object_get(st, "id"))
		st = json_object_get(st, "tweet");
	if (!json_is_object(st)) {
		ingest_reject(ig, unit, w, native,
		    "expected a status (an object)");
		return;
	}
	if (!(id = id_of(st, "id", buf))) {
		ingest_reject(ig, unit, w, native, "missing \"id_str\"");
		return;
	}
	if (check(ig, unit, w, native, st) < 0)
		return;
	ingest_post(ig, unit, w, st, convert(st, id));
}

static void
statuses(struct ingest *ig, const struct ingest_unit *unit, const char *key,
    const json_t *list)
{
	struct tend_buf w = TEND_BUF_INIT;
	const json_t *st;
	size_t i;

	json_array_foreach(list, i, st) {
		tend_buf_reset(&w);
		tend_buf_printf(&w, "%s[%zu]", key, i);
		status(ig, unit, w.data, st, 0);
	}
	tend_buf_release(&w);
}

/* A streaming API notice: {"delete": ...}, {"limit": ...}, ... */
static int
is_notice(const json_t *doc)
{
	static const char *const kinds[] = { "delete", "limit", "scrub_geo",
	    "status_withheld", "user_withheld", "disconnect", "warning",
	    "friends", "friends_str", NULL };

	if (json_object_size(doc) != 1)
		return 0;
	return tend_word_in(json_object_iter_key(json_object_iter(
	    (json_t *)doc)), kinds);
}

static void
document_twitter_v1(struct ingest *ig, const struct ingest_unit *unit,
    json_t *doc)
{
	const char *msg;
	char q[96];

	if (json_is_array(doc))
		statuses(ig, unit, "", doc);
	else if (json_is_array(json_object_get(doc, "statuses")))
		statuses(ig, unit, "statuses", json_object_get(doc,
		    "statuses"));
	else if (json_object_get(doc, "id_str") || json_object_get(doc, "id") ||
	    json_is_object(json_object_get(doc, "tweet")))
		status(ig, unit, NULL, doc, 1);
	else if ((msg = str(json_array_get(json_object_get(doc, "errors"), 0),
	    "message")))
		ingest_reject(ig, unit, NULL, NULL, "an API error response, not "
		    "data: '%s'", tend_error_quote(msg, strlen(msg), q, 64));
	else if (!is_notice(doc))
		ingest_reject(ig, unit, NULL, NULL, "not a Twitter v1.1 "
		    "status, an array of statuses or a search response");
}

/* 1 when a starts with a time in Twitter's form and its closing quote:
 * Wed Oct 10 20:19:24 +0000 2018" */
static int
twitter_date_at(const char *a)
{
	static const char shape[] = "Aaa Aaa 00 00:00:00 +0000 0000\"";
	size_t i;

	for (i = 0; shape[i]; i++) {
		char c = a[i];

		if (shape[i] == 'A' || shape[i] == 'a') {
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
				return 0;
		} else if (shape[i] == '0') {
			if (c < '0' || c > '9')
				return 0;
		} else if (shape[i] == '+') {
			if (c != '+' && c != '-')
				return 0;
		} else if (c != shape[i])
			return 0;
	}
	return 1;
}

/* 1 when some "created_at" in head has a value of Twitter's shape. */
static int
has_twitter_date(const char *head)
{
	const char *p = head;

	while ((p = strstr(p, "\"created_at\""))) {
		p += strlen("\"created_at\"");
		p += strspn(p, " \t\r\n");
		if (*p != ':')
			continue;
		p++;
		p += strspn(p, " \t\r\n");
		if (*p == '"' && twitter_date_at(p + 1))
			return 1;
	}
	return 0;
}

static int
sniff_twitter_v1(const char *head, size_t n)
{
	const char *p = head + strspn(head, " \t\r\n");

	if (strncmp(p, "window.YTD.", 11) == 0 && strstr(p, "\"tweet\""))
		return 95;
	if (*p != '{' && *p != '[')
		return 0;
	if (has_twitter_date(p))
		return strstr(p, "\"id_str\"") ? 90 : 50;
	return 0;
}

const struct ingest_format ingest_format_twitter_v1 = {
	"twitter-v1", "Twitter API v1.1 statuses, search responses and "
	"archives' tweets.js", INGEST_JSON_DOCS, sniff_twitter_v1,
	document_twitter_v1, NULL, NULL, NULL, NULL
};
