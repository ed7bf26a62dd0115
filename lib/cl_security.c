/* security.c: the checks that need to know the brand: links that imitate
 * it (lookalike, typosquatted and punycode domains, the brand's name
 * inside a foreign domain, shorteners and bare addresses carrying
 * credential bait), authors who imitate its accounts, and spam riding its
 * hashtags. */
#include <ctype.h>
#include <string.h>

#include "classify.h"
#include <stdio.h>
#include "utf8.h"

static const char *const shorteners[] = {
	"bit.ly", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly",
	"rebrand.ly", "cutt.ly", "s.id", "shorturl.at", "tiny.cc", "rb.gy",
	"t.ly", "v.gd", "bl.ink", "short.io", "lnkd.in", "shorte.st",
	"adf.ly", "bitly.com", "tiny.one", "u.to", "clck.ru", "qr.ae", NULL
};

void
cl_findings_add(struct cl_findings *f, const char *id, const char *detail)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->id[i], id) == 0)
			return;
	if (f->n < CL_MAX_FINDINGS) {
		f->id[f->n] = id;
		snprintf(f->detail[f->n], sizeof(f->detail[f->n]), "%s",
		    detail);
		f->n++;
	}
}

/* Decodes one punycode label (RFC 3492, without "xn--") as UTF-8 into
 * out; -1 when it is not valid punycode. */
static int
punycode_decode(const char *s, size_t n, struct tend_buf *out)
{
	uint32_t cps[128], i = 0, bias = 72, code = 128;
	size_t ncp = 0, b = 0, j, in;

	for (j = 0; j < n; j++)
		if (s[j] == '-')
			b = j;
	if (b > sizeof(cps) / sizeof(cps[0]))
		return -1;
	for (j = 0; j < b; j++)
		cps[ncp++] = (unsigned char)s[j];
	for (in = b > 0 ? b + 1 : 0; in < n;) {
		uint32_t oldi = i, w = 1, k, t, digit;

		for (k = 36;; k += 36) {
			char c;

			if (in >= n)
				return -1;
			c = (char)tolower((unsigned char)s[in++]);
			digit = c >= 'a' && c <= 'z' ? (uint32_t)(c - 'a') :
			    c >= '0' && c <= '9' ? (uint32_t)(c - '0' + 26) :
			    36;
			if (digit >= 36 || digit > (0x7FFFFFFF - i) / w)
				return -1;
			i += digit * w;
			t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
			if (digit < t)
				break;
			if (w > 0x7FFFFFFF / (36 - t))
				return -1;
			w *= 36 - t;
		}
		/* adapt the bias */
		{
			uint32_t delta = oldi == 0 ? (i - oldi) / 700 :
			    (i - oldi) / 2;

			delta += delta / (uint32_t)(ncp + 1);
			for (k = 0; delta > 455; k += 36)
				delta /= 35;
			bias = k + (36 * delta) / (delta + 38);
		}
		if (ncp + 1 >= sizeof(cps) / sizeof(cps[0]) ||
		    i / (ncp + 1) > 0x10FFFF - code)
			return -1;
		code += i / (uint32_t)(ncp + 1);
		i %= (uint32_t)(ncp + 1);
		memmove(cps + i + 1, cps + i, (ncp - i) * sizeof(*cps));
		cps[i++] = code;
		ncp++;
	}
	for (j = 0; j < ncp; j++)
		tend_utf8_add(out, cps[j]);
	return 0;
}

/* The host of a URL, lower case, into out ("" when none). */
static void
url_host(const char *url, size_t n, struct tend_buf *out)
{
	const char *p = url, *end = url + n, *s, *at;

	tend_buf_reset(out);
	for (s = p; s + 2 < end && s < p + 12; s++)
		if (s[0] == ':' && s[1] == '/' && s[2] == '/') {
			p = s + 3;
			break;
		}
	for (s = p; s < end && !strchr("/?#", *s); s++)
		;
	at = memchr(p, '@', (size_t)(s - p));
	if (at)
		p = at + 1;
	while (p < s && *p != ':')
		tend_buf_addc(out, (char)tolower((unsigned char)*p++));
	while (out->len && out->data[out->len - 1] == '.')
		out->data[--out->len] = '\0';
}

