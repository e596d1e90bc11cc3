/*
 * lsh.c - the near-duplicate store (signatures, groups) and LSH
 * clustering with verified candidates and union-find
 * (docs/homogeneity.md).
 */
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "lsh.h"
#include "minhash.h"

/* a count fits the uint8_t nfp, the list nri_fp_jaccard's table */
_Static_assert(NRI_DUP_EXACT <= 255 && NRI_DUP_EXACT <= NRI_MINHASH_MAX_FP,
	       "NRI_DUP_EXACT too large");

void nri_dupstore_init(struct nri_dupstore *s, unsigned nperm, int keep_text)
{
	memset(s, 0, sizeof(*s));
	s->nperm = nperm;
	s->keep_text = keep_text;
	nri_buf_init(&s->txt, (size_t)1 << 40);
}

void nri_dupstore_release(struct nri_dupstore *s)
{
	nri_free(s->seq);
	nri_free(s->sig);
	nri_free(s->nfp);
	nri_free(s->fp);
	nri_free(s->goff);
	nri_free(s->gn);
	nri_free(s->gpool);
	nri_free(s->txt_off);
	nri_buf_release(&s->txt);
	memset(s, 0, sizeof(*s));
}

/* Grow *p (elements of size sz) to hold at least need; doubling. */
static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
	size_t ncap = *cap ? *cap : 256;
	void *np;

	if (need <= *cap)
		return NR_OK;
	while (ncap < need)
		ncap *= 2;
	np = nri_realloc(*p, ncap * sz);
	if (!np)
		return NR_ENOMEM;
	*p = np;
	*cap = ncap;
	return NR_OK;
}

/* The per-document arrays share one capacity; each is grown in turn. */
static int grow_docs(struct nri_dupstore *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 1024, c;
	void *arr[] = {s->seq, s->sig, s->nfp, s->goff, s->gn, s->txt_off};
	size_t sz[] = {8, s->nperm, 1, 4, 2, 8};
	size_t narr = s->keep_text ? 6 : 5;

	for (size_t i = 0; i < narr; i++) {
		c = s->cap;
		if (grow(&arr[i], &c, ncap, sz[i]))
			goto fail;
		switch (i) {
		case 0: s->seq = arr[i]; break;
		case 1: s->sig = arr[i]; break;
		case 2: s->nfp = arr[i]; break;
		case 3: s->goff = arr[i]; break;
		case 4: s->gn = arr[i]; break;
		case 5: s->txt_off = arr[i]; break;
		}
	}
	s->cap = ncap;
	return NR_OK;
fail:
	/* arrays grown so far are bigger than cap: harmless, cap stays */
	return NR_ENOMEM;
}

int nri_dupstore_add(struct nri_dupstore *s, uint64_t seq, const uint32_t *groups, size_t ngroups,
		     const char *id, size_t idlen, const char *text, size_t textlen, uint8_t **sig,
		     uint16_t **fp)
{
	if (ngroups > UINT16_MAX)
		ngroups = UINT16_MAX;
	if (s->n == s->cap && grow_docs(s))
		return NR_ENOMEM;
	if (grow((void **)&s->gpool, &s->gpool_cap, s->ngpool + ngroups, sizeof(*s->gpool)) ||
	    grow((void **)&s->fp, &s->fp_cap, s->nfpool + NRI_DUP_EXACT, sizeof(*s->fp)))
		return NR_ENOMEM;
	if (s->keep_text) {
		int rc;

		/* a prefix of the text, cut at a character boundary */
		if (textlen > NRI_DUP_TEXT_BYTES) {
			textlen = NRI_DUP_TEXT_BYTES;
			while (textlen && ((unsigned char)text[textlen] & 0xC0) == 0x80)
				textlen--;
		}
		s->txt_off[s->n] = s->txt.len;
		if ((rc = nri_buf_add(&s->txt, id ? id : "", id ? idlen : 0)) ||
		    (rc = nri_buf_addc(&s->txt, '\0')) ||
		    (rc = nri_buf_add(&s->txt, text ? text : "", text ? textlen : 0)) ||
		    (rc = nri_buf_addc(&s->txt, '\0')))
			return rc;
	}
	s->seq[s->n] = seq;
	*sig = s->sig + s->n * s->nperm;
	*fp = s->fp + s->nfpool;
	s->nfp[s->n] = 0;
	s->goff[s->n] = (uint32_t)s->ngpool;
	s->gn[s->n] = (uint16_t)ngroups;
	memcpy(s->gpool + s->ngpool, groups, ngroups * sizeof(*groups));
	s->ngpool += ngroups;
	s->n++;
	return NR_OK;
}

