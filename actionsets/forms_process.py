"""Forms for the set process pages: the facilitator's process choices, check-ins, process
reviews, the journal, introductions, ground-rules versions and the ending evaluation."""

from django import forms

from .forms import MarkdownField, limit_help, markdown_field
from .models import JournalEntry, SetEvaluation
from .models_process import ENERGY_CHOICES

HOURS = {"min_value": 0, "max_value": 24 * 30}


def _text(label: str, *, rows: int = 4, required: bool = True, help_text: str = "") -> forms.CharField:
    return MarkdownField(label=label, required=required, help_text=f"{help_text} {limit_help()}".strip(),
                         widget=forms.Textarea(attrs={"rows": rows}))


class ProcessOptionsForm(forms.Form):
    ask_before_seeing = forms.BooleanField(
        required=False, label="Ask before you see: in the clarifying phase, members see others' questions only "
        "after asking their own")
    show_who_hasnt_asked = forms.BooleanField(
        required=False, label="Show the set who hasn't asked each presenter anything yet (you always see it)")


class PhaseWindowsForm(forms.Form):
    ASK_CHOICES = [("", "Follow the set's choice"), ("yes", "Ask before you see"), ("no", "See everything")]

    clarifying_hours = forms.IntegerField(label="Clarifying questions", **HOURS)
    probing_hours = forms.IntegerField(label="Probing questions", **HOURS)
    offers_hours = forms.IntegerField(label="Offers (when welcome)", **HOURS)
    summary_hours = forms.IntegerField(label="Summary and actions", **HOURS)
    reflection_hours = forms.IntegerField(label="Reflection", **HOURS)
    review_hours = forms.IntegerField(label="Process review (before the round closes)", **HOURS)
    ask_before_seeing = forms.ChoiceField(choices=ASK_CHOICES, required=False, label="Ask before you see")
    reason = forms.CharField(max_length=300, required=False, label="Why (for the log, optional)")

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
    body = _text("How are you arriving in this round?", rows=3,
                 help_text="A few lines: what's on your mind, what you bring today. Markdown works.")
    energy = forms.TypedChoiceField(
        choices=[("", "Rather not say")] + ENERGY_CHOICES, coerce=int, empty_value=None, required=False,
        label="Energy, from 1 (running on empty) to 5 (full of it) — optional", widget=forms.RadioSelect,
    )


class ProcessReviewForm(forms.Form):
    what_worked = _text("How did our questioning work this round?", rows=3)
    do_differently = _text("What will we do differently next round?", rows=3, required=False)


class ReviewSummaryForm(forms.Form):
    summary = _text("Summary of the set's process review", rows=5,
                    help_text="What the set said worked, and what it will change. Everyone sees it.")


class JournalEntryForm(forms.Form):
    level = forms.ChoiceField(choices=JournalEntry.Level.choices, widget=forms.RadioSelect,
                              label="Write at this level", initial=JournalEntry.Level.DESCRIBE)
    title = forms.CharField(max_length=200, required=False, label="Title (optional)")
    airtime = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, label="About my airtime (optional)")
    body = markdown_field("Entry", rows=10, help_text="Private: only you can read this. Markdown works.")

    def __init__(self, *args, airtimes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["airtime"].choices = [("", "—")] + [(a.pk, f"Round {a.round.number}: {a.title}") for a in airtimes]


class IntroductionForm(forms.Form):
    body = markdown_field("Introduce yourself", rows=6,
                          help_text="Who you are, your role, and a first sketch of an issue you might bring.")


class RulesProposalForm(forms.Form):
    text = markdown_field("Proposed ground rules", rows=14,
                          help_text="The whole text, as you would like the set to agree it. Markdown works.")
    note = forms.CharField(max_length=300, required=False, label="What changed and why")


class EvaluationForm(forms.Form):
    usefulness = forms.TypedChoiceField(choices=ENERGY_CHOICES, coerce=int, widget=forms.RadioSelect,
                                        label="How useful has the set been to you? (1 not at all – 5 very)")
    learned = _text("Looking back: what have you learned, about your issue and about yourself?", rows=5)
    process = _text("How did the set work — and what would you change?", rows=4, required=False)
    preference = forms.ChoiceField(choices=SetEvaluation.Choice.choices, widget=forms.RadioSelect,
                                   label="What would you like the set to do next?")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, required=False, label="Why (for the log)")
