/*
 * test_sha256.c - SHA-256 against the FIPS 180-4 example vectors (NIST
 * "SHA256.pdf" examples: "abc", the 448-bit message, one million 'a').
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sha256.h"

static void digest(const char *s, size_t len, size_t chunk, char hex[65])
{
	struct nri_sha256 c;

	nri_sha256_init(&c);
	for (size_t i = 0; i < len; i += chunk)
		nri_sha256_update(&c, s + i, len - i < chunk ? len - i : chunk);
	nri_sha256_final_hex(&c, hex);
}

static void test_vectors(void **state)
{
	static char million[1000000];
	const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char h[65];

	(void)state;
	digest("abc", 3, 1, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest("", 0, 1, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	for (size_t chunk = 1; chunk < 70; chunk += 7) {
		digest(m448, strlen(m448), chunk, h);
		assert_string_equal(h,
				    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	}
	memset(million, 'a', sizeof(million));
	digest(million, sizeof(million), 4096, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_vectors) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
