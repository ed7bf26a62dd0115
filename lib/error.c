#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

void
tend_error_set(struct tend_error *err, const char *file, long line, long col,
    const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
}

void
tend_error_text(struct tend_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
}

const char *
tend_error_where(const struct tend_error *err, char *out, size_t size)
{
	if (err->file[0] && err->line > 0 && err->col > 0)
		snprintf(out, size, "%s:%ld:%ld: ", err->file, err->line,
		    err->col);
	else if (err->file[0] && err->line > 0)
		snprintf(out, size, "%s:%ld: ", err->file, err->line);
	else if (err->file[0])
		snprintf(out, size, "%s: ", err->file);
	else
		snprintf(out, size, "%s", "");
	return out;
}

/* Length of out[0..o) without a UTF-8 sequence cut short at its end. */
static size_t
whole_utf8(const char *out, size_t o)
{
	size_t lead = o, need;
	unsigned char c;

	while (lead > 0 && o - lead < 3 &&
	    ((unsigned char)out[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return o;
	c = (unsigned char)out[lead - 1];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	return o - (lead - 1) < need ? lead - 1 : o;
}

const char *
tend_error_quote(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0, i;
	int cut = 0;

	if (size < 8) {
		if (size)
			out[0] = '\0';
		return out;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[5];
		size_t k;

		if (c == '\\' || c == '\'')
			snprintf(esc, sizeof(esc), "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		else {
			esc[0] = (char)c;
			esc[1] = '\0';
		}
		k = strlen(esc);
		if (o + k + 4 >= size) {
			cut = 1;
			break;
		}
		memcpy(out + o, esc, k);
		o += k;
	}
	if (cut) {
		o = whole_utf8(out, o);
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}
