/* brand.c: the brand's own accounts, domains and hashtags, which the
 * security checks compare posts against (--brand, --brand-domain,
 * --brand-file). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classify.h"

static void
push(char ***v, size_t *n, const char *s, size_t len)
{
	*v = tend_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = tend_xstrndup(s, len);
}

static void
add_skeleton(struct cl_brand *b, const char *s)
{
	struct tend_buf sk = TEND_BUF_INIT;

	tend_text_skeleton(&sk, s, strlen(s));
	if (sk.len >= 3)
		push(&b->skeletons, &b->nskeletons, sk.data, sk.len);
	tend_buf_release(&sk);
}

/* "acme.co.id" -> "acme": the label before the public suffix. */
static const char *
last_dot(const char *s, const char *end)
{
	while (end > s)
		if (*--end == '.')
			return end;
	return NULL;
}

void
cl_domain_label(const char *domain, struct tend_buf *out)
{
	static const char *const second[] = { "co", "com", "or", "ac",
	    "web", "my", "net", "org", "gov", "go", "biz", NULL };
	const char *end = domain + strlen(domain), *dot, *start;
	size_t i;

	dot = last_dot(domain, end);
	if (!dot) {
		tend_buf_adds(out, domain);
		return;
	}
	end = dot;
	start = last_dot(domain, end);
	start = start ? start + 1 : domain;
	for (i = 0; second[i]; i++)
		if ((size_t)(end - start) == strlen(second[i]) &&
		    strncmp(start, second[i], (size_t)(end - start)) == 0 &&
		    start > domain) {
			end = start - 1;
			start = last_dot(domain, end);
			start = start ? start + 1 : domain;
			break;
		}
	tend_buf_add(out, start, (size_t)(end - start));
}

int
cl_brand_add(struct cl *cl, const char *kind, const char *value,
    struct tend_error *err)
{
	struct cl_brand *b = &cl->brand;
	struct tend_buf f = TEND_BUF_INIT;
	const char *v = value;
	size_t i;

	while (*v == ' ' || *v == '\t' || *v == '@' || *v == '#')
		v++;
	if (!*v) {
		tend_error_set(err, NULL, 0, 0, "empty %s", kind);
		return -1;
	}
	if (strcmp(kind, "handle") == 0) {
		tend_text_fold(&f, v, strlen(v));
		push(&b->handles, &b->nhandles, f.data, f.len);
		add_skeleton(b, v);
	} else if (strcmp(kind, "name") == 0) {
		add_skeleton(b, v);
	} else if (strcmp(kind, "domain") == 0) {
		if (strncmp(v, "http://", 7) == 0)
			v += 7;
		else if (strncmp(v, "https://", 8) == 0)
			v += 8;
		if (strncmp(v, "www.", 4) == 0)
			v += 4;
		for (i = 0; v[i] && v[i] != '/'; i++)
			tend_buf_addc(&f, (char)tolower((unsigned char)v[i]));
		if (!f.len || !memchr(f.data, '.', f.len)) {
			tend_error_set(err, NULL, 0, 0, "'%s' is not a domain "
			    "name", value);
			tend_buf_release(&f);
			return -1;
		}
		push(&b->domains, &b->ndomains, f.data, f.len);
		tend_buf_reset(&f);
		cl_domain_label(b->domains[b->ndomains - 1], &f);
		b->labels = tend_xrealloc(b->labels, b->ndomains *
		    sizeof(*b->labels));
		b->labels[b->ndomains - 1] = tend_xstrndup(f.data, f.len);
		tend_buf_reset(&f);
		tend_text_skeleton(&f, b->labels[b->ndomains - 1],
		    strlen(b->labels[b->ndomains - 1]));
		b->label_skeletons = tend_xrealloc(b->label_skeletons,
		    b->ndomains * sizeof(*b->label_skeletons));
		b->label_skeletons[b->ndomains - 1] = tend_xstrndup(f.data ?
		    f.data : "", f.len);
	} else if (strcmp(kind, "hashtag") == 0) {
		tend_text_fold(&f, v, strlen(v));
		push(&b->hashtags, &b->nhashtags, f.data, f.len);
	} else {
		tend_error_set(err, NULL, 0, 1, "unknown brand line '%s' "
		    "(handle, name, domain, hashtag)", kind);
		return -1;
	}
	tend_buf_release(&f);
	return 0;
}

static int
brand_line(void *arg, char *s, struct tend_error *err)
{
	struct cl *cl = arg;
	char *kind, *value, *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#')
		return 0;
	kind = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	value = s;
	for (end = value + strlen(value); end > value && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		end[-1] = '\0';
	return cl_brand_add(cl, kind, value, err);
}

int
cl_brand_load(struct cl *cl, const char *path, struct tend_error *err)
{
	return cl_each_line(path, brand_line, cl, err);
}
