/*
 * tokenizer.c - split a document into typed, normalised, stemmed tokens.
 *
 * Per document: UTF-8 check (or repair, keeping a map back to the original
 * bytes) -> language (given, or nr_langid) -> special spans (URLs, emails,
 * @mentions, #hashtags) found with PCRE2, but only at the few places a byte
 * prefilter points at -> Unicode word break (UAX #29 as ICU 72's root rules
 * apply it, with ICU's dictionaries for Chinese, Japanese, Thai, Khmer, Lao
 * and Burmese) on the text between the spans -> per token: type, NFKC case
 * fold (nri_casefold), stopword flag, Snowball stem.
 *
 * ICU's break iterator runs at ~83 MB/s on English here, too slow for the
 * 120 MB/s target, so runs of plain ASCII are segmented by hand (fast_run)
 * with the same rules restricted to ASCII; only the stretches around
 * non-ASCII text go to ICU.  The stretches are cut where every UAX #29 rule
 * agrees there is a boundary whatever lies beyond it (see cut_back and
 * cut_fwd), so both ways give the same tokens; NR_TOKENIZE_NO_ICU_FAST turns
 * the fast path off and tests/conformance/conf_tokenizer_diff.c proves the
 * equality on real and generated text.  docs/tokenize.md has the rules.
 *
 * Memory: every per-document array is kept on the handle and reused, so a
 * document costs no allocation once the buffers have grown; norms and stems
 * live in one arena (tok->arena) and tokens hold offsets into it until the
 * end of nr_tokenize, when they become pointers (the arena may move while it
 * grows).
 */
#define _GNU_SOURCE /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#if defined(__SSE2__) && defined(__x86_64__) && !defined(NR_NO_SIMD)
#include <emmintrin.h>
#define SIMD16 1
#else
#define SIMD16 0
#endif

#include "narrate.h"
#include "alloc.h"
#include "buf.h"
#include "langtag.h"
#include "normalize.h"
#include "stemmer.h"
#include "stopwords.h"
#include "strmap.h"
#include "tokenizer.h"
#include "utf8.h"

#define DEFAULT_MAX_INPUT ((size_t)256 << 20)
/* ICU takes int32_t lengths; UTF-16 never has more units than UTF-8 bytes. */
#define HARD_MAX_INPUT ((size_t)INT32_MAX - 1)
#define MAX_LANGS      32
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LITTLE_ENDIAN_64 1
#else
#define LITTLE_ENDIAN_64 0
#endif
#define LANG_SIZE 16
/* The per-token helpers of the ASCII fast path go inline into it. */
#if defined(__GNUC__)
#define HOT  inline __attribute__((always_inline))
#define COLD __attribute__((noinline, cold))
#else
#define HOT inline
#define COLD
#endif

/* Languages seen by this handle, each with its stemmer and stopword set,
 * made the first time a document in that language comes. */
struct lang_res {
	char code[LANG_SIZE];
	struct nr_stemmer *st;	  /* NULL: no stemmer for the language */
	struct nri_stopwords *sw; /* NULL: no list */
	struct nri_sw_view swv;	  /* its table, for inline probes */
	const char *elide;	  /* its elided forms (elision_forms), or NULL */
	/* word cache: norm -> (stop, stem), so that a word costs one lookup */
	struct wc_slot *wc;
	size_t wc_mask, wc_count;
	struct nri_buf wc_store; /* word bytes, then stem bytes */
};

/* A cached word.  pre holds its first 8 bytes (zero-padded), so a word
 * of up to 8 bytes is compared without touching wc_store; longer words
 * keep the rest at wc_store[off..).  The stem is the word itself
 * (WC_SAME), a prefix of it of slen bytes (WC_PREFIX: "running" -> "run",
 * the usual Snowball case), or slen bytes stored after the word (WC_OWN).
 * h: the low half of its wc_hash (0: empty; the index bits are in it, and
 * pre, wlen and the tail decide equality); nh: its nri_hash, the token's
 * hash field, worked out once per word instead of once per token. */
struct wc_slot {
	uint64_t pre;
	uint64_t nh;
	uint32_t h;
	uint32_t off;
	uint16_t wlen, slen;
	unsigned char stop, kind;
};
enum { WC_SAME, WC_PREFIX, WC_OWN };
#define WC_MAX_WORD  64
#define WC_MIN_SLOTS ((size_t)1 << 12)
#define WC_MAX_SLOTS ((size_t)1 << 19)
#define WC_MAX_STORE ((size_t)16 << 20)

struct span {
	size_t start, end;
	enum nr_token_type type;
};

/* One U+FFFD the repair inserted: at wpos in the repaired text, for the
 * olen bad bytes at opos in the original. */
struct repair {
	size_t wpos, opos, olen;
};

enum { RE_URL, RE_WWW, RE_EMAIL, RE_MENTION, RE_HASHTAG, RE_COUNT };

/* The case fold of a one-code-point token, remembered (direct-mapped). */
#define FOLD_MEMO 256
struct fold_memo {
	char src[4];
	char norm[11];
	unsigned char slen, nlen;
};

struct nr_tokenizer {
	unsigned flags;
	size_t max_input;
	char *data_dir;
	UBreakIterator *bi;
	pcre2_general_context *gctx;
	pcre2_code *re[RE_COUNT];
	pcre2_match_data *md;

	/* per-document scratch, reused */
	struct nr_token *toks;
	size_t ntok, captok;
	struct nri_buf arena; /* norms and stems */
	UChar *u16;
	size_t capu16;
	uint32_t *u16map; /* UTF-16 index -> byte offset in the ICU region */
	size_t capmap;
	struct span *spans;
	size_t nspan, capspan;
	struct repair *reps;
	size_t nrep, caprep;
	struct nri_buf rbuf; /* the repaired text */
	struct nri_segment *segs;
	size_t nseg, capseg;
	int raw;     /* nri_wordbreak_segments: collect segments, not tokens */
	size_t tlen; /* length of the text being tokenized */

	struct fold_memo memo[FOLD_MEMO];
	uint64_t byte_hash[256]; /* nri_hash of each one-byte norm */
	struct lang_res langs[MAX_LANGS];
	size_t nlang;
	struct lang_res *cur;

	char lang[LANG_SIZE];
	char tag[LANG_SIZE], tag_code[LANG_SIZE]; /* the last tag given, its code */
	size_t repairs;
	char errmsg[256];
	size_t err_off;
	struct nr_token none;
};

/* ---- small helpers ----------------------------------------------------- */

/* Grow *p (an array of elsize-byte items, *cap of them) to hold need. */
static int grow(void **p, size_t *cap, size_t need, size_t elsize)
{
	size_t ncap;
	void *q;

	if (need <= *cap)
		return NR_OK;
	ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap *= 2;
	if (ncap > SIZE_MAX / elsize)
		return NR_ELIMIT;
	q = nri_realloc(*p, ncap * elsize);
	if (!q)
		return NR_ENOMEM;
	*p = q;
	*cap = ncap;
	return NR_OK;
}

static void set_msg(struct nr_tokenizer *tok, const char *msg)
{
	size_t n = strlen(msg);

	if (n >= sizeof(tok->errmsg))
		n = sizeof(tok->errmsg) - 1;
	memcpy(tok->errmsg, msg, n);
	tok->errmsg[n] = '\0';
}

/*
 * Word_Break classes of ASCII (Unicode 15 WordBreakProperty.txt) as ICU 72's
 * root rules use them: ':' is MidLetter in Unicode but ICU removes it from
 * $MidLetter, so it is Other here; '"' (Double_Quote) only matters next to
 * Hebrew letters, so it is Other too.  ICU adds '@' to $ALetter (so that
 * "user@host" stays one word): ALetter here.
 */
enum { C_OT, C_SP, C_CR, C_LF, C_NL, C_AL, C_NU, C_EN, C_ML, C_MN, C_SQ };

static const unsigned char acls[128] = {
	C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_LF, C_NL, C_NL, C_CR, C_OT,
	C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT,
	C_OT, C_OT, C_SP, C_OT, C_OT, C_OT, C_OT, C_OT, C_OT, C_SQ, C_OT, C_OT, C_OT, C_OT, C_MN,
	C_OT, C_ML, C_OT, C_NU, C_NU, C_NU, C_NU, C_NU, C_NU, C_NU, C_NU, C_NU, C_NU, C_OT, C_MN,
	C_OT, C_OT, C_OT, C_OT, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL,
	C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL,
	C_AL, C_OT, C_OT, C_OT, C_OT, C_EN, C_OT, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL,
	C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL, C_AL,
	C_AL, C_AL, C_AL, C_OT, C_OT, C_OT, C_OT, C_OT,
};

static int is_alnum_ascii(unsigned char c)
{
	return c < 128 && c != '@' && (acls[c] == C_AL || acls[c] == C_NU);
}

/* A "word" of '@' only (ICU's '@' is a letter) is punctuation to us. */
static int only_at(const char *t, size_t a, size_t b)
{
	while (a < b && t[a] == '@')
		a++;
	return a == b;
}

/* c is one of the bytes of set (never NUL). */
static int in_set(unsigned char c, const char *set)
{
	return c && strchr(set, c);
}

/* Bytes of the UTF-8 sequence that starts with lead byte c. */
static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* First byte >= 0x80 in t[i..n), or n; eight bytes at a time. */
static size_t find_nonascii(const unsigned char *t, size_t i, size_t n)
{
	uint64_t w;

	while (i + 8 <= n) {
		memcpy(&w, t + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
		i += 8;
	}
	while (i < n && t[i] < 0x80)
		i++;
	return i;
}

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS (ONES * 0x80)

/*
 * SWAR (eight bytes in a 64-bit word, as in Hacker's Delight ch. 6): bit 7
 * of each byte of the result is set where that byte of x is an ASCII
 * letter, digit, '_' or '@' (the Word_Break classes ALetter, Numeric and
 * ExtendNumLet of acls).  y + (0x80 - c) has bit 7 set in a byte iff the
 * 7-bit byte y >= c, with no carry into the next byte; bytes >= 0x80 are
 * never word bytes.
 */
static HOT uint64_t word_bytes(uint64_t x)
{
	uint64_t y = x & ~HIGHS;
	uint64_t dig = (y + ONES * (0x80 - '0')) & ~(y + ONES * (0x80 - '9' - 1));
	uint64_t up = (y + ONES * (0x80 - '@')) & ~(y + ONES * (0x80 - 'Z' - 1));
	uint64_t low = (y + ONES * (0x80 - 'a')) & ~(y + ONES * (0x80 - 'z' - 1));
	uint64_t und = ~((y ^ (ONES * '_')) + ONES * 0x7F);

	return (dig | up | low | und) & ~x & HIGHS;
}

/* x with 'A'..'Z' lowered, eight ASCII bytes at a time: bit 5 set where
 * 'A' <= byte <= 'Z'.  A byte >= 0x80 may carry into the bytes after it,
 * so only the bytes before the first non-ASCII one are meaningful. */
static HOT uint64_t lower8(uint64_t x)
{
	return x | ((((x + ONES * (0x80 - 'A')) ^ (x + ONES * (0x80 - 'Z' - 1))) & HIGHS) >> 2);
}

#if SIMD16
/* The same with SSE2, 16 bytes at a time: bit k of the result is set
 * where byte k of v is a word byte.  c - lo <= hi - lo (unsigned) tests
 * lo <= c <= hi; letters are tested case-folded (c | 0x20). */
static HOT unsigned word_mask16(__m128i v)
{
	__m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	__m128i l = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
	__m128i dig = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
	__m128i let = _mm_cmpeq_epi8(_mm_min_epu8(l, _mm_set1_epi8(25)), l);
	__m128i sym = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')),
				   _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(dig, let), sym));
}

