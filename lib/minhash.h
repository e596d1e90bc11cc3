/*
 * minhash.h - shingles, MinHash signatures and LSH band keys for
 * near-duplicate detection (docs/homogeneity.md).
 *
 * A document becomes a sequence of units: normalised word, number and
 * hashtag tokens for spaced scripts, or the characters of CJK tokens when
 * the document is mostly CJK; every city-name hit becomes one placeholder
 * unit, so templates that differ only by the city are one template.
 * Shingles are k consecutive units hashed to 64 bits; the shingle set is
 * what Jaccard similarity is taken over, and a MinHash signature of it
 * (nperm bytes) what near-duplicate detection keeps per document.
 */
#ifndef NR_MINHASH_H
#define NR_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#include "narrate.h"

#define NRI_MINHASH_DEFAULT_PERM  128
#define NRI_SHINGLE_DEFAULT_WORDS 3
#define NRI_SHINGLE_DEFAULT_CHARS 4
#define NRI_CITY_UNIT_HASH	  0x9e3779b97f4a7c15ULL
#define NRI_CITY_PLACEHOLDER	  "{city}"

/* One unit: its hash, its text (borrowed from the tokens, or the
 * placeholder) and flags. */
struct nri_unit {
	uint64_t h;
	const char *s;
	uint32_t len;
	unsigned char stop; /* a stopword (word units only) */
	unsigned char cjk;  /* a CJK character unit */
	unsigned char city; /* the city placeholder */
};

/* A document's units; caller-held, reused across documents. */
struct nri_units {
	struct nri_unit *v;
	size_t n, cap;
	int chars; /* 1: character units (mostly CJK), 0: word units */
};

void nri_units_init(struct nri_units *u);
void nri_units_release(struct nri_units *u);

/* Build the units of one tokenized document.  in_city (may be NULL) marks
 * tokens inside a city-name hit: each run of them becomes one placeholder
 * unit.  Character mode is chosen when the document has more CJK
 * characters (outside city names) than non-CJK word/number tokens.
 * Strings are borrowed from toks.  NR_OK, NR_ENOMEM. */
int nri_units_build(struct nri_units *u, const struct nr_token *toks, size_t ntoks,
		    const unsigned char *in_city);

/* The shingle set of units u[0..n): the top 32 bits of the 64-bit hash of
 * every k consecutive units (k >= 1; the hash nri_minhash_sign bins),
 * sorted and without repeats, written to out (room for n values, or 1
 * when n < k); returns how many.  0 < n < k: one shingle of all the
 * units; n == 0: none.  Signing does not need it: it is the exact set
 * that tests and benchmarks take Jaccard similarity over. */
size_t nri_shingles(const struct nri_unit *u, size_t n, unsigned k, uint32_t *out);

/* Exact Jaccard similarity |A n B| / |A u B| of two sorted sets without
 * repeats; 0 when either is empty. */
double nri_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* At most this many bins (--perm): the signer's scratch is on the stack. */
#define NRI_MINHASH_MAX_PERM 1024

/* A one-permutation MinHash family with nperm bins (docs/homogeneity.md):
 * each shingle is hashed once, its hash picks a bin and gives the value
 * whose minimum the bin keeps (Li, Owen & Zhang 2012, "One permutation
 * hashing"); empty bins are filled by optimal densification (Shrivastava
 * 2017): bin i takes the value of the first non-empty bin in its own
 * fixed random order probe[i], a permutation of the bins.  A signature
 * is nperm bytes: per bin, bit 7 set when the bin was empty and filled,
 * and the low 7 bits of the bin's minimum (b-bit minwise hashing, Li &
 * Konig 2010).  The signature is cut into bands of rows for LSH. */
struct nri_minhash {
	unsigned nperm, bands, rows;
	uint16_t *probe; /* nperm x nperm: bin i's densification order */
	uint16_t *rankt; /* nperm x stride: rankt[j][i] = where j is in probe[i] */
	unsigned stride; /* nperm rounded up to 8 (padding: 0x7fff) */
};

/* Seeded, so signatures are the same on every run.  NR_OK, NR_ENOMEM,
 * NR_EINVAL (nperm 0 or above NRI_MINHASH_MAX_PERM, bands * rows >
 * nperm). */
int nri_minhash_init(struct nri_minhash *m, unsigned nperm, unsigned bands, unsigned rows,
		     uint64_t seed);
void nri_minhash_release(struct nri_minhash *m);

/* Fingerprints kept at most (fpmax of nri_minhash_sign). */
#define NRI_MINHASH_MAX_FP 256

/* sig[0..nperm) = the signature of the shingles (k units, as
 * nri_shingles) of u[0..n), n > 0.  Cost O(n + nperm): one hash per
 * shingle, whatever nperm.  When the document has at most fpmax
 * (<= NRI_MINHASH_MAX_FP) shingles, fp[0..ret) is also each of its
 * shingles as a 16-bit fingerprint (16 bits of the shingle hash), in
 * order, repeats included; returns how many, 0 when there are more
 * shingles than fpmax. */
size_t nri_minhash_sign(const struct nri_minhash *m, const struct nri_unit *u, size_t n, unsigned k,
			uint8_t *sig, uint16_t *fp, size_t fpmax);

/* The Jaccard similarity of the sets of two fingerprint lists (as
 * nri_minhash_sign writes them: any order, repeats counted once, at most
 * NRI_MINHASH_MAX_FP each): exact but for fingerprints of different
 * shingles that agree (about one pair in 65,536). */
double nri_fp_jaccard(const uint16_t *a, size_t na, const uint16_t *b, size_t nb);

/* The 32-bit hash of band b's rows (any number of them). */
uint32_t nri_minhash_band_hash(const struct nri_minhash *m, const uint8_t *sig, unsigned b);

/* The LSH key of band b of sig: its rows (bytes b*rows .. b*rows+rows-1)
 * as they are, little-endian, when rows <= 4, else a 32-bit hash of them.
 * Keys are only compared within a band.  Inline: clustering takes every
 * document's key in every band. */
static inline uint32_t nri_minhash_band_key(const struct nri_minhash *m, const uint8_t *sig,
					    unsigned b)
{
	const uint8_t *p = sig + (size_t)b * m->rows;
	uint32_t k = 0;

	if (m->rows == 4)
		return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		       (uint32_t)p[3] << 24;
	if (m->rows > 4)
		return nri_minhash_band_hash(m, sig, b);
	for (unsigned j = 0; j < m->rows; j++)
		k |= (uint32_t)p[j] << (8 * j);
	return k;
}

/* The Jaccard similarity of two documents estimated from their
 * signatures: over the bins not filled in both (Li, Owen & Zhang's
 * estimator), the share that agree, corrected for 7-bit values agreeing
 * by chance (Li & Konig 2010); in [0, 1]. */
double nri_minhash_similarity(const struct nri_minhash *m, const uint8_t *a, const uint8_t *b);

/* The bands b and rows r (b * r <= nperm) minimising
 * w_fp * FP + w_fn * FN, where FP = integral over [0, t] of P(s) and FN =
 * integral over [t, 1] of 1 - P(s), P(s) = 1 - (1 - s^r)^b the
 * probability that a pair of Jaccard s shares a band (datasketch's
 * _optimal_param; Leskovec, Rajaraman & Ullman, Mining of Massive
 * Datasets, ch. 3.4). */
void nri_lsh_params(double t, unsigned nperm, double w_fp, double w_fn, unsigned *bands,
		    unsigned *rows);

/* P(s) for b bands of r rows. */
double nri_lsh_prob(double s, unsigned bands, unsigned rows);

#endif
