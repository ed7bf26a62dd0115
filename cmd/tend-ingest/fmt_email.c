/* fmt_email.c: e-mail, from an mbox, a single message (.eml) or a Maildir
 * folder, parsed by GMime (RFC 5322 headers, MIME multiparts, quoted-
 * printable and base64, charsets converted to UTF-8, RFC 2047 words).
 *
 * A message becomes a post on channel email, visibility private: its id
 * is its Message-ID (or, when it has none, one made from a hash of its
 * bytes, so the same message gets the same id on every run); created_at
 * its Date, else the date its newest Received header gives, else its mbox
 * "From " line's; reply_to its In-Reply-To (else the last of its
 * References) and thread the first of its References, so the core
 * rebuilds the conversation; actor agent when the sender's domain is one
 * of --brand-domain (or the address is one of --brand).
 *
 * The text is what the sender wrote this time: the text/plain part (else
 * the HTML one made plain), with the quoted earlier messages, the
 * "On ... wrote:" line above them, an Outlook "Original Message" block
 * and the signature after "-- " removed; a message that starts a
 * conversation has its subject as the first paragraph.  With --keep-raw
 * the subject and the whole body are kept under raw.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "alloc.h"
#include "buf.h"
#include "ingest.h"
#include "utf8.h"
#include "html.h"

/* What one message gave. */
struct email {
	struct tend_buf body;		/* decoded, UTF-8 */
	struct tend_buf text;		/* without quotes and signature */
	const char *charset_note;	/* a charset that could not be read */
	char note[160];
};

static int gmime_started;

static void
start_gmime(void)
{
	if (!gmime_started) {
		g_mime_init();
		gmime_started = 1;
	}
}

/* Headers at the start of head: "Name: value" lines. */
static int
sniff_email(const char *head, size_t n)
{
	const char *p = head, *end = head + n;
	int headers = 0, known = 0;

	if (n >= 5 && memcmp(head, "From ", 5) == 0) {
		if (!(p = memchr(head, '\n', n)))
			return 0;
		p++;
		known++;
	}
	while (p < end && *p != '\n' && *p != '\r') {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *c;

		if (*p != ' ' && *p != '\t') {
			for (c = p; c < end && *c != ':' && *c > ' ' &&
			    *c < 127; c++)
				;
			if (c == p || c >= end || *c != ':')
				return 0;
			headers++;
			if (strncasecmp(p, "message-id:", 11) == 0 ||
			    strncasecmp(p, "received:", 9) == 0 ||
			    strncasecmp(p, "mime-version:", 13) == 0 ||
			    strncasecmp(p, "date:", 5) == 0 ||
			    strncasecmp(p, "subject:", 8) == 0)
				known++;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return headers >= 2 && known >= 2 ? 85 : 0;
}

/* --- the body ------------------------------------------------------- */

/* The best part for the text: text/plain before text/html, attachments
 * and other types never. */
static GMimeTextPart *
find_text(GMimeObject *obj, int want_html)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);

		for (i = 0; i < n; i++) {
			GMimeTextPart *t = find_text(
			    g_mime_multipart_get_part(mp, i), want_html);

			if (t)
				return t;
		}
		return NULL;
	}
	if (!GMIME_IS_TEXT_PART(obj) || g_mime_part_is_attachment(
	    GMIME_PART(obj)))
		return NULL;
	if (g_mime_content_type_is_type(ct, "text", want_html ? "html" :
	    "plain"))
		return GMIME_TEXT_PART(obj);
	return NULL;
}

/* The part's content in UTF-8, appended to em->body.  GMime converts from
 * the declared charset; bytes that are still not UTF-8 (no charset given
 * for 8-bit text, or one iconv does not know) are read as Windows-1252,
 * which is what such mail nearly always is, else as ISO 8859-1, which
 * maps every byte -- with a note, as the result may be wrong. */
static void
part_text(GMimeTextPart *part, int html, struct email *em)
{
	char *s = g_mime_text_part_get_text(part), *conv = NULL;
	const char *charset = g_mime_text_part_get_charset(part);
	const char *text = s ? s : "";
	size_t n = s ? strlen(s) : 0;
	gsize len;

	if (tend_utf8_check(text, n) != n) {
		if (!(conv = g_convert(text, (gssize)n, "UTF-8",
		    "WINDOWS-1252", NULL, &len, NULL)))
			conv = g_convert(text, (gssize)n, "UTF-8",
			    "ISO-8859-1", NULL, &len, NULL);
		if (conv) {
			text = conv;
			n = len;
		}
		snprintf(em->note, sizeof(em->note), "charset '%.40s' "
		    "cannot be read: text read as %s", charset ? charset :
		    "(none given)", conv ? "Windows-1252" : "UTF-8 with "
		    "U+FFFD for bad bytes");
		em->charset_note = em->note;
	}
	if (html)
		tend_html_to_text(text, n, &em->body);
	else if (tend_utf8_check(text, n) == n)
		tend_buf_add(&em->body, text, n);
	else
		tend_utf8_repair(&em->body, text, n);
	g_free(conv);
	g_free(s);
}