/* v with 'A'..'Z' lowered. */
static HOT __m128i lower16(__m128i v)
{
	__m128i u = _mm_sub_epi8(v, _mm_set1_epi8('A'));
	__m128i up = _mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(25)), u);

	return _mm_add_epi8(v, _mm_and_si128(up, _mm_set1_epi8(0x20)));
}
#endif

/*
 * The end of the run of word bytes (letters, digits, '_', '@') that goes
 * on at s[j]: the first j' in [j, b) whose byte is no word byte, or b.
 * 16 or 8 bytes per step where the text (tlen bytes) has them: the length
 * of a word is found without a branch per byte, so that the end of a word
 * costs no mispredicted branch.
 */
static HOT size_t word_end(const unsigned char *s, size_t j, size_t b, size_t tlen)
{
#if SIMD16
	while (j + 16 <= tlen) {
		unsigned m = ~word_mask16(_mm_loadu_si128((const __m128i *)(const void *)(s + j))) &
			     0xFFFFu;

		if (m) {
			j += (size_t)__builtin_ctz(m);
			return j < b ? j : b;
		}
		j += 16;
		if (j >= b)
			return b;
	}
#endif
#if LITTLE_ENDIAN_64 && defined(__GNUC__)
	while (j + 8 <= tlen) {
		uint64_t x, m;

		memcpy(&x, s + j, 8);
		m = ~word_bytes(x) & HIGHS;
		if (m) {
			j += (size_t)__builtin_ctzll(m) >> 3;
			return j < b ? j : b;
		}
		j += 8;
		if (j >= b)
			return b;
	}
#else
	(void)tlen;
#endif
	while (j < b && acls[s[j]] <= C_EN && acls[s[j]] >= C_AL)
		j++;
	return j;
}

/* First byte < 0x80 in t[i..n), or n; eight bytes at a time (CJK text
 * runs long between ASCII bytes). */
static size_t find_ascii(const unsigned char *t, size_t i, size_t n)
{
#if LITTLE_ENDIAN_64 && defined(__GNUC__)
	while (i + 8 <= n) {
		uint64_t w;

		memcpy(&w, t + i, 8);
		w = ~w & HIGHS;
		if (w)
			return i + ((size_t)__builtin_ctzll(w) >> 3);
		i += 8;
	}
#endif
	while (i < n && t[i] >= 0x80)
		i++;
	return i;
}

/* The code point that ends just before t[p] (p > 0, valid UTF-8). */
static UChar32 cp_before(const unsigned char *t, size_t p)
{
	size_t i = p - 1;
	UChar32 c;

	while (i > 0 && (t[i] & 0xC0) == 0x80 && p - i < 4)
		i--;
	c = t[i];
	if (c < 0x80)
		return c;
	if (c < 0xE0)
		return ((c & 0x1F) << 6) | (t[i + 1] & 0x3F);
	if (c < 0xF0)
		return ((c & 0x0F) << 12) | ((t[i + 1] & 0x3F) << 6) | (t[i + 2] & 0x3F);
	return ((c & 0x07) << 18) | ((t[i + 1] & 0x3F) << 12) | ((t[i + 2] & 0x3F) << 6) |
	       (t[i + 3] & 0x3F);
}

/* The code point that starts at t[p] (valid UTF-8). */
static UChar32 cp_at(const unsigned char *t, size_t p)
{
	unsigned c = t[p];

	if (c < 0x80)
		return (UChar32)c;
	if (c < 0xE0)
		return (UChar32)(((c & 0x1F) << 6) | (t[p + 1] & 0x3F));
	if (c < 0xF0)
		return (UChar32)(((c & 0x0F) << 12) | ((t[p + 1] & 0x3F) << 6) | (t[p + 2] & 0x3F));
	return (UChar32)(((c & 0x07) << 18) | ((t[p + 1] & 0x3F) << 12) | ((t[p + 2] & 0x3F) << 6) |
			 (t[p + 3] & 0x3F));
}

/* Scripts written without spaces, matched on characters by ICU's
 * dictionaries: Han, Hiragana, Katakana and Line_Break=Complex_Context
 * (Thai, Lao, Khmer, Myanmar, ...).  Hangul is written with spaces: no. */
static int is_cjk_cp(UChar32 c)
{
	UErrorCode e = U_ZERO_ERROR;
	UScriptCode sc;

	if (c < 0x0E00)
		return 0;
	sc = uscript_getScript(c, &e);
	if (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
	    sc == USCRIPT_KATAKANA_OR_HIRAGANA)
		return 1;
	return u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT;
}

/* ---- elision ------------------------------------------------------------ */

/*
 * Languages that write a short function word joined to the next word with
 * an apostrophe (l'été, dell'arte, d'Hangzhou), and their elided forms:
 * UAX #29 keeps "l'été" one word and Snowball leaves the article on, so the
 * word is split in two (split_elision).  Grammar facts, as the grammars
 * give them and as Lucene's ElisionFilter lists use them (the lists here
 * are written for narrate):
 *  - fr: le/la l', de d', je j', me m', te t', se s', ne n', ce c', que
 *    qu', and the conjunctions jusqu', lorsqu', puisqu', quoiqu'
 *    (Grevisse, Le Bon Usage, on elision); not presqu' or quelqu', which
 *    belong to one word (presqu'île, quelqu'un);
 *  - it: lo/la l', gli gl', una un', di d', ci c', mi m', ti t', si s',
 *    vi v', ne n', the articled prepositions (all', dall', dell', nell',
 *    sull', coll', pell', agl', dagl', degl', negl', sugl') and quell',
 *    quest' (Serianni, Grammatica italiana, I.74-80);
 *  - ca: el/la l', de d', em m', en n', es s', et t' (IEC, Gramatica de
 *    la llengua catalana, on apostrophisation); the forms after a word
 *    (porta'l) are not at the head of a token;
 *  - oc: l', d', m', t', s', n', qu' (Occitan has the same elisions as
 *    Catalan and French; no stemmer or stopword list here, but the types
 *    still count once);
 *  - ga: b' (ba), d' (do), m' (mo) before a vowel or fh (d'fhag, m'athair),
 *    as Lucene's IrishAnalyzer.
 * Not Breton, whose c'h is one letter (c'hoari), nor English (o'clock,
 * don't).  Each list is blank-separated with a blank at both ends.
 */
static const struct {
	char code[4];
	const char *forms;
} elision_forms[] = {
	{"ca", " d l m n s t "},
	{"fr", " c d j l m n s t qu jusqu lorsqu puisqu quoiqu "},
	{"ga", " b d m "},
	{"it", " c d l m n s t v gl un all coll dall dell nell pell sull agl dagl degl negl sugl"
	       " quell quest "},
	{"oc", " d l m n s t qu "},
};
#define ELIDE_MAX 6 /* letters of the longest form (jusqu) */

/* The elided forms of language code, or NULL. */
static const char *elision_list(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(elision_forms) / sizeof(elision_forms[0]); i++)
		if (!strcmp(elision_forms[i].code, code))
			return elision_forms[i].forms;
	return NULL;
}

size_t nri_elision_form(const char *w, size_t n)
{
	char form[ELIDE_MAX + 2];
	size_t i, k;

	form[0] = ' ';
	for (i = 0; i < n && i < ELIDE_MAX && w[i] >= 'a' && w[i] <= 'z'; i++)
		form[i + 1] = w[i];
	if (!i || i >= n || w[i] != '\'')
		return 0;
	form[i + 1] = ' ';
	for (k = 0; k < sizeof(elision_forms) / sizeof(elision_forms[0]); k++)
		if (memmem(elision_forms[k].forms, strlen(elision_forms[k].forms), form, i + 2))
			return i + 1;
	return 0;
}

/*
 * Bytes of the elided form at the head of the word t[a..b): 1 to
 * ELIDE_MAX ASCII letters that lower-case to one of the forms of list,
 * then an apostrophe (U+0027, U+2019 or U+02BC), then a letter; else 0.
 * The form is written lower-cased to form[0..*flen).
 */
