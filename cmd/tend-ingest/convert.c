/* convert.c: small helpers the format converters share. */
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "ingest.h"

json_t *
ingest_id(const char *channel, const char *native)
{
	struct tend_buf b = TEND_BUF_INIT;
	json_t *id;

	tend_buf_printf(&b, "%s:%s", channel, native);
	id = json_stringn(b.data, b.len);
	tend_buf_release(&b);
	return id;
}

void
ingest_set_string(json_t *obj, const char *key, const char *s,
    int skip_empty)
{
	if (s && (!skip_empty || *s))
		json_object_set_new(obj, key, json_string(s));
}

const char *
ingest_id_text(const json_t *v, char buf[32])
{
	if (json_is_string(v) && json_string_length(v) > 0)
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}

/* Bytes that may continue a mention or hashtag: letters, digits, '_', and
 * any non-ASCII byte (hashtags are written in every script). */
static int
word_byte(unsigned char c)
{
	return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') ||
	    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int
url_byte(unsigned char c)
{
	return c > ' ' && c != '"' && c != '<' && c != '>' && c != 0x7f;
}

/* A new empty array at key, or NULL when the platform gave its own list
 * (which is kept). */
static json_t *
array_member(json_t *post, const char *key)
{
	json_t *a = json_object_get(post, key);

	if (json_is_array(a))
		return NULL;
	a = json_array();
	json_object_set_new(post, key, a);
	return a;
}

void
ingest_entities_from_text(json_t *post, const char *text)
{
	json_t *links = array_member(post, "links");
	json_t *mentions = array_member(post, "mentions");
	json_t *tags = array_member(post, "hashtags");
	const unsigned char *p = (const unsigned char *)text;

	while (*p) {
		const unsigned char *s = p, *e;
		int after_word = p > (const unsigned char *)text &&
		    word_byte(p[-1]);

		if ((strncmp((const char *)p, "http://", 7) == 0 ||
		    strncmp((const char *)p, "https://", 8) == 0) &&
		    !after_word) {
			for (e = p; url_byte(*e); e++)
				;
			/* trailing punctuation belongs to the sentence */
			while (e > s && strchr(".,;:!?)]}'", e[-1]))
				e--;
			if (links)
				json_array_append_new(links,
				    json_stringn((const char *)s,
				    (size_t)(e - s)));
			p = e > p ? e : p + 1;
			continue;
		}
		if ((*p == '@' || *p == '#') && !after_word &&
		    word_byte(p[1])) {
			json_t *to = *p == '@' ? mentions : tags;

			for (e = p + 1; word_byte(*e); e++)
				;
			if (to)
				json_array_append_new(to, json_stringn(
				    (const char *)p + 1, (size_t)(e - p - 1)));
			p = e;
			continue;
		}
		p++;
	}
}
