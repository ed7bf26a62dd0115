/* lexicon.c: the hash of terms, and the lexicon and language-word files
 * that fill it (tend-lexicon(5)). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"
#include "datadir.h"
#include "utf8.h"

void
cl_init(struct cl *cl)
{
	memset(cl, 0, sizeof(*cl));
	cl->terms = tend_strmap_new();
	cl->prefixes = tend_strmap_new();
	cl->emoticons = tend_strmap_new();
	cl->langs[0] = tend_xstrdup("*");
	cl->nlangs = 1;
	cl->en = -1;
	cl_scoring_defaults(&cl->scoring);
	cl->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(cl->mctx, 100000);
	pcre2_set_depth_limit(cl->mctx, 1000);
}

void
cl_release(struct cl *cl)
{
	size_t i, j;

	for (i = 0; i < cl->nall_terms; i++) {
		free(cl->all_terms[i]->e);
		free(cl->all_terms[i]);
	}
	free(cl->all_terms);
	for (i = 0; i < cl->nall_prefixes; i++) {
		for (j = 0; j < cl->all_prefixes[i]->n; j++)
			free(cl->all_prefixes[i]->v[j].text);
		free(cl->all_prefixes[i]->v);
		free(cl->all_prefixes[i]);
	}
	free(cl->all_prefixes);
	tend_strmap_free(cl->terms);
	tend_strmap_free(cl->prefixes);
	tend_strmap_free(cl->emoticons);
	for (i = 0; i < cl->nlangs; i++)
		free(cl->langs[i]);
	for (i = 0; i < cl->nrules; i++) {
		struct cl_rule *r = &cl->rules[i];

		for (j = 0; j < r->npatterns; j++) {
			pcre2_match_data_free(r->patterns[j].md);
			pcre2_code_free(r->patterns[j].code);
		}
		free(r->patterns);
		free(r->id);
		free(r->file);
		free(r->value);
	}
	free(cl->rules);
	free(cl->gists);
	free(cl->hitless);
	for (i = 0; i < CL_MAXLANG; i++)
		cl_learned_release(&cl->learned[i]);
	tend_free_strings(cl->scoring.flag_names, cl->scoring.nflags);
	free(cl->scoring.flag_points);
	tend_free_strings(cl->brand.handles, cl->brand.nhandles);
	tend_free_strings(cl->brand.skeletons, cl->brand.nskeletons);
	tend_free_strings(cl->brand.domains, cl->brand.ndomains);
	tend_free_strings(cl->brand.labels, cl->brand.ndomains);
	tend_free_strings(cl->brand.label_skeletons, cl->brand.ndomains);
	tend_free_strings(cl->brand.hashtags, cl->brand.nhashtags);
	pcre2_match_context_free(cl->mctx);
}

/* The index of language code, added when add is set; -1 when unknown or
 * when there are too many. */
