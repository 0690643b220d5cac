"""The section "Befolkningens synpunkter" of a needs analysis, in HTML (page and PDF), Word and
Excel; each renders the same :class:`~halsogap.needs.dialogues.DialogueContent` objects."""

from __future__ import annotations

from html import escape

from halsogap.needs.dialogues import NONE_RECORDED, PARTICIPANT_COLUMNS, DialogueContent


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def voice_html(dialogues: list[DialogueContent]) -> str:
    """The dialogues as HTML: heading, facts, participant table and what was said.

    >>> from halsogap.needs.dialogues import DialogueSpec, compose_dialogue
    >>> d = compose_dialogue(DialogueSpec("Unga", "Enkät", "2026-04-01", (("Unga", 40),)))
    >>> "<h3>Enkät 2026-04-01: Unga</h3>" in voice_html([d])
    True
    """
    if not dialogues:
        return f"<p>{escape(NONE_RECORDED)}</p>"
    parts = []
    for d in dialogues:
        facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in d.facts)
        table = ""
        if d.participant_rows:
            head = "".join(f'<th scope="col">{escape(c)}</th>' for c in PARTICIPANT_COLUMNS)
            body = "".join(
                f'<tr><th scope="row">{escape(g)}</th><td class="num">{escape(n)}</td></tr>'
                for g, n in d.participant_rows
            )
            table = (
                f"<table><caption>Vilka dialogen nådde</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>"
            )
        said = "".join(f"<p>{escape(p)}</p>" for p in _paragraphs(d.said)) or (
            "<p>Inget sammanfattat.</p>"
        )
        parts.append(
            f'<article class="dialogue"><h3>{escape(d.heading)}</h3>'
            f'<dl class="facts">{facts}</dl>{table}<h4>Vad som sades</h4>{said}</article>'
        )
    return "".join(parts)


def voice_docx(document, dialogues: list[DialogueContent], *, table) -> None:
    """The dialogues into a python-docx document; ``table`` is the document's table helper."""
    if not dialogues:
        document.add_paragraph(NONE_RECORDED)
        return
    for d in dialogues:
        document.add_heading(d.heading, level=2)
        for label, value in d.facts:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.space_after = 0
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        if d.participant_rows:
            table(document, PARTICIPANT_COLUMNS, d.participant_rows, {1}, [9.0, 3.0], True)
        document.add_heading("Vad som sades", level=3)
        for p in _paragraphs(d.said) or ["Inget sammanfattat."]:
            document.add_paragraph(p)


def voice_sheet(ws, dialogues: list[DialogueContent]) -> None:
    """The dialogues as one worksheet: a block per dialogue, facts then participants.

    >>> from openpyxl import Workbook
    >>> from halsogap.needs.dialogues import DialogueSpec, compose_dialogue
    >>> ws = Workbook().active
    >>> voice_sheet(ws, [compose_dialogue(DialogueSpec("Unga", "Enkät", "2026-04-01",
    ...     (("Unga", 40),)))])
    >>> ws["A3"].value, ws["A10"].value, ws["B10"].value
    ('Enkät 2026-04-01: Unga', 'Unga', '40')
    """
    from openpyxl.styles import Alignment, Font

    ws["A1"] = "Befolkningens synpunkter"
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 80
    row = 3
    if not dialogues:
        ws.cell(row=row, column=1, value=NONE_RECORDED)
        return
    for d in dialogues:
        ws.cell(row=row, column=1, value=d.heading).font = Font(bold=True, size=12)
        row += 1
        for label, value in [*d.facts, ("Vad som sades", d.said or "Inget sammanfattat.")]:
            ws.cell(row=row, column=1, value=label).font = Font(bold=True)
            cell = ws.cell(row=row, column=2, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
        if d.participant_rows:
            for col, name in enumerate(PARTICIPANT_COLUMNS, start=1):
                ws.cell(row=row, column=col, value=name).font = Font(bold=True)
            row += 1
        for group, count in d.participant_rows:
            ws.cell(row=row, column=1, value=group)
            ws.cell(row=row, column=2, value=count).alignment = Alignment(horizontal="right")
            row += 1
        row += 1
