#define FUZZ_FORMAT "facebook"
#include "fuzz_ingest.h"
