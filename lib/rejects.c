/*
 * rejects.c - the documents a run could not analyse, in input order.
 *
 * Each producer (the reader, each worker) adds its rejects in rising
 * sequence order to its own list, so no lock is needed; writing merges
 * the lists by sequence number.  A list holds at most `keep` in memory:
 * past that it moves them to a temporary file as records, so memory stays
 * bounded when most of a corpus is rejected (a CSV read as JSON lines
 * rejects every line, and used to hold about 200 bytes a line).
 *
 * A record on file: seq (8 bytes), the lengths of source, id and reason
 * (4 bytes each; id UINT32_MAX when there is none), then the three
 * strings, each with its NUL.
 */
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "rejects.h"

#define NO_ID	  UINT32_MAX
#define MAX_FIELD ((size_t)1 << 30)

static void reject_free(struct nri_reject *r)
{
	nri_free(r->source);
	nri_free(r->id);
	nri_free(r->reason);
}

/* Move the held rejects to the list's file, in their order. */
static int spill(struct nri_reject_list *l)
{
	if (!l->spill && !(l->spill = tmpfile()))
		return NR_EIO;
	if (fseek(l->spill, 0, SEEK_END))
		return NR_EIO;
	for (size_t i = 0; i < l->n; i++) {
		const struct nri_reject *r = &l->v[i];
		size_t ls = strlen(r->source), lr = strlen(r->reason);
		size_t li = r->id ? strlen(r->id) : 0;
		uint32_t len[3] = {(uint32_t)ls, r->id ? (uint32_t)li : NO_ID, (uint32_t)lr};

		if (fwrite(&r->seq, sizeof(r->seq), 1, l->spill) != 1 ||
		    fwrite(len, sizeof(len), 1, l->spill) != 1 ||
		    fwrite(r->source, 1, ls + 1, l->spill) != ls + 1 ||
		    (r->id && fwrite(r->id, 1, li + 1, l->spill) != li + 1) ||
		    fwrite(r->reason, 1, lr + 1, l->spill) != lr + 1)
			return NR_EIO;
	}
	for (size_t i = 0; i < l->n; i++)
		reject_free(&l->v[i]);
	l->nspilled += l->n;
	l->n = 0;
	return NR_OK;
}

int nri_reject_add(struct nri_reject_list *l, uint64_t seq, const char *source, const char *id,
		   size_t id_len, const char *reason)
{
	struct nri_reject *r;
	size_t ls = source ? strlen(source) : 0, lr = strlen(reason);

	if (ls >= MAX_FIELD || lr >= MAX_FIELD || id_len >= MAX_FIELD)
		return NR_ELIMIT;
	if (l->keep && l->n >= l->keep) {
		int rc = spill(l);

		if (rc)
			return rc;
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		struct nri_reject *nv = nri_realloc(l->v, ncap * sizeof(*nv));

		if (!nv)
			return NR_ENOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	r = &l->v[l->n];
	r->seq = seq;
	r->source = nri_strndup(source ? source : "", ls);
	r->id = id ? nri_strndup(id, id_len) : NULL;
	r->reason = nri_strndup(reason, lr);
	if (!r->source || !r->reason || (id && !r->id)) {
		reject_free(r);
		return NR_ENOMEM;
	}
	l->n++;
	return NR_OK;
}

void nri_reject_list_release(struct nri_reject_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		reject_free(&l->v[i]);
	nri_free(l->v);
	if (l->spill)
		fclose(l->spill);
	memset(l, 0, sizeof(*l));
}

/* A list read in order: its records on file, then the held ones. */
struct cursor {
	struct nri_reject_list *l;
	uint64_t left; /* records still on file */
	size_t next;   /* the next held one */
	struct nri_reject cur;
	int have;
	char *buf;
	size_t cap;
};

static int read_record(struct cursor *c)
{
	uint32_t len[3];
	size_t need;

	if (fread(&c->cur.seq, sizeof(c->cur.seq), 1, c->l->spill) != 1 ||
	    fread(len, sizeof(len), 1, c->l->spill) != 1)
		return NR_EIO;
	need = (size_t)len[0] + 1 + (len[1] == NO_ID ? 0 : (size_t)len[1] + 1) + (size_t)len[2] + 1;
	if (need > c->cap) {
		char *nb = nri_realloc(c->buf, need);

		if (!nb)
			return NR_ENOMEM;
		c->buf = nb;
		c->cap = need;
	}
	if (fread(c->buf, 1, need, c->l->spill) != need)
		return NR_EIO;
	c->cur.source = c->buf;
	c->cur.id = len[1] == NO_ID ? NULL : c->buf + len[0] + 1;
	c->cur.reason = c->buf + need - len[2] - 1;
	return NR_OK;
}

static int advance(struct cursor *c)
{
	c->have = 0;
	if (c->left) {
		int rc = read_record(c);

		if (rc)
			return rc;
		c->left--;
		c->have = 1;
	} else if (c->next < c->l->n) {
		c->cur = c->l->v[c->next++];
		c->have = 1;
	}
	return NR_OK;
}

int nri_rejects_each(struct nri_reject_list *const *lists, size_t nlists,
		     int (*fn)(void *ctx, const struct nri_reject *r), void *ctx)
{
	struct cursor *c = nri_calloc(nlists ? nlists : 1, sizeof(*c));
	int rc = NR_OK;

	if (!c)
		return NR_ENOMEM;
	for (size_t i = 0; i < nlists && !rc; i++) {
		c[i].l = lists[i];
		c[i].left = lists[i]->nspilled;
		if (lists[i]->spill &&
		    (fflush(lists[i]->spill) || fseek(lists[i]->spill, 0, SEEK_SET)))
			rc = NR_EIO;
		if (!rc)
			rc = advance(&c[i]);
	}
	while (!rc) {
		size_t best = nlists;

		for (size_t i = 0; i < nlists; i++)
			if (c[i].have && (best == nlists || c[i].cur.seq < c[best].cur.seq))
				best = i;
		if (best == nlists)
			break;
		rc = fn(ctx, &c[best].cur);
		if (!rc)
			rc = advance(&c[best]);
	}
	for (size_t i = 0; i < nlists; i++)
		nri_free(c[i].buf);
	nri_free(c);
	return rc;
}
