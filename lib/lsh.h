/*
 * lsh.h - the per-document near-duplicate store and LSH clustering
 * (docs/homogeneity.md).
 *
 * A worker appends each document's MinHash signature (nperm bytes) and
 * groups to its own store; after the run the stores are viewed in input
 * order (by sequence number) and clustered: documents sharing a band key
 * are candidates, a candidate is verified by the Jaccard similarity
 * estimated from the two signatures, verified pairs are joined by
 * union-find.
 */
#ifndef NR_LSH_H
#define NR_LSH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "minhash.h"

/* A document of at most this many shingles also keeps its shingle set as
 * 16-bit fingerprints, and two such documents are compared exactly
 * (docs/homogeneity.md). */
#define NRI_DUP_EXACT 128
/* Text kept per document for a cluster's representative. */
#define NRI_DUP_TEXT_BYTES 120

/* One worker's documents, in the order it saw them (increasing seq). */
struct nri_dupstore {
	unsigned nperm;
	int keep_text; /* keep ids and text prefixes */
	size_t n, cap;
	uint64_t *seq;
	uint8_t *sig; /* n * nperm signature bytes */
	/* distinct fingerprints kept, 0 or 1..NRI_DUP_EXACT (<= 255) */
	uint8_t *nfp;
	/* fingerprint pool: each document's set in turn, sorted and
	 * Elias-Fano coded (nri_dupstore_fp), nri_dupstore_fp_bytes(nfp)
	 * bytes each */
	uint8_t *fp;
	size_t nfpool, fp_cap;
	/* nfpool before every 16th document, so that a document's
	 * fingerprints are found without an offset per document */
	uint64_t *fpblk;
	size_t fpblk_cap;
	uint16_t fpraw[NRI_DUP_EXACT]; /* the last document's, as signed */
	uint32_t *goff;		       /* into gpool */
	uint16_t *gn;
	uint32_t *gpool; /* worker-local group indexes */
	size_t ngpool, gpool_cap;
	uint64_t *txt_off; /* "id\0text\0" in txt */
	struct nri_buf txt;
};

void nri_dupstore_init(struct nri_dupstore *s, unsigned nperm, int keep_text);
void nri_dupstore_release(struct nri_dupstore *s);
/* Append a document: groups are its worker-local group indexes; id/text
 * may be NULL when the store keeps no text.  *sig is where its nperm
 * signature bytes go, *fp where up to NRI_DUP_EXACT fingerprints may go
 * (nri_minhash_sign), both valid until the next add; the document keeps
 * none until nri_dupstore_keep_fp says how many were written.  NR_OK,
 * NR_ENOMEM, NR_ELIMIT. */
int nri_dupstore_add(struct nri_dupstore *s, uint64_t seq, const uint32_t *groups, size_t ngroups,
		     const char *id, size_t idlen, const char *text, size_t textlen, uint8_t **sig,
		     uint16_t **fp);
/* The last document added keeps its first n (<= NRI_DUP_EXACT)
 * fingerprints. */
void nri_dupstore_keep_fp(struct nri_dupstore *s, size_t n);

/* The distinct fingerprints of store s's document l, in increasing
 * order, into out (room for NRI_DUP_EXACT); how many (0: none kept). */
size_t nri_dupstore_fp(const struct nri_dupstore *s, size_t l, uint16_t *out);
/* The bytes of a set of n (1..NRI_DUP_EXACT) coded fingerprints. */
size_t nri_dupstore_fp_bytes(unsigned n);

/* Documents in input order, in one of two forms.  Arrays (tests, small
 * corpora): sig[i] NULL for a document without shingles (never a
 * candidate), fp[i] its nfp[i] fingerprints (nfp[i] 0: none kept).  Or
 * stores (sig NULL, nri_dupdocs_view): document i is document
 * at[i] >> wbits of store at[i] & ((1 << wbits) - 1), 4 bytes per
 * document instead of pointers. */
struct nri_dupdocs {
	size_t n;
	const struct nri_minhash *mh;
	const uint8_t **sig;
	const uint16_t **fp;
	uint8_t *nfp;
	const struct nri_dupstore **st;
	unsigned nst, wbits;
	uint32_t *at;
};

/* The stores' documents in input order: a k-way merge by sequence number
 * (each store is in increasing order); the stores are borrowed and must
 * stay, but their seq arrays are no longer needed.  NR_OK, NR_ENOMEM,
 * NR_ELIMIT (more documents than 32-bit indexes reach). */
int nri_dupdocs_view(struct nri_dupdocs *d, const struct nri_minhash *mh,
		     const struct nri_dupstore *const *st, unsigned nst);
/* Frees what nri_dupdocs_view allocated. */
void nri_dupdocs_release(struct nri_dupdocs *d);

/* Where document i of a store view lives: store *w, document *l. */
static inline void nri_dupdocs_where(const struct nri_dupdocs *d, size_t i, unsigned *w, size_t *l)
{
	*w = d->at[i] & ((1u << d->wbits) - 1);
	*l = d->at[i] >> d->wbits;
}

/* Document i's signature (NULL: none). */
static inline const uint8_t *nri_dupdocs_sig(const struct nri_dupdocs *d, size_t i)
{
	unsigned w;
	size_t l;

	if (d->sig)
		return d->sig[i];
	nri_dupdocs_where(d, i, &w, &l);
	return d->st[w]->sig + l * d->st[w]->nperm;
}

/* The similarity of documents i and j: exact (nri_fp_jaccard) when both
 * kept their fingerprints, else estimated from the signatures
 * (nri_minhash_similarity). */
double nri_lsh_similarity(const struct nri_dupdocs *d, size_t i, size_t j);

/* Clusters: root[i] = the first document (lowest index) of i's cluster;
 * root[i] == i for a document alone.  In each band, documents with the
 * same key form a bucket; each member is verified against at most
 * max_reps representatives of the bucket (the first members that did not
 * join an earlier one), and not at all when it is already in the same
 * cluster as one: a bucket of a million identical documents costs a
 * million comparisons, not half a trillion.  *verified counts the
 * similarity computations.  NR_OK, NR_ENOMEM. */
int nri_lsh_cluster(const struct nri_dupdocs *d, double threshold, unsigned max_reps,
		    uint32_t *root, uint64_t *verified);
/* The same clusters (root[] the same), with threads > 1: a second thread
 * sorts the bucket entries of the next bands while this one verifies and
 * joins the current ones.  NR_OK, NR_ENOMEM. */
int nri_lsh_cluster_mt(const struct nri_dupdocs *d, double threshold, unsigned max_reps,
		       unsigned threads, uint32_t *root, uint64_t *verified);

/* Every pair of documents sharing a band key (each pair once) with its
 * estimated similarity: for tests and small corpora (quadratic in bucket
 * size).  on_pair returns non-zero to stop.  *candidates counts the
 * distinct candidate pairs.  NR_OK, NR_ENOMEM. */
int nri_lsh_pairs(const struct nri_dupdocs *d,
		  int (*on_pair)(void *ctx, size_t i, size_t j, double similarity), void *ctx,
		  uint64_t *candidates);

#endif
