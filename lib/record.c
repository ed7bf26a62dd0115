#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "jscan.h"
#include "record.h"
#include "utf8.h"

const char *const tend_channels[] = {
	"twitter", "facebook", "instagram", "mastodon", "reddit", "youtube",
	"email", "chat", "phone", "survey", "web", "other", NULL
};
const char *const tend_kinds[] = { "post", "event", "survey", "alert", NULL };
const char *const tend_scales[] = { "nps", "csat", NULL };
const char *const tend_actors[] = { "customer", "agent", "bot", "system",
	NULL };
const char *const tend_visibilities[] = { "public", "private", "internal",
	NULL };

int
tend_word_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static void
list_words(const char *const *list, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (; *list && o + 2 < size; list++)
		o += (size_t)snprintf(out + o, size - o, "%s%s",
		    o ? ", " : "", *list);
}

/* A string member: required or optional, from a closed list or free. */
static int
check_string(json_t *obj, const char *key, const char *path, int required,
    const char *const *allowed, struct tend_error *err)
{
	json_t *v = json_object_get(obj, key);
	char q[80], words[200];

	if (!v) {
		if (required)
			tend_error_set(err, NULL, 0, 0,
			    "missing required field \"%s\"", path);
		return required ? -1 : 0;
	}
	if (!json_is_string(v)) {
		tend_error_set(err, NULL, 0, 0,
		    "field \"%s\" must be a string, not %s", path,
		    type_name(v));
		return -1;
	}
	if (allowed && !tend_word_in(json_string_value(v), allowed)) {
		list_words(allowed, words, sizeof(words));
		tend_error_set(err, NULL, 0, 0,
		    "field \"%s\": unknown value '%s' (expected one of: %s)",
		    path, tend_error_quote(json_string_value(v),
		    json_string_length(v), q, 40), words);
		return -1;
	}
	return 0;
}

static int
check_string_array(json_t *obj, const char *key, struct tend_error *err)
{
	json_t *v = json_object_get(obj, key), *item;
	size_t i;

	if (!v)
		return 0;
	if (!json_is_array(v)) {
		tend_error_set(err, NULL, 0, 0,
		    "field \"%s\" must be an array of strings, not %s", key,
		    type_name(v));
		return -1;
	}
	json_array_foreach(v, i, item)
		if (!json_is_string(item)) {
			tend_error_set(err, NULL, 0, 0,
			    "field \"%s[%zu]\" must be a string, not %s", key,
			    i, type_name(item));
			return -1;
		}
	return 0;
}

static int
check_author(json_t *root, struct tend_error *err)
{
	json_t *a = json_object_get(root, "author"), *v;

	if (!a)
		return 0;
	if (!json_is_object(a)) {
		tend_error_set(err, NULL, 0, 0,
		    "field \"author\" must be an object, not %s", type_name(a));
		return -1;
	}
	if (check_string(a, "id", "author.id", 0, NULL, err) < 0 ||
	    check_string(a, "handle", "author.handle", 0, NULL, err) < 0 ||
	    check_string(a, "name", "author.name", 0, NULL, err) < 0)
		return -1;
	v = json_object_get(a, "followers");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0)) {
		tend_error_set(err, NULL, 0, 0, "field \"author.followers\" "
		    "must be a non-negative integer");
		return -1;
	}
	v = json_object_get(a, "verified");
	if (v && !json_is_boolean(v)) {
		tend_error_set(err, NULL, 0, 0,
		    "field \"author.verified\" must be a boolean, not %s",
		    type_name(v));
		return -1;
	}
	return 0;
}

static int
check_created_at(json_t *root, struct tend_time *t, struct tend_error *err)
{
	json_t *v = json_object_get(root, "created_at");
	char q[80];

	if (check_string(root, "created_at", "created_at", 1, NULL, err) < 0)
		return -1;
	if (tend_time_parse_rfc3339(json_string_value(v),
	    json_string_length(v), t) < 0) {
		tend_error_set(err, NULL, 0, 0,
		    "field \"created_at\": not an RFC 3339 time: '%s'",
		    tend_error_quote(json_string_value(v),
		    json_string_length(v), q, 48));
		return -1;
	}
	return 0;
}

