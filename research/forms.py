from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionsets.forms import limit_help, markdown_field


def _sheet_field():
    return markdown_field(gettext_lazy("Information sheet"), rows=10)


class _SheetHelp:
    """markdown_field builds its help text at import time; ours is set per request, translated."""

    def _sheet_help(self):
        self.fields["information_sheet"].help_text = (
            f"{_('What the study is, what is exported, how to withdraw. Markdown works.')} {limit_help()}")


class StudyForm(_SheetHelp, forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    ethics_reference = forms.CharField(max_length=120, label=gettext_lazy("Ethics approval reference"))
    information_sheet = _sheet_field()
    contact = forms.CharField(max_length=200, label=gettext_lazy("Contact"),
                              help_text=gettext_lazy("Who members write to with questions."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sheet_help()


class SheetRevisionForm(_SheetHelp, forms.Form):
    information_sheet = _sheet_field()
    note = forms.CharField(max_length=300, required=False, label=gettext_lazy("What changed (optional)"),
                           help_text=gettext_lazy("One line, shown to members with the new version."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sheet_help()


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        choices=[("yes", gettext_lazy("Yes: my words in this set may be used for this study")),
                 ("no", gettext_lazy("No: keep my words out of it"))],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect, label=gettext_lazy("Your choice"),
    )
