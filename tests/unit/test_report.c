/*
 * test_report.c - report.html's building blocks: C-locale numbers under a
 * decimal-comma locale, escaping, script detection, the Jacobi
 * eigen-decomposition, classical MDS and average-linkage clustering
 * against hand-computed results; and nr_report_write on a small folder:
 * errors name the file, the same bytes under any LC_NUMERIC, and every
 * allocation failure gives NR_ENOMEM.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "narrate.h"
#include "alloc.h"
#include "hclust.h"
#include "markup.h"
#include "mds.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return s;
}

/* A decimal-comma locale, made with localedef when the system has none;
 * 0 when neither works (the test then says so and checks the C locale). */
static int comma_locale(void)
{
	char cmd[256];

	if (setlocale(LC_NUMERIC, "de_DE.UTF-8"))
		return 1;
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/loc && localedef -i de_DE -f UTF-8 %s/loc/de_DE.UTF-8 "
		 ">/dev/null 2>&1",
		 dir, dir);
	if (system(cmd) != 0)
		return 0;
	snprintf(cmd, sizeof(cmd), "%s/loc", dir);
	setenv("LOCPATH", cmd, 1);
	return setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
}

static void test_numbers(void **state)
{
	char b[48];
	int comma;

	(void)state;
	comma = comma_locale();
	if (comma) {
		snprintf(b, sizeof(b), "%.1f", 0.5);
		assert_string_equal(b, "0,5"); /* the locale is in effect... */
	} else {
		print_message("no decimal-comma locale: checking the C locale only\n");
	}
	nri_fmt_num(b, sizeof(b), 0.5, 3); /* ...and narrate ignores it */
	assert_string_equal(b, "0.500");
	nri_fmt_num(b, sizeof(b), 1234.5678, 2);
	assert_string_equal(b, "1234.57");
	nri_fmt_num(b, sizeof(b), -0.0004, 3); /* rounds to zero: no "-0.000" */
	assert_string_equal(b, "0.000");
	nri_fmt_num(b, sizeof(b), -2.5, 0); /* half away from zero */
	assert_string_equal(b, "-3");
	nri_fmt_num(b, sizeof(b), NAN, 2);
	assert_string_equal(b, "n/a");
	nri_fmt_coord(b, sizeof(b), 12.50, 2);
	assert_string_equal(b, "12.5");
	nri_fmt_coord(b, sizeof(b), 3.0, 1);
	assert_string_equal(b, "3");
	nri_fmt_coord(b, sizeof(b), -0.01, 1);
	assert_string_equal(b, "0");
	setlocale(LC_NUMERIC, "C");
}

static void test_escape(void **state)
{
	struct nri_markup m;

	(void)state;
	nri_mu_init(&m, 0);
	/* markup characters escaped, a control character dropped, a bad byte
	 * replaced by U+FFFD, CJK kept */
	nri_mu_text(&m, "a<b&\"'\x01\xff杭州", sizeof("a<b&\"'\x01\xff杭州") - 1);
	nri_mu_count(&m, 1234567);
	nri_mu_pct(&m, 0.5812, 0);
	assert_int_equal(m.rc, NR_OK);
	assert_string_equal(m.b.data, "a&lt;b&amp;&quot;&#39;\xEF\xBF\xBD杭州1,234,56758%");
	nri_mu_release(&m);
	assert_string_equal(nri_script_lang("東京", strlen("東京")), "zh");
	assert_string_equal(nri_script_lang("とうきょう", strlen("とうきょう")), "ja");
	assert_string_equal(nri_script_lang("서울", strlen("서울")), "ko");
	assert_string_equal(nri_script_lang("Paris", 5), "");
}

static void test_jacobi(void **state)
{
	/* [[2,1],[1,2]] has eigenvalues 1 and 3, eigenvectors (1,-1)/sqrt2 and
	 * (1,1)/sqrt2 */
	double a[4] = {2, 1, 1, 2}, w[2], v[4];

	(void)state;
	nri_jacobi_eigen(a, 2, w, v);
	assert_float_equal(fmin(w[0], w[1]), 1, 1e-12);
	assert_float_equal(fmax(w[0], w[1]), 3, 1e-12);
	assert_float_equal(fabs(v[0]), sqrt(0.5), 1e-12);
	assert_float_equal(fabs(v[1]), sqrt(0.5), 1e-12);
}

