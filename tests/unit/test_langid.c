/*
 * test_langid.c - nr_langid on short sentences in 22 languages, mixed
 * scripts, texts with nothing to go on, bad arguments, threads, and the
 * fallback when libexttextcat's profiles are not installed.
 *
 * Every sentence below was written for this project (not taken from any
 * corpus); they are the length of a social-media post.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "narrate.h"

static const struct {
	const char *lang, *text;
} posts[] = {
	{"en", "The old town is full of tea houses and the lake is beautiful at night."},
	{"fr", "Nous avons visité la vieille ville et le musée était fermé pour les vacances."},
	{"es", "La ciudad tiene un parque muy grande y la comida es deliciosa."},
	{"de", "Die Stadt ist sehr schön und wir haben den alten Tempel besucht."},
	{"pt", "A cidade é muito bonita e nós comemos na praça ao lado do rio."},
	{"it", "La città è molto bella e abbiamo mangiato in un ristorante vicino al fiume."},
	{"nl", "De stad is erg mooi en we hebben een boottocht op het meer gemaakt."},
	{"sv", "Staden är mycket vacker och vi åt middag vid sjön."},
	{"pl", "Miasto jest bardzo piękne i zjedliśmy obiad nad rzeką."},
	{"tr", "Şehir çok güzel ve akşam yemeği için balık yedik."},
	{"id", "Kota ini sangat indah dan kami makan malam di dekat danau."},
	{"vi", "Thành phố này rất đẹp và đồ ăn rất ngon."},
	{"ru", "Город очень красивый, и мы гуляли по набережной весь вечер."},
	{"uk", "Місто дуже гарне, і ми гуляли набережною цілий вечір."},
	{"el", "Η πόλη είναι πολύ όμορφη και το φαγητό ήταν υπέροχο."},
	{"ar", "المدينة جميلة جدا وزرنا السوق القديم في المساء."},
	{"fa", "این شهر بسیار زیبا است و ما به بازار قدیمی رفتیم."},
	{"he", "העיר יפה מאוד והאוכל היה טעים."},
	{"hi", "यह शहर बहुत सुंदर है और हमने पुराने बाज़ार में खाना खाया।"},
	{"th", "เมืองนี้สวยมากและอาหารอร่อย"},
	{"zh", "杭州的西湖非常美丽，我们晚上去看了音乐喷泉。"},
	{"ja", "京都の古いお寺はとても静かで、朝の散歩が気持ちよかったです。"},
	{"ko", "부산의 해변은 정말 아름답고 음식도 맛있었어요."},
};

#define NPOSTS (sizeof(posts) / sizeof(posts[0]))

static void expect(const char *text, const char *want)
{
	char lang[16];
	double conf = -1;

	assert_int_equal(nr_langid(text, strlen(text), lang, sizeof(lang), &conf), NR_OK);
	if (strcmp(lang, want))
		fail_msg("'%s': got '%s', want '%s'", text, lang, want);
	assert_true(conf >= 0 && conf <= 1);
}

static void test_languages(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NPOSTS; i++)
		expect(posts[i].text, posts[i].lang);
}

/* Nothing to go on: "und" with confidence 0. */
static void test_undetermined(void **state)
{
	static const char *const texts[] = {
		"", "12345 678.9", "😀🎉👍", "https://example.com/a/b www.test.org",
		"@user_123 mail@example.com 2024-05-01", "!!! ??? ...", "#2024 #100",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char lang[8];
		double conf = -1;

		assert_int_equal(nr_langid(texts[i], strlen(texts[i]), lang, sizeof(lang), &conf),
				 NR_OK);
		if (strcmp(lang, "und"))
			fail_msg("'%s': got '%s', want 'und'", texts[i], lang);
		assert_true(conf == 0);
	}
	assert_int_equal(nr_langid(NULL, 0, (char[8]){0}, 8, NULL), NR_OK);
}

/* The majority script decides; names in another script do not. */
static void test_mixed_scripts(void **state)
{
	(void)state;
	expect("I loved my trip to 杭州 last week, the food was great", "en");
	expect("今天去了Apple Store买手机", "zh");
	expect("我在Hangzhou玩得很开心", "zh");
	expect("Loved West Lake in Hangzhou! #travel https://t.co/xyz @visit_hz", "en");
	expect("東京タワーに行きました Tokyo Tower", "ja");
	expect("@hangzhou_official 西湖的日落太美了 https://t.co/abc", "zh");
	expect("Москва – a city I want to see again, and the metro is great", "en");
	/* Han leads: an English phrase inside does not take over */
	expect("我们在杭州参观了西湖和灵隐寺，导游说 the lake is beautiful", "zh");
}

