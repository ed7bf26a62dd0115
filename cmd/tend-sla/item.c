/* item.c: what a record is, for the clocks, and a copy of its bytes.
 *
 * Records come from tend_record_scan(): most are indexed without a json_t
 * tree.  The policy's expressions need one, so they get a small object
 * holding only the top-level members their sources name (policy.c's
 * names), parsed from the line; a record that took the slow path has its
 * whole tree already.
 */
#include <string.h>

#include "alloc.h"
#include "thread.h"

void
sla_scratch_init(struct sla_scratch *s)
{
	tend_buf_init(&s->word);
	tend_buf_init(&s->text);
	tend_buf_init(&s->key);
}

void
sla_scratch_release(struct sla_scratch *s)
{
	tend_buf_release(&s->word);
	tend_buf_release(&s->text);
	tend_buf_release(&s->key);
}

static int
field_is(struct tend_record *rec, const char *path, const char *value,
    struct tend_buf *buf)
{
	const char *s = tend_record_get_str(rec, path, buf);

	return s && strcmp(s, value) == 0;
}

static enum sla_event
event_code(struct tend_record *rec, struct tend_buf *buf)
{
	const char *e = tend_record_get_str(rec, "event", buf);

	if (!e)
		return EVENT_OTHER;
	if (strcmp(e, "resolved") == 0)
		return EVENT_RESOLVED;
	if (strcmp(e, "reopened") == 0)
		return EVENT_REOPENED;
	if (strcmp(e, "waiting") == 0)
		return EVENT_WAITING;
	if (strcmp(e, "update") == 0)
		return EVENT_UPDATE;
	return EVENT_OTHER;
}

static enum sla_role
role_of(struct tend_record *rec, struct tend_buf *buf)
{
	const char *actor, *kind = tend_record_get_str(rec, "kind", buf);

	if (kind && strcmp(kind, "event") == 0)
		return ROLE_EVENT;
	if (kind && strcmp(kind, "post") != 0)
		return field_is(rec, "visibility", "internal", buf) ?
		    ROLE_NOTE : ROLE_OTHER;
	if (field_is(rec, "visibility", "internal", buf))
		return ROLE_NOTE;
	actor = tend_record_get_str(rec, "actor", buf);
	if (!actor || strcmp(actor, "customer") == 0)
		return ROLE_CUSTOMER;
	if (strcmp(actor, "agent") == 0)
		return ROLE_AGENT;
	if (strcmp(actor, "bot") == 0)
		return ROLE_BOT;
	return ROLE_OTHER;
}

/* The object the expressions are evaluated on: the record's tree, or a
 * new one (*owned, for the caller to decref) with the members they name. */
static json_t *
expr_root(const struct sla_policy *p, struct tend_record *rec,
    json_t **owned)
{
	json_error_t jerr;
	size_t i;

	if (rec->root)
		return rec->root;
	if (*owned)
		return *owned;
	*owned = json_object();
	for (i = 0; i < p->nnames; i++) {
		struct tend_jval v = tend_jview_get(&rec->view, p->names[i]);
		json_t *val;

		if (v.type == TEND_JNONE)
			continue;
		val = json_loadb(rec->line + v.start, v.end - v.start,
		    JSON_DECODE_ANY, &jerr);
		if (val)
			json_object_set_new(*owned, p->names[i], val);
	}
	return *owned;
}

static void
evaluate_patterns(const struct sla_policy *p, struct tend_record *rec,
    struct sla_item *item)
{
	json_t *owned = NULL, *root;

	if (item->role == ROLE_CUSTOMER) {
		root = expr_root(p, rec, &owned);
		item->target = sla_policy_match(p, root);
		if (p->thanks && tend_expr_eval(p->thanks, root))
			item->flags |= ITEM_THANKS;
	} else if (item->role == ROLE_AGENT || item->role == ROLE_BOT) {
		if (p->asks && tend_expr_eval(p->asks,
		    root = expr_root(p, rec, &owned)))
			item->flags |= ITEM_ASKS;
		if (p->closing && tend_expr_eval(p->closing,
		    root = expr_root(p, rec, &owned)))
			item->flags |= ITEM_CLOSING;
	}
	json_decref(owned);
}

static void
copy_bytes(const struct tend_record *rec, const char *id, size_t idlen,
    struct sla_item *item)
{
	struct tend_buf b = TEND_BUF_INIT;
	const char *src = rec->line;
	size_t len = rec->len;

	if (rec->nedits) {
		tend_record_write(rec, &b);
		src = b.data;
		len = b.len - 1;	/* the newline */
	}
	item->line = tend_xmalloc(len + idlen + 2);
	memcpy(item->line, src, len);
	item->line[len] = '\0';
	memcpy(item->line + len + 1, id, idlen + 1);
	item->len = len;
	item->id = item->line + len + 1;
	tend_buf_release(&b);
}

void
sla_item_make(const struct sla_policy *p, struct tend_record *rec,
    struct sla_scratch *s, struct sla_item *item, const char **key,
    size_t *keylen)
{
	const char *text;

	memset(item, 0, sizeof(*item));
	item->at = rec->created_at.sec;
	item->nsec = rec->created_at.nsec;
	item->role = (unsigned char)role_of(rec, &s->word);
	item->target = -1;
	if (item->role == ROLE_EVENT)
		item->event = (unsigned char)event_code(rec, &s->word);
	if (rec->root ? json_object_get(rec->root, "sla") != NULL :
	    tend_jview_find(&rec->view, "sla", 3) >= 0)
		item->flags |= ITEM_HAS_SLA;
	evaluate_patterns(p, rec, item);
	if (item->role != ROLE_CUSTOMER && item->role != ROLE_EVENT &&
	    (text = tend_record_get_str(rec, "text", &s->text)))
		item->has_agent = (signed char)sla_policy_agent(p, text,
		    s->text.len, item->agent, sizeof(item->agent));
	tend_record_get_str(rec, "id", &s->word);
	if (!tend_record_get_str(rec, "thread", &s->key))
		tend_record_get_str(rec, "id", &s->key);
	*key = s->key.data;
	*keylen = s->key.len;
	copy_bytes(rec, s->word.data, s->word.len, item);
}
