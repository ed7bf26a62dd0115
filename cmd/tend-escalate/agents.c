/* agents.c: the --agents roster (tend-escalate(1), AGENTS): a CSV file
 * with a header naming the columns initials, name, active and left. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "csv.h"
#include "escalate.h"
#include "timestamp.h"

#define MAX_ROSTER_ROW (64L * 1024)

/* The 1-based column of field i in a row's raw bytes (0 if unknown). */
static long
field_col(const struct tend_csv_row *row, size_t i)
{
	size_t k, field = 0;
	int quoted = 0;

	if (!row->raw)
		return 0;
	for (k = 0; k < row->raw_len && field < i; k++) {
		if (row->raw[k] == '"')
			quoted = !quoted;
		else if (row->raw[k] == ',' && !quoted)
			field++;
		else if (row->raw[k] == '\n')
			return 0;	/* a field spanning lines: unknown */
	}
	return field == i ? (long)k + 1 : 0;
}

static int
initials_ok(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n >= sizeof(((struct esc_agent *)0)->initials))
		return 0;
	for (i = 0; i < n; i++)
		if (!isupper((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* yes/no, true/false, 1/0 or empty (yes). */
static int
parse_active(const char *s, int *out)
{
	static const char *const yes[] = { "", "yes", "true", "1", "y" };
	static const char *const no[] = { "no", "false", "0", "n" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = 1, 0;
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcmp(s, no[i]) == 0)
			return *out = 0, 0;
	return -1;
}

/* A date (the start of that day, UTC) or an RFC 3339 time. */
static int
parse_left(const char *s, size_t n, int64_t *out)
{
	struct tend_time t;
	unsigned y, m, d;
	char tail;

	if (!n) {
		*out = INT64_MAX;
		return 0;
	}
	if (n == 10 && sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) == 3 &&
	    m >= 1 && m <= 12 && d >= 1 && d <= 31 && y >= 1) {
		*out = tend_days_from_civil(y, m, d) * 86400;
		return 0;
	}
	if (tend_time_parse_rfc3339(s, n, &t) < 0)
		return -1;
	*out = t.sec;
	return 0;
}

struct columns {
	long initials, name, active, left;
};

static int
read_header(const struct tend_csv_row *row, const char *path,
    struct columns *c, struct tend_error *err)
{
	c->initials = tend_csv_column(row, "initials");
	c->name = tend_csv_column(row, "name");
	c->active = tend_csv_column(row, "active");
	c->left = tend_csv_column(row, "left");
	if (c->initials < 0) {
		tend_error_set(err, path, row->line, 1, "the header has no "
		    "'initials' column (expected initials,name,active,left)");
		return -1;
	}
	return 0;
}

static const char *
field(const struct tend_csv_row *row, long i, size_t *n)
{
	if (i < 0 || (size_t)i >= row->n) {
		*n = 0;
		return "";
	}
	*n = row->lens[i];
	return row->fields[i];
}

static int
read_agent(struct esc_roster *r, const struct tend_csv_row *row,
    const struct columns *c, const char *path, struct tend_error *err)
{
	struct esc_agent a;
	const char *s;
	size_t n, i;
	char q[80];

	memset(&a, 0, sizeof(a));
	s = field(row, c->initials, &n);
	if (!initials_ok(s, n)) {
		tend_error_set(err, path, row->line, field_col(row,
		    (size_t)c->initials), "bad initials '%s' (1 to 7 capital "
		    "letters or digits)", tend_error_quote(s, n, q, sizeof(q)));
		return -1;
	}
	memcpy(a.initials, s, n);
	for (i = 0; i < r->n; i++)
		if (strcmp(r->agents[i].initials, a.initials) == 0) {
			tend_error_set(err, path, row->line, field_col(row,
			    (size_t)c->initials), "duplicate initials '%s'",
			    a.initials);
			return -1;
		}
	s = field(row, c->active, &n);
	if (parse_active(s, &a.active) < 0) {
		tend_error_set(err, path, row->line, field_col(row,
		    (size_t)c->active), "active: expected yes or no, not '%s'",
		    tend_error_quote(s, n, q, sizeof(q)));
		return -1;
	}
	s = field(row, c->left, &n);
	if (parse_left(s, n, &a.left) < 0) {
		tend_error_set(err, path, row->line, field_col(row,
		    (size_t)c->left), "left: not a date: '%s' (such as "
		    "2026-10-31)", tend_error_quote(s, n, q, sizeof(q)));
		return -1;
	}
	s = field(row, c->name, &n);
	a.name = tend_xstrndup(s, n);
	r->agents = tend_xrealloc(r->agents, (r->n + 1) * sizeof(*r->agents));
	r->agents[r->n++] = a;
	return 0;
}

static struct esc_roster *
read_rows(struct tend_csv *csv, const char *path, struct tend_error *err)
{
	struct esc_roster *r = tend_xcalloc(1, sizeof(*r));
	struct tend_csv_row row;
	struct columns c = { -1, -1, -1, -1 };
	int rc, header = 1;

	while ((rc = tend_csv_next(csv, &row, err)) != 0) {
		if (rc < 0) {
			snprintf(err->file, sizeof(err->file), "%s", path);
			goto fail;
		}
		if (row.n == 1 && row.lens[0] == 0)
			continue;	/* a blank line */
		if (header) {
			if (read_header(&row, path, &c, err) < 0)
				goto fail;
			header = 0;
		} else if (read_agent(r, &row, &c, path, err) < 0) {
			goto fail;
		}
	}
	if (header) {
		tend_error_set(err, path, 0, 0, "no header line (expected "
		    "initials,name,active,left)");
		goto fail;
	}
	return r;
fail:
	esc_roster_free(r);
	return NULL;
}

struct esc_roster *
esc_roster_load(const char *path, struct tend_error *err)
{
	struct tend_lines lines;
	struct tend_csv csv;
	struct esc_roster *r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		tend_error_set(err, path, 0, 0, "%s", strerror(errno));
		return NULL;
	}
	tend_lines_init(&lines, fd, MAX_ROSTER_ROW, NULL);
	tend_csv_init(&csv, &lines, ',');
	r = read_rows(&csv, path, err);
	tend_csv_release(&csv);
	tend_lines_release(&lines);
	close(fd);
	return r;
}

void
esc_roster_free(struct esc_roster *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		free(r->agents[i].name);
	free(r->agents);
	free(r);
}

const struct esc_agent *
esc_roster_find(const struct esc_roster *r, const char *initials)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->agents[i].initials, initials) == 0)
			return &r->agents[i];
	return NULL;
}
