from django.apps import AppConfig


class ResearchConfig(AppConfig):
    """Research studies on a cohort, members' consent per set, and the pseudonymised research export
    (REFI-QDA .qdpx, CSV/JSON, codebook, README). On the ladder above enrolment, below
    personal_data (docs/research.md, section 3)."""

    name = "research"
