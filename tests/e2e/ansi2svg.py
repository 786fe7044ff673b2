#!/usr/bin/env python3
"""Turns `tmux capture-pane -e -p` output (text with SGR colour codes) into an SVG of the
terminal: one cell grid, DejaVu Sans Mono, backgrounds as rectangles. Used by screenshots.sh.

    ansi2svg.py COLS ROWS < capture.txt > screen.svg
"""
import html
import re
import sys

CW, CH, FS = 8.43, 18, 14  # cell width/height (px) and font size for DejaVu Sans Mono
DEFAULT_FG, DEFAULT_BG = "#c8ccd4", "#1b1e25"
BASIC = ["#1b1e25", "#e06c75", "#98c379", "#e5c07b", "#61afef", "#c678dd", "#56b6c2", "#c8ccd4",
         "#5c6370", "#ff7b86", "#b5e890", "#ffd68a", "#82c4ff", "#de9bf2", "#7fd6e0", "#ffffff"]


def xterm256(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        lv = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (lv[n // 36], lv[n // 6 % 6], lv[n % 6])
    g = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (g, g, g)


class Pen:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def apply(self, params):
        ps = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(ps):
            p = ps[i]
            if p == 0:
                self.reset()
            elif p == 1:
                self.bold = True
            elif p == 2:
                self.dim = True
            elif p == 3:
                self.italic = True
            elif p == 4:
                self.underline = True
            elif p == 7:
                self.reverse = True
            elif p == 22:
                self.bold = self.dim = False
            elif p == 23:
                self.italic = False
            elif p == 24:
                self.underline = False
            elif p == 27:
                self.reverse = False
            elif 30 <= p <= 37:
                self.fg = BASIC[p - 30]
            elif 90 <= p <= 97:
                self.fg = BASIC[p - 90 + 8]
            elif 40 <= p <= 47:
                self.bg = BASIC[p - 40]
            elif 100 <= p <= 107:
                self.bg = BASIC[p - 100 + 8]
            elif p == 39:
                self.fg = None
            elif p == 49:
                self.bg = None
            elif p in (38, 48) and i + 1 < len(ps):
                if ps[i + 1] == 5 and i + 2 < len(ps):
                    c = xterm256(ps[i + 2])
                    i += 2
                elif ps[i + 1] == 2 and i + 4 < len(ps):
                    c = "#%02x%02x%02x" % tuple(ps[i + 2:i + 5])
                    i += 4
                else:
                    c = None
                if p == 38:
                    self.fg = c
                else:
                    self.bg = c
            i += 1

    def colours(self):
        fg, bg = self.fg or DEFAULT_FG, self.bg or DEFAULT_BG
        if self.reverse:
            fg, bg = bg, fg
        return fg, bg


def parse(text, cols, rows):
    grid = [[(" ", DEFAULT_FG, DEFAULT_BG, False, False, False)] * cols for _ in range(rows)]
    pen = Pen()
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for m in re.finditer(r"\x1b\[([0-9;]*)m|\x1b[^m]*?[A-Za-z]|(.)", line):
            if m.group(2) is None:
                if m.group(0).endswith("m") and m.group(0).startswith("\x1b["):
                    pen.apply(m.group(1))
                continue
            if x < cols:
                fg, bg = pen.colours()
                grid[y][x] = (m.group(2), fg, bg, pen.bold, pen.italic, pen.underline)
            x += 1
    return grid


def svg(grid, cols, rows):
    w, h = cols * CW + 16, rows * CH + 16
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h}" viewBox="0 0 {w:.0f} {h}">',
           f'<rect width="100%" height="100%" fill="{DEFAULT_BG}" rx="6"/>',
           '<g transform="translate(8,8)" font-family="DejaVu Sans Mono, monospace" '
           f'font-size="{FS}px" xml:space="preserve">']
    for y, row in enumerate(grid):
        x = 0
        while x < cols:  # background runs
            bg = row[x][2]
            end = x
            while end < cols and row[end][2] == bg:
                end += 1
            if bg != DEFAULT_BG:
                out.append(f'<rect x="{x * CW:.2f}" y="{y * CH}" width="{(end - x) * CW + 0.5:.2f}" '
                           f'height="{CH}" fill="{bg}"/>')
            x = end
        x = 0
        while x < cols:  # text runs of one style, ASCII only (other glyphs get a cell each)
            ch, fg, _, bold, italic, ul = row[x]
            end = x + 1
            if ord(ch) < 128:
                while end < cols and row[end][1:] == row[x][1:] and ord(row[end][0]) < 128:
                    end += 1
            run = "".join(c[0] for c in row[x:end])
            if run.strip():
                attrs = f'fill="{fg}"'
                if bold:
                    attrs += ' font-weight="bold"'
                if italic:
                    attrs += ' font-style="italic"'
                if ul:
                    attrs += ' text-decoration="underline"'
                out.append(f'<text x="{x * CW:.2f}" y="{y * CH + 13.5}" {attrs}>{html.escape(run)}</text>')
            x = end
    out.append("</g></svg>")
    return "\n".join(out)


def main():
    cols, rows = int(sys.argv[1]), int(sys.argv[2])
    text = sys.stdin.read()
    print(svg(parse(text, cols, rows), cols, rows))


if __name__ == "__main__":
    main()
