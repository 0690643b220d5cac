"""The network's follow-up questions: answers are checked against their kind and summarised
across member regions, with the regions that have not answered named."""

from __future__ import annotations

import pytest

from halsogap.selfevaluation.follow_up import (
    AnswerError,
    RegionAnswer,
    parse_answer,
    summarise_answers,
)


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [("scale", "1", "1"), ("scale", " 10 ", "10"), ("scale", "07", "7"),
     ("yes_no", "JA", "ja"), ("yes_no", "nej", "nej"), ("text", "  Bra  ", "Bra")],
)  # fmt: skip
def test_it_stores_an_answer_that_fits_its_kind(kind, raw, stored):
    assert parse_answer(kind, raw) == stored


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [("scale", "0", "heltal från 1 till 10"), ("scale", "7,5", "heltal från 1 till 10"),
     ("scale", "١", "heltal från 1 till 10"), ("yes_no", "kanske", '"ja" eller "nej"'),
     ("text", "   ", "Svaret saknas."), ("text", "x" * 2001, "högst 2000 tecken"),
     ("graded", "3", "Okänd frågetyp")],
)  # fmt: skip
def test_it_refuses_an_answer_that_does_not_fit_and_says_what_was_expected(kind, raw, message):
    with pytest.raises(AnswerError, match=message):
        parse_answer(kind, raw)


def test_a_scale_question_is_summarised_by_the_mean_of_the_regions_that_answered():
    summary = summarise_answers(
        "Hur väl?",
        "scale",
        [RegionAnswer("Region Östergötland", "9"), RegionAnswer("Region Dalarna", "4"),
         RegionAnswer("Region Skåne", "5")],
        regions=["Region Dalarna", "Region Skåne", "Region Östergötland", "Region Uppsala"],
    )  # fmt: skip
    assert summary.mean == pytest.approx(6.0)
    assert summary.headline == "Medel 6,0 av 10 (3 regioner)"
    assert summary.missing == ("Region Uppsala",)
    assert [a.region for a in summary.answers] == [
        "Region Dalarna", "Region Skåne", "Region Östergötland"
    ]  # fmt: skip


def test_a_yes_no_question_counts_yes_and_a_single_region_is_one_region():
    summary = summarise_answers("Använt?", "yes_no", [RegionAnswer("Region Skåne", "ja")])
    assert (summary.yes, summary.mean) == (1, None)
    assert summary.headline == "1 av 1 region svarar ja"


def test_a_question_nobody_answered_says_so_and_names_every_region_missing():
    summary = summarise_answers("Fritt?", "text", [], regions=["Region B", "Region A"])
    assert summary.headline == "Inga svar ännu"
    assert summary.missing == ("Region A", "Region B")
