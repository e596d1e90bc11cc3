/*
 * matcher.c - one trie for all entries of all lexicons of a matcher.
 *
 * A document is turned into a stream of symbols: a whole normalised word
 * of a spaced script is one symbol (its id in the matcher's vocabulary),
 * and each character of a script written without spaces is one symbol (its
 * code point).  Entries are paths in a trie over these symbols, so the cost
 * of matching is one vocabulary lookup per word plus one transition lookup
 * per step, whatever the number of entries (20,000 entries cost what 100
 * do, apart from cache misses).  Prefix wildcards hang a byte trie off the
 * node where their last word starts.  Transitions live in one open-
 * addressing hash keyed by (node, symbol).
 *
 * Overlaps are resolved per lexicon, so a city and a topic can cover the
 * same words: longest (in symbols) first, then leftmost, then the more
 * specific (exact over wildcard, longer prefix first), then the lowest
 * entry index.
 *
 * Speed: a word's symbol and its hits in the root's wildcard trie come
 * from a word cache keyed by its bytes (struct wcent); whole-word,
 * punctuation and Han tokens become symbols without nri_lex_pieces; when
 * every language is on, what a node adds and reports per lexicon was
 * listed at compilation (struct grp).  nri_matcher_set_slow turns all of
 * this off: test_matcher_fast checks both ways give the same hits.
 */
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "lexicon.h"
#include "matcher.h"
#include "strmap.h"
#include "utf8.h"

#define SYM_WORD       0x200000u   /* word ids start here; below: code points */
#define SYM_UNKNOWN    0xFFFFFFFFu /* a word no entry uses */
#define SYM_BYTE       0xFF000000u /* byte edges of wildcard tries */
#define SPEC_EXACT     0x7FFFFFFF
#define MAX_NODES      ((size_t)1 << 30)
#define MAX_CANDIDATES ((size_t)1 << 26)
#define OUT_NEGATOR    0x80000000u

struct node {
	uint64_t kidmask; /* bit kidbit(sym) set for each child's symbol: most
			     failed steps stop here without the hash */
	uint32_t out_first, out_count;
	uint32_t wild;	    /* root of the wildcard byte trie, 0: none */
	uint32_t depth;	    /* in a byte trie: prefix length in bytes, bit 31:
			       some output is a blocking entry */
	uint32_t grp, ngrp; /* its outputs per lexicon: m->grps[grp..+ngrp) */
};

/* What emit copies into a hit of a struct grp's list. */
struct tmpl {
	const char *entity_id;
	double weight;
	uint32_t entry;
	int category, entity, neg;
};

/* The outputs of a node in one lexicon, as they act when every language
 * of every lexicon is enabled (a document of no given language, what
 * analyze matches): the candidate add_cands would add (first entry), the
 * negator it would note, and the outputs emit would report, worked out
 * once at compilation. */
struct grp {
	uint32_t lex;
	uint32_t first;	      /* lowest entry index; UINT32_MAX: none */
	uint32_t emit, nemit; /* outputs to report: m->gemit[emit..+nemit) */
	unsigned char neg;    /* a negator of the lexicon ends here */
};

#define NODE_BLOCKING 0x80000000u

/* The children of wildcard byte-trie nodes, copied out of the hash after
 * compilation into runs sorted by byte: a word walks a prefix trie with a
 * few compares per byte instead of a hash lookup (a cache miss) per byte. */
struct bkid {
	uint32_t parent;
	uint32_t child;
	unsigned char byte;
};

struct out {
	uint32_t node;
	uint32_t lex;
	uint32_t entry; /* entry index, or OUT_NEGATOR | negator index */
	uint32_t dup;	/* DUP_* below */
};

/* An output with the same (category, entity) as an earlier one of its node
 * and lexicon adds no hit: always (the earlier one's language is "*" or
 * the same), or only when both languages are enabled (checked per call). */
#define DUP_NONE   0
#define DUP_ALWAYS 1
#define DUP_MAYBE  2

struct edge {
	uint64_t key; /* node << 32 | symbol */
	uint32_t val; /* the child */
};

struct sym {
	uint32_t id;
	uint32_t tok;
	size_t start, end;   /* original bytes */
	const char *wp;	     /* the word's bytes (wildcards), or NULL: */
	size_t wordlen;	     /* 0: a character */
	uint32_t word;	     /* a folded copy at m->words.data + word */
	uint32_t wl;	     /* root wildcard hits: m->wl[wl..] */
	uint32_t info;	     /* INFO_* below */
	unsigned char brk;   /* cannot continue a match from the previous */
	unsigned char punct; /* a punctuation symbol: ends negation scope */
};

/* sym.info: the elision and possessive marks around a word (bytes,
 * word_affixes), then how many root wildcard hits the whole word has (na)
 * and how many the word after its elision (nb); na = nb = 255: too many to
 * list, scan walks the trie itself. */
#define INFO_FRONT(i) ((i)&0xFFu)
#define INFO_NA(i)    (((i) >> 16) & 0xFFu)
#define INFO_NB(i)    ((i) >> 24)
#define INFO_WALK     0xFFFF0000u

/* The word cache: what a word piece's bytes decide (its vocabulary id,
 * clitics, and the nodes with outputs its bytes reach in the root's
 * wildcard trie) is a pure function of the bytes, worked out once and kept
 * in a table of one cache line an entry, two ways a set (a new word
 * goes first, the one it displaces second).  Running text repeats few
 * words (Zipf), so most pieces cost one hash, one line and one compare
 * instead of a filter, a hash map probe, a clitic scan and a byte walk. */
#ifndef WC_BITS
#define WC_BITS 15
#endif
#define WC_KEY	35 /* longer words are never cached */
#define WC_WILD 3  /* root wildcard hits an entry holds */
/* The set of a word of hash h: two entries from an even index. */
#define WC_SET(m, h) (&(m)->wcache[((h) >> (64 - WC_BITS)) & ~(uint64_t)1])
/* Tokens ahead whose cache set build_syms fetches (see there). */
#define WC_AHEAD 8

struct wcent {
	uint64_t tag; /* whash's *tag */
	uint32_t id, info;
	uint32_t wild[WC_WILD];
	unsigned char len; /* 0: empty */
	char key[WC_KEY];  /* when len > 8 */
};

struct cand {
	uint32_t lex;
	uint32_t start, end; /* symbols [start, end) */
	uint32_t spec;
	uint32_t node;
	uint32_t first; /* lowest enabled entry index */
	uint32_t sel;	/* won its span (resolve) */
	uint32_t grp;	/* its struct grp when every language is on, else
			   UINT32_MAX */
};

struct neg {
	uint32_t lex;
	uint32_t start, end;
};

struct nr_matcher {
	const struct nri_lexdata **lex;
	size_t nlex;
	struct nri_strmap vocab;
	struct node *nodes;
	size_t nnodes, cap_nodes;
	struct edge *edges; /* open addressing; val 0: empty slot (no edge
			       leads to the root) */
	size_t tcap, tcount;
	struct bkid *bkids; /* sorted by parent, then byte */
	size_t nbkids;
	uint32_t *bfirst;
	uint32_t wroot[256]; /* children of the root's wildcard trie */ /* per node: first index in
									   bkids, or -1 */
	uint32_t w2row[256]; /* per child of the root's wildcard trie (by byte):
				its row of 256 children in w2 */
	uint32_t *w2;
	uint32_t *root_word;	/* children of the root by word id */
	uint64_t vfilter[1024]; /* see vbit */
	uint32_t *root_cp;	/* ... by code point below 0x10000 */
	size_t nroot_word;
	struct out *outs;
	size_t nouts, cap_outs;
	struct grp *grps;
	size_t ngrps;
	uint32_t *gemit;
	struct tmpl *tmpl; /* per gemit entry */
	int all_on;	   /* every (lexicon, language) enabled for this call */
	/* per-call scratch */
	struct sym *syms;
	size_t nsyms, cap_syms;
	struct cand *cands;
	size_t ncands, cap_cands;
	struct neg *negs;
	size_t nnegs, cap_negs;
	struct nr_match_hit *hits;
	size_t nhits, cap_hits;
	uint32_t *stamp;
	size_t cap_stamp;
	uint32_t *ord; /* candidate indices by lexicon (resolve) */
	size_t cap_ord;
	uint32_t *cover; /* per symbol: lexicons whose kept candidates cover it
			    (bit = lexicon index < 32) */
	size_t cap_cover;
	uint32_t *pref; /* prefix counts of barriers, 2 per symbol */
	size_t cap_pref;
	int have_pref;
	struct nri_buf words;
	uint32_t *wl; /* root wildcard hits of the symbols (struct sym) */
	size_t nwl, cap_wl;
	struct wcent *wcache; /* 1 << WC_BITS entries */
	int slow;	      /* nri_matcher_set_slow */
	char *fold;
	size_t foldcap;
	struct nri_buf htag;	/* a hashtag's pieces normalised (lexicon.c) */
	unsigned char *enabled; /* per (lexicon, language) for this call */
	size_t *lang_base;
	uint32_t *lex_end; /* per lexicon, for resolve */
	char lastlang[64];
	int have_lastlang;
	size_t last_candidates;
};

