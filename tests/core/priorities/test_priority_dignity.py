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


# Need–solidarity against human dignity: raising a worse-off group's priority, or naming an
# equity goal, is allowed (with the principle named); lowering a group's priority on age,
# lifestyle or social position as a general ground is refused, whatever equity words surround it.
EQUITY_ALLOWED = [
    # (criterion, protected grounds it names)
    ("Stort gap i socioekonomiskt utsatta kommuner; jämlik hälsa", ("social ställning",)),
    ("prioritera kommuner med stora hälsogap", ()),
    ("jämlik hälsa", ()),
    ("socioekonomiskt utsatta områden först", ("social ställning",)),
    ("minska skillnaderna i hälsa mellan grupper", ()),
    ("prioritera barn i familjer med låg inkomst", ("ålder", "social ställning")),
    ("satsa mer på grupper med låg utbildning", ("social ställning",)),
    ("prioritera socioekonomiskt utsatta områden framför välbärgade", ("social ställning",)),
    ("rikta insatserna till dem som har svårt att göra sin röst hörd", ()),
    ("äldre som bor ensamma och har stora behov ges företräde", ("ålder",)),
    ("proportionell universalism: mer insatser där ohälsan är störst", ()),
    ("arbetslösa med större behov går först", ("social ställning",)),
]

LOWERING_REFUSED = [
    ("lägre prioritet för rökare", "levnadsvanor"),
    ("äldre över 80 prioriteras ned", "ålder"),
    ("de som själva orsakat sin sjukdom får vänta", "levnadsvanor"),
    ("den som har sig själv att skylla får vänta", "levnadsvanor"),
    ("eget val att röka ger lägre prioritet", "levnadsvanor"),
    ("personer med övervikt får vänta längre", "levnadsvanor"),
    ("prioritera unga framför äldre", "ålder"),
    ("högre prioritet för unga framför gamla", "ålder"),
    ("arbetslösa får vänta", "social ställning"),
    ("utlandsfödda prioriteras lägre", "social ställning"),
    ("lägre prioritet för låginkomsttagare", "social ställning"),
    # The better-off first is not need–solidarity.
    ("prioritera rika kommuner framför fattiga", "social ställning"),
    # Equity words do not make a lowering acceptable.
    ("socioekonomiskt utsatta prioriteras ned", "social ställning"),
    ("jämlik hälsa men lägre prioritet för rökare", "levnadsvanor"),
    ("stora hälsogap, men äldre över 80 får vänta", "ålder"),
]


@pytest.mark.parametrize(("criterion", "grounds"), EQUITY_ALLOWED)
def test_equity_goals_and_priority_for_the_worse_off_are_allowed_by_need_solidarity(
    criterion, grounds
):
    (verdict,) = check_criteria(criterion)
    assert verdict.allowed, verdict.explanation
    assert verdict.grounds == grounds
    assert verdict.explanation.startswith("Godtas")
    assert "behovs-solidaritetsprincipen" in verdict.explanation
    assert "prop. 1996/97:60" in verdict.explanation


@pytest.mark.parametrize(("criterion", "ground"), LOWERING_REFUSED)
def test_lowering_priority_on_age_lifestyle_or_social_position_is_refused(criterion, ground):
    (verdict,) = check_criteria(criterion)
    assert not verdict.allowed, verdict.explanation
    assert ground in verdict.grounds
    assert verdict.explanation.startswith("Avvisas") and "prop. 1996/97:60" in verdict.explanation


def test_the_equity_criterion_from_the_needs_analysis_passes_the_guard():
    criterion = "Stort gap i socioekonomiskt utsatta kommuner; jämlik hälsa"
    (verdict,) = ensure_criteria_allowed(criterion)
    assert "jämlik" in verdict.explanation and "störst behov" in verdict.explanation


def test_self_inflicted_illness_is_named_in_the_refusal_and_may_be_ruled_out():
    (refused,) = check_criteria("de som själva orsakat sin sjukdom får vänta")
    assert "självförvållad" in refused.explanation
    (allowed,) = check_criteria("självförvållad ohälsa får inte leda till sämre behandling")
    assert allowed.allowed and allowed.explanation.startswith("Godtas")


def test_a_refused_lowering_says_it_is_not_need_solidarity_when_equity_words_are_present():
    (verdict,) = check_criteria("jämlik hälsa men lägre prioritet för rökare")
    assert "sänker prioriteten" in verdict.explanation


@pytest.mark.parametrize(
    "criterion",
    [
        "prioritera inte utsatta områden",
        "utsatta grupper ska inte ges företräde",
        "inget företräde för kommuner med stora hälsogap",
    ],
)
def test_withholding_priority_from_the_worse_off_is_refused_under_need_solidarity(criterion):
    (verdict,) = check_criteria(criterion)
    assert not verdict.allowed, verdict.explanation
    assert verdict.explanation.startswith("Avvisas")
    assert "behovs-solidaritetsprincipen" in verdict.explanation


def test_a_comparison_follows_the_need_or_is_a_lowering():
    need_first, better_off_first = check_criteria(
        ["prioritera utsatta områden före välbärgade", "prioritera välbärgade före utsatta områden"]
    )
    assert need_first.allowed and "störst behov går före" in need_first.explanation
    assert not better_off_first.allowed and "sänker prioriteten" in better_off_first.explanation
    # "före" outside a sentence about priority is not a comparison.
    (verdict,) = check_criteria("rökstopp före operation minskar komplikationer")
    assert verdict.allowed


def test_a_large_gap_in_a_worse_off_group_stated_alone_is_a_need_not_a_lowering():
    (verdict,) = check_criteria(["Stort gap i socioekonomiskt utsatta kommuner."])
    assert verdict.allowed and "behov" in verdict.explanation
