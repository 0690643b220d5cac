from datetime import date

from halsogap.arshjul import DEFAULT_STEPS, StepState, month_span, wheel_svg, where_now


def steps_for(year: int, done: set[int] = frozenset()) -> list[StepState]:
    return [
        StepState(i, s.title, *month_span(year, s.month), done=i in done)
        for i, s in enumerate(DEFAULT_STEPS, start=1)
    ]


def test_default_template_has_the_nine_steps_of_the_seed_wheel_in_order():
    keys = [s.key for s in DEFAULT_STEPS]
    assert keys == [
        "identifiera",
        "brister",
        "arsredovisning",
        "beskriva",
        "dialog_behov",
        "prioritera",
        "dialog_konsekvenser",
        "forslag",
        "fullmaktige",
    ]
    assert all(1 <= s.month <= 12 for s in DEFAULT_STEPS)
    assert [s.month for s in DEFAULT_STEPS] == sorted(s.month for s in DEFAULT_STEPS)


def test_a_step_past_its_due_date_is_overdue_until_done():
    step = StepState(1, "Underlag", date(2026, 1, 1), date(2026, 1, 31), done=False)
    assert step.status(date(2026, 2, 1)) == "overdue"
    assert step.status(date(2026, 1, 31)) == "current"
    finished = StepState(1, "Underlag", date(2026, 1, 1), date(2026, 1, 31), done=True)
    assert finished.status(date(2026, 6, 1)) == "done"


def test_now_follows_the_calendar_and_next_is_the_first_step_not_yet_started():
    now, upcoming = where_now(steps_for(2026), date(2026, 6, 15))
    assert now.title.startswith("Prioritera")
    assert upcoming.title.startswith("Dialog med verksamheter och behovsgrupper om konsekvenser")


def test_in_a_month_without_a_step_nothing_is_now_but_the_next_step_is_named():
    now, upcoming = where_now(steps_for(2026), date(2026, 7, 10))
    assert now is None
    assert upcoming.number == 7


def test_a_finished_step_is_neither_now_nor_next():
    now, _ = where_now(steps_for(2026, done={6}), date(2026, 6, 15))
    assert now is None


def test_wheel_draws_twelve_months_and_one_marker_per_step_with_its_status():
    svg = wheel_svg(steps_for(2026, done={1}), year=2026, today=date(2026, 3, 10))
    assert svg.count("<path") == 12
    assert svg.count("<circle") == len(DEFAULT_STEPS)
    assert "1. På befolkningsnivå" in svg and "(klart)" in svg
    assert "2. Identifierade brister" in svg and "(försenat)" in svg
    assert "(pågår)" in svg
