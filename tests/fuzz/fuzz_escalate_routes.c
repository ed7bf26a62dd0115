/* fuzz_escalate_routes.c: libFuzzer harness for the tend-routes(5) parser
 * (cmd/tend-escalate/routes.c), linked with tend-escalate's files but
 * main.c.
 *
 * The input is a routes file.  When it does not parse, the error must say
 * why and where (a line within the input).  When it parses, a few fixed
 * records (a legal threat, a breached post, an agent's reply, a record
 * with nothing of note) are routed through it, both from the full tree
 * and from the fast path's small object, and every escalation object must
 * be valid JSON naming a declared team, with the same answer either way:
 * whatever the routes and ladders say, routing must not crash, loop or
 * write nonsense.  Relative holiday files are looked for in a directory
 * that does not exist.
 *
 *	make fuzz-bin/fuzz_escalate_routes && fuzz-bin/fuzz_escalate_routes CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "../../cmd/tend-escalate/escalate.h"	/* not on -I */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const records[] = {
	("{\"id\":\"twitter:1\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-11-23T09:00:00Z\",\"text\":\"I will sue you\","
	    "\"author\":{\"handle\":\"ann\",\"followers\":50000},\"class\":"
	    "{\"category\":\"complaint\",\"flags\":[\"sensitive.legal\"],"
	    "\"topics\":[\"billing/refund\"]}}"),
	("{\"id\":\"twitter:2\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-11-23T08:00:00Z\",\"text\":\"late\",\"sla\":{\"status\":"
	    "\"breached\",\"due\":{\"first_response\":\"2026-11-23T08:30:00Z\"},"
	    "\"breaches\":[{\"clock\":\"first_response\",\"by_secs\":5400}],"
	    "\"next_due\":\"2026-11-23T10:10:00Z\"}}"),
	("{\"id\":\"twitter:3\",\"channel\":\"twitter\",\"created_at\":"
	    "\"2026-11-23T09:30:00Z\",\"text\":\"Sorted ^AB\",\"actor\":"
	    "\"agent\",\"sla\":{\"agent\":\"AB\",\"status\":\"at_risk\"}}"),
	("{\"id\":\"chat:4\",\"channel\":\"chat\",\"created_at\":"
	    "\"2026-11-23T09:59:00Z\",\"text\":\"\"}"),
};
#define NRECORDS (sizeof(records) / sizeof(records[0]))
#define NOW 1795428000	/* 2026-11-23T10:00:00Z */

static void
check_hit(const struct esc_routes *r, const struct esc_hit *h)
{
	struct tend_buf out = TEND_BUF_INIT;
	json_error_t jerr;
	json_t *obj;

	if (h->team < 0 || (size_t)h->team >= r->nteams || h->level < 1 ||
	    h->level > ESC_MAX_LEVEL)
		abort();
	esc_hit_json(r, h, NOW, &out);
	obj = json_loadb(out.data, out.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj || strcmp(json_string_value(json_object_get(obj, "team")),
	    r->teams[h->team].name) != 0)
		abort();
	json_decref(obj);
	tend_buf_release(&out);
}

static void
route_all(const struct esc_routes *r)
{
	struct esc_hit full, fast;
	struct tend_record rec;
	struct tend_error err;
	json_t *owned;
	size_t i;
	int n;

	esc_hit_init(&full);
	esc_hit_init(&fast);
	for (i = 0; i < NRECORDS; i++) {
		tend_record_init(&rec);
		if (tend_record_parse(&rec, records[i], strlen(records[i]),
		    &err) < 0)
			abort();
		n = esc_route_record(r, rec.root, NOW, &full);
		if (n)
			check_hit(r, &full);
		tend_record_release(&rec);
		tend_record_init(&rec);
		if (tend_record_scan(&rec, records[i], strlen(records[i]),
		    &err) < 0)
			abort();
		owned = NULL;
		if (esc_route_record(r, esc_expr_root(r, &rec, &owned), NOW,
		    &fast) != n || (n && (fast.team != full.team ||
		    fast.level != full.level)))
			abort();
		json_decref(owned);
		tend_record_release(&rec);
	}
	esc_hit_release(&full);
	esc_hit_release(&fast);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct esc_routes *r;
	struct tend_error err;
	size_t lines = 1, i;

	memset(&err, 0, sizeof(err));
	r = esc_routes_parse((const char *)data, size, "fuzz.routes",
	    "/nonexistent-tend-fuzz", &err);
	if (!r) {
		for (i = 0; i < size; i++)
			lines += data[i] == '\n';
		if (!err.text[0] || err.line < 0 || (size_t)err.line > lines ||
		    err.col < 0)
			abort();
		return 0;
	}
	route_all(r);
	esc_routes_free(r);
	return 0;
}
