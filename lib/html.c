#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "utf8.h"

/* --- character references --------------------------------------------- */

struct entity {
	const char *name;
	uint32_t cp;
};

/* HTML 4.01's 252 named references and &apos;, sorted by name (strcmp). */
static const struct entity entities[] = {
	{ "AElig", 198 }, { "Aacute", 193 }, { "Acirc", 194 },
	{ "Agrave", 192 }, { "Alpha", 913 }, { "Aring", 197 },
	{ "Atilde", 195 }, { "Auml", 196 }, { "Beta", 914 },
	{ "Ccedil", 199 }, { "Chi", 935 }, { "Dagger", 8225 },
	{ "Delta", 916 }, { "ETH", 208 }, { "Eacute", 201 }, { "Ecirc", 202 },
	{ "Egrave", 200 }, { "Epsilon", 917 }, { "Eta", 919 },
	{ "Euml", 203 }, { "Gamma", 915 }, { "Iacute", 205 },
	{ "Icirc", 206 }, { "Igrave", 204 }, { "Iota", 921 }, { "Iuml", 207 },
	{ "Kappa", 922 }, { "Lambda", 923 }, { "Mu", 924 }, { "Ntilde", 209 },
	{ "Nu", 925 }, { "OElig", 338 }, { "Oacute", 211 }, { "Ocirc", 212 },
	{ "Ograve", 210 }, { "Omega", 937 }, { "Omicron", 927 },
	{ "Oslash", 216 }, { "Otilde", 213 }, { "Ouml", 214 }, { "Phi", 934 },
	{ "Pi", 928 }, { "Prime", 8243 }, { "Psi", 936 }, { "Rho", 929 },
	{ "Scaron", 352 }, { "Sigma", 931 }, { "THORN", 222 }, { "Tau", 932 },
	{ "Theta", 920 }, { "Uacute", 218 }, { "Ucirc", 219 },
	{ "Ugrave", 217 }, { "Upsilon", 933 }, { "Uuml", 220 }, { "Xi", 926 },
	{ "Yacute", 221 }, { "Yuml", 376 }, { "Zeta", 918 },
	{ "aacute", 225 }, { "acirc", 226 }, { "acute", 180 },
	{ "aelig", 230 }, { "agrave", 224 }, { "alefsym", 8501 },
	{ "alpha", 945 }, { "amp", 38 }, { "and", 8743 }, { "ang", 8736 },
	{ "apos", 39 }, { "aring", 229 }, { "asymp", 8776 },
	{ "atilde", 227 }, { "auml", 228 }, { "bdquo", 8222 },
	{ "beta", 946 }, { "brvbar", 166 }, { "bull", 8226 }, { "cap", 8745 },
	{ "ccedil", 231 }, { "cedil", 184 }, { "cent", 162 }, { "chi", 967 },
	{ "circ", 710 }, { "clubs", 9827 }, { "cong", 8773 }, { "copy", 169 },
	{ "crarr", 8629 }, { "cup", 8746 }, { "curren", 164 },
	{ "dArr", 8659 }, { "dagger", 8224 }, { "darr", 8595 },
	{ "deg", 176 }, { "delta", 948 }, { "diams", 9830 },
	{ "divide", 247 }, { "eacute", 233 }, { "ecirc", 234 },
	{ "egrave", 232 }, { "empty", 8709 }, { "emsp", 8195 },
	{ "ensp", 8194 }, { "epsilon", 949 }, { "equiv", 8801 },
	{ "eta", 951 }, { "eth", 240 }, { "euml", 235 }, { "euro", 8364 },
	{ "exist", 8707 }, { "fnof", 402 }, { "forall", 8704 },
	{ "frac12", 189 }, { "frac14", 188 }, { "frac34", 190 },
	{ "frasl", 8260 }, { "gamma", 947 }, { "ge", 8805 }, { "gt", 62 },
	{ "hArr", 8660 }, { "harr", 8596 }, { "hearts", 9829 },
	{ "hellip", 8230 }, { "iacute", 237 }, { "icirc", 238 },
	{ "iexcl", 161 }, { "igrave", 236 }, { "image", 8465 },
	{ "infin", 8734 }, { "int", 8747 }, { "iota", 953 },
	{ "iquest", 191 }, { "isin", 8712 }, { "iuml", 239 },
	{ "kappa", 954 }, { "lArr", 8656 }, { "lambda", 955 },
	{ "lang", 9001 }, { "laquo", 171 }, { "larr", 8592 },
	{ "lceil", 8968 }, { "ldquo", 8220 }, { "le", 8804 },
	{ "lfloor", 8970 }, { "lowast", 8727 }, { "loz", 9674 },
	{ "lrm", 8206 }, { "lsaquo", 8249 }, { "lsquo", 8216 }, { "lt", 60 },
	{ "macr", 175 }, { "mdash", 8212 }, { "micro", 181 },
	{ "middot", 183 }, { "minus", 8722 }, { "mu", 956 },
	{ "nabla", 8711 }, { "nbsp", 160 }, { "ndash", 8211 }, { "ne", 8800 },
	{ "ni", 8715 }, { "not", 172 }, { "notin", 8713 }, { "nsub", 8836 },
	{ "ntilde", 241 }, { "nu", 957 }, { "oacute", 243 }, { "ocirc", 244 },
	{ "oelig", 339 }, { "ograve", 242 }, { "oline", 8254 },
	{ "omega", 969 }, { "omicron", 959 }, { "oplus", 8853 },
	{ "or", 8744 }, { "ordf", 170 }, { "ordm", 186 }, { "oslash", 248 },
	{ "otilde", 245 }, { "otimes", 8855 }, { "ouml", 246 },
	{ "para", 182 }, { "part", 8706 }, { "permil", 8240 },
	{ "perp", 8869 }, { "phi", 966 }, { "pi", 960 }, { "piv", 982 },
	{ "plusmn", 177 }, { "pound", 163 }, { "prime", 8242 },
	{ "prod", 8719 }, { "prop", 8733 }, { "psi", 968 }, { "quot", 34 },
	{ "rArr", 8658 }, { "radic", 8730 }, { "rang", 9002 },
	{ "raquo", 187 }, { "rarr", 8594 }, { "rceil", 8969 },
	{ "rdquo", 8221 }, { "real", 8476 }, { "reg", 174 },
	{ "rfloor", 8971 }, { "rho", 961 }, { "rlm", 8207 },
	{ "rsaquo", 8250 }, { "rsquo", 8217 }, { "sbquo", 8218 },
	{ "scaron", 353 }, { "sdot", 8901 }, { "sect", 167 }, { "shy", 173 },
	{ "sigma", 963 }, { "sigmaf", 962 }, { "sim", 8764 },
	{ "spades", 9824 }, { "sub", 8834 }, { "sube", 8838 },
	{ "sum", 8721 }, { "sup", 8835 }, { "sup1", 185 }, { "sup2", 178 },
	{ "sup3", 179 }, { "supe", 8839 }, { "szlig", 223 }, { "tau", 964 },
	{ "there4", 8756 }, { "theta", 952 }, { "thetasym", 977 },
	{ "thinsp", 8201 }, { "thorn", 254 }, { "tilde", 732 },
	{ "times", 215 }, { "trade", 8482 }, { "uArr", 8657 },
	{ "uacute", 250 }, { "uarr", 8593 }, { "ucirc", 251 },
	{ "ugrave", 249 }, { "uml", 168 }, { "upsih", 978 },
	{ "upsilon", 965 }, { "uuml", 252 }, { "weierp", 8472 },
	{ "xi", 958 }, { "yacute", 253 }, { "yen", 165 }, { "yuml", 255 },
	{ "zeta", 950 }, { "zwj", 8205 }, { "zwnj", 8204 },
};

