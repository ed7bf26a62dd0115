/* template.c: the tend-templates(5) map parser, the placeholder scanner
 * and the filler.
 *
 * A map file is read line by line, like a policy: a line that does not
 * start with a blank is a directive or opens a block ("template ID",
 * "cover"); a line that starts with blanks belongs to the block above.
 * Whole-line comments start with '#'.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"
#include "conf.h"
#include "record.h"
#include "template.h"
#include "utf8.h"

#define MAX_MAP_BYTES (16L * 1024 * 1024)
#define MAX_PH_MAX 100000	/* the largest "max" accepted */

static const struct {
	const char *name;
	int source;
	long max;
	int ascii;
} builtin_specs[] = {
	{ "customer.handle", TEND_PH_RECORD, 30, 1 },
	{ "customer.name", TEND_PH_RECORD, 50, 0 },
	{ "case_id", TEND_PH_RECORD, 40, 1 },
	{ "agent.initials", TEND_PH_AGENT, 3, 1 },
	{ "agent.name", TEND_PH_AGENT, 30, 0 },
	{ "order_id", TEND_PH_NONE, 12, 1 },
	{ "brand", TEND_PH_VALUE, 0, 0 },
	{ "link", TEND_PH_VALUE, 0, 0 },
};
#define NBUILTIN (sizeof(builtin_specs) / sizeof(builtin_specs[0]))

struct parser {
	struct tend_map *m;
	const char *path;	/* the map's copy */
	long line;
	const char *text;	/* the line being read */
	struct tend_template *tpl;	/* the block open, if a template */
	struct tend_cover *cover;	/* ... if a cover block */
	struct tend_buf body;		/* the template's text so far */
	struct tend_error *err;
};

#define fail(ps, ...) \
	tend_conf_fail((ps)->path, (ps)->line, (ps)->err, __VA_ARGS__)

/* The next word of the line, ending at a blank or, when comma is set, at
 * a comma (which is skipped, as blanks are). */
static int
next_word(struct parser *ps, size_t *pos, struct tend_word *w, int comma)
{
	return tend_conf_word(ps->text, pos, comma ? TEND_WORD_COMMAS :
	    TEND_WORD_BLANKS, w);
}

int
tend_template_has(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static int
name_chars_ok(const struct tend_word *w, const char *extra)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (!isalnum((unsigned char)w->s[i]) && !strchr(extra, w->s[i]))
			return 0;
	return w->n > 0;
}

static int
lang_ok(const struct tend_word *w)
{
	size_t i;

	if (w->n < 2 || w->n > 3)
		return 0;
	for (i = 0; i < w->n; i++)
		if (w->s[i] < 'a' || w->s[i] > 'z')
			return 0;
	return 1;
}

int
tend_template_channel(const char *s, size_t n)
{
	size_t i;

	if (n == 3 && memcmp(s, "sms", 3) == 0)
		return 1;
	for (i = 0; tend_channels[i]; i++)
		if (strlen(tend_channels[i]) == n &&
		    memcmp(tend_channels[i], s, n) == 0)
			return 1;
	return 0;
}

static int
channel_ok(const struct tend_word *w)
{
	return tend_template_channel(w->s, w->n);
}

static int
category_ok(const struct tend_word *w)
{
	size_t i;

	for (i = 0; cl_categories[i]; i++)
		if (tend_word_is(w, cl_categories[i]))
			return 1;
	return 0;
}

enum list_kind { L_CATEGORY, L_TOPIC, L_CHANNEL, L_LANG };

static int
check_item(struct parser *ps, const struct tend_word *w, int kind)
{
	char q[80];

	switch (kind) {
	case L_CATEGORY:
		if (!category_ok(w))
			return fail(ps, w->col, "unknown category '%s' "
			    "(expected complaint, question, request, spam, "
			    "feedback or praise)",
			    tend_word_quote(w, q, sizeof(q)));
		break;
	case L_TOPIC:
		if (!name_chars_ok(w, "/_-."))
			return fail(ps, w->col, "bad topic '%s' (letters, "
			    "digits, '/', '_', '-', '.')",
			    tend_word_quote(w, q, sizeof(q)));
		break;
	case L_CHANNEL:
		if (!channel_ok(w))
			return fail(ps, w->col, "unknown channel '%s' (a "
			    "channel of tend-post(5), or sms)",
			    tend_word_quote(w, q, sizeof(q)));
		break;
	case L_LANG:
		if (!lang_ok(w))
			return fail(ps, w->col, "bad language '%s' (a "
			    "lower-case ISO 639 code such as en)",
			    tend_word_quote(w, q, sizeof(q)));
		break;
	}
	return 0;
}

