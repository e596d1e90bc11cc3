#!/usr/bin/python3
"""Content checks of the hand-written lexicons (topics, frames, tone).

Run by tests/cli/lexicons_content.sh.  The parser (narrate lexicon check)
validates the syntax; this checks what the parser cannot know: that the
files carry their provenance header, that every category is described,
that English and Chinese really cover every top-level topic, that the seed
languages are there, that no term is listed twice (within a category, or -
in topics and frames - under two categories of one language, which would
count one word twice), and that tone weights have the right sign and range.
Prints one line per problem and exits 1 if there was any.
"""
import re
import sys
import unicodedata

# English and Chinese entries every top-level topic must have: when this
# check was written the smallest were topic/people (80 en) and
# topic/safety_disaster (82 zh); see docs/lexicons.md.  Lower this only with
# a reason: a topic with fewer entries is measured less reliably.
MIN_FULL = {"en": 80, "zh": 80}
# Seed languages and the least entries each must have per top-level topic.
SEEDS = ["fr", "es", "de", "ru", "ja", "ko", "ar", "pt"]
MIN_SEED = 5
# Each frame: English and Chinese entries at least.
MIN_FRAME = {"en": 50, "zh": 50}
# Tone: English entries (generated) and Chinese entries (hand-written).
MIN_TONE = {"en": 5000, "zh": 300}

HEADER = ["@lexicon", "@version", "@source", "@licence", "@description"]
BODY = ("@category", "@lang", "@entity", "@attr", "@negators", "@negation")

problems = []


def bad(path, line, msg):
    problems.append("%s:%d: %s" % (path, line, msg))


def cjk(ch):
    o = ord(ch)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or
            0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or
            0x20000 <= o <= 0x2FFFF)


def key(term):
    """An approximation of the parser's key: NFKC + case fold, hyphens and
    runs of space as one gap, curly apostrophes folded, no gaps next to
    CJK characters (they match on characters)."""
    t = unicodedata.normalize("NFKC", term).casefold()
    t = t.replace("\u2019", "'").replace("\u02bc", "'")
    t = re.sub(r"[\s\-\u2010-\u2015\u00b7]+", " ", t).strip()
    out = []
    for i, ch in enumerate(t):
        if ch == " " and ((i > 0 and cjk(t[i - 1])) or
                          (i + 1 < len(t) and cjk(t[i + 1]))):
            continue
        out.append(ch)
    return "".join(out)


def load(path):
    """Returns (headers{name: [values]}, cats{path: (desc, line)},
    entries[(cat, lang, term, opts, line, blocking)], negators, negation)."""
    headers, cats, entries, negators, negation = {}, {}, [], {}, []
    cat, lang, seen_body, first = None, "*", False, True
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            if first:
                if not s.startswith("@lexicon "):
                    bad(path, n, "the first directive must be @lexicon")
                first = False
            if s.startswith("@"):
                d, _, arg = s.partition(" ")
                arg = arg.strip()
                if d in HEADER or d == "@kind":
                    if seen_body:
                        bad(path, n, "header directive %s after the body began" % d)
                    headers.setdefault(d, []).append(arg)
                elif d == "@category":
                    seen_body = True
                    p, _, desc = arg.partition(" ")
                    desc = desc.strip()
                    if p not in cats:
                        cats[p] = (desc, n)
                    elif desc and cats[p][0] and desc != cats[p][0]:
                        bad(path, n, "category %s has two descriptions" % p)
                    elif desc and not cats[p][0]:
                        cats[p] = (desc, cats[p][1])
                    cat = p
                elif d == "@lang":
                    seen_body = True
                    lang = arg
                elif d == "@negators":
                    seen_body = True
                    parts = arg.split()
                    negators.setdefault(parts[0], []).extend(parts[1:])
                elif d == "@negation":
                    seen_body = True
                    negation.append((arg, n))
                else:
                    bad(path, n, "unexpected directive %s" % d)
                continue
            seen_body = True
            term, _, opts = s.partition("|")
            term = term.strip()
            blocking = term.startswith("-")
            if blocking:
                term = term[1:]
            if cat is None:
                bad(path, n, "entry before any @category")
                continue
            o = {}
            for kv in opts.split():
                k, _, v = kv.partition("=")
                o[k] = v
            entries.append((cat, lang, term, o, n, blocking))
    return headers, cats, entries, negators, negation


