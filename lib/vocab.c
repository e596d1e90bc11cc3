/*
 * vocab.c - interned strings and per-id counters (see vocab.h).
 */
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "radix.h"
#include "strmap.h"
#include "vocab.h"

void nri_vocab_init(struct nri_vocab *v, size_t max_n)
{
	memset(v, 0, sizeof(*v));
	v->max_n = max_n ? max_n : (size_t)UINT32_MAX - 1;
	nri_buf_init(&v->arena, (size_t)1 << 40);
}

void nri_vocab_release(struct nri_vocab *v)
{
	nri_free(v->slots);
	nri_free(v->off);
	nri_free(v->len);
	nri_free(v->hash);
	nri_buf_release(&v->arena);
	memset(v, 0, sizeof(*v));
}

static int vocab_rehash(struct nri_vocab *v)
{
	size_t ncap = v->nslots ? v->nslots * 2 : 1024;
	struct nri_vocab_slot *ns = nri_calloc(ncap, sizeof(*ns));

	if (!ns)
		return NR_ENOMEM;
	for (size_t i = 0; i < v->nslots; i++) {
		size_t j;

		if (!v->slots[i].hash)
			continue;
		j = (size_t)v->slots[i].hash & (ncap - 1);
		while (ns[j].hash)
			j = (j + 1) & (ncap - 1);
		ns[j] = v->slots[i];
	}
	nri_free(v->slots);
	v->slots = ns;
	v->nslots = ncap;
	return NR_OK;
}

static int vocab_grow_ids(struct nri_vocab *v)
{
	size_t ncap = v->cap ? v->cap * 2 : 1024;
	uint64_t *noff = nri_realloc(v->off, ncap * sizeof(*noff));
	uint32_t *nlen;
	uint64_t *nhash;

	if (!noff)
		return NR_ENOMEM;
	v->off = noff;
	nlen = nri_realloc(v->len, ncap * sizeof(*nlen));
	if (!nlen)
		return NR_ENOMEM;
	v->len = nlen;
	nhash = nri_realloc(v->hash, ncap * sizeof(*nhash));
	if (!nhash)
		return NR_ENOMEM;
	v->hash = nhash;
	v->cap = ncap;
	return NR_OK;
}

int nri_vocab_intern(struct nri_vocab *v, const char *s, size_t len, uint32_t *id, uint64_t *hash)
{
	uint64_t h = nri_hash(s, len);

	if (hash)
		*hash = h;
	return nri_vocab_intern_hashed(v, s, len, h, id);
}

int nri_vocab_intern_hashed(struct nri_vocab *v, const char *s, size_t len, uint64_t h,
			    uint32_t *id)
{
	struct nri_vocab_slot *x;
	size_t j;
	int rc;

	if (len > UINT32_MAX)
		return NR_ELIMIT;
	if ((v->n + 1) * 2 > v->nslots && (rc = vocab_rehash(v)))
		return rc;
	j = (size_t)h & (v->nslots - 1);
	for (;; j = (j + 1) & (v->nslots - 1)) {
		x = &v->slots[j];
		if (!x->hash)
			break;
		if (x->hash != h || x->len != len)
			continue;
		if (len <= NRI_VOCAB_INLINE ? !memcmp(x->key, s, len)
					    : !memcmp(v->arena.data + v->off[x->id], s, len)) {
			*id = x->id;
			return NR_OK;
		}
	}
	if (v->n >= v->max_n)
		return NR_ELIMIT;
	if (v->n == v->cap && (rc = vocab_grow_ids(v)))
		return rc;
	v->off[v->n] = v->arena.len;
	if ((rc = nri_buf_add(&v->arena, s, len)))
		return rc;
	v->len[v->n] = (uint32_t)len;
	v->hash[v->n] = h;
	x->hash = h;
	x->id = (uint32_t)v->n;
	x->len = (uint32_t)len;
	if (len <= NRI_VOCAB_INLINE)
		memcpy(x->key, s, len);
	*id = (uint32_t)v->n++;
	return NR_OK;
}

void nri_idcount_init(struct nri_idcount *t)
{
	memset(t, 0, sizeof(*t));
}

void nri_idcount_release(struct nri_idcount *t)
{
	nri_free(t->slots);
	memset(t, 0, sizeof(*t));
}

static int idcount_rehash(struct nri_idcount *t)
{
	size_t ncap = t->nslots ? t->nslots * 2 : 256;
	struct nri_idcount_slot *ns = nri_calloc(ncap, sizeof(*ns));

	if (!ns)
		return NR_ENOMEM;
	for (size_t i = 0; i < t->nslots; i++) {
		size_t j;

		if (!t->slots[i].id1)
			continue;
		j = nri_idcount_slot(t->slots[i].id1 - 1, ncap - 1);
		while (ns[j].id1)
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slots[i];
	}
	nri_free(t->slots);
	t->slots = ns;
	t->nslots = ncap;
	return NR_OK;
}

