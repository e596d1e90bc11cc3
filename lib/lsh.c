/*
 * lsh.c - the near-duplicate store (signatures, groups) and LSH
 * clustering with verified candidates and union-find
 * (docs/homogeneity.md).
 */
#include <pthread.h>
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
	nri_free(s->fpblk);
	nri_free(s->goff);
	nri_free(s->gn);
	nri_free(s->gpool);
	nri_free(s->txt_off);
	nri_buf_release(&s->txt);
	memset(s, 0, sizeof(*s));
}

/* A pool offset is kept every FP_BLOCK documents (half a byte per
 * document); a document's is that plus the sizes of the ones before it
 * in its block. */
#define FP_BLOCK 16

/* Room in the fingerprint pool for one more document: its coded set
 * (at most 176 bytes for 128 fingerprints) and 8 to read past it. */
#define FP_ROOM (2 * NRI_DUP_EXACT + 8)

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
	    grow((void **)&s->fp, &s->fp_cap, s->nfpool + FP_ROOM, sizeof(*s->fp)) ||
	    grow((void **)&s->fpblk, &s->fpblk_cap, s->n / FP_BLOCK + 1, sizeof(*s->fpblk)))
		return NR_ENOMEM;
	/* goff and the view's indexes are 32 bits */
	if (s->ngpool + ngroups > UINT32_MAX || s->n >= UINT32_MAX / 2)
		return NR_ELIMIT;
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
	if (!(s->n % FP_BLOCK))
		s->fpblk[s->n / FP_BLOCK] = s->nfpool;
	s->seq[s->n] = seq;
	*sig = s->sig + s->n * s->nperm;
	*fp = s->fpraw;
	s->nfp[s->n] = 0;
	s->goff[s->n] = (uint32_t)s->ngpool;
	s->gn[s->n] = (uint16_t)ngroups;
	memcpy(s->gpool + s->ngpool, groups, ngroups * sizeof(*groups));
	s->ngpool += ngroups;
	s->n++;
	return NR_OK;
}

/* Why coded: a post of up to 128 shingles keeps them as 16-bit
 * fingerprints, about 110 bytes for a Chinese post, as much as its
 * signature; only their set matters (nri_fp_jaccard), and a sorted set
 * of n values below 2^16 takes about n (2 + log2(65536 / n)) bits in
 * Elias-Fano form (Elias 1974; Fano 1971; Vigna, "Quasi-succinct
 * indices", WSDM 2013): each value's low l = floor(log2(65536 / n)) bits
 * as they are, then its high bits as gaps in unary (a 1 per value, a 0
 * per step up), 11 to 12 bits a value instead of 16.  The set is the
 * same, so the similarity is the same. */
static unsigned ef_low(unsigned n)
{
	return n <= 1 ? 16 : 16 - (32 - (unsigned)__builtin_clz(n - 1));
}

size_t nri_dupstore_fp_bytes(unsigned n)
{
	unsigned l = ef_low(n);

	return ((size_t)n * l + n + (1u << (16 - l)) + 7) / 8;
}

/* Bits to a byte string, least significant first. */
struct bitw {
	uint8_t *p;
	uint64_t acc; /* n bits not yet written (n < 32 between calls) */
	unsigned n;
};

static inline void put_bits(struct bitw *w, uint32_t x, unsigned nbits)
{
	w->acc |= (uint64_t)x << w->n;
	w->n += nbits;
	if (w->n >= 32) {
		uint32_t lo = (uint32_t)w->acc;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		lo = __builtin_bswap32(lo);
#endif
		memcpy(w->p, &lo, sizeof(lo));
		w->p += 4;
		w->acc >>= 32;
		w->n -= 32;
	}
}

/* The bits left, a byte at a time. */
static inline void flush_bits(struct bitw *w)
{
	for (; w->n > 0; w->n = w->n > 8 ? w->n - 8 : 0) {
		*w->p++ = (uint8_t)w->acc;
		w->acc >>= 8;
	}
}

