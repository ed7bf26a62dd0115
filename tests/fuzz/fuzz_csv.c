/* fuzz_csv.c: libFuzzer harness for the CSV reader (lib/csv.h).
 *
 * The first byte picks the line reader's max (small, so that overlong
 * lines and rows are reached) and the delimiter; the rest is the input,
 * read through a memfd as a file would be.  Every row is checked against
 * the contract: fields NUL-terminated at their length, raw bytes present
 * for a row read, an error text for a row that cannot be.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_row(const struct tend_csv_row *row, int st,
    const struct tend_error *err)
{
	size_t i;

	if (st < 0) {
		if (!err->text[0])
			abort();
		return;
	}
	if (!row->raw || row->raw_len == 0 || row->n == 0 || row->line < 1)
		abort();
	for (i = 0; i < row->n; i++)
		if (row->fields[i][row->lens[i]] != '\0')
			abort();
	(void)tend_csv_column(row, "text");
	(void)tend_csv_column(row, " Created_At ");
}

static void
read_all(int fd, size_t max, char delimiter)
{
	struct tend_lines lines;
	struct tend_csv csv;
	struct tend_csv_row row;
	struct tend_error err;
	long rows = 0;
	int st;

	tend_lines_init(&lines, fd, max, NULL);
	tend_csv_init(&csv, &lines, delimiter);
	while ((st = tend_csv_next(&csv, &row, &err)) != 0) {
		check_row(&row, st, &err);
		if (++rows > 10 * 1000 * 1000)
			abort();	/* no progress */
	}
	tend_csv_release(&csv);
	tend_lines_release(&lines);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	size_t max;
	char delimiter;

	if (size < 1)
		return 0;
	if (fd < 0 && (fd = memfd_create("fuzz_csv", 0)) < 0)
		abort();
	max = 4 + (size_t)(data[0] & 0x7f) * 8;
	delimiter = data[0] & 0x80 ? ';' : ',';
	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0 ||
	    write(fd, data + 1, size - 1) != (ssize_t)(size - 1) ||
	    lseek(fd, 0, SEEK_SET) < 0)
		abort();
	read_all(fd, max, delimiter);
	return 0;
}
