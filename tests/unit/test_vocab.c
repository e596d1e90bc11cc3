/*
 * test_vocab.c - the worker vocabulary (interned strings, dense ids), the
 * per-id counters and the dense-row term counts, against naive models over
 * many words, long and short keys, spills, and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "alloc.h"
#include "strmap.h"
#include "radix.h"
#include "vocab.h"

#define NWORDS 20000

static void word(char *out, size_t i)
{
	/* short and long keys (over NRI_VOCAB_INLINE), some sharing prefixes */
	if (i % 3 == 0)
		snprintf(out, 64, "w%zu", i);
	else if (i % 3 == 1)
		snprintf(out, 64, "a-rather-long-shared-prefix-%zu", i);
	else
		snprintf(out, 64, "%zu\xe6\x9d\xad\xe5\xb7\x9e", i); /* 杭州 */
}

static void test_intern(void **state)
{
	struct nri_vocab v;
	char w[64];
	uint32_t id;
	uint64_t h;

	(void)state;
	nri_vocab_init(&v, 0);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < NWORDS; i++) {
			size_t len;
			const char *s;

			word(w, i);
			assert_int_equal(nri_vocab_intern(&v, w, strlen(w), &id, &h), NR_OK);
			/* first seen, first numbered; the second pass finds them */
			assert_int_equal(id, i);
			assert_true(h == nri_hash(w, strlen(w)));
			s = nri_vocab_str(&v, id, &len);
			assert_int_equal(len, strlen(w));
			assert_memory_equal(s, w, len);
		}
		assert_int_equal(v.n, NWORDS);
	}
	/* the empty string and a prefix of an existing key are words of their own */
	assert_int_equal(nri_vocab_intern(&v, "", 0, &id, NULL), NR_OK);
	assert_int_equal(id, NWORDS);
	assert_int_equal(nri_vocab_intern(&v, "a-rather-long", 13, &id, NULL), NR_OK);
	assert_int_equal(id, NWORDS + 1);
	nri_vocab_release(&v);
}

static void test_cap(void **state)
{
	struct nri_vocab v;
	uint32_t id;

	(void)state;
	nri_vocab_init(&v, 2);
	assert_int_equal(nri_vocab_intern(&v, "a", 1, &id, NULL), NR_OK);
	assert_int_equal(nri_vocab_intern(&v, "b", 1, &id, NULL), NR_OK);
	assert_int_equal(nri_vocab_intern(&v, "c", 1, &id, NULL), NR_ELIMIT);
	assert_int_equal(nri_vocab_intern(&v, "a", 1, &id, NULL), NR_OK); /* known: fine */
	assert_int_equal(id, 0);
	nri_vocab_release(&v);
}

static void test_idcount(void **state)
{
	static uint64_t model[NWORDS][2];
	struct nri_idcount t;
	size_t seen = 0;

	(void)state;
	memset(model, 0, sizeof(model));
	nri_idcount_init(&t);
	/* ids in a scattered order, some many times, id 0 included */
	for (size_t k = 0; k < 5 * NWORDS; k++) {
		uint32_t id = (uint32_t)((k * 7919) % NWORDS);

		if (id % 5 == 4)
			continue; /* never counted */
		assert_int_equal(nri_idcount_add(&t, id, 1, k & 1), NR_OK);
		model[id][0] += 1;
		model[id][1] += k & 1;
	}
	for (size_t i = 0; i < t.nslots; i++) {
		const struct nri_idcount_slot *s = &t.slots[i];

		if (!s->id1)
			continue;
		seen++;
		assert_true(s->c[0] == model[s->id1 - 1][0]);
		assert_true(s->c[1] == model[s->id1 - 1][1]);
		model[s->id1 - 1][0] = 0;
	}
	assert_int_equal(seen, t.n);
	for (size_t i = 0; i < NWORDS; i++)
		assert_true(model[i][0] == 0); /* every counted id was in the table */
	nri_idcount_release(&t);
}

/* The dense row and the table against a naive model: ids below the row's
 * limit and above it, a budget that runs out, and a ceiling small enough
 * that dense counters spill to the table again and again. */
static void test_termcount(void **state)
{
	static uint64_t model[3000][2];
	struct nri_termcount t;
	size_t budget = 1500 * 2 * sizeof(uint32_t), seen = 0;

	(void)state;
	memset(model, 0, sizeof(model));
	nri_termcount_init(&t, 5);
	for (size_t k = 0; k < 60000; k++) {
		uint32_t id = (uint32_t)((k * k + 7 * k) % 3000);
		unsigned c = (k % 3) != 0;

		/* row limit 2048 ids; the budget covers about 1500 */
		assert_int_equal(nri_termcount_add(&t, id, c, 2048, &budget), NR_OK);
		model[id][0]++;
		model[id][1] += c;
	}
	assert_true(t.ndense > 0 && t.ndense <= 2048);
	assert_true(t.table.n > 0); /* spills and ids past the row */
	for (size_t id = 0; id < t.ndense; id++)
		assert_true(t.dense[2 * id] <= 5); /* never past the ceiling */
	/* sorted under new names (reversed ids): ascending, each id once,
	 * a spilled id's row and table counters summed */
	{
		size_t cap = nri_termcount_entries(&t), n = 0;
		uint32_t *map = malloc(3000 * sizeof(*map)), *ids = NULL;
		struct nri_term_count *tc = NULL;

		assert_non_null(map);
		for (uint32_t id = 0; id < 3000; id++)
			map[id] = 2999 - id;
		assert_true(cap > t.table.n); /* some ids in both */
		assert_int_equal(nri_termcount_sorted(&t, map, nri_bits_of(2999), &ids, &tc, &n),
				 NR_OK);
		assert_non_null(ids);
		assert_non_null(tc);
		for (size_t i = 0; i < n; i++) {
			uint32_t id = 2999 - ids[i];

			if (i)
				assert_true(ids[i - 1] < ids[i]);
			assert_true(tc[i].total == model[id][0]);
			assert_true(tc[i].content == model[id][1]);
			model[id][0] = 0;
			seen++;
		}
		for (size_t i = 0; i < 3000; i++)
			assert_true(model[i][0] == 0);
		assert_true(seen < cap); /* the spilled ids were merged */
		free(map);
		nri_free(ids);
		nri_free(tc);
	}
	nri_termcount_release(&t);
}

static void test_alloc_failure(void **state)
{
	(void)state;
	for (long n = 1; n < 12; n++) {
		struct nri_vocab v;
		struct nri_idcount t;
		char w[64];
		uint32_t id;
		int rc = NR_OK;
		size_t i;

		nri_vocab_init(&v, 0);
		nri_idcount_init(&t);
		nri_alloc_fail_at(n);
		for (i = 0; i < 3000 && rc == NR_OK; i++) {
			word(w, i);
			rc = nri_vocab_intern(&v, w, strlen(w), &id, NULL);
			if (rc == NR_OK)
				rc = nri_idcount_add(&t, id, 1, 0);
		}
		nri_alloc_fail_at(0);
		assert_int_equal(rc, NR_ENOMEM);
		/* what was interned before the failure is still there */
		for (size_t j = 0; j + 1 < i && j < v.n; j++) {
			word(w, j);
			assert_int_equal(nri_vocab_intern(&v, w, strlen(w), &id, NULL), NR_OK);
			assert_int_equal(id, j);
		}
		nri_vocab_release(&v);
		nri_idcount_release(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_idcount),
		cmocka_unit_test(test_termcount),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