int
cl_lang_index(struct cl *cl, const char *code, int add)
{
	size_t i;

	for (i = 0; i < cl->nlangs; i++)
		if (strcmp(cl->langs[i], code) == 0)
			return (int)i;
	if (!add || cl->nlangs == CL_MAXLANG)
		return -1;
	/* a BCP 47 tag: letters, digits and '-', at most 35 */
	if (!*code || strlen(code) > 35 || strspn(code, "abcdefghijklmnopqrstu"
	    "vwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(code))
		return -2;
	cl->langs[cl->nlangs] = tend_xstrdup(code);
	if (strcmp(code, "en") == 0)
		cl->en = (int)cl->nlangs;
	return (int)cl->nlangs++;
}

int
cl_lang_find(const struct cl *cl, const char *code, size_t n)
{
	size_t i;

	for (i = 1; i < cl->nlangs; i++)
		if (strlen(cl->langs[i]) == n &&
		    strncmp(cl->langs[i], code, n) == 0)
			return (int)i;
	return -1;
}

struct cl_term *
cl_term_add(struct cl *cl, const char *folded, size_t n)
{
	const char *stored;
	int added;
	void **slot = tend_strmap_put(cl->terms, folded, n, &added, &stored);
	struct cl_term *t;

	if (!added)
		return *slot;
	t = tend_xcalloc(1, sizeof(*t));
	t->text = (char *)stored;
	t->phrase = 1;
	*slot = t;
	tend_xgrow((void **)&cl->all_terms, &cl->all_terms_cap,
	    cl->nall_terms + 1, sizeof(*cl->all_terms));
	cl->all_terms[cl->nall_terms++] = t;
	/* a phrase makes its first word look further, and each of its
	 * beginnings a term that says more follows ("no", "no one", "no one
	 * answers"), so that a lookup of a post's words stops at the first
	 * beginning no phrase has */
	{
		struct cl_term *first = NULL, *head;
		size_t words = 1, i;

		for (i = 0; i < n; i++)
			if (folded[i] == ' ') {
				words++;
				head = cl_term_add(cl, folded, i);
				head->longer = 1;
				if (!first)
					first = head;
			}
		if (first && words > first->phrase)
			first->phrase = (uint8_t)words;
	}
	return t;
}

void
cl_entry_add(struct cl_term *t, int kind, int lang, float value,
    uint32_t rule, uint32_t hit)
{
	struct cl_entry *e;
	uint32_t i;

	/* a later lexicon overrides an earlier one's value */
	for (i = 0; i < t->n; i++) {
		e = &t->e[i];
		if (e->kind == kind && e->lang == lang && kind != CL_KEYWORD &&
		    kind != CL_PREFIX) {
			e->value = value;
			return;
		}
	}
	t->e = tend_xrealloc(t->e, (t->n + 1) * sizeof(*t->e));
	e = &t->e[t->n++];
	e->kind = (uint8_t)kind;
	e->lang = (uint8_t)lang;
	e->hit = hit;
	e->rule = rule;
	e->value = value;
}

const struct cl_term *
cl_term_get(const struct cl *cl, const char *folded, size_t n)
{
	void **slot = tend_strmap_get(cl->terms, folded, n);

	return slot ? *slot : NULL;
}

/* Folds s into buf, squeezing runs of spaces; returns buf's data. */
const char *
cl_fold_term(struct tend_buf *buf, const char *s, size_t n)
{
	size_t i, j;

	tend_buf_reset(buf);
	tend_text_fold(buf, s, n);
	for (i = j = 0; i < buf->len; i++) {
		char c = buf->data[i];

		if (c == '\t' || c == '\r')
			c = ' ';
		if (c == ' ' && (j == 0 || buf->data[j - 1] == ' '))
			continue;
		buf->data[j++] = c;
	}
	while (j > 0 && buf->data[j - 1] == ' ')
		j--;
	buf->len = j;
	buf->data[j] = '\0';
	return buf->data;
}

static void
add_squeezed(struct tend_buf *out, const char *s, size_t n, int way)
{
	size_t i, run;

	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && s[i + run] == s[i]; run++)
			;
		tend_buf_add(out, s + i, way == 3 || (run >= 3 && way == 2) ?
		    1 : run >= 3 ? 2 : run);
	}
}

int
cl_phrase_key(struct tend_buf *out, const struct tend_tokens *tk,
    size_t i, size_t k, int way)
{
	size_t j;

	if (i + k > tk->n)
		return 0;
	tend_buf_reset(out);
	for (j = i; j < i + k; j++) {
		const struct tend_token *t = &tk->v[j];

		if (t->kind != TEND_TOKEN_WORD && t->kind != TEND_TOKEN_NUMBER)
			return 0;
		if (j > i)
			tend_buf_addc(out, ' ');
		if (way && t->elongated)
			add_squeezed(out, tend_token_text(tk, j), t->len, way);
		else
			tend_buf_add(out, tend_token_text(tk, j), t->len);
	}
	return 1;
}

static int
is_emoticon(const char *s, size_t n)
{
	size_t i;
	int punct = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || c == ' ')
			return 0;
		if (!tend_text_is_word_char(c))
			punct = 1;
	}
	return punct && n >= 2;
}

/* Splits line at tabs into at most max fields; returns how many. */
static size_t
split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	while (n < max && (line = strchr(line, '\t'))) {
		*line++ = '\0';
		f[n++] = line;
	}
	return n;
}

