/* output.c: tend lint's findings as text, JSON lines, GitHub workflow
 * commands or SARIF 2.1.0 (tend-lint(1)). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lint.h"
#include "record.h"

static void
text_one(const struct lint_finding *f, struct tend_buf *out)
{
	tend_buf_printf(out, "%s:%ld:%ld: %s: %s [%s]\n", f->file, f->line,
	    f->col, tend_severity_names[f->severity], f->message, f->rule);
}

static void
json_one(const struct lint_finding *f, struct tend_buf *out)
{
	tend_buf_adds(out, "{\"file\":");
	tend_json_add_string(out, f->file, strlen(f->file));
	tend_buf_printf(out, ",\"line\":%ld,\"col\":%ld,\"severity\":\"%s\","
	    "\"rule\":\"%s\",\"message\":", f->line, f->col,
	    tend_severity_names[f->severity], f->rule);
	tend_json_add_string(out, f->message, strlen(f->message));
	tend_buf_adds(out, ",\"template\":");
	if (f->tpl)
		tend_json_add_string(out, f->tpl, strlen(f->tpl));
	else
		tend_buf_adds(out, "null");
	tend_buf_adds(out, "}\n");
}

/* GitHub's workflow commands: '%', CR and LF are escaped in the message,
 * and ':' and ',' too in a property's value. */
static void
github_escape(struct tend_buf *out, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			tend_buf_adds(out, "%25");
		else if (*s == '\r')
			tend_buf_adds(out, "%0D");
		else if (*s == '\n')
			tend_buf_adds(out, "%0A");
		else if (property && *s == ':')
			tend_buf_adds(out, "%3A");
		else if (property && *s == ',')
			tend_buf_adds(out, "%2C");
		else
			tend_buf_addc(out, *s);
	}
}

static void
github_one(const struct lint_finding *f, struct tend_buf *out)
{
	tend_buf_printf(out, "::%s file=", tend_severity_names[f->severity]);
	github_escape(out, f->file, 1);
	tend_buf_printf(out, ",line=%ld,col=%ld,title=", f->line, f->col);
	github_escape(out, f->rule, 1);
	tend_buf_adds(out, "::");
	github_escape(out, f->message, 0);
	tend_buf_addc(out, '\n');
}

/* --- SARIF ---------------------------------------------------------------- */

static json_t *
sarif_rule(const char *id, const char *summary, int severity)
{
	json_t *r = json_object();

	json_object_set_new(r, "id", json_string(id));
	json_object_set_new(r, "shortDescription", json_pack("{s:s}", "text",
	    summary));
	json_object_set_new(r, "defaultConfiguration", json_pack("{s:s}",
	    "level", severity == TEND_SEV_ERROR ? "error" : severity ==
	    TEND_SEV_WARNING ? "warning" : "none"));
	return r;
}

/* Every rule, length.CHANNEL once per channel with a limit. */
static json_t *
sarif_rules(const struct lint *l)
{
	json_t *rules = json_array();
	char id[48], summary[120];
	size_t i, k;

	for (i = 0; tend_rules[i].id; i++) {
		if (strcmp(tend_rules[i].id, "length") != 0) {
			json_array_append_new(rules, sarif_rule(tend_rules[i].id,
			    tend_rules[i].summary, tend_style_severity(l->st,
			    tend_rules[i].id)));
			continue;
		}
		for (k = 0; k < l->st->nlimits; k++) {
			if (l->st->limits[k].max <= 0)
				continue;
			snprintf(id, sizeof(id), "length.%s",
			    l->st->limits[k].channel);
			snprintf(summary, sizeof(summary), "the text, "
			    "placeholders at their longest, fits %s's limit",
			    l->st->limits[k].channel);
			json_array_append_new(rules, sarif_rule(id, summary,
			    tend_style_severity(l->st, id)));
		}
	}
	return rules;
}

static size_t
rule_index(json_t *rules, const char *id)
{
	size_t i;
	json_t *r;

	json_array_foreach(rules, i, r)
		if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
			return i;
	return 0;
}

static json_t *
sarif_result(const struct lint_finding *f, json_t *rules)
{
	json_t *res = json_object(), *loc;

	json_object_set_new(res, "ruleId", json_string(f->rule));
	json_object_set_new(res, "ruleIndex", json_integer((json_int_t)
	    rule_index(rules, f->rule)));
	json_object_set_new(res, "level", json_string(f->severity ==
	    TEND_SEV_ERROR ? "error" : "warning"));
	json_object_set_new(res, "message", json_pack("{s:s}", "text",
	    f->message));
	loc = json_pack("{s:{s:{s:s},s:{s:I,s:I}}}", "physicalLocation",
	    "artifactLocation", "uri", f->file, "region", "startLine",
	    (json_int_t)f->line, "startColumn", (json_int_t)(f->col > 0 ?
	    f->col : 1));
	json_object_set_new(res, "locations", json_pack("[o]", loc));
	if (f->tpl)
		json_object_set_new(res, "properties", json_pack("{s:s}",
		    "template", f->tpl));
	return res;
}

static void
sarif(const struct lint *l, struct tend_buf *out)
{
	json_t *doc, *run, *driver, *rules, *results;
	char *text;
	size_t i;

	rules = sarif_rules(l);
	results = json_array();
	for (i = 0; i < l->n; i++)
		json_array_append_new(results, sarif_result(&l->v[i], rules));
	driver = json_pack("{s:s,s:s,s:o}", "name", "tend-lint", "version",
	    TEND_VERSION, "rules", rules);
	run = json_pack("{s:{s:o},s:s,s:o}", "tool", "driver", driver,
	    "columnKind", "unicodeCodePoints", "results", results);
	doc = json_pack("{s:s,s:s,s:[o]}", "$schema",
	    "https://json.schemastore.org/sarif-2.1.0.json", "version",
	    "2.1.0", "runs", run);
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	tend_buf_adds(out, text);
	tend_buf_addc(out, '\n');
	free(text);
	json_decref(doc);
}

void
lint_format(const struct lint *l, int format, struct tend_buf *out)
{
	size_t i;

	if (format == LINT_SARIF) {
		sarif(l, out);
		return;
	}
	for (i = 0; i < l->n; i++) {
		if (format == LINT_JSON)
			json_one(&l->v[i], out);
		else if (format == LINT_GITHUB)
			github_one(&l->v[i], out);
		else
			text_one(&l->v[i], out);
	}
}
