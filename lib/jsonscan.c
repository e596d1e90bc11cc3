/*
 * jsonscan.c - validate one JSON text without building a tree, and say
 * where the top-level object's interesting members are.
 *
 * jansson's json_loadb costs ~150 instructions per input byte on narrate's
 * JSONL (a tree of nodes, a hash table per object, a copy of every string
 * through its string buffer).  A line is mostly one long "text" string, so
 * a scanner that checks string bytes 16 at a time (SSE2; 8 at a time in
 * portable C elsewhere, or with -DNRI_JSONSCAN_PORTABLE) and records spans
 * does the same judgement for a few instructions per byte.  The grammar is
 * RFC 8259's; the limits are jansson 2.14's, so that whatever this accepts
 * jansson accepts with the same values (tests/fuzz/fuzz_jsonscan.c checks
 * it byte for byte):
 *   - integers must fit int64 (jansson: "too big integer");
 *   - reals must not overflow a double (jansson: "real number overflow");
 *     underflow to zero is fine;
 *   - \uD800-\uDBFF must be followed by \uDC00-\uDFFF, a low surrogate
 *     alone is an error;
 *   - \u0000 is allowed in values (JSON_ALLOW_NUL) but never in keys;
 *   - nesting depth at most 2048, scalars counted (JSON_PARSER_MAX_DEPTH);
 *   - one NUL byte right after a number, true, false or null is skipped
 *     (a quirk of jansson's lexer, kept so that verdicts never differ).
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && !defined(NRI_JSONSCAN_PORTABLE)
#include <emmintrin.h>
#endif

#include "narrate.h"
#include "alloc.h"
#include "jsonscan.h"
#include "utf8.h"

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

#define F_ESC 1 /* a string holds an escape */
#define F_NUL 2 /* ... and one of them is \u0000 */

/* Bytes that stop a run of plain string content: '"', '\\', < 0x20. */
static const unsigned char special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10 */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 30 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 50 */
};

/*
 * Whether the 8 bytes of w hold a '"', a '\\' or a byte below 0x20: the
 * "has zero byte" and "has byte less than n" tests of Sean Anderson's Bit
 * Twiddling Hacks (exact as to whether some byte matches; which bytes
 * matched is not used).
 */
static inline __attribute__((unused)) int word_special(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"');
	uint64_t b = w ^ (ONES * '\\');

	uint64_t lt = (w - ONES * 0x20) & ~w;

	return ((((q - ONES) & ~q) | ((b - ONES) & ~b) | lt) & HIGHS) != 0;
}

static inline int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The four hex digits at p (p + 4 <= end), or -1. */
static int32_t hex4(const unsigned char *p, const unsigned char *end)
{
	int32_t v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int d = hexval(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static inline const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/*
 * p is just past a string's opening quote.  Returns its closing quote, or
 * NULL when the string is not valid; *flags gets F_ESC and F_NUL.
 */
static const unsigned char *scan_string(const unsigned char *p, const unsigned char *end,
					int *flags)
{
#if defined(__SSE2__) && !defined(NRI_JSONSCAN_PORTABLE)
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1F);
#endif

	for (;;) {
		int32_t u, lo;

#if defined(__SSE2__) && !defined(NRI_JSONSCAN_PORTABLE)
		/* 16 bytes a step (SSE2 is in every x86-64): the first special
		 * byte exactly, x <= 0x1F as min(x, 0x1F) == x */
		while (end - p >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
			__m128i m = _mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
				_mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
			int bits = _mm_movemask_epi8(m);

			if (bits) {
				p += __builtin_ctz((unsigned)bits);
				break;
			}
			p += 16;
		}
#else
		while (end - p >= 8) {
			uint64_t w;

			memcpy(&w, p, 8);
			if (word_special(w))
				break;
			p += 8;
		}
#endif
		while (p < end && !special[*p])
			p++;
		if (p >= end || *p < 0x20)
			return NULL;
		if (*p == '"')
			return p;
		/* a backslash */
		*flags |= F_ESC;
		if (++p >= end)
			return NULL;
		switch (*p) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't': p++; break;
		case 'u':
			u = hex4(p + 1, end);
			if (u < 0)
				return NULL;
			p += 5;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
					return NULL;
				lo = hex4(p + 2, end);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return NULL;
				p += 6;
			} else if (u >= 0xDC00 && u <= 0xDFFF) {
				return NULL;
			} else if (u == 0) {
				*flags |= F_NUL;
			}
			break;
		default: return NULL;
		}
	}
}

