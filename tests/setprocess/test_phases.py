"""The airtime phase clock (actionsets/phases.py): a pure function of the airtime's start, the
round's windows, the presenter's offers choice, the round's closing and `now`."""

from datetime import UTC, datetime, timedelta

import pytest

from actionsets import phases
from actionsets.phases import Windows

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FAR = START + timedelta(days=60)
H = timedelta(hours=1)
TICK = timedelta(microseconds=1)


def _phase(now, *, windows=Windows(), offers=False, closes_at=FAR):
    spans = phases.timeline(START, windows, offers_welcome=offers, closes_at=closes_at)
    return phases.phase_at(spans, now, started_at=START).phase


@pytest.mark.parametrize("offset, expected", [
    (0 * H, phases.CLARIFYING),
    (48 * H - TICK, phases.CLARIFYING),
    (48 * H, phases.PROBING),
    (120 * H - TICK, phases.PROBING),
    (120 * H, phases.SUMMARY),          # no offers phase: the presenter did not ask
    (168 * H - TICK, phases.SUMMARY),
    (168 * H, phases.REFLECTION),
    (216 * H - TICK, phases.REFLECTION),
    (216 * H, phases.FINISHED),
])
def test_default_windows_without_offers(offset, expected):
    assert _phase(START + offset) == expected


@pytest.mark.parametrize("offset, expected", [
    (120 * H - TICK, phases.PROBING),
    (120 * H, phases.OFFERS),
    (144 * H - TICK, phases.OFFERS),
    (144 * H, phases.SUMMARY),
    (240 * H, phases.FINISHED),
])
def test_offers_phase_runs_only_when_welcome(offset, expected):
    assert _phase(START + offset, offers=True) == expected


def test_a_zero_window_skips_its_phase():
    windows = Windows(clarifying=0, probing=10, offers=5, summary=0, reflection=2)
    assert _phase(START, windows=windows) == phases.PROBING
    assert _phase(START + 10 * H, windows=windows) == phases.REFLECTION
    assert _phase(START + 10 * H, windows=windows, offers=True) == phases.OFFERS
    assert _phase(START + 15 * H, windows=windows, offers=True) == phases.REFLECTION


def test_the_rounds_closing_cuts_the_phases_short():
    closes = START + 60 * H
    spans = phases.timeline(START, Windows(), offers_welcome=True, closes_at=closes)
    assert [s.phase for s in spans] == [phases.CLARIFYING, phases.PROBING]
    assert spans[-1].ends_at == closes
    assert _phase(closes - TICK, closes_at=closes) == phases.PROBING
    assert _phase(closes, closes_at=closes) == phases.FINISHED


def test_spans_are_contiguous_and_carry_their_labels():
    spans = phases.timeline(START, Windows(), offers_welcome=True, closes_at=FAR)
    assert [s.label for s in spans] == [
        "Clarifying questions", "Probing questions", "Offers", "Summary and actions", "Reflection"]
    for earlier, later in zip(spans, spans[1:]):
        assert earlier.ends_at == later.starts_at


@pytest.mark.parametrize("phase, member, presenter", [
    (phases.CLARIFYING, ("clarifying", "reflect_back"), ("response",)),
    (phases.PROBING, ("probing", "reflect_back"), ("response",)),
    (phases.OFFERS, ("offer", "reflect_back"), ("response",)),
    (phases.SUMMARY, (), ("summary", "action", "response")),
    (phases.REFLECTION, ("reflection",), ("reflection",)),
    (phases.FINISHED, (), ()),
])
def test_kinds_by_phase_and_role(phase, member, presenter):
    assert phases.kinds_for(phase, phases.MEMBER) == member
    assert phases.kinds_for(phase, phases.PRESENTER) == presenter
