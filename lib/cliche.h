/*
 * cliche.h - cliche and template mining: n-grams of units (after city
 * masking) counted per group, with a deterministic memory bound
 * (docs/homogeneity.md).
 *
 * The table holds (n-gram, group) -> documents.  When it would exceed its
 * cap it keeps only n-grams whose hash has `level` leading zero bits
 * (level + 1 halves the n-gram types kept: Gibbons' distinct sampling), so
 * memory is bounded and the kept counts are exact.  The level reached
 * depends only on the set of n-grams, not on how documents were split
 * between workers, so the result is the same whatever the thread count.
 */
#ifndef NR_CLICHE_H
#define NR_CLICHE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "minhash.h"

/* Separates the units of an n-gram's text. */
#define NRI_CLICHE_SEP		 '\x1f'
#define NRI_CLICHE_DEFAULT_WORDS 4
#define NRI_CLICHE_DEFAULT_CHARS 4
#define NRI_CLICHE_DEFAULT_PAIRS ((size_t)1 << 19)

/* One (n-gram, group) count: 16 bytes, four to a cache line, so that a
 * probe of the table touches one line.  Its text is in a parallel array,
 * read only when the entry is created or moved. */
struct nri_cliche_entry {
	uint64_t h; /* 0: empty slot */
	uint32_t g; /* group */
	uint32_t docs;
};

struct nri_cliche {
	unsigned word_n, char_n;
	size_t max_pairs;
	unsigned level;
	struct nri_cliche_entry *e; /* open addressing, linear probing */
	uint64_t *text;		    /* per slot: arena offset << 16 | length */
	size_t cap, capmax, en;	    /* slots (a power of two), its final size, entries */
	size_t lz[65];		    /* entries by their hash's leading zero bits */
	struct nri_buf arena;	    /* n-gram texts, units separated by 0x1F */
	uint64_t *dh;		    /* per document: its distinct kept n-grams... */
	uint32_t *dp;		    /* ...their first positions... */
	uint32_t *set;		    /* ...and a hash set of them (index + 1) */
	size_t dcap, setcap;
	struct nri_buf join; /* per document: its units joined by 0x1F... */
	size_t *joff;	     /* ...each unit's offset there */
	size_t jcap;
};

/* One mined cliche (caller-owned array from nri_cliche_finish).  The
 * groups using it are exact even when the table samples: an n-gram is
 * kept or dropped with all its (n-gram, group) entries. */
struct nri_cliche_item {
	char *text;			/* rendered: words spaced, CJK characters joined */
	uint32_t cities, docs, example; /* example: the group using it most */
	uint32_t units;
	uint32_t *groups; /* the `cities` groups using it, ascending */
};

void nri_cliche_init(struct nri_cliche *c, unsigned word_n, unsigned char_n, size_t max_pairs);
void nri_cliche_release(struct nri_cliche *c);

/* Count the distinct n-grams of one document's units for each of its
 * groups.  Word mode: word n-grams, skipping n-grams made only of
 * stopwords; character mode: character n-grams; in both, an n-gram of one
 * unit repeated is skipped.  The city placeholder counts as content.
 * A document shorter than n adds nothing.  NR_OK, NR_ENOMEM. */
int nri_cliche_add(struct nri_cliche *c, const struct nri_units *u, const uint32_t *groups,
		   size_t ngroups);

/* Fold src into dst, mapping src's group g to gmap[g]; src is left as is.
 * NR_OK, NR_ENOMEM. */
int nri_cliche_merge(struct nri_cliche *dst, const struct nri_cliche *src, const uint32_t *gmap);

/* The same, using src up: into an empty dst (the first worker's table
 * going into the merged one) src's table and texts move, regrouped in
 * place, instead of being copied; otherwise as nri_cliche_merge.  src is
 * released in any case.  NR_OK, NR_ENOMEM. */
int nri_cliche_merge_move(struct nri_cliche *dst, struct nri_cliche *src, const uint32_t *gmap);

/* The result over ngroups groups, using the table up (its memory goes
 * early; c can then only be released): an n-gram used by at least
 * min_cities groups is a cliche.  total[g] gets the group's n-gram occurrences (each
 * n-gram once per document), cliche[g] those that are cliches.  *items
 * gets the cliches, overlapping n-grams of one longer phrase merged (same
 * cities, documents within 10%), sorted by cities, then documents (both
 * descending), then text; at most max_items; each with the groups using
 * it (those of its first n-gram, as its counts).  Free with
 * nri_cliche_items_free.  NR_OK, NR_ENOMEM. */
int nri_cliche_finish(struct nri_cliche *c, size_t ngroups, unsigned min_cities, uint64_t *total,
		      uint64_t *cliche, struct nri_cliche_item **items, size_t *nitems,
		      size_t max_items);
void nri_cliche_items_free(struct nri_cliche_item *items, size_t n);

#endif