/* 2^1024 - 2^970, the least value that strtod rounds to infinity (round
 * to nearest, ties to even: DBL_MAX's last mantissa bit is odd). */
static const char dbl_overflow[] =
	"179769313486231580793728971405303415079934132710037826936173778980444968292764750946"
	"649017977587207096330286416692887910946555547851940402630657488671505820681908902000"
	"708383676273854845817711531764475730270069855571366959622842914819860834936475292719"
	"074168444365510704342711559699508093042880177904174497792";

/*
 * Whether the real with integer digits [ip, ie), fraction digits [fp, fe)
 * (fp NULL if none) and decimal exponent exp overflows a double, decided
 * on the digits (no strtod, no locale): the value lies in [10^k, 10^(k+1))
 * for k the place of its first non-zero digit; only k = 308 needs the
 * digits compared with the threshold.
 */
static int real_overflows(const unsigned char *ip, const unsigned char *ie, const unsigned char *fp,
			  const unsigned char *fe, int64_t exp)
{
	const unsigned char *d = ip;
	int in_int = 1;
	int64_t k;

	while (d < ie && *d == '0')
		d++;
	if (d < ie) {
		k = (int64_t)(ie - d) - 1 + exp;
	} else {
		if (!fp)
			return 0;
		for (d = fp; d < fe && *d == '0'; d++)
			;
		if (d == fe)
			return 0; /* zero */
		k = -(int64_t)(d - fp) - 1 + exp;
		in_int = 0;
	}
	if (k < 308)
		return 0;
	if (k > 308)
		return 1;
	for (size_t i = 0; i < sizeof(dbl_overflow) - 1; i++) {
		char c = '0';

		if (in_int && d == ie) {
			in_int = 0;
			d = fp;
		}
		if (d && d < (in_int ? ie : fe))
			c = (char)*d++;
		if (c != dbl_overflow[i])
			return c > dbl_overflow[i];
	}
	return 1; /* equal to the threshold in 309 digits: at least it */
}

static inline int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* p is at a '-' or a digit.  Returns the number's end, or NULL when it is
 * not a valid number or jansson would refuse its value; *type is set. */
static const unsigned char *scan_number(const unsigned char *p, const unsigned char *end, int *type)
{
	const unsigned char *ip, *ie, *fp = NULL, *fe = NULL;
	int neg = 0, real = 0;
	int64_t exp = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	ip = p;
	if (p >= end)
		return NULL;
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (p < end && is_digit(*p))
			p++;
	} else {
		return NULL;
	}
	ie = p;
	if (p < end && *p == '.') {
		fp = ++p;
		while (p < end && is_digit(*p))
			p++;
		if (p == fp)
			return NULL;
		fe = p;
		real = 1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		const unsigned char *es;
		int eneg = 0;

		p++;
		if (p < end && (*p == '+' || *p == '-')) {
			eneg = *p == '-';
			p++;
		}
		es = p;
		/* saturate at 2^58 (no overflow below 2^63): a line is far
		 * shorter than 2^58 digits, so the verdict stays the same */
		while (p < end && is_digit(*p)) {
			if (exp < ((int64_t)1 << 58))
				exp = exp * 10 + (*p - '0');
			p++;
		}
		if (p == es)
			return NULL;
		if (eneg)
			exp = -exp;
		real = 1;
	}
	if (!real) {
		size_t n = (size_t)(ie - ip);

		if (n > 19 ||
		    (n == 19 &&
		     memcmp(ip, neg ? "9223372036854775808" : "9223372036854775807", 19) > 0))
			return NULL;
		*type = NRI_JSON_INTEGER;
	} else {
		if (real_overflows(ip, ie, fp, fe, exp))
			return NULL;
		*type = NRI_JSON_REAL;
	}
	return p;
}

/* One decoded unit of a validated string at *pp: 1-4 bytes into out. */
static size_t decode_one(const unsigned char **pp, char out[4])
{
	const unsigned char *p = *pp;
	int32_t cp;

	if (*p != '\\') {
		out[0] = (char)*p;
		*pp = p + 1;
		return 1;
	}
	*pp = p + 2;
	switch (p[1]) {
	case 'b': out[0] = '\b'; return 1;
	case 'f': out[0] = '\f'; return 1;
	case 'n': out[0] = '\n'; return 1;
	case 'r': out[0] = '\r'; return 1;
	case 't': out[0] = '\t'; return 1;
	case 'u': break;
	default: out[0] = (char)p[1]; return 1; /* " \ / */
	}
	cp = hex4(p + 2, p + 6);
	*pp = p + 6;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		int32_t lo = hex4(p + 8, p + 12);

		cp = ((cp - 0xD800) << 10) + (lo - 0xDC00) + 0x10000;
		*pp = p + 12;
	}
	return nri_utf8_encode((uint32_t)cp, out);
}

