/*
 * replay.c - a standalone main() for every libFuzzer harness, so that
 * `make test` (and the sanitizer build) can run saved inputs without
 * clang's -fsanitize=fuzzer:
 *
 *     build/tests/fuzz_X-replay FILE|DIR...
 *
 * Each file (folders are walked recursively, in name order) is read into a
 * buffer of exactly its size - so a sanitizer sees any read past the end -
 * and passed to LLVMFuzzerTestOneInput.  Prints how many inputs ran.
 * Exits 1 if an argument cannot be read or nothing ran; a crash or a
 * sanitizer report ends the process on its own.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a harness, as in libFuzzer. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long ran, errors;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	struct stat st;
	size_t size;

	if (!f || fstat(fileno(f), &st) != 0 || st.st_size < 0) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	size = (size_t)st.st_size;
	buf = malloc(size ? size : 1);
	if (!buf || fread(buf, 1, size, f) != size) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, size);
	free(buf);
	ran++;
	return 0;
}

static int skip_name(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int replay_path(const char *path)
{
	struct dirent **names;
	struct stat st;
	int n, i, rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	n = scandir(path, &names, skip_name, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: cannot read folder '%s'\n", path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
		char *sub = malloc(len);

		if (sub) {
			snprintf(sub, len, "%s/%s", path, names[i]->d_name);
			if (replay_path(sub) != 0)
				rc = -1;
		} else {
			rc = -1;
		}
		free(sub);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (replay_path(argv[i]) != 0)
			errors++;
	printf("replay: %ld inputs ran\n", ran);
	if (errors || ran == 0) {
		fprintf(stderr, "replay: %s\n", errors ? "some inputs could not be read"
						       : "no inputs found");
		return 1;
	}
	return 0;
}
