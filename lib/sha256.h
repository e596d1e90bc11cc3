/*
 * sha256.h - SHA-256 (FIPS 180-4), for the manifest's record of which
 * lexicon files a run used.
 */
#ifndef NR_SHA256_H
#define NR_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct nri_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void nri_sha256_init(struct nri_sha256 *c);
void nri_sha256_update(struct nri_sha256 *c, const void *data, size_t len);
/* Writes 64 lowercase hex digits and a NUL into hex[65]. */
void nri_sha256_final_hex(struct nri_sha256 *c, char hex[65]);
/* The digest of a whole file into hex[65]; NR_OK or NR_EIO. */
int nri_sha256_file(const char *path, char hex[65]);

#endif
