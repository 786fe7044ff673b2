#!/usr/bin/env python3
"""Looks for secrets in screen captures, SVG screenshots and reports. Used by secrets.sh.

    leaks.py SECRETS_TSV --none FILE...   exit 1 when a file holds a secret, or any 10-character
                                          piece of one (cut at a pane edge, split by wrapping)
    leaks.py SECRETS_TSV --all FILE...    exit 1 unless every secret is whole in some file row

SECRETS_TSV holds `what<TAB>secret` lines (tests/fixtures/secrets/secrets.tsv). An .svg file
(ansi2svg.py's output) is read as the terminal it shows: its <text> runs put back on their cell
grid, one row per line, so a secret split over differently coloured runs is still found; the
SVG source is searched as it is too.
"""
import html
import re
import sys

PIECE = 10
CW, CH, BASELINE = 8.43, 18, 13.5  # ansi2svg.py's cell size and text baseline


def secrets(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                what, secret = line.split("\t", 1)
                out.append((what, secret))
    return out


def svg_rows(source):
    grid = {}
    for m in re.finditer(r'<text x="([0-9.]+)" y="([0-9.]+)"[^>]*>(.*?)</text>', source, re.S):
        col = round(float(m.group(1)) / CW)
        row = round((float(m.group(2)) - BASELINE) / CH)
        for i, ch in enumerate(html.unescape(m.group(3))):
            grid.setdefault(row, {})[col + i] = ch
    rows = []
    for r in sorted(grid):
        cells = grid[r]
        rows.append("".join(cells.get(c, " ") for c in range(max(cells) + 1)))
    return rows


def rows_of(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if path.endswith(".svg"):
        return svg_rows(text) + [text]
    return text.split("\n")


def main():
    tsv, mode, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    all_secrets = secrets(tsv)
    if mode == "--none":
        pieces = {}
        for what, s in all_secrets:
            n = min(PIECE, len(s))
            for i in range(len(s) - n + 1):
                pieces[s[i:i + n]] = what
        leaks = set()
        for path in files:
            for row in rows_of(path):
                for i in range(len(row) - PIECE + 1):
                    what = pieces.get(row[i:i + PIECE])
                    if what:
                        leaks.add(f"{what}: '{row[i:i + PIECE]}' in {path}: {row.strip()[:160]}")
        for l in sorted(leaks):
            print("LEAK", l)
        sys.exit(1 if leaks else 0)
    if mode == "--all":
        seen = [r for path in files for r in rows_of(path)]
        missing = [(w, s) for w, s in all_secrets if not any(s in r for r in seen)]
        for w, s in missing:
            print(f"NOT SHOWN {w}: {s}")
        sys.exit(1 if missing else 0)
    sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
