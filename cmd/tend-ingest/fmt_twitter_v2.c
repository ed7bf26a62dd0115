/* fmt_twitter_v2.c: Twitter/X API v2 responses (tweet lookup, search,
 * timelines): {data, includes, meta, errors}, data one tweet or an array,
 * a file of one pretty-printed response or JSON lines of pages; also bare
 * tweet objects (an array, or one a line as twarc2 flattens them, with
 * the author inline).
 *
 * The author comes from includes.users; a tweet whose author is not there
 * (a suspended or deleted account: the response says so in errors) keeps
 * author.id alone.  The text is what a reader sees: note_tweet.text for
 * long posts, each t.co link replaced by the address it stands for (what
 * the app shows, and what classify needs to judge a link), and &amp;,
 * &lt;, &gt;, which the API writes for &, <, >, decoded.  A retweet is
 * ingested as itself (who amplified what, and when); the API cuts its
 * text, so when the response has the original (includes.tweets, or
 * data), its whole text follows the "RT @user: ".  The thread is the
 * conversation_id.
 * Partial errors (deleted tweets, suspended users) name things that are
 * not in the data: they are no records, and are not reported.
 */
#include <string.h>

#include "buf.h"
#include "error.h"
#include "ingest.h"

/* What a response holds besides its tweets (borrowed objects, by id). */
struct response {
	json_t *users;
	json_t *tweets;
};

static const char *
str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Maps the id of each object of list to the object, unless the map has
 * that id already. */
