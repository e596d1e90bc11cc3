/*
 * homogeneity_write.c - the folder of `narrate homogeneity`
 * (docs/homogeneity.md): homogeneity.csv, clusters.csv,
 * cross_clusters.csv, cliches.csv, similarity.csv, rejects.jsonl and
 * manifest.json, written atomically through analysis_write.c's folder
 * swap.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "analyze.h"
#include "buf.h"
#include "homogeneity.h"
#include "minhash.h"

static void csv_str(FILE *f, const char *s)
{
	nri_csv_field(f, s ? s : "", s ? strlen(s) : 0);
}

/* The document's id and text prefix ("" when the store kept none). */
static void doc_text(const struct nr_analysis *a, uint32_t m, const char **id, const char **text)
{
	const struct nri_dupstore *st;
	unsigned w;
	size_t l;

	nri_dupdocs_where(&a->dd, m, &w, &l);
	st = &a->workers[w].dup;
	*id = *text = "";
	if (st->keep_text && st->txt.data) {
		*id = st->txt.data + st->txt_off[l];
		*text = *id + strlen(*id) + 1;
	}
}

struct hrank {
	double h;
	size_t i;
};

static int cmp_homog(const void *x, const void *y)
{
	const struct hrank *p = x, *q = y;

	if (isnan(p->h) != isnan(q->h))
		return isnan(p->h) ? 1 : -1;
	if (!isnan(p->h) && p->h != q->h)
		return p->h > q->h ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

/* Groups by homogeneity, most homogeneous first (ties and undefined by id). */
static size_t *by_homogeneity(const struct nr_analysis *a)
{
	size_t *o = nri_malloc((a->ngroups ? a->ngroups : 1) * sizeof(*o));
	struct hrank *v = nri_malloc((a->ngroups ? a->ngroups : 1) * sizeof(*v));

	if (!o || !v) {
		nri_free(o);
		nri_free(v);
		return NULL;
	}
	for (size_t i = 0; i < a->ngroups; i++) {
		v[i].h = a->results[i].m[M_HOMOGENEITY];
		v[i].i = i;
	}
	qsort(v, a->ngroups, sizeof(*v), cmp_homog);
	for (size_t i = 0; i < a->ngroups; i++)
		o[i] = v[i].i;
	nri_free(v);
	return o;
}

static int write_homogeneity(struct nr_analysis *a, const char *dir)
{
	static const int cols[] = {M_DUP_WITHIN,  M_DUP_ACROSS,	 M_CLICHE_RATE,
				   M_COSINE_MEAN, M_HOMOGENEITY, M_DISTINCTIVENESS};
	FILE *f = nri_out_open(a, dir, "homogeneity.csv");
	size_t *o;

	if (!f)
		return NR_EIO;
	o = by_homogeneity(a);
	if (!o) {
		fclose(f);
		return NR_ENOMEM;
	}
	fputs("city_id,city_name,documents,dup_within,dup_across,cliche_rate,cosine_mean,"
	      "homogeneity,distinctiveness,tags\n",
	      f);
	for (size_t k = 0; k < a->ngroups; k++) {
		const struct nri_result *r = &a->results[o[k]];
		struct nri_buf tags;

		csv_str(f, a->groups[o[k]].id);
		fputc(',', f);
		csv_str(f, r->name);
		fprintf(f, ",%llu", (unsigned long long)a->groups[o[k]].docs);
		for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++) {
			fputc(',', f);
			nri_csv_num(f, r->m[cols[c]]);
		}
		fputc(',', f);
		nri_buf_init(&tags, 0);
		for (size_t i = 0; i < r->nkey && i < 10; i++)
			if ((i && nri_buf_addc(&tags, ';')) ||
			    nri_buf_add(&tags, r->key_s[i], r->key_len[i])) {
				nri_buf_release(&tags);
				nri_free(o);
				fclose(f);
				return NR_ENOMEM;
			}
		nri_csv_field(f, tags.data ? tags.data : "", tags.len);
		nri_buf_release(&tags);
		fputc('\n', f);
	}
	nri_free(o);
	return nri_out_close(a, f, dir, "homogeneity.csv");
}

/* The groups of document m, final indexes, in the worker's order. */
static size_t doc_groups(const struct nr_analysis *a, uint32_t m, uint32_t *out, size_t max)
{
	const struct nri_worker *w;
	const struct nri_dupstore *st;
	unsigned wi;
	size_t l, n = 0;

	nri_dupdocs_where(&a->dd, m, &wi, &l);
	w = &a->workers[wi];
	st = &w->dup;

	for (size_t q = 0; q < st->gn[l] && n < max; q++) {
		uint32_t g = w->gmap[st->gpool[st->goff[l] + q]];

		if (g < a->ngroups)
			out[n++] = g;
	}
	return n;
}

/* Members of every cluster, cluster by cluster, in input order:
 * first[c] .. first[c + 1] in *members (c from 0). */
