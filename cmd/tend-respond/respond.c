/* respond.c: which posts get a reply, which template, and the reply
 * filled and checked (tend-respond(1)). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "respond.h"

enum {
	FLAG_SENSITIVE = 1,
	FLAG_PHISHING = 2,
	FLAG_IMPERSONATION = 4
};

static void
note_broken(void *arg, const struct tend_ph *ph)
{
	unsigned char *broken = arg;

	if (ph->kind != TEND_PH_OK)
		*broken = 1;
}

void
respond_init(struct respond *r, struct tend_map *map, struct tend_style *st)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->map = map;
	r->st = st;
	r->broken = tend_xcalloc(map->n + 1, 1);
	for (i = 0; i < map->n; i++)
		tend_template_scan(map->v[i].text, map->v[i].text_len,
		    note_broken, &r->broken[i]);
	tend_buf_init(&r->handle);
	tend_buf_init(&r->name);
	tend_buf_init(&r->caseid);
	tend_buf_init(&r->field);
	tend_buf_init(&r->topics_buf);
	tend_buf_init(&r->text);
	tend_buf_init(&r->lang);
	tend_buf_init(&r->category);
}

void
respond_release(struct respond *r)
{
	free(r->broken);
	tend_buf_release(&r->handle);
	tend_buf_release(&r->name);
	tend_buf_release(&r->caseid);
	tend_buf_release(&r->field);
	tend_buf_release(&r->topics_buf);
	tend_buf_release(&r->text);
	tend_buf_release(&r->lang);
	tend_buf_release(&r->category);
}

/* How well t answers the post: 3 an exact topic, 2 a parent topic, 1 the
 * category (t names no topic), 0 not at all. */
static int
match(const struct tend_template *t, const char *category,
    const char *const *topics, size_t ntopics)
{
	size_t i, j, n;
	int best = 0;

	if (!t->ntopics)
		return category && tend_template_has((const char *const *)
		    t->categories, t->ncategories, category) ? 1 : 0;
	if (t->ncategories && (!category || !tend_template_has(
	    (const char *const *)t->categories, t->ncategories, category)))
		return 0;
	for (i = 0; i < t->ntopics; i++) {
		n = strlen(t->topics[i]);
		for (j = 0; j < ntopics; j++) {
			if (strcmp(topics[j], t->topics[i]) == 0)
				return 3;
			if (strncmp(topics[j], t->topics[i], n) == 0 &&
			    topics[j][n] == '/')
				best = 2;
		}
	}
	return best;
}

const struct tend_template *
respond_choose(const struct respond *r, const char *category,
    const char *const *topics, size_t ntopics, const char *lang,
    const char *channel)
{
	const struct tend_template *t, *best = NULL;
	int score, best_score = 0;
	size_t i;

	for (i = 0; i < r->map->n; i++) {
		t = &r->map->v[i];
		if (strcmp(t->lang, lang) != 0 || !tend_template_has(
		    (const char *const *)t->channels, t->nchannels, channel))
			continue;
		score = match(t, category, topics, ntopics);
		if (score > best_score) {
			best = t;
			best_score = score;
		}
	}
	return best;
}

/* --- reading the record ------------------------------------------------- */

static void
add_topic(void *arg, const char *s, size_t n)
{
	struct respond *r = arg;

	if (r->ntopics == RESPOND_MAX_TOPICS)
		return;
	r->topic_off[r->ntopics++] = r->topics_buf.len;
	tend_buf_add(&r->topics_buf, s, n);
	tend_buf_addc(&r->topics_buf, '\0');
}

static void
add_flag(void *arg, const char *s, size_t n)
{
	struct respond *r = arg;

	if (n > 10 && memcmp(s, "sensitive.", 10) == 0)
		r->flags |= FLAG_SENSITIVE;
	else if ((n == 8 && memcmp(s, "phishing", 8) == 0) ||
	    (n > 9 && memcmp(s, "phishing.", 9) == 0))
		r->flags |= FLAG_PHISHING;
	else if (n == 13 && memcmp(s, "impersonation", 13) == 0)
		r->flags |= FLAG_IMPERSONATION;
}

/* 1 when rec is a customer's post that could want an answer. */
static int
customer_post(struct respond *r, struct tend_record *rec)
{
	const char *s;

	if ((s = tend_record_get_str(rec, "kind", &r->field)) &&
	    strcmp(s, "post") != 0)
		return 0;
	if ((s = tend_record_get_str(rec, "actor", &r->field)) &&
	    strcmp(s, "customer") != 0)
		return 0;
	if ((s = tend_record_get_str(rec, "visibility", &r->field)) &&
	    strcmp(s, "internal") == 0)
		return 0;
	return 1;
}

/* The post's language: class.lang, else lang (its primary subtag), else
 * the map's fallback; copied into buf, or NULL. */
static const char *
post_lang(struct respond *r, struct tend_record *rec, struct tend_buf *buf)
{
	const char *s = tend_record_get_str(rec, "class.lang", buf);
	size_t i;

	if (s && *s && strcmp(s, "und") != 0)
		return s;
	s = tend_record_get_str(rec, "lang", buf);
	if (s && *s && strcmp(s, "und") != 0) {
		for (i = 0; buf->data[i] && buf->data[i] != '-' &&
		    buf->data[i] != '_'; i++)
			buf->data[i] = (char)tolower((unsigned char)
			    buf->data[i]);
		buf->data[i] = '\0';
		buf->len = i;
		return buf->data;
	}
	return r->map->fallback_lang;
}

/* --- filling -------------------------------------------------------------- */

struct values {
	struct respond *r;
	struct tend_record *rec;
};

