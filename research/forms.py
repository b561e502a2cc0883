from django import forms

from actionsets.forms import markdown_field


class StudyForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    ethics_reference = forms.CharField(max_length=120, label="Ethics approval reference")
    information_sheet = markdown_field("Information sheet", rows=10,
                                       help_text="What the study is, what is exported, how to withdraw.")
    contact = forms.CharField(max_length=200, label="Contact", help_text="Who members write to with questions.")


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(
        choices=[("yes", "Yes: my words in this set may be used for this study"),
                 ("no", "No: keep my words out of it")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect, label="Your choice",
    )