void nri_dupstore_keep_fp(struct nri_dupstore *s, size_t n)
{
	uint16_t v[NRI_DUP_EXACT];
	unsigned c[33] = {0}, d, l, prev = 0;
	struct bitw w;
	uint8_t *end;

	if (!s->n || !n || n > NRI_DUP_EXACT)
		return;
	/* sorted: by the top 5 bits, then insertion (a few moves) */
	for (size_t i = 0; i < n; i++)
		c[(s->fpraw[i] >> 11) + 1]++;
	for (unsigned u = 1; u <= 32; u++)
		c[u] += c[u - 1];
	for (size_t i = 0; i < n; i++)
		v[c[s->fpraw[i] >> 11]++] = s->fpraw[i];
	for (size_t i = 1; i < n; i++) {
		uint16_t x = v[i];
		size_t q = i;

		while (q > 0 && v[q - 1] > x) {
			v[q] = v[q - 1];
			q--;
		}
		v[q] = x;
	}
	d = 1; /* repeats count once */
	for (size_t i = 1; i < n; i++) {
		v[d] = v[i];
		d += v[i] != v[d - 1];
	}
	l = ef_low(d);
	w.p = s->fp + s->nfpool;
	w.acc = 0;
	w.n = 0;
	end = w.p + nri_dupstore_fp_bytes(d);
	for (unsigned k = 0; k < d && l; k++)
		put_bits(&w, v[k] & ((1u << l) - 1), l);
	for (unsigned k = 0; k < d; k++) {
		unsigned gap = ((unsigned)v[k] >> l) - prev;

		prev += gap;
		for (; gap >= 24; gap -= 24)
			put_bits(&w, 0, 24);
		put_bits(&w, 1u << gap, gap + 1);
	}
	flush_bits(&w);
	while (w.p < end + 8) /* + 8: room to read a word */
		*w.p++ = 0;
	s->nfp[s->n - 1] = (uint8_t)d;
	s->nfpool += nri_dupstore_fp_bytes(d);
}

static inline uint64_t le64(uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap64(w);
#else
	return w;
#endif
}

/* 57 or more bits of p from bit 'bit' on (the pool has room to read 8
 * bytes past a document's set, zeroed). */
static inline uint64_t get_word(const uint8_t *p, size_t bit)
{
	uint64_t w;

	memcpy(&w, p + (bit >> 3), sizeof(w));
	return le64(w) >> (bit & 7);
}

size_t nri_dupstore_fp(const struct nri_dupstore *s, size_t l, uint16_t *out)
{
	size_t off = s->fpblk[l / FP_BLOCK], bit = 0;
	unsigned d = s->nfp[l], lo, u = 0;
	const uint8_t *p;

	for (size_t k = l - l % FP_BLOCK; k < l; k++)
		if (s->nfp[k])
			off += nri_dupstore_fp_bytes(s->nfp[k]);
	if (!d)
		return 0;
	p = s->fp + off;
	lo = ef_low(d);
	for (unsigned k = 0; k < d; k++, bit += lo)
		out[k] = (uint16_t)(lo ? get_word(p, bit) & ((1u << lo) - 1) : 0);
	for (unsigned k = 0; k < d;) {
		uint64_t w = get_word(p, bit) & ((1ULL << 56) - 1);
		unsigned z;

		if (!w) { /* 56 steps up and no value yet */
			u += 56;
			bit += 56;
			continue;
		}
		z = (unsigned)__builtin_ctzll(w);
		u += z;
		out[k] = (uint16_t)(out[k] | u << lo);
		k++;
		bit += z + 1;
	}
	return d;
}

/* |A n B| / |A u B| of two sorted sets without repeats, as
 * nri_fp_jaccard computes it. */
static double sorted_jaccard(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
	size_t i = 0, j = 0, both = 0;

	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			both++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (double)both / (double)(na + nb - both);
}

/* Why 4 bytes per document and not pointers: the view lives as long as
 * the stores, through the clustering, and 2 pointers, a count and the
 * store and place of every document cost 25 bytes (about 70 MB for 1 GB
 * of Chinese posts). */
