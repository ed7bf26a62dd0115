#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "alloc.h"

static void (*oom_handler)(size_t);

void
tend_alloc_set_oom(void (*handler)(size_t))
{
	oom_handler = handler;
}

static void
out_of_memory(size_t n)
{
	if (oom_handler)
		oom_handler(n);
	abort();
}

void *
tend_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

void *
tend_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		out_of_memory(count * size);
	return p;
}

void *
tend_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(n);
	return q;
}

char *
tend_xstrndup(const char *s, size_t n)
{
	char *p = tend_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
tend_xstrdup(const char *s)
{
	return tend_xstrndup(s, strlen(s));
}

void
tend_xgrow(void **p, size_t *cap, size_t want, size_t elem)
{
	size_t n = *cap ? *cap : 8;

	if (want <= *cap)
		return;
	while (n < want) {
		if (n > SIZE_MAX / 2)
			out_of_memory(SIZE_MAX);
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		out_of_memory(SIZE_MAX);
	*p = tend_xrealloc(*p, n * elem);
	*cap = n;
}

static void *
json_xmalloc(size_t n)
{
	return tend_xmalloc(n);
}

void
tend_alloc_use_for_json(void)
{
	json_set_alloc_funcs(json_xmalloc, free);
}

void
tend_free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