static const char *
value(void *arg, const char *name, size_t n)
{
	struct values *v = arg;
	struct respond *r = v->r;
	const struct tend_ph_spec *s = tend_template_spec(r->map, name, n);
	const char *x;

	if (!s)
		return NULL;
	if (s->source == TEND_PH_VALUE)
		return s->value;
	if (strcmp(s->name, "agent.initials") == 0)
		return r->agent;
	if (strcmp(s->name, "agent.name") == 0)
		return r->agent_name;
	if (strcmp(s->name, "customer.handle") == 0)
		return tend_record_get_str(v->rec, "author.handle",
		    &r->handle);
	if (strcmp(s->name, "customer.name") == 0) {
		x = tend_record_get_str(v->rec, "author.name", &r->name);
		return x && *x ? x : tend_record_get_str(v->rec,
		    "author.handle", &r->name);
	}
	if (strcmp(s->name, "case_id") == 0) {
		x = tend_record_get_str(v->rec, "thread", &r->caseid);
		return x ? x : tend_record_get_str(v->rec, "id", &r->caseid);
	}
	return NULL;
}

static void
first_error(void *arg, const struct tend_finding *f)
{
	struct respond *r = arg;

	if (f->severity == TEND_SEV_ERROR && !r->has_error) {
		r->first_error = *f;
		r->has_error = 1;
	}
}

static void
add_str(struct tend_buf *out, const char *key, const char *s)
{
	tend_buf_printf(out, ",\"%s\":", key);
	tend_json_add_string(out, s, strlen(s));
}

static int
skipped(struct tend_buf *out, const char *reason,
    const struct tend_template *t)
{
	tend_buf_printf(out, "{\"skipped\":\"%s\"", reason);
	if (t)
		add_str(out, "template", t->id);
	tend_buf_addc(out, '}');
	return 0;
}

/* Fills t for rec; the reply, or why not, into out. */
static int
fill(struct respond *r, struct tend_record *rec,
    const struct tend_template *t, const char *channel, struct tend_buf *out)
{
	const struct tend_limit *lim = tend_style_limit(r->st, channel);
	struct values v = { r, rec };
	const char *missing;
	size_t missing_len;
	long len, max = 0;

	if (r->broken[t - r->map->v])
		return skipped(out, "broken_template", t);
	tend_buf_reset(&r->text);
	if (tend_template_fill(t->text, t->text_len, value, &v, &r->text,
	    &missing, &missing_len) < 0) {
		skipped(out, "unfilled", t);
		out->len--;
		tend_buf_adds(out, ",\"placeholder\":");
		tend_json_add_string(out, missing, missing_len);
		tend_buf_addc(out, '}');
		return 0;
	}
	r->has_error = 0;
	tend_tone_check(r->st, t->lang, channel, r->text.data, r->text.len,
	    TEND_CHECK_LENGTH | TEND_CHECK_LINKS | TEND_CHECK_BANNED,
	    first_error, r);
	len = r->st->measured;	/* measured by the length check */
	max = r->st->measured_max;
	if (!lim)
		len = (long)tend_tone_length(r->st, &(struct tend_limit){ NULL,
		    0, TEND_COUNT_CHARS }, r->text.data, r->text.len, &max);
	if (r->has_error) {
		int too_long = strncmp(r->first_error.rule, "length.", 7) == 0;

		skipped(out, too_long ? "too_long" : "lint", t);
		out->len--;
		tend_buf_printf(out, ",\"rule\":\"%s\"", r->first_error.rule);
		add_str(out, "message", r->first_error.message);
		if (too_long)
			tend_buf_printf(out, ",\"length\":%ld,\"limit\":%ld",
			    len, max);
		tend_buf_addc(out, '}');
		return 0;
	}
	tend_buf_adds(out, "{\"template\":");
	tend_json_add_string(out, t->id, strlen(t->id));
	add_str(out, "lang", t->lang);
	add_str(out, "text", r->text.data);
	tend_buf_printf(out, ",\"length\":%ld", len);
	if (lim)
		tend_buf_printf(out, ",\"limit\":%ld", max);
	add_str(out, "agent", r->agent);
	add_str(out, "actor", r->bot ? "bot" : "agent");
	tend_buf_addc(out, '}');
	return 1;
}

int
respond_record(struct respond *r, struct tend_record *rec,
    struct tend_buf *out)
{
	const char *topics[RESPOND_MAX_TOPICS], *lang, *channel, *category;
	const struct tend_template *t;
	size_t i;

	if (!customer_post(r, rec))
		return -1;
	r->flags = 0;
	tend_record_each_str(rec, "class.flags", add_flag, r);
	if (r->flags & FLAG_SENSITIVE)
		return skipped(out, "sensitive", NULL);
	if (r->flags & FLAG_PHISHING)
		return skipped(out, "phishing", NULL);
	if (r->flags & FLAG_IMPERSONATION)
		return skipped(out, "impersonation", NULL);
	if (tend_record_get_str(rec, "sla.first_response_at", &r->field) ||
	    tend_record_get_str(rec, "sla.response_at", &r->field))
		return skipped(out, "answered", NULL);
	category = tend_record_get_str(rec, "class.category", &r->category);
	if (!category)
		return skipped(out, "unclassified", NULL);
	r->ntopics = 0;
	tend_buf_reset(&r->topics_buf);
	tend_record_each_str(rec, "class.topics", add_topic, r);
	for (i = 0; i < r->ntopics; i++)
		topics[i] = r->topics_buf.data + r->topic_off[i];
	lang = post_lang(r, rec, &r->lang);
	if (!lang)
		return skipped(out, "no_language", NULL);
	channel = tend_record_get_str(rec, "channel", &r->field);
	t = respond_choose(r, category, topics, r->ntopics, lang, channel);
	if (!t)
		return skipped(out, "no_template", NULL);
	return fill(r, rec, t, channel, out);
}