static int grow(void *arrp, size_t *cap, size_t n, size_t elsize, size_t max)
{
	void **arr = arrp;
	size_t ncap;
	void *p;

	if (n < *cap)
		return NR_OK;
	if (n >= max)
		return NR_ELIMIT;
	ncap = *cap ? *cap : 64;
	while (ncap <= n)
		ncap *= 2;
	if (ncap > max)
		ncap = max;
	p = nri_realloc(*arr, ncap * elsize);
	if (!p)
		return NR_ENOMEM;
	*arr = p;
	*cap = ncap;
	return NR_OK;
}

static inline uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

/* A 64K-bit filter over (length, first two and last byte) of the
 * vocabulary: most words of a text are no entry, and this answers "no"
 * for most of them from L1 cache, before any hashing. */
static inline uint32_t vbit(const char *p, size_t n)
{
	uint32_t h = (uint32_t)n * 0x9E3779B1u;

	h ^= (uint32_t)(unsigned char)p[0] * 0x85EBCA77u;
	h ^= (uint32_t)(unsigned char)p[n > 1] * 0xC2B2AE3Du;
	h ^= (uint32_t)(unsigned char)p[n - 1] * 0x27D4EB2Fu;
	return h >> 16;
}

static inline uint64_t kidbit(uint32_t sym)
{
	return (uint64_t)1 << ((sym * 0x9E3779B9u) >> 26);
}

static inline uint32_t step(const struct nr_matcher *m, uint32_t node, uint32_t sym)
{
	uint64_t key = ((uint64_t)node << 32) | sym;
	size_t mask = m->tcap - 1, i;

	if (!(m->nodes[node].kidmask & kidbit(sym)))
		return 0;

	for (i = mix(key) & mask;; i = (i + 1) & mask) {
		const struct edge *e = &m->edges[i];

		if (!e->val)
			return 0;
		if (e->key == key)
			return e->val;
	}
}

static inline uint32_t bstep(const struct nr_matcher *m, uint32_t node, unsigned char byte)
{
	uint32_t k;

	if (node == m->nodes[0].wild)
		return m->wroot[byte];
	k = m->bfirst[node];

	if (k == UINT32_MAX)
		return 0;
	for (; k < m->nbkids && m->bkids[k].parent == node; k++)
		if (m->bkids[k].byte >= byte) /* a run is sorted by byte */
			return m->bkids[k].byte == byte ? m->bkids[k].child : 0;
	return 0;
}

/* The first step of every path: a direct table instead of the hash. */
static inline uint32_t step_root(const struct nr_matcher *m, uint32_t sym)
{
	if (sym >= SYM_WORD && sym - SYM_WORD < m->nroot_word)
		return m->root_word[sym - SYM_WORD];
	if (sym < 0x10000)
		return m->root_cp[sym];
	return step(m, 0, sym);
}

static int new_node(struct nr_matcher *m, uint32_t *id)
{
	int rc = grow(&m->nodes, &m->cap_nodes, m->nnodes, sizeof(*m->nodes), MAX_NODES);

	if (rc)
		return rc;
	memset(&m->nodes[m->nnodes], 0, sizeof(*m->nodes));
	*id = (uint32_t)m->nnodes++;
	return NR_OK;
}

static int rehash(struct nr_matcher *m)
{
	size_t ncap = m->tcap ? m->tcap * 2 : 1024, i, j;
	struct edge *e = nri_calloc(ncap, sizeof(*e));

	if (!e)
		return NR_ENOMEM;
	for (i = 0; i < m->tcap; i++) {
		if (!m->edges[i].val)
			continue;
		for (j = mix(m->edges[i].key) & (ncap - 1); e[j].val; j = (j + 1) & (ncap - 1))
			;
		e[j] = m->edges[i];
	}
	nri_free(m->edges);
	m->edges = e;
	m->tcap = ncap;
	return NR_OK;
}

/* The child of node by sym, created when missing. */
static int child(struct nr_matcher *m, uint32_t node, uint32_t sym, uint32_t *out)
{
	uint64_t key = ((uint64_t)node << 32) | sym;
	size_t i;
	uint32_t c;
	int rc;

	if (m->tcap) {
		c = step(m, node, sym);
		if (c) {
			*out = c;
			return NR_OK;
		}
	}
	if ((m->tcount + 1) * 2 > m->tcap) {
		rc = rehash(m);
		if (rc)
			return rc;
	}
	rc = new_node(m, &c);
	if (rc)
		return rc;
	for (i = mix(key) & (m->tcap - 1); m->edges[i].val; i = (i + 1) & (m->tcap - 1))
		;
	m->edges[i].key = key;
	m->edges[i].val = c;
	m->nodes[node].kidmask |= kidbit(sym);
	m->tcount++;
	*out = c;
	return NR_OK;
}

/* Walk (creating) the path of a serialised key; a wildcard's last word
 * goes byte by byte into the wildcard trie of the node before it. */
static int insert(struct nr_matcher *m, const unsigned char *key, size_t len, int wildcard,
		  uint32_t *end)
{
	uint32_t node = 0;
	size_t i = 0;
	int rc;

	while (i < len) {
		unsigned char kind = key[i++];
		uint32_t sym;

		if (kind == NRI_PIECE_WORD) {
			size_t n = nri_lex_varint(key, len, &i);
			struct nri_strmap_slot *slot;
			int added;

			if (n > len - i)
				return NR_EINVAL;
			if (wildcard && i + n == len) {
				size_t b;

				if (!m->nodes[node].wild) {
					uint32_t w;

					rc = new_node(m, &w);
					if (rc)
						return rc;
					m->nodes[node].wild = w;
				}
				node = m->nodes[node].wild;
				for (b = 0; b < n; b++) {
					uint32_t c;

					rc = child(m, node, SYM_BYTE | key[i + b], &c);
					if (rc)
						return rc;
					m->nodes[c].depth = (uint32_t)(b + 1) |
							    (m->nodes[c].depth & NODE_BLOCKING);
					node = c;
				}
				i += n;
				break;
			}
			rc = nri_strmap_put(&m->vocab, (const char *)key + i, n, &slot, &added);
			if (rc)
				return rc;
			if (added)
				slot->value = m->vocab.count - 1;
			sym = SYM_WORD + (uint32_t)slot->value;
			i += n;
		} else {
			int32_t cp = nri_utf8_next((const char *)key, len, &i);

			if (cp < 0)
				return NR_EINVAL;
			sym = (uint32_t)cp;
		}
		rc = child(m, node, sym, &node);
		if (rc)
			return rc;
	}
	*end = node;
	return NR_OK;
}

static int add_out(struct nr_matcher *m, uint32_t node, uint32_t lex, uint32_t entry)
{
	int rc = grow(&m->outs, &m->cap_outs, m->nouts, sizeof(*m->outs), MAX_NODES);

	if (rc)
		return rc;
	m->outs[m->nouts].node = node;
	m->outs[m->nouts].lex = lex;
	m->outs[m->nouts].entry = entry;
	m->outs[m->nouts].dup = DUP_NONE;
	m->nouts++;
	return NR_OK;
}

static int cmp_out(const void *a, const void *b)
{
	const struct out *x = a, *y = b;

	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->lex != y->lex)
		return x->lex < y->lex ? -1 : 1;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return 0;
}

static int cmp_bkid(const void *a, const void *b)
{
	const struct bkid *x = a, *y = b;

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return (x->byte > y->byte) - (x->byte < y->byte);
}

/* The struct grp of every (node, lexicon) with outputs: emit's rules with
 * every language enabled (an enabled blocking entry silences its lexicon
 * at the node; an output with the (category, entity) of one reported
 * before adds nothing). */
static int build_grps(struct nr_matcher *m)
{
	size_t e, g = 0, a, b, k, ne = 0;

	for (e = 0; e < m->nouts; e++)
		if (!e || m->outs[e].node != m->outs[e - 1].node ||
		    m->outs[e].lex != m->outs[e - 1].lex)
			g++;
	m->grps = nri_calloc(g ? g : 1, sizeof(*m->grps));
	m->gemit = nri_malloc((m->nouts ? m->nouts : 1) * sizeof(*m->gemit));
	m->tmpl = nri_malloc((m->nouts ? m->nouts : 1) * sizeof(*m->tmpl));
	if (!m->grps || !m->gemit || !m->tmpl)
		return NR_ENOMEM;
	for (a = 0; a < m->nouts; a = b) {
		const struct out *ou = &m->outs[a];
		struct grp *G = &m->grps[m->ngrps];
		struct node *nd = &m->nodes[ou->node];
		const struct nri_lexdata *d = m->lex[ou->lex];
		int blocked = 0;

		for (b = a;
		     b < m->nouts && m->outs[b].node == ou->node && m->outs[b].lex == ou->lex; b++)
			if (!(m->outs[b].entry & OUT_NEGATOR) &&
			    d->entries[m->outs[b].entry].blocking)
				blocked = 1;
		if (!nd->ngrp)
			nd->grp = (uint32_t)m->ngrps;
		nd->ngrp++;
		G->lex = ou->lex;
		G->first = UINT32_MAX;
		G->emit = (uint32_t)ne;
		for (k = a; k < b; k++) {
			const struct out *o = &m->outs[k];
			const struct nri_lex_entry *en;
			size_t x;
			int dup = 0;

			if (o->entry & OUT_NEGATOR) {
				G->neg = 1;
				continue;
			}
			if (o->entry < G->first)
				G->first = o->entry;
			en = &d->entries[o->entry];
			if (blocked || o->dup == DUP_ALWAYS || en->blocking)
				continue;
			for (x = G->emit; o->dup == DUP_MAYBE && x < ne; x++) {
				const struct nri_lex_entry *ex =
					&d->entries[m->outs[m->gemit[x]].entry];

				if (ex->category == en->category && ex->entity == en->entity)
					dup = 1;
			}
			if (dup)
				continue;
			m->tmpl[ne].entity_id = en->entity >= 0 ? d->entities[en->entity].id : NULL;
			m->tmpl[ne].weight = en->weight;
			m->tmpl[ne].entry = o->entry;
			m->tmpl[ne].category = en->category;
			m->tmpl[ne].entity = en->entity;
			m->tmpl[ne].neg = en->neg;
			m->gemit[ne++] = (uint32_t)k;
		}
		G->nemit = (uint32_t)ne - G->emit;
		m->ngrps++;
	}
	return NR_OK;
}

