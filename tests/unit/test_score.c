/*
 * test_score.c - the scorer (nr_scorer_*): index definition errors with
 * their lines, missing-value policies, the external-indicator CSV, the
 * Monte Carlo's repeatability, and the dominance property over random
 * matrices for every combination where it must hold (docs/scoring.md).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "narrate.h"
#include "alloc.h"
#include "prng.h"

static const char measures3[] =
	"{\"schema\":\"narrate.measures\",\"version\":1,\"group_by\":[\"city\"],\"groups\":[\n"
	"{\"id\":\"a\",\"name\":\"Alpha\",\"region\":\"east\",\"north_south\":\"south\","
	"\"measures\":{\"ttr\":0.5,\"mtld\":80,\"cosine_mean\":0.4,\"gap\":1},"
	"\"topics\":{\"topic/food\":0.2}},\n"
	"{\"id\":\"b\",\"name\":\"Beta\",\"region\":\"west\",\"north_south\":\"north\","
	"\"measures\":{\"ttr\":0.4,\"mtld\":60,\"cosine_mean\":0.6,\"gap\":null},"
	"\"topics\":{\"topic/food\":0.1}},\n"
	"{\"id\":\"c\",\"name\":\"Gamma\",\"name_zh\":\"伽马\",\"region\":\"central\","
	"\"north_south\":\"north\",\"measures\":{\"ttr\":0.6,\"mtld\":90,\"cosine_mean\":0.3,"
	"\"gap\":4},\"topics\":{\"topic/food\":0.05}}\n"
	"]}\n";

static struct nr_scorer *loaded(const char *yaml, const char *csv)
{
	struct nr_scorer *sc;

	assert_int_equal(nr_scorer_new(&sc), NR_OK);
	assert_int_equal(nr_scorer_load_index(sc, yaml, strlen(yaml), "t.yaml"), NR_OK);
	assert_int_equal(nr_scorer_load_measures(sc, measures3, strlen(measures3), "m.json"),
			 NR_OK);
	if (csv)
		assert_int_equal(nr_scorer_load_indicators(sc, csv, strlen(csv), "x.csv"), NR_OK);
	return sc;
}

/* The index file is refused with the right code and "t.yaml:LINE:" */
static void expect_index_error(const char *yaml, const char *where, const char *what)
{
	struct nr_scorer *sc;
	int rc;

	assert_int_equal(nr_scorer_new(&sc), NR_OK);
	rc = nr_scorer_load_index(sc, yaml, strlen(yaml), "t.yaml");
	if (rc == NR_OK)
		fail_msg("accepted: %s", yaml);
	if (strncmp(nr_scorer_errmsg(sc), where, strlen(where)) ||
	    !strstr(nr_scorer_errmsg(sc), what))
		fail_msg("message '%s' does not start with '%s' and name '%s'",
			 nr_scorer_errmsg(sc), where, what);
	nr_scorer_free(sc);
}

static int has_warning(struct nr_scorer *sc, const char *prefix, const char *what)
{
	size_t i;

	for (i = 0; i < nr_scorer_warning_count(sc); i++)
		if (!strncmp(nr_scorer_warning(sc, i), prefix, strlen(prefix)) &&
		    strstr(nr_scorer_warning(sc, i), what))
			return 1;
	return 0;
}

