#define FUZZ_FORMAT "email"
#include "fuzz_ingest.h"
