/*
 * corpus.h - internal declarations of the corpus reader.
 */
#ifndef NR_CORPUS_H
#define NR_CORPUS_H

#include <stddef.h>

enum nri_corpus_format {
	NRI_FMT_UNKNOWN = 0,
	NRI_FMT_JSONL,
	NRI_FMT_CSV,
	NRI_FMT_TSV,
	NRI_FMT_TXT
};

/* The format of a file name by its extension (".gz" looked through);
 * *gz (if not NULL) set when it ends in ".gz". */
enum nri_corpus_format nri_corpus_format_of(const char *name, int *gz);

/* The format a name given by the user means ("jsonl", "ndjson", "csv",
 * "tsv", "txt", "md", any case), or NRI_FMT_UNKNOWN. */
enum nri_corpus_format nri_corpus_format_named(const char *format);

struct nr_corpus;

/* JSONL lines go through lib/jsonscan.c first (on = 1, the default) or
 * straight to jansson (on = 0): benchmarks and tests compare the two. */
void nri_corpus_set_scan(struct nr_corpus *c, int on);

#endif
