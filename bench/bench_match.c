/*
 * bench_match.c - lexicon matching throughput (nr_matcher_match).
 *
 *   bench_match [--runs N] [--mb M] [--lexicons DIR] [--data DIR]
 *
 * Texts (read at bench time, never committed):
 *   en   real English: DIR/en.txt (bench/mkdata.sh: the Debian Reference),
 *        else the files of /usr/share/common-licenses, first M MB (default 4);
 *   zh   real Chinese: DIR/zh.txt when present, first M MB;
 *   city synthetic, city-rich: sentences in English and Chinese built from
 *        the city names of lexicons/cities.nlex (name_en, name_zh
 *        attributes) and a fixed filler vocabulary, M MB, generated with a
 *        fixed seed.
 * Each text is cut at newlines into documents of about 4 KB.  Timed:
 * nr_matcher_match only, CPU time of the thread, median of N runs (default
 * 5); tokenization is excluded (its throughput is printed for reference).
 * As in the pipeline, each document is tokenized (untimed) just before it
 * is matched, so its tokens are in cache; the shipped lexicons are also
 * timed on saved token copies read cold from memory.  MB/s are 10^6 bytes
 * of ORIGINAL text per second.
 *
 * Lexicon sets:
 *   shipped   every .nlex file in lexicons/ that loads, in one matcher;
 *   syn-100   100 synthetic entries;
 *   syn-20000 20,000 synthetic entries (deterministic: 40% single words -
 *             half of them words of the texts, a tenth of those prefix
 *             wildcards - 30% multiword entries, 30% CJK terms of 2-4
 *             characters seen in the texts).
 * The requirement: time(syn-20000) <= 1.5 x time(shipped).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "narrate.h"

#define MAX_LEX 32

struct doc {
	const char *text;
	size_t len;
	struct nr_token *toks;
	size_t ntoks;
};

struct textset {
	const char *name;
	const char *lang;
	char *buf;
	size_t len;
	struct doc *docs;
	size_t ndocs;
	double tok_s;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "bench_match: out of memory\n");
		exit(1);
	}
	return p;
}

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sadd(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p) {
			fprintf(stderr, "bench_match: out of memory\n");
			exit(1);
		}
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sadds(struct sbuf *b, const char *s)
{
	sadd(b, s, strlen(s));
}

/* Read up to max bytes of path, appended to b; cut at the last newline. */
static void read_into(struct sbuf *b, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	char tmp[65536];
	size_t n;

	if (!f)
		return;
	while (b->len < max && (n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		sadd(b, tmp, n < max - b->len ? n : max - b->len);
	fclose(f);
	while (b->len && b->p[b->len - 1] != '\n')
		b->len--;
	if (b->p)
		b->p[b->len] = '\0';
}

/* Tokenize into ~4 KB documents, copying tokens and norms out of the
 * tokenizer's borrowed storage. */
static void prepare(struct textset *t, struct nr_tokenizer *tok, const char *lang)
{
	size_t pos = 0, cap = 0;
	double t0 = now();

	while (pos < t->len) {
		size_t end = pos + 4096 < t->len ? pos + 4096 : t->len;
		const struct nr_token *tk;
		size_t n, i, nl = 0;
		struct doc *d;
		char *norms;

		while (end < t->len && t->buf[end - 1] != '\n')
			end++;
		if (nr_tokenize(tok, t->buf + pos, end - pos, lang, &tk, &n) != NR_OK) {
			fprintf(stderr, "bench_match: cannot tokenize %s\n", t->name);
			exit(1);
		}
		if (t->ndocs == cap) {
			cap = cap ? cap * 2 : 1024;
			t->docs = realloc(t->docs, cap * sizeof(*t->docs));
			if (!t->docs)
				exit(1);
		}
		d = &t->docs[t->ndocs++];
		d->text = t->buf + pos;
		d->len = end - pos;
		d->ntoks = n;
		d->toks = xmalloc(n * sizeof(*d->toks));
		for (i = 0; i < n; i++)
			nl += tk[i].norm_len;
		norms = xmalloc(nl);
		nl = 0;
		for (i = 0; i < n; i++) {
			d->toks[i] = tk[i];
			memcpy(norms + nl, tk[i].norm, tk[i].norm_len);
			d->toks[i].norm = norms + nl;
			d->toks[i].stem = d->toks[i].norm;
			d->toks[i].stem_len = d->toks[i].norm_len;
			nl += tk[i].norm_len;
		}
		pos = end;
	}
	t->tok_s = now() - t0;
}

/* Time matching t with m: median seconds of runs; *hits of one run.
 * hot: as in the pipeline, each document is tokenized (untimed) right
 * before it is matched, so its tokens are in cache; otherwise the saved
 * token copies are matched (cold: 80 bytes a token read from memory). */
static double time_match(struct nr_matcher *m, const struct textset *t, int runs, size_t *hits,
			 struct nr_tokenizer *tok, const char *lang)
{
	double *v = xmalloc((size_t)runs * sizeof(*v)), med;
	int r;

	for (r = 0; r < runs; r++) {
		size_t i, h = 0;
		double acc = 0, t0 = now();

		for (i = 0; i < t->ndocs; i++) {
			const struct nr_match_hit *hh;
			const struct nr_token *tk = t->docs[i].toks;
			size_t nh, nt = t->docs[i].ntoks;
			double t1;

			if (tok && nr_tokenize(tok, t->docs[i].text, t->docs[i].len, lang, &tk,
					       &nt) != NR_OK) {
				fprintf(stderr, "bench_match: cannot tokenize\n");
				exit(1);
			}
			t1 = now();
			if (nr_matcher_match(m, t->docs[i].text, t->docs[i].len, tk, nt, NULL, &hh,
					     &nh) != NR_OK) {
				fprintf(stderr, "bench_match: match failed\n");
				exit(1);
			}
			acc += now() - t1;
			h += nh;
		}
		v[r] = tok ? acc : now() - t0;
		*hits = h;
	}
	qsort(v, (size_t)runs, sizeof(*v), cmpd);
	med = v[runs / 2];
	free(v);
	return med;
}

/* Words and CJK characters seen in the texts, for synthetic entries. */
struct vocab {
	char **w;
	size_t nw;
	uint32_t *cjk;
	size_t ncjk;
};

static int is_cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

static void collect(struct vocab *v, const struct textset *ts, size_t nts)
{
	size_t cap = 0, ccap = 0, s, d, i;
	unsigned char *seen = calloc(0x10000, 1);
	unsigned char *wseen = calloc(1 << 22, 1); /* hashed word set */

	for (s = 0; s < nts; s++)
		for (d = 0; d < ts[s].ndocs; d += 7)
			for (i = 0; i < ts[s].docs[d].ntoks; i += 3) {
				const struct nr_token *t = &ts[s].docs[d].toks[i];
				const unsigned char *p = (const unsigned char *)t->norm;

				if (t->type != NR_TOKEN_WORD || !t->norm_len)
					continue;
				if (t->cjk) {
					size_t k;

					for (k = 0; k + 3 <= t->norm_len; k += 3) {
						uint32_t c = ((uint32_t)(p[k] & 0x0F) << 12) |
							     ((uint32_t)(p[k + 1] & 0x3F) << 6) |
							     (p[k + 2] & 0x3F);

						if ((p[k] & 0xF0) != 0xE0 || !is_cjk(c) || seen[c])
							continue;
						seen[c] = 1;
						if (v->ncjk == ccap) {
							ccap = ccap ? ccap * 2 : 1024;
							v->cjk = realloc(v->cjk,
									 ccap * sizeof(*v->cjk));
						}
						v->cjk[v->ncjk++] = c;
					}
					continue;
				}
				if (t->norm_len < 3 || t->norm_len > 20 ||
				    strcspn(t->norm, "\\|*@#-") < t->norm_len)
					continue;
				{
					/* distinct words only (FNV-1a into a bit set;
					 * a collision just drops a word) */
					uint32_t h = 2166136261u;
					size_t k;

					for (k = 0; k < t->norm_len; k++)
						h = (h ^ p[k]) * 16777619u;
					h &= (1u << 25) - 1;
					if (wseen[h >> 3] & (1u << (h & 7)))
						continue;
					wseen[h >> 3] |= (unsigned char)(1u << (h & 7));
				}
				if (v->nw == cap) {
					cap = cap ? cap * 2 : 4096;
					v->w = realloc(v->w, cap * sizeof(*v->w));
				}
				v->w[v->nw] = xmalloc(t->norm_len + 1);
				memcpy(v->w[v->nw], t->norm, t->norm_len);
				v->w[v->nw][t->norm_len] = '\0';
				v->nw++;
			}
	free(seen);
	free(wseen);
}

static void put_cjk(struct sbuf *b, uint32_t c)
{
	char u[3];

	u[0] = (char)(0xE0 | (c >> 12));
	u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
	u[2] = (char)(0x80 | (c & 0x3F));
	sadd(b, u, 3);
}

static const char *word(const struct vocab *v, char *tmp)
{
	if (v->nw && next_rand() % 2)
		return v->w[next_rand() % v->nw];
	snprintf(tmp, 32, "zq%llx", (unsigned long long)(next_rand() % 100000000));
	return tmp;
}

static struct nr_lexicon *synthetic(const struct vocab *v, size_t n)
{
	struct sbuf b = {0};
	struct nr_lexicon *lex;
	char tmp[3][32];
	size_t i;

	rng = 0x9E3779B97F4A7C15ULL;
	sadds(&b, "@lexicon synthetic\n");
	for (i = 0; i < n; i++) {
		unsigned kind = (unsigned)(i % 10);

		if (i % 500 == 0) {
			char cat[64];

			snprintf(cat, sizeof(cat), "@category syn/c%zu\n", i / 500);
			sadds(&b, cat);
		}
		if (kind < 4) {
			const char *w = word(v, tmp[0]);

			if (i % 40 == 0 && strlen(w) > 5 && !((w[0] | w[1] | w[2] | w[3]) & 0x80)) {
				sadd(&b, w, 4);
				sadds(&b, "*");
			} else {
				sadds(&b, w);
			}
		} else if (kind < 7) {
			sadds(&b, word(v, tmp[0]));
			sadds(&b, " ");
			sadds(&b, word(v, tmp[1]));
			if (kind == 6) {
				sadds(&b, " ");
				sadds(&b, word(v, tmp[2]));
			}
		} else if (v->ncjk) {
			size_t k, len = 2 + next_rand() % 3;

			for (k = 0; k < len; k++)
				put_cjk(&b, v->cjk[next_rand() % v->ncjk]);
		} else {
			sadds(&b, word(v, tmp[0]));
		}
		sadds(&b, "\n");
	}
	if (nr_lexicon_new(&lex) || nr_lexicon_load_buffer(lex, b.p, b.len, "synthetic")) {
		fprintf(stderr, "bench_match: synthetic lexicon: %s\n", nr_lexicon_errmsg(lex));
		exit(1);
	}
	free(b.p);
	return lex;
}

static const char *const filler_en[] = {
	"the",	  "city",  "visit", "travel", "museum",	 "festival", "food",
	"people", "river", "new",   "old",    "culture", "with",     "and",
	"in",	  "of",	   "a",	    "great",  "morning", "street",
};
static const char *const filler_zh[] = {
	"旅游",	  "文化", "的",	  "城市", "美食", "我们", "历史", "今天",
	"博物馆", "非常", "风景", "在",	  "去",	  "和",	  "新的", "发展",
};

/* City-rich synthetic text: each sentence names one or two cities. */
static void city_text(struct sbuf *b, const struct nr_lexicon *cities, size_t max)
{
	size_t n = cities ? nr_lexicon_entity_count(cities) : 0;

	rng = 12345;
	while (b->len < max) {
		int zh = next_rand() % 2, k, words = 6 + (int)(next_rand() % 10);

		for (k = 0; k < words; k++) {
			if (n && next_rand() % 5 == 0) {
				int e = (int)(next_rand() % n);
				const char *nm = nr_lexicon_entity_attr(cities, e,
									zh ? "name_zh" : "name_en");

				if (nm)
					sadds(b, nm);
			} else if (zh) {
				sadds(b, filler_zh[next_rand() %
						   (sizeof(filler_zh) / sizeof(*filler_zh))]);
			} else {
				sadds(b, filler_en[next_rand() %
						   (sizeof(filler_en) / sizeof(*filler_en))]);
			}
			sadds(b, zh ? "" : " ");
		}
		sadds(b, zh ? "。\n" : ".\n");
	}
}

int main(int argc, char **argv)
{
	const char *lexdir = "lexicons", *datadir = "bench/data";
	int runs = 5, i;
	size_t mb = 4, nts = 0, nlex = 0, s, entries = 0;
	struct textset ts[3];
	struct nr_lexicon *lex[MAX_LEX], *cities = NULL, *syn100, *syn20k;
	struct nr_matcher *mship, *m100, *m20k;
	struct nr_tokenizer *tok;
	struct nr_tokenizer_options o = {0};
	struct vocab v = {0};
	double tot_ship = 0, tot_20k = 0, tot_100 = 0;
	char path[4096];
	DIR *dir;
	struct dirent *de;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--mb") && i + 1 < argc)
			mb = (size_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--lexicons") && i + 1 < argc)
			lexdir = argv[++i];
		else if (!strcmp(argv[i], "--data") && i + 1 < argc)
			datadir = argv[++i];
		else {
			fprintf(stderr, "usage: bench_match [--runs N] [--mb M] [--lexicons DIR] "
					"[--data DIR]\n");
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	/* shipped lexicons, in name order */
	dir = opendir(lexdir);
	if (dir) {
		char *names[MAX_LEX];
		size_t nn = 0, a, c;

		while ((de = readdir(dir)) && nn < MAX_LEX) {
			size_t l = strlen(de->d_name);

			if (l > 5 && !strcmp(de->d_name + l - 5, ".nlex"))
				names[nn++] = strdup(de->d_name);
		}
		closedir(dir);
		for (a = 0; a < nn; a++)
			for (c = a + 1; c < nn; c++)
				if (strcmp(names[a], names[c]) > 0) {
					char *t = names[a];

					names[a] = names[c];
					names[c] = t;
				}
		for (a = 0; a < nn; a++) {
			snprintf(path, sizeof(path), "%s/%s", lexdir, names[a]);
			nr_lexicon_new(&lex[nlex]);
			if (nr_lexicon_load_file(lex[nlex], path) != NR_OK) {
				fprintf(stderr, "bench_match: skipping %s\n",
					nr_lexicon_errmsg(lex[nlex]));
				nr_lexicon_free(lex[nlex]);
			} else {
				if (!strcmp(nr_lexicon_name(lex[nlex]), "cities"))
					cities = lex[nlex];
				entries += nr_lexicon_entry_count(lex[nlex]);
				nlex++;
			}
			free(names[a]);
		}
	}
	if (!nlex) {
		fprintf(stderr, "bench_match: no lexicon in %s\n", lexdir);
		return 1;
	}
	o.flags = NR_TOKENIZE_NO_STEM;
	if (nr_tokenizer_new(&tok, &o)) {
		fprintf(stderr, "bench_match: no tokenizer\n");
		return 1;
	}
	/* texts */
	{
		struct sbuf b = {0};

		snprintf(path, sizeof(path), "%s/en.txt", datadir);
		read_into(&b, path, mb << 20);
		if (!b.len) {
			DIR *cl = opendir("/usr/share/common-licenses");

			while (cl && (de = readdir(cl)) && b.len < (mb << 20)) {
				if (de->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "/usr/share/common-licenses/%s",
					 de->d_name);
				read_into(&b, path, mb << 20);
			}
			if (cl)
				closedir(cl);
		}
		if (b.len) {
			ts[nts].name = "en";
			ts[nts].lang = "en";
			ts[nts].buf = b.p;
			ts[nts].len = b.len;
			ts[nts].docs = NULL;
			ts[nts].ndocs = 0;
			prepare(&ts[nts++], tok, "en");
		}
	}
	{
		struct sbuf b = {0};

		snprintf(path, sizeof(path), "%s/zh.txt", datadir);
		read_into(&b, path, mb << 20);
		if (b.len) {
			ts[nts].name = "zh";
			ts[nts].lang = "zh";
			ts[nts].buf = b.p;
			ts[nts].len = b.len;
			ts[nts].docs = NULL;
			ts[nts].ndocs = 0;
			prepare(&ts[nts++], tok, "zh");
		}
	}
	{
		struct sbuf b = {0};

		city_text(&b, cities, mb << 20);
		ts[nts].name = "city";
		ts[nts].lang = "und";
		ts[nts].buf = b.p;
		ts[nts].len = b.len;
		ts[nts].docs = NULL;
		ts[nts].ndocs = 0;
		prepare(&ts[nts++], tok, "und");
	}
	collect(&v, ts, nts);
	syn100 = synthetic(&v, 100);
	syn20k = synthetic(&v, 20000);
	if (nr_matcher_new(&mship, (const struct nr_lexicon *const *)lex, nlex) ||
	    nr_matcher_new(&m100, (const struct nr_lexicon *const *)&syn100, 1) ||
	    nr_matcher_new(&m20k, (const struct nr_lexicon *const *)&syn20k, 1)) {
		fprintf(stderr, "bench_match: cannot compile\n");
		return 1;
	}
	printf("bench_match: %zu shipped lexicons (%zu entries), synthetic 100 and %zu "
	       "entries; median of %d runs, thread CPU time; tokenization excluded "
	       "(shown once for reference)\n",
	       nlex, entries, nr_lexicon_entry_count(syn20k), runs);
	printf("%-5s %8s %9s  %-11s %10s %9s\n", "text", "MB", "tokenize", "lexicons", "match MB/s",
	       "hits");
	for (s = 0; s < nts; s++) {
		double mbytes = (double)ts[s].len / 1e6, t1, t2, t3, tc;
		size_t h1, h2, h3, hc;

		t1 = time_match(mship, &ts[s], runs, &h1, tok, ts[s].lang);
		t2 = time_match(m100, &ts[s], runs, &h2, tok, ts[s].lang);
		t3 = time_match(m20k, &ts[s], runs, &h3, tok, ts[s].lang);
		tc = time_match(mship, &ts[s], runs, &hc, NULL, NULL);
		tot_ship += t1;
		tot_100 += t2;
		tot_20k += t3;
		printf("%-5s %8.1f %6.1f MB/s  %-11s %10.1f %9zu\n", ts[s].name, mbytes,
		       mbytes / ts[s].tok_s, "shipped", mbytes / t1, h1);
		printf("%-5s %8s %9s  %-11s %10.1f %9zu\n", "", "", "", "syn-100", mbytes / t2, h2);
		printf("%-5s %8s %9s  %-11s %10.1f %9zu\n", "", "", "", "syn-20000", mbytes / t3,
		       h3);
		printf("%-5s %8s %9s  time ratio syn-20000/shipped %.2f, syn-20000/syn-100 %.2f; "
		       "shipped with cold tokens %.1f MB/s\n",
		       "", "", "", t3 / t1, t3 / t2, mbytes / tc);
		(void)hc;
	}
	printf("all texts: time ratio syn-20000/shipped = %.2f (required <= 1.5: %s); "
	       "syn-20000/syn-100 = %.2f\n",
	       tot_20k / tot_ship, tot_20k <= 1.5 * tot_ship ? "ok" : "NOT MET", tot_20k / tot_100);
	nr_matcher_free(mship);
	nr_matcher_free(m100);
	nr_matcher_free(m20k);
	for (s = 0; s < nlex; s++)
		nr_lexicon_free(lex[s]);
	nr_lexicon_free(syn100);
	nr_lexicon_free(syn20k);
	nr_tokenizer_free(tok);
	return tot_20k <= 1.5 * tot_ship ? 0 : 1;
}