/* Reads a list of one or more items (separated by commas or blanks) from
 * pos to the end of the line, appending to *v (duplicates dropped). */
static int
parse_list(struct parser *ps, size_t pos, const struct tend_word *kw, int kind,
    char ***v, size_t *n)
{
	struct tend_word w;
	char *item;
	size_t got = 0;

	while (next_word(ps, &pos, &w, 1)) {
		if (check_item(ps, &w, kind) < 0)
			return -1;
		got++;
		item = tend_xstrndup(w.s, w.n);
		if (tend_template_has((const char *const *)*v, *n, item)) {
			free(item);
			continue;
		}
		*v = tend_xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = item;
	}
	if (!got)
		return fail(ps, kw->col + (long)kw->n, "expected a list after "
		    "'%.*s'", (int)kw->n, kw->s);
	return 0;
}

static struct tend_ph_spec *
spec_find(const struct tend_map *m, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < m->nspecs; i++)
		if (strlen(m->specs[i].name) == n &&
		    memcmp(m->specs[i].name, name, n) == 0)
			return &m->specs[i];
	return NULL;
}

const struct tend_ph_spec *
tend_template_spec(const struct tend_map *m, const char *name, size_t n)
{
	return spec_find(m, name, n);
}

static struct tend_ph_spec *
spec_add(struct tend_map *m, const char *name, size_t n)
{
	struct tend_ph_spec *s = spec_find(m, name, n);

	if (s)
		return s;
	m->specs = tend_xrealloc(m->specs, (m->nspecs + 1) *
	    sizeof(*m->specs));
	s = &m->specs[m->nspecs++];
	memset(s, 0, sizeof(*s));
	s->name = tend_xstrndup(name, n);
	s->source = TEND_PH_NONE;
	return s;
}

struct tend_map *
tend_template_map_new(void)
{
	struct tend_map *m = tend_xcalloc(1, sizeof(*m));
	struct tend_ph_spec *s;
	size_t i;

	for (i = 0; i < NBUILTIN; i++) {
		s = spec_add(m, builtin_specs[i].name,
		    strlen(builtin_specs[i].name));
		s->source = builtin_specs[i].source;
		s->max = builtin_specs[i].max;
		s->ascii = builtin_specs[i].ascii;
	}
	return m;
}

static void
template_free(struct tend_template *t)
{
	size_t i;

	free(t->id);
	tend_free_strings(t->categories, t->ncategories);
	tend_free_strings(t->topics, t->ntopics);
	tend_free_strings(t->channels, t->nchannels);
	free(t->lang);
	for (i = 0; i < t->nmaxes; i++)
		free(t->maxes[i].name);
	free(t->maxes);
	free(t->text);
	free(t->lines);
}

void
tend_template_map_free(struct tend_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		template_free(&m->v[i]);
	free(m->v);
	for (i = 0; i < m->ncovers; i++) {
		tend_free_strings(m->covers[i].categories, m->covers[i].ncategories);
		tend_free_strings(m->covers[i].langs, m->covers[i].nlangs);
		tend_free_strings(m->covers[i].channels, m->covers[i].nchannels);
	}
	free(m->covers);
	for (i = 0; i < m->nspecs; i++) {
		free(m->specs[i].name);
		free(m->specs[i].value);
	}
	free(m->specs);
	tend_free_strings(m->files, m->nfiles);
	free(m->fallback_lang);
	free(m);
}

/* A positive count no larger than MAX_PH_MAX. */
static int
count_word(struct parser *ps, const struct tend_word *w, long *out)
{
	char q[80];
	long v = 0;
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (!isdigit((unsigned char)w->s[i]) || v > MAX_PH_MAX)
			break;
		v = v * 10 + (w->s[i] - '0');
	}
	if (i < w->n || !w->n || v < 1 || v > MAX_PH_MAX)
		return fail(ps, w->col, "expected a length from 1 to %d, not "
		    "'%s'", MAX_PH_MAX, tend_word_quote(w, q, sizeof(q)));
	*out = v;
	return 0;
}

