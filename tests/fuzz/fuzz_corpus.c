/*
 * fuzz_corpus.c - libFuzzer harness for the corpus readers.  The first byte
 * picks the format (JSONL, CSV, TSV, TXT, gzip'd JSONL); the rest is the
 * file.  Every event must be a document, a reject or the end, and a
 * document's fields must be readable.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "narrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ext[] = { "jsonl", "csv", "tsv", "txt", "jsonl.gz" };
	char path[64];
	struct nr_corpus_options o = { 0 };
	struct nr_corpus *c;
	const struct nr_doc *d;
	FILE *f;
	int ev;
	volatile size_t sink = 0;

	if (size < 1)
		return 0;
	snprintf(path, sizeof(path), "/tmp/nr-fuzz-corpus-%ld.%s", (long)getpid(),
		 ext[data[0] % 5]);
	f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	o.max_doc_bytes = 4096;
	if (nr_corpus_new(&c, &o) == NR_OK) {
		if (nr_corpus_add_path(c, path) == NR_OK) {
			while ((ev = nr_corpus_next(c, &d)) > 0) {
				if (ev == NR_CORPUS_DOC) {
					sink += d->id_len + d->text_len;
					if (d->text_len)
						sink += (unsigned char)d->text[d->text_len - 1];
					if (d->city)
						sink += strlen(d->city);
				} else {
					sink += strlen(nr_corpus_reject_reason(c));
					sink += strlen(nr_corpus_reject_source(c));
				}
			}
			if (ev < 0 && ev != NR_ENOMEM)
				abort();
		}
		nr_corpus_free(c);
	}
	unlink(path);
	return 0;
}
