/*
 * rejects.h - the documents a run could not analyse, kept in input order
 * and bounded in memory (rejects.jsonl, docs/analyze.md).
 */
#ifndef NR_REJECTS_H
#define NR_REJECTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A rejected document, kept with its sequence number so that rejects.jsonl
 * comes out in input order whatever the threads did. */
struct nri_reject {
	uint64_t seq;
	char *source, *id, *reason; /* id NULL when unknown */
};

/* One producer's rejects (the reader's, or a worker's), added in rising
 * seq order.  With keep > 0, once keep are held they are written to a
 * temporary file and freed, so a corpus that is all rejects (a CSV read
 * as JSON lines) costs disk, not memory. */
struct nri_reject_list {
	struct nri_reject *v; /* the ones held, after those on file */
	size_t n, cap;
	size_t keep;	   /* 0: all are held */
	FILE *spill;	   /* the older ones, or NULL */
	uint64_t nspilled; /* how many are on file */
};

/* Add one.  NR_OK, NR_ENOMEM, NR_EIO (the temporary file). */
int nri_reject_add(struct nri_reject_list *l, uint64_t seq, const char *source, const char *id,
		   size_t id_len, const char *reason);

/* Rejects of the list, on file and held. */
static inline uint64_t nri_reject_count(const struct nri_reject_list *l)
{
	return l->nspilled + l->n;
}

void nri_reject_list_release(struct nri_reject_list *l);

/* Every reject of lists[0..nlists) in rising seq order (each list's own
 * order kept), passed to fn; fn's non-zero return stops and is returned.
 * May be called again.  NR_OK, NR_ENOMEM, NR_EIO. */
int nri_rejects_each(struct nri_reject_list *const *lists, size_t nlists,
		     int (*fn)(void *ctx, const struct nri_reject *r), void *ctx);

#endif