/* A placeholder name as written in "max" and "placeholder" lines. */
static int
ph_name_word(struct parser *ps, const struct tend_word *w)
{
	char q[80];
	size_t i;
	int dot = 1;

	for (i = 0; i < w->n; i++) {
		if (w->s[i] == '.') {
			if (dot)
				break;
			dot = 1;
		} else if (isalnum((unsigned char)w->s[i]) || w->s[i] == '_') {
			dot = 0;
		} else {
			break;
		}
	}
	if (i < w->n || dot || w->n > TEND_PH_NAME_MAX)
		return fail(ps, w->col, "bad placeholder name '%s' (letters, "
		    "digits and '_', in parts joined by '.')",
		    tend_word_quote(w, q, sizeof(q)));
	return 0;
}

/* placeholder NAME max N [ascii] */
static int
parse_placeholder(struct parser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_word name, w;
	struct tend_ph_spec *s;
	char q[80];
	long max;
	int ascii = 0;

	if (!next_word(ps, &pos, &name, 0))
		return fail(ps, kw->col + (long)kw->n, "expected a name after "
		    "'placeholder'");
	if (ph_name_word(ps, &name) < 0)
		return -1;
	if (!next_word(ps, &pos, &w, 0) || !tend_word_is(&w, "max"))
		return fail(ps, name.col + (long)name.n, "expected 'max' and a "
		    "length after the name");
	if (!next_word(ps, &pos, &w, 0))
		return fail(ps, w.col + 3, "expected a length after 'max'");
	if (count_word(ps, &w, &max) < 0)
		return -1;
	if (next_word(ps, &pos, &w, 0)) {
		if (!tend_word_is(&w, "ascii"))
			return fail(ps, w.col, "unexpected '%s' (expected "
			    "ascii or the end of the line)",
			    tend_word_quote(&w, q, sizeof(q)));
		ascii = 1;
		if (next_word(ps, &pos, &w, 0))
			return fail(ps, w.col, "unexpected '%s'",
			    tend_word_quote(&w, q, sizeof(q)));
	}
	s = spec_add(ps->m, name.s, name.n);
	if (s->source == TEND_PH_VALUE)
		return fail(ps, name.col, "'%s' takes a fixed value: give it "
		    "with 'value', not 'placeholder'", s->name);
	s->max = max;
	s->ascii = ascii;
	s->file = ps->path;
	s->line = ps->line;
	return 0;
}

/* value NAME TEXT: the rest of the line, blanks trimmed. */
static int
parse_value(struct parser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_word name;
	struct tend_ph_spec *s;
	const char *v;

	if (!next_word(ps, &pos, &name, 0))
		return fail(ps, kw->col + (long)kw->n, "expected a name after "
		    "'value'");
	if (ph_name_word(ps, &name) < 0)
		return -1;
	v = ps->text + pos;
	while (*v == ' ' || *v == '\t')
		v++;
	if (!*v)
		return fail(ps, name.col + (long)name.n, "expected the value "
		    "after the name");
	s = spec_add(ps->m, name.s, name.n);
	if (s->source == TEND_PH_RECORD || s->source == TEND_PH_AGENT)
		return fail(ps, name.col, "'%s' is filled from the post or "
		    "the agent and cannot be given a value", s->name);
	free(s->value);
	s->value = tend_xstrdup(v);
	s->source = TEND_PH_VALUE;
	s->file = ps->path;
	s->line = ps->line;
	return 0;
}

static int
finish_template(struct parser *ps)
{
	struct tend_template *t = ps->tpl;
	const char *missing = NULL;

	if (!t)
		return 0;
	ps->tpl = NULL;
	if (!t->lang)
		missing = "lang";
	else if (!t->nchannels)
		missing = "channels";
	else if (!t->ncategories && !t->ntopics)
		missing = "answers";
	else if (!t->nlines)
		missing = "text";
	t->text_len = ps->body.len;
	t->text = tend_buf_detach(&ps->body);
	if (missing) {
		tend_error_set(ps->err, ps->path, t->line, t->col, "template "
		    "'%s' has no '%s' line", t->id, missing);
		template_free(t);	/* the last one: keep the map whole */
		ps->m->n--;
		return -1;
	}
	return 0;
}

/* Drops the last cover block, half read. */
static void
cover_drop(struct tend_map *m)
{
	struct tend_cover *c = &m->covers[--m->ncovers];

	tend_free_strings(c->categories, c->ncategories);
	tend_free_strings(c->langs, c->nlangs);
	tend_free_strings(c->channels, c->nchannels);
}

