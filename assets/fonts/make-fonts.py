#!/usr/bin/env python3
"""Regenerate the subset CJK fonts in this directory.

Source: Debian package `fonts-noto-cjk` (Noto Sans CJK / Noto Serif CJK,
SIL OFL 1.1), face index 2 (SC) of the .ttc collections in
/usr/share/fonts/opentype/noto/.

Usage:
    apt-get install fonts-noto-cjk
    pip install fonttools
    python3 assets/fonts/make-fonts.py [SOURCE_DIR]

Outputs (written next to this script):
    NotoSansSC-Regular.otf  NotoSansSC-Bold.otf
    NotoSerifSC-Regular.otf NotoSerifSC-Bold.otf
"""

import os
import sys

from fontTools import subset

HERE = os.path.dirname(os.path.abspath(__file__))
SRC_DIR = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto"

# .ttc face index: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
FONT_NUMBER = 2

JOBS = [
    ("NotoSansCJK-Regular.ttc", "NotoSansSC-Regular.otf"),
    ("NotoSansCJK-Bold.ttc", "NotoSansSC-Bold.otf"),
    ("NotoSerifCJK-Regular.ttc", "NotoSerifSC-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "NotoSerifSC-Bold.otf"),
]

# Extra Unicode ranges (inclusive) on top of GBK.
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement (° × ÷ ...)
    (0x2000, 0x206F),  # General Punctuation (‰ U+2030, — … “ ” ...)
    (0x2070, 0x209F),  # Superscripts and Subscripts (₀–₉, ⁰–⁹)
    (0x2100, 0x214F),  # Letterlike Symbols (℃ № ...)
    (0x2150, 0x218F),  # Number Forms (Ⅰ Ⅱ ... Roman numerals)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical Operators (√ ≤ ≥ ...)
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (① ⑴ ⒈ ...)
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes (■ □ ▲ ○ ● ...)
    (0x2600, 0x26FF),  # Miscellaneous Symbols (★ ☆ ...)
    (0x3000, 0x303F),  # CJK Symbols and Punctuation (、。《》〇 ...)
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈠ ㊣ ...)
    (0x3300, 0x33FF),  # CJK Compatibility (㎡ ㎏ ...)
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]


def gbk_codepoints():
    """Every code point reachable by decoding a valid 2-byte GBK sequence."""
    cps = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                s = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            for ch in s:
                cp = ord(ch)
                if 0xE000 <= cp <= 0xF8FF:  # private use: no glyphs anyway
                    continue
                cps.add(cp)
    return cps


def unicodes():
    cps = gbk_codepoints()
    for lo, hi in RANGES:
        cps.update(range(lo, hi + 1))
    return sorted(cps)


def make_options():
    opts = subset.Options()
    opts.font_number = FONT_NUMBER
    # Not the default feature list: the default keeps `locl`, whose closure
    # pulls in JP/KR/TC glyph variants and nearly doubles the size.
    opts.layout_features = ["kern", "liga", "vert", "vrt2"]
    opts.hinting = False  # --no-hinting
    # Keep the whole name table (all IDs, all languages) so the family name
    # stays "Noto Sans CJK SC" / "Noto Serif CJK SC".
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.recalc_timestamp = False  # reproducible output
    return opts


def main():
    cps = unicodes()
    print(f"{len(cps)} requested code points")
    for src_name, out_name in JOBS:
        src = os.path.join(SRC_DIR, src_name)
        out = os.path.join(HERE, out_name)
        opts = make_options()
        font = subset.load_font(src, opts, dontLoadGlyphNames=True)
        sub = subset.Subsetter(options=opts)
        sub.populate(unicodes=cps)
        sub.subset(font)
        subset.save_font(font, out, opts)
        font.close()
        print(f"{out_name}: {os.path.getsize(out)} bytes")


if __name__ == "__main__":
    main()
