#define FUZZ_FORMAT "reddit"
#include "fuzz_ingest.h"