void nr_matcher_free(struct nr_matcher *m)
{
	if (!m)
		return;
	nri_free(m->lex);
	nri_strmap_release(&m->vocab);
	nri_free(m->nodes);
	nri_free(m->edges);
	nri_free(m->bkids);
	nri_free(m->bfirst);
	nri_free(m->root_word);
	nri_free(m->w2);
	nri_free(m->root_cp);
	nri_free(m->outs);
	nri_free(m->grps);
	nri_free(m->gemit);
	nri_free(m->tmpl);
	nri_free(m->syms);
	nri_free(m->cands);
	nri_free(m->negs);
	nri_free(m->hits);
	nri_free(m->stamp);
	nri_free(m->ord);
	nri_free(m->cover);
	nri_free(m->pref);
	nri_buf_release(&m->words);
	nri_buf_release(&m->htag);
	nri_free(m->wl);
	nri_free(m->wcache);
	nri_free(m->fold);
	nri_free(m->enabled);
	nri_free(m->lang_base);
	nri_free(m->lex_end);
	nri_free(m);
}

/* The paths of a key with its elided articles split off and glued on
 * (nri_lex_elision_keys), with the same output: the tokenizer splits
 * l'aquila in French, Italian and Catalan text only, and an entry must
 * match both ways. */
static int insert_elided(struct nr_matcher *m, const unsigned char *key, size_t len, int wildcard,
			 uint32_t lex, uint32_t entry)
{
	struct nri_buf k[2];
	uint32_t node;
	int rc, i;

	if (!memchr(key, '\'', len))
		return NR_OK;
	nri_buf_init(&k[0], 0);
	nri_buf_init(&k[1], 0);
	rc = nri_lex_elision_keys(key, len, &k[0], &k[1]);
	for (i = 0; i < 2 && !rc; i++) {
		if (!k[i].len)
			continue;
		rc = insert(m, (const unsigned char *)k[i].data, k[i].len, wildcard, &node);
		if (!rc)
			rc = add_out(m, node, lex, entry);
	}
	nri_buf_release(&k[0]);
	nri_buf_release(&k[1]);
	return rc;
}

int nr_matcher_new(struct nr_matcher **out, const struct nr_lexicon *const *lexicons,
		   size_t nlexicons)
{
	struct nr_matcher *m;
	size_t l, e, nl = 0;
	uint32_t root;
	int rc;

	*out = NULL;
	if (!lexicons || !nlexicons || nlexicons > 65536)
		return NR_EINVAL;
	for (l = 0; l < nlexicons; l++)
		if (!nri_lexicon_data(lexicons[l]))
			return NR_EINVAL;
	m = nri_calloc(1, sizeof(*m));
	if (!m)
		return NR_ENOMEM;
	nri_strmap_init(&m->vocab, 0);
	nri_buf_init(&m->words, 0);
	nri_buf_init(&m->htag, 0);
	m->lex = nri_calloc(nlexicons, sizeof(*m->lex));
	m->lang_base = nri_calloc(nlexicons + 1, sizeof(*m->lang_base));
	m->lex_end = nri_calloc(nlexicons, sizeof(*m->lex_end));
	if (!m->lex || !m->lang_base || !m->lex_end) {
		rc = NR_ENOMEM;
		goto fail;
	}
	m->nlex = nlexicons;
	for (l = 0; l < nlexicons; l++) {
		m->lex[l] = nri_lexicon_data(lexicons[l]);
		m->lang_base[l] = nl;
		nl += m->lex[l]->nlangs;
	}
	m->lang_base[nlexicons] = nl;
	m->enabled = nri_calloc(nl ? nl : 1, 1);
	if (!m->enabled) {
		rc = NR_ENOMEM;
		goto fail;
	}
	rc = new_node(m, &root);
	if (rc)
		goto fail;
	for (l = 0; l < nlexicons; l++) {
		const struct nri_lexdata *d = m->lex[l];

		for (e = 0; e < d->nentries; e++) {
			const struct nri_lex_entry *en = &d->entries[e];
			uint32_t node;

			if (en->shadowed)
				continue;
			rc = insert(m, en->key, en->keylen, en->wildcard, &node);
			if (!rc)
				rc = add_out(m, node, (uint32_t)l, (uint32_t)e);
			if (!rc)
				rc = insert_elided(m, en->key, en->keylen, en->wildcard,
						   (uint32_t)l, (uint32_t)e);
			if (rc)
				goto fail;
		}
		for (e = 0; e < d->nnegators; e++) {
			uint32_t node;

			rc = insert(m, d->negators[e].key, d->negators[e].keylen, 0, &node);
			if (!rc)
				rc = add_out(m, node, (uint32_t)l, OUT_NEGATOR | (uint32_t)e);
			if (!rc)
				rc = insert_elided(m, d->negators[e].key, d->negators[e].keylen, 0,
						   (uint32_t)l, OUT_NEGATOR | (uint32_t)e);
			if (rc)
				goto fail;
		}
	}
	/* group outputs by node: node -> [out_first, out_first + out_count) */
	if (m->nouts)
		qsort(m->outs, m->nouts, sizeof(*m->outs), cmp_out);
	for (e = 0; e < m->nouts; e++) {
		struct out *ou = &m->outs[e];
		struct node *nd = &m->nodes[ou->node];
		const struct nri_lex_entry *en, *ep;
		size_t p;

		if (!nd->out_count)
			nd->out_first = (uint32_t)e;
		nd->out_count++;
		if (ou->entry & OUT_NEGATOR)
			continue;
		en = &m->lex[ou->lex]->entries[ou->entry];
		if (en->blocking)
			nd->depth |= NODE_BLOCKING;
		for (p = nd->out_first; p < e; p++) {
			if (m->outs[p].lex != ou->lex || (m->outs[p].entry & OUT_NEGATOR))
				continue;
			ep = &m->lex[ou->lex]->entries[m->outs[p].entry];
			if (ep->blocking || ep->category != en->category ||
			    ep->entity != en->entity)
				continue;
			if (ep->lang == 0 || ep->lang == en->lang) {
				ou->dup = DUP_ALWAYS;
				break;
			}
			ou->dup = DUP_MAYBE;
		}
	}
	rc = build_grps(m);
	if (rc)
		goto fail;
	if (!m->tcap) {
		rc = rehash(m);
		if (rc)
			goto fail;
	}
	for (e = 0; e < m->vocab.nslots; e++) {
		const struct nri_strmap_slot *vs = &m->vocab.slots[e];

		if (vs->hash && vs->len) {
			uint32_t b = vbit(vs->key, vs->len);

			m->vfilter[b >> 6] |= (uint64_t)1 << (b & 63);
		}
	}
	m->nroot_word = m->vocab.count;
	m->root_word = nri_calloc(m->nroot_word ? m->nroot_word : 1, sizeof(*m->root_word));
	m->root_cp = nri_calloc(0x10000, sizeof(*m->root_cp));
	m->wcache = nri_calloc((size_t)1 << WC_BITS, sizeof(*m->wcache));
	if (!m->root_word || !m->root_cp || !m->wcache) {
		rc = NR_ENOMEM;
		goto fail;
	}
	for (e = 0; e < m->tcap; e++) {
		uint32_t sym = (uint32_t)m->edges[e].key;

		if (!m->edges[e].val || (m->edges[e].key >> 32))
			continue;
		if (sym >= SYM_WORD && sym < SYM_BYTE && sym - SYM_WORD < m->nroot_word)
			m->root_word[sym - SYM_WORD] = m->edges[e].val;
		else if (sym < 0x10000)
			m->root_cp[sym] = m->edges[e].val;
	}
	/* wildcard byte edges into sorted runs */
	for (e = 0; e < m->tcap; e++)
		if (m->edges[e].val && (uint32_t)m->edges[e].key >= SYM_BYTE)
			m->nbkids++;
	m->bkids = nri_calloc(m->nbkids ? m->nbkids : 1, sizeof(*m->bkids));
	m->bfirst = nri_malloc(m->nnodes * sizeof(*m->bfirst));
	if (!m->bkids || !m->bfirst) {
		rc = NR_ENOMEM;
		goto fail;
	}
	nl = 0;
	for (e = 0; e < m->tcap; e++) {
		if (!m->edges[e].val || (uint32_t)m->edges[e].key < SYM_BYTE)
			continue;
		m->bkids[nl].parent = (uint32_t)(m->edges[e].key >> 32);
		m->bkids[nl].byte = (unsigned char)m->edges[e].key;
		m->bkids[nl].child = m->edges[e].val;
		nl++;
	}
	if (m->nbkids)
		qsort(m->bkids, m->nbkids, sizeof(*m->bkids), cmp_bkid);
	for (e = 0; e < m->nnodes; e++)
		m->bfirst[e] = UINT32_MAX;
	for (e = m->nbkids; e-- > 0;)
		m->bfirst[m->bkids[e].parent] = (uint32_t)e;
	for (e = 0; e < m->nbkids; e++)
		if (m->nodes[0].wild && m->bkids[e].parent == m->nodes[0].wild)
			m->wroot[m->bkids[e].byte] = m->bkids[e].child;
	/* the second level of the root's wildcard trie, where runs are long
	 * (a letter after a letter), as direct rows */
	for (e = 0, nl = 0; e < 256; e++)
		if (m->wroot[e])
			m->w2row[e] = (uint32_t)nl++;
	m->w2 = nri_calloc(nl ? nl * 256 : 1, sizeof(*m->w2));
	if (!m->w2) {
		rc = NR_ENOMEM;
		goto fail;
	}
	for (e = 0; e < 256; e++) {
		uint32_t k, par = m->wroot[e];

		if (!par || m->bfirst[par] == UINT32_MAX)
			continue;
		for (k = m->bfirst[par]; k < m->nbkids && m->bkids[k].parent == par; k++)
			m->w2[(size_t)m->w2row[e] * 256 + m->bkids[k].byte] = m->bkids[k].child;
	}
	*out = m;
	return NR_OK;
fail:
	nr_matcher_free(m);
	return rc;
}