/* What browsers make of &#128; to &#159;: Windows-1252 (0: undefined
 * there, the code point stays). */
static const uint16_t cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

#define MAX_ENTITY_NAME 8	/* "thetasym" */

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
hex_value(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

/* HTML's ASCII whitespace. */
static int
is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static uint32_t
numeric_value(uint32_t v)
{
	if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return TEND_UTF8_REPLACEMENT;
	if (v >= 0x80 && v <= 0x9f && cp1252[v - 0x80])
		return cp1252[v - 0x80];
	return v;
}

/* &#NNN; or &#xHHH; at p (p[0] == '&', p[1] == '#'): its length, 0 when
 * there are no digits. */
static size_t
numeric_reference(const char *p, const char *end, uint32_t *cp)
{
	const char *q = p + 2, *digits;
	uint32_t v = 0;
	int hex = 0, d;

	if (q < end && (*q == 'x' || *q == 'X')) {
		hex = 1;
		q++;
	}
	for (digits = q; q < end; q++) {
		d = hex ? hex_value((unsigned char)*q) :
		    is_digit(*q) ? *q - '0' : -1;
		if (d < 0)
			break;
		v = v * (hex ? 16 : 10) + (uint32_t)d;
		if (v > 0x10ffff)
			v = 0x110000;	/* stays out of range, no overflow */
	}
	if (q == digits)
		return 0;
	if (q < end && *q == ';')
		q++;
	*cp = numeric_value(v);
	return (size_t)(q - p);
}

static int
entity_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct entity *)elem)->name);
}

