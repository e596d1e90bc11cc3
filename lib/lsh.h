/*
 * lsh.h - the per-document near-duplicate store and LSH clustering
 * (docs/homogeneity.md).
 *
 * A worker appends each document's band keys, shingle set (whole, or its
 * bottom-k sketch when longer than the cap) and groups to its own store;
 * after the run the stores are viewed in input order (by sequence number)
 * and clustered: documents sharing a band key are candidates, a candidate
 * is verified by the Jaccard similarity of the shingle sets, verified
 * pairs are joined by union-find.
 */
#ifndef NR_LSH_H
#define NR_LSH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Shingles kept per document: above this the smallest values (a bottom-k
 * sketch) are kept and Jaccard is estimated (docs/homogeneity.md). */
#define NRI_DUP_MAX_SHINGLES 256
/* Text kept per document for a cluster's representative. */
#define NRI_DUP_TEXT_BYTES 120

/* One worker's documents, in the order it saw them (increasing seq). */
struct nri_dupstore {
	unsigned nbands;
	int keep_text; /* keep ids and text prefixes */
	size_t n, cap;
	uint64_t *seq;
	uint32_t *keys;		/* n * nbands band keys */
	uint64_t *sh_off;	/* into pool */
	uint32_t *shn, *shfull; /* kept, and whole set size */
	uint32_t *goff;		/* into gpool */
	uint16_t *gn;
	uint32_t *pool;
	size_t npool, pool_cap;
	uint32_t *gpool; /* worker-local group indexes */
	size_t ngpool, gpool_cap;
	uint64_t *txt_off; /* "id\0text\0" in txt */
	struct nri_buf txt;
};

void nri_dupstore_init(struct nri_dupstore *s, unsigned nbands, int keep_text);
void nri_dupstore_release(struct nri_dupstore *s);
/* Append a document; sh[0..shn) sorted unique (shn > 0), keys[0..nbands).
 * groups: the worker-local group indexes of the document.  id/text may be
 * NULL when the store keeps no text.  NR_OK, NR_ENOMEM, NR_ELIMIT. */
int nri_dupstore_add(struct nri_dupstore *s, uint64_t seq, const uint32_t *keys, const uint32_t *sh,
		     size_t shn, const uint32_t *groups, size_t ngroups, const char *id,
		     size_t idlen, const char *text, size_t textlen);

/* Documents in input order, pointing into the stores (borrowed). */
struct nri_dupdocs {
	size_t n;
	unsigned nbands;
	const uint32_t **keys;
	const uint32_t **sh;
	uint32_t *shn, *shfull;
};

/* Clusters: root[i] = the first document (lowest index) of i's cluster;
 * root[i] == i for a document alone.  In each band, documents with the
 * same key form a bucket; each member is verified against at most
 * max_reps representatives of the bucket (the first members that did not
 * join an earlier one), and not at all when it is already in the same
 * cluster as one: a bucket of a million identical documents costs a
 * million comparisons, not half a trillion.  *verified counts the
 * Jaccard computations.  NR_OK, NR_ENOMEM. */
int nri_lsh_cluster(const struct nri_dupdocs *d, double threshold, unsigned max_reps,
		    uint32_t *root, uint64_t *verified);

/* Every pair of documents sharing a band key (each pair once) with its
 * Jaccard similarity: for tests and small corpora (quadratic in bucket
 * size).  on_pair returns non-zero to stop.  *candidates counts the
 * distinct candidate pairs.  NR_OK, NR_ENOMEM. */
int nri_lsh_pairs(const struct nri_dupdocs *d,
		  int (*on_pair)(void *ctx, size_t i, size_t j, double jaccard), void *ctx,
		  uint64_t *candidates);

#endif
