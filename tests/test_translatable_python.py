"""Every message Python shows a person goes through the translation machinery (issue 18).

The checker (tests/i18n/translatable_python.py) walks each module's `ast` and fails on a string
literal passed straight to `messages.*`, `ValidationError`, a form field's label/help text/choices,
a widget's placeholder, `send_mail` or a sentence-bearing `HttpResponse`. NOT_YET_CONVERTED_MODULES
is the remaining work: convert a module, take it off the list (the test fails while a converted
module is still listed, so the list only shrinks). docs/translating.md.
"""

import pytest

from tests.i18n.translatable_python import module_paths, untranslated_messages

# Empty since every module was converted (issue 18): new messages go through gettext from the start.
NOT_YET_CONVERTED_MODULES: set[str] = set()

MODULES = module_paths()


@pytest.mark.parametrize("name", [n for n in MODULES if n not in NOT_YET_CONVERTED_MODULES])
def test_python_messages_are_translatable(name):
    found = untranslated_messages(MODULES[name].read_text())
    assert not found, f"{name}: text outside gettext: {found}"


def test_the_allow_list_only_shrinks():
    assert not NOT_YET_CONVERTED_MODULES - set(MODULES), \
        f"listed but gone: {sorted(NOT_YET_CONVERTED_MODULES - set(MODULES))}"
    converted = sorted(n for n in NOT_YET_CONVERTED_MODULES if not untranslated_messages(MODULES[n].read_text()))
    assert not converted, f"converted: take these off NOT_YET_CONVERTED_MODULES: {converted}"


def test_the_engagement_app_is_converted():
    assert not any(n.startswith("engagement") for n in NOT_YET_CONVERTED_MODULES)


@pytest.mark.parametrize("source, expected", [
    ('messages.success(request, "Saved.")', ["1: messages.success: 'Saved.'"]),
    ('messages.success(request, _("Saved."))', []),
    ('messages.error(request, f"Knocked for {name}.")', ["1: messages.error: 'Knocked for .'"]),
    ('messages.info(request, gettext("Hi %(n)s") % {"n": n})', []),
    ('messages.warning(request, text)', []),
    ('messages.add_message(request, messages.INFO, "Done and dusted")',
     ["1: messages.add_message: 'Done and dusted'"]),
    ('raise ValidationError("Too late.")', ["1: ValidationError: 'Too late.'"]),
    ('raise ValidationError(_("Too late."), code="late")', []),
    ('raise ValidationError(ngettext("%(n)s day", "%(n)s days", n) % {"n": n})', []),
    ('raise ValidationError("Too {} late".format(x))', ["1: ValidationError: 'Too {} late'"]),
    ('raise PermissionDenied("Not yours")', []),
    ('raise Http404("No such set")', []),
    ('f = forms.CharField(label="Name", help_text=_("Yours"))', ["1: CharField(label=): 'Name'"]),
    ('f = forms.ChoiceField(choices=[("a", "Apple"), ("b", _("Pear"))])', ["1: ChoiceField(choices=): 'Apple'"]),
    ('f = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Type here", "class": "wide"}))',
     ["1: TextInput(attrs='placeholder'): 'Type here'"]),
    ('f = models.CharField(help_text="Admin only")', []),
    ('return HttpResponse("Replying by email is off.")', ["1: HttpResponse: 'Replying by email is off.'"]),
    ('return HttpResponse("ok")', []),
    ('send_mail("Your digest", body, None, [to])', ["1: send_mail subject: 'Your digest'"]),
    ('messages.success(request, "…")', []),
])
def test_the_checker(source, expected):
    assert untranslated_messages(source) == expected