void nri_dupstore_keep_fp(struct nri_dupstore *s, size_t n)
{
	if (!s->n || n > NRI_DUP_EXACT)
		return;
	s->nfp[s->n - 1] = (uint8_t)n;
	s->nfpool += n;
}

double nri_lsh_similarity(const struct nri_dupdocs *d, size_t i, size_t j)
{
	if (!d->sig[i] || !d->sig[j])
		return 0;
	if (d->nfp[i] && d->nfp[j])
		return nri_fp_jaccard(d->fp[i], d->nfp[i], d->fp[j], d->nfp[j]);
	return nri_minhash_similarity(d->mh, d->sig[i], d->sig[j]);
}

/* ---- buckets ------------------------------------------------------------- */

/* Entries key << 32 | index, sorted by key with indexes in increasing
 * order: the indexes go in increasing, so a stable LSD radix sort on the
 * 32-bit key is enough (linear, unlike a comparison sort of 32 x N
 * entries).  Three passes of 11 bits: 2048 counters stay in L1. */
#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
/* Bands whose entries one pass over the signatures makes (8 bytes per
 * document each). */
#define BANDS_PER_PASS 4

static void radix_by_key(uint64_t *v, uint64_t *tmp, size_t n, size_t *cnt)
{
	uint64_t *src = v, *dst = tmp;

	for (int pass = 0; pass < 3; pass++) {
		int shift = 32 + RADIX_BITS * pass;
		size_t sum = 0;

		memset(cnt, 0, RADIX_SIZE * sizeof(*cnt));
		for (size_t i = 0; i < n; i++)
			cnt[(src[i] >> shift) & (RADIX_SIZE - 1)]++;
		for (size_t d = 0; d < RADIX_SIZE; d++) {
			size_t c = cnt[d];

			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & (RADIX_SIZE - 1)]++] = src[i];
		src = dst;
		dst = src == v ? tmp : v;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

/* The bucket entries of bands b0..b0+nb-1: v[k] gets band b0+k's entries
 * sorted by key, *nout entries each.  Documents without a signature have
 * no entry.  The keys are taken from the signatures here rather than kept
 * per document; the bands of one pass sit side by side in a signature, so
 * a pass reads each signature once for nb bands (reading them band by
 * band moved the whole store through the cache once per band). */
static void band_entries(const struct nri_dupdocs *d, unsigned b0, unsigned nb, uint64_t **v,
			 uint64_t *tmp, size_t *cnt, size_t *nout)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++) {
		if (!d->sig[i])
			continue;
		for (unsigned k = 0; k < nb; k++)
			v[k][n] = (uint64_t)nri_minhash_band_key(d->mh, d->sig[i], b0 + k) << 32 |
				  (uint64_t)i;
		n++;
	}
	for (unsigned k = 0; k < nb; k++)
		radix_by_key(v[k], tmp, n, cnt);
	*nout = n;
}

static uint32_t find(uint32_t *p, uint32_t x)
{
	while (p[x] != x) {
		p[x] = p[p[x]]; /* path halving */
		x = p[x];
	}
	return x;
}

/* The lower index becomes the root, so a cluster's root is its first
 * document in input order, whatever order the unions came in. */
static void unite(uint32_t *p, uint32_t x, uint32_t y)
{
	x = find(p, x);
	y = find(p, y);
	if (x < y)
		p[y] = x;
	else if (y < x)
		p[x] = y;
}

/* Why representatives and not all pairs: within a bucket, documents that
 * are near-duplicates of each other are near-duplicates of the same first
 * member in practice (templates, reposts); comparing each member with a
 * few representatives finds them in linear time, and a pair that slips
 * through one band is usually met in another (docs/homogeneity.md). */