static size_t elision_at(const char *list, const unsigned char *t, size_t a, size_t b,
			 char form[ELIDE_MAX + 2], size_t *flen)
{
	size_t i = a, k = 1, ap;
	UChar32 c;

	form[0] = ' ';
	while (i < b && k <= ELIDE_MAX && ((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z'))
		form[k++] = (char)(t[i++] | 0x20);
	if (k == 1 || i >= b)
		return 0;
	if (t[i] == '\'')
		ap = 1;
	else if (t[i] == 0xE2 && i + 2 < b && t[i + 1] == 0x80 && t[i + 2] == 0x99)
		ap = 3;
	else if (t[i] == 0xCA && i + 1 < b && t[i + 1] == 0xBC)
		ap = 2;
	else
		return 0;
	if (i + ap >= b)
		return 0;
	c = cp_at(t, i + ap);
	if (c < 0x80 ? !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		     : !u_hasBinaryProperty(c, UCHAR_ALPHABETIC))
		return 0;
	form[k] = ' ';
	if (!memmem(list, strlen(list), form, k + 1))
		return 0;
	memmove(form, form + 1, k - 1);
	*flen = k - 1;
	return i + ap - a;
}

/* ---- languages ----------------------------------------------------------- */

static void lang_release(struct lang_res *l)
{
	nr_stemmer_free(l->st);
	nri_stopwords_free(l->sw);
	nri_free(l->wc);
	nri_buf_release(&l->wc_store);
	memset(l, 0, sizeof(*l));
}

/* ---- the word cache ----------------------------------------------------- */

/* The low n (< 8) bytes of v as memory holds them, the rest zero. */
static HOT uint64_t keep_bytes(uint64_t v, size_t n)
{
	if (n >= 8)
		return v;
	if (LITTLE_ENDIAN_64)
		return v & ((UINT64_C(1) << (8 * n)) - 1);
	return v & ~((UINT64_C(1) << (8 * (8 - n))) - 1);
}

/* The first 8 bytes of w[0..n), zero-padded.  w must have 8 readable
 * bytes (the arena keeps that much room after a norm): one load, where a
 * copy of n bytes would stall the load that follows it. */
static HOT uint64_t wc_prefix(const char *w, size_t n)
{
	uint64_t v;

	memcpy(&v, w, 8);
	return keep_bytes(v, n);
}

/* A quick 64-bit hash of a short word (never 0); eight bytes per step
 * (the last one zero-padded), multiply-xorshift mixing as in MurmurHash3's
 * finaliser.  Reads up to 7 bytes past s[n), as wc_prefix. */
static HOT uint64_t wc_hash(uint64_t pre, const char *s, size_t n)
{
	uint64_t h = (UINT64_C(0x9E3779B97F4A7C15) ^ n ^ pre) * UINT64_C(0xff51afd7ed558ccd), w;

	h ^= h >> 32;
	for (s += 8; n > 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ keep_bytes(w, n - 8)) * UINT64_C(0xff51afd7ed558ccd);
		h ^= h >> 32;
	}
	return h | 1;
}

/* 1 if the n bytes at a and at b are equal; both have 7 readable bytes
 * past the n (compared eight at a time, the last word masked). */
static HOT int tail_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	for (; n > 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
	}
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	return !keep_bytes(x ^ y, n);
}

/* The cached entry for the word w[0..n) of hash h and prefix pre, or NULL.
 * l->wc must exist; w must have 7 readable bytes past its end, and so has
 * every word tail in wc_store (word_info keeps 8 bytes of slack there). */
static HOT const struct wc_slot *wc_get(const struct lang_res *l, uint64_t h, uint64_t pre,
					const char *w, size_t n)
{
	size_t i = h & l->wc_mask;

	for (;;) {
		const struct wc_slot *e = &l->wc[i];

		if (e->h == (uint32_t)h && e->pre == pre && e->wlen == n &&
		    (n <= 8 || tail_eq(l->wc_store.data + e->off, w + 8, n - 8)))
			return e;
		if (!e->h)
			return NULL;
		i = (i + 1) & l->wc_mask;
	}
}

/* The slot for w[0..n): its entry, or the empty slot where it goes. */
static struct wc_slot *wc_find(struct lang_res *l, uint64_t h, uint64_t pre, const char *w,
			       size_t n)
{
	size_t i;

	for (i = h & l->wc_mask;; i = (i + 1) & l->wc_mask) {
		struct wc_slot *e = &l->wc[i];

		if (!e->h)
			return e;
		if (e->h == (uint32_t)h && e->pre == pre && e->wlen == n &&
		    (n <= 8 || !memcmp(l->wc_store.data + e->off, w + 8, n - 8)))
			return e;
	}
}

/* Forget every cached word (between documents, when the cache is full). */
static void wc_clear(struct lang_res *l)
{
	if (l->wc)
		memset(l->wc, 0, (l->wc_mask + 1) * sizeof(*l->wc));
	l->wc_count = 0;
	nri_buf_reset(&l->wc_store);
}

/* Make room for one more word: NR_OK, NR_ENOMEM, or NR_ELIMIT when the
 * cache is at its cap (the caller then goes without it). */
static int wc_reserve(struct lang_res *l)
{
	struct wc_slot *nw;
	size_t n, i, j;

	if (l->wc && 2 * (l->wc_count + 1) <= l->wc_mask + 1)
		return NR_OK;
	n = l->wc ? 2 * (l->wc_mask + 1) : WC_MIN_SLOTS;
	if (n > WC_MAX_SLOTS)
		return NR_ELIMIT;
	nw = nri_calloc(n, sizeof(*nw));
	if (!nw)
		return NR_ENOMEM;
	for (i = 0; l->wc && i <= l->wc_mask; i++) {
		if (!l->wc[i].h)
			continue;
		for (j = l->wc[i].h & (n - 1); nw[j].h; j = (j + 1) & (n - 1))
			;
		nw[j] = l->wc[i];
	}
	nri_free(l->wc);
	l->wc = nw;
	l->wc_mask = n - 1;
	return NR_OK;
}

/*
 * Stop flag, stem and hash (nri_hash) of the case-folded word w[0..n) that
 * is not in the word cache (h and pre: its wc_hash and wc_prefix when n <=
 * WC_MAX_WORD), from the stopword set and the stemmer; the word is then
 * cached.  *kind says where the stem is: WC_SAME (the word), WC_PREFIX (its
 * first *slen bytes) or WC_OWN (*stem, borrowed until the next call: the
 * caller copies it).
 */
static int word_info(struct lang_res *l, const char *w, size_t n, uint64_t h, uint64_t pre,
		     unsigned char *stop, int *kind, const char **stem, size_t *slen, uint64_t *nh)
{
	struct wc_slot *e;
	const char *st = NULL;
	size_t sl = 0;
	int rc, k = WC_SAME;

	*nh = nri_hash(w, n);
	*stop = l->sw ? (unsigned char)nri_stopwords_has(l->sw, w, n) : 0;
	if (l->st) {
		rc = nr_stemmer_stem(l->st, w, n, &st, &sl);
		if (rc == NR_ELIMIT) {
			/* Stems are copied by the caller, so the cache may go. */
			nri_stemmer_clear(l->st);
			rc = nr_stemmer_stem(l->st, w, n, &st, &sl);
		}
		if (rc)
			return rc;
		if (sl <= n && !memcmp(st, w, sl))
			k = sl == n ? WC_SAME : WC_PREFIX;
		else
			k = WC_OWN;
	}
	*kind = k;
	*stem = st;
	*slen = sl;
	if (n > WC_MAX_WORD || sl > WC_MAX_WORD * 4)
		return NR_OK;
	rc = wc_reserve(l);
	if (rc == NR_ELIMIT || (!rc && l->wc_store.len + n + sl > WC_MAX_STORE))
		return NR_OK; /* full until the next document clears it */
	if (rc)
		return rc;
	/* 8 bytes of slack after the tails for wc_get's loads */
	rc = nri_buf_grow(&l->wc_store, n + sl + 8);
	if (rc)
		return rc;
	e = wc_find(l, h, pre, w, n);
	e->pre = pre;
	e->nh = *nh;
	e->off = (uint32_t)l->wc_store.len;
	e->wlen = (uint16_t)n;
	e->slen = (uint16_t)sl;
	e->stop = *stop;
	e->kind = (unsigned char)k;
	rc = n > 8 ? nri_buf_add(&l->wc_store, w + 8, n - 8) : NR_OK;
	if (!rc && k == WC_OWN)
		rc = nri_buf_add(&l->wc_store, st, sl);
	if (rc)
		return rc; /* e->h still 0: not cached */
	e->h = (uint32_t)h;
	l->wc_count++;
	return NR_OK;
}

/*
 * 1 when s[0..n) is its own NFKC_Casefold and the case fold can be skipped:
 * lower-case ASCII, CJK ideographs (U+3400-U+9FFF), kana and CJK
 * punctuation that NFKC leaves alone (checked against Unicode's data: not
 * U+3099/U+309A, which compose, nor the compatibility characters among
 * U+3000-U+30FF), Hangul syllables.  Anything else: 0.
 */
static int fold_invariant(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				return 0;
			i++;
		} else if (c >= 0xE4 && c <= 0xE9) {
			i += 3; /* U+4000..U+9FFF */
		} else if (c == 0xE3 || (c >= 0xEA && c <= 0xED)) {
			unsigned cp;

			if (i + 2 >= n)
				return 0;
			cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
			if (!((cp >= 0x3001 && cp <= 0x3029) || (cp >= 0x3030 && cp <= 0x3035) ||
			      cp == 0x3037 || (cp >= 0x303B && cp <= 0x303F) ||
			      (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x309D && cp <= 0x309E) ||
			      (cp >= 0x30A0 && cp <= 0x30FE) || (cp >= 0x3400 && cp <= 0x3FFF) ||
			      (cp >= 0xAC00 && cp <= 0xD7A3)))
				return 0;
			i += 3;
		} else {
			return 0;
		}
	}
	return i == n;
}

/* "en-US" -> "en", "ZH_Hans" -> "zh", "eng" and "English" -> "en"
 * (nri_lang_code); anything odd -> "und". */
static void lang_code(char out[LANG_SIZE], const char *lang)
{
	if (!nri_lang_code(lang, out, LANG_SIZE))
		memcpy(out, "und", 4);
}

/* Make tok->cur the resources of code, loading them the first time. */
static int lang_select(struct nr_tokenizer *tok, const char *code)
{
	struct lang_res l;
	size_t i;
	int rc;

	for (i = 0; i < tok->nlang; i++) {
		if (!strcmp(tok->langs[i].code, code)) {
			tok->cur = &tok->langs[i];
			/* a full word cache starts over between documents */
			if (4 * tok->cur->wc_count > WC_MAX_SLOTS ||
			    2 * tok->cur->wc_store.len > WC_MAX_STORE)
				wc_clear(tok->cur);
			return NR_OK;
		}
	}
	if (tok->nlang == MAX_LANGS) {
		/* A caller cycling through many codes: start over. */
		for (i = 0; i < tok->nlang; i++)
			lang_release(&tok->langs[i]);
		tok->nlang = 0;
	}
	memset(&l, 0, sizeof(l));
	nri_buf_init(&l.wc_store, WC_MAX_STORE + WC_MAX_WORD * 2);
	memcpy(l.code, code, strlen(code) + 1);
	if (!(tok->flags & NR_TOKENIZE_NO_STEM) && strcmp(code, "und")) {
		rc = nr_stemmer_new(&l.st, code);
		if (rc == NR_ENOTFOUND || rc == NR_EUNSUPPORTED || rc == NR_EINVAL) {
			l.st = NULL;
		} else if (rc) {
			set_msg(tok, "cannot create the stemmer");
			return rc;
		}
	}
	if (tok->data_dir && strcmp(code, "und")) {
		rc = nri_stopwords_load(&l.sw, tok->data_dir, code);
		if (rc == NR_ENOTFOUND) {
			l.sw = NULL;
		} else if (rc) {
			char msg[128];

			nr_stemmer_free(l.st);
			snprintf(msg, sizeof(msg), "cannot load the stopword list for '%s'", code);
			set_msg(tok, msg);
			return rc;
		}
	}
	if (l.sw)
		nri_stopwords_view(l.sw, &l.swv);
	l.elide = elision_list(code);
	tok->langs[tok->nlang] = l;
	tok->cur = &tok->langs[tok->nlang++];
	return NR_OK;
}

/* ---- tokens -------------------------------------------------------------- */

/* Arena room one token needs at most beyond its norm: the 8-byte steps'
 * overrun, the 8 bytes the word cache reads past a norm, and a stem the
 * cache holds (up to 4 * WC_MAX_WORD bytes). */
#define TOKEN_SLACK (4 * WC_MAX_WORD + 16)

/*
 * The growing outputs of a document (tokens, arena) as locals of the
 * function that fills them.  The ASCII fast path writes norms through a
 * char pointer, which may alias anything: with the fields on the handle,
 * every such store would make the compiler reload all of them.  A struct
 * hot whose address never escapes is kept in registers; it is written
 * back (hot_save) before any call that uses the handle's copies, and read
 * again (hot_load) after.
 */
struct hot {
	struct nr_token *toks;
	size_t ntok, captok;
	char *ad; /* tok->arena.data */
	size_t alen, acap;
	const struct lang_res *l; /* tok->cur, read only */
};

static HOT void hot_load(struct hot *o, const struct nr_tokenizer *tok)
{
	o->toks = tok->toks;
	o->ntok = tok->ntok;
	o->captok = tok->captok;
	o->ad = tok->arena.data;
	o->alen = tok->arena.len;
	o->acap = tok->arena.cap;
	o->l = tok->cur;
}

static HOT void hot_save(const struct hot *o, struct nr_tokenizer *tok)
{
	tok->toks = o->toks;
	tok->ntok = o->ntok;
	tok->captok = o->captok;
	tok->arena.data = o->ad;
	tok->arena.len = o->alen;
	tok->arena.cap = o->acap;
}

/* Room for one more token and for n + TOKEN_SLACK arena bytes. */
static int make_room(struct nr_tokenizer *tok, struct hot *o, size_t n)
{
	int rc = NR_OK;

	hot_save(o, tok);
	if (tok->ntok == tok->captok)
		rc = grow((void **)&tok->toks, &tok->captok, tok->ntok + 1, sizeof(*tok->toks));
	if (!rc && tok->arena.cap - tok->arena.len < n + TOKEN_SLACK)
		rc = nri_buf_grow(&tok->arena, n + TOKEN_SLACK);
	hot_load(o, tok);
	return rc;
}