static void test_mds(void **state)
{
	/* four corners of a unit square: classical MDS recovers every distance
	 * exactly, in two axes that carry all of the variance */
	static const double pt[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
	double d[16], xy[8], expl, xy2[8];

	(void)state;
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			d[i * 4 + j] = hypot(pt[i][0] - pt[j][0], pt[i][1] - pt[j][1]);
	assert_int_equal(nri_mds_classical(d, 4, xy, &expl), NR_OK);
	assert_float_equal(expl, 1, 1e-9);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			assert_float_equal(
				hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]),
				d[i * 4 + j], 1e-9);
	/* deterministic: the same numbers again */
	assert_int_equal(nri_mds_classical(d, 4, xy2, NULL), NR_OK);
	assert_memory_equal(xy, xy2, sizeof(xy));
}

static void test_hclust(void **state)
{
	/* 0-1 at 1, 2-3 at 2, the pairs 10 apart: merges (0,1) at 1, (2,3) at
	 * 2, then both at 10 (the average of four 10s) */
	double d[16];
	struct nri_merge m[3];
	size_t order[4];

	(void)state;
	for (int i = 0; i < 16; i++)
		d[i] = 10;
	for (int i = 0; i < 4; i++)
		d[i * 4 + i] = 0;
	d[1] = d[4] = 1;
	d[11] = d[14] = 2;
	assert_int_equal(nri_hclust_average(d, 4, m, order), NR_OK);
	assert_int_equal(m[0].a, 0);
	assert_int_equal(m[0].b, 1);
	assert_float_equal(m[0].height, 1, 1e-12);
	assert_int_equal(m[1].a, 2);
	assert_int_equal(m[1].b, 3);
	assert_float_equal(m[1].height, 2, 1e-12);
	assert_int_equal(m[2].a, 4);
	assert_int_equal(m[2].b, 5);
	assert_float_equal(m[2].height, 10, 1e-12);
	assert_int_equal(m[2].size, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(order[i], i);
	/* average, not single or complete linkage: 0 is 4 from 2 and 8 from 3,
	 * 1 is 6 from both; {0,1} meets {2,3} at (4+8+6+6)/4 = 6 */
	d[2] = d[8] = 4;
	d[3] = d[12] = 8;
	d[6] = d[9] = d[7] = d[13] = 6;
	assert_int_equal(nri_hclust_average(d, 4, m, order), NR_OK);
	assert_float_equal(m[2].height, 6, 1e-12);
}

static void fixture(void)
{
	put("measures.json",
	    "{\"schema\": \"narrate.measures\", \"version\": 1, \"groups\": [\n"
	    " {\"id\": \"330100\", \"name\": \"Hangzhou\", \"name_zh\": \"杭州市\", "
	    "\"region\": \"east\", \"north_south\": \"south\", \"tags\": [\"龙井\", \"lake\"],\n"
	    "  \"measures\": {\"documents\": 30, \"tokens\": 900, \"tone_net\": 0.05, "
	    "\"frame_hill1\": 5.5, \"mattr\": 0.8},\n"
	    "  \"topics\": {\"topic/nature\": 0.5, \"topic/food\": 0.25}, \"frames\": "
	    "{\"frame/emotional\": 0.4}, \"languages\": {\"zh\": 20, \"en\": 10}},\n"
	    " {\"id\": \"110000\", \"name\": \"Beijing\", \"name_zh\": \"北京市\", "
	    "\"region\": \"east\", \"north_south\": \"north\", \"tags\": [\"故宫\"],\n"
	    "  \"measures\": {\"documents\": 50, \"tokens\": 1500, \"tone_net\": -0.01, "
	    "\"frame_hill1\": 7.25, \"mattr\": 0.75},\n"
	    "  \"topics\": {\"topic/nature\": 0.1, \"topic/food\": 0.3}, \"frames\": "
	    "{\"frame/emotional\": 0.1}, \"languages\": {\"en\": 50}},\n"
	    " {\"id\": \"Tokyo\", \"name\": \"東京\", \"measures\": {\"documents\": 5, "
	    "\"tokens\": 100, \"tone_net\": null}, \"languages\": {\"ja\": 5}}\n"
	    "], \"corpus\": {\"documents\": 85}}\n");
	put("similarity.csv", "city_a,city_b,cosine\n330100,110000,0.25\n110000,330100,0.25\n"
			      "330100,Tokyo,0.05\nTokyo,330100,0.05\n110000,Tokyo,0.125\n"
			      "Tokyo,110000,0.125\n");
	put("keyterms.csv", "city_id,term,count,other_count,g2,log_ratio\n"
			    "330100,龙井,6,0,20.5,5.5\n330100,\"a, b\",3,9,4.25,-1.5\n");
	put("ranking.csv", "rank,city_id,city_name,score,rank_median,rank_p05,rank_p95\n"
			   "1,330100,Hangzhou,0.75,1,1,2\n2,110000,Beijing,0.5,2,1,3\n"
			   "3,Tokyo,Tokyo,0.1,3,2,3\n");
}

static void test_write(void **state)
{
	char err[512], path[128], out2[128];
	struct nr_report_options o = {0};
	char *a, *b;
	size_t la, lb;

	(void)state;
	fixture();
	assert_int_equal(nr_report_write("/nonexistent-narrate-dir", NULL, err, sizeof(err)),
			 NR_ENOTFOUND);
	assert_non_null(strstr(err, "/nonexistent-narrate-dir/measures.json"));
	assert_int_equal(nr_report_write(dir, NULL, err, sizeof(err)), NR_OK);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	a = slurp(path, &la);
	/* labels in their languages: 東京 in a Japanese corpus is ja; a
	 * negative log ratio is drawn to the left */
	assert_non_null(strstr(a, "<text x=\""));
	assert_non_null(strstr(a, "lang=\"ja\">東京</text>"));
	assert_non_null(strstr(a, "<span lang=\"zh-Hans\" class=\"zh\">杭州市</span>"));
	assert_non_null(strstr(a, "class=\"bar2\""));
	assert_null(strstr(a, "under-used ones"));
	assert_null(strstr(a, "No tone data")); /* two cities have tone */
	/* the same bytes under a decimal-comma locale */
	if (comma_locale()) {
		snprintf(out2, sizeof(out2), "%s/comma.html", dir);
		o.output = out2;
		assert_int_equal(nr_report_write(dir, &o, err, sizeof(err)), NR_OK);
		setlocale(LC_NUMERIC, "C");
		b = slurp(out2, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(b);
	}
	free(a);
	/* a corrupt CSV names the file */
	put("keyterms.csv", "city_id,term,count,other_count,g2,log_ratio\n330100,x,1,2,zz,1\n");
	assert_int_equal(nr_report_write(dir, NULL, err, sizeof(err)), NR_EPARSE);
	assert_non_null(strstr(err, "keyterms.csv"));
	assert_non_null(strstr(err, "'zz' is not a number"));
	fixture();
}

static void test_alloc_failure(void **state)
{
	char err[512];
	long n;
	int rc;

	(void)state;
	fixture();
	for (n = 1;; n++) {
		nri_alloc_fail_at(n);
		rc = nr_report_write(dir, NULL, err, sizeof(err));
		nri_alloc_fail_at(0);
		if (rc == NR_OK)
			break;
		assert_int_equal(rc, NR_ENOMEM);
		assert_true(n < 100000);
	}
	assert_true(n > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),	      cmocka_unit_test(test_escape),
		cmocka_unit_test(test_jacobi),	      cmocka_unit_test(test_mds),
		cmocka_unit_test(test_hclust),	      cmocka_unit_test(test_write),
		cmocka_unit_test(test_alloc_failure),
	};
	char cmd[128];
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/narrate-test-report-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
