#!/usr/bin/python3
"""Build the language-identification evaluation set from text on this machine.

    /usr/bin/python3 scripts/langid-eval-data.py [OUT.tsv]   (default
        bench/data/langid-eval.tsv, git-ignored)

Writes "lang<TAB>source<TAB>text" lines, read by bench/bench_langid.c:
  ref-para, ref-sent: paragraphs (60-600 characters) and sentences (20-140)
      of the Debian Reference in its translations (debian-reference-<lang>
      packages; GPL-2+, read here and never committed); in a translation, a
      paragraph or sentence found verbatim in the English original (left
      untranslated) is dropped;
  mo: translated program messages from /usr/share/locale/<lang>/LC_MESSAGES
      (gettext catalogs of the installed packages), format directives,
      options and markup removed, at least 12 letters; the English side is
      the catalogs' msgids.
300 paragraphs, 300 sentences and 400 messages per language at most, drawn
with a fixed seed, so the same machine gives the same set.
"""
import gettext
import glob
import gzip
import os
import random
import re
import sys
import unicodedata

REF = "/usr/share/debian-reference"
MO_LANGS = ("de es fr it pt nl ru uk bg zh_CN ja ko ar fa tr pl sv vi id th he el hi "
            "cs da fi hu ro sk ca").split()
FMT = re.compile(r"%[-#0 +'I]*\d*(\.\d+)?[hlLqjzt]*[a-zA-Z%]|\{[^}]*\}|\$\{?\w+\}?|--?[\w-]+"
                 r"|<[^>]+>|&\w+;|\\\w")


def letters(t):
    return sum(1 for c in t if unicodedata.category(c).startswith("L"))


def clean(t):
    return " ".join(FMT.sub(" ", t.replace("_", "").replace("&", "")).split())


def main(argv):
    out_path = argv[1] if len(argv) > 1 else "bench/data/langid-eval.tsv"
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    rnd = random.Random(7)
    out = open(out_path, "w", encoding="utf-8")

    def emit(lang, src, t):
        t = " ".join(t.split())
        if t:
            out.write(f"{lang}\t{src}\t{t}\n")

    en_path = f"{REF}/debian-reference.en.txt.gz"
    en_text = " ".join(gzip.open(en_path, "rt", encoding="utf-8").read().split()) \
        if os.path.exists(en_path) else ""
    for f in sorted(glob.glob(f"{REF}/debian-reference.*.txt.gz")):
        lang = f.split(".")[-3]
        lang = {"zh-cn": "zh", "zh-tw": "zh", "pt-br": "pt"}.get(lang, lang)
        paras = re.split(r"\n\s*\n", gzip.open(f, "rt", encoding="utf-8").read())
        good = []
        for p in paras:
            p = " ".join(p.split())
            if len(p) < 60 or len(p) > 600:
                continue
            if letters(p) < 0.7 * len(p.replace(" ", "")):
                continue
            if re.search(r"[│┌└├$#]|\b(sudo|apt|/etc/|/usr/)", p):
                continue
            good.append(p)
        rnd.shuffle(good)
        if lang != "en":
            good = [p for p in good if p not in en_text]
        for p in good[:300]:
            emit(lang, "ref-para", p)
        sents = [s for p in good[300:] for s in re.split(r"(?<=[.!?。！？])\s*", p)
                 if 20 <= len(s) <= 140]
        if lang != "en":
            sents = [s for s in sents if s not in en_text]
        rnd.shuffle(sents)
        for s in sents[:300]:
            emit(lang, "ref-sent", s)

    english = {}
    for lang in MO_LANGS:
        items = []
        for mo in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
            if os.path.basename(mo).startswith(("iso_", "geonames")):
                continue  # names, not sentences
            try:
                cat = gettext.GNUTranslations(open(mo, "rb"))._catalog
            except Exception:
                continue
            for k, v in cat.items():
                if not isinstance(k, str) or not k or not v or v == k:
                    continue
                a, b = clean(k), clean(v)
                if letters(b) < 12:
                    continue
                items.append(b)
                if letters(a) >= 12:
                    english[a] = 1
        items = sorted(set(items))
        rnd.shuffle(items)
        for t in items[:400]:
            emit(lang.split("_")[0], "mo", t)
    en = sorted(english)
    rnd.shuffle(en)
    for t in en[:400]:
        emit("en", "mo", t)
    out.close()
    print(f"langid-eval-data: wrote {out_path}")


if __name__ == "__main__":
    main(sys.argv)
