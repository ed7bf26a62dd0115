/* text.c: folding and tokenising post text (text.h). */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strmap.h"
#include "text.h"
#include "utf8.h"

/*
 * U+00C0..U+017F without diacritics, one byte a code point.  Digits stand
 * for two letters: 1 ae, 2 oe, 3 ij, 4 th, 5 ss; '.' keeps the character
 * (the multiplication and division signs).
 */
static const char latin_fold[] =
	"aaaaaa1ceeeeiiii" "dnooooo.ouuuuy45"	/* U+00C0 */
	"aaaaaa1ceeeeiiii" "dnooooo.ouuuuy4y"	/* U+00E0 */
	"aaaaaaccccccccdd" "ddeeeeeeeeeegggg"	/* U+0100 */
	"gggghhhhiiiiiiii" "ii33jjkkklllllll"	/* U+0120 */
	"lllnnnnnnnnnoooo" "oo22rrrrrrssssss"	/* U+0140 */
	"ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";	/* U+0160 */

static const char *const pairs[] = { "ae", "oe", "ij", "th", "ss" };

/* Appends the folded form of one code point (never a combining mark,
 * variation selector or emoji modifier: the caller drops those). */
static void
fold_cp(struct tend_buf *out, uint32_t cp)
{
	char c = 0;

	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		tend_buf_addc(out, (char)cp);
		return;
	}
	if (cp >= 0xC0 && cp < 0x180) {
		c = latin_fold[cp - 0xC0];
		if (c >= '1' && c <= '5') {
			tend_buf_adds(out, pairs[c - '1']);
			return;
		}
	} else if (cp == 0x218 || cp == 0x219)
		c = 's';
	else if (cp == 0x21A || cp == 0x21B)
		c = 't';
	else if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC)
		c = '\'';
	else if (cp >= 0xFF21 && cp <= 0xFF3A)
		c = (char)('a' + (cp - 0xFF21));
	else if (cp >= 0xFF41 && cp <= 0xFF5A)
		c = (char)('a' + (cp - 0xFF41));
	else if (cp >= 0xFF10 && cp <= 0xFF19)
		c = (char)('0' + (cp - 0xFF10));
	else if (cp >= 0x410 && cp <= 0x42F)
		cp += 0x20;
	else if (cp >= 0x400 && cp <= 0x40F)
		cp += 0x50;
	else if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
		cp += 0x20;
	if (c && c != '.') {
		tend_buf_addc(out, c);
		return;
	}
	tend_utf8_add(out, cp);
}

/* Code points the fold drops: combining marks, variation selectors, the
 * zero-width joiners, emoji skin-tone modifiers, tags. */
static int
is_dropped(uint32_t cp)
{
	return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0xFE00 &&
	    cp <= 0xFE0F) || cp == 0x200C || cp == 0x200D ||
	    (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0000 &&
	    cp <= 0xE007F);
}

static int
is_emoji(uint32_t cp)
{
	return (cp >= 0x1F000 && cp <= 0x1FAFF && !(cp >= 0x1F1E6 &&
	    cp <= 0x1F1FF)) || (cp >= 0x2600 && cp <= 0x27BF) ||
	    (cp >= 0x2B00 && cp <= 0x2BFF) || (cp >= 0x2300 &&
	    cp <= 0x23FF) || cp == 0x2122 || cp == 0x2139 ||
	    (cp >= 0x2190 && cp <= 0x21FF) || cp == 0x3030 ||
	    cp == 0x303D || cp == 0xA9 || cp == 0xAE;
}

int
tend_text_is_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9');
	if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 &&
	    cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A &&
	    cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40) ||
	    (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0xFFFD ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0x1F000)
		return 0;
	return 1;
}

size_t
tend_text_fold(struct tend_buf *out, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	size_t before = out->len;

	/* room for the rest of the text, so ASCII goes straight in; a
	 * non-ASCII code point may grow (an invalid byte becomes U+FFFD),
	 * so the room is made again after each */
	tend_buf_grow(out, n + 1);
	while (p < end) {
		uint32_t cp;

		if ((unsigned char)*p < 0x80) {
			char c = *p++;

			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			out->data[out->len++] = c;
			continue;
		}
		cp = tend_utf8_next(&p, end);
		if (cp == 0x200D && p < end) {	/* ZWJ: drop what it joins */
			tend_utf8_next(&p, end);
			continue;
		}
		if (!is_dropped(cp))
			fold_cp(out, cp);
		tend_buf_grow(out, (size_t)(end - p) + 1);
	}
	out->data[out->len] = '\0';
	return out->len - before;
}

