/* fmt_csv.c: any RFC 4180 CSV with a header row, its columns named for
 * tend's fields by --map FIELD=COLUMN,... and the channel by a mapped
 * column or --channel.
 *
 * Ids (and thread, reply_to) are prefixed "CHANNEL:" unless they already
 * hold a ':'.  created_at is any form tend_time_parse_any() reads.  The
 * closed vocabularies (channel, actor, visibility, kind, event) are
 * lower-cased, as exports write "Email" or "Agent"; a handle loses its
 * '@', as tend writes handles.  A row with a score and no kind is a
 * survey answer.  An empty cell sets nothing.  Unmapped
 * columns are ignored.  Never guessed: -f csv only.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "error.h"
#include "ingest.h"
#include "record.h"
#include "timestamp.h"

enum kind {
	TEXT,		/* a string as written */
	HANDLE,		/* a handle: without a leading '@' */
	ID,		/* an id: CHANNEL: prefixed */
	WORD,		/* a closed vocabulary: lower-cased */
	TIME,
	COUNT,		/* a non-negative integer */
	FLAG		/* true/false, 1/0, yes/no */
};

static const struct field {
	const char *name;
	enum kind kind;
	const char *const *words;	/* WORD: the values allowed, or NULL */
} fields[] = {
	{ "id", ID, NULL }, { "channel", WORD, tend_channels },
	{ "created_at", TIME, NULL }, { "text", TEXT, NULL },
	{ "author.id", TEXT, NULL }, { "author.handle", HANDLE, NULL },
	{ "author.name", TEXT, NULL }, { "author.followers", COUNT, NULL },
	{ "author.verified", FLAG, NULL }, { "thread", ID, NULL },
	{ "reply_to", ID, NULL }, { "actor", WORD, tend_actors },
	{ "visibility", WORD, tend_visibilities }, { "lang", TEXT, NULL },
	{ "url", TEXT, NULL }, { "kind", WORD, tend_kinds },
	{ "event", WORD, NULL }, { "scale", WORD, tend_scales },
	{ "score", COUNT, NULL }
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
enum { F_ID, F_CHANNEL, F_CREATED_AT };	/* their indexes in fields */

/* The formats that are CSV with --map and what their rows are unless a
 * column says otherwise: a chat transcript, call-centre or helpdesk notes,
 * survey answers, helpdesk status changes. */
static const struct preset {
	const char *format;
	const char *channel;	/* when no column and no --channel */
	const char *visibility, *actor, *kind;
} presets[] = {
	{ "csv", NULL, NULL, NULL, NULL },
	{ "chat", "chat", "private", NULL, NULL },
	{ "notes", "phone", "internal", "agent", NULL },
	{ "survey", "survey", NULL, "customer", "survey" },
	{ "events", "other", NULL, "system", "event" },
};

/* What csv_header made of --map and the header. */
struct csv_map {
	const struct preset *preset;
	long col[NFIELDS];	/* -1: not mapped */
	const char *column[NFIELDS];	/* as named in --map */
	size_t ncolumns;	/* fields in the header */
	char *spec;		/* a copy of --map, cut at ',' and '=' */
};

static int
sniff_csv(const char *head, size_t n)
{
	(void)head;
	(void)n;
	return 0;	/* a header row says nothing of which column is what */
}

static void
done_csv(struct ingest *ig)
{
	struct csv_map *m = ingest_format_state(ig);

	if (m)
		free(m->spec);
	free(m);
}

static long
field_index(const char *name)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void
list_fields(struct tend_buf *out)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		tend_buf_printf(out, "%s%s", i ? ", " : "", fields[i].name);
}

static void
list_columns(const struct tend_csv_row *header, struct tend_buf *out)
{
	size_t i;
	char q[64];

	for (i = 0; i < header->n && out->len < 200; i++)
		tend_buf_printf(out, "%s%s", i ? ", " : "",
		    tend_error_quote(header->fields[i], header->lens[i], q,
		    sizeof(q)));
	if (i < header->n)
		tend_buf_adds(out, ", ...");
}

/* "a, b, c": the words of a closed vocabulary, for a message. */
static const char *
list_words(const char *const *words, char *out, size_t size)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; words[i] && o < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%s%s", i ? ", " : "",
		    words[i]);
	return out;
}

/* s without its leading and trailing spaces (cut in place). */
static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	*e = '\0';
	return s;
}