/* --- what the sender wrote this time ---------------------------------- */

struct lines {
	const char *p, *end;
};

/* The next line of it (without its terminator) into *s, *n. */
static int
next_line(struct lines *l, const char **s, size_t *n)
{
	const char *nl;

	if (l->p >= l->end)
		return 0;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	*s = l->p;
	*n = (size_t)((nl ? nl : l->end) - l->p);
	l->p = nl ? nl + 1 : l->end;
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	return 1;
}

static int
starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

/* "On Mon, 23 Nov 2026, Dana <d@x> wrote:" */
static int
is_attribution(const char *s, size_t n)
{
	return starts(s, n, "On ") && n >= 9 &&
	    memcmp(s + n - 6, "wrote:", 6) == 0;
}

/* Where the earlier messages start: a signature, an Outlook block. */
static int
is_cut(const char *s, size_t n, struct lines rest)
{
	const char *next;
	size_t nn;

	if ((n == 3 && memcmp(s, "-- ", 3) == 0) || (n == 2 &&
	    memcmp(s, "--", 2) == 0))
		return 1;
	if (starts(s, n, "-----Original Message-----") ||
	    starts(s, n, "________________________________"))
		return 1;
	return starts(s, n, "From: ") && next_line(&rest, &next, &nn) &&
	    (starts(next, nn, "Sent: ") || starts(next, nn, "Date: "));
}

/* body without the quoted lines, attribution and signature. */
static void
strip_reply(const struct tend_buf *body, struct tend_buf *out)
{
	struct lines l = { body->data, body->data + body->len };
	const char *s;
	size_t n, keep = 0;

	tend_buf_reset(out);
	if (!body->len)
		return;
	while (next_line(&l, &s, &n)) {
		if (is_cut(s, n, l))
			break;
		if (n && s[0] == '>')
			continue;
		if (is_attribution(s, n))
			continue;
		tend_buf_add(out, s, n);
		tend_buf_addc(out, '\n');
		if (!tend_blank(s, n))
			keep = out->len;
	}
	out->len = keep;
	if (out->data)
		out->data[keep] = '\0';
	while (out->len && (out->data[out->len - 1] == '\n' ||
	    out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\t'))
		out->data[--out->len] = '\0';
}

/* --- headers ------------------------------------------------------------ */

/* The first message id of header name, or NULL (g_free it). */
static char *
header_id(GMimeMessage *m, const char *name, int last)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(m), name);
	GMimeReferences *refs;
	char *id = NULL;
	int n;

	if (!v || !(refs = g_mime_references_parse(NULL, v)))
		return NULL;
	if ((n = g_mime_references_length(refs)) > 0)
		id = g_strdup(g_mime_references_get_message_id(refs,
		    last ? n - 1 : 0));
	g_mime_references_free(refs);
	return id;
}

/* When it was written: Date, the newest Received, the mbox envelope. */
static int
message_time(GMimeMessage *m, const char *envelope, gint64 *when)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	GDateTime *dt = g_mime_message_get_date(m);
	int i, n = g_mime_header_list_get_count(hl);

	if (dt) {
		*when = g_date_time_to_unix(dt);
		return 0;
	}
	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *v = g_mime_header_get_value(h), *semi;

		if (g_ascii_strcasecmp(g_mime_header_get_name(h),
		    "Received") != 0 || !v || !(semi = strrchr(v, ';')))
			continue;
		if ((dt = g_mime_utils_header_decode_date(semi + 1))) {
			*when = g_date_time_to_unix(dt);
			g_date_time_unref(dt);
			return 0;
		}
		break;	/* the newest hop is the first; no older guess */
	}
	if (envelope && (envelope = strchr(envelope + 5, ' ')) &&
	    (dt = g_mime_utils_header_decode_date(envelope + 1))) {
		*when = g_date_time_to_unix(dt);
		g_date_time_unref(dt);
		return 0;
	}
	return -1;
}

/* 1 when addr's domain is one of --brand-domain, or addr is a --brand. */
static int
ours(const struct ingest_opts *o, const char *addr)
{
	const char *at = strrchr(addr, '@');
	size_t i;

	for (i = 0; at && i < o->nbrand_domains; i++)
		if (g_ascii_strcasecmp(at + 1, o->brand_domains[i]) == 0)
			return 1;
	for (i = 0; i < o->nbrands; i++)
		if (g_ascii_strcasecmp(addr, o->brands[i]) == 0)
			return 1;
	return 0;
}

static void
set_author(json_t *post, GMimeMessage *m, const struct ingest_opts *o)
{
	InternetAddressList *from = g_mime_message_get_from(m);
	InternetAddress *ia;
	json_t *author;
	char *addr;

	if (!from || internet_address_list_length(from) < 1)
		return;
	ia = internet_address_list_get_address(from, 0);
	if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
		return;
	addr = g_ascii_strdown(internet_address_mailbox_get_addr(
	    INTERNET_ADDRESS_MAILBOX(ia)), -1);
	author = json_object();
	ingest_set_string(author, "id", addr, 1);
	ingest_set_string(author, "handle", addr, 1);
	ingest_set_string(author, "name", internet_address_get_name(ia), 1);
	json_object_set_new(post, "author", author);
	json_object_set_new(post, "actor", json_string(ours(o, addr) ?
	    "agent" : "customer"));
	g_free(addr);
}

