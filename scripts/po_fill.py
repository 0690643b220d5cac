"""Fill the English catalogue from scripts/translations_en.tsv (Swedish<TAB>English).

Developer tool: after ``manage.py makemessages -l en``, run
``.venv/bin/python scripts/po_fill.py`` and then ``manage.py compilemessages``. Swedish is the
source language, so every msgid is Swedish and the catalogue holds the English text.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "halsogap_web" / "locale" / "en" / "LC_MESSAGES" / "django.po"
TSV = ROOT / "scripts" / "translations_en.tsv"


def unquote(lines: list[str]) -> str:
    text = "".join(line.strip()[1:-1] for line in lines)
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main() -> int:
    with open(TSV, encoding="utf-8") as fh:
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
            head = [line for line in head if not line.startswith("#, fuzzy")]
            out.append(
                "\n".join(
                    head + [f"msgstr[0] {quote(one or '')}", f"msgstr[1] {quote(many or '')}"]
                )
            )
            continue
        english = table.get(msgid)
        if english is None:
            missing.append(msgid)
        head = [line for line in head if not line.startswith("#, fuzzy")]
        out.append("\n".join(head + [f"msgstr {quote(english or '')}"]))
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for m in missing:
        print("saknar översättning:", m, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