int nri_dupdocs_view(struct nri_dupdocs *d, const struct nri_minhash *mh,
		     const struct nri_dupstore *const *st, unsigned nst)
{
	size_t n = 0, *pos;
	unsigned wbits = 0;

	memset(d, 0, sizeof(*d));
	d->mh = mh;
	while ((1u << wbits) < nst)
		wbits++;
	for (unsigned w = 0; w < nst; w++) {
		n += st[w]->n;
		if (st[w]->n > (UINT32_MAX >> wbits))
			return NR_ELIMIT;
	}
	if (n > UINT32_MAX)
		return NR_ELIMIT;
	d->st = nri_malloc((nst ? nst : 1) * sizeof(*d->st));
	d->at = nri_malloc((n ? n : 1) * sizeof(*d->at));
	pos = nri_calloc(nst ? nst : 1, sizeof(*pos));
	if (!d->st || !d->at || !pos) {
		nri_free(pos);
		nri_dupdocs_release(d);
		return NR_ENOMEM;
	}
	memcpy(d->st, st, nst * sizeof(*st));
	d->nst = nst;
	d->wbits = wbits;
	d->n = n;
	for (size_t k = 0; k < n; k++) {
		unsigned best = 0;
		uint64_t bs = UINT64_MAX;

		for (unsigned w = 0; w < nst; w++)
			if (pos[w] < st[w]->n && st[w]->seq[pos[w]] < bs) {
				bs = st[w]->seq[pos[w]];
				best = w;
			}
		d->at[k] = (uint32_t)(pos[best]++ << wbits | best);
	}
	nri_free(pos);
	return NR_OK;
}

void nri_dupdocs_release(struct nri_dupdocs *d)
{
	nri_free(d->st);
	nri_free(d->at);
	d->st = NULL;
	d->at = NULL;
	d->n = 0;
}

double nri_lsh_similarity(const struct nri_dupdocs *d, size_t i, size_t j)
{
	const uint8_t *a = nri_dupdocs_sig(d, i), *b = nri_dupdocs_sig(d, j);

	if (!a || !b)
		return 0;
	if (!d->sig) {
		uint16_t fa[NRI_DUP_EXACT], fb[NRI_DUP_EXACT];
		unsigned w;
		size_t l, na, nb;

		nri_dupdocs_where(d, i, &w, &l);
		na = nri_dupstore_fp(d->st[w], l, fa);
		if (na) {
			nri_dupdocs_where(d, j, &w, &l);
			nb = nri_dupstore_fp(d->st[w], l, fb);
			if (nb)
				return sorted_jaccard(fa, na, fb, nb);
		}
	} else if (d->nfp[i] && d->nfp[j]) {
		return nri_fp_jaccard(d->fp[i], d->nfp[i], d->fp[j], d->nfp[j]);
	}
	return nri_minhash_similarity(d->mh, a, b);
}

/* ---- buckets ------------------------------------------------------------- */

/* A band's bucket entries are key << 32 | index, sorted by key with
 * indexes in increasing order (the order the joins below depend on).
 * They are made in two steps: histograms of the top RADIX_BITS of the
 * keys of every band (one read of the signatures for all bands), then,
 * for a few bands at a time, the entries scattered straight to their
 * place by those top bits (stable: documents are taken in increasing
 * index) and each part sorted on the low bits where it stays in cache.
 * No second array of the band's size is needed (the three-pass radix
 * sort needed one), and the big scatter is done once instead of three
 * times.  With several threads each takes a share of the documents (its
 * own histograms say where its entries go) and then a share of the
 * parts: the entries are the same whatever the number of threads. */
#define RADIX_BITS 8
#define RADIX_SIZE (1u << RADIX_BITS)
#define LOW_BITS   (32 - RADIX_BITS)
#define LOW_DIGIT  8 /* the low bits in three passes of 8 */
_Static_assert(3 * LOW_DIGIT == LOW_BITS, "sort_part sorts three digits");
/* Bands whose entries are in memory at once (8 bytes per document each),
 * made from one read of the signatures: reading them is most of the cost
 * of making entries, so fewer bands at a time would be slower, more would
 * cost memory. */
#define BANDS_IN_FLIGHT 4
#define MAX_CREW	8 /* threads making entries */
/* Signatures are read a few documents ahead: taking the keys is a walk
 * over every signature, a cache line each, that waited on memory more
 * than it computed. */
#define PREFETCH 16

