/*
 * minhash.h - shingles, MinHash signatures and LSH band keys for
 * near-duplicate detection (docs/homogeneity.md).
 *
 * A document becomes a sequence of units: normalised word, number and
 * hashtag tokens for spaced scripts, or the characters of CJK tokens when
 * the document is mostly CJK; every city-name hit becomes one placeholder
 * unit, so templates that differ only by the city are one template.
 * Shingles are k consecutive units hashed to 32 bits; the shingle set is
 * what Jaccard similarity is taken over.
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

/* The shingle set of units u[0..n): hashes of every k consecutive units
 * (k >= 1), sorted and without repeats, written to out (room for n
 * values, or 1 when n < k); returns how many.  0 < n < k: one shingle of
 * all the units; n == 0: none. */
size_t nri_shingles(const struct nri_unit *u, size_t n, unsigned k, uint32_t *out);

/* A MinHash family: nperm hash functions h_j(x) = ((a_j x + b_j) mod 2^64)
 * div 2^32 over 32-bit x, a_j odd (Dietzfelbinger's multiply-add-shift,
 * strongly universal), with the LSH banding. */
struct nri_minhash {
	unsigned nperm, bands, rows;
	uint64_t *a, *b;
};

/* Seeded, so signatures are the same on every run.  NR_OK, NR_ENOMEM,
 * NR_EINVAL (nperm 0, bands * rows > nperm). */
int nri_minhash_init(struct nri_minhash *m, unsigned nperm, unsigned bands, unsigned rows,
		     uint64_t seed);
void nri_minhash_release(struct nri_minhash *m);

/* sig[0..nperm) = min over the set of h_j; set of n > 0 values. */
void nri_minhash_sign(const struct nri_minhash *m, const uint32_t *set, size_t n, uint32_t *sig);

/* keys[0..bands) = a 32-bit hash of each band's rows of sig (the band
 * number mixed in, so equal rows in different bands do not meet). */
void nri_minhash_band_keys(const struct nri_minhash *m, const uint32_t *sig, uint32_t *keys);

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

/* Jaccard similarity of two sorted sets without repeats.  na <= fa: a
 * holds the na smallest values of a set of fa (a bottom-k sketch when
 * na < fa); same for b.  Exact when both are whole; otherwise the
 * bottom-k estimate (Broder 1997; Cohen & Kaplan 2007) with k = min(na,
 * nb): the share of the k smallest values of the union that lie in both,
 * capped by min(fa, fb) / max(fa, fb), the most two sets of those sizes
 * can share.  0 when either set is empty. */
double nri_jaccard(const uint32_t *a, size_t na, size_t fa, const uint32_t *b, size_t nb,
		   size_t fb);

#endif
