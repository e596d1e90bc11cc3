/*
 * fuzz_index.c - libFuzzer harness for the index definition parser of
 * `narrate score` (YAML, docs/scoring.md) and, through the same entry, the
 * external-indicators CSV reader.  The first byte picks the target: even
 * for the index file, odd for the CSV.  An index that parses is run over a
 * small fixed measures.json (2 Monte Carlo runs), so the tree walk,
 * weights and aggregations meet every shape the parser accepts.  Errors
 * must come with a message; nothing may crash or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char measures[] =
	"{\"schema\":\"narrate.measures\",\"version\":1,\"groups\":["
	"{\"id\":\"a\",\"name\":\"Alpha\",\"region\":\"east\",\"north_south\":\"south\","
	"\"measures\":{\"ttr\":0.5,\"mtld\":0,\"x\":null},\"topics\":{\"topic/food\":0.2}},"
	"{\"id\":\"b\",\"name\":\"Beta\",\"region\":\"west\",\"north_south\":\"north\","
	"\"measures\":{\"ttr\":0.4,\"mtld\":60,\"x\":3},\"topics\":{\"topic/food\":0}},"
	"{\"id\":\"c\",\"name\":\"Gamma\",\"measures\":{\"ttr\":0.6,\"mtld\":90,\"x\":-2}}]}";

static const char index_for_csv[] = "index: f\nuncertainty: {runs: 2}\nchildren:\n"
				    "  - {id: v, external: v, missing: mean}\n"
				    "  - {id: w, external: w, missing: zero, transform: winsorise}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nr_scorer *sc;
	struct nr_score_options o = { 2, 1, 1 };
	const char *s = (const char *)data + 1;
	size_t len, i;
	int rc;

	if (size < 1 || size > (1 << 20))
		return 0;
	len = size - 1;
	if (nr_scorer_new(&sc))
		return 0;
	if ((data[0] & 1) == 0) {
		rc = nr_scorer_load_index(sc, s, len, "fuzz.yaml");
		if (rc && !*nr_scorer_errmsg(sc))
			abort(); /* every error says what and where */
		if (rc == NR_OK &&
		    nr_scorer_load_measures(sc, measures, sizeof(measures) - 1, "m.json") == NR_OK)
			rc = nr_scorer_run(sc, &o);
	} else {
		rc = nr_scorer_load_index(sc, index_for_csv, sizeof(index_for_csv) - 1, "f.yaml");
		if (rc == NR_OK)
			rc = nr_scorer_load_measures(sc, measures, sizeof(measures) - 1, "m.json");
		if (rc == NR_OK) {
			rc = nr_scorer_load_indicators(sc, s, len, "fuzz.csv");
			if (rc && !*nr_scorer_errmsg(sc))
				abort();
		}
		if (rc == NR_OK)
			rc = nr_scorer_run(sc, &o);
	}
	if (rc == NR_OK) {
		struct nr_score_row row;
		volatile double sink = 0;

		for (i = 0; i < nr_scorer_city_count(sc); i++)
			if (nr_scorer_row(sc, i, &row) == NR_OK)
				sink += row.score + row.rank_p95;
		(void)sink;
	}
	for (i = 0; i < nr_scorer_warning_count(sc); i++)
		if (!nr_scorer_warning(sc, i))
			abort();
	nr_scorer_free(sc);
	return 0;
}