/* One FIELD=COLUMN of --map into m; fills why and returns -1 when bad. */
static int
map_pair(struct csv_map *m, char *pair, struct tend_buf *why)
{
	char *eq = strchr(pair, '='), *name, *column;
	char q[64];
	long f;

	if (!eq) {
		tend_buf_printf(why, "--map: '%s' is not FIELD=COLUMN",
		    tend_error_quote(pair, strlen(pair), q, 48));
		return -1;
	}
	*eq = '\0';
	name = trim(pair);
	column = trim(eq + 1);
	if ((f = field_index(name)) < 0) {
		tend_buf_printf(why, "--map: unknown field '%s' (fields: ",
		    tend_error_quote(name, strlen(name), q, 48));
		list_fields(why);
		tend_buf_adds(why, ")");
		return -1;
	}
	if (m->column[f]) {
		tend_buf_printf(why, "--map: field \"%s\" is mapped twice",
		    name);
		return -1;
	}
	if (!*column) {
		tend_buf_printf(why, "--map: '%s=' names no column", name);
		return -1;
	}
	m->column[f] = column;
	return 0;
}

char **
ingest_map_columns(const char *spec)
{
	char *copy, *pair, *save = NULL, *eq, **cols = NULL;
	size_t n = 0;

	if (!spec)
		return NULL;
	copy = tend_xstrdup(spec);
	for (pair = strtok_r(copy, ",", &save); pair;
	    pair = strtok_r(NULL, ",", &save)) {
		if (!(eq = strchr(pair, '=')))
			continue;	/* parse_map says why */
		cols = tend_xrealloc(cols, (n + 2) * sizeof(*cols));
		cols[n++] = tend_xstrdup(trim(eq + 1));
		cols[n] = NULL;
	}
	free(copy);
	return cols;
}

/* Reads --map into m->column; fills why and returns -1 when bad. */
static int
parse_map(struct csv_map *m, const char *spec, struct tend_buf *why)
{
	char *pair, *save = NULL;

	if (!spec) {
		tend_buf_printf(why, "-f %s needs --map FIELD=COLUMN,... "
		    "(at least id and created_at)", m->preset->format);
		return -1;
	}
	m->spec = tend_xstrdup(spec);
	for (pair = strtok_r(m->spec, ",", &save); pair;
	    pair = strtok_r(NULL, ",", &save))
		if (map_pair(m, pair, why) < 0)
			return -1;
	if (!m->column[F_ID] || !m->column[F_CREATED_AT]) {
		tend_buf_printf(why, "--map: no column for \"%s\" (id and "
		    "created_at are required)", m->column[F_ID] ?
		    "created_at" : "id");
		return -1;
	}
	return 0;
}

/* Finds each mapped column in the header; fills why and returns -1 when
 * one is not there, or when no channel is given. */
static int
find_columns(struct csv_map *m, const struct tend_csv_row *header,
    const char *channel, struct tend_buf *why)
{
	char q[64], words[200];
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		m->col[i] = -1;
		if (m->column[i] && (m->col[i] = tend_csv_column(header,
		    m->column[i])) < 0) {
			tend_buf_printf(why, "--map: column \"%s\" (for \"%s\")"
			    " is not in the header (columns: ",
			    tend_error_quote(m->column[i],
			    strlen(m->column[i]), q, 48), fields[i].name);
			list_columns(header, why);
			tend_buf_adds(why, ")");
			return -1;
		}
	}
	if (channel && !tend_word_in(channel, tend_channels)) {
		tend_buf_printf(why, "--channel: unknown channel '%s' "
		    "(expected one of: %s)", tend_error_quote(channel,
		    strlen(channel), q, 32), list_words(tend_channels, words,
		    sizeof(words)));
		return -1;
	}
	if (m->col[F_CHANNEL] < 0 && !channel && !m->preset->channel) {
		tend_buf_adds(why, "no channel: give --channel NAME or map "
		    "a column to \"channel\"");
		return -1;
	}
	return 0;
}

