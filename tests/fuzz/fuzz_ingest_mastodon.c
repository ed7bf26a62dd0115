#define FUZZ_FORMAT "mastodon"
#include "fuzz_ingest.h"
