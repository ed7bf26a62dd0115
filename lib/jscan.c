#include <string.h>

#include "jscan.h"
#include "utf8.h"

static size_t
skip_space(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
	    s[i] == '\r'))
		i++;
	return i;
}

/* i at the opening quote; returns one past the closing quote. */
static size_t
skip_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return n;
}

/* i at a value's first byte; returns one past its last byte. */
static size_t
skip_value(const char *s, size_t n, size_t i)
{
	int depth = 0;

	if (i >= n)
		return n;
	if (s[i] == '"')
		return skip_string(s, n, i);
	if (s[i] != '{' && s[i] != '[') {
		while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' &&
		    s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			i++;
		return i;
	}
	for (; i < n; i++) {
		char c = s[i];

		if (c == '"')
			i = skip_string(s, n, i) - 1;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			return i + 1;
	}
	return n;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Compares the JSON string s[i..j) (quotes included) with key. */
static int
key_equals(const char *s, size_t i, size_t j, const char *key)
{
	size_t k = 0, klen = strlen(key);

	i++;
	j--;
	if (!memchr(s + i, '\\', j - i))
		return j - i == klen && memcmp(s + i, key, klen) == 0;
	while (i < j) {
		char enc[4];
		size_t m = 1;

		if (s[i] != '\\') {
			enc[0] = s[i++];
		} else {
			char e = s[i + 1];
			unsigned cp = 0;
			int q;

			i += 2;
			switch (e) {
			case 'b': enc[0] = '\b'; break;
			case 'f': enc[0] = '\f'; break;
			case 'n': enc[0] = '\n'; break;
			case 'r': enc[0] = '\r'; break;
			case 't': enc[0] = '\t'; break;
			case 'u':
				for (q = 0; q < 4 && i < j; q++)
					cp = cp * 16 + (unsigned)hexval(s[i++]);
				if (cp >= 0xd800 && cp < 0xdc00 && i + 6 <= j &&
				    s[i] == '\\' && s[i + 1] == 'u') {
					unsigned lo = 0;

					for (q = 0, i += 2; q < 4; q++)
						lo = lo * 16 +
						    (unsigned)hexval(s[i++]);
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
				}
				m = tend_utf8_encode(cp, enc);
				break;
			default: enc[0] = e; break;
			}
		}
		if (k + m > klen || memcmp(key + k, enc, m) != 0)
			return 0;
		k += m;
	}
	return k == klen;
}

int
tend_jscan_find(const char *s, size_t n, const char *key,
    struct tend_jspan *span)
{
	size_t i = skip_space(s, n, 0);

	if (i >= n || s[i] != '{')
		return -1;
	i = skip_space(s, n, i + 1);
	while (i < n && s[i] == '"') {
		size_t kstart = i, kend = skip_string(s, n, i), vstart, vend;

		i = skip_space(s, n, kend);
		if (i >= n || s[i] != ':')
			return -1;
		vstart = skip_space(s, n, i + 1);
		vend = skip_value(s, n, vstart);
		if (key_equals(s, kstart, kend, key)) {
			span->member_start = kstart;
			span->value_start = vstart;
			span->value_end = vend;
			return 1;
		}
		i = skip_space(s, n, vend);
		if (i < n && s[i] == ',')
			i = skip_space(s, n, i + 1);
	}
	return 0;
}

long
tend_jscan_object_end(const char *s, size_t n)
{
	size_t i = skip_space(s, n, 0), end;

	if (i >= n || s[i] != '{')
		return -1;
	end = skip_value(s, n, i);
	if (end == 0 || end > n || s[end - 1] != '}')
		return -1;
	return (long)(end - 1);
}
