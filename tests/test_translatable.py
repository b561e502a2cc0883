"""Every word a template shows goes through the translation machinery (issue 18; docs/translating.md).

The checker (tests/i18n/translatable.py) fails on a text node or a human-facing attribute (alt,
title, placeholder, aria-label) outside {% translate %}/{% blocktranslate %}. NOT_YET_CONVERTED
is the remaining work: convert a template, take it off the list (the test fails while a converted
template is still listed, so the list only shrinks).
"""

import pytest

from tests.i18n.translatable import TEMPLATES, template_names, untranslated_text

# Empty since every template was converted (issue 18): a new template must use the tags from the start.
NOT_YET_CONVERTED: set[str] = set()


@pytest.mark.parametrize("name", [n for n in template_names() if n not in NOT_YET_CONVERTED])
def test_template_text_is_translatable(name):
    found = untranslated_text((TEMPLATES / name).read_text())
    assert not found, f"{name}: text outside {{% translate %}}/{{% blocktranslate %}}: {found}"


def test_the_allow_list_only_shrinks():
    names = set(template_names())
    assert not NOT_YET_CONVERTED - names, f"listed but gone: {sorted(NOT_YET_CONVERTED - names)}"
    converted = sorted(n for n in NOT_YET_CONVERTED if not untranslated_text((TEMPLATES / n).read_text()))
    assert not converted, f"converted: take these off NOT_YET_CONVERTED: {converted}"


def test_the_foundations_are_converted():
    """The first slice of issue 18: the frame of every page and the two home pages."""
    for name in ("base.html", "account/preferences.html", "actionsets/home.html", "actionsets/set_home.html",
                 "emails/base.html", "emails/base.txt"):
        assert name not in NOT_YET_CONVERTED
    assert not any(n.startswith("_partials/") for n in NOT_YET_CONVERTED)


@pytest.mark.parametrize("source, expected", [
    ("<p>Hello</p>", ["Hello"]),
    ("<p>{% translate 'Hello' %}</p>", []),
    ("<p>{% blocktranslate with n=x %}Hello {{ n }}{% endblocktranslate %}</p>", []),
    ("<p>{% blocktranslate count c=n %}One{% plural %}Many{% endblocktranslate %} left</p>", ["… left"]),
    ('<img alt="A picture" src="x.png">', ["A picture"]),
    ('<nav aria-label="{% translate \'Main\' %}"></nav>', []),
    ('<a href="/x" class="button big">{{ label }}</a> · 3', []),
    ("{# a comment #}{% comment %}Notes{% endcomment %}<script>var a = 'text here';</script>", []),
    ("<span>ActionSets</span> <b>{{ x }} left</b>", ["… left"]),
    ('{% extends "base.html" %}{% block main_class %}page page--narrow{% endblock %}', []),
])
def test_the_checker(source, expected):
    assert untranslated_text(source) == expected
