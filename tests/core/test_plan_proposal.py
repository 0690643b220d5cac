"""The proposal for a verksamhetsplan: budgets counted once, a missing assignment flagged in
every format, and each assignment's standing in the region's documents said in words."""

from __future__ import annotations

import io

from docx import Document

from halsogap.assignments.plan_proposal import (
    MISSING,
    NO_PLAN,
    PlanProposalContent,
    ProposalAssignment,
    ProposalNeed,
    render_proposal_docx,
    render_proposal_html,
)

CARRIED = ProposalAssignment(
    "Rökfri vardag", "VC Rinkeby", "Uppföljning", budget=1_800_000,
    documents=("Regionplan 2024–2027", "Verksamhetsplan 2027"), in_plan=True,
)  # fmt: skip
LEFT_OUT = ProposalAssignment(
    "Fysisk aktivitet på recept", "VC Tensta", "Beslut", budget=200_000,
    documents=("Regionplan 2024–2027",), in_plan=False,
)  # fmt: skip
CONTENT = PlanProposalContent(
    "Förslag till verksamhetsplan och budget 2027", "Region Stockholm", 2027, "2026-12-02",
    decisions=("Prioriteringsbeslut version 1 – budget 6 000 000 kr",),
    needs=(
        ProposalNeed("Daglig rökning", "4,0 %", (CARRIED, LEFT_OUT)),
        ProposalNeed("Fysisk aktivitet", "bästa regionen", (LEFT_OUT,)),
    ),
    plan_title="Verksamhetsplan 2027",
)  # fmt: skip


def test_an_assignment_under_two_needs_is_budgeted_and_flagged_once():
    assert CONTENT.total_budget == 2_000_000
    assert CONTENT.missing == ["Fysisk aktivitet på recept"]
    assert CONTENT.needs[0].budget == 2_000_000


def test_the_standing_says_which_documents_carry_it_and_when_the_plan_does_not():
    assert CARRIED.standing == "finns i Regionplan 2024–2027, Verksamhetsplan 2027"
    assert LEFT_OUT.standing == f"{MISSING} (finns i Regionplan 2024–2027)"
    assert ProposalAssignment("U", "", "Beslut").standing == NO_PLAN


def test_the_page_html_and_the_word_document_both_flag_the_missing_assignment():
    html = render_proposal_html(CONTENT)
    assert "<strong>Saknas i verksamhetsplanen:</strong> Fysisk aktivitet på recept" in html
    assert html.count(f'<dd class="missing">{MISSING}') == 2  # under each of its needs
    word = Document(io.BytesIO(render_proposal_docx(CONTENT)))
    text = [p.text for p in word.paragraphs]
    assert "Saknas i verksamhetsplanen: Fysisk aktivitet på recept" in text
    assert "Budget: 1\xa0800\xa0000 kr" in text