/* The confidence grows with the evidence. */
static void test_confidence(void **state)
{
	const char *long_en = "The city has a long history and it is known for the lake, "
			      "the tea fields and the old streets that run along the canal.";
	char lang[8];
	double c_long, c_short;

	(void)state;
	assert_int_equal(nr_langid(long_en, strlen(long_en), lang, sizeof(lang), &c_long), NR_OK);
	assert_string_equal(lang, "en");
	assert_int_equal(nr_langid("the lake", 8, lang, sizeof(lang), &c_short), NR_OK);
	assert_string_equal(lang, "en");
	assert_true(c_long > 0.5);
	assert_true(c_short < c_long);
}

static void test_bad_arguments(void **state)
{
	char lang[8] = "x";
	char small[7];

	(void)state;
	assert_int_equal(nr_langid("hello", 5, small, sizeof(small), NULL), NR_EINVAL);
	assert_int_equal(nr_langid("hello", 5, NULL, 8, NULL), NR_EINVAL);
	assert_int_equal(nr_langid(NULL, 5, lang, sizeof(lang), NULL), NR_EINVAL);
}

/* Only len bytes are read (no NUL needed); bad UTF-8 is skipped. */
static void test_bytes(void **state)
{
	const char *text = "Die Stadt ist schön und the rest is not read";
	char lang[8];

	(void)state;
	assert_int_equal(nr_langid(text, 23, lang, sizeof(lang), NULL), NR_OK);
	assert_string_equal(lang, "de");
	expect("Le mus\xc3\x28" "e est ferm\xff pour les vacances et la ville est belle", "fr");
}

struct job {
	size_t first;
	int bad;
};

static void *worker(void *arg)
{
	struct job *job = arg;
	size_t i, round;

	for (round = 0; round < 200; round++) {
		for (i = 0; i < NPOSTS; i++) {
			const char *t = posts[(i + job->first) % NPOSTS].text;
			const char *want = posts[(i + job->first) % NPOSTS].lang;
			char lang[8];

			if (nr_langid(t, strlen(t), lang, sizeof(lang), NULL) != NR_OK ||
			    strcmp(lang, want))
				job->bad++;
		}
	}
	return NULL;
}

/* Four threads, all languages, the first call racing in all of them. */
static void test_threads(void **state)
{
	pthread_t th[4];
	struct job jobs[4];
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		jobs[i].first = i * 5;
		jobs[i].bad = 0;
		assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(jobs[i].bad, 0);
	}
}

/* Without libexttextcat-data the function words and letters still decide
 * (run in a fresh process: the profiles are loaded once per process). */
static int no_profiles_main(void)
{
	static const struct {
		const char *lang, *text;
	} cases[] = {
		{"en", "The old town is full of tea houses and the lake is beautiful at night."},
		{"fr", "Nous avons visité la vieille ville et le musée était fermé pour les vacances."},
		{"de", "Die Stadt ist sehr schön und wir haben den alten Tempel besucht."},
		{"ru", "Город очень красивый, и мы гуляли по набережной весь вечер."},
		{"zh", "杭州的西湖非常美丽"},
		{"en", "Hangzhou sunset"}, /* no evidence, no profiles: the script's default */
		{"und", "12345"},
	};
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char lang[8];

		if (nr_langid(cases[i].text, strlen(cases[i].text), lang, sizeof(lang), NULL) ||
		    strcmp(lang, cases[i].lang)) {
			fprintf(stderr, "no profiles: '%s': got '%s', want '%s'\n", cases[i].text,
				lang, cases[i].lang);
			bad = 1;
		}
	}
	return bad;
}

static void test_no_profiles(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static char name[] = "test_langid", flag[] = "--no-profiles";
		char *argv[] = {name, flag, NULL};

		setenv("NR_TEXTCAT_DIR", "/nonexistent/narrate-test", 1);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads), /* first: the tables load under a race */
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_undetermined),
		cmocka_unit_test(test_mixed_scripts),
		cmocka_unit_test(test_confidence),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_no_profiles),
	};

	if (argc > 1 && !strcmp(argv[1], "--no-profiles"))
		return no_profiles_main();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