static int cluster_members(const struct nr_analysis *a, uint32_t **members, uint32_t **first)
{
	size_t n = a->dd.n, C = a->nclusters;
	uint32_t *m = nri_malloc((n ? n : 1) * sizeof(*m));
	uint32_t *f = nri_calloc(C + 1, sizeof(*f));
	uint32_t *pos = nri_malloc((C + 1) * sizeof(*pos));

	if (!m || !f || !pos) {
		nri_free(m);
		nri_free(f);
		nri_free(pos);
		return NR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (a->dup_cluster[i])
			f[a->dup_cluster[i]]++;
	for (size_t c = 1; c <= C; c++)
		f[c] += f[c - 1];
	memcpy(pos, f, (C + 1) * sizeof(*pos));
	for (size_t i = 0; i < n; i++)
		if (a->dup_cluster[i])
			m[pos[a->dup_cluster[i] - 1]++] = (uint32_t)i;
	nri_free(pos);
	*members = m;
	*first = f;
	return NR_OK;
}

static double sim_to_root(const struct nr_analysis *a, uint32_t m)
{
	uint32_t r = a->dup_root[m];

	if (r == m)
		return 1;
	return nri_lsh_similarity(&a->dd, r, m);
}

static int write_clusters(struct nr_analysis *a, const char *dir, const uint32_t *members,
			  const uint32_t *first)
{
	FILE *f = nri_out_open(a, dir, "clusters.csv");
	uint32_t gs[64];

	if (!f)
		return NR_EIO;
	fputs("cluster_id,doc_id,city_id,similarity\n", f);
	for (size_t c = 0; c < a->nclusters; c++)
		for (uint32_t k = first[c]; k < first[c + 1]; k++) {
			uint32_t m = members[k];
			const char *id, *text;
			size_t ng = doc_groups(a, m, gs, 64);
			double sim = sim_to_root(a, m);

			doc_text(a, m, &id, &text);
			for (size_t q = 0; q < ng; q++) {
				fprintf(f, "%zu,", c + 1);
				csv_str(f, id);
				fputc(',', f);
				csv_str(f, a->groups[gs[q]].id);
				fputc(',', f);
				nri_csv_num(f, sim);
				fputc('\n', f);
			}
		}
	return nri_out_close(a, f, dir, "clusters.csv");
}

struct cross {
	size_t cluster, docs, cities;
};

static int cmp_cross(const void *x, const void *y)
{
	const struct cross *p = x, *q = y;

	if (p->cities != q->cities)
		return p->cities > q->cities ? -1 : 1;
	if (p->docs != q->docs)
		return p->docs > q->docs ? -1 : 1;
	return (p->cluster > q->cluster) - (p->cluster < q->cluster);
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a > b) - (a < b);
}

/* Clusters spanning groups, with their groups and a representative text
 * (the cluster's first document), most groups first. */
static int write_cross(struct nr_analysis *a, const char *dir, const uint32_t *members,
		       const uint32_t *first)
{
	FILE *f = nri_out_open(a, dir, "cross_clusters.csv");
	struct cross *v = nri_malloc((a->nclusters ? a->nclusters : 1) * sizeof(*v));
	uint32_t *gl = nri_malloc((a->ngroups ? a->ngroups : 1) * sizeof(*gl));
	unsigned char *seen = nri_calloc(a->ngroups ? a->ngroups : 1, 1);
	size_t nv = 0;
	uint32_t gs[64];

	if (!f || !v || !gl || !seen) {
		if (f)
			fclose(f);
		nri_free(v);
		nri_free(gl);
		nri_free(seen);
		return f ? NR_ENOMEM : NR_EIO;
	}
	for (size_t c = 0; c < a->nclusters; c++) {
		size_t ng = 0;

		for (uint32_t k = first[c]; k < first[c + 1]; k++) {
			size_t n = doc_groups(a, members[k], gs, 64);

			for (size_t q = 0; q < n; q++)
				if (!seen[gs[q]]) {
					seen[gs[q]] = 1;
					gl[ng++] = gs[q];
				}
		}
		for (size_t q = 0; q < ng; q++)
			seen[gl[q]] = 0;
		if (ng >= 2) {
			v[nv].cluster = c;
			v[nv].docs = first[c + 1] - first[c];
			v[nv].cities = ng;
			nv++;
		}
	}
	qsort(v, nv, sizeof(*v), cmp_cross);
	fputs("cluster_id,documents,cities,city_ids,doc_id,text\n", f);
	for (size_t i = 0; i < nv; i++) {
		size_t c = v[i].cluster, ng = 0;
		const char *id, *text;
		struct nri_buf ids;

		for (uint32_t k = first[c]; k < first[c + 1]; k++) {
			size_t n = doc_groups(a, members[k], gs, 64);

			for (size_t q = 0; q < n; q++)
				if (!seen[gs[q]]) {
					seen[gs[q]] = 1;
					gl[ng++] = gs[q];
				}
		}
		qsort(gl, ng, sizeof(*gl), cmp_u32);
		nri_buf_init(&ids, 0);
		for (size_t q = 0; q < ng; q++) {
			seen[gl[q]] = 0;
			if ((q && nri_buf_addc(&ids, ';')) ||
			    nri_buf_adds(&ids, a->groups[gl[q]].id)) {
				nri_buf_release(&ids);
				fclose(f);
				nri_free(v);
				nri_free(gl);
				nri_free(seen);
				return NR_ENOMEM;
			}
		}
		doc_text(a, members[first[c]], &id, &text);
		fprintf(f, "%zu,%zu,%zu,", c + 1, v[i].docs, v[i].cities);
		nri_csv_field(f, ids.data ? ids.data : "", ids.len);
		fputc(',', f);
		csv_str(f, id);
		fputc(',', f);
		{
			/* one line: newlines and tabs as spaces */
			char *t = nri_strndup(text, strlen(text));

			if (t) {
				for (char *p = t; *p; p++)
					if (*p == '\n' || *p == '\r' || *p == '\t')
						*p = ' ';
				csv_str(f, t);
				nri_free(t);
			}
		}
		fputc('\n', f);
		nri_buf_release(&ids);
	}
	nri_free(v);
	nri_free(gl);
	nri_free(seen);
	return nri_out_close(a, f, dir, "cross_clusters.csv");
}