static void test_index_errors(void **state)
{
	(void)state;
	expect_index_error("", "t.yaml:1:", "empty");
	expect_index_error("- a\n- b\n", "t.yaml:1:", "mapping");
	expect_index_error("index: x\nchildren:\n  - id: a\n    measure: ttr\n    colour: red\n",
			   "t.yaml:5:", "unknown key 'colour'");
	expect_index_error("index: x\nchildren: [\n", "t.yaml:", "YAML syntax");
	/* aliases could make a cycle: refused where they stand */
	expect_index_error("index: x\nchildren: &loop\n  - id: a\n    children: *loop\n",
			   "t.yaml:2:", "anchor");
	expect_index_error("index: x\nchildren:\n  - id: a\n    measure: ttr\n"
			   "  - id: b\n    children: *nothing\n",
			   "t.yaml:6:", "alias");
	expect_index_error("index: x\nchildren:\n  - id: a\n    measure: ttr\n"
			   "    normalisation: sigmoid\n",
			   "t.yaml:5:", "unknown normalisation 'sigmoid'");
	expect_index_error("index: x\nchildren:\n  - {id: a, measure: ttr, weight: 0.5}\n"
			   "  - {id: b, measure: mtld}\n",
			   "t.yaml:4:", "'b' has no weight");
	expect_index_error("index: x\nchildren:\n  - {id: a, measure: ttr}\n"
			   "  - {id: a, measure: mtld}\n",
			   "t.yaml:4:", "used twice");
	expect_index_error("index: x\naggregation: geometric\nchildren:\n"
			   "  - {id: a, measure: ttr, normalisation: zscore}\n",
			   "t.yaml:4:", "geometric");
	expect_index_error("index: x\nchildren:\n  - {id: a, measure: ttr, external: v}\n",
			   "t.yaml:3:", "not both");
	expect_index_error("index: x\nchildren:\n  - {id: a, measure: ttr, weight: -1}\n",
			   "t.yaml:3:", "negative");
	expect_index_error("index: x\nchildren:\n  - {id: a}\n", "t.yaml:3:", "needs 'children'");
	expect_index_error("index: x\nuncertainty: {runs: 1.5}\nchildren:\n  - {id: a, "
			   "measure: ttr}\n",
			   "t.yaml:2:", "whole number");
	expect_index_error("index: x\n---\nindex: y\n", "t.yaml:", "YAML");
}

static void test_weights_warning_and_result(void **state)
{
	static const char y[] = "index: t\n"
				"uncertainty: {runs: 0}\n"
				"children:\n"
				"  - id: div\n"
				"    weight: 0.6\n"
				"    children:\n"
				"      - {id: ttr, measure: ttr}\n"
				"      - {id: mtld, measure: mtld}\n"
				"  - id: hom\n"
				"    weight: 0.3\n"
				"    children:\n"
				"      - {id: cos, measure: cosine_mean, direction: cost}\n";
	struct nr_scorer *sc;
	struct nr_score_row row;

	(void)state;
	sc = loaded(y, NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_OK);
	assert_true(has_warning(sc, "t.yaml:1:", "sum to 0.9"));
	assert_int_equal(nr_scorer_city_count(sc), 3);
	assert_int_equal(nr_scorer_dimension_count(sc), 2);
	assert_string_equal(nr_scorer_dimension_id(sc, 1), "hom");
	/* c: div = (1 + 1)/2 = 1, hom = 1 -> (0.6 + 0.3) / 0.9 = 1 */
	assert_int_equal(nr_scorer_row(sc, 0, &row), NR_OK);
	assert_string_equal(row.city_id, "c");
	assert_string_equal(row.name_zh, "伽马");
	assert_true(fabs(row.score - 1.0) < 1e-12);
	assert_true(row.rank == 1 && row.rank_median == 1.0);
	/* b is worst on everything: 0 */
	assert_int_equal(nr_scorer_row(sc, 2, &row), NR_OK);
	assert_string_equal(row.city_id, "b");
	assert_true(fabs(row.score) < 1e-12);
	assert_int_equal(nr_scorer_row(sc, 3, &row), NR_EINVAL);
	nr_scorer_free(sc);
}