/* word_fields for a word the cache does not hold (h, pre: as there). */
static int word_miss(struct nr_tokenizer *tok, struct hot *o, size_t off, size_t n, uint64_t h,
		     uint64_t pre, unsigned char *stop, size_t *soff, size_t *slen, uint64_t *hash)
{
	struct nri_buf *ar = &tok->arena;
	const char *stem = NULL;
	size_t sl = 0;
	int kind, rc;

	hot_save(o, tok);
	rc = word_info(tok->cur, ar->data + off, n, h, pre, stop, &kind, &stem, &sl, hash);
	if (!rc && kind == WC_PREFIX) {
		*slen = sl;
	} else if (!rc && kind == WC_OWN) {
		*soff = ar->len;
		*slen = sl;
		rc = nri_buf_add(ar, stem, sl);
	}
	hot_load(o, tok);
	return rc;
}

/* word_fields for a word the cache holds in e. */
static HOT int word_hit(struct nr_tokenizer *tok, struct hot *o, const struct wc_slot *e,
			unsigned char *stop, size_t *soff, size_t *slen, uint64_t *hash)
{
	const char *stem;
	int rc;

	*stop = e->stop;
	*hash = e->nh;
	if (e->kind == WC_SAME)
		return NR_OK;
	*slen = e->slen;
	if (e->kind == WC_PREFIX)
		return NR_OK;
	stem = tok->cur->wc_store.data + e->off + (e->wlen > 8 ? e->wlen - 8 : 0);
	*soff = o->alen;
	if (o->acap - o->alen > e->slen) {
		memcpy(o->ad + o->alen, stem, e->slen);
		o->alen += e->slen;
		return NR_OK;
	}
	hot_save(o, tok);
	rc = nri_buf_add(&tok->arena, stem, e->slen);
	hot_load(o, tok);
	return rc;
}

/*
 * Stop flag, stem and hash of the word whose norm is o->ad[off..off+n),
 * with 8 readable bytes after it.  The stem is *slen bytes at arena offset
 * *soff (the caller sets both to the norm's): the norm, a prefix of it, or
 * a copy appended to the arena.  Without a stemmer (Chinese, Japanese,
 * ...) only the stopword set is asked: it is small and cache-resident.
 * Else the word cache, and on a miss word_info.
 */
static HOT int word_fields(struct nr_tokenizer *tok, struct hot *o, size_t off, size_t n,
			   unsigned char *stop, size_t *soff, size_t *slen, uint64_t *hash)
{
	const struct lang_res *l = tok->cur;
	const char *w = o->ad + off;
	uint64_t h = 0, pre = 0;

	if (!l->st) {
		*stop = l->sw ? (unsigned char)nri_stopwords_has_padded(l->sw, w, n) : 0;
		*hash = nri_hash(w, n);
		return NR_OK;
	}
	if (n <= WC_MAX_WORD) {
		const struct wc_slot *e;

		pre = wc_prefix(w, n);
		h = wc_hash(pre, w, n);
		if (l->wc && (e = wc_get(l, h, pre, w, n)))
			return word_hit(tok, o, e, stop, soff, slen, hash);
	}
	return word_miss(tok, o, off, n, h, pre, stop, soff, slen, hash);
}

/* Fill in the next token (room for it made by the caller); norm and stem
 * are arena offsets until fix_tokens. */
static HOT void put_token(struct nr_token *k, size_t a, size_t len, size_t off, size_t nlen,
			  size_t soff, size_t slen, enum nr_token_type type, unsigned char stop,
			  int cjk, uint64_t hash)
{
	k->offset = a;
	k->length = len;
	k->norm = (const char *)(uintptr_t)off;
	k->norm_len = nlen;
	k->stem = (const char *)(uintptr_t)soff;
	k->stem_len = slen;
	k->type = type;
	k->stop = stop;
	k->cjk = (unsigned char)cjk;
	k->hash = hash;
}

/*
 * Append the all-ASCII token t[a..b), whose NFKC case fold is its
 * lower-casing: the common token of English text, kept apart from
 * add_token so that it costs no branch on scripts or normalisation.  The
 * bytes are lowered 16 or 8 at a time where the text has that many to read
 * from each step (the extra bytes land in the arena's slack).
 */
static HOT int ascii_token(struct nr_tokenizer *tok, struct hot *o, const char *t, size_t a,
			   size_t b, enum nr_token_type type)
{
	const unsigned char *src = (const unsigned char *)t + a;
	size_t n = b - a, off, soff, slen = n, i;
	unsigned char stop = 0;
	uint64_t hash;
	char *dst;
	int rc;

	if ((o->ntok == o->captok || o->acap - o->alen < n + TOKEN_SLACK) &&
	    (rc = make_room(tok, o, n)))
		return rc;
	off = soff = o->alen;
	dst = o->ad + off;
#if SIMD16
	if (a + ((n + 15) & ~(size_t)15) <= tok->tlen) {
		for (i = 0; i < n; i += 16)
			_mm_storeu_si128(
				(__m128i *)(void *)(dst + i),
				lower16(_mm_loadu_si128((const __m128i *)(const void *)(src + i))));
	} else
#endif
		if (LITTLE_ENDIAN_64 && a + ((n + 7) & ~(size_t)7) <= tok->tlen) {
		for (i = 0; i < n; i += 8) {
			uint64_t x;

			memcpy(&x, src + i, 8);
			x = lower8(x);
			memcpy(dst + i, &x, 8);
		}
	} else {
		for (i = 0; i < n; i++)
			dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	}
	o->alen += n;
	if (type == NR_TOKEN_WORD && tok->cur) {
		if ((rc = word_fields(tok, o, off, n, &stop, &soff, &slen, &hash)))
			return rc;
	} else {
		hash = nri_hash(dst, n);
	}
	put_token(&o->toks[o->ntok++], a, n, off, n, soff, slen, type, stop, 0, hash);
	return NR_OK;
}

/* ascii_token for callers that hold no struct hot. */
static int ascii_token_cold(struct nr_tokenizer *tok, const char *t, size_t a, size_t b,
			    enum nr_token_type type)
{
	struct hot o;
	int rc;

	hot_load(&o, tok);
	rc = ascii_token(tok, &o, t, a, b, type);
	hot_save(&o, tok);
	return rc;
}

#if SIMD16
/* wc_get for a word of n <= 16 bytes whose bytes 8..15 are hi (in memory
 * order), so that the tail is compared in a register. */
static HOT const struct wc_slot *wc_get16(const struct lang_res *l, uint64_t h, uint64_t pre,
					  uint64_t hi, size_t n)
{
	size_t i = h & l->wc_mask;

	for (;;) {
		const struct wc_slot *e = &l->wc[i];

		if (e->h == (uint32_t)h && e->pre == pre && e->wlen == n) {
			uint64_t x;

			if (n <= 8)
				return e;
			memcpy(&x, l->wc_store.data + e->off, 8);
			if (!keep_bytes(x ^ hi, n - 8))
				return e;
		}
		if (!e->h)
			return NULL;
		i = (i + 1) & l->wc_mask;
	}
}

/* 16 bytes of 0xFF, then 16 of 0: the 16 bytes from lenmask + 16 - n keep
 * the first n bytes of a vector. */
static const unsigned char lenmask[32] = {
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
	0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

/*
 * ascii_token for a token of n <= 16 bytes whose text fast_run holds in v
 * (16 bytes from its start): lowered, stored and hashed from the register
 * (wc_hash's steps for two words).
 */
static HOT int short_token(struct nr_tokenizer *tok, struct hot *o, size_t a, size_t n, __m128i v,
			   enum nr_token_type type)
{
	size_t off, soff, slen = n;
	unsigned char stop = 0;
	uint64_t hash = 0;
	int rc;

	if ((o->ntok == o->captok || o->acap - o->alen < n + TOKEN_SLACK) &&
	    (rc = make_room(tok, o, n)))
		return rc;
	off = soff = o->alen;
	v = _mm_and_si128(lower16(v),
			  _mm_loadu_si128((const __m128i *)(const void *)(lenmask + 16 - n)));
	_mm_storeu_si128((__m128i *)(void *)(o->ad + off), v);
	o->alen += n;
	if (type == NR_TOKEN_WORD && o->l) {
		const struct lang_res *l = o->l;

		if (l->st) {
			uint64_t pre = (uint64_t)_mm_cvtsi128_si64(v);
			uint64_t hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(v, v)), h;
			const struct wc_slot *e;

			h = (UINT64_C(0x9E3779B97F4A7C15) ^ n ^ pre) * UINT64_C(0xff51afd7ed558ccd);
			h ^= h >> 32;
			if (n > 8) {
				h = (h ^ hi) * UINT64_C(0xff51afd7ed558ccd);
				h ^= h >> 32;
			}
			h |= 1;
			if (l->wc && (e = wc_get16(l, h, pre, hi, n)))
				rc = word_hit(tok, o, e, &stop, &soff, &slen, &hash);
			else
				rc = word_miss(tok, o, off, n, h, pre, &stop, &soff, &slen, &hash);
			if (rc)
				return rc;
		} else if (l->sw) {
			stop = (unsigned char)(n <= 8 ? nri_stopwords_short(
								&l->swv,
								(uint64_t)_mm_cvtsi128_si64(v), n)
						      : nri_stopwords_has_padded(l->sw, o->ad + off,
										 n));
		}
	}
	if (!hash)
		hash = nri_hash(o->ad + off, n);
	put_token(&o->toks[o->ntok++], a, n, off, n, soff, slen, type, stop, 0, hash);
	return NR_OK;
}
#endif

/* A one-byte punctuation token c at a (no letter: its own norm). */
static HOT int punct_token(struct nr_tokenizer *tok, struct hot *o, size_t a, unsigned char c)
{
	int rc;

	if ((o->ntok == o->captok || o->acap - o->alen < 1 + TOKEN_SLACK) &&
	    (rc = make_room(tok, o, 1)))
		return rc;
	o->ad[o->alen] = (char)c;
	put_token(&o->toks[o->ntok++], a, 1, o->alen, 1, o->alen, 1, NR_TOKEN_PUNCT, 0, 0,
		  tok->byte_hash[c]);
	o->alen++;
	return NR_OK;
}

/*
 * The word t[a..b) in a language with elision (tok->cur->elide): when it
 * starts with an elided form (elision_at) and is not on the stopword list
 * as a whole (aujourd'hui, Catalan d'un), the form with its apostrophe
 * becomes a word token of its own and *rest is where the rest of the word
 * starts; else *rest = a.  The form's token is a stopword (an article,
 * pronoun, preposition or conjunction), its stem is itself, and its norm
 * is the form lower-cased with an ASCII apostrophe, so that l', L' and l’
 * count as one word.  Both tokenizer paths come here, so they agree.
 */