/* &name; at p (p[0] == '&'): its length, 0 when not a known name. */
static size_t
named_reference(const char *p, const char *end, uint32_t *cp)
{
	char name[MAX_ENTITY_NAME + 1];
	const struct entity *e;
	const char *q = p + 1;
	size_t len = 0;

	while (q < end && is_alnum(*q)) {
		if (len == MAX_ENTITY_NAME)
			return 0;
		name[len++] = *q++;
	}
	if (len == 0 || q == end || *q != ';')
		return 0;
	name[len] = '\0';
	e = bsearch(name, entities, sizeof entities / sizeof entities[0],
	    sizeof entities[0], entity_cmp);
	if (!e)
		return 0;
	*cp = e->cp;
	return len + 2;
}

/* The character reference at p (p[0] == '&'): its length and *cp, or 0
 * when p does not start one. */
static size_t
reference(const char *p, const char *end, uint32_t *cp)
{
	if (p + 1 < end && p[1] == '#')
		return numeric_reference(p, end, cp);
	return named_reference(p, end, cp);
}

/* The next character of text at *p, advancing it: a reference decoded
 * (then *was_ref is 1), else one UTF-8 character; an invalid byte and
 * NUL are U+FFFD. */
static uint32_t
next_char(const char **p, const char *end, int *was_ref)
{
	unsigned char b = (unsigned char)**p;
	uint32_t cp;
	size_t k;

	*was_ref = 0;
	if (b == '&' && (k = reference(*p, end, &cp))) {
		*p += k;
		*was_ref = 1;
		return cp;
	}
	if (b == 0) {
		(*p)++;
		return TEND_UTF8_REPLACEMENT;
	}
	if (b < 0x80) {
		(*p)++;
		return b;
	}
	return tend_utf8_next(p, end);
}

size_t
tend_html_decode_entities(const char *s, size_t n, struct tend_buf *out)
{
	const char *p = s, *end;
	size_t decoded = 0;
	int was_ref;

	tend_buf_grow(out, n);
	if (n == 0)
		return 0;	/* s may be NULL */
	end = s + n;
	while (p < end) {
		const char *run = p;

		while (p < end && *p != '&' && (unsigned char)*p - 1u < 0x7fu)
			p++;	/* plain ASCII but NUL: copied as it is */
		tend_buf_add(out, run, (size_t)(p - run));
		if (p == end)
			break;
		tend_utf8_add(out, next_char(&p, end, &was_ref));
		decoded += (size_t)was_ref;
	}
	return decoded;
}