void
tend_tokens_init(struct tend_tokens *t)
{
	memset(t, 0, sizeof(*t));
	tend_buf_init(&t->folded);
}

void
tend_tokens_release(struct tend_tokens *t)
{
	tend_buf_release(&t->folded);
	free(t->v);
	tend_tokens_init(t);
}

static struct tend_token *
add_token(struct tend_tokens *t, int kind, const char *text, size_t src,
    size_t src_len)
{
	struct tend_token *k;

	tend_xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	k = &t->v[t->n++];
	memset(k, 0, sizeof(*k));
	k->kind = (uint8_t)kind;
	k->clause = (uint8_t)(t->boundary || t->n == 1);
	t->boundary = 0;
	k->src = (uint32_t)src;
	k->src_len = (uint32_t)src_len;
	k->start = (uint32_t)t->folded.len;
	(void)text;
	return k;
}

static void
end_token(struct tend_tokens *t, struct tend_token *k)
{
	k->len = (uint32_t)(t->folded.len - k->start);
	tend_buf_addc(&t->folded, '\0');
}

static int
is_space_or_punct_ascii(int c)
{
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (unsigned char)c >= 0x80);
}

/* Top-level domains that make a bare "name.tld" a link. */
static const char *const tlds[] = {
	"com", "net", "org", "info", "biz", "io", "co", "me", "ly", "gl",
	"gd", "cc", "tk", "ml", "ga", "cf", "gq", "xyz", "top", "online",
	"site", "app", "link", "click", "shop", "store", "live", "id", "si",
	"uk", "us", "de", "eu", "ru", "cn", "in", "my", "sg", "au", "io",
	"to", "ws", "vip", "support", "help", "club", "icu", "buzz", "win",
	NULL
};

/* Length of the URL at s (scheme, www. or a bare host with a known TLD),
 * or 0. */
static size_t
url_length(const char *s, const char *end)
{
	const char *p = s, *dot = NULL, *host_end;
	size_t n = (size_t)(end - s), i;

	if ((*s == 'h' || *s == 'H' || *s == 'w' || *s == 'W') &&
	    ((n > 7 && strncasecmp(s, "http://", 7) == 0) ||
	    (n > 8 && strncasecmp(s, "https://", 8) == 0) ||
	    (n > 4 && strncasecmp(s, "www.", 4) == 0))) {
		while (p < end && (unsigned char)*p > ' ')
			p++;
		while (p > s && strchr(".,;:!?)]}'\"", p[-1]))
			p--;
		return (size_t)(p - s);
	}
	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
	    *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
	    *p == '.')) {
		if (*p == '.')
			dot = p;
		p++;
	}
	if (!dot || dot == s || dot + 1 >= p)
		return 0;
	host_end = p;
	while (host_end > s && host_end[-1] == '.')
		host_end--;
	for (dot = host_end; dot > s && dot[-1] != '.'; dot--)
		;
	if (dot == s)
		return 0;
	for (i = 0; tlds[i]; i++)
		if ((size_t)(host_end - dot) == strlen(tlds[i]) &&
		    strncasecmp(dot, tlds[i], (size_t)(host_end - dot)) == 0)
			break;
	if (!tlds[i])
		return 0;
	p = host_end;
	if (p < end && *p == '/')
		while (p < end && (unsigned char)*p > ' ')
			p++;
	while (p > s && strchr(".,;:!?)]}'\"", p[-1]))
		p--;
	return (size_t)(p - s);
}