size_t nri_matcher_nodes(const struct nr_matcher *m)
{
	return m ? m->nnodes : 0;
}

size_t nri_matcher_candidates(const struct nr_matcher *m)
{
	return m ? m->last_candidates : 0;
}

void nri_matcher_set_slow(struct nr_matcher *m, int on)
{
	if (m) {
		m->slow = on;
		m->have_lastlang = 0; /* set_langs works out all_on again */
	}
}

/* ---- matching -------------------------------------------------------- */

static size_t primary_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != '-' && s[n] != '_')
		n++;
	return n;
}

/* Which (lexicon, language) pairs apply to a document in `lang`. */
static void set_langs(struct nr_matcher *m, const char *lang)
{
	size_t l, i;

	if (!lang)
		lang = "";
	if (m->have_lastlang && !strcmp(m->lastlang, lang))
		return;
	for (l = 0; l < m->nlex; l++) {
		const struct nri_lexdata *d = m->lex[l];

		for (i = 0; i < d->nlangs; i++) {
			const char *el = d->langs[i];
			size_t a = primary_len(el), b = primary_len(lang), k;
			int on = 1;

			if (*lang && i > 0) {
				on = a == b;
				for (k = 0; on && k < a; k++) {
					char x = el[k], y = lang[k];

					if (x >= 'A' && x <= 'Z')
						x = (char)(x + 32);
					if (y >= 'A' && y <= 'Z')
						y = (char)(y + 32);
					on = x == y;
				}
			}
			m->enabled[m->lang_base[l] + i] = (unsigned char)on;
		}
	}
	m->all_on = !m->slow;
	for (i = 0; i < m->lang_base[m->nlex]; i++)
		if (!m->enabled[i])
			m->all_on = 0;
	if (strlen(lang) < sizeof(m->lastlang)) {
		strcpy(m->lastlang, lang);
		m->have_lastlang = 1;
	} else {
		m->have_lastlang = 0;
	}
}

/* Building the symbols of one token: where its pieces lie in the original
 * text.  mode -1: not known yet (a piece that is the whole token needs none); 1: the normalised
 * form is the original bytes; 2: same number of code points, walked in step; 3: neither: every
 * piece is given the whole token. */
struct tokctx {
	struct nr_matcher *m;
	const char *text;
	const struct nr_token *t;
	uint32_t index;
	int mode;
	int punct;
	size_t npos, opos; /* mode 2 cursors: bytes in norm and original */
	int rc;
};

