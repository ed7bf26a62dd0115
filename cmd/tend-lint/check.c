/* check.c: the checks of tend lint: placeholders, signature, the text's
 * tone (tone.h), length at worst, language and sentiment (classify.h),
 * duplicates and coverage. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "lint.h"
#include "text.h"

/* What fills a variable placeholder at its longest: one character of
 * the widest kind per character it may have (an emoji weighs 2 in
 * twitter's count and needs two UTF-16 units in an SMS). */
#define WIDE_CHAR "\xf0\x9f\x98\x80"	/* U+1F600 */
#define NARROW_CHAR "x"

void
lint_init(struct lint *l, struct tend_map *map, struct tend_style *st,
    const char *config_dir)
{
	memset(l, 0, sizeof(*l));
	l->map = map;
	l->st = st;
	l->config_dir = config_dir;
	l->coverage = 1;
	tend_buf_init(&l->a);
	tend_buf_init(&l->b);
}

void
lint_release(struct lint *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].message);
	free(l->v);
	if (l->cl_state == 1) {
		cl_post_release(&l->post);
		cl_release(&l->cl);
	}
	tend_buf_release(&l->a);
	tend_buf_release(&l->b);
}

void
lint_add(struct lint *l, const char *file, long line, long col,
    const char *rule, const char *tpl, const char *fmt, ...)
{
	struct lint_finding *f;
	char msg[512];
	va_list ap;
	int sev = tend_style_severity(l->st, rule);

	if (sev == TEND_SEV_OFF)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tend_xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	f = &l->v[l->n];
	f->file = file;
	f->line = line;
	f->col = col;
	f->severity = sev;
	snprintf(f->rule, sizeof(f->rule), "%s", rule);
	f->message = tend_xstrdup(msg);
	f->tpl = tpl;
	f->seq = l->n++;
	if (sev == TEND_SEV_ERROR)
		l->errors++;
	else
		l->warnings++;
}

/* --- placeholders ------------------------------------------------------- */

struct ph_ctx {
	struct lint *l;
	const struct tend_template *t;
	int signed_;		/* {{agent.initials}} or {{agent.name}} seen */
};

static void
at(const struct tend_template *t, size_t off, long *line, long *col)
{
	tend_template_where(t, off, line, col);
}

/* The known placeholder nearest to name, within 2 edits, or NULL. */
static const char *
suggest(const struct tend_map *m, const char *name, size_t n)
{
	size_t i, d, best = 3;
	const char *hit = NULL;

	for (i = 0; i < m->nspecs; i++) {
		d = tend_text_distance(name, n, m->specs[i].name,
		    strlen(m->specs[i].name), 2);
		if (d < best) {
			best = d;
			hit = m->specs[i].name;
		}
	}
	return hit;
}

static void
unknown_placeholder(struct lint *l, const struct tend_template *t,
    const char *file, long line, long col, const char *name, size_t n)
{
	const char *near = suggest(l->map, name, n);

	if (near)
		lint_add(l, file, line, col, "placeholder.unknown", t ? t->id :
		    NULL, "unknown placeholder '%.*s' (did you mean '%s'?)",
		    (int)n, name, near);
	else
		lint_add(l, file, line, col, "placeholder.unknown", t ? t->id :
		    NULL, "unknown placeholder '%.*s'", (int)n, name);
}

static void
check_ph_ok(struct ph_ctx *c, const struct tend_ph *ph, long line, long col)
{
	const struct tend_template *t = c->t;
	const struct tend_ph_spec *s;
	const char *text = t->text;

	s = tend_template_spec(c->l->map, ph->name, ph->name_len);
	if (!s) {
		unknown_placeholder(c->l, t, t->file, line, col, ph->name,
		    ph->name_len);
		return;
	}
	if (s->source == TEND_PH_VALUE && !s->value)
		lint_add(c->l, t->file, line, col, "placeholder.unknown",
		    t->id, "placeholder '%s' has no value (add 'value %s "
		    "TEXT' to the map)", s->name, s->name);
	if (strcmp(s->name, "agent.initials") == 0 ||
	    strcmp(s->name, "agent.name") == 0)
		c->signed_ = 1;
	if ((ph->start > 0 && text[ph->start - 1] == '{') ||
	    (ph->end < t->text_len && text[ph->end] == '}'))
		lint_add(c->l, t->file, line, col, "placeholder.injection",
		    t->id, "a brace next to {{%s}}: a value starting or "
		    "ending with one would make a new placeholder", s->name);
}

