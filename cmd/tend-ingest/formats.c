/* formats.c: the formats tend-ingest reads, in sniffing order. */
#include <string.h>

#include "ingest.h"

extern const struct ingest_format ingest_format_tend,
    ingest_format_twitter_v2, ingest_format_twitter_v1, ingest_format_twcs,
    ingest_format_mastodon, ingest_format_facebook, ingest_format_reddit,
    ingest_format_csv, ingest_format_chat, ingest_format_notes,
    ingest_format_survey, ingest_format_events, ingest_format_email;

const struct ingest_format *const ingest_formats[] = {
	&ingest_format_tend,
	&ingest_format_twitter_v2,
	&ingest_format_twitter_v1,
	&ingest_format_twcs,
	&ingest_format_mastodon,
	&ingest_format_facebook,
	&ingest_format_reddit,
	&ingest_format_csv,
	&ingest_format_chat,
	&ingest_format_notes,
	&ingest_format_survey,
	&ingest_format_events,
	&ingest_format_email,
	NULL
};

const struct ingest_format *
ingest_format_find(const char *name)
{
	size_t i;

	for (i = 0; ingest_formats[i]; i++)
		if (strcmp(ingest_formats[i]->name, name) == 0)
			return ingest_formats[i];
	return NULL;
}

int
ingest_format_takes_map(const struct ingest_format *fmt)
{
	return fmt && fmt->csv_header == ingest_format_csv.csv_header;
}