static size_t count_cps(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static void advance(struct tokctx *c, size_t to)
{
	const char *o = c->text + c->t->offset;
	size_t olen = c->t->length;

	while (c->npos < to && c->npos < c->t->norm_len) {
		nri_utf8_next(c->t->norm, c->t->norm_len, &c->npos);
		if (c->opos < olen)
			nri_utf8_next(o, olen, &c->opos);
	}
}

/* English possessives and Romance elisions glue a name to a clitic in one
 * token: "Hangzhou's", "Beijing's", "d'Hangzhou", "l'Asie",
 * "dell'Italia".  When such a word is not an entry itself, it is matched
 * as the word without the clitic.  *front: bytes of a leading elision
 * (1-4 letters of a known list and an apostrophe); *back: bytes of a
 * trailing "'s" or "'" (cities'). */
static void word_affixes(const char *w, size_t n, unsigned char *front, unsigned char *back)
{
	static const char *const elisions[] = {"l'",	"d'",	"j'",	 "m'",	  "n'",
					       "s'",	"t'",	"c'",	 "qu'",	  "dell'",
					       "nell'", "all'", "dall'", "sull'", "coll'"};
	size_t i, b = 0, f = 0;

	*front = *back = 0;
	if (n < 3 || !memchr(w, '\'', n))
		return;
	if (w[n - 1] == 's' && w[n - 2] == '\'')
		b = 2;
	else if (w[n - 1] == '\'')
		b = 1;
	for (i = 0; i < sizeof(elisions) / sizeof(elisions[0]); i++) {
		size_t l = strlen(elisions[i]);

		if (l + b < n && !memcmp(w, elisions[i], l)) {
			f = l;
			break;
		}
	}
	if (f + b + 1 > n)
		return;
	*front = (unsigned char)f;
	*back = (unsigned char)b;
}

static struct nri_strmap_slot *vocab_get(const struct nr_matcher *m, const char *p, size_t n)
{
	uint32_t b;

	if (!n)
		return NULL;
	b = vbit(p, n);
	if (!(m->vfilter[b >> 6] & ((uint64_t)1 << (b & 63))))
		return NULL;
	return nri_strmap_get(&m->vocab, p, n);
}

/* Korean writes particles onto the noun (항저우에서 "in Hangzhou",
 * 부산의 "Busan's"): a Hangul word that is no entry is tried without one
 * of these, longest first. */
static const char *const ko_particles[] = {
	"에서부터", "으로부터", "에서는", "에서도", "에서의", "에게서", "까지는", "으로는",
	"으로도",   "이라는",	"에서",	  "에게",   "한테",   "께서",	"으로",	  "까지",
	"부터",	    "처럼",	"보다",	  "마저",   "조차",   "이나",	"이랑",	  "하고",
	"에는",	    "에도",	"라는",	  "의",	    "은",     "는",	"이",	  "가",
	"을",	    "를",	"에",	  "로",	    "와",     "과",	"도",	  "만",
};

static struct nri_strmap_slot *ko_stem(const struct nr_matcher *m, const char *p, size_t n)
{
	size_t i;

	/* the last character must be a Hangul syllable (U+AC00..U+D7A3) */
	if (n < 6 || (unsigned char)p[n - 3] < 0xEA || (unsigned char)p[n - 3] > 0xED)
		return NULL;
	for (i = 0; i < sizeof(ko_particles) / sizeof(ko_particles[0]); i++) {
		size_t l = strlen(ko_particles[i]);

		if (l + 3 <= n && !memcmp(p + n - l, ko_particles[i], l)) {
			struct nri_strmap_slot *slot = vocab_get(m, p, n - l);

			if (slot)
				return slot;
		}
	}
	return NULL;
}

/* The vocabulary id of a word piece, trying it without its clitics or
 * Korean particles when the whole word is no entry (see word_affixes). */
static uint32_t word_id(const struct nr_matcher *m, const char *p, size_t n, unsigned char *front,
			unsigned char *back)
{
	struct nri_strmap_slot *slot = vocab_get(m, p, n);

	word_affixes(p, n, front, back);
	if (!slot && (*front || *back))
		slot = vocab_get(m, p + *front, n - *front - *back);
	if (!slot && n >= 6 && (unsigned char)p[0] >= 0xEA)
		slot = ko_stem(m, p, n);
	return slot ? SYM_WORD + (uint32_t)slot->value : SYM_UNKNOWN;
}

static inline uint64_t load64(const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t load32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

#define HI_BITS 0x8080808080808080ULL

/* A hash of the word p[0..n) (n > 0), never 0, from overlapping 8- or
 * 4-byte loads (so no byte outside the word is read); the cache indexes by
 * its top bits, which the last multiply mixes from every input bit.  On
 * the way, *hi gets the top bit of every byte (0: ASCII), and *tag the
 * last load: when n <= 8 the loads cover every byte, so n and *tag are the
 * word (no compare of the bytes needed); else *tag is the hash. */
static inline uint64_t whash(const char *p, size_t n, uint64_t *hi, uint64_t *tag)
{
	uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15ULL, a, x = 0;

	if (n >= 8) {
		size_t i;

		for (i = 0; i + 8 < n; i += 8) {
			a = load64(p + i);
			x |= a;
			h = (h ^ a) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		a = load64(p + n - 8);
	} else if (n >= 4) {
		a = load32(p) << 32 | load32(p + n - 4);
	} else {
		a = (uint64_t)(unsigned char)p[0] << 16 | (uint64_t)(unsigned char)p[n >> 1] << 8 |
		    (unsigned char)p[n - 1];
	}
	*hi = (x | a) & HI_BITS;
	h = (h ^ a) * 0xc4ceb9fe1a85ec53ULL;
	*tag = n <= 8 ? a : h | 1;
	return h | 1;
}

/* 1 if some byte of p[0..n) is >= 0xE0: the lead byte of a 3- or 4-byte
 * sequence, which every character of a script written without spaces
 * has. */
static int has_e0(const char *p, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if ((unsigned char)p[k] >= 0xE0)
			return 1;
	return 0;
}

/* p[0..n) == q[0..n), n > 0, with the loads of whash. */
static inline int keq(const char *p, const char *q, size_t n)
{
	if (n >= 8) {
		size_t i;

		for (i = 0; i + 8 < n; i += 8)
			if (load64(p + i) != load64(q + i))
				return 0;
		return load64(p + n - 8) == load64(q + n - 8);
	}
	if (n >= 4)
		return load32(p) == load32(q) && load32(p + n - 4) == load32(q + n - 4);
	return p[0] == q[0] && p[n >> 1] == q[n >> 1] && p[n - 1] == q[n - 1];
}

static inline int wl_add(struct nr_matcher *m, uint32_t node)
{
	if (m->nwl >= m->cap_wl) {
		int rc = grow(&m->wl, &m->cap_wl, m->nwl, sizeof(*m->wl), MAX_CANDIDATES);

		if (rc)
			return rc;
	}
	m->wl[m->nwl++] = node;
	return NR_OK;
}

/* Walk w[from..n) down the root's wildcard trie, adding every node with
 * outputs to m->wl: the candidates the word would add starting a match. */
static int root_walk(struct nr_matcher *m, const char *w, size_t n, size_t from, uint32_t *count)
{
	const unsigned char *u = (const unsigned char *)w;
	uint32_t b = m->nodes[0].wild;
	size_t k;
	int rc;

	for (k = from; k < n; k++) {
		if (k == from)
			b = m->wroot[u[k]];
		else if (k == from + 1)
			b = m->w2[(size_t)m->w2row[u[from]] * 256 + u[k]];
		else
			b = bstep(m, b, u[k]);
		if (!b)
			break;
		if (m->nodes[b].out_count) {
			rc = wl_add(m, b);
			if (rc)
				return rc;
			(*count)++;
		}
	}
	return NR_OK;
}

/* The word fields of y (id, info, wl) for the word piece p[0..n) of hash
 * h and tag (whash; any values when n is 0), worked out and cached.  In
 * slow mode the cache is not used and scan walks the wildcard trie
 * itself. */
static int word_miss(struct nr_matcher *m, const char *p, size_t n, uint64_t h, uint64_t tag,
		     struct sym *y)
{
	unsigned char front = 0, back = 0;
	uint32_t na = 0, nb = 0, k;
	struct wcent *c;
	int rc;

	y->wl = (uint32_t)m->nwl;
	y->id = n ? word_id(m, p, n, &front, &back) : SYM_UNKNOWN;
	if (n && m->nodes[0].wild && !m->slow) {
		rc = root_walk(m, p, n, 0, &na);
		if (!rc && front)
			rc = root_walk(m, p, n, front, &nb);
		if (rc)
			return rc;
	}
	if (na > 254 || nb > 254) {
		m->nwl = y->wl;
		y->info = front | (uint32_t)back << 8 | INFO_WALK;
		return NR_OK;
	}
	y->info = front | (uint32_t)back << 8 | na << 16 | nb << 24;
	if (m->slow || !n || n > WC_KEY || na + nb > WC_WILD)
		return NR_OK;
	c = WC_SET(m, h);
	c[1] = c[0];
	c->tag = tag;
	c->id = y->id;
	c->info = y->info;
	for (k = 0; k < na + nb; k++)
		c->wild[k] = m->wl[y->wl + k];
	c->len = (unsigned char)n;
	if (n > 8)
		memcpy(c->key, p, n);
	return NR_OK;
}

/* The same from the word cache when the word is there (never in slow
 * mode: nothing is cached then); n > 0.  Inlined into the token loop
 * (one call a token otherwise). */
static inline __attribute__((always_inline)) int
word_sym(struct nr_matcher *m, const char *p, size_t n, uint64_t h, uint64_t tag, struct sym *y)
{
	const struct wcent *c = WC_SET(m, h);
	uint32_t k;
	int rc;

	if (c->tag != tag || c->len != n || (n > 8 && !keq(c->key, p, n))) {
		c++;
		if (c->tag != tag || c->len != n || (n > 8 && !keq(c->key, p, n)))
			return word_miss(m, p, n, h, tag, y);
	}
	y->id = c->id;
	y->info = c->info;
	y->wl = (uint32_t)m->nwl;
	if (!(c->info >> 16))
		return NR_OK;
	for (k = 0; k < INFO_NA(c->info) + INFO_NB(c->info); k++) {
		rc = wl_add(m, c->wild[k]);
		if (rc)
			return rc;
	}
	return NR_OK;
}

static int on_piece(void *ctx, int kind, const char *p, size_t n, size_t nb, size_t ne)
{
	struct tokctx *c = ctx;
	struct nr_matcher *m = c->m;
	struct sym *s;
	int rc;

	rc = grow(&m->syms, &m->cap_syms, m->nsyms, sizeof(*m->syms), (size_t)1 << 31);
	if (rc)
		return rc;
	s = &m->syms[m->nsyms];
	if (kind == NRI_PIECE_WORD) {
		uint64_t h, hi, tag;

		if (n && !m->slow) {
			h = whash(p, n, &hi, &tag);
			rc = word_sym(m, p, n, h, tag, s);
		} else
			rc = word_miss(m, p, n, 0, 0, s);
		if (rc)
			return rc;
		s->wordlen = n;
		s->word = 0;
		if (p >= c->t->norm && p + n <= c->t->norm + c->t->norm_len) {
			s->wp = p;
		} else {
			/* folded: the fold buffer is reused by the next token */
			s->wp = NULL;
			s->word = (uint32_t)m->words.len; /* < 1 GiB (buf.h) */
			rc = nri_buf_add(&m->words, p, n);
			if (rc)
				return rc;
		}
	} else {
		size_t i = 0;

		s->id = (uint32_t)nri_utf8_next(p, n, &i);
		s->info = s->wl = 0;
		s->wp = NULL;
		s->word = 0;
		s->wordlen = 0;
	}
	s->tok = c->index;
	s->punct = (unsigned char)c->punct;
	if (c->mode < 0 && !(nb == 0 && ne == c->t->norm_len)) {
		const char *o = c->text + c->t->offset;

		if (c->t->norm_len == c->t->length && !memcmp(c->t->norm, o, c->t->length))
			c->mode = 1;
		else if (count_cps(c->t->norm, c->t->norm_len) == count_cps(o, c->t->length))
			c->mode = 2;
		else
			c->mode = 3;
	}
	if (c->mode < 0 || c->mode == 3 || (nb == 0 && ne == c->t->norm_len)) {
		s->start = c->t->offset;
		s->end = c->t->offset + c->t->length;
	} else if (c->mode == 1) {
		s->start = c->t->offset + nb;
		s->end = c->t->offset + ne;
	} else {
		advance(c, nb);
		s->start = c->t->offset + c->opos;
		advance(c, ne);
		s->end = c->t->offset + c->opos;
	}
	m->nsyms++;
	return 0;
}

/* A hashtag's word run that some entry or negator uses as one word
 * (#MeToo for the entry #metoo) is not cut at its capitals. */
static int known_word(void *ctx, const char *p, size_t n)
{
	const struct tokctx *c = ctx;

	return vocab_get(c->m, p, n) != NULL;
}

/* 1 if every byte of the gap between two symbols may sit inside a
 * multiword term (white space and joiners only). */
static int gap_ok(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 1 && (s[0] == ' ' || s[0] == '\n'))
		return 1;

	while (i < n) {
		int32_t cp;

		if (s[i] == ' ') {
			i++;
			continue;
		}
		cp = nri_utf8_next(s, n, &i);
		if (cp < 0 || !nri_lex_gap_char((uint32_t)cp))
			return 0;
	}
	return 1;
}

/* 1 if the ASCII p[0..n) is white space and joiners only (all_gap of
 * nri_lex_pieces: such a punctuation token is no symbol). */
static int ascii_gap(const char *p, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)p[k];

		if (!(c == ' ' || c == '-' || c == '\'' || (c >= 0x09 && c <= 0x0D)))
			return 0;
	}
	return 1;
}

