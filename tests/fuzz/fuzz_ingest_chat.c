/* chat transcripts: CSV, or JSON lines whose members --map names (dotted
 * paths into nested objects), through the CSV reader's conversion. */
#define FUZZ_FORMAT "chat"
#define FUZZ_CSV_MAP "id=Message ID,thread=Conversation.id," \
	"created_at=Sent At,channel=Channel,actor=Sender Role," \
	"author.id=Sender.id,author.name=Sender Name,text=Message," \
	"reply_to=Reply To,lang=Language,visibility=Visibility"
#include "fuzz_ingest.h"
