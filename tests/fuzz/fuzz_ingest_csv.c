#define FUZZ_FORMAT "csv"
#include "fuzz_ingest.h"
