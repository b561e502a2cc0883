"""The advice-signal heuristic against its labelled corpus, and the database agreeing with Python.

Figures are reported in docs/advice-heuristic.md; the floors below sit a little under them so a
pattern change that makes things worse fails here first.
"""

import pytest
from django.db.models import Q

from actionsets import services
from actionsets.models import Reply
from actionsets.advice import DB_PATTERN, PATTERNS, find_signals, has_signal

from .advice_corpus import CORPUS, HELD_OUT

# Development corpus (the patterns were written with it in view): measured P 0.938, R 1.000.
PRECISION_FLOOR, RECALL_FLOOR = 0.90, 0.90
# Held-out sentences written after the patterns and never tuned on: measured P 0.750, R 0.500.
HELD_OUT_PRECISION_FLOOR, HELD_OUT_RECALL_FLOOR = 0.70, 0.45


def confusion(corpus):
    tp = sum(1 for text, advice in corpus if advice and has_signal(text))
    fp = sum(1 for text, advice in corpus if not advice and has_signal(text))
    fn = sum(1 for text, advice in corpus if advice and not has_signal(text))
    return tp, fp, fn


def test_the_corpus_is_big_enough_and_balanced():
    assert len(CORPUS) >= 40
    advice = sum(1 for _, is_advice in CORPUS if is_advice)
    assert 0.35 <= advice / len(CORPUS) <= 0.65


@pytest.mark.parametrize(("corpus", "precision_floor", "recall_floor"), [
    (CORPUS, PRECISION_FLOOR, RECALL_FLOOR),
    (HELD_OUT, HELD_OUT_PRECISION_FLOOR, HELD_OUT_RECALL_FLOOR),
], ids=["development", "held-out"])
def test_precision_and_recall_on_the_labelled_corpus(corpus, precision_floor, recall_floor):
    tp, fp, fn = confusion(corpus)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= precision_floor, f"precision {precision:.3f} (tp={tp}, fp={fp})"
    assert recall >= recall_floor, f"recall {recall:.3f} (tp={tp}, fn={fn})"


@pytest.mark.parametrize(("text", "names"), [
    ("Have you tried asking them? I would also talk to HR.", ["have-you-tried", "i-would"]),
    ("What have you tried so far?", []),
    ("I would like to hear more.", []),
    ("Thanks.\n\n- Try a shared calendar", ["imperative"]),
    ("**You should** ask.", ["you-should"]),
    ("I’d call her tomorrow.", ["i-would"]),
])
def test_find_signals_names_the_phrase_and_sentence(text, names):
    found = find_signals(text)
    assert [s.name for s in found] == names
    for signal in found:
        assert signal.phrase.lower() in signal.sentence.lower()


def test_every_pattern_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "advice-heuristic.md").read_text()
    for name, _, _ in PATTERNS:
        assert f"`{name}`" in doc


TEXTS = [text for text, _ in CORPUS + HELD_OUT] + ["So have you tried it?", "line one\n- Try this", "Why not ask"]


def test_the_stored_flag_the_database_and_python_agree(airtime, learner2):
    """The dashboard counts the flag stored at save; an analyst's `body__iregex=DB_PATTERN` and the
    phrase list (Python) give the same answer, on SQLite and on PostgreSQL (run the suite with
    DATABASE_URL=postgres://… too)."""
    for text in TEXTS:
        services.post_reply(author=learner2, airtime=airtime, body=text)
    expected = {text for text in TEXTS if has_signal(text)}
    assert 10 < len(expected) < len(TEXTS)
    in_db = set(Reply.objects.filter(airtime=airtime, body__iregex=DB_PATTERN).values_list("body", flat=True))
    stored = set(Reply.objects.filter(airtime=airtime, has_advice_signal=True).values_list("body", flat=True))
    assert in_db == stored == expected


def test_editing_a_reply_updates_its_stored_flag(airtime, learner2):
    reply = services.post_reply(author=learner2, airtime=airtime, body="What matters most to you here?")
    assert reply.has_advice_signal is False
    services.edit_reply(editor=learner2, reply=reply, body="You should ask her directly.")
    reply.refresh_from_db()
    assert reply.has_advice_signal is True
    services.edit_reply(editor=learner2, reply=reply, body="What would asking her directly change?")
    reply.refresh_from_db()
    assert reply.has_advice_signal is False


def test_recount_refreshes_stale_flags_and_is_idempotent(airtime, learner2):
    """After the word list changes, `manage.py recount_advice_signals` makes stored flags true again."""
    from io import StringIO

    from django.core.management import call_command

    for text in TEXTS:
        services.post_reply(author=learner2, airtime=airtime, body=text)
    # Pretend the flags were stored by an older word list: flip a third of them.
    stale = list(Reply.objects.order_by("pk").values_list("pk", flat=True)[::3])
    Reply.objects.filter(pk__in=stale).update(has_advice_signal=~Q(has_advice_signal=True))
    out = StringIO()
    call_command("recount_advice_signals", stdout=out)
    assert f"{len(stale)} replies changed" in out.getvalue()
    stored = set(Reply.objects.filter(has_advice_signal=True).values_list("body", flat=True))
    assert stored == {text for text in TEXTS if has_signal(text)}
    call_command("recount_advice_signals", stdout=out)
    assert "0 replies changed" in out.getvalue()
