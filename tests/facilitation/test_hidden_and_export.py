"""Hidden replies never leak through the dashboard, the CSV or the advice-signal list; the CSV is
safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.urls import reverse

from actionsets import services as set_services
from facilitation import services
from facilitation.exports import safe_cell

SECRET = "SECRET-ADVICE"


@pytest.fixture
def hidden_advice(small_set):
    reply = set_services.post_reply(author=small_set.dee, airtime=small_set.a2,
                                    body=f"You should just fire them. {SECRET}")
    services.hide_reply(actor=small_set.facilitator, reply=reply, reason="HIDDEN-REASON")
    return reply


def _get(client, user, name, slug, query=""):
    client.force_login(user)
    response = client.get(reverse(f"facilitation:{name}", args=[slug]) + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


@pytest.mark.parametrize("name", ["dashboard", "export", "signals"])
@pytest.mark.parametrize("query", ["", "?round=1"])
def test_hidden_text_is_never_on_facilitator_pages(client, small_set, hidden_advice, name, query):
    page = _get(client, small_set.facilitator, name, small_set.action_set.slug, query)
    for secret in (SECRET, "SECRET-REFLECTION", "HIDDEN-REASON", "fire them"):
        assert secret not in page


def test_hidden_replies_are_counted_and_marked(client, small_set, hidden_advice):
    page = _get(client, small_set.facilitator, "dashboard", small_set.action_set.slug)
    assert "2 hidden replies are counted" in page
    signals = _get(client, small_set.facilitator, "signals", small_set.action_set.slug)
    assert "its text is not shown here" in signals and f"#reply-{hidden_advice.pk}" in signals


def test_signals_page_shows_the_matching_phrase_and_links_to_the_post(client, small_set):
    page = _get(client, small_set.facilitator, "signals", small_set.action_set.slug, f"?member={small_set.ben.pk}")
    # The pattern shows by its plain label, not its code name (issue 13, item 10).
    assert "Have you tried talking to Sam?" in page and "“Have you tried…?”" in page
    assert f"#reply-{small_set.q1.pk}" in page
    other = _get(client, small_set.facilitator, "signals", small_set.action_set.slug, f"?member={small_set.cat.pk}")
    assert "No replies with advice signals" in other


def test_signals_page_shows_plain_labels_not_codes_or_repository_paths(client, small_set):
    from actionsets.advice import PATTERNS, WORD_LISTS
    from facilitation.selectors import SIGNAL_LABELS

    # A new pattern, in any language's word list, needs its label.
    assert set(SIGNAL_LABELS) == {name for wl in WORD_LISTS.values() for name, _, _ in wl.patterns}
    page = _get(client, small_set.facilitator, "signals", small_set.action_set.slug)
    assert "Have you tried talking to Sam?" in page
    for code in [name for name, _, _ in PATTERNS] + ["docs/advice-heuristic.md", ".md"]:
        assert code not in page, code
    for label in [SIGNAL_LABELS[name] for name, _, _ in PATTERNS]:  # the set's (English) word list
        assert str(label).replace("'", "&#x27;") in page


def test_csv_has_the_member_table_and_the_figures(client, small_set):
    client.force_login(small_set.facilitator)
    response = client.get(reverse("facilitation:export", args=[small_set.action_set.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="set-a-whole-set.csv"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, members = rows[0], {r[0]: dict(zip(rows[0], r)) for r in rows[1:] if r and r[0] in {"Ann", "Cat"}}
    assert header[:3] == ["member", "role", "airtimes"]
    assert members["Ann"]["airtimes"] == "1" and members["Ann"]["words"] == "16"
    assert members["Cat"]["of which hidden"] == "1"
    figures = {r[0]: r[1] for r in rows[rows.index(["figure", "value"]) + 1:]}
    assert figures["normalised gini G* of posts"] == "0.429" and figures["G* above 0.4 (flag)"] == "yes"
    assert figures["median hours to first reply"] == "2.5"


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_cannot_start_a_formula(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("Ann") == "Ann" and safe_cell(3) == 3 and safe_cell(None) == ""


def test_a_member_named_like_a_formula_is_exported_as_text(client, small_set):
    small_set.dee.display_name = "=cmd|' /C calc'!A0"
    small_set.dee.save()
    client.force_login(small_set.facilitator)
    content = client.get(reverse("facilitation:export", args=[small_set.action_set.slug])).content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert ["'=cmd|' /C calc'!A0"] == [r[0] for r in rows if "calc" in (r[0] if r else "")]
