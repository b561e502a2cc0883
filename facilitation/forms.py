from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Code, CodingSample, CodingScheme, Flag

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=500, label=_("Why hide it?"),
        help_text=_("The author sees this reason; other members see “hidden by the facilitator”."),
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        max_length=500, label=_("What is the problem?"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the set's facilitators see your flag and your name."),
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=Flag.Outcome.choices, widget=forms.RadioSelect, label=_("What did you do?"))
    note = forms.CharField(
        max_length=500, required=False, label=_("Note"),
        help_text=_("Required when hiding: the author sees it as the reason."),
    )


class AnnotateForm(forms.Form):
    """Validates the thread's inline annotation form (rendered by hand in _reply_tools.html, with
    ids unique per reply). Any scheme's code is accepted: admins may add schemes."""

    code = forms.ModelChoiceField(queryset=Code.objects.all(), label=_("Code"))
    note = forms.CharField(max_length=1000, required=False, label=_("Private note"))


def _datetime_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, help_text=help_text, input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class RoundForm(forms.Form):
    """Schedule a round. Dates are read in the facilitator's own time zone (the middleware
    activates it)."""

    opens_at = _datetime_field(_("Opens"))
    closes_at = _datetime_field(_("Closes"), required=False, help_text=_("Leave empty for the default 14 days."))


class RoundDatesForm(forms.Form):
    """Change a round's dates. An open round's form has no opening date: it cannot move."""

    opens_at = _datetime_field(_("Opens"), required=False)
    closes_at = _datetime_field(_("Closes"))
    reason = forms.CharField(max_length=500, required=False, label=_("Reason (for the log)"))

    @classmethod
    def for_round(cls, rnd, data=None):
        tz = timezone.get_current_timezone()
        initial = {"opens_at": rnd.opens_at.astimezone(tz), "closes_at": rnd.closes_at.astimezone(tz)}
        return cls(data, initial=initial, prefix=f"round-{rnd.pk}")


class SampleForm(forms.Form):
    """Draw a coding sample (facilitation/coding.py). Choices are the set's own rounds and facilitators."""

    name = forms.CharField(max_length=120, label=_("Name"), help_text=_("e.g. “Round 2, questions, pilot”."))
    scheme = forms.ModelChoiceField(queryset=CodingScheme.objects.order_by("-is_default", "name"),
                                    label=_("Coding scheme"), empty_label=None)
    mode = forms.ChoiceField(choices=CodingSample.Mode.choices, widget=forms.RadioSelect, label=_("Which replies"),
                             initial=CodingSample.Mode.RANDOM)
    round = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Round"),
                                   help_text=_("Required for “one round”; limits a random sample when chosen."))
    size = forms.IntegerField(min_value=1, max_value=500, required=False, label=_("n (random sample)"))
    coders = forms.TypedMultipleChoiceField(coerce=int, widget=forms.CheckboxSelectMultiple, label=_("Coders"),
                                            help_text=_("At least two; each codes blind to the others' codes."))

    def __init__(self, *args, rounds=(), facilitators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", "—")] + [(r.number, _("Round %(number)s") % {"number": r.number}) for r in rounds]
        self.fields["coders"].choices = [(u.pk, u.name) for u in facilitators]


class AgreedForm(forms.Form):
    reply = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.IntegerField(label=_("Agreed code"))
    note = forms.CharField(max_length=500, required=False, label=_("Note"))


class ResearcherForm(forms.Form):
    """Grant the researcher role (facilitation/researchers.py): the account's email address."""

    email = forms.EmailField(label=_("Email of the researcher"),
                             help_text=_("Someone with an ActionSets account who is not a member of this set."))
