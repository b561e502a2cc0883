"""Forms for the set's pages: presenting, replying, commitments and report-backs, rules, and the set
process (process choices, check-ins, reviews, the journal, forming and ending). Every markdown field
is a MarkdownField: one length limit, checked before rendering."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget

from .markdown import too_long_message
from .models import (
    ENERGY_CHOICES,
    ActionCommitment,
    HelpfulMark,
    JournalEntry,
    Membership,
    Reply,
    SetEvaluation,
)


class EditorWidget(MarkdownxWidget):
    """markdownx's editor, with Tab left to move focus (static/js/editor.js: no keyboard trap).

    Dropping or pasting a file into it uploads the file to the set's own upload address
    (`upload_url`, set by `enable_uploads`) and puts a link to it in the text; without one the
    editor takes no uploads (markdownx's global upload URL is not routed)."""

    upload_url = ""

    def get_context(self, name, value, attrs=None):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-markdownx-upload-urls-path"] = self.upload_url
        return context

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
    return gettext("Up to %(count)s characters.") % {
        "count": number_format(settings.MARKDOWN_MAX_CHARS, force_grouping=True)}


# Read when a form is shown: in the reader's language, with the limit as configured then.
limit_help_lazy = lazy(limit_help, str)


def markdown_field(label: str, *, rows: int = 8, help_text: str = "") -> forms.CharField:
    help_text = help_text or _("Markdown works: **bold**, _italic_, lists, [links](https://example.org).")
    return MarkdownField(label=label, help_text=format_lazy("{} {}", help_text, limit_help_lazy()),
                         widget=EditorWidget(attrs={"rows": rows}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once (Django's documented pattern). The files are checked by the service
    (content sniffing, limits, re-encoding: actionsets/files.py), not here."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": ".pdf,.png,.jpg,.jpeg,.webp,.gif,.txt,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def attachments_field() -> AttachmentsField:
    return AttachmentsField(
        label=_("Attach files (optional)"),
        help_text=_attachments_help())


def _attachments_help_now() -> str:
    return gettext("Up to %(count)s files, %(size)s MB each: PDF, images, plain text or office documents. Only this "
                   "set's current members can open them.") % {
        "count": settings.ATTACHMENTS_PER_POST, "size": settings.ATTACHMENT_MAX_MB}


_attachments_help = lazy(_attachments_help_now, str)


def offer_removal(form: forms.Form, files, *, kept: bool = True) -> forms.Form:
    """Give an edit form a `remove_files` field: a box per file on the post, ticked to take it off.
    `kept`: the edit keeps removed files in the post's history (airtimes, replies); a journal
    entry's removed files are deleted. No field when the post has no files."""
    files = list(files)
    if files:
        form.fields["remove_files"] = forms.TypedMultipleChoiceField(
            coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Remove files"),
            choices=[(f.pk, f"{f.name} ({filesizeformat(f.size)})") for f in files],
            help_text=(gettext("Ticked files are taken off the post when you save. The history keeps them with "
                               "the earlier version.") if kept
                       else gettext("Ticked files are deleted when you save.")),
        )
    return form


def enable_uploads(form: forms.Form, url: str) -> forms.Form:
    """Let the form's editors upload to `url` (the set's upload address), and the form take files."""
    for field in form.fields.values():
        if isinstance(field.widget, EditorWidget):
            field.widget.upload_url = url
    return form


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
        help_text=_("One line that names your issue, e.g. “Getting my team to own the timetable”."),
    )
    body = markdown_field(
        "Your issue",
        rows=12,
        help_text=_("What is going on, why it matters to you, what you have tried, and what kind of "
        "help you would like from the set. Markdown works."),
    )
    offers_welcome = forms.BooleanField(
        required=False, label=_("Offers welcome: after the questions, members may share experience or resources"),
        help_text=_("Leave it unticked for questions only. Either way, questions come first."),
    )
    attachments = attachments_field()


class AirtimeEditForm(AirtimeForm):
    offers_welcome = None  # chosen when presenting: it decides whether the offers phase runs
    reason = forms.CharField(max_length=300, required=False, label=_("Why are you editing? (optional)"))


class KindField(forms.ChoiceField):
    """Offers the kinds allowed now, but lets any known kind through to the service, which says
    clearly why a kind is refused in this phase (a stale page must get that message, not
    "select a valid choice")."""

    def valid_value(self, value) -> bool:
        return value in Reply.Kind.values


class ReplyForm(forms.Form):
    body = markdown_field(_("Your reply"), rows=5)
    attachments = attachments_field()
    kind = KindField(
        label=_("This is a…"), choices=Reply.Kind.choices, required=False, widget=forms.RadioSelect
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            labels = dict(Reply.Kind.choices)
            self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
            if kinds:
                self.fields["kind"].initial = kinds[0]


class HelpfulForm(forms.Form):
    """The presenter's "this helped me" on one question: the button alone marks it (one click);
    why and who may read it are optional. `undo` removes the mark."""

    why = forms.CharField(max_length=300, required=False, label=_("What it helped you see (optional)"))
    visibility = forms.ChoiceField(
        choices=HelpfulMark.Visibility.choices, initial=HelpfulMark.Visibility.PRIVATE, required=False,
        widget=forms.RadioSelect, label=_("Who may read why"),
    )
    undo = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReplyEditForm(forms.Form):
    body = markdown_field(_("Reply"), rows=6)
    attachments = attachments_field()
    reason = forms.CharField(max_length=300, required=False, label=_("Why are you editing?"))


class CommitmentForm(forms.Form):
    text = forms.CharField(
        max_length=500,
        label=_("I will…"),
        help_text=_("One concrete action: what, by when, how you will know it worked."),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Ask Sam for 20 minutes to agree the rota by Friday")}),
    )


class ReportBackForm(forms.Form):
    STATUS_CHOICES = [
        (ActionCommitment.Status.DONE, _("Done")),
        (ActionCommitment.Status.PARTLY, _("Partly")),
        (ActionCommitment.Status.NOT_DONE, _("Not done")),
    ]
    # Reports from before done / partly / not keep their status when they are updated.
    LEGACY = [(ActionCommitment.Status.CHANGED, _("Changed — I did something different")),
              (ActionCommitment.Status.DROPPED, _("Dropped"))]
    status = forms.ChoiceField(choices=STATUS_CHOICES + LEGACY, widget=forms.RadioSelect, label=_("Did you do it?"))
    what_happened = MarkdownField(
        label=_("What did you do, and what happened?"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
    )
    how_differed = MarkdownField(
        label=_("How did it differ from what you expected?"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
    )
    learned = MarkdownField(label=_("What did you learn?"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    # An older report-back written as one text: still accepted (the service needs one or the other).
    report_back = MarkdownField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, legacy_status: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        keep = [c for c in self.LEGACY if c[0] == legacy_status]
        self.fields["status"].choices = self.STATUS_CHOICES + keep


EMAIL_LEVELS = [
    (Membership.NotificationLevel.WATCHING, _("Every new post")),
    (Membership.NotificationLevel.NORMAL, _("Digest and reminders")),
    (Membership.NotificationLevel.MUTED, _("No email")),
]


class NotificationLevelForm(forms.Form):
    # Radios, not a select: in the set page's narrow sidebar a select cut its choices short (issue 13).
    notification_level = forms.ChoiceField(label=_("Email from this set"), choices=EMAIL_LEVELS,
                                           widget=forms.RadioSelect)


class SetEmailLevelsForm(forms.Form):
    """Preferences: every set of mine in one table, the same levels as the set page's sidebar."""

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        # A researcher's sets send them no email (issue 17): no level to choose there.
        self.memberships = memberships = [m for m in memberships if not m.is_researcher]
        for m in memberships:
            self.fields[f"set-{m.action_set_id}"] = forms.ChoiceField(
                label=m.action_set.name, choices=EMAIL_LEVELS, widget=forms.RadioSelect,
                initial=m.notification_level)

    def rows(self):
        """(membership, bound field) per set, for the table."""
        return [(m, self[f"set-{m.action_set_id}"]) for m in self.memberships]


# --- The set process: process choices, check-ins, reviews, journal, forming and ending ----------

HOURS = {"min_value": 0, "max_value": 24 * 30}


def _text(label: str, *, rows: int = 4, required: bool = True, help_text: str = "") -> forms.CharField:
    help_text = format_lazy("{} {}", help_text, limit_help_lazy()) if help_text else limit_help_lazy()
    return MarkdownField(label=label, required=required, help_text=help_text,
                         widget=forms.Textarea(attrs={"rows": rows}))


class ProcessOptionsForm(forms.Form):
    ask_before_seeing = forms.BooleanField(
        required=False, label=_("Ask before you see: in the clarifying phase, members see others' questions only "
        "after asking their own"))
    show_who_hasnt_asked = forms.BooleanField(
        required=False, label=_("Show the set who hasn't asked each presenter anything yet (you always see it)"))
    language = forms.ChoiceField(
        required=False, label=gettext_lazy("Language the members write in"),
        help_text=gettext_lazy("Chooses the word lists of the advice and open-question heuristics. Changing it "
                               "applies to posts from now on."))

    def __init__(self, *args, **kwargs):
        from django.conf import global_settings
        from django.utils.translation import get_language_info

        super().__init__(*args, **kwargs)
        names = {code: get_language_info(code)["name_translated"] for code, _name in global_settings.LANGUAGES}
        shipped = [code for code, _name in settings.LANGUAGES]
        self.fields["language"].choices = ([(code, names.get(code, code)) for code in shipped]
                                           + sorted(((c, n) for c, n in names.items() if c not in shipped),
                                                    key=lambda pair: str(pair[1])))


class PhaseWindowsForm(forms.Form):
    ASK_CHOICES = [("", _("Follow the set's choice")), ("yes", _("Ask before you see")), ("no", _("See everything"))]

    clarifying_hours = forms.IntegerField(label=_("Clarifying questions"), **HOURS)
    probing_hours = forms.IntegerField(label=_("Probing questions"), **HOURS)
    offers_hours = forms.IntegerField(label=_("Offers (when welcome)"), **HOURS)
    summary_hours = forms.IntegerField(label=_("Summary and actions"), **HOURS)
    reflection_hours = forms.IntegerField(label=_("Reflection"), **HOURS)
    review_hours = forms.IntegerField(label=_("Process review (before the round closes)"), **HOURS)
    ask_before_seeing = forms.ChoiceField(choices=ASK_CHOICES, required=False, label=_("Ask before you see"))
    reason = forms.CharField(max_length=300, required=False, label=_("Why (for the log, optional)"))

    @classmethod
    def for_round(cls, rnd, data=None) -> "PhaseWindowsForm":
        ask = {None: "", True: "yes", False: "no"}[rnd.ask_before_seeing]
        initial = {name: getattr(rnd, name) for name in cls.base_fields if name.endswith("_hours")}
        return cls(data, prefix=f"round-{rnd.pk}", initial={**initial, "ask_before_seeing": ask})

    def windows(self) -> dict[str, int]:
        return {name: value for name, value in self.cleaned_data.items() if name.endswith("_hours")}

    def ask(self) -> bool | None:
        return {"": None, "yes": True, "no": False}[self.cleaned_data["ask_before_seeing"]]


class CheckInForm(forms.Form):
    body = _text(_("How are you arriving in this round?"), rows=3,
                 help_text=_("A few lines: what's on your mind, what you bring today. Markdown works."))
    energy = forms.TypedChoiceField(
        choices=[("", _("Rather not say"))] + ENERGY_CHOICES, coerce=int, empty_value=None, required=False,
        label=_("Energy, from 1 (running on empty) to 5 (full of it) — optional"), widget=forms.RadioSelect,
    )


class ProcessReviewForm(forms.Form):
    what_worked = _text(_("How did our questioning work this round?"), rows=3)
    do_differently = _text(_("What will we do differently next round?"), rows=3, required=False)


class ReviewSummaryForm(forms.Form):
    summary = _text(_("Summary of the set's process review"), rows=5,
                    help_text=_("What the set said worked, and what it will change. Everyone sees it."))


class JournalEntryForm(forms.Form):
    level = forms.ChoiceField(choices=JournalEntry.Level.choices, widget=forms.RadioSelect,
                              label=_("Write at this level"), initial=JournalEntry.Level.DESCRIBE)
    title = forms.CharField(max_length=200, required=False, label=_("Title (optional)"))
    airtime = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label=_("About my airtime (optional)"))
    body = markdown_field(_("Entry"), rows=10, help_text=_("Private: only you can read this. Markdown works."))
    attachments = AttachmentsField(label=_("Attach files (optional)"), help_text=_("Private like the entry: only you "
                                   "can open them."))

    def __init__(self, *args, airtimes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["airtime"].choices = [("", "—")] + [
            (a.pk, gettext("Round %(number)s: %(title)s") % {"number": a.round.number, "title": a.title})
            for a in airtimes]


class IntroductionForm(forms.Form):
    body = markdown_field(_("Introduce yourself"), rows=6,
                          help_text=_("Who you are, your role, and a first sketch of an issue you might bring."))


class RulesProposalForm(forms.Form):
    text = markdown_field(_("Proposed ground rules"), rows=14,
                          help_text=_("The whole text, as you would like the set to agree it. Markdown works."))
    note = forms.CharField(max_length=300, required=False, label=_("What changed and why"))


class EvaluationForm(forms.Form):
    usefulness = forms.TypedChoiceField(choices=ENERGY_CHOICES, coerce=int, widget=forms.RadioSelect,
                                        label=_("How useful has the set been to you? (1 not at all – 5 very)"))
    learned = _text(_("Looking back: what have you learned, about your issue and about yourself?"), rows=5)
    process = _text(_("How did the set work — and what would you change?"), rows=4, required=False)
    preference = forms.ChoiceField(choices=SetEvaluation.Choice.choices, widget=forms.RadioSelect,
                                   label=_("What would you like the set to do next?"))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label=_("Why (for the log)"))


class SearchForm(forms.Form):
    """The search page's query and filters (GET). Choices are checked by the selector against the
    reader's own sets: an unknown set, round or author simply finds nothing."""

    q = forms.CharField(required=False, max_length=200, label=_("Search for"))
    tab = forms.ChoiceField(required=False, choices=[("posts", _("Posts")), ("journal", _("My journal"))])
    set = forms.SlugField(required=False, max_length=80)
    round = forms.IntegerField(required=False, min_value=1, max_value=32767)
    kind = forms.CharField(required=False, max_length=12)
    author = forms.IntegerField(required=False, min_value=1)
    since = forms.DateField(required=False, label=_("From"))
    until = forms.DateField(required=False, label=_("To"))
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)
