/* notify.h: telling people (tend-escalate(1), --exec and --outdir).
 *
 * Post text is hostile: it reaches a notification command only on that
 * command's standard input, as JSON.  The command is run with execvp(3),
 * never through a shell, with the arguments the user gave and nothing
 * from the record; the team, level and kind go in the environment.
 */
#ifndef TEND_ESCALATE_NOTIFY_H
#define TEND_ESCALATE_NOTIFY_H

#include <stddef.h>

#include "error.h"

/* 1 when team may name a team: 1 to 64 bytes of ASCII letters, digits,
 * '-', '_' and '.', not starting with '.' or '-' (so it is a safe file
 * name and a safe environment value). */
int esc_team_name_ok(const char *team);

/* Runs argv[0] (found on PATH) with argv, the record json[0..n) (one line,
 * newline included) on its standard input, and TEND_TEAM=team,
 * TEND_LEVEL=level, TEND_KIND=kind ("escalation" or the alert's kind)
 * added to the environment; waits for it, killing it (SIGTERM, then
 * SIGKILL 5 s later) after timeout seconds (0: no limit).  Standard output
 * of the command goes to our standard error, never into the stream.
 * Returns 0 when it exited with status 0, else -1 with err->text saying
 * how it ended ("exited with status 3", "killed by signal 9", "timed out
 * after 30s", "cannot run 'x': No such file or directory"). */
int esc_notify_exec(char *const argv[], const char *json, size_t n,
    const char *team, int level, const char *kind, double timeout,
    struct tend_error *err);

/* Appends json[0..n) to DIR/TEAM.jsonl (created mode 0644; team checked
 * with esc_team_name_ok()) in one write(2) with O_APPEND, so concurrent
 * writers never interleave within a record, then fsyncs it.  Returns 0 or
 * -1 with err set. */
int esc_notify_outdir(const char *dir, const char *team, const char *json,
    size_t n, struct tend_error *err);

#endif