/* --- the tokenizer ------------------------------------------------------ */

struct tag {
	char name[12];		/* lower case; "" when too long to matter */
	int end;		/* </name> */
	const char *attrs;	/* the raw attributes */
	size_t attrs_len;
};

struct walker {
	void (*text)(void *arg, const char *s, size_t n);
	void (*tag)(void *arg, const struct tag *t);
	void *arg;
};

/* The '>' that ends the tag whose attributes start at p, or NULL at the
 * end of input.  A quoted attribute value may hold '>'. */
static const char *
tag_close(const char *p, const char *end)
{
	while (p < end) {
		if (*p == '>')
			return p;
		if (*p++ != '=')
			continue;
		while (p < end && is_space((unsigned char)*p))
			p++;
		if (p < end && (*p == '"' || *p == '\'')) {
			const char *q;

			q = memchr(p + 1, *p, (size_t)(end - p - 1));
			if (!q)
				return NULL;
			p = q + 1;
		}
	}
	return NULL;
}

/* Reads the tag name at p into t->name; returns its end. */
static const char *
tag_name(const char *p, const char *end, struct tag *t)
{
	size_t len = 0;

	for (; p < end && !is_space((unsigned char)*p) && *p != '/' &&
	    *p != '>'; p++) {
		if (len < sizeof t->name - 1)
			t->name[len] = (char)lower((unsigned char)*p);
		len++;
	}
	t->name[len < sizeof t->name ? len : 0] = '\0';
	return p;
}

/* Past the comment or bogus comment at p ("<!", "<?", "</" not followed
 * by a letter). */
static const char *
skip_comment(const char *p, const char *end)
{
	const char *q;

	if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
		/* from p + 2, so that "<!-->" and "<!--->" end themselves */
		for (q = p + 2; end - q >= 3; q++)
			if (memcmp(q, "-->", 3) == 0)
				return q + 3;
		return end;
	}
	q = memchr(p + 2, '>', (size_t)(end - p - 2));
	return q ? q + 1 : end;
}

/* Past the end tag of the raw text element name (script, style, ...)
 * whose content starts at p, or end when it is not closed. */
static const char *
skip_raw_text(const char *p, const char *end, const char *name)
{
	size_t len = strlen(name), i;
	const char *q, *close;

	for (; (q = memchr(p, '<', (size_t)(end - p))) != NULL; p = q + 1) {
		if ((size_t)(end - q) < len + 2 || q[1] != '/')
			continue;
		for (i = 0; i < len && lower((unsigned char)q[2 + i]) ==
		    name[i]; i++)
			;
		if (i < len)
			continue;
		q += 2 + len;
		if (q < end && !is_space((unsigned char)*q) && *q != '/' &&
		    *q != '>')
			continue;
		close = tag_close(q, end);
		return close ? close + 1 : end;
	}
	return end;
}

/* Elements whose content is never shown as text. */
static int
is_hidden_element(const char *name)
{
	static const char *const hidden[] = {
		"script", "style", "title", "template", "iframe", "noembed",
		"noframes", NULL
	};
	const char *const *h;

	for (h = hidden; *h; h++)
		if (strcmp(name, *h) == 0)
			return 1;
	return 0;
}

/* The markup at p (p[0] == '<'): reports a tag to w and returns what
 * follows it, or returns NULL when this '<' is text. */