static void test_unknown_measure(void **state)
{
	static const char y[] = "index: t\nchildren:\n  - id: a\n    measure: ttr\n"
				"  - id: b\n    measure: tttr\n";
	struct nr_scorer *sc;

	(void)state;
	sc = loaded(y, NULL);

	assert_int_equal(nr_scorer_run(sc, NULL), NR_ENOTFOUND);
	assert_non_null(strstr(nr_scorer_errmsg(sc), "t.yaml:6:"));
	assert_non_null(strstr(nr_scorer_errmsg(sc), "unknown measure 'tttr'"));
	assert_int_equal(nr_scorer_city_count(sc), 0);
	nr_scorer_free(sc);
	/* a map path that exists works; one that does not is unknown */
	sc = loaded("index: t\nuncertainty: {runs: 0}\nchildren:\n  - {id: f, measure: "
		    "topics.topic/food}\n",
		    NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_OK);
	nr_scorer_free(sc);
	sc = loaded("index: t\nchildren:\n  - {id: f, measure: topics.topic/fish}\n", NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_ENOTFOUND);
	assert_non_null(strstr(nr_scorer_errmsg(sc), "t.yaml:3:"));
	nr_scorer_free(sc);
	/* an external column with no CSV given */
	sc = loaded("index: t\nchildren:\n  - {id: v, external: visitors}\n", NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_ENOTFOUND);
	assert_non_null(strstr(nr_scorer_errmsg(sc), "--indicators"));
	nr_scorer_free(sc);
}

static void test_missing_policies(void **state)
{
	struct nr_scorer *sc;
	struct nr_score_row row;
	size_t i;

	(void)state;
	/* b has gap = null: error names the city and the indicator's line */
	sc = loaded("index: t\nchildren:\n  - {id: ttr, measure: ttr}\n  - {id: g, measure: "
		    "gap}\n",
		    NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_EPARSE);
	assert_non_null(strstr(nr_scorer_errmsg(sc), "t.yaml:4:"));
	assert_non_null(strstr(nr_scorer_errmsg(sc), "city 'b'"));
	nr_scorer_free(sc);
	/* drop_city: b left out, and said so */
	sc = loaded("index: t\nuncertainty: {runs: 0}\nchildren:\n  - {id: ttr, measure: ttr}\n"
		    "  - {id: g, measure: gap, missing: drop_city}\n",
		    NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_OK);
	assert_int_equal(nr_scorer_city_count(sc), 2);
	assert_true(has_warning(sc, "t.yaml:5:", "city 'b' left out"));
	for (i = 0; i < 2; i++) {
		assert_int_equal(nr_scorer_row(sc, i, &row), NR_OK);
		assert_string_not_equal(row.city_id, "b");
	}
	nr_scorer_free(sc);
	/* zero: b's gap is 0 -> minmax 0 over {1, 0, 4}; mean: 2.5 -> 0.625 */
	sc = loaded("index: t\nuncertainty: {runs: 0}\nchildren:\n"
		    "  - {id: g, measure: gap, missing: zero}\n",
		    NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_OK);
	assert_true(has_warning(sc, "t.yaml:4:", "0 used"));
	assert_int_equal(nr_scorer_row(sc, 2, &row), NR_OK);
	assert_string_equal(row.city_id, "b");
	assert_true(fabs(row.score) < 1e-12);
	nr_scorer_free(sc);
	sc = loaded("index: t\nuncertainty: {runs: 0}\nchildren:\n"
		    "  - {id: g, measure: gap, missing: mean}\n",
		    NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_OK);
	assert_true(has_warning(sc, "t.yaml:4:", "the mean used"));
	assert_int_equal(nr_scorer_row(sc, 1, &row), NR_OK);
	assert_string_equal(row.city_id, "b");
	assert_true(fabs(row.score - 0.5) < 1e-12); /* (2.5 - 1) / 3 */
	nr_scorer_free(sc);
}

