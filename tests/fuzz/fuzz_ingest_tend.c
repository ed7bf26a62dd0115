#define FUZZ_FORMAT "tend"
#include "fuzz_ingest.h"
