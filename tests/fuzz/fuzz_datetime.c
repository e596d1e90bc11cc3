/*
 * fuzz_datetime.c - libFuzzer harness for nri_month_of, which reads the
 * `date` field of every document grouped by month:
 *
 *  - it reads only the len bytes it is given (the input is copied to a
 *    buffer of exactly that size, so ASan sees any read past it);
 *  - what it reads is "YYYY-MM" with a year from 1900 to 2100 and a month
 *    from 01 to 12;
 *  - the same bytes with blanks around them give the same answer.
 *
 * Any violated property aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[8], again[8], *s, *padded;
	int ok;

	if (size > 256)
		return 0;
	s = malloc(size ? size : 1);
	padded = malloc(size + 2);
	if (!s || !padded) {
		free(s);
		free(padded);
		return 0;
	}
	memcpy(s, data, size);
	ok = nri_month_of(s, size, out);
	if (ok) {
		long year = strtol(out, NULL, 10);

		CHECK(strlen(out) == 7 && out[4] == '-');
		for (int i = 0; i < 7; i++)
			CHECK(i == 4 || (out[i] >= '0' && out[i] <= '9'));
		CHECK(year >= 1900 && year <= 2100);
		CHECK(strcmp(out + 5, "01") >= 0 && strcmp(out + 5, "12") <= 0);
	}
	padded[0] = ' ';
	memcpy(padded + 1, data, size);
	padded[size + 1] = ' ';
	CHECK(nri_month_of(padded, size + 2, again) == ok);
	if (ok)
		CHECK(!strcmp(out, again));
	free(s);
	free(padded);
	return 0;
}