static void
check_ph(void *arg, const struct tend_ph *ph)
{
	struct ph_ctx *c = arg;
	const struct tend_template *t = c->t;
	long line, col;

	at(t, ph->start, &line, &col);
	switch (ph->kind) {
	case TEND_PH_OK:
		check_ph_ok(c, ph, line, col);
		break;
	case TEND_PH_UNCLOSED:
		lint_add(c->l, t->file, line, col, "placeholder.unbalanced",
		    t->id, "'{{' is not closed by '}}'");
		break;
	case TEND_PH_STRAY:
		lint_add(c->l, t->file, line, col, "placeholder.unbalanced",
		    t->id, "'}}' closes no placeholder");
		break;
	case TEND_PH_NESTED:
		lint_add(c->l, t->file, line, col, "placeholder.injection",
		    t->id, "a placeholder inside a placeholder: one value "
		    "would name another");
		break;
	case TEND_PH_BADNAME:
		lint_add(c->l, t->file, line, col, "placeholder.unknown",
		    t->id, "'%.*s' is not a placeholder name (letters, digits "
		    "and '_', in parts joined by '.')",
		    (int)(ph->end - ph->start), t->text + ph->start);
		break;
	}
}

static void
check_placeholders(struct lint *l, const struct tend_template *t)
{
	struct ph_ctx c;
	size_t i, k;

	memset(&c, 0, sizeof(c));
	c.l = l;
	c.t = t;
	tend_template_scan(t->text, t->text_len, check_ph, &c);
	for (i = 0; i < t->nmaxes; i++)
		if (!tend_template_spec(l->map, t->maxes[i].name,
		    strlen(t->maxes[i].name)))
			unknown_placeholder(l, t, t->file, t->maxes[i].line,
			    t->maxes[i].col, t->maxes[i].name,
			    strlen(t->maxes[i].name));
	if (c.signed_)
		return;
	for (k = 0; k < t->nchannels; k++)
		if (tend_style_requires(l->st, "signature", t->channels[k])) {
			lint_add(l, t->file, t->line, t->col,
			    "signature.missing", t->id, "no signature "
			    "({{agent.initials}} or {{agent.name}}), which %s "
			    "requires", t->channels[k]);
			return;
		}
}

/* The template's text with each placeholder's bytes made blanks: the
 * same offsets, and no "agent.name" for the checks to take as a link. */
static void
blank_one(void *arg, const struct tend_ph *ph)
{
	struct tend_buf *b = arg;

	if (ph->kind == TEND_PH_OK)
		memset(b->data + ph->start, ' ', ph->end - ph->start);
}

static void
blanked(const struct tend_template *t, struct tend_buf *out)
{
	tend_buf_reset(out);
	tend_buf_add(out, t->text, t->text_len);
	tend_template_scan(t->text, t->text_len, blank_one, out);
}

/* --- tone and length --------------------------------------------------- */

struct tone_ctx {
	struct lint *l;
	const struct tend_template *t;
	int worst;		/* the text is the worst-case expansion */
	int variable;		/* ... and has variable placeholders */
	size_t found;
	const char *file;	/* for a value's text: where it is */
	long line, col;
};

static void
tone_finding(void *arg, const struct tend_finding *f)
{
	struct tone_ctx *c = arg;
	long line = c->line, col = c->col;

	c->found++;
	if (c->t && !c->worst)
		at(c->t, f->off, &line, &col);
	else if (c->t) {
		line = c->t->lines[0].line;
		col = c->t->lines[0].col;
	}
	lint_add(c->l, c->file, line, col, f->rule, c->t ? c->t->id : NULL,
	    "%s%s", f->message, c->variable ? ", with placeholders at their "
	    "longest" : "");
}

struct worst_ctx {
	struct lint *l;
	const struct tend_template *t;
	int variable;
};

static const char *
worst_value(void *arg, const char *name, size_t n)
{
	struct worst_ctx *c = arg;
	const struct tend_ph_spec *s = tend_template_spec(c->l->map, name, n);
	struct tend_buf *b = &c->l->b;
	long max, i;

	if (!s)
		return "";
	if (s->value)
		return s->value;
	max = tend_template_max(c->l->map, c->t, name, n);
	c->variable = 1;
	tend_buf_reset(b);
	for (i = 0; i < max; i++)
		tend_buf_adds(b, s->ascii ? NARROW_CHAR : WIDE_CHAR);
	return b->data ? b->data : "";
}

static void
check_length(struct lint *l, const struct tend_template *t)
{
	struct worst_ctx w;
	struct tone_ctx c;
	size_t k;

	memset(&w, 0, sizeof(w));
	w.l = l;
	w.t = t;
	tend_buf_reset(&l->a);
	tend_template_fill(t->text, t->text_len, worst_value, &w, &l->a, NULL,
	    NULL);
	memset(&c, 0, sizeof(c));
	c.l = l;
	c.t = t;
	c.worst = 1;
	c.variable = w.variable;
	c.file = t->file;
	for (k = 0; k < t->nchannels; k++)
		tend_tone_check(l->st, t->lang, t->channels[k],
		    l->a.data ? l->a.data : "", l->a.len, TEND_CHECK_LENGTH,
		    tone_finding, &c);
}