static void test_csv(void **state)
{
	static const char y[] = "index: t\nuncertainty: {runs: 0}\nchildren:\n"
				"  - {id: v, external: visitors, transform: log}\n"
				"  - {id: ttr, measure: ttr}\n";
	struct nr_scorer *sc;
	struct nr_score_row row;

	(void)state;
	/* names and name_zh join; an unknown city is listed, not dropped silently */
	sc = loaded(y, "city,visitors,search\nAlpha,100,\"1,5\"\n伽马,1000,x\nbeta,10,3\n"
		       "Atlantis,5,5\n");
	assert_int_equal(nr_scorer_run(sc, NULL), NR_OK);
	assert_true(has_warning(sc, "x.csv:5:", "city 'Atlantis' is not in m.json"));
	assert_int_equal(nr_scorer_row(sc, 0, &row), NR_OK);
	assert_string_equal(row.city_id, "c");
	nr_scorer_free(sc);
	/* a non-numeric cell in a used column: file and line */
	sc = loaded(y, "city_id,visitors\na,100\nb,lots\nc,7\n");
	assert_int_equal(nr_scorer_run(sc, NULL), NR_EPARSE);
	assert_non_null(strstr(nr_scorer_errmsg(sc), "x.csv:3:"));
	assert_non_null(strstr(nr_scorer_errmsg(sc), "'lots' is not a number"));
	nr_scorer_free(sc);
	/* a city without a row is a missing value (missing: error) */
	sc = loaded(y, "city_id\tvisitors\na\t100\nc\t7\n");
	assert_int_equal(nr_scorer_run(sc, NULL), NR_EPARSE);
	assert_non_null(strstr(nr_scorer_errmsg(sc), "city 'b'"));
	nr_scorer_free(sc);
	/* log of a negative value */
	sc = loaded(y, "city_id,visitors\na,100\nb,-4\nc,7\n");
	assert_int_equal(nr_scorer_run(sc, NULL), NR_EPARSE);
	assert_non_null(strstr(nr_scorer_errmsg(sc), "t.yaml:4:"));
	nr_scorer_free(sc);
	/* structural errors while loading */
	{
		static const struct {
			const char *csv, *where;
		} bad[] = {
			{ "visitors\n100\n", "x.csv:1:" },
			{ "city,visitors\nAlpha,1,2\n", "x.csv:2:" },
			{ "city,visitors\nAlpha,1\nalpha,2\n", "x.csv:3:" },
			{ "city,v,v\n", "x.csv:1:" },
			{ "city,visitors\n\"Alpha,1\n", "x.csv:" },
			{ "", "x.csv:1:" },
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(nr_scorer_new(&sc), NR_OK);
			assert_int_equal(nr_scorer_load_measures(sc, measures3, strlen(measures3),
								 "m.json"),
					 NR_OK);
			assert_int_not_equal(nr_scorer_load_indicators(sc, bad[i].csv,
								       strlen(bad[i].csv),
								       "x.csv"),
					     NR_OK);
			if (strncmp(nr_scorer_errmsg(sc), bad[i].where, strlen(bad[i].where)))
				fail_msg("csv %zu: '%s'", i, nr_scorer_errmsg(sc));
			nr_scorer_free(sc);
		}
	}
}

static void test_measures_errors(void **state)
{
	static const char *const bad[] = {
		"{",
		"[]",
		"{\"schema\":\"other\",\"version\":1,\"groups\":[]}",
		"{\"schema\":\"narrate.measures\",\"version\":2,\"groups\":[]}",
		"{\"schema\":\"narrate.measures\",\"version\":1,\"groups\":[]}",
		"{\"schema\":\"narrate.measures\",\"version\":1,\"groups\":[{\"measures\":{}}]}",
		"{\"schema\":\"narrate.measures\",\"version\":1,\"groups\":[{\"id\":\"a\","
		"\"measures\":{}},{\"id\":\"a\",\"measures\":{}}]}",
	};
	struct nr_scorer *sc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(nr_scorer_new(&sc), NR_OK);
		assert_int_equal(nr_scorer_load_measures(sc, bad[i], strlen(bad[i]), "m.json"),
				 NR_EPARSE);
		assert_true(!strncmp(nr_scorer_errmsg(sc), "m.json", 6));
		nr_scorer_free(sc);
	}
	/* a non-numeric measure is an error when used */
	{
		static const char m[] =
			"{\"schema\":\"narrate.measures\",\"version\":1,\"groups\":[{\"id\":\"a\","
			"\"measures\":{\"ttr\":\"high\"}}]}";

		assert_int_equal(nr_scorer_new(&sc), NR_OK);
		static const char y[] = "index: t\nchildren: [{id: a, measure: ttr}]\n";

		assert_int_equal(nr_scorer_load_index(sc, y, strlen(y), "t.yaml"), NR_OK);
		assert_int_equal(nr_scorer_load_measures(sc, m, strlen(m), "m.json"), NR_OK);
		assert_int_equal(nr_scorer_run(sc, NULL), NR_EPARSE);
		assert_non_null(strstr(nr_scorer_errmsg(sc), "not a number"));
		nr_scorer_free(sc);
	}
}