size_t nri_json_unescape(const char *s, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n = 0;

	while (p < end) {
		const unsigned char *bs = memchr(p, '\\', (size_t)(end - p));
		size_t run = bs ? (size_t)(bs - p) : (size_t)(end - p);

		memcpy(out + n, p, run);
		n += run;
		p += run;
		if (p < end)
			n += decode_one(&p, out + n);
	}
	return n;
}

/* Whether the escaped key k[0..klen) decodes to name[0..nlen). */
static int key_equal_esc(const unsigned char *k, size_t klen, const char *name, size_t nlen)
{
	const unsigned char *end = k + klen;
	size_t i = 0;

	if (nlen > klen)
		return 0; /* decoding never lengthens */
	while (k < end) {
		char u[4];
		size_t n = decode_one(&k, u);

		if (i + n > nlen || memcmp(name + i, u, n))
			return 0;
		i += n;
	}
	return i == nlen;
}

static inline unsigned key_hash(const unsigned char *k, size_t len)
{
	return len ? (unsigned)(len * 7 + k[0] * 3u + k[len - 1]) & 63 : 0;
}

void nri_jsonscan_keys_init(struct nri_jsonscan_keys *keys, const char *const *names,
			    const size_t *lens, size_t n)
{
	memset(keys, 0, sizeof(*keys));
	if (n > NRI_JSONSCAN_MAX_KEYS)
		n = NRI_JSONSCAN_MAX_KEYS;
	keys->n = n;
	for (size_t i = 0; i < n; i++) {
		keys->name[i] = names[i];
		keys->len[i] = lens[i];
		keys->bucket[key_hash((const unsigned char *)names[i], lens[i])] |= (uint32_t)1
										    << i;
	}
}

/* The names the key k[0..klen) equals, as a bit set. */
static uint32_t match_keys(const struct nri_jsonscan_keys *keys, const unsigned char *k,
			   size_t klen, int esc)
{
	uint32_t m = 0, cand;

	if (esc) {
		for (size_t i = 0; i < keys->n; i++)
			if (key_equal_esc(k, klen, keys->name[i], keys->len[i]))
				m |= (uint32_t)1 << i;
		return m;
	}
	cand = keys->bucket[key_hash(k, klen)];
	while (cand) {
		unsigned i = (unsigned)__builtin_ctz(cand);
		size_t j;

		cand &= cand - 1;
		if (keys->len[i] != klen)
			continue;
		for (j = 0; j < klen && keys->name[i][j] == (char)k[j]; j++)
			;
		if (j == klen)
			m |= (uint32_t)1 << i;
	}
	return m;
}

/*
 * An explicit stack (one bit per open container: object or array) instead
 * of recursion, so that depth costs 256 bytes and no C stack.  Member
 * values of the top-level object are the values that start and end at
 * depth 1; the keys they belong to were matched when the key was read.
 */
int nri_jsonscan(const char *s, size_t len, const struct nri_jsonscan_keys *keys,
		 struct nri_json_span *spans, size_t *err_off)
{
	const unsigned char *base = (const unsigned char *)s;
	const unsigned char *p = base, *end = base + len, *q, *mstart = NULL;
	unsigned char objbit[NRI_JSON_MAX_DEPTH / 8];
	size_t depth = 0;
	uint32_t want = 0;
	int type = 0, flags = 0, top_obj, nul = 0;
	size_t nkeys = keys->n;