/* Length of the emoticon at s[0..), or 0. */
static size_t
emoticon_length(const struct tend_tokens *t, const char *s, const char *end,
    const char *text, const struct tend_strmap *emoticons, size_t maxlen)
{
	char low[16];
	size_t len, i;

	if (!emoticons || (s > text && s[-1] >= '0' && s[-1] <= '9'))
		return 0;
	for (len = maxlen < sizeof(low) ? maxlen : sizeof(low);
	    len >= 2; len--) {
		if ((size_t)(end - s) < len)
			continue;
		for (i = 0; i < len; i++) {
			char c = s[i];

			if ((unsigned char)c >= 0x80 || c == ' ')
				break;
			low[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		if (i < len)
			continue;
		/* ":D" must not be the start of ":Do" */
		if (s + len < end && !is_space_or_punct_ascii(s[len]) &&
		    !is_space_or_punct_ascii(s[len - 1]))
			continue;
		if (tend_strmap_get(emoticons, low, len))
			return len;
	}
	(void)t;
	return 0;
}

/* Whether s..e is "xD", "XD" or "xDDD": a face laughing, spelt with
 * letters. */
static int
laughing_face(const char *s, const char *e)
{
	if (e - s < 2 || (*s != 'x' && *s != 'X'))
		return 0;
	while (++s < e)
		if (*s != 'D' && *s != 'd')
			return 0;
	return 1;
}

/* Reads a word (letters, digits, inner apostrophes; underscores too in a
 * handle or hashtag, "@Kiko_Bloom", "#black_friday") starting at *pp. */
static void
read_word(struct tend_tokens *t, const char *text, const char **pp,
    const char *end, int kind, size_t src)
{
	const char *p = *pp;
	struct tend_token *k = add_token(t, kind, text, src, 0);
	unsigned letters = 0, upper = 0, digits = 0, run = 0;
	uint32_t prev = 0;

	while (p < end) {
		const char *q = p;
		uint32_t cp = tend_utf8_next(&q, end);

		if (cp == '\'' || cp == 0x2019) {
			const char *r = q;

			if (r >= end || !tend_text_is_word_char(
			    tend_utf8_next(&r, end)) || p == *pp)
				break;
		} else if (cp == '_' && kind != TEND_TOKEN_WORD) {
			p = q;
			continue;
		} else if (!tend_text_is_word_char(cp) && !is_dropped(cp))
			break;
		if (cp >= '0' && cp <= '9')
			digits++;
		else if (cp != '\'' && cp != 0x2019 && !is_dropped(cp)) {
			letters++;
			if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 &&
			    cp <= 0xDE && cp != 0xD7) || (cp >= 0x410 &&
			    cp <= 0x42F))
				upper++;
		}
		run = cp == prev ? run + 1 : 1;
		if (run >= 3 && cp > '9')
			k->elongated = 1;
		prev = cp;
		p = q;
	}
	tend_text_fold(&t->folded, *pp, (size_t)(p - *pp));
	k->src_len = (uint32_t)(p - text - src);
	if (kind == TEND_TOKEN_WORD && !letters && digits)
		k->kind = TEND_TOKEN_NUMBER;
	else if (kind == TEND_TOKEN_WORD && laughing_face(*pp, p))
		k->kind = TEND_TOKEN_EMOTICON;
	if (k->kind == TEND_TOKEN_WORD && letters >= 2) {
		t->words++;
		if (upper == letters) {
			k->caps = 1;
			t->caps_words++;
		}
	}
	end_token(t, k);
	*pp = p;
}

void
tend_text_tokenize(struct tend_tokens *t, const char *s, size_t n,
    const struct tend_strmap *emoticons, size_t maxlen)
{
	const char *p = s, *end = s + n;

	tend_buf_reset(&t->folded);
	t->n = 0;
	t->exclamations = t->questions = t->caps_words = t->words = 0;
	t->boundary = 0;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		const char *q;
		uint32_t cp;
		size_t len;

		if (c == '\n')
			t->boundary = 1;
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			p++;
			continue;
		}
		if (c == '!')
			t->exclamations++;
		else if (c == '?')
			t->questions++;
		if ((c == 'h' || c == 'H' || c == 'w' || c == 'W' ||
		    (c < 0x80 && tend_text_is_word_char(c))) &&
		    (p == s || is_space_or_punct_ascii(p[-1])) &&
		    (len = url_length(p, end)) > 0) {
			struct tend_token *k = add_token(t, TEND_TOKEN_URL, s,
			    (size_t)(p - s), len);

			tend_text_fold(&t->folded, p, len);
			end_token(t, k);
			p += len;
			continue;
		}
		if (c < 0x80 && c > ' ' && !tend_text_is_word_char(c) &&
		    (len = emoticon_length(t, p, end, s, emoticons,
		    maxlen)) > 0) {
			struct tend_token *k = add_token(t,
			    TEND_TOKEN_EMOTICON, s, (size_t)(p - s), len);

			tend_text_fold(&t->folded, p, len);
			end_token(t, k);
			p += len;
			continue;
		}
		if ((c == '@' || c == '#') && p + 1 < end) {
			q = p + 1;
			cp = tend_utf8_next(&q, end);
			if (tend_text_is_word_char(cp) || cp == '_') {
				q = p + 1;
				read_word(t, s, &q, end, c == '@' ?
				    TEND_TOKEN_MENTION : TEND_TOKEN_HASHTAG,
				    (size_t)(p - s));
				t->v[t->n - 1].src = (uint32_t)(p - s);
				t->v[t->n - 1].src_len = (uint32_t)(q - p);
				p = q;
				continue;
			}
		}
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
		    c == '?')
			t->boundary = 1;
		q = p;
		cp = tend_utf8_next(&q, end);
		if (tend_text_is_word_char(cp)) {
			read_word(t, s, &p, end, TEND_TOKEN_WORD,
			    (size_t)(p - s));
			continue;
		}
		if (is_emoji(cp)) {
			struct tend_token *k = add_token(t, TEND_TOKEN_EMOJI,
			    s, (size_t)(p - s), 0);

			tend_utf8_add(&t->folded, cp);
			/* modifiers, selectors and joined code points belong
			 * to this emoji */
			while (q < end) {
				const char *r = q;
				uint32_t next = tend_utf8_next(&r, end);

				if (next == 0x200D && r < end) {
					tend_utf8_next(&r, end);
					q = r;
				} else if (is_dropped(next))
					q = r;
				else
					break;
			}
			k->src_len = (uint32_t)(q - p);
			end_token(t, k);
		}
		p = q;
	}
}

