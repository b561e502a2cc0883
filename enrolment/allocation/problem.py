"""What an allocation works on: people, the constraints between them, and the result. Pure
Python (no database): the services build a `Problem` from the cohort and store the `Result`."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MIN_SIZE, MAX_SIZE, DEFAULT_SIZE = 5, 8, 6

# What one unit of each constraint costs in the score (lower is better). Must-not-share and the
# time-zone span are meant as hard; they are soft in the model only so that an impossible cohort
# still gets the best allocation there is, with the broken constraint named.
WEIGHTS = {
    "must_not_share": 1000,  # per pair sharing a set
    "time_zone": 100,  # per hour a set's span goes over the limit
    "requested": 10,  # per requested pair not together
    "department": 3,  # per person over a department's fair share in a set
    "organisation": 2,  # per person over an organisation's fair share in a set
}
CONSTRAINT_LABELS = {
    "size": _("Set size"),
    "facilitators": _("Facilitators"),
    "must_not_share": _("Must not share a set"),
    "time_zone": _("Time-zone span"),
    "requested": _("Requested pairs"),
    "department": _("Department / discipline spread"),
    "organisation": _("Organisation spread"),
}


@dataclass(frozen=True)
class Person:
    key: int  # the user id
    name: str
    offset: int = 0  # minutes east of UTC, now
    department: str = ""
    organisation: str = ""


@dataclass
class Problem:
    learners: list[Person]
    size: int = DEFAULT_SIZE
    span_hours: float | None = 3  # None: no time-zone constraint
    facilitators: list[Person] = field(default_factory=list)
    facilitators_per_set: int = 1
    must_not_share: list[tuple[int, int]] = field(default_factory=list)
    requested: list[tuple[int, int]] = field(default_factory=list)
    # Facilitators already placed ("as given"): set index → facilitator keys. Not moved.
    given_facilitators: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not MIN_SIZE <= self.size <= MAX_SIZE:
            raise ValueError(f"A set has between {MIN_SIZE} and {MAX_SIZE} people; {self.size} was asked for.")
        self.people = {p.key: p for p in self.learners + self.facilitators}

    @property
    def span_minutes(self) -> int | None:
        return None if self.span_hours is None else round(self.span_hours * 60)

    def set_count(self) -> int:
        """As many sets as `size` suggests, kept so every set has 5 to 8 learners."""
        n = len(self.learners)
        if n <= MAX_SIZE:
            return 1 if n else 0
        k = max(1, round(n / self.size))
        while n > MAX_SIZE * k:
            k += 1
        while k > 1 and n < MIN_SIZE * k:
            k -= 1
        return k


@dataclass
class Unmet:
    """One constraint the allocation does not meet, and for whom."""

    constraint: str
    message: str
    people: list[int] = field(default_factory=list)
    set_index: int | None = None

    def as_dict(self) -> dict:
        return {"constraint": self.constraint, "label": str(CONSTRAINT_LABELS[self.constraint]), "message": self.message,
                "people": self.people, "set": self.set_index}


@dataclass
class Result:
    sets: list[list[int]]  # learner keys per set
    facilitators: list[list[int]]  # facilitator keys per set
    costs: dict[str, int]  # constraint → cost (WEIGHTS units)
    unmet: list[Unmet]
    diagnosis: list[Unmet]  # what could never be met, found before solving
    solver: dict  # status, blocks, seconds

    @property
    def score(self) -> int:
        return sum(self.costs.values())
