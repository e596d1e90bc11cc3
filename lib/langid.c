/*
 * langid.c - language identification: script, then words, then n-grams.
 *
 * Method (docs/langid.md has the measurements behind it):
 *  1. Count the letters of each script, skipping URLs, e-mail addresses and
 *     @mentions.  Han, kana and Hangul characters count twice: one of them
 *     carries about what two or three Latin letters do (a Hangul syllable
 *     spells two or three jamo), so that an English post naming 杭州 stays
 *     English and a Chinese post naming Apple Store stays Chinese.
 *  2. The script with most (weighted) letters decides, unless it shows no
 *     function word and another script has SECOND_SCRIPT of its letters
 *     (product and place names in Latin letters inside a Chinese or Hebrew
 *     post).  Scripts used by one language in narrate's scope give that
 *     language (Hangul ko, Thai th, Greek el...); Han gives ja when kana
 *     are at least a tenth of the Han + kana letters, else zh.
 *  3. For scripts shared by many languages (Latin, Cyrillic, Arabic,
 *     Devanagari, Hebrew) each word is looked up in short lists of frequent
 *     function words (plus, for the main languages of posts about cities, a
 *     few greetings and travel words) written for this project; a word
 *     listed for k languages gives each 1/k.  Letters only some languages
 *     use (ß, ñ, ã, ı, ł, ř, ő, ș, ъ, ї, پ, ے ...) add CHAR_WEIGHT.
 *  4. With less than WEAK_WORDS of that evidence (short posts), the
 *     character n-gram profiles of libexttextcat-data choose among the
 *     script's languages (those with some evidence, if any): Cavnar and
 *     Trenkle's rank distance, see below.  Without the data, the language
 *     with most evidence, else the script's main language, with a low
 *     confidence.
 *
 * libexttextcat itself (its classifier, 160 languages) was measured and not
 * used: less accurate, on short text most of all, and ~30 times slower;
 * its profiles are.
 *
 * The tables are built once (pthread_once) into static storage and only
 * read afterwards; a call uses its stack alone.  So nr_langid is
 * thread-safe, allocates nothing and cannot fail but for bad arguments.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "narrate.h"
#include "strmap.h"
#include "utf8.h"

/* Bytes of input looked at: a long document's first 64 KiB are plenty. */
#define SCAN_MAX ((size_t)64 << 10)
/* Bytes of one lower-cased word; longer words are no function words. */
#define WORD_MAX 48
/* Weight of a letter of a script written without spaces (see above). */
#define CJK_WEIGHT 2.0
/* Weight of one occurrence of a distinctive letter, against 1 per
 * function word. */
#define CHAR_WEIGHT 0.3
/* The script's main language wins n-gram ties within this share of the
 * distance (English among Latin-script languages, ...). */
#define DEFAULT_PRIOR 0.02
/* See decide(): share of the leading script's letters another script
 * needs to win when the leading one shows no function word. */
#define SECOND_SCRIPT 0.3
/* Word evidence below this goes to the n-gram profiles. */
#define WEAK_WORDS 0.5

enum script {
	S_LATIN,
	S_CYRILLIC,
	S_GREEK,
	S_ARMENIAN,
	S_HEBREW,
	S_ARABIC,
	S_DEVANAGARI,
	S_BENGALI,
	S_GURMUKHI,
	S_GUJARATI,
	S_ORIYA,
	S_TAMIL,
	S_TELUGU,
	S_KANNADA,
	S_MALAYALAM,
	S_SINHALA,
	S_THAI,
	S_LAO,
	S_TIBETAN,
	S_MYANMAR,
	S_GEORGIAN,
	S_HANGUL,
	S_ETHIOPIC,
	S_KHMER,
	S_HAN,
	S_KANA,
	NSCRIPT,
	S_NONE = -1
};

/* The language of a script when nothing else tells (Han: see kana). */
static const char *const script_lang[NSCRIPT] = {
	"en", "ru", "el", "hy", "he", "ar", "hi", "bn", "pa", "gu", "or", "ta", "te",
	"kn", "ml", "si", "th", "lo", "bo", "my", "ka", "ko", "am", "km", "zh", "ja",
};

/* Languages told apart by words and letters; at most 64 (a bit mask). */
enum lang {
	L_EN,
	L_FR,
	L_ES,
	L_DE,
	L_PT,
	L_IT,
	L_NL,
	L_SV,
	L_DA,
	L_NO,
	L_FI,
	L_PL,
	L_CS,
	L_SK,
	L_HU,
	L_RO,
	L_CA,
	L_TR,
	L_ID,
	L_MS,
	L_VI,
	L_HR,
	L_SL,
	L_TL,
	L_SW,
	L_ET,
	L_LT,
	L_LV,
	L_RU,
	L_UK,
	L_BG,
	L_SR,
	L_MK,
	L_BE,
	L_KK,
	L_AR,
	L_FA,
	L_UR,
	L_HI,
	L_MR,
	L_NE,
	L_HE,
	L_YI,
	NLANG
};

