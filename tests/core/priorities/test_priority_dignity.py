"""The human-dignity guard (prop. 1996/97:60): case by case."""

from __future__ import annotations

import pytest

from halsogap.priorities import HumanDignityError, check_criteria, ensure_criteria_allowed

REFUSED = [
    # Lifestyle as a general ground.
    ("lägre prioritet för rökare", "levnadsvanor"),
    ("personer med fetma nedprioriteras", "levnadsvanor"),
    ("den som dricker alkohol får vänta", "levnadsvanor"),
    # Self-inflicted: refused even when it mentions benefit.
    ("rökare har sig själva att skylla och har mindre nytta", "levnadsvanor"),
    ("självförvållad ohälsa ger lägre prioritet", "levnadsvanor"),
    # Age as a general ground, also without a verb.
    ("över 80 år", "ålder"),
    ("nedprioritera personer över 80 år", "ålder"),
    ("prioritera unga framför äldre", "ålder"),
    ("lägre prioritet för pensionärer", "ålder"),
    # Social and economic position, also with a "benefit" argument.
    ("låg inkomst", "social ställning"),
    ("arbetslösa prioriteras lägre", "social ställning"),
    (
        "lägre prioritet för den som inte är arbetsför eftersom samhällsnyttan är mindre",
        "social ställning",
    ),
    ("den som kan betala själv prioriteras ned", "social ställning"),
    # Personal characteristics.
    ("lägre prioritet för män", "personliga egenskaper"),
]

ALLOWED = [
    # Through the medical condition or the benefit of the measure.
    ("rökare får lägre prioritet eftersom rökning minskar nyttan av operationen", "levnadsvanor"),
    ("ålder spelar in genom samsjuklighet och förväntad nytta", "ålder"),
    (
        "lägre prioritet för personer över 80 år när risken för komplikationer överstiger nyttan",
        "ålder",
    ),
    # Need–solidarity: more priority where the need is greater.
    ("högre prioritet för grupper med låg inkomst", "social ställning"),
    ("större hälsogap i områden med låg utbildningsnivå", "social ställning"),
    ("företräde för barn i utsatta områden", "ålder"),
    # A statement that the group must not be down-ranked.
    ("rökare ska inte prioriteras ned", "levnadsvanor"),
    ("ålder får inte prioriteras ned som allmän grund", "ålder"),
]

NEUTRAL = [
    "stor svårighetsgrad",
    "hög patientnytta",
    "kostnad per QALY under 500 000 kr",
    "stark evidens",
]


@pytest.mark.parametrize(("criterion", "ground"), REFUSED)
def test_refused(criterion, ground):
    (verdict,) = check_criteria(criterion)
    assert not verdict.allowed, verdict.explanation
    assert ground in verdict.grounds
    assert verdict.explanation.startswith("Avvisas")
    assert "prop. 1996/97:60" in verdict.explanation


@pytest.mark.parametrize(("criterion", "ground"), ALLOWED)
def test_allowed_with_a_reason(criterion, ground):
    (verdict,) = check_criteria(criterion)
    assert verdict.allowed, verdict.explanation
    assert ground in verdict.grounds
    assert verdict.explanation.startswith("Godtas") and "prop. 1996/97:60" in verdict.explanation


@pytest.mark.parametrize("criterion", NEUTRAL)
def test_criteria_without_a_protected_ground_pass(criterion):
    (verdict,) = check_criteria(criterion)
    assert verdict.allowed and verdict.grounds == ()


def test_explanations_say_what_the_ground_may_matter_through():
    age, habit, social = check_criteria(["över 80 år", "lägre prioritet för rökare", "låg inkomst"])
    assert "medicinska tillståndet" in age.explanation and "nytta" in age.explanation
    assert "påverkar nyttan" in habit.explanation and "självförvållad" in habit.explanation
    assert "behovs-solidaritetsprincipen" in social.explanation


def test_ensure_raises_for_any_refusal_and_keeps_all_verdicts():
    with pytest.raises(HumanDignityError) as error:
        ensure_criteria_allowed(["stor svårighetsgrad", "lägre prioritet för rökare"])
    assert [v.allowed for v in error.value.verdicts] == [True, False]
    assert "lägre prioritet för rökare" in str(error.value)
    assert ensure_criteria_allowed("hög nytta")[0].allowed


def test_blank_criteria_are_skipped_and_non_text_refused():
    assert check_criteria(["", "  "]) == []
    with pytest.raises(ValueError):
        check_criteria([3])