struct lshctx {
	const struct nri_dupdocs *d;
	unsigned nt;		 /* threads making entries */
	size_t lo[MAX_CREW + 1]; /* thread t's documents: lo[t] .. lo[t + 1] */
	uint32_t *hist;		 /* nt x bands x RADIX_SIZE */
	size_t n;		 /* entries per band: documents with a signature */
	size_t big;		 /* the largest part */
	uint64_t *tmp[MAX_CREW]; /* room for it, per thread */
	size_t *pos[MAX_CREW];	 /* BANDS_IN_FLIGHT x RADIX_SIZE, per thread */
	size_t base[BANDS_IN_FLIGHT][RADIX_SIZE + 1]; /* where each part starts */
};

/* always_inline: GCC 12 finds an out-of-line prefetch_sig free of side
 * effects and drops its calls, prefetch and all. */
static inline __attribute__((always_inline)) void prefetch_sig(const struct nri_dupdocs *d,
							       size_t i, unsigned b)
{
	const uint8_t *sig = nri_dupdocs_sig(d, i);

	if (sig)
		__builtin_prefetch(sig + (size_t)b * d->mh->rows);
}

static uint32_t *hist_of(const struct lshctx *c, unsigned t, unsigned b)
{
	return c->hist + ((size_t)t * c->d->mh->bands + b) * RADIX_SIZE;
}

/* Thread t's histograms; returns its number of entries. */
static size_t band_hist(const struct lshctx *c, unsigned t)
{
	const struct nri_dupdocs *d = c->d;
	unsigned nb = d->mh->bands;
	uint32_t *h = hist_of(c, t, 0);
	size_t n = 0;

	for (size_t i = c->lo[t]; i < c->lo[t + 1]; i++) {
		const uint8_t *sig = nri_dupdocs_sig(d, i);

		if (i + PREFETCH < c->lo[t + 1])
			prefetch_sig(d, i + PREFETCH, 0);
		if (!sig)
			continue;
		for (unsigned b = 0; b < nb; b++)
			h[(size_t)b * RADIX_SIZE +
			  (nri_minhash_band_key(d->mh, sig, b) >> LOW_BITS)]++;
		n++;
	}
	return n;
}

/* Sort e[0..m) (one top digit) by key, stably, on the low bits: the
 * three 8-bit digit counts in one read, then a pass per digit that is not
 * the same in every entry. */
static void sort_part(uint64_t *e, size_t m, uint64_t *tmp)
{
	uint32_t cnt[3][1u << LOW_DIGIT];
	uint64_t *src = e, *dst = tmp;
	const unsigned mask = (1u << LOW_DIGIT) - 1;
	size_t j = 1;

	while (j < m && (e[j] >> 32) == (e[0] >> 32))
		j++;
	if (j == m)
		return; /* one key: copies, or one bucket of chance */
	if (m <= 32) {
		for (j = 1; j < m; j++) {
			uint64_t x = e[j];
			size_t q = j;

			while (q > 0 && (e[q - 1] >> 32) > (x >> 32)) {
				e[q] = e[q - 1];
				q--;
			}
			e[q] = x;
		}
		return;
	}
	memset(cnt, 0, sizeof(cnt));
	for (size_t i = 0; i < m; i++) {
		uint32_t k = (uint32_t)(e[i] >> 32);

		cnt[0][k & mask]++;
		cnt[1][(k >> LOW_DIGIT) & mask]++;
		cnt[2][(k >> 2 * LOW_DIGIT) & mask]++;
	}
	for (unsigned pass = 0; pass < 3; pass++) {
		unsigned shift = 32 + pass * LOW_DIGIT;
		uint32_t *c = cnt[pass], sum = 0;

		if (c[(e[0] >> shift) & mask] == m)
			continue; /* one digit value: the order stays */
		for (unsigned x = 0; x <= mask; x++) {
			uint32_t k = c[x];

			c[x] = sum;
			sum += k;
		}
		for (size_t i = 0; i < m; i++)
			dst[c[(src[i] >> shift) & mask]++] = src[i];
		dst = src;
		src = src == e ? tmp : e;
	}
	if (src != e)
		memcpy(e, src, m * sizeof(*e));
}

/* Where the parts of bands b0 .. b0 + nb start (before the threads
 * scatter). */