static int
header_csv(struct ingest *ig, const struct ingest_unit *unit,
    const struct tend_csv_row *header)
{
	const struct ingest_opts *o = ingest_options(ig);
	struct csv_map *m = tend_xcalloc(1, sizeof(*m));
	struct tend_buf why = TEND_BUF_INIT;
	size_t i;

	m->preset = &presets[0];
	for (i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		if (strcmp(presets[i].format, ingest_format_name(ig)) == 0)
			m->preset = &presets[i];
	if (parse_map(m, o->map, &why) < 0 ||
	    find_columns(m, header, o->channel, &why) < 0) {
		ingest_input_error(ig, unit, "%s", why.data);
		tend_buf_release(&why);
		free(m->spec);
		free(m);
		return -1;
	}
	m->ncolumns = header->n;
	ingest_set_format_state(ig, m);
	return 0;
}

/* --- rows ------------------------------------------------------------ */

/* A row being converted. */
struct conv {
	const struct csv_map *map;
	const struct tend_csv_row *row;
	const char *channel;	/* the row's, as in the post */
	struct tend_buf scratch;
	char why[TEND_ERROR_TEXT];
};

static const char *const true_words[] = { "true", "1", "yes", NULL };
static const char *const false_words[] = { "false", "0", "no", NULL };

/* Says why the cell s[0..n) is not a value of field f; returns NULL. */
static json_t *
bad_value(struct conv *cv, size_t f, const char *what, const char *s,
    size_t n)
{
	char q[64];

	snprintf(cv->why, sizeof(cv->why), "field \"%s\" (column \"%s\"): "
	    "%s: '%s'", fields[f].name, cv->map->column[f], what,
	    tend_error_quote(s, n, q, 48));
	return NULL;
}

/* A non-negative decimal integer s[0..n), or -1. */
static long long
count_of(const char *s, size_t n)
{
	long long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (LLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return n ? v : -1;
}

static void
lower(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
}

/* A closed vocabulary's word, lower-cased and checked. */
static json_t *
word(struct conv *cv, size_t f, const char *s, size_t n)
{
	char q[64], words[200];

	tend_buf_reset(&cv->scratch);
	tend_buf_add(&cv->scratch, s, n);
	lower(cv->scratch.data, n);
	if (fields[f].words && (strlen(cv->scratch.data) != n ||
	    !tend_word_in(cv->scratch.data, fields[f].words))) {
		snprintf(cv->why, sizeof(cv->why), "field \"%s\" (column "
		    "\"%s\"): unknown value '%s' (expected one of: %s)",
		    fields[f].name, cv->map->column[f],
		    tend_error_quote(s, n, q, 40),
		    list_words(fields[f].words, words, sizeof(words)));
		return NULL;
	}
	return json_stringn(cv->scratch.data, n);
}

/* The value of field f from the cell s[0..n), a new reference, or NULL
 * with cv->why set. */
static json_t *
value(struct conv *cv, size_t f, const char *s, size_t n)
{
	struct tend_time t;
	char canon[TEND_TIME_TEXT];
	long long count;

	switch (fields[f].kind) {
	case TEXT:
		return json_stringn(s, n);
	case HANDLE:
		return *s == '@' ? json_stringn(s + 1, n - 1) :
		    json_stringn(s, n);
	case ID:
		tend_buf_reset(&cv->scratch);
		if (!memchr(s, ':', n))
			tend_buf_printf(&cv->scratch, "%s:", cv->channel);
		tend_buf_add(&cv->scratch, s, n);
		return json_stringn(cv->scratch.data, cv->scratch.len);
	case WORD:
		return word(cv, f, s, n);
	case TIME:
		if (tend_time_parse_any(s, n, &t) < 0)
			return bad_value(cv, f, "not a time", s, n);
		tend_time_format(t, canon);
		return json_string(canon);
	case COUNT:
		if ((count = count_of(s, n)) < 0)
			return bad_value(cv, f, "not a count", s, n);
		return json_integer((json_int_t)count);
	case FLAG:
		tend_buf_reset(&cv->scratch);
		tend_buf_add(&cv->scratch, s, n);
		lower(cv->scratch.data, n);
		if (tend_word_in(cv->scratch.data, true_words))
			return json_true();
		if (tend_word_in(cv->scratch.data, false_words))
			return json_false();
		return bad_value(cv, f, "not true or false", s, n);
	}
	return NULL;
}

/* Sets field f of post from its cell; -1 with cv->why set when bad. */
static int
set_field(struct conv *cv, json_t *post, size_t f)
{
	const char *s = cv->row->fields[cv->map->col[f]];
	size_t n = cv->row->lens[cv->map->col[f]];
	const char *name = fields[f].name;
	json_t *v, *author;

	if (n == 0) {
		if (f != F_ID)
			return 0;
		snprintf(cv->why, sizeof(cv->why), "field \"id\" (column "
		    "\"%s\") is empty", cv->map->column[f]);
		return -1;
	}
	if (!(v = value(cv, f, s, n)))
		return -1;
	if (strncmp(name, "author.", 7) != 0) {
		json_object_set_new(post, name, v);
		return 0;
	}
	if (!(author = json_object_get(post, "author")))
		json_object_set_new(post, "author", author = json_object());
	json_object_set_new(author, name + 7, v);
	return 0;
}

/* The row's channel: its cell, else --channel; NULL (why set) if none. */
static json_t *
row_channel(struct conv *cv, const char *fallback)
{
	long col = cv->map->col[F_CHANNEL];

	if (col >= 0 && cv->row->lens[col] > 0)
		return value(cv, F_CHANNEL, cv->row->fields[col],
		    cv->row->lens[col]);
	if (fallback)
		return json_string(fallback);
	snprintf(cv->why, sizeof(cv->why), "field \"channel\" (column "
	    "\"%s\") is empty", cv->map->column[F_CHANNEL]);
	return NULL;
}

/* Sets key to value when the row set nothing there. */
static void
set_default(json_t *post, const char *key, const char *value)
{
	if (value && !json_object_get(post, key))
		json_object_set_new(post, key, json_string(value));
}

/* The post of one row, or NULL with cv->why set. */
static json_t *
convert(struct conv *cv, const char *fallback)
{
	json_t *post, *channel;
	const char *text;
	size_t f;

	if (cv->row->n != cv->map->ncolumns) {
		snprintf(cv->why, sizeof(cv->why), "row has %zu field%s, the "
		    "header has %zu", cv->row->n, cv->row->n == 1 ? "" : "s",
		    cv->map->ncolumns);
		return NULL;
	}
	if (!(channel = row_channel(cv, fallback)))
		return NULL;
	post = json_object();
	json_object_set_new(post, "channel", channel);
	cv->channel = json_string_value(channel);
	for (f = 0; f < NFIELDS; f++)
		if (f != F_CHANNEL && cv->map->col[f] >= 0 &&
		    set_field(cv, post, f) < 0) {
			json_decref(post);
			return NULL;
		}
	set_default(post, "visibility", cv->map->preset->visibility);
	set_default(post, "actor", cv->map->preset->actor);
	set_default(post, "kind", cv->map->preset->kind);
	if (json_object_get(post, "score"))
		set_default(post, "kind", "survey");
	if ((text = json_string_value(json_object_get(post, "text"))))
		ingest_entities_from_text(post, text);
	return post;
}

static void
row_csv(struct ingest *ig, const struct ingest_unit *unit,
    const struct tend_csv_row *row)
{
	struct conv cv;
	json_t *post;

	cv.map = ingest_format_state(ig);
	cv.row = row;
	cv.channel = NULL;
	tend_buf_init(&cv.scratch);
	cv.why[0] = '\0';
	if ((post = convert(&cv, ingest_options(ig)->channel ?
	    ingest_options(ig)->channel : cv.map->preset->channel)))
		ingest_post(ig, unit, NULL, NULL, post);
	else
		ingest_reject(ig, unit, NULL, NULL, "%s", cv.why);
	tend_buf_release(&cv.scratch);
}

const struct ingest_format ingest_format_csv = {
	"csv", "any CSV with a header row, its columns named by --map "
	"FIELD=COLUMN,... (never guessed)", INGEST_CSV_ROWS, sniff_csv, NULL,
	header_csv, row_csv, done_csv, NULL
};

const struct ingest_format ingest_format_chat = {
	"chat", "chat transcripts as CSV with --map (channel chat, private)",
	INGEST_CSV_ROWS, sniff_csv, NULL, header_csv, row_csv, done_csv, NULL
};

const struct ingest_format ingest_format_notes = {
	"notes", "call-centre or helpdesk notes as CSV with --map (channel "
	"phone, internal, by agents)", INGEST_CSV_ROWS, sniff_csv, NULL,
	header_csv, row_csv, done_csv, NULL
};

const struct ingest_format ingest_format_survey = {
	"survey", "NPS and CSAT answers as CSV with --map (kind survey: "
	"scale and score)", INGEST_CSV_ROWS, sniff_csv, NULL, header_csv,
	row_csv, done_csv, NULL
};

const struct ingest_format ingest_format_events = {
	"events", "helpdesk status changes as CSV with --map (kind event: "
	"thread and event)", INGEST_CSV_ROWS, sniff_csv, NULL, header_csv,
	row_csv, done_csv, NULL
};