/* host with each xn-- label decoded, into out. */
static int
decode_host(const char *host, struct tend_buf *out)
{
	const char *p = host;
	int idn = 0;

	tend_buf_reset(out);
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		if (len > 4 && strncmp(p, "xn--", 4) == 0 &&
		    punycode_decode(p + 4, len - 4, out) == 0)
			idn = 1;
		else
			tend_buf_add(out, p, len);
		if (!dot)
			break;
		tend_buf_addc(out, '.');
		p = dot + 1;
	}
	return idn;
}

static int
is_official(const struct cl_brand *b, const char *host)
{
	size_t i, hl = strlen(host);

	for (i = 0; i < b->ndomains; i++) {
		size_t dl = strlen(b->domains[i]);

		if (strcmp(host, b->domains[i]) == 0 || (hl > dl &&
		    host[hl - dl - 1] == '.' &&
		    strcmp(host + hl - dl, b->domains[i]) == 0))
			return 1;
	}
	return 0;
}

static int
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
is_address(const char *host)
{
	return *host && strspn(host, "0123456789.") == strlen(host);
}

/* Checks one link's host against the brand's domains. */
static void
check_host(const struct cl *cl, struct cl_post *p, const char *host,
    int bait, struct cl_findings *f)
{
	const struct cl_brand *b = &cl->brand;
	struct tend_buf *dec = &p->decoded, *label = &p->label;
	struct tend_buf *hsk = &p->skeleton;
	const char *hs;
	size_t i;
	int idn;

	if (!*host || is_official(b, host))
		return;
	if (in_list(shorteners, host) || is_address(host)) {
		cl_findings_add(f, "builtin.link.shortener", host);
		if (bait)
			cl_findings_add(f, "builtin.phishing.bait-link", host);
	} else if (bait)
		cl_findings_add(f, "builtin.phishing.bait-link", host);
	idn = decode_host(host, dec);
	tend_buf_reset(label);
	cl_domain_label(dec->data, label);
	tend_buf_reset(hsk);
	tend_text_skeleton(hsk, label->data, label->len);
	hs = hsk->data ? hsk->data : "";
	for (i = 0; i < b->ndomains; i++) {
		const char *bl = b->labels[i], *bsk = b->label_skeletons[i];
		size_t bn = strlen(bl), max = bn >= 8 ? 2 : 1;

		if (bn < 3)
			continue;
		if (strcmp(hs, bsk) == 0 || (bn >= 5 &&
		    tend_text_distance(label->data, label->len, bl, bn,
		    max) <= max)) {
			cl_findings_add(f, idn ? "builtin.phishing.punycode" :
			    "builtin.phishing.lookalike", host);
			break;
		}
		if (bn >= 4 && (strstr(dec->data, bl) || strstr(hs, bsk))) {
			cl_findings_add(f, "builtin.phishing.brand-in-domain",
			    host);
			break;
		}
	}
}

struct link_check {
	const struct cl *cl;
	struct cl_post *p;
	int bait;
	struct cl_findings *f;
};

static void
check_link(void *arg, const char *s, size_t n)
{
	struct link_check *lc = arg;

	url_host(s, n, &lc->p->host);
	check_host(lc->cl, lc->p, lc->p->host.data ? lc->p->host.data : "",
	    lc->bait, lc->f);
}

void
cl_check_links(const struct cl *cl, struct cl_post *p,
    struct tend_record *rec, int bait, struct cl_findings *f)
{
	struct link_check lc = { cl, p, bait, f };
	size_t i;