/* 1 if fold_word (lexicon.c) would change p[0..n): a U+2019 or U+02BC. */
static int has_fold(const char *p, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)p[k];

		if (c == 0xE2 && k + 2 < n && (unsigned char)p[k + 1] == 0x80 &&
		    (unsigned char)p[k + 2] == 0x99)
			return 1;
		if (c == 0xCA && k + 1 < n && (unsigned char)p[k + 1] == 0xBC)
			return 1;
	}
	return 0;
}

/* The brk of a symbol starting at `start` after one that ended at pe. */
static inline unsigned char brk_at(const char *text, size_t pe, size_t start)
{
	if (pe == start || (pe + 1 == start && (text[pe] == ' ' || text[pe] == '\n')))
		return 0;
	return (unsigned char)(pe < start && !gap_ok(text + pe, start - pe));
}

/* The symbols of the document.  What nri_lex_pieces would make of a token
 * is decided here for the common tokens and left to it for the rest:
 *   - a whole word piece: a token with no character of a script written
 *     without spaces (no byte >= 0xE0), or punctuation (unless white
 *     space and joiners only: no symbol), a URL, an e-mail address or a
 *     mention, when folding (fold_word) changes nothing;
 *   - one character symbol each: a token of characters of U+3000..U+9FFF
 *     that are no-space characters, whose normalised form is its original
 *     bytes (or that is one character).
 * The symbol array and its count are kept in locals: the byte stores would
 * otherwise make the compiler reload them.
 *
 * A whole word's cache set is found by the token's hash (nri_hash of its
 * norm, from the tokenizer), not whash's: it is known before the token's
 * bytes are read, so the set of the token WC_AHEAD places on is fetched
 * while this one is worked on, and the cache misses of a large cache
 * overlap instead of following one another.  Only the place depends on
 * the hash: the entry is still compared with the word (tag, length,
 * bytes), so a token whose hash is wrong (built by hand) gets the same
 * symbols, only more slowly; one whose hash is 0 uses whash's. */
static int build_syms(struct nr_matcher *m, const char *text, size_t len,
		      const struct nr_token *toks, size_t ntoks)
{
	size_t i, k, pe = 0, ns = 0;
	struct sym *Y = m->syms;
	const int slow = m->slow;
	int rc;

	m->nwl = 0;
	nri_buf_reset(&m->words);
#if defined(__GNUC__)
	for (i = 0; i < WC_AHEAD && i < ntoks; i++)
		__builtin_prefetch(WC_SET(m, toks[i].hash));
#endif
	for (i = 0; i < ntoks; i++) {
		const struct nr_token *t = &toks[i];
		const unsigned char *q = (const unsigned char *)t->norm;
		size_t n = t->norm_len, first = ns, off = t->offset;
		enum nr_token_type type = t->type;
		struct sym *y;
		uint64_t h, hi, tag;
		struct tokctx c;

		if (off > len || t->length > len - off || (n && !q))
			return NR_EINVAL;
#if defined(__GNUC__)
		if (i + WC_AHEAD < ntoks) {
			const struct wcent *p = WC_SET(m, toks[i + WC_AHEAD].hash);

			__builtin_prefetch(p);
			__builtin_prefetch(p + 1);
		}
#endif
		if (!n)
			continue; /* nri_lex_pieces makes no piece */
		if (slow || type == NR_TOKEN_HASHTAG)
			goto slow;
		if (ns + n >= m->cap_syms) {
			rc = grow(&m->syms, &m->cap_syms, ns + n, sizeof(*m->syms),
				  (size_t)1 << 31);
			if (rc)
				return rc;
			Y = m->syms;
		}
		if (t->cjk && (type == NR_TOKEN_WORD || type == NR_TOKEN_NUMBER))
			goto cjk;
		h = whash(t->norm, n, &hi, &tag);
		if (hi) {
			if (!(type == NR_TOKEN_PUNCT || type == NR_TOKEN_URL ||
			      type == NR_TOKEN_EMAIL || type == NR_TOKEN_MENTION ||
			      !has_e0(t->norm, n)))
				goto cjk;
			if (type == NR_TOKEN_PUNCT && gap_ok(t->norm, n))
				continue;
			if (has_fold(t->norm, n))
				goto slow;
		} else if (type == NR_TOKEN_PUNCT && ascii_gap(t->norm, n)) {
			continue;
		}
		/* one word piece: the whole token */
		y = &Y[ns++];
		rc = word_sym(m, t->norm, n, t->hash ? t->hash : h, tag, y);
		if (rc)
			return rc;
		y->tok = (uint32_t)i;
		y->start = off;
		y->end = off + t->length;
		y->wp = t->norm;
		y->wordlen = n;
		y->word = 0;
		y->punct = type == NR_TOKEN_PUNCT;
		y->brk = first ? brk_at(text, pe, off) : 1;
		pe = y->end;
		continue;
	cjk:
		if (n % 3 || (n != 3 && (n != t->length || !keq(t->norm, text + off, n))))
			goto slow;
		for (k = 0; k < n; k += 3) {
			unsigned c0 = q[k], c1 = q[k + 1], c2 = q[k + 2];
			uint32_t cp = (c0 & 0x0Fu) << 12 | (c1 & 0x3Fu) << 6 | (c2 & 0x3Fu);

			if (c0 < 0xE3 || c0 > 0xE9 || (c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80 ||
			    (!(cp >= 0x4E00 && cp <= 0x9FFF) && !nri_lex_nospace(cp)))
				break;
			y = &Y[ns++];
			y->id = cp;
			y->tok = (uint32_t)i;
			y->start = off + k;
			y->end = off + k + 3;
			y->wp = NULL;
			y->wordlen = 0;
			y->word = y->wl = y->info = 0;
			y->brk = 0;
			y->punct = 0;
		}
		if (k < n) {
			ns = first;
			goto slow;
		}
		if (n == 3)
			Y[first].end = off + t->length;
		Y[first].brk = first ? brk_at(text, pe, off) : 1;
		pe = Y[ns - 1].end;
		continue;
	slow:
		if (n > m->foldcap) {
			char *f = nri_realloc(m->fold, n);

			if (!f)
				return NR_ENOMEM;
			m->fold = f;
			m->foldcap = n;
		}
		c.m = m;
		c.text = text;
		c.t = t;
		c.index = (uint32_t)i;
		c.punct = type == NR_TOKEN_PUNCT;
		c.npos = c.opos = 0;
		c.mode = -1; /* worked out by the first piece that needs it */
		m->nsyms = ns;
		if (type == NR_TOKEN_HASHTAG)
			rc = nri_lex_hashtag_pieces(t->norm, n, text + off, t->length, m->fold,
						    &m->htag, known_word, on_piece, &c);
		else
			rc = nri_lex_pieces(t->norm, n, type, m->fold, on_piece, &c);
		if (rc)
			return rc;
		ns = m->nsyms;
		Y = m->syms;
		/* the pieces of one token follow each other (#New_York too) */
		for (k = first; k < ns; k++) {
			Y[k].brk = k == first ? (k ? brk_at(text, pe, Y[k].start) : 1) : 0;
			pe = Y[k].end;
		}
	}
	m->nsyms = ns;
	return NR_OK;
}

/* Add a candidate for each lexicon with an enabled output at node. */
static int add_cands(struct nr_matcher *m, uint32_t node, uint32_t start, uint32_t end,
		     uint32_t spec)
{
	const struct node *nd = &m->nodes[node];
	uint32_t k = nd->out_first, stop = nd->out_first + nd->out_count;
	int rc;

	if (m->all_on) {
		for (k = nd->grp; k < nd->grp + nd->ngrp; k++) {
			const struct grp *G = &m->grps[k];
			struct cand *c;

			if (G->neg && !(m->nnegs && m->negs[m->nnegs - 1].lex == G->lex &&
					m->negs[m->nnegs - 1].start == start &&
					m->negs[m->nnegs - 1].end == end)) {
				rc = grow(&m->negs, &m->cap_negs, m->nnegs, sizeof(*m->negs),
					  MAX_CANDIDATES);
				if (rc)
					return rc;
				m->negs[m->nnegs].lex = G->lex;
				m->negs[m->nnegs].start = start;
				m->negs[m->nnegs].end = end;
				m->nnegs++;
			}
			if (G->first == UINT32_MAX)
				continue;
			if (m->ncands >= m->cap_cands) {
				rc = grow(&m->cands, &m->cap_cands, m->ncands, sizeof(*m->cands),
					  MAX_CANDIDATES);
				if (rc)
					return rc;
			}
			c = &m->cands[m->ncands++];
			c->lex = G->lex;
			c->start = start;
			c->end = end;
			c->spec = spec;
			c->node = node;
			c->first = G->first;
			c->grp = k;
#if defined(__GNUC__)
			/* what emit will copy, fetched now: resolve runs later */
			if (G->nemit)
				__builtin_prefetch(&m->tmpl[G->emit]);
#endif
		}
		return NR_OK;
	}
	while (k < stop) {
		uint32_t lex = m->outs[k].lex;
		uint32_t first = UINT32_MAX;

		for (; k < stop && m->outs[k].lex == lex; k++) {
			uint32_t e = m->outs[k].entry;
			const struct nri_lexdata *d = m->lex[lex];
			int lang;

			if (e & OUT_NEGATOR) {
				lang = d->negators[e & ~OUT_NEGATOR].lang;
				if (!m->enabled[m->lang_base[lex] + (size_t)lang])
					continue;
				if (m->nnegs && m->negs[m->nnegs - 1].lex == lex &&
				    m->negs[m->nnegs - 1].start == start &&
				    m->negs[m->nnegs - 1].end == end)
					continue;
				rc = grow(&m->negs, &m->cap_negs, m->nnegs, sizeof(*m->negs),
					  MAX_CANDIDATES);
				if (rc)
					return rc;
				m->negs[m->nnegs].lex = lex;
				m->negs[m->nnegs].start = start;
				m->negs[m->nnegs].end = end;
				m->nnegs++;
				continue;
			}
			lang = d->entries[e].lang;
			if (m->enabled[m->lang_base[lex] + (size_t)lang] && e < first)
				first = e;
		}
		if (first == UINT32_MAX)
			continue;
		rc = grow(&m->cands, &m->cap_cands, m->ncands, sizeof(*m->cands), MAX_CANDIDATES);
		if (rc)
			return rc;
		m->cands[m->ncands].lex = lex;
		m->cands[m->ncands].start = start;
		m->cands[m->ncands].end = end;
		m->cands[m->ncands].spec = spec;
		m->cands[m->ncands].node = node;
		m->cands[m->ncands].first = first;
		m->cands[m->ncands].grp = UINT32_MAX;
		m->ncands++;
	}
	return NR_OK;
}

/* Add the candidates of y's root wildcard hits (word_sym) for a match
 * starting at symbol s: those of the whole word, or when they add none,
 * those of the word after its elision (l'hôtel for hôtel*). */
static int root_wild(struct nr_matcher *m, const struct sym *y, uint32_t s)
{
	size_t before = m->ncands;
	uint32_t k, b, na = INFO_NA(y->info), nb = INFO_NB(y->info);
	int rc;

	for (k = 0; k < na; k++) {
		b = m->wl[y->wl + k];
		rc = add_cands(m, b, s, s + 1, m->nodes[b].depth & ~NODE_BLOCKING);
		if (rc)
			return rc;
	}
	if (m->ncands != before)
		return NR_OK;
	for (k = na; k < na + nb; k++) {
		b = m->wl[y->wl + k];
		rc = add_cands(m, b, s, s + 1, m->nodes[b].depth & ~NODE_BLOCKING);
		if (rc)
			return rc;
	}
	return NR_OK;
}

/* Walk symbol j's word down the wildcard trie of node (a match started at
 * symbol s): the whole word; if no prefix fits, the word after its elision
 * (l'hôtel for hôtel*). */
static int walk(struct nr_matcher *m, uint32_t node, const struct sym *y, size_t s, size_t j)
{
	const unsigned char *w = (const unsigned char *)(y->wp ? y->wp : m->words.data + y->word);
	size_t before = m->ncands, k, from = 0;
	int rc;

	for (;;) {
		uint32_t b = m->nodes[node].wild;

		for (k = from; k < y->wordlen; k++) {
			b = bstep(m, b, w[k]);
			if (!b)
				break;
			if (m->nodes[b].out_count) {
				rc = add_cands(m, b, (uint32_t)s, (uint32_t)j + 1,
					       m->nodes[b].depth & ~NODE_BLOCKING);
				if (rc)
					return rc;
			}
		}
		if (from || !INFO_FRONT(y->info) || m->ncands != before)
			break;
		from = INFO_FRONT(y->info);
	}
	return NR_OK;
}

/* Every path of the trie that starts at some symbol: the candidates. */
static int scan(struct nr_matcher *m)
{
	size_t s, j;
	int rc;

	m->ncands = 0;
	m->nnegs = 0;
	for (s = 0; s < m->nsyms; s++) {
		const struct sym *y = &m->syms[s];
		uint32_t node;

		if (y->id == SYM_UNKNOWN && !(y->info >> 16) && !m->slow)
			continue; /* most words: no entry starts with them */
		if (y->info >> 16) {
			if ((y->info & INFO_WALK) == INFO_WALK)
				rc = walk(m, 0, y, s, s);
			else
				rc = root_wild(m, y, (uint32_t)s);
			if (rc)
				return rc;
		} else if (m->slow && m->nodes[0].wild && y->wordlen) {
			rc = walk(m, 0, y, s, s);
			if (rc)
				return rc;
		}
		if (y->id == SYM_UNKNOWN)
			continue;
		node = step_root(m, y->id);
		if (!node)
			continue;
		if (m->nodes[node].out_count) {
			rc = add_cands(m, node, (uint32_t)s, (uint32_t)s + 1, SPEC_EXACT);
			if (rc)
				return rc;
		}
		for (j = s + 1; j < m->nsyms; j++) {
			y = &m->syms[j];
			if (y->brk)
				break;
			if (m->nodes[node].wild && y->wordlen) {
				rc = walk(m, node, y, s, j);
				if (rc)
					return rc;
			}
			if (y->id == SYM_UNKNOWN)
				break;
			node = step(m, node, y->id);
			if (!node)
				break;
			if (m->nodes[node].out_count) {
				rc = add_cands(m, node, (uint32_t)s, (uint32_t)j + 1, SPEC_EXACT);
				if (rc)
					return rc;
			}
		}
	}
	return NR_OK;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	uint32_t lx = x->end - x->start, ly = y->end - y->start;

	if (x->lex != y->lex)
		return x->lex < y->lex ? -1 : 1;
	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->spec != y->spec)
		return x->spec > y->spec ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return 0;
}