static const struct {
	const char *code;
	enum script script;
	const char *words; /* space-separated, lower case, NFC */
	const char *model; /* profile name when not the code */
} langs[NLANG] = {
	/* Function words written for narrate from general knowledge of each
	 * language: articles, pronouns, prepositions, conjunctions, auxiliary
	 * verbs - the words every text has whatever its topic. */
	[L_EN] = {"en", S_LATIN,
		  "the of and to in is that for it with as was on are be this by at "
		  "from have or not an but they which you his her we has were their been "
		  "will would there can more also its our than who what when about into "
		  "only if do so no he she my your just all one how out up new see use "
		  "amazing beautiful love loved great today trip travel visit visited view "
		  "food night day"},
	[L_FR] = {"fr", S_LATIN,
		  "le la les de des du et est un une que qui dans pour pas sur au aux "
		  "avec ce cette il elle ils nous vous sont ont mais ou par plus se sa son "
		  "ses leur été être fait comme tout aussi très bien à où je on y en ne "
		  "cet ces peut bonjour ville voyage aujourd merci"},
	[L_ES] = {"es", S_LATIN,
		  "el la los las de del y en que es un una por con para no se su sus al "
		  "lo como más pero fue son está están este esta esto muy también hay ya "
		  "o sobre entre cuando desde hasta todo porque le puede ser hola ciudad "
		  "viaje hoy gracias"},
	[L_DE] = {"de", S_LATIN,
		  "der die das und ist nicht ein eine einen dem den des zu mit sich auf "
		  "für von im auch es an als wird werden wurde sind war hat haben oder "
		  "aber bei nach wie noch nur kann dass über aus um ich sie wir diese "
		  "dieser kein keine guten morgen stadt heute reise danke"},
	[L_PT] = {"pt", S_LATIN,
		  "o os a as de do da dos das e em no na nos nas um uma que é para com "
		  "não se por mais mas como foi são está ao à também seu sua muito já "
		  "quando pode ser isso este esta olá cidade viagem hoje obrigado"},
	[L_IT] = {"it", S_LATIN,
		  "il lo la i gli le di del della dei delle e è un una che per non con "
		  "si da in al alla sono come più anche ma ha questo questa nel nella "
		  "essere stato molto può ci sul ciao città viaggio oggi grazie"},
	[L_NL] = {"nl", S_LATIN,
		  "de het een en van is dat die in op te met voor niet zijn er aan ook "
		  "als maar om bij naar wordt worden door nog dan of uit werd hebben "
		  "heeft deze wat kan je"},
	[L_SV] = {"sv", S_LATIN,
		  "och att det som en ett är på för med av inte den till har de jag om "
		  "var men så kan sig ska eller från när vi hon han också vid detta"},
	[L_DA] = {"da", S_LATIN,
		  "og at det som en et er på for med af ikke den til har de jeg om var "
		  "men så kan sig skal eller fra når vi hun han også ved dette"},
	[L_NO] = {"no", S_LATIN,
		  "og at det som en et er på for med av ikke den til har de jeg om var "
		  "men så kan seg skal eller fra når vi hun han også ved ikkje dette",
		  "nb"},
	[L_FI] = {"fi", S_LATIN,
		  "ja on ei se että oli ovat mutta kun niin tai hän myös tämä joka sen "
		  "kuin olla voi mitä jos nyt vain sekä ole ovat tässä"},
	[L_PL] = {"pl", S_LATIN,
		  "i w z na się nie do to że jest o jak po co tak za od ale są przez "
		  "dla już tylko jego być może oraz ich który która które jako"},
	[L_CS] = {"cs", S_LATIN,
		  "a v se na je že to s z do o jsou pro jako ale by k ve za po jeho "
		  "která který které také už nebo tak jak bylo být není"},
	[L_SK] = {"sk", S_LATIN,
		  "a v sa na je že to s z do o sú pre ako ale by k vo za po jeho ktorá "
		  "ktorý ktoré aj už alebo tak bolo byť nie"},
	[L_HU] = {"hu", S_LATIN,
		  "a az és hogy nem is egy van meg el de ez azt csak már mint még volt "
		  "kell vagy ha én lesz olyan minden nincs"},
	[L_RO] = {"ro", S_LATIN,
		  "și în de la a cu pe că nu se un o este sunt din pentru care mai ca "
		  "ce al ale lui fost sau dar această acest"},
	[L_CA] = {"ca", S_LATIN,
		  "el la els les de del i a en que és un una per amb no es com més però "
		  "són dels al aquest aquesta seu també ha"},
	[L_TR] = {"tr", S_LATIN,
		  "ve bir bu da de için ile olarak çok daha gibi ama en ne o var olan "
		  "sonra kadar ya her değil mi ben"},
	[L_ID] = {"id", S_LATIN,
		  "dan yang di ini itu dengan untuk dari dalam tidak akan pada ke juga "
		  "adalah ada atau oleh bisa sudah karena saya kami mereka lebih tetapi"},
	[L_MS] = {"ms", S_LATIN,
		  "dan yang di ini itu dengan untuk dari dalam tidak akan pada ke juga "
		  "adalah ada atau oleh boleh telah kerana saya kami mereka lebih ialah "
		  "daripada"},
	[L_VI] = {"vi", S_LATIN,
		  "và của là có các những được trong cho không với này một người đã để "
		  "khi thì từ đến cũng như"},
	[L_HR] = {"hr", S_LATIN,
		  "i je u da se na za su od a ili kao što to ne bi će sa iz ali koji "
		  "koja biti"},
	[L_SL] = {"sl", S_LATIN, "in je v da se na za so od ali kot to ne bi bo iz ki pa tudi"},
	[L_TL] = {"tl", S_LATIN, "ang ng sa na mga at ay ko mo hindi ito siya para"},
	[L_SW] = {"sw", S_LATIN, "na ya wa kwa ni za katika la kuwa hii ambayo"},
	[L_ET] = {"et", S_LATIN, "ja on ei et see oli ka kui mis aga ta nii või siis"},
	[L_LT] = {"lt", S_LATIN, "ir yra kad su į iš ne tai kaip o bet buvo jis ji"},
	[L_LV] = {"lv", S_LATIN, "un ir ka ar uz no par kā arī tas to bet bija viņš"},
	[L_RU] = {"ru", S_CYRILLIC,
		  "и в не на что с по это как он она они а но к у из за от для "
		  "же так все был была было были только его её мы вы то или бы уже"},
	[L_UK] = {"uk", S_CYRILLIC,
		  "і в не на що з по це як він вона вони а але до у із за від "
		  "для же так все був була було були тільки його її ми ви то або б "
		  "вже й та"},
	[L_BG] = {"bg", S_CYRILLIC,
		  "и в не на че с по това като той тя те а но към от за да се е "
		  "са има ще бъде или само го ги"},
	[L_SR] = {"sr", S_CYRILLIC,
		  "и у не на да се је су за од као што то али или ће би из са "
		  "који",
		  "sr-Cyrl"},
	[L_MK] = {"mk", S_CYRILLIC, "и во не на дека се е за од како што тоа но или ќе би со кој"},
	[L_BE] = {"be", S_CYRILLIC,
		  "і ў не на што з па гэта як ён яна яны а але да у за ад для ж "
		  "так усе быў была было былі толькі яго"},
	[L_KK] = {"kk", S_CYRILLIC, "және мен бұл да де үшін бір ол деп жылы"},
	[L_AR] = {"ar", S_ARABIC,
		  "في من على إلى أن عن مع هذا هذه التي الذي كان ما لا هو هي كما "
		  "بين قد ثم أو عند بعد كل"},
	[L_FA] = {"fa", S_ARABIC,
		  "و در به از که این را با است برای آن یک می ها هم شده شد بود تا "
		  "کرد اما یا نیز"},
	[L_UR] = {"ur", S_ARABIC, "کے کی میں ہے اور کو سے کا یہ نے پر ہیں تھا تھی گیا ایک بھی کہ"},
	[L_HI] = {"hi", S_DEVANAGARI, "के है में की और से को का एक यह पर हैं नहीं भी था थी कि लिए"},
	[L_MR] = {"mr", S_DEVANAGARI, "आहे आणि या व ते हे होते आहेत म्हणून मी तो ती"},
	[L_NE] = {"ne", S_DEVANAGARI, "छ र को मा हो पनि गर्न यो भएको छन् थियो"},
	[L_HE] = {"he", S_HEBREW, "של את על הוא היא לא זה עם כי גם אם או אבל"},
	[L_YI] = {"yi", S_HEBREW, "און איז דער די דאָס ניט מיט צו פֿון אויף"},
};