static void
add_by_id(json_t *map, const json_t *list)
{
	json_t *v;
	const char *id;
	char buf[32];
	size_t i;

	json_array_foreach(list, i, v)
		if ((id = ingest_id_text(json_object_get(v, "id"), buf)) &&
		    !json_object_get(map, id))
			json_object_set(map, id, v);
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

/* Appends text as a reader sees it: the t.co links of urls expanded,
 * &amp; &lt; &gt; decoded (and only those: the API escapes nothing
 * else, so "&quot;" was typed as such). */
static void
add_text(struct tend_buf *out, const json_t *text, const json_t *urls)
{
	static const struct { const char *ref; char c; } refs[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }
	};
	const char *s = json_string_value(text);
	size_t n = json_string_length(text), i = 0, j, len;
	json_t *expansions = json_object(), *to;

	add_expansions(expansions, urls);
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

/* Links are the addresses of the urls entities; a photo or video (the
 * entity names its media_key) is not a link anyone follows. */
static void
add_links(struct names *n, const json_t *urls)
{
	const json_t *u;
	size_t i;

	json_array_foreach(urls, i, u) {
		const char *to = str(u, "expanded_url");

		if (!json_object_get(u, "media_key"))
			add_unique(n, to && *to ? to : str(u, "url"));
	}
}

/* A tweet's text and the entities that go with it: a long post's note,
 * else the tweet's own. */
static const json_t *
text_of(const json_t *tweet, const json_t **entities)
{
	const json_t *note = json_object_get(tweet, "note_tweet");

	if (json_is_string(json_object_get(note, "text"))) {
		*entities = json_object_get(note, "entities");
		if (!json_is_object(*entities))
			*entities = json_object_get(tweet, "entities");
		return json_object_get(note, "text");
	}
	*entities = json_object_get(tweet, "entities");
	return json_object_get(tweet, "text");
}

/* The id of the tweet this one refers to as type, or NULL. */
static const char *
referenced(const json_t *tweet, const char *type, char buf[32])
{
	const json_t *ref;
	size_t i;

	json_array_foreach(json_object_get(tweet, "referenced_tweets"), i,
	    ref) {
		const char *t = str(ref, "type");

		if (t && strcmp(t, type) == 0)
			return ingest_id_text(json_object_get(ref, "id"), buf);
	}
	return NULL;
}

/* Adds text, links, mentions and hashtags.  A retweet whose original is
 * in the response gets "RT @user: " and the original's whole text. */
static void
add_content(json_t *post, const json_t *tweet, const struct response *r)
{
	const json_t *entities, *text = text_of(tweet, &entities);
	const json_t *orig = NULL, *orig_entities = NULL, *orig_text = NULL;
	const char *s = json_string_value(text), *colon, *rt;
	struct tend_buf b = TEND_BUF_INIT;
	struct names links, mentions, tags;
	char buf[32];

	if (strncmp(s, "RT @", 4) == 0 && (colon = strstr(s, ": ")) &&
	    (rt = referenced(tweet, "retweeted", buf)) &&
	    (orig = json_object_get(r->tweets, rt)) &&
	    json_is_string(orig_text = text_of(orig, &orig_entities))) {
		tend_buf_add(&b, s, (size_t)(colon - s) + 2);
		add_text(&b, orig_text, json_object_get(orig_entities, "urls"));
	} else {
		orig_entities = NULL;
		add_text(&b, text, json_object_get(entities, "urls"));
	}
	json_object_set_new(post, "text", json_stringn(b.data, b.len));
	if (!json_is_object(entities) && !json_is_object(orig_entities)) {
		/* not asked for (tweet.fields=entities), or none */
		ingest_entities_from_text(post, b.data ? b.data : "");
		tend_buf_release(&b);
		return;
	}
	names_init(&links);
	names_init(&mentions);
	names_init(&tags);
	add_links(&links, json_object_get(entities, "urls"));
	add_links(&links, json_object_get(orig_entities, "urls"));
	add_names(&mentions, json_object_get(entities, "mentions"),
	    "username");
	add_names(&mentions, json_object_get(orig_entities, "mentions"),
	    "username");
	add_names(&tags, json_object_get(entities, "hashtags"), "tag");
	add_names(&tags, json_object_get(orig_entities, "hashtags"), "tag");
	names_set(post, "links", &links);
	names_set(post, "mentions", &mentions);
	names_set(post, "hashtags", &tags);
	tend_buf_release(&b);
}

/* The author: the user object (inline, as twarc2 flattens it, or from
 * includes.users), else just the id. */
static const json_t *
add_author(json_t *post, const json_t *tweet, const struct response *r)
{
	const json_t *user = json_object_get(tweet, "author"), *followers;
	const char *id;
	json_t *author = json_object();
	char buf[32];

	id = ingest_id_text(json_object_get(tweet, "author_id"), buf);
	if (!json_is_object(user))
		user = id ? json_object_get(r->users, id) : NULL;
	if (!id && user)
		id = ingest_id_text(json_object_get(user, "id"), buf);
	ingest_set_string(author, "id", id, 1);
	ingest_set_string(author, "handle", str(user, "username"), 1);
	ingest_set_string(author, "name", str(user, "name"), 1);
	followers = json_object_get(json_object_get(user, "public_metrics"),
	    "followers_count");
	if (json_is_integer(followers) && json_integer_value(followers) >= 0)
		json_object_set(author, "followers", (json_t *)followers);
	if (json_is_boolean(json_object_get(user, "verified")))
		json_object_set(author, "verified",
		    json_object_get(user, "verified"));
	if (json_object_size(author))
		json_object_set_new(post, "author", author);
	else
		json_decref(author);
	return user;
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

static json_t *
convert(const json_t *tweet, const char *id, const struct response *r)
{
	json_t *post = json_object();
	const json_t *user;
	const char *v, *handle;
	char buf[32];

	json_object_set_new(post, "id", ingest_id("twitter", id));
	json_object_set_new(post, "channel", json_string("twitter"));
	json_object_set(post, "created_at",
	    json_object_get(tweet, "created_at"));
	user = add_author(post, tweet, r);
	add_content(post, tweet, r);
	if ((v = ingest_id_text(json_object_get(tweet, "conversation_id"),
	    buf)))
		json_object_set_new(post, "thread", ingest_id("twitter", v));
	if ((v = referenced(tweet, "replied_to", buf)))
		json_object_set_new(post, "reply_to", ingest_id("twitter", v));
	if (is_language(v = str(tweet, "lang")))
		json_object_set_new(post, "lang", json_string(v));
	if ((handle = str(user, "username")) && *handle) {
		struct tend_buf url = TEND_BUF_INIT;

		tend_buf_printf(&url, "https://twitter.com/%s/status/%s",
		    handle, id);
		json_object_set_new(post, "url", json_string(url.data));
		tend_buf_release(&url);
	}
	return post;
}

/* Checks what the core cannot say as well: which field is missing, and
 * the tweet.fields to ask for. */
static int
check(struct ingest *ig, const struct ingest_unit *unit, const char *w,
    const json_t *native, const json_t *tweet)
{
	const json_t *when = json_object_get(tweet, "created_at");
	struct tend_time t;
	char q[80];

	if (!json_object_get(tweet, "text") ||
	    json_is_null(json_object_get(tweet, "text"))) {
		ingest_reject(ig, unit, w, native, "missing \"text\"");
		return -1;
	}
	if (!json_is_string(json_object_get(tweet, "text"))) {
		ingest_reject(ig, unit, w, native, "\"text\" is not a string");
		return -1;
	}
	if (!when || json_is_null(when)) {
		ingest_reject(ig, unit, w, native, "missing \"created_at\" "
		    "(request it with tweet.fields=created_at)");
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

/* One tweet at w; whole: it is the unit itself (a reject keeps the
 * unit's bytes). */
static void
tweet(struct ingest *ig, const struct ingest_unit *unit, const char *w,
    const json_t *tw, const struct response *r, int whole)
{
	const json_t *native = whole ? NULL : tw;
	const char *id;
	char buf[32];

	if (!json_is_object(tw)) {
		ingest_reject(ig, unit, w, native,
		    "expected a tweet (an object)");
		return;
	}
	if (!(id = ingest_id_text(json_object_get(tw, "id"), buf))) {
		ingest_reject(ig, unit, w, native, "missing \"id\"");
		return;
	}
	if (check(ig, unit, w, native, tw) < 0)
		return;
	ingest_post(ig, unit, w, tw, convert(tw, id, r));
}

static void
tweets(struct ingest *ig, const struct ingest_unit *unit, const char *key,
    const json_t *list, const struct response *r)
{
	struct tend_buf w = TEND_BUF_INIT;
	const json_t *tw;
	size_t i;

	json_array_foreach(list, i, tw) {
		tend_buf_reset(&w);
		tend_buf_printf(&w, "%s[%zu]", key, i);
		tweet(ig, unit, w.data, tw, r, 0);
	}
	tend_buf_release(&w);
}

/* The message of an error response saved instead of data (a v2
 * problem: title, detail; or v1.1's errors[].message), or NULL when doc
 * is not one. */
static const char *
api_error(const json_t *doc)
{
	const json_t *first = json_array_get(json_object_get(doc, "errors"),
	    0);

	if (str(doc, "detail"))
		return str(doc, "detail");
	if (str(doc, "title"))
		return str(doc, "title");
	return str(first, "message");
}

/* A response without data: an empty page (meta.result_count 0) or only
 * partial errors is nothing to ingest; an error response, or anything
 * else, is rejected. */
static void
no_data(struct ingest *ig, const struct ingest_unit *unit, const json_t *doc)
{
	const char *msg = api_error(doc);
	char q[96];

	if (msg)
		ingest_reject(ig, unit, NULL, NULL, "an API error response, not "
		    "data: '%s'", tend_error_quote(msg, strlen(msg), q, 64));
	else if (!json_is_array(json_object_get(doc, "errors")) &&
	    !json_is_object(json_object_get(doc, "meta")))
		ingest_reject(ig, unit, NULL, NULL,
		    "not a Twitter API v2 response (no \"data\")");
}

static void
document_twitter_v2(struct ingest *ig, const struct ingest_unit *unit,
    json_t *doc)
{
	const json_t *includes = json_object_get(doc, "includes");
	const json_t *data = json_object_get(doc, "data");
	struct response r;

	r.users = json_object();
	r.tweets = json_object();
	add_by_id(r.users, json_object_get(includes, "users"));
	add_by_id(r.tweets, json_object_get(includes, "tweets"));
	add_by_id(r.tweets, data);	/* a retweet's original may be there */
	if (json_is_array(doc))
		tweets(ig, unit, "", doc, &r);
	else if (!json_is_object(doc))
		ingest_reject(ig, unit, NULL, NULL,
		    "not a Twitter API v2 response (no \"data\")");
	else if (json_is_array(data))
		tweets(ig, unit, "data", data, &r);
	else if (json_is_object(data))
		tweet(ig, unit, "data", data, &r, 0);
	else if (data && !json_is_null(data))
		ingest_reject(ig, unit, NULL, NULL,
		    "\"data\" is not a tweet or an array of tweets");
	else if (json_object_get(doc, "id") && json_object_get(doc, "text"))
		tweet(ig, unit, NULL, doc, &r, 1);
	else
		no_data(ig, unit, doc);
	json_decref(r.users);
	json_decref(r.tweets);
}

/* A response starts {"data": and its tweets have fields v1.1 never had;
 * bare tweets (twarc2) have edit_history_tweet_ids, a default field. */
static int
sniff_twitter_v2(const char *head, size_t n)
{
	int tweet_fields = strstr(head, "\"edit_history_tweet_ids\"") ||
	    strstr(head, "\"author_id\"") || strstr(head, "\"conversation_id\"");

	head += strspn(head, " \t\r\n");
	if (*head != '{' && *head != '[')
		return 0;
	if (strstr(head, "\"data\"") && tweet_fields)
		return 95;
	if (strstr(head, "\"edit_history_tweet_ids\""))
		return 90;
	if (strstr(head, "\"data\"") && strstr(head, "\"includes\"") &&
	    strstr(head, "\"text\""))
		return 60;
	return 0;
}

const struct ingest_format ingest_format_twitter_v2 = {
	"twitter-v2", "Twitter/X API v2 responses (data, includes.users), "
	"one per file or a line", INGEST_JSON_DOCS, sniff_twitter_v2,
	document_twitter_v2, NULL, NULL, NULL, NULL
};
