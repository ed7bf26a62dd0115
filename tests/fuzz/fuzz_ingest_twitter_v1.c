#define FUZZ_FORMAT "twitter-v1"
#include "fuzz_ingest.h"
