/* alloc.h: allocation that cannot return NULL.
 *
 * libtend never prints or exits; on exhausted memory these call the handler
 * the program installed with tend_alloc_set_oom() (the tools' handler prints
 * "out of memory" and exits 2), and abort() when none is installed.
 * jansson is routed through the same functions by tend_alloc_use_for_json().
 */
#ifndef TEND_ALLOC_H
#define TEND_ALLOC_H

#include <stddef.h>

void *tend_xmalloc(size_t n);
void *tend_xcalloc(size_t count, size_t size);
void *tend_xrealloc(void *p, size_t n);
char *tend_xstrdup(const char *s);
char *tend_xstrndup(const char *s, size_t n);

/* Frees the n strings of v, then v. */
void tend_free_strings(char **v, size_t n);

/* Grows *p (an array of *cap elements of size elem) to hold at least want
 * elements, doubling; aborts through the OOM handler on overflow. */
void tend_xgrow(void **p, size_t *cap, size_t want, size_t elem);

/* Installs the function called (with the size asked for) when memory runs
 * out; it must not return. */
void tend_alloc_set_oom(void (*handler)(size_t));

/* Makes jansson allocate through tend_xmalloc. */
void tend_alloc_use_for_json(void);

#endif
