"""What the facilitator reads: the dashboard's labels, charts and links; the admin; word counts."""

import importlib

import pytest
from django.urls import reverse

from actionsets import services as set_services
from actionsets.models import Airtime, Reply
from facilitation import charts


def _dashboard(client, small_set, query=""):
    client.force_login(small_set.facilitator)
    response = client.get(reverse("facilitation:dashboard", args=[small_set.action_set.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_shows_raw_counts_beside_shares_and_labels_heuristics(client, small_set):
    page = _dashboard(client, small_set)
    assert "G* 0.43" in page and "above 0.4" in page and "Uneven" in page
    assert "3 of 4 replies to others are questions" in page
    assert "1 of 4" in page and "heuristic" in page
    assert "1 of 3 questions got an answer" in page
    assert "2.5 h" in page


def test_advice_counts_link_to_the_posts(client, small_set):
    page = _dashboard(client, small_set)
    signals = reverse("facilitation:signals", args=[small_set.action_set.slug])
    assert f'{signals}?member={small_set.ben.pk}"' in page


def test_silence_lists_who_has_not_posted_in_the_open_round(client, small_set):
    from engagement.models import Nudge

    Nudge.objects.create(user=small_set.dee, action_set=small_set.action_set, kind=Nudge.Kind.QUIET_MEMBER,
                         period="round:1")
    page = _dashboard(client, small_set)
    assert "1 learner has not posted in round 1" in page
    assert "never posted" in page and "Quiet member ×1" in page


def test_charts_are_accessible_images_with_a_table(client, small_set):
    page = _dashboard(client, small_set)
    assert page.count('role="img"') == 3  # the annotations chart is empty here: it says so instead
    assert "Annotations by code as a table" in page
    assert 'aria-labelledby="chart-posts-title chart-posts-desc"' in page
    assert "<title id=\"chart-posts-title\">Posts per member</title>" in page
    assert "Posts per member as a table" in page


def test_chart_labels_are_escaped():
    chart = charts.bar_chart(key="c", title="T", rows=[("<script>x</script>", [3])])
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg


def test_one_round_scope_is_selectable(client, small_set):
    page = _dashboard(client, small_set, "?round=1")
    assert 'href="?round=1" aria-current="page"' in page


def test_admin_edits_schemes_and_reads_the_log_without_set_content(client, staff, flag, annotation):
    client.force_login(staff)
    assert client.get("/admin/facilitation/codingscheme/1/change/").status_code == 200
    # The moderation log's model lives in actionsets (the services that write it), so its admin does.
    for model in ("facilitation/annotation", "facilitation/flag", "actionsets/moderationaction"):
        page = client.get(f"/admin/{model}/").content.decode()
        assert "Opened it up" not in page and "Names my manager" not in page
        detail = client.get(f"/admin/{model}/1/change/").content.decode()
        assert "Opened it up" not in detail and "Names my manager" not in detail
        assert client.get(f"/admin/{model}/add/").status_code == 403


def test_word_counts_are_stored_when_posting_and_editing(question, learner2, airtime):
    assert question.word_count == 6  # "What have you tried so far?"
    set_services.edit_reply(editor=learner2, reply=question, body="Why don't you ask? It's well-being.")
    assert Reply.objects.get(pk=question.pk).word_count == 6
    assert Airtime.objects.get(pk=airtime.pk).word_count == 4  # "We keep missing **deadlines**."


@pytest.mark.django_db
def test_word_count_backfill_migration(question, airtime):
    from django.apps import apps

    Reply.objects.update(word_count=0)
    Airtime.objects.update(word_count=0)
    migration = importlib.import_module("actionsets.migrations.0003_backfill_word_count")
    migration.backfill(apps, None)
    assert Reply.objects.get(pk=question.pk).word_count == 6
    assert Airtime.objects.get(pk=airtime.pk).word_count == 4