static int split_elision(struct nr_tokenizer *tok, const char *t, size_t a, size_t b, size_t *rest)
{
	const struct lang_res *l = tok->cur;
	struct nri_buf *ar = &tok->arena;
	char form[ELIDE_MAX + 2];
	size_t p, flen = 0, off;
	int rc;

	*rest = a;
	p = elision_at(l->elide, (const unsigned char *)t, a, b, form, &flen);
	if (!p)
		return NR_OK;
	if (l->sw) {
		int whole;

		off = ar->len;
		if ((rc = nri_casefold(ar, t + a, b - a)))
			return rc;
		whole = nri_stopwords_has(l->sw, ar->data + off, ar->len - off);
		ar->len = off;
		if (whole)
			return NR_OK;
	}
	if (tok->ntok == tok->captok &&
	    (rc = grow((void **)&tok->toks, &tok->captok, tok->ntok + 1, sizeof(*tok->toks))))
		return rc;
	if ((rc = nri_buf_grow(ar, flen + 1 + TOKEN_SLACK)))
		return rc;
	off = ar->len;
	memcpy(ar->data + off, form, flen);
	ar->data[off + flen] = '\'';
	ar->len += flen + 1;
	put_token(&tok->toks[tok->ntok++], a, p, off, flen + 1, off, flen + 1, NR_TOKEN_WORD, 1, 0,
		  nri_hash(ar->data + off, flen + 1));
	*rest = a + p;
	return NR_OK;
}

/*
 * Append the token t[a..b).  ascii says the bytes are all ASCII, so the
 * NFKC case fold is a lower-casing (ascii_token).  Norm and stem go to the
 * arena as offsets; nr_tokenize turns them into pointers at the end.
 */
static int token_at(struct nr_tokenizer *tok, const char *t, size_t a, size_t b,
		    enum nr_token_type type, int cjk, int ascii)
{
	struct nri_buf *ar = &tok->arena;
	size_t off = ar->len, nlen, soff, slen;
	unsigned char stop = 0;
	uint64_t hash = 0;
	int rc;

	if (ascii && type != NR_TOKEN_EMOJI)
		return ascii_token_cold(tok, t, a, b, type);
	if (tok->ntok == tok->captok) {
		rc = grow((void **)&tok->toks, &tok->captok, tok->ntok + 1, sizeof(*tok->toks));
		if (rc)
			return rc;
	}
	if (type == NR_TOKEN_EMOJI) {
		/* NFKC_Casefold deletes ZWJ, which would turn a family into
		 * three people: an emoji keeps its bytes, less the variation
		 * selectors U+FE0E/U+FE0F (EF B8 8E/8F), so that the text and
		 * emoji presentations of one emoji count as one. */
		const unsigned char *src = (const unsigned char *)t + a;
		size_t i, n = b - a;
		char *dst;

		rc = nri_buf_grow(ar, n);
		if (rc)
			return rc;
		dst = ar->data + ar->len;
		for (i = 0; i < n; i++) {
			if (src[i] == 0xEF && i + 2 < n && src[i + 1] == 0xB8 &&
			    (src[i + 2] == 0x8E || src[i + 2] == 0x8F)) {
				i += 2;
				continue;
			}
			*dst++ = (char)src[i];
		}
		ar->len = (size_t)(dst - ar->data);
	} else if (fold_invariant((const unsigned char *)t + a, b - a)) {
		if (ar->cap - ar->len < b - a + 9 && (rc = nri_buf_grow(ar, b - a + 8)))
			return rc;
		memcpy(ar->data + ar->len, t + a, b - a);
		ar->len += b - a;
	} else if (b - a <= 4 && (b - a) == utf8_len((unsigned char)t[a])) {
		/* one code point (CJK punctuation, mostly fullwidth forms):
		 * its fold does not depend on context, so it is memoised */
		struct fold_memo *m =
			&tok->memo[((unsigned char)t[b - 1] ^ (b - a) << 6) % FOLD_MEMO];

		if (m->slen != b - a || memcmp(m->src, t + a, b - a)) {
			rc = nri_casefold(ar, t + a, b - a);
			if (rc)
				return rc;
			if (ar->len - off <= sizeof(m->norm)) {
				memcpy(m->src, t + a, b - a);
				m->slen = (unsigned char)(b - a);
				m->nlen = (unsigned char)(ar->len - off);
				memcpy(m->norm, ar->data + off, m->nlen);
			}
		} else {
			rc = nri_buf_add(ar, m->norm, m->nlen);
			if (rc)
				return rc;
		}
	} else {
		rc = nri_casefold(ar, t + a, b - a);
		if (rc)
			return rc;
	}
	nlen = ar->len - off;
	soff = off;
	slen = nlen;
	if (type == NR_TOKEN_WORD && tok->cur) {
		struct hot o;

		/* word_fields reads up to 8 bytes past the norm */
		if (ar->cap - ar->len < 9 && (rc = nri_buf_grow(ar, 8)))
			return rc;
		hot_load(&o, tok);
		rc = word_fields(tok, &o, off, nlen, &stop, &soff, &slen, &hash);
		hot_save(&o, tok);
		if (rc)
			return rc;
	} else {
		hash = nri_hash(ar->data ? ar->data + off : "", nlen);
	}
	put_token(&tok->toks[tok->ntok++], a, b - a, off, nlen, soff, slen, type, stop, cjk, hash);
	return NR_OK;
}

/* token_at, with a word's elided articles or pronouns split off first in
 * a language that has them (split_elision; l'l'x is l' l' x, as the fast
 * path, which looks at every apostrophe of a word, splits it). */
static int add_token(struct nr_tokenizer *tok, const char *t, size_t a, size_t b,
		     enum nr_token_type type, int cjk, int ascii)
{
	while (type == NR_TOKEN_WORD && !cjk && tok->cur && tok->cur->elide) {
		size_t r;
		int rc = split_elision(tok, t, a, b, &r);

		if (rc)
			return rc;
		if (r == a)
			break;
		a = r;
		cjk = is_cjk_cp(cp_at((const unsigned char *)t, a));
		ascii = ascii || find_nonascii((const unsigned char *)t, a, b) == b;
	}
	return token_at(tok, t, a, b, type, cjk, ascii);
}

/*
 * A word ICU found with its dictionaries (kana or ideographic status):
 * Chinese or Japanese, whose norm is nearly always the text itself
 * (fold_invariant).  Then, in a language without a stemmer, the norm is
 * copied with one 16-byte move and the stop flag comes from the stopword
 * table: the per-word work on Chinese text comes down to that.  Anything
 * else goes through add_token.
 */
static int cjk_word(struct nr_tokenizer *tok, const char *t, size_t a, size_t b)
{
	struct nri_buf *ar = &tok->arena;
	const struct lang_res *l = tok->cur;
	size_t n = b - a, off;
	unsigned char stop = 0;
	char *dst;
	int rc;

	if (!l || l->st || !fold_invariant((const unsigned char *)t + a, n))
		return add_token(tok, t, a, b, NR_TOKEN_WORD, 1, 0);
	if (tok->ntok == tok->captok &&
	    (rc = grow((void **)&tok->toks, &tok->captok, tok->ntok + 1, sizeof(*tok->toks))))
		return rc;
	if (ar->cap - ar->len < n + 24 && (rc = nri_buf_grow(ar, n + 24)))
		return rc;
	off = ar->len;
	dst = ar->data + off;
	if (n <= 16 && a + 16 <= tok->tlen)
		memcpy(dst, t + a, 16);
	else
		memcpy(dst, t + a, n);
	ar->len += n;
	if (l->sw)
		stop = (unsigned char)(n <= 8 ? nri_stopwords_short(&l->swv, wc_prefix(dst, n), n)
					      : nri_stopwords_has_padded(l->sw, dst, n));
	put_token(&tok->toks[tok->ntok++], a, n, off, n, off, n, NR_TOKEN_WORD, stop, 1,
		  nri_hash(dst, n));
	return NR_OK;
}

static int add_raw(struct nr_tokenizer *tok, size_t a, size_t b, int status)
{
	struct nri_segment *g;
	int rc;

	if (tok->nseg == tok->capseg) {
		rc = grow((void **)&tok->segs, &tok->capseg, tok->nseg + 1, sizeof(*tok->segs));
		if (rc)
			return rc;
	}
	g = &tok->segs[tok->nseg++];
	g->start = a;
	g->end = b;
	g->status = status;
	return NR_OK;
}

/*
 * A segment from ICU: the rule status says word or number; a segment
 * without one is whitespace (dropped), an emoji (Extended_Pictographic or
 * Regional_Indicator, or a keycap), a word or number ICU gave no status
 * (e.g. a lone letter after a mark), or punctuation.  u[0..ulen) is the
 * segment in UTF-16.
 */
static int icu_segment(struct nr_tokenizer *tok, const char *t, size_t a, size_t b, int status,
		       const UChar *u, int32_t ulen)
{
	/* every non-ASCII code point takes more UTF-8 bytes than UTF-16 units */
	int ascii = (size_t)ulen == b - a;
	int blank = 1, emoji = 0, alpha = 0, num = 0, cjk = 0;
	int32_t i = 0;
	UChar32 c;

	if (tok->raw)
		return add_raw(tok, a, b, status);
	if (status >= UBRK_WORD_LETTER && ascii && only_at(t, a, b))
		status = UBRK_WORD_NONE;
	if (status >= UBRK_WORD_LETTER) {
		if (status >= UBRK_WORD_KANA)
			return cjk_word(tok, t, a, b);
		if (!ascii) {
			U16_GET_UNSAFE(u, 0, c);
			cjk = is_cjk_cp(c);
		}
		return add_token(tok, t, a, b, NR_TOKEN_WORD, cjk, ascii);
	}
	if (status >= UBRK_WORD_NUMBER)
		return add_token(tok, t, a, b, NR_TOKEN_NUMBER, 0, ascii);
	while (i < ulen) {
		U16_NEXT_UNSAFE(u, i, c);
		if (c < 0x80) {
			if (c > 0x20 && c != 0x7F)
				blank = 0;
			continue;
		}
		{
			int8_t ty = u_charType(c);

			if ((ty >= U_DASH_PUNCTUATION && ty <= U_OTHER_PUNCTUATION) ||
			    ty == U_INITIAL_PUNCTUATION || ty == U_FINAL_PUNCTUATION) {
				/* the common case in CJK text; the only punctuation
				 * that is Extended_Pictographic (ICU 72) */
				blank = 0;
				if (c == 0x203C || c == 0x2049 || c == 0x3030 || c == 0x303D)
					emoji = 1;
				continue;
			}
		}
		if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) ||
		    u_hasBinaryProperty(c, UCHAR_REGIONAL_INDICATOR) || c == 0x20E3)
			emoji = 1;
		if (u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR ||
		    u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
			continue;
		blank = 0;
		if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC)) {
			if (!alpha)
				cjk = is_cjk_cp(c);
			alpha = 1;
		} else {
			int8_t ty = u_charType(c);

			if (ty == U_DECIMAL_DIGIT_NUMBER || ty == U_LETTER_NUMBER ||
			    ty == U_OTHER_NUMBER)
				num = 1;
		}
	}
	if (emoji)
		return add_token(tok, t, a, b, NR_TOKEN_EMOJI, 0, ascii);
	if (blank)
		return NR_OK;
	if (alpha)
		return add_token(tok, t, a, b, NR_TOKEN_WORD, cjk, ascii);
	if (num)
		return add_token(tok, t, a, b, NR_TOKEN_NUMBER, 0, ascii);
	if (tok->flags & NR_TOKENIZE_NO_PUNCT)
		return NR_OK;
	return add_token(tok, t, a, b, NR_TOKEN_PUNCT, 0, ascii);
}

/* ---- ICU word break ---------------------------------------------------- */

/*
 * Segment t[a..b) with ICU: convert to UTF-16 (the text is valid UTF-8),
 * noting for each UTF-16 index the byte offset it came from, and walk the
 * boundaries.
 */
