"""One-line definitions of the set process's words, shown on hover and focus where the words are
used (`{% term %}` in actionsets_tags) and at length on the "How a round works" page. Lazy: each
reader sees them in their own language (issue 18; glossary in docs/translating.md)."""

from django.utils.translation import gettext_lazy as _

TERMS = {
    "airtime": (_("Airtime"), _("Your turn: a problem you are stuck on, which the set helps you think through by asking questions."), "how-airtime"),
    "clarifying": (_("Clarifying questions"), _("Questions to understand the situation: who, what, when — not advice."), "how-phases"),
    "probing": (_("Probing questions"), _("Open questions that help the presenter look deeper: “What would happen if…?”"), "how-phases"),
    "reflect_back": (_("Reflect-back"), _("Saying back what you heard — “I understood you to mean… is that right?”"), "how-kinds"),
    "offers": (_("Offers"), _("Experience or resources, only when the presenter asked for them."), "how-phases"),
    "summary": (_("Summary and actions"), _("The presenter says what they now see differently and commits to actions."), "how-phases"),
    "reflection": (_("Reflection"), _("Everyone's short post on what they learned from this airtime."), "how-phases"),
    "ask_first": (_("Ask before you see"), _("In the clarifying phase, others' questions show once you have asked your own."), "how-ask-first"),
    "commitment": (_("Commitment"), _("An action you will take before the next round, and report back on then."), "how-commitments"),
}
