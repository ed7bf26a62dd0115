/* fuzz_report_partial.c: libFuzzer harness for tend-report's partials
 * (cmd/tend-report/partial.c), linked with tend-report's files but
 * main.c.
 *
 * The input is read as a partial, as --merge reads a file.  It is either
 * refused with a message, or read into an aggregate; then the aggregate
 * is merged with itself (as two partials would be), written back as a
 * partial that must read back, and every table of the report is built
 * and written in every format, so that whatever a partial holds, the
 * merge and the renderers neither crash nor leak.
 *
 *	make fuzz-bin/fuzz_report_partial && fuzz-bin/fuzz_report_partial CORPUS
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "../../cmd/tend-report/report.h"	/* not on -I */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
render_all(const struct rep_agg *agg)
{
	struct rep_staffing staff = { 180, 80, 20, 30, 85 };
	struct tend_buf out = TEND_BUF_INIT;
	struct rep_model m;
	size_t i;

	rep_model_build(&m, agg, &staff);
	rep_render_text(&out, &m, agg, NULL, 80, 0);
	rep_render_text(&out, &m, agg, NULL, 80, 1);
	rep_render_json(&out, &m, agg, NULL);
	rep_render_html(&out, &m, agg);
	for (i = 0; i < m.n; i++)
		rep_render_csv(&out, &m.t[i]);
	rep_model_release(&m);
	tend_buf_release(&out);
}

static void
round_trip(const struct rep_agg *agg)
{
	struct rep_agg back;
	struct tend_error err;
	json_t *j = rep_partial_to_json(agg);

	memset(&err, 0, sizeof(err));
	if (rep_partial_from_json(j, &back, &err) < 0)
		abort();	/* what we write, we must read */
	json_decref(j);
	rep_agg_release(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rep_agg agg, again;
	struct tend_error err;
	json_error_t jerr;
	json_t *j;

	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		return 0;
	memset(&err, 0, sizeof(err));
	if (rep_partial_from_json(j, &agg, &err) < 0) {
		if (!err.text[0])
			abort();	/* refused without saying why */
		json_decref(j);
		return 0;
	}
	if (rep_partial_from_json(j, &again, &err) < 0)
		abort();	/* the same bytes read twice */
	json_decref(j);
	rep_agg_merge(&agg, &again);
	rep_agg_release(&again);
	round_trip(&agg);
	render_all(&agg);
	rep_agg_release(&agg);
	return 0;
}