/* A survey's answer: "scale" nps (0 to 10) or csat (1 to 5), and "score",
 * an integer on that scale. */
static int
check_survey(json_t *root, struct tend_error *err)
{
	const char *scale;
	json_t *score;
	long long lo, hi;

	if (check_string(root, "scale", "scale", 1, tend_scales, err) < 0)
		return -1;
	scale = tend_record_str(root, "scale");
	lo = strcmp(scale, "nps") == 0 ? 0 : 1;
	hi = strcmp(scale, "nps") == 0 ? 10 : 5;
	if (!(score = json_object_get(root, "score"))) {
		tend_error_set(err, NULL, 0, 0,
		    "missing required field \"score\"");
		return -1;
	}
	if (!json_is_integer(score) || json_integer_value(score) < lo ||
	    json_integer_value(score) > hi) {
		tend_error_set(err, NULL, 0, 0, "field \"score\" must be an "
		    "integer from %lld to %lld on the %s scale", lo, hi, scale);
		return -1;
	}
	return 0;
}

int
tend_record_validate(json_t *root, struct tend_time *created_at,
    struct tend_error *err)
{
	const char *kind;
	json_t *id;

	if (!json_is_object(root)) {
		tend_error_set(err, NULL, 0, 0,
		    "a record must be a JSON object, not %s", type_name(root));
		return -1;
	}
	if (check_string(root, "id", "id", 1, NULL, err) < 0)
		return -1;
	id = json_object_get(root, "id");
	if (json_string_length(id) == 0) {
		tend_error_set(err, NULL, 0, 0, "field \"id\" is empty");
		return -1;
	}
	if (check_string(root, "kind", "kind", 0, tend_kinds, err) < 0)
		return -1;
	kind = tend_record_str(root, "kind");
	if (!kind)
		kind = "post";
	if (check_string(root, "channel", "channel", 1, tend_channels,
	    err) < 0 ||
	    check_created_at(root, created_at, err) < 0 ||
	    check_string(root, "text", "text", strcmp(kind, "post") == 0,
	    NULL, err) < 0 ||
	    check_string(root, "thread", "thread", strcmp(kind, "event") == 0,
	    NULL, err) < 0 ||
	    check_string(root, "event", "event", strcmp(kind, "event") == 0,
	    NULL, err) < 0 ||
	    check_string(root, "reply_to", "reply_to", 0, NULL, err) < 0 ||
	    check_string(root, "actor", "actor", 0, tend_actors, err) < 0 ||
	    check_string(root, "visibility", "visibility", 0,
	    tend_visibilities, err) < 0 ||
	    check_string(root, "lang", "lang", 0, NULL, err) < 0 ||
	    check_string(root, "url", "url", 0, NULL, err) < 0 ||
	    check_string_array(root, "links", err) < 0 ||
	    check_string_array(root, "mentions", err) < 0 ||
	    check_string_array(root, "hashtags", err) < 0 ||
	    check_author(root, err) < 0 ||
	    (strcmp(kind, "survey") == 0 && check_survey(root, err) < 0))
		return -1;
	if (json_object_get(root, "source") &&
	    !json_is_object(json_object_get(root, "source"))) {
		tend_error_set(err, NULL, 0, 0,
		    "field \"source\" must be an object");
		return -1;
	}
	return 0;
}

void
tend_record_init(struct tend_record *r)
{
	memset(r, 0, sizeof(*r));
	tend_jview_init(&r->view);
}

static void
clear_edits(struct tend_record *r)
{
	size_t i;

	for (i = 0; i < r->nedits; i++) {
		free(r->edits[i].key);
		free(r->edits[i].value);
	}
	r->nedits = 0;
}

