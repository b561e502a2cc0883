"""One-line definitions of the set process's words, shown on hover and focus where the words are
used (`{% term %}` in actionsets_tags) and at length on the "How a round works" page."""

TERMS = {
    "airtime": ("Airtime", "Your turn: a problem you are stuck on, which the set helps you think through by asking questions.", "how-airtime"),
    "clarifying": ("Clarifying questions", "Questions to understand the situation: who, what, when — not advice.", "how-phases"),
    "probing": ("Probing questions", "Open questions that help the presenter look deeper: “What would happen if…?”", "how-phases"),
    "reflect_back": ("Reflect-back", "Saying back what you heard — “I understood you to mean… is that right?”", "how-kinds"),
    "offers": ("Offers", "Experience or resources, only when the presenter asked for them.", "how-phases"),
    "summary": ("Summary and actions", "The presenter says what they now see differently and commits to actions.", "how-phases"),
    "reflection": ("Reflection", "Everyone's short post on what they learned from this airtime.", "how-phases"),
    "ask_first": ("Ask before you see", "In the clarifying phase, others' questions show once you have asked your own.", "how-ask-first"),
    "commitment": ("Commitment", "An action you will take before the next round, and report back on then.", "how-commitments"),
}
