/* respond.h: tend respond's choice of a template for a post, and the
 * reply it fills (tend-respond(1)). */
#ifndef TEND_RESPOND_H
#define TEND_RESPOND_H

#include <stddef.h>

#include "buf.h"
#include "record.h"
#include "template.h"
#include "tone.h"

#define RESPOND_MAX_TOPICS 32

struct respond {
	struct tend_map *map;
	struct tend_style *st;
	const char *agent;		/* agent.initials */
	const char *agent_name;		/* agent.name */
	int bot;			/* signed by a bot: actor "bot" */
	unsigned char *broken;		/* per template: brace problems */
	/* per record */
	struct tend_buf handle, name, caseid, field, topics_buf, text, lang,
	    category;
	size_t topic_off[RESPOND_MAX_TOPICS];
	size_t ntopics;
	int flags;			/* FLAG_* found in class.flags */
	struct tend_finding first_error;
	int has_error;
};

void respond_init(struct respond *r, struct tend_map *map,
    struct tend_style *st);
void respond_release(struct respond *r);

/* Decides the reply of rec: appends the JSON of its reply object to
 * out and returns 1 (a reply) or 0 (skipped, with the reason); returns
 * -1, appending nothing, for a record that is not a customer post. */
int respond_record(struct respond *r, struct tend_record *rec,
    struct tend_buf *out);

/* The template for a post: the first fitting its topic (an exact topic
 * before a parent topic such as "delivery" for "delivery/delay"), else its
 * category, in language lang on channel; NULL when none. */
const struct tend_template *respond_choose(const struct respond *r,
    const char *category, const char *const *topics, size_t ntopics,
    const char *lang, const char *channel);

#endif