static void part_bases(struct lshctx *c, unsigned b0, unsigned nb)
{
	for (unsigned k = 0; k < nb; k++) {
		size_t sum = 0;

		for (size_t x = 0; x < RADIX_SIZE; x++) {
			c->base[k][x] = sum;
			for (unsigned t = 0; t < c->nt; t++)
				sum += hist_of(c, t, b0 + k)[x];
		}
		c->base[k][RADIX_SIZE] = sum;
	}
}

/* Thread t's documents into v[k], the entries of band b0 + k. */
static void scatter(const struct lshctx *c, unsigned t, unsigned b0, unsigned nb, uint64_t **v)
{
	const struct nri_dupdocs *d = c->d;
	size_t *pos = c->pos[t];

	for (unsigned k = 0; k < nb; k++)
		for (size_t x = 0; x < RADIX_SIZE; x++) {
			size_t p = c->base[k][x];

			for (unsigned q = 0; q < t; q++)
				p += hist_of(c, q, b0 + k)[x];
			pos[k * RADIX_SIZE + x] = p;
		}
	for (size_t i = c->lo[t]; i < c->lo[t + 1]; i++) {
		const uint8_t *sig = nri_dupdocs_sig(d, i);

		if (i + PREFETCH < c->lo[t + 1])
			prefetch_sig(d, i + PREFETCH, b0);
		if (!sig)
			continue;
		for (unsigned k = 0; k < nb; k++) {
			uint32_t key = nri_minhash_band_key(d->mh, sig, b0 + k);

			v[k][pos[k * RADIX_SIZE + (key >> LOW_BITS)]++] =
				(uint64_t)key << 32 | (uint64_t)i;
		}
	}
}

/* Thread t's share of the parts: those starting in its share of the
 * entries. */
static void sort_parts(const struct lshctx *c, unsigned t, unsigned nb, uint64_t **v)
{
	for (unsigned k = 0; k < nb; k++)
		for (size_t x = 0; x < RADIX_SIZE; x++) {
			size_t s = c->base[k][x], m = c->base[k][x + 1] - s;

			if (m > 1 && s * c->nt / c->n == t)
				sort_part(v[k] + s, m, c->tmp[t]);
		}
}

/* The helper threads: each waits for a job, does its share, says so. */
enum { JOB_HIST = 1, JOB_SCATTER, JOB_SORT, JOB_QUIT };

struct crew {
	struct lshctx *c;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned gen, done, b0, nb;
	int job, sync; /* sync: mu and cv made */
	uint64_t **v;
	size_t count[MAX_CREW];
	struct crew_arg {
		struct crew *w;
		unsigned t;
	} arg[MAX_CREW];
	pthread_t th[MAX_CREW];
};

static void do_job(struct crew *w, unsigned t)
{
	switch (w->job) {
	case JOB_HIST: w->count[t] = band_hist(w->c, t); break;
	case JOB_SCATTER: scatter(w->c, t, w->b0, w->nb, w->v); break;
	case JOB_SORT: sort_parts(w->c, t, w->nb, w->v); break;
	}
}

static void *crew_main(void *p)
{
	struct crew_arg *ca = p;
	struct crew *w = ca->w;
	unsigned seen = 0;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->gen == seen)
			pthread_cond_wait(&w->cv, &w->mu);
		seen = w->gen;
		pthread_mutex_unlock(&w->mu);
		if (w->job == JOB_QUIT)
			return NULL;
		do_job(w, ca->t);
		pthread_mutex_lock(&w->mu);
		w->done++;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
	}
}

/* Every thread does its share of the job; back when all are done. */
static void crew_run(struct crew *w, int job, unsigned b0, unsigned nb, uint64_t **v)
{
	unsigned helpers = w->c->nt - 1;

	if (helpers) {
		pthread_mutex_lock(&w->mu);
		w->job = job;
		w->b0 = b0;
		w->nb = nb;
		w->v = v;
		w->done = 0;
		w->gen++;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
	} else {
		w->job = job;
		w->b0 = b0;
		w->nb = nb;
		w->v = v;
	}
	if (job != JOB_QUIT)
		do_job(w, 0);
	if (helpers && job != JOB_QUIT) {
		pthread_mutex_lock(&w->mu);
		while (w->done < helpers)
			pthread_cond_wait(&w->cv, &w->mu);
		pthread_mutex_unlock(&w->mu);
	}
}

