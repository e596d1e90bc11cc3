/*
 * fuzz_utf8.c - libFuzzer harness for the UTF-8 and normalisation entry
 * points, which see every document narrate reads:
 *
 *  - nr_utf8_check agrees with nr_utf8_repair (no repairs iff valid, and
 *    the repaired text is the input when valid), and the repair output is
 *    well-formed;
 *  - nri_utf8_next walks the input in steps of at least one byte and its
 *    ill-formed steps match the repair count;
 *  - nr_normalize in every form, on the repaired text: the output is valid
 *    UTF-8, the offsets map is non-decreasing, points at character starts
 *    and ends at len, and normalising the output again changes nothing;
 *  - nri_casefold agrees with nr_normalize(NR_NFKC_CASEFOLD).
 *
 * Any violated property aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"
#include "buf.h"
#include "normalize.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

static void check_normalize(const char *s, size_t len)
{
	int form;

	for (form = NR_NFC; form <= NR_NFKC_CASEFOLD; form++) {
		char *out, *again;
		size_t out_len, again_len, *offs, i;
		int rc;

		rc = nr_normalize(s, len, (enum nr_norm_form)form, &out, &out_len, &offs);
		if (rc == NR_ENOMEM)
			continue;
		CHECK(rc == NR_OK);
		CHECK(nr_utf8_check(out, out_len, NULL) == NR_OK);
		CHECK(offs[out_len] == len);
		for (i = 0; i < out_len; i++) {
			CHECK(offs[i] < len);
			CHECK(i == 0 || offs[i] >= offs[i - 1]);
			CHECK(((unsigned char)s[offs[i]] & 0xC0) != 0x80);
		}
		/* Idempotence (for NFKC_Casefold too: narrate's is idempotent
		 * on every code point, see docs/normalization.md). */
		if (nr_normalize(out, out_len, (enum nr_norm_form)form, &again, &again_len, NULL) ==
		    NR_OK) {
			CHECK(again_len == out_len && memcmp(again, out, out_len) == 0);
			nr_free(again);
		}
		if (form == NR_NFKC_CASEFOLD) {
			struct nri_buf b;

			nri_buf_init(&b, 0);
			if (nri_casefold(&b, s, len) == NR_OK) {
				CHECK(b.len == out_len &&
				      (!out_len || memcmp(b.data, out, out_len) == 0));
			}
			nri_buf_release(&b);
		}
		nr_free(out);
		nr_free(offs);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *rep;
	size_t rep_len, repairs, bad = (size_t)-1, i, bad_steps = 0;
	int valid, rc;

	if (size > (1u << 20))
		return 0;
	valid = nr_utf8_check(s, size, &bad) == NR_OK;
	CHECK(valid || bad < size);
	for (i = 0; i < size;) {
		size_t before = i;

		if (nri_utf8_next(s, size, &i) < 0) {
			bad_steps++;
			/* the first ill-formed step is where the check stopped */
			if (bad_steps == 1)
				CHECK(before == bad);
		}
		CHECK(i > before && i <= size);
	}
	rc = nr_utf8_repair(s, size, &rep, &rep_len, &repairs);
	if (rc == NR_ENOMEM)
		return 0;
	CHECK(rc == NR_OK);
	CHECK(repairs == bad_steps);
	CHECK((repairs == 0) == valid);
	CHECK(nr_utf8_check(rep, rep_len, NULL) == NR_OK);
	if (valid)
		CHECK(rep_len == size && memcmp(rep, s, size) == 0);
	/* invalid input is refused by nr_normalize; nri_casefold takes it */
	if (!valid) {
		char *out;
		size_t out_len;
		struct nri_buf b;

		CHECK(nr_normalize(s, size, NR_NFC, &out, &out_len, NULL) == NR_EUTF8);
		nri_buf_init(&b, 0);
		rc = nri_casefold(&b, s, size);
		CHECK(rc == NR_OK || rc == NR_ENOMEM || rc == NR_ELIMIT);
		if (rc == NR_OK)
			CHECK(nr_utf8_check(b.data, b.len, NULL) == NR_OK);
		nri_buf_release(&b);
	}
	check_normalize(rep, rep_len);
	nr_free(rep);
	return 0;
}