/* Letters that only some languages use.  Lower-case code points. */
static const struct {
	uint32_t cp;
	int lang[6]; /* -1 terminated when fewer */
} letters[] = {
	{0x00DF, {L_DE, -1}},				/* ß */
	{0x00E4, {L_DE, L_SV, L_FI, L_ET, L_SK, -1}},	/* ä */
	{0x00F6, {L_DE, L_SV, L_FI, L_TR, L_HU, L_ET}}, /* ö */
	{0x00FC, {L_DE, L_TR, L_HU, L_ET, -1}},		/* ü */
	{0x00F1, {L_ES, -1}},				/* ñ */
	{0x00E3, {L_PT, L_VI, -1}},			/* ã */
	{0x00F5, {L_PT, L_VI, L_ET, -1}},		/* õ */
	{0x00E7, {L_FR, L_PT, L_CA, L_TR, -1}},		/* ç */
	{0x00E8, {L_FR, L_IT, L_CA, -1}},		/* è */
	{0x00EA, {L_FR, L_PT, L_VI, -1}},		/* ê */
	{0x00EB, {L_FR, L_NL, -1}},			/* ë */
	{0x00EE, {L_FR, L_RO, -1}},			/* î */
	{0x00EF, {L_FR, L_NL, L_CA, -1}},		/* ï */
	{0x0153, {L_FR, -1}},				/* œ */
	{0x00F9, {L_FR, L_IT, -1}},			/* ù */
	{0x00EC, {L_IT, -1}},				/* ì */
	{0x00F2, {L_IT, L_CA, -1}},			/* ò */
	{0x00E5, {L_SV, L_DA, L_NO, -1}},		/* å */
	{0x00E6, {L_DA, L_NO, -1}},			/* æ */
	{0x00F8, {L_DA, L_NO, -1}},			/* ø */
	{0x011F, {L_TR, -1}},				/* ğ */
	{0x0131, {L_TR, -1}},				/* ı */
	{0x015F, {L_TR, -1}},				/* ş */
	{0x0142, {L_PL, -1}},				/* ł */
	{0x0105, {L_PL, L_LT, -1}},			/* ą */
	{0x0119, {L_PL, L_LT, -1}},			/* ę */
	{0x015B, {L_PL, -1}},				/* ś */
	{0x017A, {L_PL, -1}},				/* ź */
	{0x017C, {L_PL, -1}},				/* ż */
	{0x0144, {L_PL, -1}},				/* ń */
	{0x0159, {L_CS, -1}},				/* ř */
	{0x016F, {L_CS, -1}},				/* ů */
	{0x011B, {L_CS, -1}},				/* ě */
	{0x013E, {L_SK, -1}},				/* ľ */
	{0x013A, {L_SK, -1}},				/* ĺ */
	{0x0155, {L_SK, -1}},				/* ŕ */
	{0x00F4, {L_SK, L_FR, L_PT, L_VI, -1}},		/* ô */
	{0x0151, {L_HU, -1}},				/* ő */
	{0x0171, {L_HU, -1}},				/* ű */
	{0x0219, {L_RO, -1}},				/* ș */
	{0x021B, {L_RO, -1}},				/* ț */
	{0x0103, {L_RO, L_VI, -1}},			/* ă */
	{0x0111, {L_VI, L_HR, -1}},			/* đ */
	{0x01B0, {L_VI, -1}},				/* ư */
	{0x01A1, {L_VI, -1}},				/* ơ */
	{0x0107, {L_HR, L_PL, -1}},			/* ć */
	{0x010D, {L_CS, L_SK, L_HR, L_SL, L_LT, L_LV}}, /* č */
	{0x0161, {L_CS, L_SK, L_HR, L_SL, L_LT, L_LV}}, /* š */
	{0x017E, {L_CS, L_SK, L_HR, L_SL, L_LT, L_LV}}, /* ž */
	{0x0117, {L_LT, -1}},				/* ė */
	{0x012F, {L_LT, -1}},				/* į */
	{0x0173, {L_LT, -1}},				/* ų */
	{0x016B, {L_LT, L_LV, -1}},			/* ū */
	{0x0113, {L_LV, -1}},				/* ē */
	{0x0101, {L_LV, -1}},				/* ā */
	{0x012B, {L_LV, -1}},				/* ī */
	{0x0137, {L_LV, -1}},				/* ķ */
	{0x013C, {L_LV, -1}},				/* ļ */
	{0x0146, {L_LV, -1}},				/* ņ */
	{0x044B, {L_RU, L_BE, -1}},			/* ы */
	{0x044D, {L_RU, L_BE, -1}},			/* э */
	{0x0451, {L_RU, L_BE, -1}},			/* ё */
	{0x044A, {L_BG, -1}},				/* ъ (rare in Russian) */
	{0x0456, {L_UK, L_BE, L_KK, -1}},		/* і */
	{0x0457, {L_UK, -1}},				/* ї */
	{0x0454, {L_UK, -1}},				/* є */
	{0x0491, {L_UK, -1}},				/* ґ */
	{0x045E, {L_BE, -1}},				/* ў */
	{0x0458, {L_SR, L_MK, -1}},			/* ј */
	{0x0459, {L_SR, L_MK, -1}},			/* љ */
	{0x045A, {L_SR, L_MK, -1}},			/* њ */
	{0x045B, {L_SR, -1}},				/* ћ */
	{0x0452, {L_SR, -1}},				/* ђ */
	{0x045F, {L_SR, L_MK, -1}},			/* џ */
	{0x0453, {L_MK, -1}},				/* ѓ */
	{0x045C, {L_MK, -1}},				/* ќ */
	{0x0455, {L_MK, -1}},				/* ѕ */
	{0x04D9, {L_KK, -1}},				/* ә */
	{0x0493, {L_KK, -1}},				/* ғ */
	{0x049B, {L_KK, -1}},				/* қ */
	{0x04A3, {L_KK, -1}},				/* ң */
	{0x04E9, {L_KK, -1}},				/* ө */
	{0x04B1, {L_KK, -1}},				/* ұ */
	{0x04AF, {L_KK, -1}},				/* ү */
	{0x067E, {L_FA, L_UR, -1}},			/* پ */
	{0x0686, {L_FA, L_UR, -1}},			/* چ */
	{0x0698, {L_FA, L_UR, -1}},			/* ژ */
	{0x06AF, {L_FA, L_UR, -1}},			/* گ */
	{0x06CC, {L_FA, L_UR, -1}},			/* ی */
	{0x06A9, {L_FA, L_UR, -1}},			/* ک */
	{0x0679, {L_UR, -1}},				/* ٹ */
	{0x0688, {L_UR, -1}},				/* ڈ */
	{0x0691, {L_UR, -1}},				/* ڑ */
	{0x06BA, {L_UR, -1}},				/* ں */
	{0x06D2, {L_UR, -1}},				/* ے */
	{0x06C1, {L_UR, -1}},				/* ہ */
	{0x06BE, {L_UR, -1}},				/* ھ */
	{0x0629, {L_AR, -1}},				/* ة */
	{0x064A, {L_AR, -1}},				/* ي */
	{0x0643, {L_AR, -1}},				/* ك */
	{0x0623, {L_AR, -1}},				/* أ */
	{0x0625, {L_AR, -1}},				/* إ */
	{0x0933, {L_MR, -1}},				/* ळ */
	{0x05F0, {L_YI, -1}},				/* װ */
	{0x05F1, {L_YI, -1}},				/* ױ */
	{0x05F2, {L_YI, -1}},				/* ײ */
};