static int
finish_cover(struct parser *ps)
{
	struct tend_cover *c = ps->cover;
	const char *missing = NULL;

	if (!c)
		return 0;
	ps->cover = NULL;
	if (!c->ncategories)
		missing = "category";
	else if (!c->nlangs)
		missing = "lang";
	else if (!c->nchannels)
		missing = "channel";
	if (missing) {
		tend_error_set(ps->err, ps->path, c->line, c->col, "cover "
		    "block has no '%s' line", missing);
		cover_drop(ps->m);
		return -1;
	}
	return 0;
}

static int
finish_block(struct parser *ps)
{
	if (finish_template(ps) < 0)
		return -1;
	return finish_cover(ps);
}

static int
open_template(struct parser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_map *m = ps->m;
	struct tend_template *t;
	struct tend_word id, extra;
	char q[80];
	size_t i;

	if (!next_word(ps, &pos, &id, 0))
		return fail(ps, kw->col + (long)kw->n, "expected an id after "
		    "'template'");
	if (!name_chars_ok(&id, "_-.") || id.n > 128)
		return fail(ps, id.col, "bad template id '%s' (letters, "
		    "digits, '_', '-', '.')",
		    tend_word_quote(&id, q, sizeof(q)));
	if (next_word(ps, &pos, &extra, 0))
		return fail(ps, extra.col, "unexpected '%s' after the id",
		    tend_word_quote(&extra, q, sizeof(q)));
	for (i = 0; i < m->n; i++)
		if (tend_word_is(&id, m->v[i].id))
			return fail(ps, id.col, "duplicate template id '%s' "
			    "(first at %s:%ld)", m->v[i].id, m->v[i].file,
			    m->v[i].line);
	tend_xgrow((void **)&m->v, &m->cap, m->n + 1, sizeof(*m->v));
	t = &m->v[m->n++];
	memset(t, 0, sizeof(*t));
	t->id = tend_xstrndup(id.s, id.n);
	t->file = ps->path;
	t->line = ps->line;
	t->col = id.col;
	ps->tpl = t;
	tend_buf_reset(&ps->body);
	return 0;
}

static int
open_cover(struct parser *ps, size_t pos)
{
	struct tend_map *m = ps->m;
	struct tend_word extra;
	char q[80];

	if (next_word(ps, &pos, &extra, 0))
		return fail(ps, extra.col, "unexpected '%s' after 'cover'",
		    tend_word_quote(&extra, q, sizeof(q)));
	m->covers = tend_xrealloc(m->covers, (m->ncovers + 1) *
	    sizeof(*m->covers));
	ps->cover = &m->covers[m->ncovers++];
	memset(ps->cover, 0, sizeof(*ps->cover));
	ps->cover->file = ps->path;
	ps->cover->line = ps->line;
	ps->cover->col = 1;
	return 0;
}

static int
top_level(struct parser *ps)
{
	struct tend_word kw, w;
	size_t pos = 0;
	char q[80];

	next_word(ps, &pos, &kw, 0);
	if (finish_block(ps) < 0)
		return -1;
	if (tend_word_is(&kw, "template"))
		return open_template(ps, pos, &kw);
	if (tend_word_is(&kw, "cover"))
		return open_cover(ps, pos);
	if (tend_word_is(&kw, "placeholder"))
		return parse_placeholder(ps, pos, &kw);
	if (tend_word_is(&kw, "value"))
		return parse_value(ps, pos, &kw);
	if (tend_word_is(&kw, "fallback-lang")) {
		if (!next_word(ps, &pos, &w, 0))
			return fail(ps, kw.col + (long)kw.n, "expected a "
			    "language after 'fallback-lang'");
		if (check_item(ps, &w, L_LANG) < 0)
			return -1;
		free(ps->m->fallback_lang);
		ps->m->fallback_lang = tend_xstrndup(w.s, w.n);
		if (next_word(ps, &pos, &w, 0))
			return fail(ps, w.col, "unexpected '%s'",
			    tend_word_quote(&w, q, sizeof(q)));
		return 0;
	}
	return fail(ps, kw.col, "unknown directive '%s' (expected template, "
	    "cover, placeholder, value or fallback-lang)",
	    tend_word_quote(&kw, q, sizeof(q)));
}

