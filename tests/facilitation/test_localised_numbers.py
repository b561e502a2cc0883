"""Dashboard and chart figures in the viewer's language (issue 18): decimals with a comma and
percentages as "45 %" in Spanish and German, "0.43" and "45%" in English."""

import pytest
from django.urls import reverse
from django.utils import translation

from facilitation import charts
from facilitation.stats import equity, percent
from facilitation.templatetags.facilitation_tags import duration, fixed2, pct


def _dashboard(client, small_set, language):
    small_set.facilitator.language = language
    small_set.facilitator.save(update_fields=["language"])
    client.force_login(small_set.facilitator)
    return client.get(reverse("facilitation:dashboard", args=[small_set.action_set.slug])).content.decode()


@pytest.mark.parametrize(("language", "g_star", "share", "heading"), [
    ("en-gb", "G* 0.43", ">75%<", "Discourse dashboard"),
    ("es", "G* 0,43", ">75 %<", "Panel de conversación"),
    ("de", "G* 0,43", ">75 %<", "Gesprächsübersicht"),
])
def test_the_dashboard_shows_figures_in_the_viewers_language(client, small_set, language, g_star, share, heading):
    page = _dashboard(client, small_set, language)
    assert g_star in page and share in page and heading in page


@pytest.mark.parametrize(("language", "expected"), [
    ("en-gb", ("45%", "12.5%", "0.43", "2.5 h", "3.0 days")),
    ("es", ("45 %", "12,5 %", "0,43", "2,5 h", "3,0 días")),
    ("de", ("45 %", "12,5 %", "0,43", "2,5 Std.", "3,0 Tage")),
])
def test_filters_and_helpers_localise(language, expected):
    from datetime import timedelta

    with translation.override(language):
        assert (pct(0.45), percent(0.125, 1), fixed2(0.4251), duration(timedelta(hours=2.5)),
                duration(timedelta(days=3))) == expected
        assert pct(None) == fixed2(None) == "—"


def test_equity_reading_localises_its_percentage():
    figure = equity([6, 1, 1, 0])
    with translation.override("de"):
        assert "(75 %)" in figure.reading and "Das aktivste Mitglied schrieb 6 von 8 Beiträgen" in figure.reading
    assert "(75%)" in figure.reading


def test_chart_values_and_summary_localise():
    with translation.override("es"):
        chart = charts.bar_chart(key="c", title="Horas", rows=[("Ana", [2.5]), ("Ben", [1.25])])
        assert ">2,5</text>" in chart.svg and ">1,25</text>" in chart.svg
        assert "Mayor horas: Ana, 2,5." in chart.svg
        posts = charts.bar_chart(key="p", title="Publicaciones", unit=charts.UNIT_POSTS, rows=[("Ana", [3])])
        assert "Ana, 3 publicaciones." in posts.svg
    with translation.override("en-gb"):
        assert ">2.5</text>" in charts.bar_chart(key="c", title="Hours", rows=[("Ann", [2.5])]).svg
