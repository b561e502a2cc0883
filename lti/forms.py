from django import forms
from django.db import models

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
        help_text="One per line, as the platform shows them. Launches from any other deployment are refused.")

    class Meta:
        model = Platform
        formfield_callback = _https_by_default
        fields = ["name", "issuer", "client_id", "deployment_ids", "auth_login_url", "auth_token_url", "key_set_url",
                  "auth_audience", "frame_origins", "allow_new_accounts", "administrators_are_staff", "active"]

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
    action_set = forms.ModelChoiceField(queryset=ActionSet.objects.none(), required=False, label="Set new people join",
                                        help_text="The roster sync enrols the course's people in this set.")
    scheduled_sync = forms.BooleanField(required=False, label="Sync on the schedule",
                                        help_text="Commits each sync in your name. Runs only when the site's schedule is on.")

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        if course.cohort_id:
            self.fields["action_set"].queryset = ActionSet.objects.filter(cohort_id=course.cohort_id).order_by("name")
