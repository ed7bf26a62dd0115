/* datadir.h: where tend finds its default data (share/tend).
 *
 * Searched in order: the --config-dir given, each directory of TEND_PATH
 * (colon-separated), share/tend beside the running binary's bin/ (so an
 * installed or freshly built tree finds its own data), then the directory
 * compiled in (TEND_DATADIR).
 */
#ifndef TEND_DATADIR_H
#define TEND_DATADIR_H

#include "buf.h"

/* Finds name (a relative path such as "samples/twcs.csv") and appends its
 * full path to out.  Returns 0, or -1 when no directory has it. */
int tend_datadir_find(const char *config_dir, const char *name,
    struct tend_buf *out);

/* Appends the directory holding the running executable; -1 if unknown. */
int tend_datadir_exe_dir(struct tend_buf *out);

#endif