int nri_lsh_cluster(const struct nri_dupdocs *d, double threshold, unsigned max_reps,
		    uint32_t *root, uint64_t *verified)
{
	uint64_t *v[BANDS_PER_PASS] = {0}, *tmp;
	uint32_t reps[64];
	uint64_t nver = 0;
	size_t *cnt;
	int rc = NR_OK;

	if (max_reps < 1)
		max_reps = 1;
	if (max_reps > 64)
		max_reps = 64;
	for (size_t i = 0; i < d->n; i++)
		root[i] = (uint32_t)i;
	if (verified)
		*verified = 0;
	if (!d->n)
		return NR_OK;
	tmp = nri_malloc(d->n * sizeof(*tmp));
	cnt = nri_malloc(RADIX_SIZE * sizeof(*cnt));
	for (unsigned k = 0; k < BANDS_PER_PASS && k < d->mh->bands; k++)
		if (!(v[k] = nri_malloc(d->n * sizeof(*v[k]))))
			rc = NR_ENOMEM;
	if (!tmp || !cnt || rc) {
		rc = NR_ENOMEM;
		goto out;
	}
	for (unsigned b0 = 0; b0 < d->mh->bands; b0 += BANDS_PER_PASS) {
		unsigned nb =
			d->mh->bands - b0 < BANDS_PER_PASS ? d->mh->bands - b0 : BANDS_PER_PASS;
		size_t n;

		band_entries(d, b0, nb, v, tmp, cnt, &n);
		for (unsigned k = 0; k < nb; k++) {
			const uint64_t *ent = v[k];
			size_t s = 0;

			while (s < n) {
				size_t e = s + 1;
				unsigned nr = 0;

				while (e < n && (ent[e] >> 32) == (ent[s] >> 32))
					e++;
				for (size_t x = s; x < e && e - s > 1; x++) {
					uint32_t m = (uint32_t)ent[x], rm = find(root, m);
					int joined = 0;

					for (unsigned q = 0; q < nr && !joined; q++)
						joined = find(root, reps[q]) == rm;
					for (unsigned q = 0; q < nr && !joined; q++) {
						nver++;
						if (nri_lsh_similarity(d, reps[q], m) >=
						    threshold) {
							unite(root, reps[q], m);
							joined = 1;
						}
					}
					if (!joined && nr < max_reps)
						reps[nr++] = m;
				}
				s = e;
			}
		}
	}
	for (size_t i = 0; i < d->n; i++)
		root[i] = find(root, (uint32_t)i);
	if (verified)
		*verified = nver;
out:
	for (unsigned k = 0; k < BANDS_PER_PASS; k++)
		nri_free(v[k]);
	nri_free(tmp);
	nri_free(cnt);
	return rc;
}

/* ---- all candidate pairs (tests) -------------------------------------------- */

struct pairset {
	uint64_t *v;
	size_t cap, n;
};

/* Insert i < j; 1 if new, 0 if there, -1 out of memory. */
static int pairset_add(struct pairset *ps, uint64_t key)
{
	size_t mask, h;

	if ((ps->n + 1) * 2 > ps->cap) {
		size_t ncap = ps->cap ? ps->cap * 2 : 1024;
		uint64_t *nv = nri_calloc(ncap, sizeof(*nv));

		if (!nv)
			return -1;
		for (size_t i = 0; i < ps->cap; i++) {
			if (!ps->v[i])
				continue;
			h = (size_t)((ps->v[i] * 0x9E3779B97F4A7C15ULL) >> 20) & (ncap - 1);
			while (nv[h])
				h = (h + 1) & (ncap - 1);
			nv[h] = ps->v[i];
		}
		nri_free(ps->v);
		ps->v = nv;
		ps->cap = ncap;
	}
	mask = ps->cap - 1;
	h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
	while (ps->v[h]) {
		if (ps->v[h] == key)
			return 0;
		h = (h + 1) & mask;
	}
	ps->v[h] = key;
	ps->n++;
	return 1;
}

int nri_lsh_pairs(const struct nri_dupdocs *d,
		  int (*on_pair)(void *ctx, size_t i, size_t j, double similarity), void *ctx,
		  uint64_t *candidates)
{
	uint64_t *v, *tmp;
	struct pairset ps = {0};
	int rc = NR_OK, stop = 0;
	size_t *cnt = NULL;

	*candidates = 0;
	if (!d->n)
		return NR_OK;
	v = nri_malloc(d->n * sizeof(*v));
	tmp = nri_malloc(d->n * sizeof(*tmp));
	cnt = nri_malloc(RADIX_SIZE * sizeof(*cnt));
	if (!v || !tmp || !cnt) {
		rc = NR_ENOMEM;
		goto out;
	}
	for (unsigned b = 0; b < d->mh->bands && !stop; b++) {
		size_t n, s = 0;

		band_entries(d, b, 1, &v, tmp, cnt, &n);
		while (s < n && !stop) {
			size_t e = s + 1;

			while (e < n && (v[e] >> 32) == (v[s] >> 32))
				e++;
			for (size_t x = s; x < e && !stop; x++)
				for (size_t y = x + 1; y < e && !stop; y++) {
					size_t i = (uint32_t)v[x], j = (uint32_t)v[y];
					int r = pairset_add(&ps,
							    (uint64_t)i << 32 | j | (1ULL << 63));

					if (r < 0) {
						rc = NR_ENOMEM;
						goto out;
					}
					if (r) {
						(*candidates)++;
						stop = on_pair(ctx, i, j,
							       nri_lsh_similarity(d, i, j));
					}
				}
			s = e;
		}
	}
out:
	nri_free(cnt);
	nri_free(ps.v);
	nri_free(v);
	nri_free(tmp);
	return rc;
}