static int cmp_hit(const void *a, const void *b)
{
	const struct nr_match_hit *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	if (x->lexicon != y->lexicon)
		return x->lexicon < y->lexicon ? -1 : 1;
	if (x->entry != y->entry)
		return x->entry < y->entry ? -1 : 1;
	return 0;
}

/* A negator of the same lexicon starting within the entry's window before
 * the hit, with no punctuation or break between the two. */
static int negated(const struct nr_matcher *m, const struct cand *c, int window)
{
	size_t lo = 0, hi = m->nnegs, k;
	uint32_t from = c->start > (uint32_t)window ? c->start - (uint32_t)window : 0;
	const uint32_t *P = m->pref;

	/* negs are in scan order: sorted by start */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->negs[mid].start < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < m->nnegs && m->negs[k].start < c->start; k++) {
		const struct neg *g = &m->negs[k];

		if (g->lex != c->lex || g->end > c->start)
			continue;
		if (g->lex < 32) {
			uint32_t x;

			for (x = g->start; x < g->end && !(m->cover[x] & (1u << g->lex)); x++)
				;
			if (x < g->end)
				continue; /* part of a term of this lexicon (不错) */
		}
		/* no punctuation symbol in [g->end, c->start) and no break
		 * at any k in [g->end, c->start] (a break at k sits between
		 * k-1 and k); g->end >= 1 */
		if (P[2 * c->start] == P[2 * g->end] && P[2 * c->start + 1] == P[2 * g->end - 1])
			return 1;
	}
	return 0;
}

/* Prefix counts: pref[2k] = punctuation symbols before k, pref[2k+1] =
 * breaks at or before k (a break at k sits between k-1 and k). */
static int build_pref(struct nr_matcher *m)
{
	size_t k;
	uint32_t p = 0, b = 0;
	int rc = grow(&m->pref, &m->cap_pref, 2 * m->nsyms + 2, sizeof(*m->pref), (size_t)1 << 32);

	if (rc)
		return rc;
	for (k = 0; k <= m->nsyms; k++) {
		if (k < m->nsyms && k > 0 && m->syms[k].brk)
			b++;
		m->pref[2 * k] = p;
		m->pref[2 * k + 1] = b;
		if (k < m->nsyms && m->syms[k].punct)
			p++;
	}
	return NR_OK;
}

/* Append the hit of entry ou of candidate c. */
static int put_hit(struct nr_matcher *m, const struct cand *c, const struct nri_lexdata *d,
		   const struct out *ou)
{
	const struct nri_lex_entry *en = &d->entries[ou->entry];
	const struct sym *a = &m->syms[c->start], *z = &m->syms[c->end - 1];
	struct nr_match_hit *h;
	int rc;

	if (m->nhits >= m->cap_hits) {
		rc = grow(&m->hits, &m->cap_hits, m->nhits, sizeof(*m->hits), MAX_CANDIDATES);
		if (rc)
			return rc;
	}
	h = &m->hits[m->nhits++];
	h->offset = a->start;
	h->length = z->end - a->start;
	h->lexicon = c->lex;
	h->category = en->category;
	h->entity = en->entity;
	h->entity_id = en->entity >= 0 ? d->entities[en->entity].id : NULL;
	h->weight = en->weight;
	h->entry = ou->entry;
	h->token = a->tok;
	h->ntokens = z->tok - a->tok + 1;
	h->negated = 0;
	if (en->neg > 0 && m->nnegs) {
		if (!m->have_pref) {
			rc = build_pref(m);
			if (rc)
				return rc;
			m->have_pref = 1;
		}
		h->negated = (unsigned char)negated(m, c, en->neg);
	}
	return NR_OK;
}

