/*
 * vocab.h - a worker's vocabulary: byte strings interned to dense ids, and
 * tables that count per id.
 *
 * The analysis hot path sees every word token once per group it counts
 * for.  Looking the word up once in the worker's vocabulary (one hash, one
 * probe that usually compares the key inside the slot itself) and then
 * counting by integer id keeps the per-group work to an integer probe with
 * no string compare.  Strings come back out only when the worker's groups
 * are merged at the end.
 */
#ifndef NR_VOCAB_H
#define NR_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Keys this long or shorter live in the slot: most words. */
#define NRI_VOCAB_INLINE 16

struct nri_vocab_slot {
	uint64_t hash; /* nri_hash of the key; 0: empty */
	uint32_t id;
	uint32_t len;
	char key[NRI_VOCAB_INLINE]; /* the key when len <= NRI_VOCAB_INLINE */
};

struct nri_vocab {
	struct nri_vocab_slot *slots;
	size_t nslots;	/* power of two */
	size_t n;	/* ids 0..n-1 */
	size_t max_n;	/* NR_ELIMIT past this */
	uint64_t *off;	/* per id: key offset in arena */
	uint32_t *len;	/* per id: key length */
	uint64_t *hash; /* per id: nri_hash of the key */
	size_t cap;
	struct nri_buf arena;
};

void nri_vocab_init(struct nri_vocab *v, size_t max_n);
void nri_vocab_release(struct nri_vocab *v);

/* The id of s[0..len), added when new; *hash (if not NULL) gets its
 * nri_hash.  NR_OK, NR_ENOMEM, NR_ELIMIT. */
int nri_vocab_intern(struct nri_vocab *v, const char *s, size_t len, uint32_t *id, uint64_t *hash);

/* As nri_vocab_intern, with h = nri_hash(s, len) already computed. */
int nri_vocab_intern_hashed(struct nri_vocab *v, const char *s, size_t len, uint64_t h,
			    uint32_t *id);

/* Start loading the slot a key of hash h is probed at: a document's words
 * are hashed and prefetched first, then interned, so the cache misses of
 * a large vocabulary overlap instead of following one another. */
static inline void nri_vocab_prefetch(const struct nri_vocab *v, uint64_t h)
{
	if (v->nslots)
		__builtin_prefetch(&v->slots[(size_t)h & (v->nslots - 1)]);
}

/* The string of an id (not NUL-terminated). */
static inline const char *nri_vocab_str(const struct nri_vocab *v, uint32_t id, size_t *len)
{
	*len = v->len[id];
	return v->arena.data + v->off[id];
}

/* Two counters per id, in an open-addressing table keyed by id. */
struct nri_idcount_slot {
	uint32_t id1; /* id + 1; 0: empty */
	uint32_t pad;
	uint64_t c[2];
};

struct nri_idcount {
	struct nri_idcount_slot *slots;
	size_t nslots, n;
};

void nri_idcount_init(struct nri_idcount *t);
void nri_idcount_release(struct nri_idcount *t);

/* Add a to counter 0 and b to counter 1 of id.  NR_OK, NR_ENOMEM. */
int nri_idcount_add(struct nri_idcount *t, uint32_t id, uint64_t a, uint64_t b);

/*
 * Word counts of one group: two counters (total, content) per id.  Most
 * tokens are among the first words a worker met (the frequent ones come
 * first), and ids below a limit count in a dense row of two 32-bit
 * counters: a quarter of the hash table's bytes, so the row mostly sits in
 * cache, and no probing.  The rest, and a counter that reaches `ceiling`,
 * go to a table of 64-bit counters.  A budget shared by the rows of a
 * worker caps their memory; past it, ids go to the table.
 */
struct nri_termcount {
	uint32_t *dense; /* total, content of ids < ndense */
	size_t ndense;
	uint32_t ceiling; /* a dense total spills to the table here */
	struct nri_idcount table;
};

/* ceiling 0: UINT32_MAX (tests set a small one to reach the spill). */
void nri_termcount_init(struct nri_termcount *t, uint32_t ceiling);
void nri_termcount_release(struct nri_termcount *t);

/* Count one token of id (content 0 or 1).  dense_ids caps the row's ids;
 * *budget (bytes left for rows, shared) is charged when the row grows.
 * NR_OK, NR_ENOMEM. */
int nri_termcount_add(struct nri_termcount *t, uint32_t id, unsigned content, size_t dense_ids,
		      size_t *budget);

/* A term's two counters. */
struct nri_term_count {
	uint64_t total;
	uint64_t content;
};

/* How many entries the row and the table hold: at least as many as the
 * distinct ids counted (an id whose dense counter spilled is in both). */
size_t nri_termcount_entries(const struct nri_termcount *t);

/* Every id counted, renamed by map (map[id]: distinct values below
 * 2^key_bits), in ascending order of the new names: (*ids)[i] and
 * (*counts)[i] for i < *n, two new arrays (nri_free them).  A row counter
 * and a table entry of the same id are summed.  NR_OK, NR_ENOMEM,
 * NR_ELIMIT (then *ids and *counts are NULL). */
int nri_termcount_sorted(const struct nri_termcount *t, const uint32_t *map, unsigned key_bits,
			 uint32_t **ids, struct nri_term_count **counts, size_t *n);

/* The slot id starts its probe at (Fibonacci hashing: consecutive ids, a
 * document's new words, spread over the table). */
static inline size_t nri_idcount_slot(uint32_t id, size_t mask)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}

#endif