static const char *
markup(const char *p, const char *end, const struct walker *w)
{
	struct tag t;
	const char *q, *close;

	if (end - p < 2)
		return NULL;
	if (p[1] == '!' || p[1] == '?')
		return skip_comment(p, end);
	t.end = p[1] == '/';
	q = p + 1 + t.end;
	if (t.end && q < end && *q == '>')
		return q + 1;	/* "</>" is nothing */
	if (q == end || !is_alpha(*q))
		return t.end ? skip_comment(p, end) : NULL;
	q = tag_name(q, end, &t);
	if (!(close = tag_close(q, end)))
		return end;	/* cut off by the end of input: dropped */
	t.attrs = q;
	t.attrs_len = (size_t)(close - q);
	if (t.end || !is_hidden_element(t.name)) {
		w->tag(w->arg, &t);
		return close + 1;
	}
	return skip_raw_text(close + 1, end, t.name);
}

static void
walk(const char *html, size_t n, const struct walker *w)
{
	const char *p = html, *end = html + n, *lt, *next;

	while (p < end) {
		lt = memchr(p, '<', (size_t)(end - p));
		if (!lt) {
			w->text(w->arg, p, (size_t)(end - p));
			return;
		}
		if (lt > p)
			w->text(w->arg, p, (size_t)(lt - p));
		if ((next = markup(lt, end, w)) != NULL) {
			p = next;
		} else {
			w->text(w->arg, lt, 1);
			p = lt + 1;
		}
	}
}

/* --- HTML to text ------------------------------------------------------- */

struct text {
	struct tend_buf *out;
	size_t start;		/* out->len on entry: what we write is after */
	unsigned long nl;	/* newlines owed before the next character */
	int space;		/* a collapsed space owed */
	unsigned pre;		/* depth of <pre> */
	int pre_lf;		/* just after <pre>: a newline is dropped */
};

/* Pays what is owed before a character: nothing at the start of the
 * text, else the newlines, else the space. */
static void
settle(struct text *x)
{
	if (x->out->len > x->start) {
		if (x->nl)
			for (; x->nl; x->nl--)
				tend_buf_addc(x->out, '\n');
		else if (x->space)
			tend_buf_addc(x->out, ' ');
	}
	x->nl = 0;
	x->space = 0;
}

static void
put_char(struct text *x, uint32_t cp)
{
	if (!x->pre && is_space(cp)) {
		x->space = 1;
		return;
	}
	if (x->pre && (cp == '\n' || cp == '\r')) {
		if (!x->pre_lf)
			x->nl++;
		x->pre_lf = 0;
		x->space = 0;
		return;
	}
	x->pre_lf = 0;
	settle(x);
	tend_utf8_add(x->out, cp);
}

static void
text_run(void *arg, const char *s, size_t n)
{
	struct text *x = arg;
	const char *p = s, *end = s + n;
	int was_ref;

	while (p < end) {
		if (*p == '\r' && p + 1 < end && p[1] == '\n') {
			p++;	/* CR LF is one newline */
			continue;
		}
		put_char(x, next_char(&p, end, &was_ref));
	}
}

static int
is_block(const char *name)
{
	static const char *const blocks[] = {
		"address", "article", "aside", "blockquote", "caption",
		"center", "dd", "details", "dialog", "div", "dl", "dt",
		"fieldset", "figcaption", "figure", "footer", "form", "h1",
		"h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li",
		"main", "nav", "ol", "p", "pre", "section", "summary",
		"table", "tr", "ul", NULL
	};
	const char *const *b;

	for (b = blocks; *b; b++)
		if (strcmp(name, *b) == 0)
			return 1;
	return 0;
}

static void
text_tag(void *arg, const struct tag *t)
{
	struct text *x = arg;

	if (strcmp(t->name, "br") == 0) {
		x->nl++;
		x->space = 0;
	} else if (strcmp(t->name, "td") == 0 || strcmp(t->name, "th") == 0) {
		if (!t->end)
			x->space = 1;	/* cells of a row stay apart */
	} else if (is_block(t->name)) {
		if (x->nl < 2)
			x->nl = 2;
		x->space = 0;
		if (strcmp(t->name, "pre") == 0) {
			if (!t->end)
				x->pre++;
			else if (x->pre)
				x->pre--;
			x->pre_lf = !t->end;
		}
	}
}