int nri_idcount_add(struct nri_idcount *t, uint32_t id, uint64_t a, uint64_t b)
{
	size_t j;

	if ((t->n + 1) * 4 > t->nslots * 3) {
		int rc = idcount_rehash(t);

		if (rc)
			return rc;
	}
	j = nri_idcount_slot(id, t->nslots - 1);
	while (t->slots[j].id1 && t->slots[j].id1 != id + 1)
		j = (j + 1) & (t->nslots - 1);
	if (!t->slots[j].id1) {
		t->slots[j].id1 = id + 1;
		t->n++;
	}
	t->slots[j].c[0] += a;
	t->slots[j].c[1] += b;
	return NR_OK;
}

void nri_termcount_init(struct nri_termcount *t, uint32_t ceiling)
{
	memset(t, 0, sizeof(*t));
	t->ceiling = ceiling ? ceiling : UINT32_MAX;
}

void nri_termcount_release(struct nri_termcount *t)
{
	nri_free(t->dense);
	nri_idcount_release(&t->table);
	memset(t, 0, sizeof(*t));
}

/* Cover ids below need (at most dense_ids) with the row, within the
 * budget; 0 when it cannot (the table takes the id). */
static int termcount_grow(struct nri_termcount *t, size_t need, size_t dense_ids, size_t *budget)
{
	size_t n = t->ndense ? t->ndense : 1024, more;
	uint32_t *nd;

	while (n < need)
		n *= 2;
	if (n > dense_ids)
		n = dense_ids;
	more = (n - t->ndense) * 2 * sizeof(*nd);
	if (n < need || more > *budget)
		return 0;
	nd = nri_realloc(t->dense, n * 2 * sizeof(*nd));
	if (!nd)
		return 0; /* not an error: the table takes the counts */
	memset(nd + 2 * t->ndense, 0, more);
	*budget -= more;
	t->dense = nd;
	t->ndense = n;
	return 1;
}

int nri_termcount_add(struct nri_termcount *t, uint32_t id, unsigned content, size_t dense_ids,
		      size_t *budget)
{
	if (id < t->ndense ||
	    (id < dense_ids && termcount_grow(t, (size_t)id + 1, dense_ids, budget))) {
		uint32_t *x = t->dense + 2 * (size_t)id;

		if (x[0] >= t->ceiling) {
			int rc = nri_idcount_add(&t->table, id, x[0], x[1]);

			if (rc)
				return rc;
			x[0] = x[1] = 0;
		}
		x[0]++;
		x[1] += content;
		return NR_OK;
	}
	return nri_idcount_add(&t->table, id, 1, content);
}

size_t nri_termcount_entries(const struct nri_termcount *t)
{
	size_t n = t->table.n;

	for (size_t id = 0; id < t->ndense; id++)
		n += t->dense[2 * id] != 0;
	return n;
}

/* Why a radix sort on (new name << 32 | where): renaming scatters the
 * ids, and a comparison sort of every group's terms was most of the merge
 * at the end of analyze; the names are below 2^key_bits, a few passes. */
int nri_termcount_sorted(const struct nri_termcount *t, const uint32_t *map, unsigned key_bits,
			 uint32_t **idsp, struct nri_term_count **countsp, size_t *n)
{
	const struct nri_idcount_slot *sl = t->table.slots;
	size_t cap = nri_termcount_entries(t), k = 0, m = 0;
	uint64_t *v, *tmp;
	uint32_t *ids;
	struct nri_term_count *counts;

	*n = 0;
	*idsp = NULL;
	*countsp = NULL;
	/* where: an id of the row, or ndense + a slot of the table */
	if (t->ndense + t->table.nslots > UINT32_MAX)
		return NR_ELIMIT;
	v = nri_malloc((cap ? cap : 1) * sizeof(*v));
	tmp = nri_malloc((cap ? cap : 1) * sizeof(*tmp));
	ids = nri_malloc((cap ? cap : 1) * sizeof(*ids));
	counts = nri_malloc((cap ? cap : 1) * sizeof(*counts));
	if (!v || !tmp || !ids || !counts) {
		nri_free(v);
		nri_free(tmp);
		nri_free(ids);
		nri_free(counts);
		return NR_ENOMEM;
	}
	for (size_t id = 0; id < t->ndense; id++)
		if (t->dense[2 * id])
			v[k++] = (uint64_t)map[id] << 32 | id;
	for (size_t s = 0; s < t->table.nslots; s++)
		if (sl[s].id1)
			v[k++] = (uint64_t)map[sl[s].id1 - 1] << 32 | (t->ndense + s);
	nri_radix_hi32(v, tmp, k, key_bits);
	for (size_t i = 0; i < k; i++) {
		uint32_t name = (uint32_t)(v[i] >> 32), p = (uint32_t)v[i];
		uint64_t total, content;

		if (p < t->ndense) {
			total = t->dense[2 * (size_t)p];
			content = t->dense[2 * (size_t)p + 1];
		} else {
			total = sl[p - t->ndense].c[0];
			content = sl[p - t->ndense].c[1];
		}
		if (m && ids[m - 1] == name) {
			counts[m - 1].total += total;
			counts[m - 1].content += content;
			continue;
		}
		ids[m] = name;
		counts[m].total = total;
		counts[m].content = content;
		m++;
	}
	*n = m;
	*idsp = ids;
	*countsp = counts;
	nri_free(v);
	nri_free(tmp);
	return NR_OK;
}