static int icu_run(struct nr_tokenizer *tok, const char *t, size_t a, size_t b)
{
	const unsigned char *s = (const unsigned char *)t + a;
	UErrorCode e = U_ZERO_ERROR;
	size_t i = 0, n = b - a;
	int32_t k = 0, p, q;
	uint32_t *m;
	UChar *u;
	int rc;

	if (a >= b)
		return NR_OK;
	/* UTF-16 never has more units than UTF-8 has bytes */
	rc = grow((void **)&tok->u16, &tok->capu16, n + 1, sizeof(UChar));
	if (!rc)
		rc = grow((void **)&tok->u16map, &tok->capmap, n + 1, sizeof(uint32_t));
	if (rc)
		return rc;
	u = tok->u16;
	m = tok->u16map;
	while (i < n) {
		unsigned c = s[i];

		m[k] = (uint32_t)i;
		if (c < 0x80) {
			u[k++] = (UChar)c;
			i++;
		} else if (c < 0xE0) {
			u[k++] = (UChar)(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
			i += 2;
		} else if (c < 0xF0) {
			u[k++] = (UChar)(((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) |
					 (s[i + 2] & 0x3F));
			i += 3;
		} else {
			UChar32 cp = (UChar32)(((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) |
					       ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F));

			u[k++] = U16_LEAD(cp);
			m[k] = (uint32_t)i;
			u[k++] = U16_TRAIL(cp);
			i += 4;
		}
	}
	m[k] = (uint32_t)n;
	ubrk_setText(tok->bi, u, k, &e);
	if (U_FAILURE(e)) {
		set_msg(tok, "the ICU word break iterator failed");
		return NR_EINTERNAL;
	}
	p = 0;
	while ((q = ubrk_next(tok->bi)) != UBRK_DONE) {
		rc = icu_segment(tok, t, a + m[p], a + m[q], ubrk_getRuleStatus(tok->bi), u + p,
				 q - p);
		if (rc)
			return rc;
		p = q;
	}
	return NR_OK;
}

/* ---- the ASCII fast path --------------------------------------------------- */

/* The end of the ASCII word that has a run of word bytes end at s[j]
 * (letters, digits, '_' join in any order: WB5, WB8-WB10, WB13a/b, done by
 * word_end), by WB6/7: AL (MidLetter|MidNumLet|SQ) AL and WB11/12: NU
 * (MidNum|MidNumLet|SQ) NU.  ascii_run does the same inline. */
static HOT size_t join_mid(const unsigned char *s, size_t j, size_t b, size_t tlen)
{
	unsigned n, last, prev;

	while (j + 1 < b && (n = acls[s[j]]) >= C_ML) {
		last = acls[s[j - 1]];
		prev = acls[s[j + 1]];
		if (!((last == C_AL && prev == C_AL && n != C_MN) ||
		      (last == C_NU && prev == C_NU)))
			break;
		j = word_end(s, j + 2, b, tlen);
	}
	return j;
}

/* ICU 72's rule status of the ASCII word s[i..j): that of its last
 * character (letter 200, digit 100); a final '_' takes the status of what
 * precedes it, a lone '_' none. */
static HOT int ascii_status(const unsigned char *s, size_t i, size_t j)
{
	unsigned last = acls[s[j - 1]], prev = j - i >= 2 ? acls[s[j - 2]] : C_OT;

	if (last == C_AL)
		return UBRK_WORD_LETTER;
	if (last == C_NU)
		return UBRK_WORD_NUMBER;
	if (j - i == 1)
		return UBRK_WORD_NONE;
	return prev == C_NU ? UBRK_WORD_NUMBER : UBRK_WORD_LETTER;
}

/*
 * The fast path's word at s[*ip..) in a language with elision, with an
 * apostrophe s[j] between letters at most ELIDE_MAX bytes on: when the
 * whole word is a word token (not a number, not only '@') that starts with
 * an elided form, split_elision makes the form's token and *ip moves past
 * it, so the caller goes on with the rest of the word.  Out of line and
 * asked only from inside the loop over a word's Mid characters, so that a
 * word without one pays nothing.
 */
static COLD int ascii_elision(struct nr_tokenizer *tok, struct hot *o, const char *t, size_t *ip,
			      size_t j, size_t b)
{
	const unsigned char *s = (const unsigned char *)t;
	size_t i = *ip, e = join_mid(s, j, b, tok->tlen);
	int rc;

	if (ascii_status(s, i, e) < UBRK_WORD_LETTER || (s[i] == '@' && only_at(t, i, e)))
		return NR_OK;
	hot_save(o, tok);
	rc = split_elision(tok, t, i, e, ip);
	hot_load(o, tok);
	return rc;
}

/*
 * Segment the pure-ASCII t[a..b) with UAX #29 restricted to ASCII (WB3
 * CR x LF, WB3a/b breaks around newlines, WB3d spaces together, WB5-WB13b
 * for letters, digits, '_' and the Mid classes '.', '\'', ',', ';'; no
 * Extend, Format, ZWJ or Regional_Indicator exists in ASCII).  The status
 * reproduces ICU 72's: its rules tag a boundary by the last rule matched,
 * i.e. by the class of the segment's last character (letter 200, digit 100);
 * a final '_' takes the status of what precedes it (after '_' 200), a lone
 * '_' none.  conf_wordbreak.c and conf_tokenizer_diff.c check all of this
 * against ICU.
 */
static HOT int ascii_run(struct nr_tokenizer *tok, const char *t, size_t a, size_t b, const int raw)
{
	const unsigned char *s = (const unsigned char *)t;
	const int punct = !(tok->flags & NR_TOKENIZE_NO_PUNCT);
	const size_t tlen = tok->tlen;
	size_t i = a, j;
	struct hot o;
	int rc = NR_OK;
#if SIMD16
	__m128i v = _mm_setzero_si128();
#endif

	hot_load(&o, tok);
	while (i < b) {
		unsigned c = acls[s[i]], last, prev, n;
		int status;

		if (c < C_AL || c > C_EN) {
			switch (c) {
			case C_SP:
				for (j = i + 1; j < b && s[j] == ' '; j++)
					;
				if (raw && (rc = add_raw(tok, i, j, 0)))
					goto out;
				i = j;
				continue;
			case C_CR:
				j = i + 1 < b && s[i + 1] == '\n' ? i + 2 : i + 1;
				if (raw && (rc = add_raw(tok, i, j, 0)))
					goto out;
				i = j;
				continue;
			default:
				if (raw)
					rc = add_raw(tok, i, i + 1, 0);
				else if (s[i] > 0x20 && s[i] != 0x7F && punct)
					rc = punct_token(tok, &o, i, s[i]);
				if (rc)
					goto out;
				i++;
				continue;
			}
		}
#if SIMD16
		if (!raw && i + 16 <= tlen) {
			unsigned m;

			v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			m = ~word_mask16(v) & 0xFFFEu;
			j = m ? i + (size_t)__builtin_ctz(m) : word_end(s, i + 16, b, tlen);
			if (j > b)
				j = b;
		} else
#endif
			j = word_end(s, i + 1, b, tlen);
		/* WB6/7: AL (MidLetter|MidNumLet|SQ) AL; WB11/12: NU
		 * (MidNum|MidNumLet|SQ) NU (join_mid) */
		while (j + 1 < b && (n = acls[s[j]]) >= C_ML) {
			last = acls[s[j - 1]];
			prev = acls[s[j + 1]];
			if (!((last == C_AL && prev == C_AL && n != C_MN) ||
			      (last == C_NU && prev == C_NU)))
				break;
			if (n == C_SQ && j - i <= ELIDE_MAX && !raw && o.l && o.l->elide) {
				size_t i0 = i;

				if ((rc = ascii_elision(tok, &o, t, &i, j, b)))
					goto out;
#if SIMD16
				if (i != i0 && i + 16 <= tlen)
					v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
#else
				(void)i0;
#endif
			}
			j = word_end(s, j + 2, b, tlen);
		}
		status = ascii_status(s, i, j);
		if (raw) {
			rc = add_raw(tok, i, j, status);
		} else {
			enum nr_token_type type = NR_TOKEN_PUNCT;

			if (status >= UBRK_WORD_LETTER && !(s[i] == '@' && only_at(t, i, j)))
				type = NR_TOKEN_WORD;
			else if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_LETTER)
				type = NR_TOKEN_NUMBER;
			else if (!punct)
				goto next;
#if SIMD16
			if (j - i <= 16 && i + 16 <= tlen)
				rc = type == NR_TOKEN_WORD
					     ? short_token(tok, &o, i, j - i, v, NR_TOKEN_WORD)
					     : short_token(tok, &o, i, j - i, v, type);
			else
#endif
				rc = ascii_token(tok, &o, t, i, j, type);
		}
		if (rc)
			goto out;
	next:
		/* one space between words, the common case: no need to go
		 * round the loop for it */
		if (!raw && j + 1 < b && s[j] == ' ' && s[j + 1] != ' ')
			j++;
		i = j;
	}
out:
	hot_save(&o, tok);
	return rc;
}

/* ascii_run made twice, for tokens and for raw segments, so that the
 * token loop carries no test of tok->raw. */
static int fast_run_tokens(struct nr_tokenizer *tok, const char *t, size_t a, size_t b)
{
	return ascii_run(tok, t, a, b, 0);
}

static int fast_run_raw(struct nr_tokenizer *tok, const char *t, size_t a, size_t b)
{
	return ascii_run(tok, t, a, b, 1);
}

static int fast_run(struct nr_tokenizer *tok, const char *t, size_t a, size_t b)
{
	return tok->raw ? fast_run_raw(tok, t, a, b) : fast_run_tokens(tok, t, a, b);
}

/* A non-ASCII code point of Word_Break=Other that ICU does not make a
 * letter (Line_Break=Complex_Context is ALetter in ICU's rules): no rule
 * joins it to a neighbour, and none looks across it. */
static int other_safe(UChar32 c)
{
	if (c >= 0x4E00 && c <= 0x9FFF)
		return 1; /* CJK Unified Ideographs: Other, the common case */
	return u_getIntPropertyValue(c, UCHAR_WORD_BREAK) == U_WB_OTHER &&
	       u_getIntPropertyValue(c, UCHAR_LINE_BREAK) != U_LB_COMPLEX_CONTEXT;
}

/*
 * Safe cuts.  A position p is a boundary whatever the text beyond it, and
 * the segmentation on each side does not depend on the other side, when:
 *  - t[p-1] is LF (WB3a: break after newlines; WB4 does not reach past
 *    them, so what follows segments as at the start of text), or
 *  - t[p] is LF and t[p-1] is not CR (WB3b), or
 *  - t[p] is a space and the character before is not WSegSpace (nothing
 *    but WB3d joins a space to what precedes it; a space is no
 *    Extend/Format/ZWJ, so WB4 cannot hang it on the left, and no rule
 *    looks back past a space), or
 *  - one side is ASCII and the other a character for which other_safe()
 *    holds: Word_Break=Other joins nothing in WB5-WB16, ASCII has no
 *    Extend/Format/ZWJ for WB4 to attach and no ZWJ for WB3c, and the rules
 *    that look two characters ahead or back (WB6/7, WB11/12) need a letter,
 *    digit or Mid character in the middle.  This is what keeps the English
 *    words of Chinese text out of ICU.
 * A space is not a safe start after a space, nor is the position after a
 * space: WB4 hangs a following Extend (a combining mark) on the space.
 * cut_back looks for the last cut in (i, q] over ASCII bytes; cut_fwd for
 * the first one after q (past non-ASCII text too).
 */
static size_t cut_back(const unsigned char *t, size_t i, size_t q)
{
	size_t p;

	if (q > i && other_safe(cp_at(t, q)))
		return q;
	for (p = q; p > i; p--) {
		if (t[p - 1] == '\n')
			return p;
		if (t[p] == ' ' && t[p - 1] != ' ')
			return p;
		if (t[p] == '\n' && t[p - 1] != '\r')
			return p;
	}
	return i;
}

static size_t cut_fwd(const unsigned char *t, size_t q, size_t b)
{
	size_t p;

	for (p = q + 1; p < b; p++) {
		unsigned char c = t[p], d;

		if (c >= 0x80) {
			p = find_ascii(t, p, b);
			if (p == b)
				break;
			c = t[p];
		}
		d = t[p - 1];
		if (d >= 0x80) {
			/* the first ASCII byte after non-ASCII text */
			UChar32 y = cp_before(t, p);

			if (c == '\n' || other_safe(y))
				return p;
			if (c == ' ' &&
			    u_getIntPropertyValue(y, UCHAR_WORD_BREAK) != U_WB_WSEGSPACE)
				return p;
			continue;
		}
		if (d == '\n')
			return p;
		if (c == '\n' && d != '\r')
			return p;
		if (c == ' ' && d != ' ')
			return p;
	}
	return b;
}

/* Segment t[a..b): ASCII runs by hand, the stretches around non-ASCII
 * text (cut at safe places) through ICU. */
static int segment(struct nr_tokenizer *tok, const char *t, size_t a, size_t b, int fast)
{
	const unsigned char *s = (const unsigned char *)t;
	size_t i = a, q, rs, re;
	int rc;

	if (!fast)
		return icu_run(tok, t, a, b);
	while (i < b) {
		q = find_nonascii(s, i, b);
		if (q == b)
			return fast_run(tok, t, i, b);
		rs = cut_back(s, i, q);
		if (rs > i && (rc = fast_run(tok, t, i, rs)))
			return rc;
		re = cut_fwd(s, q, b);
		if ((rc = icu_run(tok, t, rs, re)))
			return rc;
		i = re;
	}
	return NR_OK;
}

/* ---- special spans ------------------------------------------------------- */

/*
 * The patterns, each matched anchored at a place the prefilter found.
 * URLs are ASCII only (RFC 3986 characters), so a URL running into Chinese
 * text stops where the Chinese starts; trailing punctuation is trimmed
 * afterwards (trim_url).
 */
#define URLCH "A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%"
static const char *const patterns[RE_COUNT] = {
	/* RE_URL: at the scheme before "://" */
	"[A-Za-z][A-Za-z0-9+.\\-]{0,31}://(?=[A-Za-z0-9\\[/%])[" URLCH "]+",
	/* RE_WWW */
	"www\\.[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)+(?::[0-9]{1,5})?(?:[/?#][" URLCH "]*)?",
	/* RE_EMAIL: at the start of the local part */
	"[A-Za-z0-9_%+\\-][A-Za-z0-9._%+\\-]{0,63}@"
	"[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?"
	"(?:\\.[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?){0,8}"
	"\\.[A-Za-z]{2,63}(?![A-Za-z0-9\\-])",
	/* RE_MENTION */
	"@[\\p{L}\\p{M}\\p{N}_][\\p{L}\\p{M}\\p{N}_\\-]{0,63}",
	/* RE_HASHTAG: Weibo's #topic# (no space inside, a letter or digit
	 * somewhere), else #tag of letters, marks, digits and '_' with a
	 * letter among them, and apostrophes between two letters
	 * (#Xi'an, #L'Aquila: city names, which the platforms' own rule
	 * would cut at the apostrophe) */
	"#(?:(?=[^#\\s]{0,63}[\\p{L}\\p{N}])[^#\\s]{1,64}#"
	"|(?=[\\p{N}_]{0,139}\\p{L})"
	"(?:[\\p{L}\\p{M}\\p{N}_]|(?<=\\p{L})['\\x{2019}\\x{02BC}](?=\\p{L})){1,140})",
};

static void *pcre_malloc(size_t n, void *data)
{
	(void)data;
	return nri_malloc(n);
}

static void pcre_free(void *p, void *data)
{
	(void)data;
	nri_free(p);
}

/* End of the anchored match of pattern r at start, or 0. */
static size_t match_at(struct nr_tokenizer *tok, int r, const char *t, size_t n, size_t start)
{
	size_t end = n;
	int rc;

	/* Emails, mentions and hashtags match at most ~700 bytes: a subject
	 * cut (at a character boundary) well past that keeps a run of
	 * failing triggers linear in the text. */
	if (r != RE_URL && r != RE_WWW && n - start > 1024) {
		end = start + 1024;
		while ((t[end] & 0xC0) == 0x80)
			end--;
	}
	/* anchored at compile time: JIT does not run match-time PCRE2_ANCHORED */
	rc = pcre2_match(tok->re[r], (PCRE2_SPTR)t, end, start, PCRE2_NO_UTF_CHECK, tok->md, NULL);
	if (rc <= 0)
		return 0;
	return pcre2_get_ovector_pointer(tok->md)[1];
}

/* Drop punctuation that ends a sentence rather than the URL, and a closing
 * bracket that has no opening one inside the URL.  The brackets are counted
 * once, so a URL ending in many ')' costs linear time. */
static size_t trim_url(const char *t, size_t a, size_t e)
{
	long paren = 0, square = 0; /* closing minus opening */
	size_t i;

	for (i = a; i < e; i++) {
		paren += t[i] == ')' ? 1 : t[i] == '(' ? -1 : 0;
		square += t[i] == ']' ? 1 : t[i] == '[' ? -1 : 0;
	}
	while (e > a) {
		char c = t[e - 1];

		if (in_set((unsigned char)c, ".,;:!?'*"))
			e--;
		else if (c == ')' && paren > 0)
			e--, paren--;
		else if (c == ']' && square > 0)
			e--, square--;
		else
			break;
	}
	return e;
}

static int add_span(struct nr_tokenizer *tok, size_t a, size_t e, enum nr_token_type type)
{
	int rc = grow((void **)&tok->spans, &tok->capspan, tok->nspan + 1, sizeof(*tok->spans));

	if (rc)
		return rc;
	tok->spans[tok->nspan].start = a;
	tok->spans[tok->nspan].end = e;
	tok->spans[tok->nspan].type = type;
	tok->nspan++;
	return NR_OK;
}

static int is_local(unsigned char c)
{
	return is_alnum_ascii(c) || in_set(c, "._%+-");
}

/* The first place at or after from where needle (one of "@", "#", "://",
 * "www.") starts, or n.  memchr on the rarest byte of each needle. */
static size_t next_of(const char *t, size_t n, size_t from, const char *needle, size_t nl)
{
	const char *p;

	if (from >= n)
		return n;
	if (nl == 1) {
		p = memchr(t + from, needle[0], n - from);
		return p ? (size_t)(p - t) : n;
	}
	if (needle[0] == ':') {
		while ((p = memchr(t + from, ':', n - from))) {
			size_t i = (size_t)(p - t);

			if (i + 2 < n && t[i + 1] == '/' && t[i + 2] == '/')
				return i;
			from = i + 1;
		}
		return n;
	}
	/* "www.": find the dot, look back */
	from += 3;
	while (from < n && (p = memchr(t + from, '.', n - from))) {
		size_t i = (size_t)(p - t);

		if (t[i - 1] == 'w' && t[i - 2] == 'w' && t[i - 3] == 'w')
			return i - 3;
		from = i + 1;
	}
	return n;
}

/*
 * Find URLs, emails, mentions and hashtags.  The prefilter: only '@', '#',
 * "://" and "www." can start one, so memchr/memmem jump from one such place
 * to the next and PCRE2 runs anchored there (emails and URLs from the start
 * of the local part or scheme just before).  Spans do not overlap: a place
 * inside an accepted span is skipped.
 */
static int find_spans(struct nr_tokenizer *tok, const char *t, size_t n)
{
	const unsigned char *s = (const unsigned char *)t;
	size_t at = next_of(t, n, 0, "@", 1), hash = next_of(t, n, 0, "#", 1);
	size_t col = next_of(t, n, 0, "://", 3), www = next_of(t, n, 0, "www.", 4);
	size_t last = 0; /* end of the last span */
	int rc;

	tok->nspan = 0;
	for (;;) {
		size_t p = at, a, e = 0;
		enum nr_token_type type = NR_TOKEN_URL;

		if (hash < p)
			p = hash;
		if (col < p)
			p = col;
		if (www < p)
			p = www;
		if (p >= n)
			break;
		if (p < last) {
			/* inside the previous span */
		} else if (p == at) {
			size_t a0;

			a = p;
			while (a > last && p - a <= 64 && is_local(s[a - 1]))
				a--;
			a0 = a;
			while (a < p && s[a] == '.')
				a++;
			if (a < p && p - a0 <= 64 && (a0 == last || !is_local(s[a0 - 1]))) {
				e = match_at(tok, RE_EMAIL, t, n, a);
				type = NR_TOKEN_EMAIL;
			}
			if (!e && (p == 0 || p == last || s[p - 1] >= 0x80 ||
				   !(is_local(s[p - 1]) || s[p - 1] == '@'))) {
				a = p;
				e = match_at(tok, RE_MENTION, t, n, p);
				while (e > p + 1 && t[e - 1] == '-')
					e--;
				type = NR_TOKEN_MENTION;
				if (e == p + 1)
					e = 0;
			}
		} else if (p == hash) {
			a = p;
			if (p == 0 || p == last || s[p - 1] >= 0x80 ||
			    !(is_alnum_ascii(s[p - 1]) || in_set(s[p - 1], "_&#"))) {
				e = match_at(tok, RE_HASHTAG, t, n, p);
				type = NR_TOKEN_HASHTAG;
			}
		} else if (p == col) {
			a = p;
			while (a > last && p - a < 32 && s[a - 1] < 0x80 &&
			       (is_alnum_ascii(s[a - 1]) || in_set(s[a - 1], "+.-")))
				a--;
			while (a < p && !(acls[s[a]] == C_AL))
				a++;
			if (a < p && (a == 0 || a == last || !is_alnum_ascii(s[a - 1]))) {
				e = match_at(tok, RE_URL, t, n, a);
				if (e)
					e = trim_url(t, a, e);
				if (e <= p + 3)
					e = 0;
			}
		} else {
			a = p;
			if (p == 0 || p == last ||
			    !(is_alnum_ascii(s[p - 1]) || in_set(s[p - 1], "./@-"))) {
				e = match_at(tok, RE_WWW, t, n, p);
				if (e)
					e = trim_url(t, a, e);
				if (e <= p + 4)
					e = 0;
			}
		}
		if (e) {
			rc = add_span(tok, a, e, type);
			if (rc)
				return rc;
			last = e;
		}
		/* move every finder that is at or before p */
		if (at <= p)
			at = next_of(t, n, p + 1 > last ? p + 1 : last, "@", 1);
		if (hash <= p)
			hash = next_of(t, n, p + 1 > last ? p + 1 : last, "#", 1);
		if (col <= p)
			col = next_of(t, n, p + 1 > last ? p + 1 : last, "://", 3);
		if (www <= p)
			www = next_of(t, n, p + 1 > last ? p + 1 : last, "www.", 4);
	}
	return NR_OK;
}

/* ---- repair ------------------------------------------------------------- */

/*
 * Copy s with each maximal ill-formed subpart replaced by U+FFFD (the same
 * subparts nr_utf8_repair replaces, from nri_utf8_next), and record each
 * replacement so that offsets map back to s.
 */
static int repair(struct nr_tokenizer *tok, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, i0;
	int rc;

	nri_buf_reset(&tok->rbuf);
	tok->nrep = 0;
	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		i0 = i;
		if (nri_utf8_next(s, len, &i) >= 0)
			continue;
		rc = nri_buf_add(&tok->rbuf, s + run, i0 - run);
		if (!rc)
			rc = grow((void **)&tok->reps, &tok->caprep, tok->nrep + 1,
				  sizeof(*tok->reps));
		if (rc)
			return rc;
		tok->reps[tok->nrep].wpos = tok->rbuf.len;
		tok->reps[tok->nrep].opos = i0;
		tok->reps[tok->nrep].olen = i - i0;
		tok->nrep++;
		rc = nri_buf_add(&tok->rbuf, "\xEF\xBF\xBD", 3);
		if (rc)
			return rc;
		run = i;
	}
	return nri_buf_add(&tok->rbuf, s + run, len - run);
}