/* ---- tables, sorted once ------------------------------------------------ */

#define MAX_WORDS 2048
#define NLETTERS  (sizeof(letters) / sizeof(letters[0]))

_Static_assert(NLANG <= 64, "languages are bits of a uint64_t");
_Static_assert(NLETTERS <= 256, "letter_order holds unsigned char indexes");

struct fword {
	const char *w; /* into langs[].words, not NUL-terminated */
	size_t len;
	uint64_t mask; /* languages listing it */
};

static struct fword fwords[MAX_WORDS];
static size_t nfwords;
static unsigned char letter_order[NLETTERS]; /* indexes of letters[] by cp */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int cmp_fword(const void *pa, const void *pb)
{
	const struct fword *a = pa, *b = pb;

	return cmp_bytes(a->w, a->len, b->w, b->len);
}

static int cmp_letter(const void *pa, const void *pb)
{
	uint32_t a = letters[*(const unsigned char *)pa].cp;
	uint32_t b = letters[*(const unsigned char *)pb].cp;

	return a < b ? -1 : a > b;
}

static void load_profiles(void);

/* Split the word lists into one sorted table with a language mask per
 * word, in static storage: nr_langid never allocates. */
static void build_tables(void)
{
	size_t i, j, n = 0;

	for (i = 0; i < NLANG; i++) {
		const char *p = langs[i].words;

		while (*p) {
			size_t len = strcspn(p, " ");

			if (len && len < WORD_MAX && n < MAX_WORDS) {
				fwords[n].w = p;
				fwords[n].len = len;
				fwords[n].mask = (uint64_t)1 << i;
				n++;
			}
			p += len;
			p += strspn(p, " ");
		}
	}
	qsort(fwords, n, sizeof(fwords[0]), cmp_fword);
	for (i = 0, j = 0; i < n; i++) {
		if (j && !cmp_fword(&fwords[j - 1], &fwords[i]))
			fwords[j - 1].mask |= fwords[i].mask;
		else
			fwords[j++] = fwords[i];
	}
	nfwords = j;
	for (i = 0; i < NLETTERS; i++)
		letter_order[i] = (unsigned char)i;
	qsort(letter_order, NLETTERS, 1, cmp_letter);
	load_profiles();
}