/*
 * A plain decimal ("-0.25", "3", "1.5") of up to 15 digits into *d: 0, or
 * -1 for anything else (an exponent, more digits, junk), which strtod()
 * then judges.  The data files hold tens of thousands of numbers, and
 * strtod() was the dearest part of loading them; with 15 digits or fewer
 * the integer and the power of ten are exact, so the one division is
 * rounded as strtod() rounds.
 */
static int
plain_decimal(const char *s, double *d)
{
	double v = 0, scale = 1;
	int neg = 0, digits = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9' && digits < 15; s++, digits++)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9' && digits < 15; s++, digits++) {
			v = v * 10 + (*s - '0');
			scale *= 10;
		}
	while (*s == ' ' || *s == '\r')
		s++;
	if (!digits || *s)
		return -1;
	*d = (neg ? -v : v) / scale;
	return 0;
}

/* A finite number, surrounded by nothing but trailing spaces. */
int
cl_parse_number(const char *s, float *v)
{
	char *end;
	double d;

	if (plain_decimal(s, &d) == 0) {
		*v = (float)d;
		return 0;
	}
	errno = 0;
	d = strtod(s, &end);
	while (*end == ' ' || *end == '\r')
		end++;
	if (end == s || *end || errno || !isfinite(d))
		return -1;
	*v = (float)d;
	return 0;
}

/* A lexicon directive: @lang, @negator, @booster, @dampener, @contrast,
 * @irony, @courtesy, @superlative, @remedy, @repair, @rating, the
 * @learned ones (cl_learned.c),
 * @corrective, @resolution, @sincere, @wait, @span, @price. */
static int
lexicon_directive(struct cl *cl, char **f, size_t nf, int *lang,
    struct tend_buf *fold, struct tend_error *err)
{
	struct cl_term *t;
	float v = 0;