void
tend_record_release(struct tend_record *r)
{
	clear_edits(r);
	free(r->edits);
	r->edits = NULL;
	r->edits_cap = 0;
	json_decref(r->root);
	r->root = NULL;
	tend_jview_release(&r->view);
	tend_jview_init(&r->view);
}

static void
describe_json_error(const char *line, size_t len, const json_error_t *jerr,
    struct tend_error *err)
{
	size_t bad = tend_utf8_check(line, len);
	const char *nul = memchr(line, '\0', len);

	if (nul && (size_t)(nul - line) <= bad)
		tend_error_set(err, NULL, 0, (long)(nul - line) + 1,
		    "NUL byte in record");
	else if (bad < len)
		tend_error_set(err, NULL, 0, (long)bad + 1,
		    "invalid UTF-8 (byte 0x%02x)", (unsigned char)line[bad]);
	else if (json_error_code(jerr) == json_error_premature_end_of_input)
		tend_error_set(err, NULL, 0, (long)len + 1,
		    "invalid JSON: truncated record");
	else {
		char text[TEND_JSON_ERROR_TEXT];

		tend_error_set(err, NULL, 0, jerr->position > 0 ?
		    (long)jerr->position : 1, "invalid JSON: %s",
		    tend_json_error_text(jerr, text, sizeof(text)));
	}
}

