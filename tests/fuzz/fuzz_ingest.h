/* fuzz_ingest.h: the libFuzzer harness for one tend-ingest format.
 *
 * A harness is two lines:
 *
 *	#define FUZZ_FORMAT "twitter-v2"
 *	#include "fuzz_ingest.h"
 *
 * Each input is one file read as "tend-ingest -f FUZZ_FORMAT --keep-raw
 * --brand acmecares --rejects FILE" reads it ("auto": guessed, as with no
 * -f, so the sniffers are fuzzed too): through a file descriptor
 * (a memfd), with the posts written to standard output and the rejects to
 * a rejects file, both /dev/null.  For csv the map is the one the demo
 * uses for share/tend/samples/chat-export.csv (FUZZ_CSV_MAP overrides it)
 * with --channel chat; so for chat, which also reads JSON lines.  --max-record is FUZZ_MAX_RECORD, small enough for
 * the fuzzer to reach the overlong paths.
 *
 * Nothing here may exit (--strict is off, and tend_cli_finish, which
 * closes standard output, is never called) or leak from one input to the
 * next: LeakSanitizer checks.  Besides the sanitizers, the one check is
 * that the counts stay sane: never more records rejected than read.
 *
 *	make fuzz-bin/fuzz_ingest_tend && fuzz-bin/fuzz_ingest_tend CORPUS
 */
#ifndef FUZZ_INGEST_H
#define FUZZ_INGEST_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "../../cmd/tend-ingest/ingest.h"	/* not on -I */
#include "lines.h"

#ifndef FUZZ_FORMAT
#error "define FUZZ_FORMAT before including fuzz_ingest.h"
#endif

#ifndef FUZZ_MAX_RECORD
#define FUZZ_MAX_RECORD (64 * 1024)
#endif

#ifndef FUZZ_CSV_MAP
#define FUZZ_CSV_MAP "id=Message ID,thread=Conversation,created_at=Sent At," \
	"channel=Channel,actor=Sender Role,author.id=Sender ID," \
	"author.name=Sender Name,text=Message,reply_to=Reply To," \
	"lang=Language,visibility=Visibility"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tend_cli fuzz_cli;	/* as tend_cli_start left it */
static const struct ingest_format *fuzz_format;
static FILE *fuzz_rejects;
static int fuzz_fd = -1;
static char fuzz_brand[] = "acmecares";
static char *fuzz_brands[] = { fuzz_brand };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	tend_cli_start(&fuzz_cli, "ingest", "", "", NULL);
	if (!freopen("/dev/null", "w", stdout))
		abort();
	fuzz_rejects = fopen("/dev/null", "w");
	fuzz_fd = memfd_create("fuzz_ingest", 0);
	if (!fuzz_rejects || fuzz_fd < 0)
		abort();
	if (strcmp(FUZZ_FORMAT, "auto") != 0 &&
	    !(fuzz_format = ingest_format_find(FUZZ_FORMAT)))
		abort();
	return 0;
}

/* Makes the memfd hold data[0..size), read from its start. */
static void
fuzz_fill(const uint8_t *data, size_t size)
{
	size_t off = 0;

	if (ftruncate(fuzz_fd, 0) < 0 || lseek(fuzz_fd, 0, SEEK_SET) < 0)
		abort();
	while (off < size) {
		ssize_t n = write(fuzz_fd, data + off, size - off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	if (lseek(fuzz_fd, 0, SEEK_SET) < 0)
		abort();
}

static void
fuzz_options(struct ingest_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = FUZZ_FORMAT;
	o->brands = fuzz_brands;
	o->nbrands = 1;
	o->keep_raw = 1;
	if (strcmp(FUZZ_FORMAT, "csv") == 0 ||
	    strcmp(FUZZ_FORMAT, "chat") == 0) {
		o->map = FUZZ_CSV_MAP;
		o->channel = "chat";
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tend_cli cli = fuzz_cli;
	struct ingest_opts opts;
	struct tend_input in;
	struct ingest *ig;

	fuzz_fill(data, size);
	cli.max_record = FUZZ_MAX_RECORD;
	cli.rejects_path = "rejects";
	cli.rejects = fuzz_rejects;
	fuzz_options(&opts);

	memset(&in, 0, sizeof(in));
	in.name = "fuzz";
	in.display = "fuzz";
	in.fd = fuzz_fd;
	tend_lines_init(&in.lines, in.fd, cli.max_record, cli.rejects);

	ig = ingest_new(&cli, &opts);
	ingest_read(ig, &in, fuzz_format);
	ingest_flush(ig);
	ingest_free(ig);

	tend_lines_release(&in.lines);
	tend_buf_release(&cli.fixed);
	if (cli.records_in < 0 || cli.rejected < 0 ||
	    cli.rejected > cli.records_in)
		abort();
	return 0;
}

#endif