/* Threads (up to threads, at least this one), histograms and scratch:
 * every allocation is made here, before any thread works.  NR_OK,
 * NR_ENOMEM (then crew_stop still needs calling). */
static int crew_start(struct crew *w, struct lshctx *c, const struct nri_dupdocs *d,
		      unsigned threads)
{
	size_t nh;
	unsigned nt = threads < 1 ? 1 : threads > MAX_CREW ? MAX_CREW : threads;

	memset(c, 0, sizeof(*c));
	memset(w, 0, sizeof(*w));
	c->d = d;
	w->c = c;
	if (nt > d->n)
		nt = d->n ? (unsigned)d->n : 1;
	nh = (size_t)nt * d->mh->bands * RADIX_SIZE;
	c->hist = nri_calloc(nh, sizeof(*c->hist));
	if (!c->hist)
		return NR_ENOMEM;
	for (unsigned t = 0; t < nt; t++)
		if (!(c->pos[t] = nri_malloc(BANDS_IN_FLIGHT * RADIX_SIZE * sizeof(*c->pos[t]))))
			return NR_ENOMEM;
	c->nt = 1;
	if (nt > 1) {
		pthread_mutex_init(&w->mu, NULL);
		pthread_cond_init(&w->cv, NULL);
		w->sync = 1;
		for (unsigned t = 1; t < nt; t++) {
			w->arg[t].w = w;
			w->arg[t].t = t;
			if (pthread_create(&w->th[t], NULL, crew_main, &w->arg[t]))
				break; /* fewer threads, the same entries */
			c->nt++;
		}
	}
	for (unsigned t = 0; t <= c->nt; t++)
		c->lo[t] = d->n * t / c->nt;
	crew_run(w, JOB_HIST, 0, 0, NULL);
	for (unsigned t = 0; t < c->nt; t++)
		c->n += w->count[t];
	for (unsigned t = 0; t < c->nt; t++)
		for (unsigned b = 0; b < d->mh->bands; b++)
			for (size_t x = 0; x < RADIX_SIZE; x++) {
				size_t m = 0;

				for (unsigned q = 0; q < c->nt; q++)
					m += hist_of(c, q, b)[x];
				c->big = m > c->big ? m : c->big;
			}
	for (unsigned t = 0; t < c->nt && c->big; t++)
		if (!(c->tmp[t] = nri_malloc(c->big * sizeof(*c->tmp[t]))))
			return NR_ENOMEM;
	return NR_OK;
}

static void crew_stop(struct crew *w, struct lshctx *c)
{
	if (c->nt > 1) {
		crew_run(w, JOB_QUIT, 0, 0, NULL);
		for (unsigned t = 1; t < c->nt; t++)
			pthread_join(w->th[t], NULL);
	}
	if (w->sync) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
	}
	nri_free(c->hist);
	for (unsigned t = 0; t < MAX_CREW; t++) {
		nri_free(c->pos[t]);
		nri_free(c->tmp[t]);
	}
	memset(c, 0, sizeof(*c));
}

