#!/usr/bin/python3
"""report-groups-check.py REPORT.html FOLDER [HDIR]

Does a report.html drawn from a folder of `narrate analyze --group-by`
with keys other than `city` alone say "city" / "cities" only where it means
cities (docs/report.md, "Any grouping")?

Every piece of text a reader or a screen reader gets is scanned: text
nodes (headings, paragraphs, captions, table headers, chart <title> and
<desc>, tooltips, axis labels) and the attributes aria-label, title and
alt.  Data are left out first, since a city's or a term's name may hold the
word: the table bodies, the names and ids of the groups (measures.json),
the key terms (keyterms.csv), the phrases and texts of HDIR's cliches.csv
and cross_clusters.csv (whole or cut with "..."), and the lexicon table.
What is left must match one of ALLOWED, the places where "city" means a
city; anything else is printed and the exit status is 1.
"""
import csv
import html
import json
import os
import re
import sys

# Sentences (or their parts) where "city" / "cities" means cities whatever
# the grouping.  The group noun itself ("city-month", "city-platforms") is
# not a use of the word either.
ALLOWED = [
    r'how cities are talked about(?:, by [a-z ,]+)?',      # title, header
    r'\bcities\.csv\b',                                    # a file name
    r'\bcity lexicon\b',                                   # regions' source
    r'\bcity[_-]?id[s]?\b',                                # CSV column names
    r'A document attributed to several cities counts once for each\.',
    r'a document about several cities counts once for each of them; documents '
    r'without a city are counted in the manifest',
    r'--group-by [a-z_,]*city[a-z_,]*',                    # the keys as typed
    r'from its city\b',                                    # a group's region
    r'so a city counts once for each [a-z-]+ it has',      # regional means
    r'whose city it does not know',
    r'these [a-z -]+ have no city\b',
    r'Add city to --group-by',
    r'--cliche-cities',                                    # an option's name
    r'\bcity-(?:platform|month|language)s?\b',             # the group noun
    r'\b(?:platform|month|language)-cit(?:y|ies)\b',
]
WORD = re.compile(r'\bcit(?:y|ies)\b', re.I)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    page = open(sys.argv[1], encoding='utf-8').read()
    folder = sys.argv[2]
    hdir = sys.argv[3] if len(sys.argv) > 3 else None

    data = set()
    m = json.load(open(os.path.join(folder, 'measures.json'), encoding='utf-8'))
    for g in m.get('groups', []):
        for k in ('id', 'name', 'name_zh'):
            if g.get(k):
                data.add(g[k])
    data |= csv_column(os.path.join(folder, 'keyterms.csv'), 'term')
    if hdir:
        data |= csv_column(os.path.join(hdir, 'cliches.csv'), 'ngram')
        data |= csv_column(os.path.join(hdir, 'cross_clusters.csv'), 'text')
    data = sorted((d for d in data if d), key=len, reverse=True)

    page = re.sub(r'<(style|script)\b.*?</\1>', ' ', page, flags=re.S)
    page = re.sub(r'<tbody>.*?</tbody>', ' ', page, flags=re.S)
    # the lexicon table of "Data and method": lexicon roles and names
    page = re.sub(r'<table><thead><tr><th>lexicon</th>.*?</table>', ' ', page,
                  flags=re.S)
    pieces = [html.unescape(t) for t in re.findall(r'>([^<]+)<', page)]
    pieces += [html.unescape(a) for a in
               re.findall(r'\s(?:aria-label|title|alt)="([^"]*)"', page)]

    bad = []
    for t in pieces:
        t = ' '.join(t.split())
        if not WORD.search(t):
            continue
        rest = strip_data(t, data)
        for a in ALLOWED:
            rest = re.sub(a, ' ', rest, flags=re.I)
        if WORD.search(rest):
            bad.append(t)
    for t in sorted(set(bad)):
        print('"city" where the groups are not cities: ' + t)
    print('%s: %d pieces of text scanned, %d with a stray "city"'
          % (sys.argv[1], len(pieces), len(set(bad))))
    return 1 if bad else 0


def csv_column(path, name):
    out = set()
    if not os.path.exists(path):
        return out
    with open(path, encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f):
            if row.get(name):
                out.add(row[name])
    return out


def strip_data(t, data):
    """t without the data strings in it; a label cut with "..." counts
    when it starts one of them."""
    for d in data:
        if d in t:
            t = t.replace(d, ' ')
    if t.endswith('...'):
        head = t[:-3].strip(' :')
        if head and any(d.startswith(head) for d in data):
            return ''
    return t


if __name__ == '__main__':
    sys.exit(main())