/* Map offset x of the repaired text to the original; *k is a cursor into
 * tok->reps that only moves forward (offsets arrive in order). */
static size_t unrepair(const struct nr_tokenizer *tok, size_t x, size_t *k)
{
	while (*k < tok->nrep && tok->reps[*k].wpos + 3 <= x)
		(*k)++;
	if (*k == 0)
		return x;
	{
		const struct repair *r = &tok->reps[*k - 1];

		return x - (r->wpos + 3) + r->opos + r->olen;
	}
}

/* ---- the public functions -------------------------------------------------- */

const char *nr_token_type_name(enum nr_token_type type)
{
	switch (type) {
	case NR_TOKEN_WORD: return "word";
	case NR_TOKEN_NUMBER: return "number";
	case NR_TOKEN_URL: return "url";
	case NR_TOKEN_EMAIL: return "email";
	case NR_TOKEN_MENTION: return "mention";
	case NR_TOKEN_HASHTAG: return "hashtag";
	case NR_TOKEN_EMOJI: return "emoji";
	case NR_TOKEN_PUNCT: return "punct";
	}
	return "?";
}

void nr_tokenizer_free(struct nr_tokenizer *tok)
{
	size_t i;

	if (!tok)
		return;
	if (tok->bi)
		ubrk_close(tok->bi);
	for (i = 0; i < RE_COUNT; i++)
		pcre2_code_free(tok->re[i]);
	pcre2_match_data_free(tok->md);
	pcre2_general_context_free(tok->gctx);
	for (i = 0; i < tok->nlang; i++)
		lang_release(&tok->langs[i]);
	nri_free(tok->data_dir);
	nri_free(tok->toks);
	nri_buf_release(&tok->arena);
	nri_free(tok->u16);
	nri_free(tok->u16map);
	nri_free(tok->spans);
	nri_free(tok->reps);
	nri_buf_release(&tok->rbuf);
	nri_free(tok->segs);
	nri_free(tok);
}