	tend_record_each_str(rec, "links", check_link, &lc);
	for (i = 0; i < p->tokens.n; i++) {
		const struct tend_token *k = &p->tokens.v[i];

		if (k->kind != TEND_TOKEN_URL)
			continue;
		url_host(p->text + k->src, k->src_len, &p->host);
		check_host(cl, p, p->host.data ? p->host.data : "", bait, f);
	}
}

static int
is_brand_handle(const struct cl_brand *b, const char *folded)
{
	size_t i;

	for (i = 0; i < b->nhandles; i++)
		if (strcmp(b->handles[i], folded) == 0)
			return 1;
	return 0;
}

/* 1 when skeleton s imitates one of the brand's. */
static int
imitates(const struct cl_brand *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < b->nskeletons; i++) {
		const char *k = b->skeletons[i];
		size_t kn = strlen(k), max = kn >= 10 ? 2 : 1;

		if (kn < 4)
			continue;
		if ((n == kn && memcmp(s, k, n) == 0) || strstr(s, k) ||
		    (kn >= 5 && tend_text_distance(s, n, k, kn, max) <= max))
			return 1;
	}
	return 0;
}

void
cl_check_author(const struct cl *cl, struct cl_post *p,
    struct tend_record *rec, struct cl_findings *f)
{
	const struct cl_brand *b = &cl->brand;
	const char *actor, *handle, *name;
	struct tend_buf *sk = &p->skeleton;

	if (!b->nskeletons)
		return;
	actor = tend_record_get_str(rec, "actor", &p->field);
	if (actor && strcmp(actor, "customer") != 0)
		return;
	handle = tend_record_get_str(rec, "author.handle", &p->field);
	name = tend_record_get_str(rec, "author.name", &p->field2);
	if (handle) {
		tend_buf_reset(&p->host);
		tend_text_fold(&p->host, handle, strlen(handle));
		if (is_brand_handle(b, p->host.data ? p->host.data : ""))
			return;
		tend_buf_reset(sk);
		tend_text_skeleton(sk, handle, strlen(handle));
		if (sk->len && imitates(b, sk->data, sk->len))
			cl_findings_add(f, "builtin.impersonation.handle",
			    handle);
	}
	if (name) {
		tend_buf_reset(sk);
		tend_text_skeleton(sk, name, strlen(name));
		if (sk->len && imitates(b, sk->data, sk->len))
			cl_findings_add(f, "builtin.impersonation.name", name);
	}
}

static int
tag_is_brand(const struct cl_brand *b, const char *tag)
{
	size_t i;

	for (i = 0; i < b->nhashtags; i++)
		if (strcmp(tag, b->hashtags[i]) == 0)
			return 1;
	for (i = 0; i < b->ndomains; i++)
		if (strlen(b->labels[i]) >= 3 && strstr(tag, b->labels[i]))
			return 1;
	for (i = 0; i < b->nhandles; i++)
		if (strstr(tag, b->handles[i]))
			return 1;
	return 0;
}

struct tag_check {
	const struct cl *cl;
	struct cl_post *p;
	struct cl_findings *f;
};

static void
check_tag(void *arg, const char *s, size_t n)
{
	struct tag_check *tc = arg;
	struct tend_buf *b = &tc->p->host;

	tend_buf_reset(b);
	tend_text_fold(b, s, n);
	if (b->data && tag_is_brand(&tc->cl->brand, b->data))
		cl_findings_add(tc->f, "builtin.brand-misuse", b->data);
}

void
cl_check_hashtags(const struct cl *cl, struct cl_post *p,
    struct tend_record *rec, struct cl_findings *f)
{
	struct tag_check tc = { cl, p, f };
	size_t i;

	tend_record_each_str(rec, "hashtags", check_tag, &tc);
	for (i = 0; i < p->tokens.n; i++)
		if (p->tokens.v[i].kind == TEND_TOKEN_HASHTAG &&
		    tag_is_brand(&cl->brand, tend_token_text(&p->tokens, i))) {
			cl_findings_add(f, "builtin.brand-misuse",
			    tend_token_text(&p->tokens, i));
			return;
		}
}