static void
check_text(struct lint *l, const struct tend_template *t)
{
	struct tone_ctx c;
	size_t k;

	blanked(t, &l->a);
	memset(&c, 0, sizeof(c));
	c.l = l;
	c.t = t;
	c.file = t->file;
	tend_tone_check(l->st, t->lang, NULL, l->a.data, l->a.len,
	    TEND_CHECK_ALL & ~(TEND_CHECK_LENGTH | TEND_CHECK_GREETING),
	    tone_finding, &c);
	for (k = 0; k < t->nchannels && !c.found; k++)
		tend_tone_check(l->st, t->lang, t->channels[k], l->a.data,
		    l->a.len, TEND_CHECK_GREETING, tone_finding, &c);
}

/* The classification engine, loaded the first time it is needed. */
static int
classifier(struct lint *l)
{
	if (l->cl_state == 0) {
		cl_init(&l->cl);
		if (cl_load_defaults(&l->cl, l->config_dir, &l->cl_err) < 0) {
			cl_release(&l->cl);
			l->cl_state = -1;
		} else {
			cl_post_init(&l->post);
			l->cl_state = 1;
		}
	}
	return l->cl_state;
}

static void
check_tone_lang(struct lint *l, const struct tend_template *t)
{
	double score;
	int lang;

	blanked(t, &l->a);
	lang = cl_text_tone(&l->cl, &l->post, l->a.data, l->a.len, t->lang,
	    &score);
	if (score < l->st->tone_min)
		lint_add(l, t->file, t->lines[0].line, t->lines[0].col,
		    "tone.negative", t->id, "the text reads as negative "
		    "(sentiment %.2f, below %.2f)", score, l->st->tone_min);
	if (lang < 0 || cl_lang_find(&l->cl, t->lang, strlen(t->lang)) < 0)
		return;	/* unsure, or a language with no data to judge */
	if (strcmp(l->cl.langs[lang], t->lang) != 0)
		lint_add(l, t->file, t->lang_line, t->lang_col,
		    "lang.mismatch", t->id, "the text reads as %s, not %s",
		    l->cl.langs[lang], t->lang);
}

/* --- duplicates --------------------------------------------------------- */

struct words {
	char *seq;		/* the folded words, joined by blanks */
	char **set;		/* the distinct words, sorted */
	size_t n;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
words_make(const struct tend_template *t, struct tend_tokens *tok,
    struct words *w)
{
	struct tend_buf seq = TEND_BUF_INIT;
	size_t i, k = 0;

