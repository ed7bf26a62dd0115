#define FUZZ_FORMAT "twcs"
#include "fuzz_ingest.h"