int nr_tokenizer_new(struct nr_tokenizer **out, const struct nr_tokenizer_options *opts)
{
	struct nr_tokenizer *tok;
	pcre2_compile_context *cc;
	UErrorCode e = U_ZERO_ERROR;
	int i;

	if (!out)
		return NR_EINVAL;
	*out = NULL;
	tok = nri_calloc(1, sizeof(*tok));
	if (!tok)
		return NR_ENOMEM;
	nri_buf_init(&tok->arena, 0);
	nri_buf_init(&tok->rbuf, 0);
	if (opts) {
		tok->flags = opts->flags;
		tok->max_input = opts->max_input;
		if (opts->data_dir &&
		    !(tok->data_dir = nri_strndup(opts->data_dir, strlen(opts->data_dir))))
			goto nomem;
	}
	if (!tok->max_input)
		tok->max_input = DEFAULT_MAX_INPUT;
	if (tok->max_input > HARD_MAX_INPUT)
		tok->max_input = HARD_MAX_INPUT;
	for (i = 0; i < 256; i++) {
		char c = (char)i;

		tok->byte_hash[i] = nri_hash(&c, 1);
	}

	tok->gctx = pcre2_general_context_create(pcre_malloc, pcre_free, NULL);
	if (!tok->gctx)
		goto nomem;
	cc = pcre2_compile_context_create(tok->gctx);
	if (!cc)
		goto nomem;
	for (i = 0; i < RE_COUNT; i++) {
		int ec;
		PCRE2_SIZE eo;

		tok->re[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED,
					   PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED |
						   PCRE2_NO_START_OPTIMIZE,
					   &ec, &eo, cc);
		if (!tok->re[i]) {
			pcre2_compile_context_free(cc);
			/* the patterns are fixed: only memory can fail */
			goto nomem;
		}
		/* without JIT pcre2_match interprets: slower, same result.
		 * PCRE2_NO_START_OPTIMIZE: no scan ahead for a required
		 * character (say the '.' of an email), which would make every
		 * failing trigger cost the rest of the text. */
		(void)pcre2_jit_compile(tok->re[i], PCRE2_JIT_COMPLETE);
	}
	pcre2_compile_context_free(cc);
	tok->md = pcre2_match_data_create(1, tok->gctx);
	if (!tok->md)
		goto nomem;

	tok->bi = ubrk_open(UBRK_WORD, "", NULL, 0, &e);
	if (U_FAILURE(e)) {
		nr_tokenizer_free(tok);
		return e == U_MEMORY_ALLOCATION_ERROR ? NR_ENOMEM : NR_EINTERNAL;
	}
	*out = tok;
	return NR_OK;
nomem:
	nr_tokenizer_free(tok);
	return NR_ENOMEM;
}

/* Turn arena offsets into pointers and repaired offsets into original
 * ones. */
static void fix_tokens(struct nr_tokenizer *tok)
{
	const char *base = tok->arena.data ? tok->arena.data : "";
	size_t i, ka = 0, kb = 0;

	if (!tok->nrep) {
		for (i = 0; i < tok->ntok; i++) {
			tok->toks[i].norm = base + (uintptr_t)tok->toks[i].norm;
			tok->toks[i].stem = base + (uintptr_t)tok->toks[i].stem;
		}
		return;
	}
	for (i = 0; i < tok->ntok; i++) {
		struct nr_token *k = &tok->toks[i];

		k->norm = base + (uintptr_t)k->norm;
		k->stem = base + (uintptr_t)k->stem;
		if (tok->nrep) {
			size_t a = unrepair(tok, k->offset, &ka);
			size_t b = unrepair(tok, k->offset + k->length, &kb);

			k->offset = a;
			k->length = b - a;
		}
	}
}

/* Segment t[0..n) into tokens: special spans, and word break between. */
static int tokenize_text(struct nr_tokenizer *tok, const char *t, size_t n)
{
	int fast = !(tok->flags & NR_TOKENIZE_NO_ICU_FAST);
	size_t i, pos = 0;
	int rc;

	tok->tlen = n;
	rc = find_spans(tok, t, n);
	if (rc)
		return rc;
	for (i = 0; i < tok->nspan; i++) {
		const struct span *sp = &tok->spans[i];

		rc = segment(tok, t, pos, sp->start, fast);
		if (!rc)
			rc = add_token(tok, t, sp->start, sp->end, sp->type, 0,
				       find_nonascii((const unsigned char *)t, sp->start,
						     sp->end) == sp->end);
		if (rc)
			return rc;
		pos = sp->end;
	}
	return segment(tok, t, pos, n, fast);
}

int nr_tokenize(struct nr_tokenizer *tok, const char *s, size_t len, const char *lang,
		const struct nr_token **tokens, size_t *ntokens)
{
	const char *t = s;
	size_t n = len, bad = 0;
	char code[LANG_SIZE];
	int rc;

	if (tokens)
		*tokens = NULL;
	if (ntokens)
		*ntokens = 0;
	if (!tok)
		return NR_EINVAL;
	tok->errmsg[0] = '\0';
	tok->err_off = 0;
	tok->repairs = 0;
	tok->nrep = 0;
	tok->ntok = 0;
	tok->raw = 0;
	nri_buf_reset(&tok->arena);
	if (!tokens || !ntokens || (!s && len)) {
		set_msg(tok, "no input or no place for the tokens");
		return NR_EINVAL;
	}
	if (!s)
		t = s = "";
	if (len > tok->max_input) {
		snprintf(tok->errmsg, sizeof(tok->errmsg),
			 "input of %zu bytes is over the limit of %zu bytes", len, tok->max_input);
		return NR_ELIMIT;
	}
	if (nr_utf8_check(s, len, &bad) != NR_OK) {
		if (!(tok->flags & NR_TOKENIZE_REPAIR_UTF8)) {
			tok->err_off = bad;
			snprintf(tok->errmsg, sizeof(tok->errmsg),
				 "invalid UTF-8 at byte offset %zu", bad);
			return NR_EUTF8;
		}
		rc = repair(tok, s, len);
		if (rc)
			goto fail;
		t = tok->rbuf.data;
		n = tok->rbuf.len;
		tok->repairs = tok->nrep;
	}
	if (lang && *lang) {
		/* a corpus tags document after document alike; a name
		 * ("English") costs a walk of the code table */
		if (strcmp(lang, tok->tag)) {
			lang_code(code, lang);
			if (strlen(lang) < sizeof(tok->tag)) {
				memcpy(tok->tag, lang, strlen(lang) + 1);
				memcpy(tok->tag_code, code, sizeof(code));
			}
		} else {
			memcpy(code, tok->tag_code, sizeof(code));
		}
	} else {
		char guess[LANG_SIZE];

		if (nr_langid(t, n, guess, sizeof(guess), NULL) != NR_OK)
			memcpy(guess, "und", 4);
		lang_code(code, guess);
	}
	memcpy(tok->lang, code, sizeof(code));
	rc = lang_select(tok, code);
	if (rc)
		goto fail;
	rc = tokenize_text(tok, t, n);
	if (rc)
		goto fail;
	fix_tokens(tok);
	*tokens = tok->ntok ? tok->toks : &tok->none;
	*ntokens = tok->ntok;
	return NR_OK;
fail:
	if (!tok->errmsg[0])
		set_msg(tok, nr_strerror(rc));
	tok->ntok = 0;
	return rc;
}

int nri_wordbreak_segments(struct nr_tokenizer *tok, const char *s, size_t len, int fast,
			   const struct nri_segment **segs, size_t *nsegs)
{
	int rc;

	tok->nseg = 0;
	tok->raw = 1;
	tok->tlen = len;
	rc = segment(tok, s, 0, len, fast);
	tok->raw = 0;
	*segs = tok->segs;
	*nsegs = rc ? 0 : tok->nseg;
	return rc;
}

const char *nr_tokenizer_lang(const struct nr_tokenizer *tok)
{
	return tok ? tok->lang : "";
}

int nr_tokenizer_has_stopwords(const struct nr_tokenizer *tok)
{
	return tok && tok->cur && tok->cur->sw;
}

size_t nr_tokenizer_repairs(const struct nr_tokenizer *tok)
{
	return tok ? tok->repairs : 0;
}

const char *nr_tokenizer_errmsg(const struct nr_tokenizer *tok)
{
	return tok ? tok->errmsg : "";
}

size_t nr_tokenizer_error_offset(const struct nr_tokenizer *tok)
{
	return tok ? tok->err_off : 0;
}