/* ---- random matrices ----------------------------------------------------- */

struct buf {
	char s[65536];
	size_t n;
};

static void bput(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bput(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	assert_true(w >= 0 && (size_t)w < sizeof(b->s) - b->n);
	b->n += (size_t)w;
}

#define NCITY 9
#define NIND 6

/* City 1 dominates city 0 ... no: city "dom" is city 0 made better on some
 * indicators (more for a benefit, less for a cost) and equal on the rest. */
static void make_measures(struct nri_prng *r, const int *benefit, struct buf *b)
{
	double v[NCITY][NIND];
	size_t i, j;

	for (i = 0; i < NCITY; i++)
		for (j = 0; j < NIND; j++)
			v[i][j] = 1.0 + floor(nri_prng_uniform(r) * 100.0);
	for (j = 0; j < NIND; j++) {
		double step = nri_prng_uniform(r) < 0.5 ? 0 : 1.0 + floor(nri_prng_uniform(r) * 20);

		if (j == 0 && step == 0)
			step = 3; /* strictly better somewhere */
		v[1][j] = benefit[j] ? v[0][j] + step : fmax(0.5, v[0][j] - step);
		if (!benefit[j] && v[0][j] - step < 0.5)
			v[1][j] = v[0][j] > 0.5 ? 0.5 : v[0][j];
	}
	b->n = 0;
	bput(b, "{\"schema\":\"narrate.measures\",\"version\":1,\"groups\":[");
	for (i = 0; i < NCITY; i++) {
		bput(b, "%s{\"id\":\"c%zu\",\"measures\":{", i ? "," : "", i);
		for (j = 0; j < NIND; j++)
			bput(b, "%s\"m%zu\":%.17g", j ? "," : "", j, v[i][j]);
		bput(b, "}}");
	}
	bput(b, "]}");
}

static const char *const norms[] = { "minmax", "zscore", "rank", "distance_to_best" };
static const char *const weightings[] = { "fixed", "equal", "entropy", "critic" };
static const char *const aggs[] = { "arithmetic", "geometric", "topsis" };

static void make_index(struct nri_prng *r, const int *benefit, int norm, int wt, int agg,
		       int perturb, struct buf *b)
{
	size_t j;

	b->n = 0;
	bput(b, "index: prop\nweighting: %s\naggregation: %s\n", weightings[wt], aggs[agg]);
	bput(b, "uncertainty: {runs: 40, weights: %s, normalisations: [minmax, rank%s]}\n",
	     perturb ? "dirichlet" : "uniform", agg == 1 ? "" : ", zscore");
	bput(b, "children:\n");
	for (j = 0; j < NIND; j++) {
		if (j % 3 == 0)
			bput(b, "  - id: d%zu\n    weighting: %s\n    aggregation: %s\n%s"
				"    children:\n",
			     j / 3, weightings[(wt + j) % 4], aggs[agg],
			     wt == 0 ? "    weight: 0.5\n" : "");
		bput(b, "      - {id: i%zu, measure: m%zu, direction: %s, normalisation: %s, "
			"weight: %.3f}\n",
		     j, j, benefit[j] ? "benefit" : "cost", norms[norm],
		     0.05 + nri_prng_uniform(r));
	}
}

/* If city c1 is at least as good as c0 on every indicator and better on
 * one, c1 never ranks below c0: not in the base ranking, not in any Monte
 * Carlo percentile.  Holds for every normalisation, weighting and
 * aggregation narrate offers (all are monotone and weights are shared by
 * all cities within a run); z-score is not allowed below a geometric mean. */
static void test_dominance_property(void **state)
{
	struct nri_prng r;
	struct buf *mb = malloc(sizeof(*mb)), *ib = malloc(sizeof(*ib));
	int norm, wt, agg, trial, checked = 0;

	(void)state;
	assert_non_null(mb);
	assert_non_null(ib);
	nri_prng_seed(&r, 20240601);
	for (norm = 0; norm < 4; norm++)
		for (wt = 0; wt < 4; wt++)
			for (agg = 0; agg < 3; agg++) {
				if (agg == 1 && norm == 1)
					continue; /* refused by design, tested above */
				for (trial = 0; trial < 3; trial++) {
					int benefit[NIND], j;
					struct nr_scorer *sc;
					struct nr_score_row row;
					double r0[4] = { 0 }, r1[4] = { 0 };
					size_t i;

					for (j = 0; j < NIND; j++)
						benefit[j] = nri_prng_uniform(&r) < 0.6;
					make_measures(&r, benefit, mb);
					make_index(&r, benefit, norm, wt, agg, trial & 1, ib);
					assert_int_equal(nr_scorer_new(&sc), NR_OK);
					if (nr_scorer_load_index(sc, ib->s, ib->n, "p.yaml"))
						fail_msg("%s\n%s", nr_scorer_errmsg(sc), ib->s);
					assert_int_equal(nr_scorer_load_measures(sc, mb->s, mb->n,
										 "p.json"),
							 NR_OK);
					if (nr_scorer_run(sc, NULL))
						fail_msg("%s\n%s", nr_scorer_errmsg(sc), ib->s);
					for (i = 0; i < nr_scorer_city_count(sc); i++) {
						double *t;

						assert_int_equal(nr_scorer_row(sc, i, &row), NR_OK);
						if (!strcmp(row.city_id, "c0"))
							t = r0;
						else if (!strcmp(row.city_id, "c1"))
							t = r1;
						else
							continue;
						t[0] = (double)row.rank;
						t[1] = row.rank_median;
						t[2] = row.rank_p05;
						t[3] = row.rank_p95;
					}
					for (j = 0; j < 4; j++)
						if (!(r1[j] <= r0[j]))
							fail_msg("%s/%s/%s: dominating city ranks %g, "
								 "dominated %g (statistic %d)\n%s\n%s",
								 norms[norm], weightings[wt], aggs[agg],
								 r1[j], r0[j], j, ib->s, mb->s);
					checked++;
					nr_scorer_free(sc);
				}
			}
	assert_true(checked == 3 * (4 * 4 * 3 - 4));
	free(mb);
	free(ib);
}

static void run_to_csv(const char *seed_yaml, uint64_t seed, char *out, size_t size)
{
	struct nr_scorer *sc = loaded(seed_yaml, NULL);
	struct nr_score_options o = { 300, seed, 1 };
	struct nr_score_row row;
	size_t i, used = 0;

	assert_int_equal(nr_scorer_run(sc, &o), NR_OK);
	for (i = 0; i < nr_scorer_city_count(sc); i++) {
		assert_int_equal(nr_scorer_row(sc, i, &row), NR_OK);
		used += (size_t)snprintf(out + used, size - used, "%s %.17g %.17g %.17g %.17g\n",
					 row.city_id, row.score, row.rank_median, row.rank_p05,
					 row.rank_p95);
	}
	nr_scorer_free(sc);
}

static void test_repeatable(void **state)
{
	static const char y[] = "index: t\nuncertainty: {weights: dirichlet, concentration: 5, "
				"normalisations: [minmax, rank, zscore]}\n"
				"children:\n"
				"  - {id: ttr, measure: ttr, weight: 0.2}\n"
				"  - {id: mtld, measure: mtld, weight: 0.3}\n"
				"  - {id: cos, measure: cosine_mean, direction: cost, weight: 0.5}\n";
	char a[4096], b[4096];

	(void)state;
	run_to_csv(y, 7, a, sizeof(a));
	run_to_csv(y, 7, b, sizeof(b));
	assert_string_equal(a, b);
}

static void test_sensitivity_and_regions(void **state)
{
	static const char y[] = "index: t\nuncertainty: {runs: 0}\nchildren:\n"
				"  - {id: ttr, measure: ttr, weight: 0.9}\n"
				"  - {id: food, measure: topics.topic/food, weight: 0.1}\n";
	struct nr_scorer *sc;
	struct nr_score_indicator ind;
	struct nr_score_region reg;
	size_t i;
	int seen_gap = 0;

	(void)state;
	sc = loaded(y, NULL);
	assert_int_equal(nr_scorer_run(sc, NULL), NR_OK);
	assert_int_equal(nr_scorer_indicator_count(sc), 2);
	/* ttr decides the order (c, a, b); without it food gives (a, b, c) */
	assert_int_equal(nr_scorer_indicator(sc, 0, &ind), NR_OK);
	assert_string_equal(ind.id, "ttr");
	assert_string_equal(ind.source, "measure:ttr");
	assert_true(fabs(ind.weight - 0.9) < 1e-12);
	assert_true(fabs(ind.mean_shift - 4.0 / 3.0) < 1e-12);
	assert_int_equal(ind.max_shift, 2);
	assert_true(isnan(ind.first_order)); /* runs: 0 */
	assert_int_equal(nr_scorer_indicator(sc, 1, &ind), NR_OK);
	assert_true(ind.mean_shift == 0.0);
	for (i = 0; i < nr_scorer_region_count(sc); i++) {
		assert_int_equal(nr_scorer_region(sc, i, &reg), NR_OK);
		if (!strcmp(reg.group, "north-south")) {
			struct nr_score_row row;
			double north = 0, south = 0;
			size_t k;

			for (k = 0; k < 3; k++) {
				nr_scorer_row(sc, k, &row);
				if (!strcmp(row.north_south, "north"))
					north += row.score / 2;
				else
					south += row.score;
			}
			assert_true(reg.gap);
			assert_true(fabs(reg.score - (north - south)) < 1e-12);
			seen_gap = 1;
		}
	}
	assert_true(seen_gap);
	nr_scorer_free(sc);
}

/* Every allocation failure is NR_ENOMEM, never a crash or a leak (the
 * sanitizer build checks the leaks). */
static void test_enomem(void **state)
{
	static const char y[] = "index: t\nuncertainty: {runs: 5}\nchildren:\n"
				"  - id: d\n    weighting: entropy\n    children:\n"
				"      - {id: ttr, measure: ttr}\n"
				"      - {id: v, external: visitors}\n"
				"  - {id: cos, measure: cosine_mean, direction: cost}\n";
	static const char csv[] = "city,visitors\nAlpha,1\nBeta,2\nGamma,3\n";
	long n;
	int done = 0;

	(void)state;
	for (n = 1; !done && n < 5000; n++) {
		struct nr_scorer *sc = NULL;
		int rc;

		nri_alloc_fail_at(n);
		rc = nr_scorer_new(&sc);
		if (rc == NR_OK)
			rc = nr_scorer_load_index(sc, y, strlen(y), "t.yaml");
		if (rc == NR_OK)
			rc = nr_scorer_load_measures(sc, measures3, strlen(measures3), "m.json");
		if (rc == NR_OK)
			rc = nr_scorer_load_indicators(sc, csv, strlen(csv), "x.csv");
		if (rc == NR_OK)
			rc = nr_scorer_run(sc, NULL);
		nri_alloc_fail_at(0);
		if (rc == NR_OK)
			done = 1;
		else if (rc != NR_ENOMEM)
			fail_msg("allocation %ld: %d %s", n, rc, sc ? nr_scorer_errmsg(sc) : "");
		nr_scorer_free(sc);
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_errors),
		cmocka_unit_test(test_weights_warning_and_result),
		cmocka_unit_test(test_unknown_measure),
		cmocka_unit_test(test_missing_policies),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_measures_errors),
		cmocka_unit_test(test_repeatable),
		cmocka_unit_test(test_sensitivity_and_regions),
		cmocka_unit_test(test_dominance_property),
		cmocka_unit_test(test_enomem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