void
tend_html_to_text(const char *html, size_t n, struct tend_buf *out)
{
	struct text x;
	struct walker w;

	memset(&x, 0, sizeof x);
	x.out = out;
	x.start = out->len;
	w.text = text_run;
	w.tag = text_tag;
	w.arg = &x;
	tend_buf_grow(out, n);
	if (n > 0)
		walk(html, n, &w);
}

/* --- anchors ------------------------------------------------------------ */

static int
name_is(const char *s, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!name[i] || lower((unsigned char)s[i]) != name[i])
			return 0;
	return name[n] == '\0';
}

/* Decodes the value of attribute name (lower case) in attrs[0..n) into
 * val; returns 1, or 0 when it is absent.  The first of duplicates wins,
 * as in browsers. */
static int
attribute(const char *attrs, size_t n, const char *name,
    struct tend_buf *val)
{
	const char *p = attrs, *end = attrs + n, *nm, *v, *vend;
	size_t nlen;

	while (p < end) {
		while (p < end && (is_space((unsigned char)*p) || *p == '/'))
			p++;
		if (p == end)
			break;
		nm = p++;	/* a name may start with '=' */
		while (p < end && !is_space((unsigned char)*p) && *p != '/' &&
		    *p != '=')
			p++;
		nlen = (size_t)(p - nm);
		while (p < end && is_space((unsigned char)*p))
			p++;
		v = vend = p;
		if (p < end && *p == '=') {
			p++;
			while (p < end && is_space((unsigned char)*p))
				p++;
			if (p < end && (*p == '"' || *p == '\'')) {
				v = p + 1;
				vend = memchr(v, *p, (size_t)(end - v));
				if (!vend)
					vend = end;
				p = vend < end ? vend + 1 : end;
			} else {
				for (v = p; p < end &&
				    !is_space((unsigned char)*p); p++)
					;
				vend = p;
			}
		}
		if (name_is(nm, nlen, name)) {
			tend_html_decode_entities(v, (size_t)(vend - v), val);
			return 1;
		}
	}
	return 0;
}

struct anchors {
	tend_html_anchor_fn *fn;
	void *arg;
	struct tend_buf href, cls, rel;
};

static void
anchor_text(void *arg, const char *s, size_t n)
{
}

static void
anchor_tag(void *arg, const struct tag *t)
{
	struct anchors *an = arg;
	struct tend_html_anchor a;

	if (t->end || strcmp(t->name, "a") != 0)
		return;
	tend_buf_reset(&an->href);
	tend_buf_reset(&an->cls);
	tend_buf_reset(&an->rel);
	attribute(t->attrs, t->attrs_len, "href", &an->href);
	attribute(t->attrs, t->attrs_len, "class", &an->cls);
	attribute(t->attrs, t->attrs_len, "rel", &an->rel);
	a.href = an->href.data;
	a.cls = an->cls.data;
	a.rel = an->rel.data;
	an->fn(an->arg, &a);
}

void
tend_html_anchors(const char *html, size_t n, tend_html_anchor_fn *fn,
    void *arg)
{
	struct anchors an;
	struct walker w;

	if (n == 0)
		return;
	an.fn = fn;
	an.arg = arg;
	tend_buf_init(&an.href);
	tend_buf_init(&an.cls);
	tend_buf_init(&an.rel);
	w.text = anchor_text;
	w.tag = anchor_tag;
	w.arg = &an;
	walk(html, n, &w);
	tend_buf_release(&an.href);
	tend_buf_release(&an.cls);
	tend_buf_release(&an.rel);
}

int
tend_html_has_word(const char *list, const char *word)
{
	size_t len = strlen(word), n;
	const char *p = list;

	while (*p) {
		while (*p && is_space((unsigned char)*p))
			p++;
		for (n = 0; p[n] && !is_space((unsigned char)p[n]); n++)
			;
		if (n == len && name_is(p, n, word))
			return 1;
		p += n;
	}
	return 0;
}