/* One row per cliche; city_ids lists every city using it (the groups are
 * sorted by id, so ascending indexes give the ids in byte order, as in
 * cross_clusters.csv): the report draws the phrase x city matrix from it. */
static int write_cliches(struct nr_analysis *a, const char *dir)
{
	FILE *f = nri_out_open(a, dir, "cliches.csv");
	struct nri_buf ids;

	if (!f)
		return NR_EIO;
	nri_buf_init(&ids, 0);
	fputs("ngram,cities,documents,example_city,city_ids\n", f);
	for (size_t i = 0; i < a->ncliches; i++) {
		const struct nri_cliche_item *c = &a->cliches[i];
		size_t k = 0;

		nri_buf_reset(&ids);
		for (uint32_t q = 0; q < c->cities; q++) {
			if (c->groups[q] >= a->ngroups)
				continue;
			if ((k++ && nri_buf_addc(&ids, ';')) ||
			    nri_buf_adds(&ids, a->groups[c->groups[q]].id)) {
				nri_buf_release(&ids);
				fclose(f);
				return NR_ENOMEM;
			}
		}
		csv_str(f, c->text);
		fprintf(f, ",%u,%u,", c->cities, c->docs);
		csv_str(f, c->example < a->ngroups ? a->groups[c->example].id : "");
		fputc(',', f);
		nri_csv_field(f, ids.data ? ids.data : "", ids.len);
		fputc('\n', f);
	}
	nri_buf_release(&ids);
	return nri_out_close(a, f, dir, "cliches.csv");
}

static int write_similarity(struct nr_analysis *a, const char *dir)
{
	FILE *f = nri_out_open(a, dir, "similarity.csv");
	size_t G = a->ngroups;

	if (!f)
		return NR_EIO;
	fputs("city_a,city_b,cosine,shared_clusters\n", f);
	for (size_t i = 0; i < G; i++)
		for (size_t j = 0; j < G; j++) {
			if (i == j)
				continue;
			csv_str(f, a->groups[i].id);
			fputc(',', f);
			csv_str(f, a->groups[j].id);
			fputc(',', f);
			nri_csv_num(f, a->cosine[i * G + j]);
			fprintf(f, ",%u\n", a->shared ? a->shared[i * G + j] : 0);
		}
	return nri_out_close(a, f, dir, "similarity.csv");
}

int nri_homogeneity_fill(struct nr_analysis *a, const char *dir, const char *command)
{
	uint32_t *members = NULL, *first = NULL;
	int rc;

	if ((rc = cluster_members(a, &members, &first)))
		return rc;
	if ((rc = write_homogeneity(a, dir)) || (rc = write_clusters(a, dir, members, first)) ||
	    (rc = write_cross(a, dir, members, first)) || (rc = write_cliches(a, dir)) ||
	    (rc = write_similarity(a, dir)) || (rc = nri_write_rejects(a, dir)) ||
	    (rc = nri_write_manifest(a, dir, command)))
		goto out;
out:
	nri_free(members);
	nri_free(first);
	return rc;
}

int nr_analysis_write_homogeneity(struct nr_analysis *a, const char *outdir, const char *command)
{
	if (!a->results && a->ngroups) {
		snprintf(a->errmsg, sizeof(a->errmsg),
			 "nothing to write: the analysis has not run");
		return NR_EINVAL;
	}
	return nri_analysis_write_folder(a, outdir, command, nri_homogeneity_fill);
}
