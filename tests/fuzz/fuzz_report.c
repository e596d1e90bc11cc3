/*
 * fuzz_report.c - libFuzzer harness for the report folder reader and
 * report.html (docs/report.md).  The input is a report folder in one
 * buffer: parts separated by a line "====" are written as measures.json,
 * keyterms.csv, similarity.csv, ranking.csv, cliches.csv and
 * cross_clusters.csv (a part that is absent leaves its file out) into a
 * private temporary folder, which nr_report_write then draws.  A failure
 * must come with a message naming a file; nothing may crash or leak; a page
 * that is written must be free of NUL bytes and end with </html>.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "narrate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = { "measures.json", "keyterms.csv",   "similarity.csv",
				     "ranking.csv",   "cliches.csv",    "cross_clusters.csv" };
#define NPARTS (sizeof(names) / sizeof(names[0]))

static char dir[64];

static void cleanup(void)
{
	char path[128];

	for (size_t i = 0; i < NPARTS; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/report.html", dir);
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	char path[128], err[1024];
	struct nr_report_options o = { 0 };
	size_t part = 0;
	int rc;

	if (size > (1 << 20))
		return 0;
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/narrate-fuzz-report-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(cleanup);
	}
	for (size_t i = 0; i < NPARTS; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	while (s <= end && part < NPARTS) {
		const char *sep = NULL;
		FILE *f;

		for (const char *p = s; p + 6 <= end; p++)
			if (!memcmp(p, "\n====\n", 6)) {
				sep = p;
				break;
			}
		snprintf(path, sizeof(path), "%s/%s", dir, names[part]);
		f = fopen(path, "wb");
		if (!f)
			abort();
		fwrite(s, 1, (size_t)((sep ? sep : end) - s), f);
		fclose(f);
		part++;
		if (!sep)
			break;
		s = sep + 6;
	}
	o.top = 5;
	o.names_zh = size % 2;
	rc = nr_report_write(dir, &o, err, sizeof(err));
	if (rc != NR_OK) {
		if (!err[0] || (rc != NR_ENOMEM && !strstr(err, dir)))
			abort(); /* an error must say which file */
	} else {
		FILE *f;
		long n;
		char *buf;

		snprintf(path, sizeof(path), "%s/report.html", dir);
		f = fopen(path, "rb");
		if (!f)
			abort();
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc((size_t)n + 1);
		if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
			abort();
		fclose(f);
		if (memchr(buf, 0, (size_t)n) || n < 8 || memcmp(buf + n - 8, "</html>\n", 8))
			abort();
		free(buf);
	}
	return 0;
}