	tend_text_tokenize(tok, t->text, t->text_len, NULL, 0);
	w->set = tend_xcalloc(tok->n + 1, sizeof(*w->set));
	for (i = 0; i < tok->n; i++) {
		if (i)
			tend_buf_addc(&seq, ' ');
		tend_buf_adds(&seq, tend_token_text(tok, i));
		w->set[i] = tend_xstrdup(tend_token_text(tok, i));
	}
	qsort(w->set, tok->n, sizeof(*w->set), cmp_str);
	for (i = 0; i < tok->n; i++) {
		if (k && strcmp(w->set[k - 1], w->set[i]) == 0) {
			free(w->set[i]);
			continue;
		}
		w->set[k++] = w->set[i];
	}
	w->n = k;
	w->seq = seq.data ? tend_buf_detach(&seq) : tend_xstrdup("");
}

/* Shared words over all words of the two (Jaccard). */
static double
similarity(const struct words *a, const struct words *b)
{
	size_t i = 0, j = 0, both = 0;
	int c;

	while (i < a->n && j < b->n) {
		c = strcmp(a->set[i], b->set[j]);
		both += c == 0;
		i += c <= 0;
		j += c >= 0;
	}
	if (a->n + b->n - both == 0)
		return 1;
	return (double)both / (double)(a->n + b->n - both);
}

/* Reports b against a; 1 when b is a duplicate of a. */
static int
check_pair(struct lint *l, const struct tend_template *a,
    const struct words *wa, const struct tend_template *b,
    const struct words *wb)
{
	double sim;

	if (strcmp(wa->seq, wb->seq) == 0) {
		lint_add(l, b->file, b->line, b->col, "duplicate.exact", b->id,
		    "the same text as template '%s' (%s:%ld)", a->id,
		    a->file, a->line);
		return 1;
	}
	sim = similarity(wa, wb);
	if (sim < l->st->similar)
		return 0;
	lint_add(l, b->file, b->line, b->col, "duplicate.near", b->id,
	    "nearly the same words as template '%s' (%s:%ld): %.0f%% "
	    "shared", a->id, a->file, a->line, sim * 100);
	return 1;
}

static void
check_duplicates(struct lint *l)
{
	struct tend_map *m = l->map;
	struct tend_tokens tok;
	struct words *w;
	size_t i, j, k;

	if (tend_style_severity(l->st, "duplicate.exact") == TEND_SEV_OFF &&
	    tend_style_severity(l->st, "duplicate.near") == TEND_SEV_OFF)
		return;
	tend_tokens_init(&tok);
	w = tend_xcalloc(m->n + 1, sizeof(*w));
	for (i = 0; i < m->n; i++)
		words_make(&m->v[i], &tok, &w[i]);
	/* each template against the first earlier one it repeats */
	for (j = 1; j < m->n; j++)
		for (i = 0; i < j; i++)
			if (strcmp(m->v[i].lang, m->v[j].lang) == 0 &&
			    check_pair(l, &m->v[i], &w[i], &m->v[j], &w[j]))
				break;
	for (i = 0; i < m->n; i++) {
		for (k = 0; k < w[i].n; k++)
			free(w[i].set[k]);
		free(w[i].set);
		free(w[i].seq);
	}
	free(w);
	tend_tokens_release(&tok);
}

/* --- coverage and the map's values ---------------------------------------- */

static int
covers(const struct tend_template *t, const char *category,
    const char *lang, const char *channel)
{
	return !t->ntopics && strcmp(t->lang, lang) == 0 &&
	    tend_template_has((const char *const *)t->categories,
	    t->ncategories, category) &&
	    tend_template_has((const char *const *)t->channels, t->nchannels,
	    channel);
}

static void
check_cover(struct lint *l, const struct tend_cover *c)
{
	size_t a, b, d, i;

	for (a = 0; a < c->ncategories; a++)
		for (b = 0; b < c->nlangs; b++)
			for (d = 0; d < c->nchannels; d++) {
				for (i = 0; i < l->map->n; i++)
					if (covers(&l->map->v[i],
					    c->categories[a], c->langs[b],
					    c->channels[d]))
						break;
				if (i == l->map->n)
					lint_add(l, c->file, c->line, c->col,
					    "coverage.missing", NULL, "no "
					    "template answers %s in %s on %s",
					    c->categories[a], c->langs[b],
					    c->channels[d]);
			}
}

static void
check_values(struct lint *l)
{
	const struct tend_ph_spec *s;
	struct tone_ctx c;
	size_t i;

	for (i = 0; i < l->map->nspecs; i++) {
		s = &l->map->specs[i];
		if (!s->value)
			continue;
		if (strstr(s->value, "{{") || strstr(s->value, "}}"))
			lint_add(l, s->file, s->line, 1,
			    "placeholder.injection", NULL, "the value of '%s' "
			    "holds braces that would make a placeholder",
			    s->name);
		memset(&c, 0, sizeof(c));
		c.l = l;
		c.file = s->file;
		c.line = s->line;
		c.col = 1;
		tend_tone_check(l->st, NULL, NULL, s->value, strlen(s->value),
		    TEND_CHECK_LINKS, tone_finding, &c);
	}
}

/* --- the run -------------------------------------------------------------- */

static size_t
file_index(const struct tend_map *m, const char *file)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		if (m->files[i] == file)
			return i;
	return m->nfiles;
}

static const struct tend_map *sort_map;

static int
cmp_finding(const void *pa, const void *pb)
{
	const struct lint_finding *a = pa, *b = pb;
	size_t fa = file_index(sort_map, a->file), fb = file_index(sort_map,
	    b->file);

	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
needs_classifier(const struct lint *l)
{
	return l->map->n && (tend_style_severity(l->st, "tone.negative") !=
	    TEND_SEV_OFF || tend_style_severity(l->st, "lang.mismatch") !=
	    TEND_SEV_OFF);
}

int
lint_run(struct lint *l)
{
	const struct tend_template *t;
	size_t i;

	if (needs_classifier(l) && classifier(l) < 0)
		return -1;
	check_values(l);
	for (i = 0; i < l->map->n; i++) {
		t = &l->map->v[i];
		check_placeholders(l, t);
		check_text(l, t);
		check_length(l, t);
		if (l->cl_state == 1)
			check_tone_lang(l, t);
	}
	check_duplicates(l);
	if (l->coverage)
		for (i = 0; i < l->map->ncovers; i++)
			check_cover(l, &l->map->covers[i]);
	sort_map = l->map;
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_finding);
	return 0;
}