/* text [LINE]: the rest of the line after one blank, as it is. */
static int
text_line(struct parser *ps, size_t pos)
{
	struct tend_template *t = ps->tpl;
	const char *s = ps->text + pos;

	if (*s == ' ' || *s == '\t')
		s++;
	if (t->nlines)
		tend_buf_addc(&ps->body, '\n');
	t->lines = tend_xrealloc(t->lines, (t->nlines + 1) *
	    sizeof(*t->lines));
	t->lines[t->nlines].off = ps->body.len;
	t->lines[t->nlines].line = ps->line;
	t->lines[t->nlines].col = tend_conf_column(ps->text,
	    (size_t)(s - ps->text));
	t->nlines++;
	tend_buf_adds(&ps->body, s);
	return 0;
}

/* max NAME N */
static int
max_line(struct parser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_template *t = ps->tpl;
	struct tend_word name, w;
	char q[80];
	long max;

	if (!next_word(ps, &pos, &name, 0))
		return fail(ps, kw->col + 3, "expected a placeholder name "
		    "after 'max'");
	if (ph_name_word(ps, &name) < 0)
		return -1;
	if (!next_word(ps, &pos, &w, 0))
		return fail(ps, name.col + (long)name.n, "expected a length "
		    "after the name");
	if (count_word(ps, &w, &max) < 0)
		return -1;
	if (next_word(ps, &pos, &w, 0))
		return fail(ps, w.col, "unexpected '%s'",
		    tend_word_quote(&w, q, sizeof(q)));
	t->maxes = tend_xrealloc(t->maxes, (t->nmaxes + 1) *
	    sizeof(*t->maxes));
	t->maxes[t->nmaxes].name = tend_xstrndup(name.s, name.n);
	t->maxes[t->nmaxes].max = max;
	t->maxes[t->nmaxes].line = ps->line;
	t->maxes[t->nmaxes].col = name.col;
	t->nmaxes++;
	return 0;
}

static int
template_attribute(struct parser *ps, size_t pos, const struct tend_word *kw)
{
	struct tend_template *t = ps->tpl;
	struct tend_word w;
	char q[80];

	if (tend_word_is(kw, "text"))
		return text_line(ps, pos);
	if (tend_word_is(kw, "answers")) {
		if (!next_word(ps, &pos, &w, 0))
			return fail(ps, kw->col + 7, "expected category or "
			    "topic after 'answers'");
		if (tend_word_is(&w, "category"))
			return parse_list(ps, pos, &w, L_CATEGORY,
			    &t->categories, &t->ncategories);
		if (tend_word_is(&w, "topic"))
			return parse_list(ps, pos, &w, L_TOPIC, &t->topics,
			    &t->ntopics);
		return fail(ps, w.col, "expected category or topic after "
		    "'answers', not '%s'", tend_word_quote(&w, q, sizeof(q)));
	}
	if (tend_word_is(kw, "channels"))
		return parse_list(ps, pos, kw, L_CHANNEL, &t->channels,
		    &t->nchannels);
	if (tend_word_is(kw, "lang")) {
		if (t->lang)
			return fail(ps, kw->col, "a template has one 'lang'");
		if (!next_word(ps, &pos, &w, 0))
			return fail(ps, kw->col + 4, "expected a language "
			    "after 'lang'");
		if (check_item(ps, &w, L_LANG) < 0)
			return -1;
		t->lang = tend_xstrndup(w.s, w.n);
		t->lang_line = ps->line;
		t->lang_col = w.col;
		if (next_word(ps, &pos, &w, 0))
			return fail(ps, w.col, "unexpected '%s'",
			    tend_word_quote(&w, q, sizeof(q)));
		return 0;
	}
	if (tend_word_is(kw, "max"))
		return max_line(ps, pos, kw);
	return fail(ps, kw->col, "unknown template attribute '%s' (expected "
	    "answers, channels, lang, max or text)",
	    tend_word_quote(kw, q, sizeof(q)));
}

