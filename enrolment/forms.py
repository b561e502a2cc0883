from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy as _

from accounts.models import TIMEZONE_CHOICES
from accounts.validators import validate_no_control_characters
from actionsets.models import Membership


class DateInput(forms.DateInput):
    input_type = "date"


class CohortForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"), help_text=_("For example “Leading Change, spring 2027”."),
                           validators=[validate_no_control_characters])
    starts_on = forms.DateField(required=False, widget=DateInput, label=_("Starts on"))
    ends_on = forms.DateField(required=False, widget=DateInput, label=_("Ends on"))


class SetForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Set name"), validators=[validate_no_control_characters])

    def __init__(self, *args, renaming=False, **kwargs):
        super().__init__(*args, **kwargs)
        if renaming:
            self.fields["name"].help_text = _("Renaming keeps the set's web address, so links in emails keep working.")


def _upload_help() -> str:
    return gettext(
        "Columns: email, display_name, set, role (learner or facilitator), and optionally timezone, department, "
        "organisation, must_not_share and requested (for allocation). Up to %(megabytes)s MB. Nothing is saved "
        "until you have checked the preview and committed it."
    ) % {"megabytes": settings.ENROLMENT_MAX_UPLOAD_BYTES // (1024 * 1024)}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=lazy(_upload_help, str)(),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )
    create_sets = forms.BooleanField(required=False, label=_("Create sets named in the file that don't exist"))
    allocate_later = forms.BooleanField(
        required=False, label=_("People with an empty set cell join the cohort to be allocated later"),
        help_text=_("Then use “Allocate into sets” on the cohort's page."))


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    display_name = forms.CharField(max_length=80, required=False, label=_("Name shown to their set"),
                                   help_text=_("Needed for people new to ActionSets."),
                                   validators=[validate_no_control_characters])
    set_name = forms.ChoiceField(label=_("Set"))
    role = forms.ChoiceField(choices=Membership.ENROLLED_ROLES, initial=Membership.Role.LEARNER, label=_("Role"))
    timezone_name = forms.ChoiceField(choices=[("", _("Not set (UTC)"))] + TIMEZONE_CHOICES, required=False,
                                      label=_("Time zone"))

    def __init__(self, *args, sets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["set_name"].choices = [(s.name, s.name) for s in sets]


class FacilitatorForm(forms.Form):
    email = forms.EmailField(label=_("Email of the facilitator"),
                             help_text=_("They need an account: enrol them first if they are new."))


class MoveForm(forms.Form):
    to_set = forms.ChoiceField(label=_("Move to"))

    def __init__(self, *args, sets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_set"].choices = [(s.slug, s.name) for s in sets]


class RemoveForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label=_("Reason (kept in the staff log)"))


class AllocationForm(forms.Form):
    size = forms.IntegerField(min_value=5, max_value=8, initial=6, label=_("Learners per set"),
                              help_text=_("Between 5 and 8. Sets may come out one larger or smaller to keep time zones "
                                          "together."))
    span_hours = forms.DecimalField(
        min_value=0, max_value=26, decimal_places=1, initial=3, required=False, label=_("Time-zone span (hours)"),
        help_text=_("The widest gap in UTC offsets within a set, so deadlines fall in everyone's day. Empty: no limit."))
    scope = forms.ChoiceField(widget=forms.RadioSelect, initial="unplaced", label=_("Who to allocate"))
    facilitators_per_set = forms.IntegerField(min_value=0, max_value=3, initial=1, label=_("Facilitators per set"),
                                              help_text=_("Facilitators on the roster who are in no set yet."))

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(scopes)


class AllocationMoveForm(forms.Form):
    person = forms.EmailField(label=_("Email of the person to move"))
    to_set = forms.IntegerField(min_value=1, label=_("To set number"))