	if (strcmp(f[0], "@lang") == 0) {
		if (nf < 2 || !*f[1])
			return tend_error_set(err, NULL, 0, 1,
			    "@lang needs a language code"), -1;
		*lang = cl_lang_index(cl, f[1], 1);
		if (*lang == -2)
			return tend_error_set(err, NULL, 0, 7,
			    "bad language code '%s'", f[1]), -1;
		if (*lang < 0)
			return tend_error_set(err, NULL, 0, 7,
			    "too many languages (at most %d)",
			    CL_MAXLANG - 1), -1;
		cl->has_lexicon[*lang] = 1;
		return 0;
	}
	if (strncmp(f[0], "@learned", 8) == 0)
		return cl_learned_directive(cl, f, nf, *lang, fold, err);
	if (nf < 2 || !*f[1])
		return tend_error_set(err, NULL, 0, 1, "%s needs a term",
		    f[0]), -1;
	cl_fold_term(fold, f[1], strlen(f[1]));
	if (!fold->len)
		return tend_error_set(err, NULL, 0, (long)strlen(f[0]) + 2,
		    "empty term"), -1;
	t = cl_term_add(cl, fold->data, fold->len);
	if (strcmp(f[0], "@negator") == 0)
		cl_entry_add(t, CL_NEGATOR, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@contrast") == 0)
		cl_entry_add(t, CL_CONTRAST, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@superlative") == 0)
		cl_entry_add(t, CL_SUPERLATIVE, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@remedy") == 0)
		cl_entry_add(t, CL_REMEDY, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@repair") == 0)
		cl_entry_add(t, CL_REPAIR, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@rating") == 0)
		cl_entry_add(t, CL_RATING, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@corrective") == 0)
		cl_entry_add(t, CL_CORRECTIVE, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@resolution") == 0)
		cl_entry_add(t, CL_RESOLUTION, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@sincere") == 0)
		cl_entry_add(t, CL_SINCERE, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@wait") == 0)
		cl_entry_add(t, CL_WAIT, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@span") == 0)
		cl_entry_add(t, CL_SPAN, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@price") == 0)
		cl_entry_add(t, CL_PRICE, *lang, 0, 0, 0);
	else if (strcmp(f[0], "@booster") == 0 ||
	    strcmp(f[0], "@dampener") == 0) {
		if (nf < 3 || cl_parse_number(f[2], &v) < 0 || v < -4 || v > 4)
			return tend_error_set(err, NULL, 0, (long)(strlen(f[0]) +
			    strlen(f[1]) + 3), "%s needs an amount from -4 "
			    "to 4", f[0]), -1;
		if (f[0][1] == 'd' && v > 0)
			v = -v;
		cl_entry_add(t, CL_BOOSTER, *lang, v, 0, 0);
	} else if (strcmp(f[0], "@irony") == 0 ||
	    strcmp(f[0], "@courtesy") == 0) {
		if (nf < 3 || cl_parse_number(f[2], &v) < 0 || v < -4 || v > 4)
			return tend_error_set(err, NULL, 0, (long)(strlen(f[0]) +
			    strlen(f[1]) + 3), "%s needs a valence from -4 "
			    "to 4", f[0]), -1;
		cl_entry_add(t, f[0][1] == 'i' ? CL_IRONY : CL_COURTESY,
		    *lang, v, 0, 0);
	} else
		return tend_error_set(err, NULL, 0, 1,
		    "unknown directive '%s'", f[0]), -1;
	return 0;
}

/* Reads a file into memory; NULL with err set. */
static char *
slurp(const char *path, size_t *n, struct tend_error *err)
{
	struct tend_buf b = TEND_BUF_INIT;

	if (tend_buf_read_file(&b, path, SIZE_MAX - 1) < 0) {
		tend_error_set(err, path, 0, 0, "%s", strerror(errno));
		tend_buf_release(&b);
		return NULL;
	}
	*n = b.len;
	return tend_buf_detach(&b);
}

/* Calls fn for each line of path (NUL-terminated, without its newline);
 * stops at the first error, which gets the file and line. */
int
cl_each_line(const char *path, int (*fn)(void *, char *, struct tend_error *),
    void *arg, struct tend_error *err)
{
	size_t n, off = 0, bad;
	char *text = slurp(path, &n, err);
	long line = 0;
	int rc = 0;

	if (!text)
		return -1;
	if ((bad = tend_utf8_check(text, n)) < n) {
		for (off = 0; off < bad; off++)
			line += text[off] == '\n';
		tend_error_set(err, path, line + 1, 0, "invalid UTF-8");
		free(text);
		return -1;
	}
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		off = 3;
	while (off < n) {
		char *nl = memchr(text + off, '\n', n - off);
		char *s = text + off;

		if (nl)
			*nl = '\0';
		off = nl ? (size_t)(nl - text) + 1 : n;
		line++;
		if (nl && nl > s && nl[-1] == '\r')
			nl[-1] = '\0';
		if ((rc = fn(arg, s, err)) < 0) {
			char msg[TEND_ERROR_TEXT];

			/* -2: an included file's error, already placed */
			if (rc == -1) {
				memcpy(msg, err->text, sizeof(msg));
				tend_error_set(err, path, line, err->col, "%s",
				    msg);
			}
			rc = -1;
			break;
		}
	}
	free(text);
	return rc;
}

struct lexicon_load {
	struct cl *cl;
	int lang;
	struct tend_buf fold;
};

static int
lexicon_line(void *arg, char *s, struct tend_error *err)
{
	struct lexicon_load *ll = arg;
	char *f[12];
	size_t nf;
	float v;

	if (!*s || *s == '#')
		return 0;
	nf = split_tabs(s, f, 12);
	if (*s == '@' && s[1] >= 'a' && s[1] <= 'z')
		return lexicon_directive(ll->cl, f, nf, &ll->lang, &ll->fold,
		    err);
	if (nf < 2)
		return tend_error_set(err, NULL, 0, (long)strlen(s) + 1,
		    "expected TERM<TAB>VALENCE"), -1;
	if (cl_parse_number(f[1], &v) < 0 || v < -5 || v > 5)
		return tend_error_set(err, NULL, 0, (long)strlen(f[0]) + 2,
		    "valence '%s' is not a number from -5 to 5", f[1]), -1;
	cl_fold_term(&ll->fold, f[0], strlen(f[0]));
	if (!ll->fold.len)
		return tend_error_set(err, NULL, 0, 1, "empty term"), -1;
	cl_entry_add(cl_term_add(ll->cl, ll->fold.data, ll->fold.len),
	    CL_VALENCE, ll->lang, v, 0, 0);
	if (is_emoticon(ll->fold.data, ll->fold.len)) {
		int added;

		tend_strmap_put(ll->cl->emoticons, ll->fold.data,
		    ll->fold.len, &added, NULL);
		if (ll->fold.len > ll->cl->emoticon_max)
			ll->cl->emoticon_max = ll->fold.len;
	}
	return 0;
}

int
cl_lexicon_load(struct cl *cl, const char *path, struct tend_error *err)
{
	struct lexicon_load ll = { cl, CL_ANY, TEND_BUF_INIT };
	int rc;

	cl->has_lexicon[CL_ANY] = 1;
	rc = cl_each_line(path, lexicon_line, &ll, err);
	tend_buf_release(&ll.fold);
	return rc;
}

struct words_load {
	struct cl *cl;
	int lang;
	struct tend_buf fold;
};

static int
words_line(void *arg, char *s, struct tend_error *err)
{
	struct words_load *wl = arg;
	char *f[3];
	size_t nf;
	float w = 1;

	if (!*s || *s == '#')
		return 0;
	nf = split_tabs(s, f, 3);
	if (nf > 1 && (cl_parse_number(f[1], &w) < 0 || w <= 0 || w > 10))
		return tend_error_set(err, NULL, 0, (long)strlen(f[0]) + 2,
		    "weight '%s' is not a number above 0", f[1]), -1;
	cl_fold_term(&wl->fold, f[0], strlen(f[0]));
	if (!wl->fold.len || memchr(wl->fold.data, ' ', wl->fold.len))
		return tend_error_set(err, NULL, 0, 1,
		    "expected one word"), -1;
	cl_entry_add(cl_term_add(wl->cl, wl->fold.data, wl->fold.len),
	    CL_LANGWORD, wl->lang, w, 0, 0);
	return 0;
}

int
cl_words_load(struct cl *cl, const char *path, const char *lang,
    struct tend_error *err)
{
	struct words_load wl = { cl, 0, TEND_BUF_INIT };
	int rc;

	wl.lang = cl_lang_index(cl, lang, 1);
	if (wl.lang < 0) {
		tend_error_set(err, path, 0, 0, wl.lang == -2 ? "bad language "
		    "code in the file name" : "too many languages");
		return -1;
	}
	cl->has_words[wl.lang] = 1;
	rc = cl_each_line(path, words_line, &wl, err);
	tend_buf_release(&wl.fold);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every DIR/NAME.SUFFIX of the data directory, in name order. */
static int
load_dir(struct cl *cl, const char *config_dir, const char *dir,
    const char *suffix, struct tend_error *err)
{
	struct tend_buf path = TEND_BUF_INIT;
	char **names = NULL;
	size_t n = 0, cap = 0, i, sl = strlen(suffix);
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (tend_datadir_find(config_dir, dir, &path) < 0 ||
	    !(d = opendir(path.data))) {
		tend_buf_release(&path);
		return 0;	/* no such data: nothing to load */
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len > sl && de->d_name[0] != '.' &&
		    strcmp(de->d_name + len - sl, suffix) == 0) {
			tend_xgrow((void **)&names, &cap, n + 1,
			    sizeof(*names));
			names[n++] = tend_xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		size_t base = path.len;

		tend_buf_printf(&path, "/%s", names[i]);
		if (rc == 0) {
			if (strcmp(suffix, ".words") == 0) {
				names[i][strlen(names[i]) - sl] = '\0';
				rc = cl_words_load(cl, path.data, names[i],
				    err);
			} else
				rc = cl_lexicon_load(cl, path.data, err);
		}
		path.len = base;
		path.data[base] = '\0';
		free(names[i]);
	}
	free(names);
	tend_buf_release(&path);
	return rc;
}

int
cl_load_defaults(struct cl *cl, const char *config_dir,
    struct tend_error *err)
{
	if (load_dir(cl, config_dir, "lang", ".words", err) < 0)
		return -1;
	return load_dir(cl, config_dir, "lexicon", ".tsv", err);
}