/* An id for a message without a Message-ID: a hash of its bytes. */
static json_t *
made_id(const char *msg, size_t n)
{
	unsigned long long h = 0xcbf29ce484222325ULL;
	char id[48];
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)msg[i];
		h *= 0x100000001b3ULL;
	}
	snprintf(id, sizeof(id), "email:no-message-id-%016llx", h);
	return json_string(id);
}

/* Adds key = "email:ID" when id is set. */
static void
set_id(json_t *post, const char *key, const char *id)
{
	if (id && *id)
		json_object_set_new(post, key, ingest_id("email", id));
}

static json_t *
convert(struct ingest *ig, GMimeMessage *m, const char *msg, size_t n,
    const char *envelope, struct email *em, json_t **native, char *why,
    size_t whysize)
{
	const char *mid = g_mime_message_get_message_id(m);
	const char *subject = g_mime_message_get_subject(m);
	char *reply_to, *root, when[TEND_TIME_TEXT];
	GMimeObject *body = g_mime_message_get_mime_part(m);
	GMimeTextPart *part = NULL;
	struct tend_time t;
	gint64 secs;
	json_t *post;

	if (message_time(m, envelope, &secs) < 0) {
		snprintf(why, whysize, "no Date header, and no Received or "
		    "mbox \"From \" line to take the date from");
		return NULL;
	}
	t.sec = secs;
	t.nsec = 0;
	tend_time_format(t, when);
	if (body && !(part = find_text(body, 0)))
		part = find_text(body, 1);
	if (part)
		part_text(part, !g_mime_content_type_is_type(
		    g_mime_object_get_content_type(GMIME_OBJECT(part)),
		    "text", "plain"), em);
	strip_reply(&em->body, &em->text);
	reply_to = header_id(m, "In-Reply-To", 0);
	if (!reply_to)
		reply_to = header_id(m, "References", 1);
	root = header_id(m, "References", 0);

	post = json_object();
	json_object_set_new(post, "id", mid && *mid ?
	    ingest_id("email", mid) : made_id(msg, n));
	json_object_set_new(post, "channel", json_string("email"));
	json_object_set_new(post, "created_at", json_string(when));
	if (!reply_to && subject && *subject) {
		struct tend_buf t2 = TEND_BUF_INIT;

		tend_buf_adds(&t2, subject);
		if (em->text.len) {
			tend_buf_adds(&t2, "\n\n");
			tend_buf_add(&t2, em->text.data, em->text.len);
		}
		json_object_set_new(post, "text", json_stringn(t2.data,
		    t2.len));
		tend_buf_release(&t2);
	} else {
		json_object_set_new(post, "text", json_stringn(
		    em->text.data ? em->text.data : "", em->text.len));
	}
	set_author(post, m, ingest_options(ig));
	set_id(post, "thread", root);
	set_id(post, "reply_to", reply_to);
	json_object_set_new(post, "visibility", json_string("private"));
	if (em->text.len)
		ingest_entities_from_text(post, em->text.data);

	*native = json_object();
	ingest_set_string(*native, "subject", subject, 0);
	json_object_set_new(*native, "body", json_stringn(em->body.data ?
	    em->body.data : "", em->body.len));
	g_free(reply_to);
	g_free(root);
	return post;
}

static void
message_email(struct ingest *ig, const struct ingest_unit *unit,
    const char *msg, size_t n, const char *envelope)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *m;
	struct email em;
	json_t *post, *native = NULL;
	char why[160];

	start_gmime();
	memset(&em, 0, sizeof(em));
	stream = g_mime_stream_mem_new_with_buffer(msg, n);
	parser = g_mime_parser_new_with_stream(stream);
	g_object_unref(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	m = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	if (!m || g_mime_header_list_get_count(g_mime_object_get_header_list(
	    GMIME_OBJECT(m))) == 0) {
		ingest_reject(ig, unit, NULL, NULL, "not an e-mail message "
		    "(no headers)");
		if (m)
			g_object_unref(m);
		return;
	}
	if (!(post = convert(ig, m, msg, n, envelope, &em, &native, why,
	    sizeof(why))))
		ingest_reject(ig, unit, NULL, NULL, "%s", why);
	else {
		if (em.charset_note)
			tend_warn("%s:%ld: %s", unit->file, unit->line,
			    em.charset_note);
		ingest_post(ig, unit, NULL, native, post);
	}
	json_decref(native);
	tend_buf_release(&em.body);
	tend_buf_release(&em.text);
	g_object_unref(m);
}

const struct ingest_format ingest_format_email = {
	"email", "e-mail: an mbox, one message (.eml) or a Maildir folder",
	INGEST_MAIL, sniff_email, NULL, NULL, NULL, NULL, message_email
};