static int
attribute(struct parser *ps, size_t indent)
{
	struct tend_word kw;
	size_t pos = indent;
	char q[80];

	next_word(ps, &pos, &kw, 0);
	if (ps->tpl)
		return template_attribute(ps, pos, &kw);
	if (!ps->cover)
		return fail(ps, kw.col, "'%s' is not inside a template or a "
		    "cover block (only their lines are indented)",
		    tend_word_quote(&kw, q, sizeof(q)));
	if (tend_word_is(&kw, "category"))
		return parse_list(ps, pos, &kw, L_CATEGORY,
		    &ps->cover->categories, &ps->cover->ncategories);
	if (tend_word_is(&kw, "lang"))
		return parse_list(ps, pos, &kw, L_LANG, &ps->cover->langs,
		    &ps->cover->nlangs);
	if (tend_word_is(&kw, "channel") || tend_word_is(&kw, "channels"))
		return parse_list(ps, pos, &kw, L_CHANNEL,
		    &ps->cover->channels, &ps->cover->nchannels);
	return fail(ps, kw.col, "unknown cover attribute '%s' (expected "
	    "category, lang or channel)", tend_word_quote(&kw, q, sizeof(q)));
}

static int
parse_line(struct parser *ps, char *line, size_t n)
{
	size_t indent = 0, bad;

	ps->text = line;
	if ((bad = tend_utf8_check(line, n)) < n)
		return fail(ps, tend_conf_column(line, bad), "invalid UTF-8");
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' ||
	    line[n - 1] == '\r'))
		line[--n] = '\0';
	while (line[indent] == ' ' || line[indent] == '\t')
		indent++;
	if (!line[indent] || line[indent] == '#')
		return 0;
	return indent ? attribute(ps, indent) : top_level(ps);
}

static const char *
file_name(struct tend_map *m, const char *path)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		if (strcmp(m->files[i], path) == 0)
			return m->files[i];
	m->files = tend_xrealloc(m->files, (m->nfiles + 1) *
	    sizeof(*m->files));
	m->files[m->nfiles] = tend_xstrdup(path);
	return m->files[m->nfiles++];
}

int
tend_template_parse(struct tend_map *m, const char *text, size_t n,
    const char *path, struct tend_error *err)
{
	struct parser ps;
	size_t pos = 0;
	struct tend_buf line = TEND_BUF_INIT;
	int rc = 0;

	memset(&ps, 0, sizeof(ps));
	ps.m = m;
	ps.path = file_name(m, path);
	ps.err = err;
	tend_buf_init(&ps.body);
	if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < n && rc == 0) {
		ps.line++;
		if (tend_conf_line(text, n, &pos, &line) < 0)
			rc = fail(&ps, tend_conf_column(line.data,
			    strlen(line.data)), "NUL byte in the file");
		else
			rc = parse_line(&ps, line.data, line.len);
	}
	tend_buf_release(&line);
	if (rc == 0)
		rc = finish_block(&ps);
	else if (ps.tpl) {
		/* keep the map consistent: drop the half-read template */
		ps.tpl->text_len = ps.body.len;
		ps.tpl->text = tend_buf_detach(&ps.body);
		template_free(ps.tpl);
		m->n--;
	} else if (ps.cover) {
		cover_drop(m);
	}
	tend_buf_release(&ps.body);
	return rc;
}

int
tend_template_load(struct tend_map *m, const char *path,
    struct tend_error *err)
{
	struct tend_buf text = TEND_BUF_INIT;
	int rc;

	if (tend_conf_read(path, MAX_MAP_BYTES, "file", &text, NULL, err) < 0) {
		tend_buf_release(&text);
		return -1;
	}
	rc = tend_template_parse(m, text.data ? text.data : "", text.len, path,
	    err);
	tend_buf_release(&text);
	return rc;
}

long
tend_template_max(const struct tend_map *m, const struct tend_template *t,
    const char *name, size_t n)
{
	const struct tend_ph_spec *s;
	size_t i;

	for (i = t->nmaxes; i-- > 0;)
		if (strlen(t->maxes[i].name) == n &&
		    memcmp(t->maxes[i].name, name, n) == 0)
			return t->maxes[i].max;
	s = spec_find(m, name, n);
	if (!s)
		return -1;
	if (s->value)
		return (long)strlen(s->value);
	return s->max;
}

void
tend_template_where(const struct tend_template *t, size_t off, long *line,
    long *col)
{
	size_t i = 0, j;

	while (i + 1 < t->nlines && t->lines[i + 1].off <= off)
		i++;
	if (!t->nlines) {
		*line = t->line;
		*col = t->col;
		return;
	}
	*line = t->lines[i].line;
	*col = t->lines[i].col;
	for (j = t->lines[i].off; j < off && j < t->text_len; j++)
		if (((unsigned char)t->text[j] & 0xC0) != 0x80)
			(*col)++;
}