/* Confusables: what a folded code point imitates, as ASCII, or NULL. */
static const char *
confusable(uint32_t cp)
{
	switch (cp) {
	case 0x430: return "a";		/* Cyrillic а */
	case 0x432: return "b";		/* в */
	case 0x435: case 0x451: return "e";
	case 0x43A: return "k";
	case 0x43C: return "m";
	case 0x43D: return "h";
	case 0x43E: case 0x3BF: case 0x3C3: return "o";
	case 0x440: case 0x3C1: return "p";
	case 0x441: case 0x3C2: return "c";
	case 0x442: case 0x3C4: return "t";
	case 0x443: case 0x3B3: return "y";
	case 0x445: case 0x3C7: return "x";
	case 0x456: case 0x3B9: return "i";
	case 0x458: return "j";
	case 0x455: return "s";
	case 0x3B1: return "a";
	case 0x3B2: return "b";
	case 0x3B5: return "e";
	case 0x3BA: return "k";
	case 0x3BD: return "v";
	case 0x3C5: return "u";
	case 0x3C9: return "w";
	case 0x131: return "i";
	default: return NULL;
	}
}

void
tend_text_skeleton(struct tend_buf *out, const char *s, size_t n)
{
	struct tend_buf folded = TEND_BUF_INIT;
	const char *p, *end;
	size_t start = out->len;

	tend_text_fold(&folded, s, n);
	p = folded.data ? folded.data : "";
	end = p + folded.len;
	while (p < end) {
		uint32_t cp = tend_utf8_next(&p, end);
		const char *as = confusable(cp);
		char c;

		if (as) {
			tend_buf_adds(out, as);
			continue;
		}
		if (cp >= 0x80) {
			if (tend_text_is_word_char(cp))
				tend_utf8_add(out, cp);
			continue;
		}
		c = (char)cp;
		switch (c) {
		case '0': c = 'o'; break;
		case '1': case '|': case '!': c = 'l'; break;
		case '3': c = 'e'; break;
		case '4': case '@': c = 'a'; break;
		case '5': case '$': c = 's'; break;
		case '7': c = 't'; break;
		case '8': c = 'b'; break;
		case 'i': c = 'l'; break;	/* I and l look alike */
		default:
			if (!((c >= 'a' && c <= 'z') || (c >= '0' &&
			    c <= '9')))
				continue;
		}
		tend_buf_addc(out, c);
	}
	tend_buf_release(&folded);
	/* letter pairs that read as one letter */
	{
		char *w = out->data + start, *r = w, *e = out->data + out->len;

		while (r < e) {
			if (r + 1 < e && r[0] == 'r' && r[1] == 'n') {
				*w++ = 'm';
				r += 2;
			} else if (r + 1 < e && r[0] == 'v' && r[1] == 'v') {
				*w++ = 'w';
				r += 2;
			} else
				*w++ = *r++;
		}
		out->len = (size_t)(w - out->data);
		if (out->data)
			out->data[out->len] = '\0';
	}
}

size_t
tend_text_distance(const char *a, size_t an, const char *b, size_t bn,
    size_t max)
{
	size_t row[64], i, j;

	if ((an > bn ? an - bn : bn - an) > max)
		return max + 1;
	if (bn >= sizeof(row) / sizeof(row[0]))
		return an == bn && memcmp(a, b, an) == 0 ? 0 : max + 1;
	for (j = 0; j <= bn; j++)
		row[j] = j;
	for (i = 1; i <= an; i++) {
		size_t diag = row[0], best;

		row[0] = i;
		best = row[0];
		for (j = 1; j <= bn; j++) {
			size_t up = row[j], v;

			v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[bn] > max ? max + 1 : row[bn];
}
