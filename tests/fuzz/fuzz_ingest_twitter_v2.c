#define FUZZ_FORMAT "twitter-v2"
#include "fuzz_ingest.h"
