from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from markdownx.widgets import MarkdownxWidget

from .markdown import too_long_message
from .models import ActionCommitment, Membership, Reply


class EditorWidget(MarkdownxWidget):
    """markdownx's editor, with Tab left to move focus (static/js/editor.js: no keyboard trap)."""

    class Media:
        js = ("js/editor.js",)


class MarkdownField(forms.CharField):
    """Text a member writes in markdown: at most MARKDOWN_MAX_CHARS characters, checked here before
    anything is rendered (the services check again). Line endings are counted as the editor counts
    them: browsers send each line break as CR LF but count it, in `maxlength` and in
    static/js/editor.js, as one character."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["maxlength"] = str(settings.MARKDOWN_MAX_CHARS)  # the editor's counter reads it
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value

    def validate(self, value):
        super().validate(value)
        if value and len(value) > settings.MARKDOWN_MAX_CHARS:  # the services' own message
            raise ValidationError(too_long_message(len(value)), code="max_length")


def limit_help() -> str:
    return f"Up to {settings.MARKDOWN_MAX_CHARS:,} characters."


def markdown_field(label: str, *, rows: int = 8, help_text: str = "") -> forms.CharField:
    help_text = help_text or "Markdown works: **bold**, _italic_, lists, [links](https://example.org)."
    return MarkdownField(label=label, help_text=f"{help_text} {limit_help()}", widget=EditorWidget(attrs={"rows": rows}))


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            visible = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if visible else None, errors)
    else:
        form.add_error(None, error.messages)


class AirtimeForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        help_text="One line that names your issue, e.g. “Getting my team to own the timetable”.",
    )
    body = markdown_field(
        "Your issue",
        rows=12,
        help_text="What is going on, why it matters to you, what you have tried, and what kind of "
        "help you would like from the set. Markdown works.",
    )
    offers_welcome = forms.BooleanField(
        required=False, label="Offers welcome: after the questions, members may share experience or resources",
        help_text="Leave it unticked for questions only. Either way, questions come first.",
    )


class AirtimeEditForm(AirtimeForm):
    offers_welcome = None  # chosen when presenting: it decides whether the offers phase runs
    reason = forms.CharField(max_length=300, required=False, label="Why are you editing? (optional)")


class KindField(forms.ChoiceField):
    """Offers the kinds allowed now, but lets any known kind through to the service, which says
    clearly why a kind is refused in this phase (a stale page must get that message, not
    "select a valid choice")."""

    def valid_value(self, value) -> bool:
        return value in Reply.Kind.values


class ReplyForm(forms.Form):
    body = markdown_field("Your reply", rows=5)
    kind = KindField(
        label="This is a…", choices=Reply.Kind.choices, required=False, widget=forms.RadioSelect
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            labels = dict(Reply.Kind.choices)
            self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
            if kinds:
                self.fields["kind"].initial = kinds[0]


class ReplyEditForm(forms.Form):
    body = markdown_field("Reply", rows=6)
    reason = forms.CharField(max_length=300, required=False, label="Why are you editing?")


class CommitmentForm(forms.Form):
    text = forms.CharField(
        max_length=500,
        label="I will…",
        help_text="One concrete action: what, by when, how you will know it worked.",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Ask Sam for 20 minutes to agree the rota by Friday"}),
    )


class ReportBackForm(forms.Form):
    STATUS_CHOICES = [
        (ActionCommitment.Status.DONE, "Done"),
        (ActionCommitment.Status.PARTLY, "Partly"),
        (ActionCommitment.Status.NOT_DONE, "Not done"),
    ]
    # Reports from before done / partly / not keep their status when they are updated.
    LEGACY = [(ActionCommitment.Status.CHANGED, "Changed — I did something different"),
              (ActionCommitment.Status.DROPPED, "Dropped")]
    status = forms.ChoiceField(choices=STATUS_CHOICES + LEGACY, widget=forms.RadioSelect, label="Did you do it?")
    what_happened = MarkdownField(
        label="What did you do, and what happened?", widget=forms.Textarea(attrs={"rows": 4}), required=False,
    )
    how_differed = MarkdownField(
        label="How did it differ from what you expected?", widget=forms.Textarea(attrs={"rows": 3}), required=False,
    )
    learned = MarkdownField(label="What did you learn?", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    # An older report-back written as one text: still accepted (the service needs one or the other).
    report_back = MarkdownField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, legacy_status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        keep = [c for c in self.LEGACY if c[0] == legacy_status]
        self.fields["status"].choices = self.STATUS_CHOICES + keep


class NotificationLevelForm(forms.Form):
    # Short labels: the form sits in the set page's narrow sidebar.
    notification_level = forms.ChoiceField(
        label="Email from this set",
        choices=[
            (Membership.NotificationLevel.WATCHING, "Every new post"),
            (Membership.NotificationLevel.NORMAL, "Digest and reminders"),
            (Membership.NotificationLevel.MUTED, "No email"),
        ],
    )