def check_common(path, name, headers, cats, entries, unique_across):
    if headers.get("@lexicon") != [name]:
        bad(path, 1, "@lexicon must be '%s'" % name)
    for h in HEADER:
        if h not in headers:
            bad(path, 1, "missing header directive %s" % h)
    if "@licence" in headers and not any(
            re.search(r"CC0-1\.0|MIT", v) for v in headers["@licence"]):
        bad(path, 1, "@licence names no known licence")
    for p, (desc, n) in cats.items():
        if len(desc) < 10:
            bad(path, n, "category %s has no (or a too short) description" % p)
        parts = p.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i])
            if parent not in cats:
                bad(path, n, "parent %s of %s is not declared (so not described)" % (parent, p))
    within, across = {}, {}
    for cat, lang, term, o, n, blocking in entries:
        k = key(term)
        if not k or k == "*":
            bad(path, n, "empty term")
            continue
        if k.endswith("*"):
            stem = k[:-1].split(" ")[-1]
            if any(cjk(c) for c in stem):
                bad(path, n, "wildcard on a CJK term '%s' (CJK matches on characters already)" % term)
            elif len(stem) < (2 if all(0xAC00 <= ord(c) <= 0xD7A3 for c in stem) else 3):
                bad(path, n, "wildcard prefix '%s' is too short" % term)
        wk = (cat, lang, k, blocking)
        if wk in within:
            bad(path, n, "'%s' repeats line %d (same category and language)" % (term, within[wk]))
        within[wk] = n
        if unique_across and not blocking:
            ak = (lang, k)
            if ak in across and across[ak][0] != cat:
                bad(path, n, "'%s' (%s) is also in %s (line %d): one word would count twice" %
                    (term, lang, across[ak][0], across[ak][1]))
            across.setdefault(ak, (cat, n))


def counts_by(entries, depth):
    c = {}
    for cat, lang, term, o, n, blocking in entries:
        if blocking:
            continue
        top = "/".join(cat.split("/")[:depth])
        c[(top, lang)] = c.get((top, lang), 0) + 1
    return c


def main(topics, frames, tone):
    # topics
    h, cats, ent, neg, negation = load(topics)
    check_common(topics, "topics", h, cats, ent, True)
    tops = sorted(p for p in cats if p.count("/") == 1)
    if len(tops) < 12:
        bad(topics, 1, "only %d top-level topics" % len(tops))
    c = counts_by(ent, 2)
    for t in tops:
        for lang, m in MIN_FULL.items():
            if c.get((t, lang), 0) < m:
                bad(topics, cats[t][1], "%s has %d %s entries (< %d)" % (t, c.get((t, lang), 0), lang, m))
        for lang in SEEDS:
            if c.get((t, lang), 0) < MIN_SEED:
                bad(topics, cats[t][1], "%s has %d %s seed entries (< %d)" % (t, c.get((t, lang), 0), lang, MIN_SEED))
    # frames
    h, cats, ent, neg, negation = load(frames)
    check_common(frames, "frames", h, cats, ent, True)
    c = counts_by(ent, 2)
    fr = sorted(p for p in cats if p.count("/") == 1)
    if len(fr) < 10:
        bad(frames, 1, "only %d frames" % len(fr))
    for t in fr:
        for lang, m in MIN_FRAME.items():
            if c.get((t, lang), 0) < m:
                bad(frames, cats[t][1], "%s has %d %s entries (< %d)" % (t, c.get((t, lang), 0), lang, m))
    # tone
    h, cats, ent, neg, negation = load(tone)
    check_common(tone, "tone", h, cats, ent, True)
    for lang in ("en", "zh"):
        if len(neg.get(lang, [])) < 5:
            bad(tone, 1, "fewer than 5 @negators for %s" % lang)
    if not negation:
        bad(tone, 1, "no @negation window")
    per = {}
    for cat, lang, term, o, n, blocking in ent:
        if blocking:
            continue
        per[lang] = per.get(lang, 0) + 1
        try:
            w = float(o.get("w", "1"))
        except ValueError:
            bad(tone, n, "bad weight")
            continue
        if not (-5 <= w <= 5) or w == 0:
            bad(tone, n, "weight %g of '%s' outside [-5, 5] or zero" % (w, term))
        if cat.startswith("tone/positive") and w < 0 or cat.startswith("tone/negative") and w > 0:
            bad(tone, n, "'%s' in %s has weight %g of the wrong sign" % (term, cat, w))
    for lang, m in MIN_TONE.items():
        if per.get(lang, 0) < m:
            bad(tone, 1, "tone has %d %s entries (< %d)" % (per.get(lang, 0), lang, m))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