static int
is_name(const char *s, size_t n)
{
	size_t i;
	int dot = 1;

	if (!n || n > TEND_PH_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (dot)
				return 0;
			dot = 1;
		} else if (isalnum((unsigned char)s[i]) || s[i] == '_') {
			dot = 0;
		} else {
			return 0;
		}
	}
	return !dot;
}

/* 1 when s[0..n) could start a name: blanks, then name characters. */
static int
name_so_far(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '.' && s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* The placeholder starting with the "{{" at s[i]; returns where the
 * scan goes on. */
static size_t
scan_one(const char *s, size_t n, size_t i, struct tend_ph *ph)
{
	size_t j, depth = 1, a, b;
	int nested = 0;

	memset(ph, 0, sizeof(*ph));
	ph->start = i;
	for (j = i + 2; j + 1 < n && s[j] != '\n'; j++) {
		if (s[j] == '}' && s[j + 1] == '}') {
			if (--depth == 0)
				break;
			j++;
		} else if (s[j] == '{' && s[j + 1] == '{') {
			if (depth == 1 && !name_so_far(s + i + 2, j - i - 2))
				break;	/* "{{a} {{b}}": the first is unclosed */
			depth++;
			nested = 1;
			j++;
		}
	}
	if (j + 1 >= n || s[j] != '}') {
		ph->kind = TEND_PH_UNCLOSED;
		ph->end = i + 2;
		return i + 2;
	}
	ph->end = j + 2;
	if (nested) {
		ph->kind = TEND_PH_NESTED;
		return ph->end;
	}
	a = i + 2;
	b = j;
	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	ph->name = s + a;
	ph->name_len = b - a;
	ph->kind = is_name(ph->name, ph->name_len) ? TEND_PH_OK :
	    TEND_PH_BADNAME;
	return ph->end;
}

size_t
tend_template_scan(const char *s, size_t n,
    void (*fn)(void *arg, const struct tend_ph *ph), void *arg)
{
	struct tend_ph ph;
	size_t i = 0, problems = 0;

	while (i + 1 < n) {
		if (s[i] == '{' && s[i + 1] == '{') {
			/* "{{{x}}}": the braces before the last two are text */
			while (i + 2 < n && s[i + 2] == '{')
				i++;
			i = scan_one(s, n, i, &ph);
		} else if (s[i] == '}' && s[i + 1] == '}') {
			memset(&ph, 0, sizeof(ph));
			ph.kind = TEND_PH_STRAY;
			ph.start = i;
			ph.end = i + 2;
			while (ph.end < n && s[ph.end] == '}')
				ph.end++;
			i = ph.end;
		} else {
			i++;
			continue;
		}
		problems += ph.kind != TEND_PH_OK;
		fn(arg, &ph);
	}
	return problems;
}

struct fill {
	const char *s;
	size_t copied;
	const char *(*value)(void *, const char *, size_t);
	void *arg;
	struct tend_buf *out;
	const char *missing;
	size_t missing_len;
};

static void
fill_one(void *arg, const struct tend_ph *ph)
{
	struct fill *f = arg;
	const char *v;

	if (ph->kind != TEND_PH_OK)
		return;		/* copied as text with what follows */
	tend_buf_add(f->out, f->s + f->copied, ph->start - f->copied);
	f->copied = ph->end;
	v = f->value(f->arg, ph->name, ph->name_len);
	if (v) {
		tend_buf_adds(f->out, v);
	} else if (!f->missing) {
		f->missing = ph->name;
		f->missing_len = ph->name_len;
	}
}

int
tend_template_fill(const char *s, size_t n,
    const char *(*value)(void *arg, const char *name, size_t len),
    void *arg, struct tend_buf *out, const char **missing,
    size_t *missing_len)
{
	struct fill f;

	memset(&f, 0, sizeof(f));
	f.s = s;
	f.value = value;
	f.arg = arg;
	f.out = out;
	tend_template_scan(s, n, fill_one, &f);
	tend_buf_add(out, s + f.copied, n - f.copied);
	if (f.missing) {
		if (missing)
			*missing = f.missing;
		if (missing_len)
			*missing_len = f.missing_len;
		return -1;
	}
	return 0;
}
