/*
 * strmap.c - open addressing with linear probing; keys live in blocks that
 * double from 256 bytes to 64 KB, so that a map of a million words costs a
 * few allocations, not a million, and a map of three keys a few hundred
 * bytes.
 */
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "strmap.h"

#define BLOCK_FIRST 256	  /* a map of a few keys (a group's platforms) stays small */
#define BLOCK_MAX   65536 /* blocks double up to this */

struct block {
	struct block *next;
	char data[];
};

/* 64-bit FNV-1a on 8-byte words with a final avalanche (from MurmurHash3's
 * fmix64): fast on short keys, good enough spread for linear probing. */
uint64_t nri_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ len;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h ? h : 1;
}

void nri_strmap_init(struct nri_strmap *m, size_t max_count)
{
	memset(m, 0, sizeof(*m));
	m->max_count = max_count;
}

void nri_strmap_release(struct nri_strmap *m)
{
	struct block *b = m->blocks;

	while (b) {
		struct block *next = b->next;

		nri_free(b);
		b = next;
	}
	nri_free(m->slots);
	memset(m, 0, sizeof(*m));
}

struct nri_strmap_slot *nri_strmap_get(const struct nri_strmap *m, const char *key, size_t len)
{
	uint64_t h;
	size_t i, mask;

	if (!m->nslots)
		return NULL;
	h = nri_hash(key, len);
	mask = m->nslots - 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		struct nri_strmap_slot *s = &m->slots[i];

		if (!s->hash)
			return NULL;
		if (s->hash == h && s->len == len && !memcmp(s->key, key, len))
			return s;
	}
}

static int rehash(struct nri_strmap *m, size_t nslots)
{
	struct nri_strmap_slot *ns = nri_calloc(nslots, sizeof(*ns));
	size_t i, mask = nslots - 1;

	if (!ns)
		return NR_ENOMEM;
	for (i = 0; i < m->nslots; i++) {
		struct nri_strmap_slot *s = &m->slots[i];
		size_t j;

		if (!s->hash)
			continue;
		for (j = s->hash & mask; ns[j].hash; j = (j + 1) & mask)
			;
		ns[j] = *s;
	}
	nri_free(m->slots);
	m->slots = ns;
	m->nslots = nslots;
	return NR_OK;
}

static const char *store_key(struct nri_strmap *m, const char *key, size_t len)
{
	struct block *b = m->blocks;
	char *p;

	if (!b || m->block_size - m->block_used < len + 1) {
		size_t size = !b			  ? BLOCK_FIRST
			      : m->block_size < BLOCK_MAX ? m->block_size * 2
							  : BLOCK_MAX;

		if (size < len + 1)
			size = len + 1;

		b = nri_malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = m->blocks;
		m->blocks = b;
		m->block_size = size;
		m->block_used = 0;
	}
	p = b->data + m->block_used;
	if (len)
		memcpy(p, key, len);
	p[len] = '\0';
	m->block_used += len + 1;
	return p;
}

int nri_strmap_put(struct nri_strmap *m, const char *key, size_t len, struct nri_strmap_slot **slot,
		   int *added)
{
	struct nri_strmap_slot *s = nri_strmap_get(m, key, len);
	uint64_t h;
	size_t i, mask;
	const char *k;
	int rc;

	if (added)
		*added = 0;
	if (s) {
		*slot = s;
		return NR_OK;
	}
	if (m->max_count && m->count >= m->max_count)
		return NR_ELIMIT;
	if ((m->count + 1) * 4 > m->nslots * 3) {
		rc = rehash(m, m->nslots ? m->nslots * 2 : 64);
		if (rc)
			return rc;
	}
	k = store_key(m, key, len);
	if (!k)
		return NR_ENOMEM;
	h = nri_hash(key, len);
	mask = m->nslots - 1;
	for (i = h & mask; m->slots[i].hash; i = (i + 1) & mask)
		;
	s = &m->slots[i];
	s->hash = h;
	s->key = k;
	s->len = len;
	s->value = 0;
	m->count++;
	*slot = s;
	if (added)
		*added = 1;
	return NR_OK;
}