	for (size_t i = 0; i < nkeys; i++)
		spans[i].type = NRI_JSON_ABSENT;
	p = skip_ws(p, end);
	top_obj = p < end && *p == '{';

value:
	p = skip_ws(p, end);
	if (p >= end || depth >= NRI_JSON_MAX_DEPTH)
		goto bad;
	if (depth == 1)
		mstart = p;
	switch (*p) {
	case '{':
		objbit[depth >> 3] |= (unsigned char)(1u << (depth & 7));
		depth++;
		p = skip_ws(p + 1, end);
		if (p < end && *p == '}') {
			p++;
			depth--;
			type = NRI_JSON_OBJECT;
			goto done;
		}
		goto member;
	case '[':
		objbit[depth >> 3] &= (unsigned char)~(1u << (depth & 7));
		depth++;
		p = skip_ws(p + 1, end);
		if (p < end && *p == ']') {
			p++;
			depth--;
			type = NRI_JSON_ARRAY;
			goto done;
		}
		goto value;
	case '"':
		flags = 0;
		q = scan_string(p + 1, end, &flags);
		if (!q)
			goto bad;
		p = q + 1;
		type = NRI_JSON_STRING;
		goto done;
	case 't':
		if (end - p < 4 || memcmp(p, "true", 4))
			goto bad;
		p += 4;
		type = NRI_JSON_TRUE;
		goto done;
	case 'f':
		if (end - p < 5 || memcmp(p, "false", 5))
			goto bad;
		p += 5;
		type = NRI_JSON_FALSE;
		goto done;
	case 'n':
		if (end - p < 4 || memcmp(p, "null", 4))
			goto bad;
		p += 4;
		type = NRI_JSON_NULL;
		goto done;
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		q = scan_number(p, end, &type);
		if (!q)
			goto bad;
		p = q;
		goto done;
	default: goto bad;
	}

done: /* a value ended at p; type says what it was */
	if (depth == 1 && want) {
		struct nri_json_span sp;

		sp.type = (unsigned char)type;
		sp.escaped = 0;
		sp.s = (const char *)mstart;
		sp.len = (size_t)(p - mstart);
		if (type == NRI_JSON_STRING) {
			sp.s++;
			sp.len -= 2;
			sp.escaped = (flags & F_ESC) != 0;
		}
		while (want) {
			spans[__builtin_ctz(want)] = sp;
			want &= want - 1;
		}
	}
	/* jansson reads one byte past a number or a literal and puts it back;
	 * a NUL byte put back is taken for the end of its UTF-8 buffer and
	 * skipped (load.c, stream_unget/stream_get): "[1\0]" is valid to it,
	 * so it is here */
	if (p < end && *p == '\0' && type != NRI_JSON_STRING && type != NRI_JSON_OBJECT &&
	    type != NRI_JSON_ARRAY) {
		p++;
		nul = NRI_JSONSCAN_NUL;
	}
	if (depth == 0)
		goto end;
	p = skip_ws(p, end);
	if (p >= end)
		goto bad;
	if (objbit[(depth - 1) >> 3] & (1u << ((depth - 1) & 7))) {
		if (*p == ',') {
			p = skip_ws(p + 1, end);
			goto member;
		}
		if (*p != '}')
			goto bad;
		type = NRI_JSON_OBJECT;
	} else {
		if (*p == ',') {
			p++;
			goto value;
		}
		if (*p != ']')
			goto bad;
		type = NRI_JSON_ARRAY;
	}
	p++;
	depth--;
	goto done;

member: /* at a key's opening quote, white space skipped */
	if (p >= end || *p != '"')
		goto bad;
	flags = 0;
	q = scan_string(p + 1, end, &flags);
	if (!q || (flags & F_NUL))
		goto bad;
	if (depth == 1 && nkeys)
		want = match_keys(keys, p + 1, (size_t)(q - p - 1), flags & F_ESC);
	p = skip_ws(q + 1, end);
	if (p >= end || *p != ':')
		goto bad;
	p++;
	goto value;

end:
	p = skip_ws(p, end);
	if (p != end)
		goto bad;
	return (top_obj ? NRI_JSONSCAN_OBJECT : NRI_JSONSCAN_OTHER) | nul;

bad:
	for (size_t i = 0; i < nkeys; i++)
		spans[i].type = NRI_JSON_ABSENT;
	if (err_off)
		*err_off = (size_t)(p - base);
	return NRI_JSONSCAN_INVALID;
}

int64_t nri_json_integer(const char *s, size_t len)
{
	int64_t v = 0;
	size_t i = 0;
	int neg = len && s[0] == '-';

	/* accumulate on the negative side, where INT64_MIN fits */
	for (i = (size_t)neg; i < len; i++)
		v = v * 10 - (s[i] - '0');
	return neg ? v : -v;
}

int nri_json_real(const char *s, size_t len, double *out)
{
	char small[64];
	char *buf = small, *dot;
	const char *point = localeconv()->decimal_point;

	if (len >= sizeof(small)) {
		buf = nri_malloc(len + 1);
		if (!buf)
			return NR_ENOMEM;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* as jansson's jsonp_strtod: strtod reads the locale's decimal point */
	if (point && *point && *point != '.' && (dot = strchr(buf, '.')) != NULL)
		*dot = *point;
	*out = strtod(buf, NULL);
	if (buf != small)
		nri_free(buf);
	return NR_OK;
}
