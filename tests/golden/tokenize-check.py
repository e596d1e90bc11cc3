#!/usr/bin/python3
"""Checks of `narrate tokenize` output that do not depend on golden files.

  tokenize-check.py offsets INPUT TSV    every token's bytes INPUT[offset:offset+length]
                                         equal its (unescaped) surface column, tokens
                                         are in order and do not overlap, and every
                                         line has the 7 documented columns
  tokenize-check.py same JSONL TSV       the JSONL output holds the same tokens as the
                                         TSV output (fields unescaped / decoded)

Exit 0 when the check holds; otherwise print what is wrong and exit 1.
Written for narrate; CC0.
"""
import json
import sys

TYPES = {"word", "number", "url", "email", "mention", "hashtag", "emoji", "punct"}
ESC = {b"t": b"\t", b"n": b"\n", b"r": b"\r", b"\\": b"\\"}


def unescape(field):
    out = bytearray()
    i = 0
    while i < len(field):
        c = field[i:i + 1]
        if c == b"\\":
            nxt = field[i + 1:i + 2]
            if nxt not in ESC:
                raise ValueError("bad escape %r" % field[i:i + 2])
            out += ESC[nxt]
            i += 2
        else:
            out += c
            i += 1
    return bytes(out)


def read_tsv(path):
    rows = []
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            if not line.endswith(b"\n"):
                raise ValueError("%s:%d: no newline at the end" % (path, n))
            cols = line[:-1].split(b"\t")
            if len(cols) != 7:
                raise ValueError("%s:%d: %d columns, not 7" % (path, n, len(cols)))
            off, length, typ, surface, norm, stem, stop = cols
            if typ.decode() not in TYPES:
                raise ValueError("%s:%d: unknown type %r" % (path, n, typ))
            if stop not in (b"0", b"1"):
                raise ValueError("%s:%d: stop is %r" % (path, n, stop))
            rows.append((n, int(off), int(length), typ.decode(), unescape(surface),
                         unescape(norm), unescape(stem), stop == b"1"))
    return rows


def offsets(inp, tsv):
    data = open(inp, "rb").read()
    bad = 0
    end = 0
    for n, off, length, typ, surface, norm, stem, stop in read_tsv(tsv):
        if off < end:
            print("%s:%d: token at %d overlaps or precedes the previous one (ends %d)"
                  % (tsv, n, off, end))
            bad += 1
        end = off + length
        if length == 0 or end > len(data):
            print("%s:%d: span %d+%d outside the %d-byte input" % (tsv, n, off, length, len(data)))
            bad += 1
        elif data[off:end] != surface:
            print("%s:%d: input[%d:%d] is %r, surface column is %r"
                  % (tsv, n, off, end, data[off:end], surface))
            bad += 1
    return bad


def same(jsonl, tsv):
    rows = read_tsv(tsv)
    objs = []
    with open(jsonl, "rb") as f:
        for line in f:
            objs.append(json.loads(line))
    if len(objs) != len(rows):
        print("%s has %d tokens, %s has %d" % (jsonl, len(objs), tsv, len(rows)))
        return 1
    bad = 0
    for o, (n, off, length, typ, surface, norm, stem, stop) in zip(objs, rows):
        want = {"offset": off, "length": length, "type": typ,
                "surface": surface.decode("utf-8", "replace"),
                "norm": norm.decode(), "stem": stem.decode(), "stop": stop}
        if o != want:
            print("%s:%d: JSONL %r differs from TSV %r" % (tsv, n, o, want))
            bad += 1
    return bad


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("offsets", "same"):
        sys.stderr.write(__doc__)
        return 2
    try:
        bad = (offsets if sys.argv[1] == "offsets" else same)(sys.argv[2], sys.argv[3])
    except ValueError as e:
        print(e)
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