const char *
tend_json_error_text(const json_error_t *jerr, char *out, size_t size)
{
	size_t i, o = 0;

	/* jansson quotes the input near the error: a stranger's bytes,
	 * which must not reach a terminal raw */
	for (i = 0; jerr->text[i] && o + 5 < size; i++) {
		unsigned char c = (unsigned char)jerr->text[i];

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

int
tend_record_parse(struct tend_record *r, const char *line, size_t len,
    struct tend_error *err)
{
	json_error_t jerr;
	json_t *v;

	clear_edits(r);
	json_decref(r->root);
	r->view.valid = 0;
	r->line = line;
	r->len = len;
	r->root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!r->root) {
		describe_json_error(line, len, &jerr, err);
		return -1;
	}
	if (tend_record_validate(r->root, &r->created_at, err) < 0)
		return -1;
	v = json_object_get(r->root, "created_at");
	if (!tend_time_is_canonical(json_string_value(v),
	    json_string_length(v))) {
		char canon[TEND_TIME_TEXT];

		tend_time_format(r->created_at, canon);
		tend_record_set(r, "created_at", json_string(canon));
	}
	return 0;
}

static struct tend_record_edit *
find_edit(struct tend_record *r, const char *key)
{
	struct tend_record_edit *e;
	size_t i;

	for (i = 0; i < r->nedits; i++)
		if (strcmp(r->edits[i].key, key) == 0) {
			free(r->edits[i].value);
			return &r->edits[i];
		}
	tend_xgrow((void **)&r->edits, &r->edits_cap, r->nedits + 1,
	    sizeof(*r->edits));
	e = &r->edits[r->nedits++];
	e->key = tend_xstrdup(key);
	return e;
}

void
tend_record_set_raw(struct tend_record *r, const char *key, const char *json,
    size_t n)
{
	struct tend_record_edit *e = find_edit(r, key);

	e->value = tend_xmalloc(n + 1);
	memcpy(e->value, json, n);
	e->value[n] = '\0';
}

void
tend_record_set(struct tend_record *r, const char *key, json_t *value)
{
	struct tend_record_edit *e = find_edit(r, key);

	e->value = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	json_object_set_new(r->root, key, value);
}

struct splice {
	size_t start, end;
	const struct tend_record_edit *edit;
};

static int
by_start(const void *a, const void *b)
{
	const struct splice *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

void
tend_record_write(const struct tend_record *r, struct tend_buf *out)
{
	struct splice stack[8], *sp = stack;
	size_t nsp = 0, pos = 0, i;
	long close;
	int added = 0;

	if (!r->nedits) {
		tend_buf_grow(out, r->len + 1);
		tend_buf_add(out, r->line, r->len);
		tend_buf_addc(out, '\n');
		return;
	}
	if (r->nedits > 8)
		sp = tend_xmalloc(r->nedits * sizeof(*sp));
	/* the view (tend_record_scan) already knows where members are */
	close = r->view.valid ? (long)r->view.object_end - 1 :
	    tend_jscan_object_end(r->line, r->len);
	for (i = 0; i < r->nedits; i++) {
		struct tend_jspan span;
		long m;

		if (r->view.valid) {
			m = tend_jview_find(&r->view, r->edits[i].key,
			    strlen(r->edits[i].key));
			if (m < 0)
				continue;
			span.value_start = r->view.members[m].value_start;
			span.value_end = r->view.members[m].value_end;
		} else if (tend_jscan_find(r->line, r->len, r->edits[i].key,
		    &span) != 1)
			continue;
		sp[nsp].start = span.value_start;
		sp[nsp].end = span.value_end;
		sp[nsp++].edit = &r->edits[i];
	}
	qsort(sp, nsp, sizeof(*sp), by_start);
	for (i = 0; i < nsp; i++) {
		tend_buf_add(out, r->line + pos, sp[i].start - pos);
		tend_buf_adds(out, sp[i].edit->value);
		pos = sp[i].end;
	}
	tend_buf_add(out, r->line + pos, (size_t)close - pos);
	/* members not in the original go before the closing brace */
	{
		size_t k = (size_t)close;

		while (k > 0 && (r->line[k - 1] == ' ' ||
		    r->line[k - 1] == '\t'))
			k--;
		added = k > 0 && r->line[k - 1] != '{';
	}
	for (i = 0; i < r->nedits; i++) {
		size_t j;
		int found = 0;

		for (j = 0; j < nsp; j++)
			if (sp[j].edit == &r->edits[i])
				found = 1;
		if (found)
			continue;
		if (added)
			tend_buf_addc(out, ',');
		tend_buf_addc(out, '"');
		tend_buf_adds(out, r->edits[i].key);
		tend_buf_add(out, "\":", 2);
		tend_buf_adds(out, r->edits[i].value);
		added = 1;
	}
	tend_buf_add(out, r->line + close, r->len - (size_t)close);
	tend_buf_addc(out, '\n');
	if (sp != stack)
		free(sp);
}

void
tend_record_dump(const json_t *root, struct tend_buf *out)
{
	size_t n = json_dumpb(root, NULL, 0, JSON_COMPACT);

	tend_buf_grow(out, n + 1);
	json_dumpb(root, out->data + out->len, n, JSON_COMPACT);
	out->len += n;
	tend_buf_addc(out, '\n');
}

/* The value at a dotted path of object members, or NULL. */
static json_t *
root_get(const json_t *root, const char *path)
{
	const char *dot;
	char key[64];

	while ((dot = strchr(path, '.'))) {
		size_t n = (size_t)(dot - path);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		root = json_object_get(root, key);
		path = dot + 1;
	}
	return json_object_get(root, path);
}

const char *
tend_record_str(const json_t *root, const char *path)
{
	return json_string_value(root_get(root, path));
}

void
tend_json_add_string(struct tend_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	tend_buf_grow(out, n + 2);
	tend_buf_addc(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		tend_buf_add(out, s + run, i - run);
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"': case '\\': esc[1] = (char)c; break;
		case '\n': esc[1] = 'n'; break;
		case '\t': esc[1] = 't'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			tend_buf_add(out, esc, 6);
			continue;
		}
		tend_buf_add(out, esc, 2);
	}
	tend_buf_add(out, s + run, n - run);
	tend_buf_addc(out, '"');
}

/*
 * The fast path: a conservative check, on the view, of what
 * tend_record_validate() checks.  It answers "plainly valid" or "not sure";
 * "not sure" sends the line through jansson and tend_record_validate(), so
 * there is one authority on what a valid record is and what the message
 * says.
 */

/* The string at top-level key, or absent (1), or not a string (-1). */
static int
view_string(struct tend_record *r, const char *key, struct tend_jval *v)
{
	*v = tend_jview_get(&r->view, key);
	if (v->type == TEND_JNONE)
		return 1;
	return v->type == TEND_JSTRING ? 0 : -1;
}

/* 1 when the string v, decoded, is one of list. */
static int
view_in(struct tend_record *r, struct tend_jval v, const char *const *list)
{
	for (; *list; list++)
		if (tend_jview_str_equal(&r->view, v, *list, strlen(*list)))
			return 1;
	return 0;
}

/* 1 when key is absent, or a string (required: present), from list. */
static int
view_ok_string(struct tend_record *r, const char *key, int required,
    const char *const *list)
{
	struct tend_jval v;
	int rc = view_string(r, key, &v);

	if (rc == 1)
		return !required;
	return rc == 0 && (!list || view_in(r, v, list));
}

static int
view_ok_strings(struct tend_record *r, struct tend_jval arr)
{
	struct tend_jval e;
	size_t it = 0;

	if (arr.type == TEND_JNONE)
		return 1;
	if (arr.type != TEND_JARRAY)
		return 0;
	while (tend_jview_next(&r->view, arr, &it, &e))
		if (e.type != TEND_JSTRING)
			return 0;
	return 1;
}

static int
view_ok_author(struct tend_record *r)
{
	struct tend_jval a = tend_jview_get(&r->view, "author"), v;
	long long n;

	if (a.type == TEND_JNONE)
		return 1;
	if (a.type != TEND_JOBJECT)
		return 0;
	v = tend_jview_get(&r->view, "author.id");
	if (v.type != TEND_JNONE && v.type != TEND_JSTRING)
		return 0;
	v = tend_jview_get(&r->view, "author.handle");
	if (v.type != TEND_JNONE && v.type != TEND_JSTRING)
		return 0;
	v = tend_jview_get(&r->view, "author.name");
	if (v.type != TEND_JNONE && v.type != TEND_JSTRING)
		return 0;
	v = tend_jview_get(&r->view, "author.followers");
	if (v.type != TEND_JNONE && (tend_jview_int(&r->view, v, &n) < 0 ||
	    n < 0))
		return 0;
	v = tend_jview_get(&r->view, "author.verified");
	return v.type == TEND_JNONE || v.type == TEND_JTRUE ||
	    v.type == TEND_JFALSE;
}

static int
view_ok_survey(struct tend_record *r)
{
	static const char *const nps[] = { "nps", NULL };
	struct tend_jval v;
	long long score;
	int is_nps;

	if (view_string(r, "scale", &v) != 0 || !view_in(r, v, tend_scales))
		return 0;
	is_nps = view_in(r, v, nps);
	v = tend_jview_get(&r->view, "score");
	return tend_jview_int(&r->view, v, &score) == 0 &&
	    score >= (is_nps ? 0 : 1) && score <= (is_nps ? 10 : 5);
}

static int
view_plainly_valid(struct tend_record *r)
{
	static const char *const post[] = { "post", NULL };
	static const char *const event[] = { "event", NULL };
	static const char *const survey[] = { "survey", NULL };
	struct tend_jval v;
	const char *s;
	size_t n;
	int is_post = 1, is_event = 0, is_survey = 0;

	if (view_string(r, "id", &v) != 0 || v.end - v.start <= 2)
		return 0;
	if ((v = tend_jview_get(&r->view, "kind")).type != TEND_JNONE) {
		if (v.type != TEND_JSTRING || !view_in(r, v, tend_kinds))
			return 0;
		is_post = view_in(r, v, post);
		is_event = view_in(r, v, event);
		is_survey = view_in(r, v, survey);
	}
	if (!view_ok_string(r, "channel", 1, tend_channels) ||
	    view_string(r, "created_at", &v) != 0)
		return 0;
	s = tend_jview_str(&r->view, v, &n);
	if (!s || !tend_time_is_canonical(s, n) ||
	    tend_time_parse_rfc3339(s, n, &r->created_at) < 0)
		return 0;
	return view_ok_string(r, "text", is_post, NULL) &&
	    view_ok_string(r, "thread", is_event, NULL) &&
	    view_ok_string(r, "event", is_event, NULL) &&
	    view_ok_string(r, "reply_to", 0, NULL) &&
	    view_ok_string(r, "actor", 0, tend_actors) &&
	    view_ok_string(r, "visibility", 0, tend_visibilities) &&
	    view_ok_string(r, "lang", 0, NULL) &&
	    view_ok_string(r, "url", 0, NULL) &&
	    view_ok_strings(r, tend_jview_get(&r->view, "links")) &&
	    view_ok_strings(r, tend_jview_get(&r->view, "mentions")) &&
	    view_ok_strings(r, tend_jview_get(&r->view, "hashtags")) &&
	    view_ok_author(r) &&
	    (!is_survey || view_ok_survey(r)) &&
	    ((v = tend_jview_get(&r->view, "source")).type == TEND_JNONE ||
	    v.type == TEND_JOBJECT);
}

int
tend_record_scan(struct tend_record *r, const char *line, size_t len,
    struct tend_error *err)
{
	clear_edits(r);
	json_decref(r->root);
	r->root = NULL;
	r->line = line;
	r->len = len;
	if (tend_jview_parse(&r->view, line, len) == 0 &&
	    view_plainly_valid(r))
		return 0;
	r->view.valid = 0;
	return tend_record_parse(r, line, len, err);
}

const char *
tend_record_get_str(struct tend_record *r, const char *path,
    struct tend_buf *buf)
{
	const char *s;
	size_t n;

	tend_buf_reset(buf);
	if (r->root) {
		json_t *v = root_get(r->root, path);

		if (!json_is_string(v))
			return NULL;
		s = json_string_value(v);
		n = json_string_length(v);
	} else if (!(s = tend_jview_str(&r->view, tend_jview_get(&r->view,
	    path), &n)))
		return NULL;
	tend_buf_grow(buf, n + 1);
	tend_buf_add(buf, s, n);
	return buf->data;
}

int
tend_record_get_int(struct tend_record *r, const char *path,
    long long *out)
{
	if (r->root) {
		json_t *v = root_get(r->root, path);

		if (!json_is_integer(v))
			return -1;
		*out = json_integer_value(v);
		return 0;
	}
	return tend_jview_int(&r->view, tend_jview_get(&r->view, path), out);
}

int
tend_record_get_num(struct tend_record *r, const char *path, double *out)
{
	if (r->root) {
		json_t *v = root_get(r->root, path);

		if (!json_is_number(v))
			return -1;
		*out = json_number_value(v);
		return 0;
	}
	return tend_jview_real(&r->view, tend_jview_get(&r->view, path), out);
}

int
tend_record_is_true(struct tend_record *r, const char *path)
{
	if (r->root)
		return json_is_true(root_get(r->root, path));
	return tend_jview_get(&r->view, path).type == TEND_JTRUE;
}

void
tend_record_each_str(struct tend_record *r, const char *path,
    void (*fn)(void *arg, const char *s, size_t n), void *arg)
{
	if (r->root) {
		json_t *arr = root_get(r->root, path), *v;
		size_t i;

		json_array_foreach(arr, i, v)
			if (json_is_string(v))
				fn(arg, json_string_value(v),
				    json_string_length(v));
	} else {
		struct tend_jval arr = tend_jview_get(&r->view, path), e;
		size_t it = 0, n;
		const char *s;

		while (tend_jview_next(&r->view, arr, &it, &e))
			if ((s = tend_jview_str(&r->view, e, &n)))
				fn(arg, s, n);
	}
}
