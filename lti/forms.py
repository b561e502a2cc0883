from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_no_control_characters
from actionsets.models import ActionSet

from .models import Platform


def _https_by_default(field, **kwargs):
    """A URL typed without a scheme is an https:// one."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PlatformForm(forms.ModelForm):
    deployment_ids = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        label=_("Deployment ids"),
        help_text=_("One per line, as the platform shows them. Launches from any other deployment are refused."))

    class Meta:
        model = Platform
        formfield_callback = _https_by_default
        fields = ["name", "issuer", "client_id", "deployment_ids", "auth_login_url", "auth_token_url", "key_set_url",
                  "auth_audience", "frame_origins", "allow_new_accounts", "administrators_are_staff", "active"]
        # The labels and help staff read in the form, translated here (the model's own texts stay
        # English: changing them would need a migration).
        labels = {
            "name": _("Name"), "issuer": _("Issuer"), "client_id": _("Client id"),
            "auth_login_url": _("Auth login URL"), "auth_token_url": _("Auth token URL"), "key_set_url": _("Key set URL"),
            "auth_audience": _("Auth audience"), "frame_origins": _("Frame origins"),
            "allow_new_accounts": _("Allow new accounts"), "administrators_are_staff": _("Administrators are staff"),
            "active": _("Active"),
        }
        help_texts = {
            "name": _("What staff call it, e.g. “Moodle (main campus)”."),
            "issuer": _("The platform's issuer (iss), exactly as it sends it."),
            "client_id": _("The client id the platform gave this tool."),
            "auth_login_url": _("OIDC authorisation endpoint."),
            "auth_token_url": _("OAuth 2 token endpoint (for the roster service)."),
            "key_set_url": _("The platform's public keys (JWKS)."),
            "auth_audience": _("Token audience, if the platform wants one other than the token URL."),
            "allow_new_accounts": _("Create an account for a person who launches and has none. Off: only people "
                                    "already enrolled (matched by verified email) can come in."),
            "administrators_are_staff": _("Give the platform's Administrators staff access to /manage/ when they "
                                          "launch."),
            "frame_origins": _("Web origins that show the tool in a frame, space-separated "
                               "(e.g. https://canvas.example.edu). Empty: the issuer's origin."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["deployment_ids"] = "\n".join(self.instance.deployment_ids or [])

    def clean_deployment_ids(self) -> list[str]:
        ids = [line.strip() for line in self.cleaned_data["deployment_ids"].splitlines() if line.strip()]
        for deployment_id in ids:
            validate_no_control_characters(deployment_id)
        return list(dict.fromkeys(ids))


class CourseForm(forms.Form):
    action_set = forms.ModelChoiceField(queryset=ActionSet.objects.none(), required=False, label=_("Set new people join"),
                                        help_text=_("The roster sync enrols the course's people in this set."))
    scheduled_sync = forms.BooleanField(required=False, label=_("Sync on the schedule"),
                                        help_text=_("Commits each sync in your name. Runs only when the site's schedule "
                                                    "is on."))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        if course.cohort_id:
            self.fields["action_set"].queryset = ActionSet.objects.filter(cohort_id=course.cohort_id).order_by("name")