/* Report the hits of a candidate that won its span: every enabled entry of
 * its node in its lexicon, once per (category, entity); nothing when an
 * enabled blocking entry is there.  With every language on, the list was
 * made at compilation (build_grps). */
static int emit(struct nr_matcher *m, const struct cand *c)
{
	const struct node *nd = &m->nodes[c->node];
	const struct nri_lexdata *d = m->lex[c->lex];
	size_t hit0 = m->nhits, k;
	uint32_t o;
	int rc;

	if (c->grp != UINT32_MAX) {
		const struct grp *G = &m->grps[c->grp];
		const struct sym *a = &m->syms[c->start], *z = &m->syms[c->end - 1];
		size_t off = a->start, length = z->end - a->start, tok = a->tok;
		size_t ntok = z->tok - a->tok + 1;

		if (!G->nemit)
			return NR_OK;
		if (m->nhits + G->nemit > m->cap_hits) {
			rc = grow(&m->hits, &m->cap_hits, m->nhits + G->nemit - 1, sizeof(*m->hits),
				  MAX_CANDIDATES);
			if (rc)
				return rc;
		}
		for (o = G->emit; o < G->emit + G->nemit; o++) {
			const struct tmpl *T = &m->tmpl[o];
			struct nr_match_hit *h = &m->hits[m->nhits++];

			h->offset = off;
			h->length = length;
			h->lexicon = c->lex;
			h->category = T->category;
			h->entity = T->entity;
			h->entity_id = T->entity_id;
			h->weight = T->weight;
			h->entry = T->entry;
			h->token = tok;
			h->ntokens = ntok;
			h->negated = 0;
			if (T->neg > 0 && m->nnegs) {
				if (!m->have_pref) {
					rc = build_pref(m);
					if (rc)
						return rc;
					m->have_pref = 1;
				}
				h->negated = (unsigned char)negated(m, c, T->neg);
			}
		}
		return NR_OK;
	}
	for (o = nd->out_first; (nd->depth & NODE_BLOCKING) && o < nd->out_first + nd->out_count;
	     o++) {
		const struct out *ou = &m->outs[o];

		if (ou->lex != c->lex || (ou->entry & OUT_NEGATOR))
			continue;
		if (d->entries[ou->entry].blocking &&
		    m->enabled[m->lang_base[c->lex] + (size_t)d->entries[ou->entry].lang])
			return NR_OK;
	}
	for (o = nd->out_first; o < nd->out_first + nd->out_count; o++) {
		const struct out *ou = &m->outs[o];
		const struct nri_lex_entry *en;
		int dup = 0;

		if (ou->lex != c->lex || (ou->entry & OUT_NEGATOR) || ou->dup == DUP_ALWAYS)
			continue;
		en = &d->entries[ou->entry];
		if (en->blocking || !m->enabled[m->lang_base[c->lex] + (size_t)en->lang])
			continue;
		for (k = hit0; ou->dup == DUP_MAYBE && k < m->nhits; k++)
			if (m->hits[k].category == en->category && m->hits[k].entity == en->entity)
				dup = 1;
		if (dup)
			continue;
		rc = put_hit(m, c, d, ou);
		if (rc)
			return rc;
	}
	return NR_OK;
}

/* Resolve overlaps.  Candidates come in start order; per lexicon they fall
 * into clusters of overlapping spans, and only inside a cluster (usually
 * one candidate) is there a contest: longest, leftmost, most specific,
 * lowest entry (cmp_cand), decided greedily.  Clusters never interact, so
 * this equals one global greedy pass in cmp_cand order, without sorting
 * everything. */
static int resolve(struct nr_matcher *m)
{
	size_t i, l, n, a, b, x, moves;
	uint32_t gen = 0;
	int rc;

	m->nhits = 0;
	if (!m->ncands)
		return NR_OK;
	rc = grow(&m->stamp, &m->cap_stamp, m->nsyms + 1, sizeof(*m->stamp), (size_t)1 << 32);
	if (!rc)
		rc = grow(&m->ord, &m->cap_ord, m->ncands, sizeof(*m->ord), MAX_CANDIDATES + 1);
	if (rc)
		return rc;
	m->have_pref = 0; /* built by the first hit that needs it (emit) */
	memset(m->stamp, 0, (m->nsyms + 1) * sizeof(*m->stamp));
	/* indices grouped by lexicon, start order kept (counting sort) */
	for (l = 0; l < m->nlex; l++)
		m->lex_end[l] = 0;
	for (i = 0; i < m->ncands; i++)
		m->lex_end[m->cands[i].lex]++;
	for (l = 0, n = 0; l < m->nlex; l++) {
		size_t c = m->lex_end[l];

		m->lex_end[l] = (uint32_t)n;
		n += c;
	}
	for (i = 0; i < m->ncands; i++) {
		m->cands[i].sel = 0;
		m->ord[m->lex_end[m->cands[i].lex]++] = (uint32_t)i;
	}
	for (a = 0; a < m->ncands; a = b) {
		const struct cand *ca = &m->cands[m->ord[a]];
		uint32_t maxend = ca->end;

		for (b = a + 1; b < m->ncands; b++) {
			const struct cand *cb = &m->cands[m->ord[b]];

			if (cb->lex != ca->lex || cb->start >= maxend)
				break;
			if (cb->end > maxend)
				maxend = cb->end;
		}
		if (b - a == 1) {
			m->cands[m->ord[a]].sel = 1;
			continue;
		}
		/* insertion sort of the cluster by cmp_cand, then greedy */
		for (x = a + 1; x < b; x++) {
			uint32_t v = m->ord[x];
			size_t y = x;

			while (y > a && cmp_cand(&m->cands[m->ord[y - 1]], &m->cands[v]) > 0) {
				m->ord[y] = m->ord[y - 1];
				y--;
			}
			m->ord[y] = v;
		}
		gen++;
		for (x = a; x < b; x++) {
			struct cand *c = &m->cands[m->ord[x]];
			uint32_t s;

			for (s = c->start; s < c->end && m->stamp[s] != gen; s++)
				;
			if (s < c->end)
				continue;
			for (s = c->start; s < c->end; s++)
				m->stamp[s] = gen;
			c->sel = 1;
		}
	}
	/* Negators inside a term that won its span (不 in 不错, "no" in "no
	 * doubt") are part of that term, not negators: mark what the kept
	 * candidates cover, per lexicon (the first 32 lexicons). */
	if (m->nnegs) {
		rc = grow(&m->cover, &m->cap_cover, m->nsyms + 1, sizeof(*m->cover),
			  (size_t)1 << 32);
		if (rc)
			return rc;
		memset(m->cover, 0, (m->nsyms + 1) * sizeof(*m->cover));
		for (i = 0; i < m->ncands; i++) {
			const struct cand *c = &m->cands[i];
			uint32_t y;

			if (c->sel && c->lex < 32)
				for (y = c->start; y < c->end; y++)
					m->cover[y] |= 1u << c->lex;
		}
	}
	for (i = 0; i < m->ncands; i++) {
		if (!m->cands[i].sel)
			continue;
		rc = emit(m, &m->cands[i]);
		if (rc)
			return rc;
	}
	/* hits come nearly sorted (candidates are in start order): insertion
	 * sort while it moves little, else qsort (no two hits compare equal,
	 * so both give the one order) */
	for (i = 1, moves = 0; i < m->nhits && moves <= 4 * m->nhits; i++) {
		struct nr_match_hit v;
		size_t y = i;

		if (cmp_hit(&m->hits[i - 1], &m->hits[i]) <= 0)
			continue;
		v = m->hits[i];
		while (y > 0 && cmp_hit(&m->hits[y - 1], &v) > 0) {
			m->hits[y] = m->hits[y - 1];
			y--;
			moves++;
		}
		m->hits[y] = v;
	}
	if (i < m->nhits)
		qsort(m->hits, m->nhits, sizeof(*m->hits), cmp_hit);
	return NR_OK;
}

int nr_matcher_match(struct nr_matcher *m, const char *text, size_t len,
		     const struct nr_token *tokens, size_t ntokens, const char *lang,
		     const struct nr_match_hit **hits, size_t *nhits)
{
	int rc;

	if (hits)
		*hits = NULL;
	if (nhits)
		*nhits = 0;
	if (!m || !hits || !nhits || (!text && len) || (!tokens && ntokens))
		return NR_EINVAL;
	set_langs(m, lang);
	rc = build_syms(m, text, len, tokens, ntokens);
	if (!rc)
		rc = scan(m);
	m->last_candidates = m->ncands;
	if (!rc)
		rc = resolve(m);
	if (rc) {
		m->nhits = 0;
		return rc;
	}
	*hits = m->hits;
	*nhits = m->nhits;
	return NR_OK;
}