/* v[k] = the sorted entries of band b0 + k, k < nb. */
static void band_entries(struct crew *w, unsigned b0, unsigned nb, uint64_t **v)
{
	part_bases(w->c, b0, nb);
	crew_run(w, JOB_SCATTER, b0, nb, v);
	crew_run(w, JOB_SORT, b0, nb, v);
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
/* A document's fingerprint set, read from its store once while a bucket
 * is joined (store views; a representative is compared with many). */
struct fpset {
	int read;
	size_t n;
	uint16_t v[NRI_DUP_EXACT];
};

static double similarity_cached(const struct nri_dupdocs *d, size_t i, struct fpset *fi, size_t j,
				struct fpset *fj)
{
	unsigned w;
	size_t l;

	if (d->sig)
		return nri_lsh_similarity(d, i, j);
	if (!fi->read) {
		nri_dupdocs_where(d, i, &w, &l);
		fi->n = nri_dupstore_fp(d->st[w], l, fi->v);
		fi->read = 1;
	}
	if (fi->n && !fj->read) {
		nri_dupdocs_where(d, j, &w, &l);
		fj->n = nri_dupstore_fp(d->st[w], l, fj->v);
		fj->read = 1;
	}
	if (fi->n && fj->n)
		return sorted_jaccard(fi->v, fi->n, fj->v, fj->n);
	return nri_minhash_similarity(d->mh, nri_dupdocs_sig(d, i), nri_dupdocs_sig(d, j));
}

static uint64_t join_band(const struct nri_dupdocs *d, const uint64_t *ent, size_t n,
			  double threshold, unsigned max_reps, uint32_t *root)
{
	uint32_t reps[64];
	struct fpset rf[64], mf;
	uint64_t nver = 0;
	size_t s = 0;

	while (s < n) {
		size_t e = s + 1;
		unsigned nr = 0;

		while (e < n && (ent[e] >> 32) == (ent[s] >> 32))
			e++;
		for (size_t x = s; x < e && e - s > 1; x++) {
			uint32_t m = (uint32_t)ent[x], rm = find(root, m);
			int joined = 0;

			mf.read = 0;
			for (unsigned q = 0; q < nr && !joined; q++)
				joined = find(root, reps[q]) == rm;
			for (unsigned q = 0; q < nr && !joined; q++) {
				nver++;
				if (similarity_cached(d, reps[q], &rf[q], m, &mf) >= threshold) {
					unite(root, reps[q], m);
					joined = 1;
				}
			}
			if (!joined && nr < max_reps) {
				rf[nr].read = 0;
				reps[nr++] = m;
			}
		}
		s = e;
	}
	return nver;
}

int nri_lsh_cluster(const struct nri_dupdocs *d, double threshold, unsigned max_reps,
		    uint32_t *root, uint64_t *verified)
{
	return nri_lsh_cluster_mt(d, threshold, max_reps, 1, root, verified);
}

int nri_lsh_cluster_mt(const struct nri_dupdocs *d, double threshold, unsigned max_reps,
		       unsigned threads, uint32_t *root, uint64_t *verified)
{
	struct lshctx c;
	struct crew w;
	uint64_t *v[BANDS_IN_FLIGHT] = {0}, nver = 0;
	unsigned bands = d->mh->bands;
	int rc;

	if (max_reps < 1)
		max_reps = 1;
	if (max_reps > 64)
		max_reps = 64;
	for (size_t i = 0; i < d->n; i++)
		root[i] = (uint32_t)i;
	if (verified)
		*verified = 0;
	if (!d->n || !bands)
		return NR_OK;
	rc = crew_start(&w, &c, d, threads);
	for (unsigned k = 0; !rc && c.n && k < BANDS_IN_FLIGHT && k < bands; k++)
		if (!(v[k] = nri_malloc(c.n * sizeof(*v[k]))))
			rc = NR_ENOMEM;
	for (unsigned b0 = 0; !rc && c.n && b0 < bands; b0 += BANDS_IN_FLIGHT) {
		unsigned nb = bands - b0 < BANDS_IN_FLIGHT ? bands - b0 : BANDS_IN_FLIGHT;

		band_entries(&w, b0, nb, v);
		for (unsigned k = 0; k < nb; k++)
			nver += join_band(d, v[k], c.n, threshold, max_reps, root);
	}
	crew_stop(&w, &c);
	for (unsigned k = 0; k < BANDS_IN_FLIGHT; k++)
		nri_free(v[k]);
	if (rc)
		return rc;
	for (size_t i = 0; i < d->n; i++)
		root[i] = find(root, (uint32_t)i);
	if (verified)
		*verified = nver;
	return NR_OK;
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
	struct lshctx c;
	struct crew w;
	uint64_t *v = NULL;
	struct pairset ps = {0};
	int rc, stop = 0;

	*candidates = 0;
	if (!d->n || !d->mh->bands)
		return NR_OK;
	rc = crew_start(&w, &c, d, 1);
	if (!rc && c.n && !(v = nri_malloc(c.n * sizeof(*v))))
		rc = NR_ENOMEM;
	for (unsigned b = 0; !rc && c.n && b < d->mh->bands && !stop; b++) {
		size_t n = c.n, s = 0;

		band_entries(&w, b, 1, &v);
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
	crew_stop(&w, &c);
	nri_free(ps.v);
	nri_free(v);
	return rc;
}