static uint64_t word_mask(const char *w, size_t len)
{
	size_t lo = 0, hi = nfwords;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_bytes(w, len, fwords[mid].w, fwords[mid].len);

		if (!c)
			return fwords[mid].mask;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int letter_index(uint32_t cp)
{
	size_t lo = 0, hi = NLETTERS;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t c = letters[letter_order[mid]].cp;

		if (c == cp)
			return letter_order[mid];
		if (cp < c)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* ---- character n-gram profiles (libexttextcat's data) ------------------- */

/* Cavnar and Trenkle, "N-Gram-Based Text Categorization" (SDAIR 1994): the
 * n-grams (n = 1..5, words padded with '_') of a text ranked by frequency,
 * compared with a language's ranked profile by the "out-of-place" distance,
 * the sum of rank differences with MODEL_SIZE for an n-gram the profile
 * lacks.  The profiles are libexttextcat's (BSD licence, 400 n-grams each,
 * mostly from UDHR translations), read at run time, lower-cased here and
 * stripped of n-grams with digits or punctuation.  Only the languages of the
 * winning script are compared, and only when the word evidence is weak. */
#define MODEL_SIZE    400
#define TEXT_NGRAMS   300  /* ranks of the text compared */
#define TEXT_SLOTS    1024 /* distinct n-grams of the text kept (16 KiB) */
#define NGRAM_LETTERS 300  /* letters of the text looked at */

struct ngram {
	uint64_t hash; /* nri_hash of the n-gram; 0: empty slot */
	unsigned count;
};

/* Every profile's n-grams in one table sorted by hash, so that one
 * binary search finds an n-gram's rank in all languages at once. */
struct pentry {
	uint64_t hash;
	uint16_t lang;
	uint16_t rank;
};

static struct pentry profile[NLANG * MODEL_SIZE];
static size_t nprofile;
static unsigned model_len[NLANG];

static int cmp_pentry(const void *pa, const void *pb)
{
	const struct pentry *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	if (a->lang != b->lang)
		return a->lang < b->lang ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static uint32_t lower(uint32_t c);
static int script_of(uint32_t c);

/* Where the profiles are: $NR_TEXTCAT_DIR, else Debian's and a local
 * install's place for libexttextcat-data. */
static FILE *open_model(const char *name)
{
	static const char *const dirs[] = {"/usr/share/libexttextcat",
					   "/usr/local/share/libexttextcat"};
	const char *env = getenv("NR_TEXTCAT_DIR");
	char path[512];
	FILE *f;
	size_t i;

	if (env && *env) {
		snprintf(path, sizeof(path), "%s/%s.lm", env, name);
		return fopen(path, "r");
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.lm", dirs[i], name);
		f = fopen(path, "r");
		if (f)
			return f;
	}
	return NULL;
}

/* Read one profile: "ngram<TAB>count" lines, most frequent first.  The
 * n-gram is lower-cased; one with a character that is neither a letter nor
 * '_' is dropped; a repeat (after lower-casing) keeps its first rank.  A
 * missing or unreadable file leaves the language without a profile. */
static void load_model(int lang)
{
	const char *name = langs[lang].model ? langs[lang].model : langs[lang].code;
	FILE *f = open_model(name);
	struct pentry *m = profile + nprofile;
	char line[256];
	unsigned n = 0, i, j;

	if (!f)
		return;
	while (n < MODEL_SIZE && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\t\r\n"), pos = 0, olen = 0;
		char out[64];
		int ok = len > 0;

		while (ok && pos < len) {
			int32_t cp = nri_utf8_next(line, len, &pos);

			if (cp < 0 || (cp != '_' && script_of((uint32_t)cp) < 0) ||
			    olen + 4 > sizeof(out))
				ok = 0;
			else
				olen += nri_utf8_encode(lower((uint32_t)cp), out + olen);
		}
		if (!ok)
			continue;
		m[n].hash = nri_hash(out, olen);
		m[n].lang = (uint16_t)lang;
		m[n].rank = (uint16_t)n;
		n++;
	}
	fclose(f);
	/* a repeat after lower-casing keeps its first (best) rank */
	qsort(m, n, sizeof(m[0]), cmp_pentry);
	for (i = 0, j = 0; i < n; i++)
		if (!j || m[j - 1].hash != m[i].hash)
			m[j++] = m[i];
	model_len[lang] = j;
	nprofile += j;
}

static void load_profiles(void)
{
	int lang;

	for (lang = 0; lang < NLANG; lang++)
		load_model(lang);
	qsort(profile, nprofile, sizeof(profile[0]), cmp_pentry);
}

/* The first profile entry for hash, or nprofile. */
static size_t profile_find(uint64_t hash)
{
	size_t lo = 0, hi = nprofile;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (profile[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < nprofile && profile[lo].hash == hash ? lo : nprofile;
}

/* ---- characters ---------------------------------------------------------- */

#define S_MARK (-2) /* a combining mark: part of a word, no letter */

/* The script of a letter, S_MARK for combining marks that belong to the
 * word before them, S_NONE for everything else (digits, punctuation,
 * symbols, emoji, spaces).  Block ranges from Unicode 15's Blocks.txt;
 * within the Indic blocks the digits and dandas are no letters. */
static int script_of(uint32_t c)
{
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? S_LATIN : S_NONE;
	if (c < 0x250)
		return (c >= 0xC0 && c != 0xD7 && c != 0xF7) || c == 0xAA || c == 0xBA ? S_LATIN
										       : S_NONE;
	if (c >= 0x300 && c < 0x370)
		return S_MARK;
	if (c >= 0x370 && c < 0x400)
		return c >= 0x386 && c != 0x387 ? S_GREEK : S_NONE;
	if (c >= 0x400 && c < 0x530)
		return c >= 0x483 && c <= 0x489 ? S_MARK : S_CYRILLIC;
	if (c >= 0x531 && c < 0x590)
		return c < 0x557 || (c >= 0x560 && c < 0x589) ? S_ARMENIAN : S_NONE;
	if (c >= 0x590 && c < 0x600)
		return c < 0x5D0 ? (c <= 0x5C7 ? S_MARK : S_NONE)
				 : (c <= 0x5F2 ? S_HEBREW : S_NONE);
	if ((c >= 0x600 && c < 0x700) || (c >= 0x750 && c < 0x780) || (c >= 0xFB50 && c < 0xFE00) ||
	    (c >= 0xFE70 && c < 0xFF00)) {
		if ((c >= 0x64B && c <= 0x65F) || c == 0x670 || (c >= 0x6D6 && c <= 0x6ED))
			return S_MARK;
		if ((c >= 0x620 && c <= 0x64A) || (c >= 0x66E && c <= 0x6D3) || c == 0x6D5 ||
		    (c >= 0x6FA && c <= 0x6FF) || c >= 0x750)
			return S_ARABIC;
		return S_NONE;
	}
	if (c >= 0x900 && c < 0xE00) {
		/* nine Indic blocks of 128: digits at 0x66..0x6F in each */
		static const signed char indic[] = {
			S_DEVANAGARI, S_BENGALI, S_GURMUKHI, S_GUJARATI,  S_ORIYA,
			S_TAMIL,      S_TELUGU,	 S_KANNADA,  S_MALAYALAM, S_SINHALA,
		};
		unsigned off = c & 0x7F;

		if (off >= 0x66 && off <= 0x6F && c < 0xD80)
			return S_NONE;
		if (c == 0x964 || c == 0x965)
			return S_NONE;
		return indic[(c - 0x900) >> 7];
	}
	if (c >= 0xE00 && c < 0xE80)
		return (c >= 0xE50 && c <= 0xE5B) || c == 0xE3F ? S_NONE : S_THAI;
	if (c >= 0xE80 && c < 0xF00)
		return S_LAO;
	if (c >= 0xF00 && c < 0x1000)
		return c >= 0xF40 ? S_TIBETAN : S_NONE;
	if (c >= 0x1000 && c < 0x10A0)
		return S_MYANMAR;
	if ((c >= 0x10A0 && c < 0x1100) || (c >= 0x1C90 && c < 0x1CC0))
		return c == 0x10FB ? S_NONE : S_GEORGIAN;
	if ((c >= 0x1100 && c < 0x1200) || (c >= 0x3130 && c < 0x3190) ||
	    (c >= 0xAC00 && c < 0xD7B0))
		return S_HANGUL;
	if (c >= 0x1200 && c < 0x13A0)
		return c >= 0x1360 && c <= 0x137C ? S_NONE : S_ETHIOPIC;
	if (c >= 0x1780 && c < 0x1800)
		return c < 0x17D4 ? S_KHMER : S_NONE;
	if (c >= 0x1AB0 && c < 0x1B00)
		return S_MARK;
	if (c >= 0x1E00 && c < 0x1F00)
		return S_LATIN;
	if (c >= 0x1F00 && c < 0x2000)
		return S_GREEK;
	if (c >= 0x3040 && c < 0x3100)
		return c == 0x30FB ? S_NONE : (c >= 0x3099 && c <= 0x309C ? S_MARK : S_KANA);
	if ((c >= 0x31F0 && c < 0x3200) || (c >= 0xFF66 && c < 0xFFA0))
		return S_KANA;
	if ((c >= 0x3400 && c < 0x4DC0) || (c >= 0x4E00 && c < 0xA000) ||
	    (c >= 0xF900 && c < 0xFB00) || (c >= 0x20000 && c < 0x40000) || c == 0x3005)
		return S_HAN;
	if ((c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A))
		return S_LATIN;
	if (c >= 0xFE20 && c < 0xFE30)
		return S_MARK;
	return S_NONE;
}

/* Simple lower-casing for the scripts the word lists are in (Latin,
 * Greek, Cyrillic, Armenian); other scripts have no case. */
static uint32_t lower(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 0x20;
	if (c >= 0x100 && c < 0x180) {
		if (c == 0x130)
			return 'i';
		if (c == 0x178)
			return 0xFF;
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return c & 1 ? c + 1 : c;
		if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
			return c;
		return c & 1 ? c : c + 1;
	}
	if (c == 0x1A0 || c == 0x1AF)
		return c + 1;
	if (c >= 0x218 && c <= 0x21B)
		return c | 1;
	if (c >= 0x1EA0 && c <= 0x1EF9)
		return c | 1;
	if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
		return c + 0x20;
	if (c >= 0x410 && c <= 0x42F)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c >= 0x460 && c < 0x530 && c != 0x4C0 && !(c >= 0x482 && c <= 0x489)) {
		if (c >= 0x4C1 && c <= 0x4CE)
			return c & 1 ? c + 1 : c;
		return c & 1 ? c : c + 1;
	}
	if (c >= 0x531 && c <= 0x556)
		return c + 0x30;
	return c;
}

/* ---- identification ------------------------------------------------------ */

/* The n-grams of a text, for the second pass (kept apart from struct scan
 * so that the first pass does not clear 32 KiB per call). */
struct ngrams {
	int script; /* words of this script only */
	size_t used, letters;
	struct ngram slot[TEXT_SLOTS];
};

struct scan {
	double count[NSCRIPT]; /* weighted letters */
	double score[NLANG];   /* function words + distinctive letters */
	double words[NSCRIPT]; /* function words seen, per script */
	char word[WORD_MAX];
	size_t wlen;
	int wscript; /* script of the word being built; S_NONE */
	int woverflow;
	struct ngrams *ng; /* second pass only */
};

static void count_ngram(struct ngrams *ng, const char *p, size_t len)
{
	uint64_t h = nri_hash(p, len);
	size_t i = h & (TEXT_SLOTS - 1);

	while (ng->slot[i].hash && ng->slot[i].hash != h)
		i = (i + 1) & (TEXT_SLOTS - 1);
	if (ng->slot[i].hash) {
		ng->slot[i].count++;
	} else if (ng->used < TEXT_SLOTS * 3 / 4) {
		ng->slot[i].hash = h;
		ng->slot[i].count = 1;
		ng->used++;
	}
}

/* All n-grams, n = 1..5 characters, of "_word_". */
static void add_ngrams(struct ngrams *ng, const char *w, size_t len)
{
	char buf[WORD_MAX + 2];
	size_t off[WORD_MAX + 3], ncp = 0, i, pos = 1;

	if (ng->letters >= NGRAM_LETTERS)
		return;
	buf[0] = '_';
	memcpy(buf + 1, w, len);
	buf[len + 1] = '_';
	off[ncp++] = 0;
	while (pos < len + 1) {
		off[ncp++] = pos;
		pos++;
		while (pos < len + 1 && ((unsigned char)buf[pos] & 0xC0) == 0x80)
			pos++;
	}
	off[ncp++] = len + 1;
	off[ncp] = len + 2;
	ng->letters += ncp - 2;
	for (i = 0; i < ncp; i++) {
		size_t n;

		for (n = 1; n <= 5 && i + n <= ncp; n++)
			count_ngram(ng, buf + off[i], off[i + n] - off[i]);
	}
}

static void end_word(struct scan *sc)
{
	uint64_t mask;

	if (sc->ng) {
		if (sc->wlen && !sc->woverflow && sc->wscript == sc->ng->script)
			add_ngrams(sc->ng, sc->word, sc->wlen);
		sc->wlen = 0;
		sc->woverflow = 0;
		sc->wscript = S_NONE;
		return;
	}

	if (sc->wlen && !sc->woverflow &&
	    (sc->wscript == S_LATIN || sc->wscript == S_CYRILLIC || sc->wscript == S_ARABIC ||
	     sc->wscript == S_DEVANAGARI || sc->wscript == S_HEBREW) &&
	    (mask = word_mask(sc->word, sc->wlen)) != 0) {
		double share = 1.0 / __builtin_popcountll(mask);
		int i;

		sc->words[sc->wscript] += 1;
		for (i = 0; i < NLANG; i++)
			if (mask >> i & 1)
				sc->score[i] += share;
	}
	sc->wlen = 0;
	sc->woverflow = 0;
	sc->wscript = S_NONE;
}

static void add_char(struct scan *sc, uint32_t cp)
{
	int script = script_of(cp);
	char enc[4];
	size_t n;

	if (script == S_NONE) {
		end_word(sc);
		return;
	}
	if (script != S_MARK) {
		if (sc->wlen && script != sc->wscript)
			end_word(sc);
		sc->wscript = script;
		sc->count[script] += script == S_HAN || script == S_KANA || script == S_HANGUL
					     ? CJK_WEIGHT
					     : 1.0;
		cp = lower(cp);
		if (cp >= 0x80) {
			int li = letter_index(cp);

			if (li >= 0) {
				int k, n_lang = 0;

				for (k = 0; k < 6 && letters[li].lang[k] >= 0; k++)
					n_lang++;
				for (k = 0; k < n_lang; k++)
					sc->score[letters[li].lang[k]] += CHAR_WEIGHT / n_lang;
			}
		}
	} else if (!sc->wlen) {
		return; /* a mark with no letter before it */
	}
	n = nri_utf8_encode(cp, enc);
	if (sc->wlen + n > sizeof(sc->word)) {
		sc->woverflow = 1;
		return;
	}
	memcpy(sc->word + sc->wlen, enc, n);
	sc->wlen += n;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* An ASCII run (between white space and non-ASCII characters) that is a
 * URL, an e-mail address or an @mention says nothing about the language. */
static int skip_ascii_run(const char *s, size_t len)
{
	if (memchr(s, '@', len))
		return 1;
	if (len >= 4 && !strncmp(s, "www.", 4))
		return 1;
	for (size_t i = 0; i + 3 <= len; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return 1;
	return 0;
}

static void scan_text(struct scan *sc, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			size_t end = i;

			while (end < len && (unsigned char)s[end] < 0x80 &&
			       !is_space((unsigned char)s[end]))
				end++;
			if (end > i && skip_ascii_run(s + i, end - i)) {
				end_word(sc);
				i = end;
				continue;
			}
			for (; i < end; i++)
				add_char(sc, (unsigned char)s[i]);
			if (i < len && is_space((unsigned char)s[i])) {
				end_word(sc);
				i++;
			}
		} else {
			int32_t cp = nri_utf8_next(s, len, &i);

			if (cp < 0)
				end_word(sc);
			else
				add_char(sc, (uint32_t)cp);
		}
	}
	end_word(sc);
}

static int cmp_count_desc(const void *pa, const void *pb)
{
	const struct ngram *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->hash < b->hash ? -1 : a->hash > b->hash;
}

/* The second pass: the n-gram profile of the words of script in s, and
 * the language of that script whose profile is nearest.  -1 when fewer
 * than two languages of the script have a profile (data not installed).
 * *gap gets (second - best) / best distance. */
static int nearest_profile(const char *s, size_t len, int script, uint64_t allowed, double *gap)
{
	struct ngrams ng;
	struct ngram *top = ng.slot;
	struct scan sc;
	size_t i, n = 0;
	double d1 = -1, d2 = -1, dist[NLANG];
	int lang, best = -1, candidates = 0;

	memset(&ng, 0, sizeof(ng));
	memset(&sc, 0, sizeof(sc));
	ng.script = script;
	sc.wscript = S_NONE;
	sc.ng = &ng;
	scan_text(&sc, s, len);
	for (i = 0; i < TEXT_SLOTS; i++) /* compact in place, then rank */
		if (ng.slot[i].hash)
			top[n++] = ng.slot[i];
	qsort(top, n, sizeof(top[0]), cmp_count_desc);
	if (n > TEXT_NGRAMS)
		n = TEXT_NGRAMS;
	/* out-of-place: MODEL_SIZE for each n-gram, less what the profiles
	 * that have it save */
	for (lang = 0; lang < NLANG; lang++)
		dist[lang] = (double)n * MODEL_SIZE;
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = profile_find(top[i].hash); k < nprofile && profile[k].hash == top[i].hash;
		     k++) {
			unsigned r = profile[k].rank;

			dist[profile[k].lang] -= MODEL_SIZE - (r > i ? r - i : i - r);
		}
	}
	for (lang = 0; lang < NLANG; lang++) {
		double d = dist[lang];

		if ((int)langs[lang].script != script || !model_len[lang] || !(allowed >> lang & 1))
			continue;
		candidates++;
		if (!strcmp(langs[lang].code, script_lang[script]))
			d *= 1 - DEFAULT_PRIOR;
		if (best < 0 || d < d1) {
			d2 = d1;
			d1 = d;
			best = lang;
		} else if (d2 < 0 || d < d2) {
			d2 = d;
		}
	}
	if (candidates < 2 || n == 0)
		return -1;
	*gap = d1 > 0 ? (d2 - d1) / d1 : 1;
	return best;
}

/* Scripts whose languages are told apart by word lists. */
static int has_word_lists(int script)
{
	return script == S_LATIN || script == S_CYRILLIC || script == S_ARABIC ||
	       script == S_DEVANAGARI || script == S_HEBREW;
}

/* Decide from the counts; *conf gets a value in [0, 1] that grows with the
 * share of letters in the winning script, the share of the evidence the
 * winning language has, and the amount of evidence (1 - e^-x: a few words
 * already make it near certain).  Weak word evidence (less than
 * WEAK_WORDS) hands the choice to the n-gram profiles. */
static const char *decide(const struct scan *sc, const char *s, size_t len, double *conf)
{
	double total = 0, best = 0, cjk, share, gap;
	int i, script = S_NONE, lang = -1, near;
	double lbest = 0, lsum = 0;
	uint64_t allowed = 0;

	for (i = 0; i < NSCRIPT; i++)
		total += sc->count[i];
	if (total <= 0) {
		*conf = 0;
		return "und";
	}
	cjk = sc->count[S_HAN] + sc->count[S_KANA];
	for (i = 0; i < NSCRIPT; i++) {
		double c = i == S_HAN ? cjk : i == S_KANA ? 0 : sc->count[i];

		if (c > best) {
			best = c;
			script = i;
		}
	}
	/* Names and product names in Latin letters inside a Chinese, Hebrew,
	 * ... post: when the leading script has no function word and another
	 * script has SECOND_SCRIPT of its letters, the other decides.  (Han,
	 * Thai... have no word lists: for them no function word means
	 * nothing.) */
	if (has_word_lists(script) && !sc->words[script]) {
		int second = S_NONE;
		double c2 = 0;

		for (i = 0; i < NSCRIPT; i++) {
			double c = i == S_HAN ? cjk : i == S_KANA ? 0 : sc->count[i];

			if (i != script && c > c2) {
				c2 = c;
				second = i;
			}
		}
		if (second != S_NONE && c2 >= SECOND_SCRIPT * best &&
		    (sc->words[second] || second == S_HAN || !has_word_lists(second))) {
			script = second;
			best = c2;
		}
	}
	share = best / total;
	if (script == S_HAN) {
		*conf = share * (1 - exp(-cjk / 4));
		return sc->count[S_KANA] >= 0.1 * cjk ? "ja" : "zh";
	}
	for (i = 0; i < NLANG; i++) {
		if ((int)langs[i].script != script)
			continue;
		lsum += sc->score[i];
		if (sc->score[i] > lbest) {
			lbest = sc->score[i];
			lang = i;
		}
	}
	if (lang >= 0 && lbest >= WEAK_WORDS) {
		*conf = share * (lbest / lsum) * (1 - exp(-lbest));
		return langs[lang].code;
	}
	/* the languages with some evidence, else all of the script's */
	for (i = 0; i < NLANG; i++)
		if ((int)langs[i].script == script && (lsum <= 0 || sc->score[i] > 0))
			allowed |= (uint64_t)1 << i;
	near = nearest_profile(s, len, script, allowed, &gap);
	if (near >= 0) {
		*conf = share * (gap > 0.2 ? 1 : gap / 0.2) * (1 - exp(-best / 8)) * 0.8;
		return langs[near].code;
	}
	if (lang >= 0) {
		*conf = share * (lbest / lsum) * (1 - exp(-lbest));
		return langs[lang].code;
	}
	/* no function word, no telling letter, no profile: the script's main
	 * language, with a confidence that says it is a guess */
	*conf = share * (1 - exp(-best / 8)) * 0.5;
	return script_lang[script];
}

int nr_langid(const char *s, size_t len, char *lang, size_t size, double *confidence)
{
	struct scan sc;
	const char *code;
	double conf;

	if (confidence)
		*confidence = 0;
	if (!lang || size < 8)
		return NR_EINVAL;
	if (!s && len) {
		lang[0] = '\0';
		return NR_EINVAL;
	}
	pthread_once(&once, build_tables);
	memset(&sc, 0, sizeof(sc));
	sc.wscript = S_NONE;
	if (len > SCAN_MAX)
		len = SCAN_MAX;
	if (len)
		scan_text(&sc, s, len);
	code = decide(&sc, s, len, &conf);
	memcpy(lang, code, strlen(code) + 1);
	if (confidence)
		*confidence = conf < 0 ? 0 : conf > 1 ? 1 : conf;
	return NR_OK;
}
