"""Fill the English catalogue from scripts/translations_en.tsv (Swedish<TAB>English).

Developer tool: after ``manage.py makemessages -l en``, run
``.venv/bin/python scripts/po_fill.py`` and then ``manage.py compilemessages``. Swedish is the
source language, so every msgid is Swedish and the catalogue holds the English text.

The TSV is read with the csv module: one ``Swedish<TAB>English`` pair a line, a multi-line msgid
joined into one line. A plural entry needs two lines (singular, then plural). A string that
starts with ``"`` or contains a tab or a newline must be written as a CSV quoted field
(``"…"``, with ``"`` doubled inside it); a literal tab or newline inside the quotes is kept.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "halsogap_web" / "locale" / "en" / "LC_MESSAGES" / "django.po"
TSV = ROOT / "scripts" / "translations_en.tsv"


_UNESCAPE = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unquote(lines: list[str]) -> str:
    # Decode PO escapes in one pass, so that an escaped backslash followed by
    # "n" (``\\n``) stays a backslash and an "n" rather than becoming a newline.
    text = "".join(line.strip()[1:-1] for line in lines)
    return re.sub(r"\\(.)", lambda m: _UNESCAPE.get(m.group(1), m.group(0)), text)


def quote(text: str) -> str:
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        + '"'
    )


def defuzz(head: list[str]) -> list[str]:
    """Drop the fuzzy flag (keeping e.g. python-format) and the stale ``#|`` previous msgid."""
    out = []
    for line in head:
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        out.append(line)
    return out


def main() -> int:
    with open(TSV, encoding="utf-8", newline="") as fh:
        table = {row[0]: row[1] for row in csv.reader(fh, delimiter="\t") if len(row) == 2}
    out, missing = [], []
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        lines = block.split("\n")
        text = "\n".join(lines)
        ids = re.search(r'^msgid ((?:".*"\n?)+)', text, re.M)
        if not ids or block is blocks[0]:
            out.append(block)
            continue
        msgid = unquote(ids.group(1).strip().split("\n"))
        # Rebuild: comments and msgid lines, then our msgstr.
        head, seen_msgstr = [], False
        for line in lines:
            if line.startswith("msgstr"):
                seen_msgstr = True
            if not seen_msgstr:
                head.append(line)
        if "msgid_plural" in text:
            plural = unquote(
                re.search(r'^msgid_plural ((?:".*"\n?)+)', text, re.M).group(1).strip().split("\n")
            )
            one, many = table.get(msgid), table.get(plural)
            if one is None or many is None:
                missing.append(msgid)
            head = defuzz(head)
            out.append(
                "\n".join(
                    head + [f"msgstr[0] {quote(one or '')}", f"msgstr[1] {quote(many or '')}"]
                )
            )
            continue
        english = table.get(msgid)
        if english is None:
            missing.append(msgid)
        head = defuzz(head)
        out.append("\n".join(head + [f"msgstr {quote(english or '')}"]))
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for m in missing:
        print("saknar översättning:", m, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
