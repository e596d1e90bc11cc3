/*
 * fuzz_langid.c - libFuzzer harness for nr_langid, which sees the text of
 * every document that carries no language:
 *
 *  - it returns NR_OK and a code that is "und" or two or three lower-case
 *    ASCII letters, with a confidence in [0, 1] that is 0 for "und";
 *  - it reads only the bytes it is given (the input is copied to a buffer
 *    of exactly that size, so ASan sees any over-read), and the same bytes
 *    give the same answer;
 *  - a buffer too small for the answer is NR_EINVAL.
 *
 * Any violated property aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "narrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

static void check_code(const char *lang, double conf)
{
	size_t i, n = strlen(lang);

	CHECK(conf >= 0 && conf <= 1);
	if (!strcmp(lang, "und")) {
		CHECK(conf == 0);
		return;
	}
	CHECK(n == 2 || n == 3);
	for (i = 0; i < n; i++)
		CHECK(lang[i] >= 'a' && lang[i] <= 'z');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	char a[8], b[16], small[7];
	double ca = -1, cb = -1;

	if (!s)
		return 0;
	if (size)
		memcpy(s, data, size);
	CHECK(nr_langid(s, size, a, sizeof(a), &ca) == NR_OK);
	check_code(a, ca);
	CHECK(nr_langid(s, size, b, sizeof(b), &cb) == NR_OK);
	CHECK(!strcmp(a, b) && ca == cb);
	CHECK(nr_langid(s, size, small, sizeof(small), NULL) == NR_EINVAL);
	free(s);
	return 0;
}
