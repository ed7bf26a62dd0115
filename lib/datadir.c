#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"

#ifndef TEND_DATADIR
#define TEND_DATADIR "/usr/local/share/tend"
#endif

int
tend_datadir_exe_dir(struct tend_buf *out)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return -1;
	tend_buf_add(out, path, (size_t)(slash - path));
	return 0;
}

static int
try_dir(const char *dir, size_t dirlen, const char *name,
    struct tend_buf *out)
{
	size_t mark = out->len;

	tend_buf_add(out, dir, dirlen);
	tend_buf_addc(out, '/');
	tend_buf_adds(out, name);
	if (access(out->data + mark, R_OK) == 0)
		return 0;
	out->len = mark;
	out->data[mark] = '\0';
	return -1;
}

int
tend_datadir_find(const char *config_dir, const char *name,
    struct tend_buf *out)
{
	const char *path = getenv("TEND_PATH");
	struct tend_buf exe = TEND_BUF_INIT;
	int found = -1;

	if (config_dir && try_dir(config_dir, strlen(config_dir), name,
	    out) == 0)
		return 0;
	while (path && *path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);

		if (len && try_dir(path, len, name, out) == 0)
			return 0;
		path = colon ? colon + 1 : NULL;
	}
	tend_buf_init(&exe);
	if (tend_datadir_exe_dir(&exe) == 0) {
		tend_buf_adds(&exe, "/../share/tend");
		found = try_dir(exe.data, exe.len, name, out);
	}
	tend_buf_release(&exe);
	if (found == 0)
		return 0;
	return try_dir(TEND_DATADIR, strlen(TEND_DATADIR), name, out);
}
