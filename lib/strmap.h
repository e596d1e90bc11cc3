/*
 * strmap.h - an open-addressing hash map from byte strings to a pointer-sized
 * value, keys copied into the map's own storage.  Used for stem caches,
 * stopword sets, vocabularies.  Caller-held: nri_strmap_init/_release.
 */
#ifndef NR_STRMAP_H
#define NR_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct nri_strmap_slot {
	uint64_t hash;	 /* 0: empty */
	const char *key; /* owned by the map */
	size_t len;
	uintptr_t value;
};

struct nri_strmap {
	struct nri_strmap_slot *slots;
	size_t nslots; /* power of two */
	size_t count;
	size_t max_count; /* NR_ELIMIT past this; 0 means no cap */
	/* key storage: a chain of blocks, freed on release */
	void *blocks;
	size_t block_used, block_size;
};

/* A 64-bit hash of s[0..len); never 0. */
uint64_t nri_hash(const char *s, size_t len);

void nri_strmap_init(struct nri_strmap *m, size_t max_count);
void nri_strmap_release(struct nri_strmap *m);
/* Look up; returns the slot or NULL.  Borrowed until the next insert. */
struct nri_strmap_slot *nri_strmap_get(const struct nri_strmap *m, const char *key, size_t len);
/* Find or insert key (value 0 when new); *slot is borrowed until the next
 * insert; *added (if not NULL) tells if it was new.  NR_OK, NR_ENOMEM,
 * NR_ELIMIT. */
int nri_strmap_put(struct nri_strmap *m, const char *key, size_t len, struct nri_strmap_slot **slot,
		   int *added);

#endif
