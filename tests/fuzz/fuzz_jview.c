/* fuzz_jview.c: libFuzzer harness for the JSON object view (lib/jview.h),
 * differential against jansson.
 *
 * For every input, tend_jview_parse() must accept exactly when
 * json_loadb(.., JSON_REJECT_DUPLICATES, ..) parses it to an object (the
 * view checks UTF-8 itself, so invalid UTF-8 is compared too).  For an
 * accepted object, every top-level member and every member one level down
 * must be found by its name with the type jansson gives it, strings must
 * decode to jansson's bytes, numbers to its values, arrays must iterate
 * over as many elements of the same types.  One view is reused for every
 * input, as the tools reuse theirs.
 *
 *	make fuzz-bin/fuzz_jview && fuzz-bin/fuzz_jview CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jview.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum tend_jtype
jansson_type(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return TEND_JOBJECT;
	case JSON_ARRAY: return TEND_JARRAY;
	case JSON_STRING: return TEND_JSTRING;
	case JSON_INTEGER: return TEND_JINT;
	case JSON_REAL: return TEND_JREAL;
	case JSON_TRUE: return TEND_JTRUE;
	case JSON_FALSE: return TEND_JFALSE;
	default: return TEND_JNULL;
	}
}

/* val, from the view, must be the value j. */
static void
check_value(struct tend_jview *v, struct tend_jval val, const json_t *j)
{
	const char *str;
	long long i;
	double d;
	size_t len, it = 0, n = 0;
	struct tend_jval elem;

	if (val.type != jansson_type(j))
		abort();
	switch (val.type) {
	case TEND_JSTRING:
		str = tend_jview_str(v, val, &len);
		if (!str || len != json_string_length(j) ||
		    memcmp(str, json_string_value(j), len) != 0 ||
		    !tend_jview_str_equal(v, val, json_string_value(j), len))
			abort();
		break;
	case TEND_JINT:
		if (tend_jview_int(v, val, &i) < 0 ||
		    i != json_integer_value(j))
			abort();
		break;
	case TEND_JREAL:
		if (tend_jview_real(v, val, &d) < 0 || d != json_real_value(j))
			abort();
		break;
	case TEND_JARRAY:
		while (tend_jview_next(v, val, &it, &elem)) {
			if (n >= json_array_size(j) || elem.type !=
			    jansson_type(json_array_get(j, n)))
				abort();
			n++;
		}
		if (n != json_array_size(j) || tend_jview_next(v, val, &it,
		    &elem))
			abort();
		break;
	default:
		break;
	}
}

/* A path "a.b" for names without '.' (or NUL, which jansson refuses). */
static int
make_path(char *path, size_t size, const char *a, size_t alen,
    const char *b, size_t blen)
{
	if (memchr(a, '.', alen) || alen + blen + 2 > size ||
	    (b && memchr(b, '.', blen)))
		return -1;
	memcpy(path, a, alen);
	path[alen] = '\0';
	if (b) {
		path[alen] = '.';
		memcpy(path + alen + 1, b, blen);
		path[alen + 1 + blen] = '\0';
	}
	return 0;
}

static void
check_nested(struct tend_jview *v, const char *key, size_t keylen,
    const json_t *obj)
{
	const char *name;
	json_t *j;
	char path[512];

	json_object_foreach((json_t *)obj, name, j) {
		struct tend_jval val;

		if (make_path(path, sizeof(path), key, keylen, name,
		    strlen(name)) < 0)
			continue;
		val = tend_jview_get(v, path);
		check_value(v, val, j);
	}
}

static void
check_members(struct tend_jview *v, const json_t *root)
{
	size_t i, n = tend_jview_count(v);

	if (n != json_object_size(root))
		abort();
	for (i = 0; i < n; i++) {
		struct tend_jval val, got;
		size_t keylen;
		const char *key = tend_jview_member(v, i, &keylen, &val);
		char keycopy[512];
		json_t *j = json_object_getn(root, key, keylen);

		if (!j || tend_jview_find(v, key, keylen) != (long)i)
			abort();
		check_value(v, val, j);
		if (make_path(keycopy, sizeof(keycopy), key, keylen, NULL,
		    0) == 0) {
			got = tend_jview_get(v, keycopy);
			if (got.type != val.type || got.start != val.start ||
			    got.end != val.end)
				abort();
			if (json_is_object(j))
				check_nested(v, keycopy, keylen, j);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tend_jview v;
	static int ready;
	const char *s = (const char *)data;
	json_error_t jerr;
	json_t *root;
	int ours, theirs;

	if (!ready) {
		tend_jview_init(&v);
		ready = 1;
	}
	ours = tend_jview_parse(&v, s, size) == 0;
	root = json_loadb(s, size, JSON_REJECT_DUPLICATES, &jerr);
	theirs = root && json_is_object(root);
	if (ours != theirs)
		abort();
	if (ours)
		check_members(&v, root);
	else if (tend_jview_count(&v) != 0)
		abort();
	json_decref(root);
	return 0;
}
