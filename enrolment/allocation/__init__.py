"""Allocating a cohort's learners into sets (docs/allocation.md). `problem`, `scoring` and
`solver` are pure Python; the services (enrolment/services/allocations.py) read the cohort into a
`Problem` and store the `Result` as a plan to preview, adjust and commit."""

from .problem import CONSTRAINT_LABELS, DEFAULT_SIZE, MAX_SIZE, MIN_SIZE, WEIGHTS, Person, Problem, Result, Unmet
from .scoring import evaluate, utc_label
from .solver import allocate, diagnose

__all__ = ["CONSTRAINT_LABELS", "DEFAULT_SIZE", "MAX_SIZE", "MIN_SIZE", "WEIGHTS", "Person", "Problem", "Result",
           "Unmet", "allocate", "diagnose", "evaluate", "utc_label"]
