"""Cohorts, sets, memberships and rounds."""


from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SetState(models.TextChoices):
    FORMING = "forming", pgettext_lazy("set state", "Forming")
    ACTIVE = "active", pgettext_lazy("set state", "Active")
    ENDING = "ending", pgettext_lazy("set state", "Ending")
    CLOSED = "closed", pgettext_lazy("set state", "Closed")


def default_set_language() -> str:
    """A new set is in the installation's language until its facilitator says otherwise."""
    return settings.LANGUAGE_CODE


class ActionSet(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="action_sets")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    ground_rules = models.TextField(blank=True)
    ground_rules_html = models.TextField(blank=True, editable=False)
    quiet_after_days = models.PositiveSmallIntegerField(default=4)
    confidential_digests = models.BooleanField(
        default=True, help_text="Digests show titles and counts only, never post text."
    )
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The set's life-cycle (docs/set-process.md). `archived` stays a separate, staff-only switch.
    state = models.CharField(max_length=8, choices=SetState.choices, default=SetState.FORMING)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    # The facilitator's process choices for the whole set (a round may override ask-before-seeing).
    ask_before_seeing = models.BooleanField(
        default=False, help_text="In the clarifying phase, members see others' questions only after asking their own."
    )
    show_who_hasnt_asked = models.BooleanField(
        default=False, help_text="Show every member who has not yet asked the presenter anything (facilitators always see it)."
    )
    # Ground rules are versioned (GroundRulesVersion); this is the version members accept now.
    rules_version = models.ForeignKey(
        "actionsets.GroundRulesVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rules_renegotiation_open = models.BooleanField(default=False)
    # Self-managed: a rotating process steward among the learners takes the facilitator's process
    # prompts (StewardRota), starting with this round number.
    self_managed = models.BooleanField(default=False)
    self_managed_from_round = models.PositiveSmallIntegerField(null=True, blank=True)
    # The language the members write in (a language code, any of Django's, not only the interface's
    # LANGUAGES): it picks the advice and open-question word lists (actionsets/advice.py).
    language = models.CharField(max_length=15, default=default_set_language, blank=True)  # blank: LANGUAGE_CODE

    class Meta:
        ordering = ["name"]
        verbose_name = "action set"

    State = SetState

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actionsets:set_home", kwargs={"set_slug": self.slug})


class MembershipQuerySet(models.QuerySet):
    def current(self) -> "MembershipQuerySet":
        return self.filter(left_at__isnull=True)


class Membership(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", _("Learner")
        FACILITATOR = "facilitator", _("Facilitator")
        # Issue 17: reads the set as a facilitator does, writes nothing in it but their own blind
        # codes; granted and revoked by the set's facilitator (facilitation.services.grant_researcher).
        RESEARCHER = "researcher", _("Researcher")

    # The roles staff enrol people in (/manage/, CSV files, LTI rosters, the admin): never a
    # researcher, whom only the set's own facilitator grants, in the open.
    ENROLLED_ROLES = [(Role.LEARNER.value, Role.LEARNER.label), (Role.FACILITATOR.value, Role.FACILITATOR.label)]

    class NotificationLevel(models.TextChoices):
        WATCHING = "watching", _("Watching (every new post)")
        NORMAL = "normal", _("Normal (digest and nudges)")
        MUTED = "muted", _("Muted (no email for this set)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.LEARNER)
    joined_at = models.DateTimeField(default=timezone.now)
    # When a learner was made facilitator (null: joined as one, and `joined_at` says when). The set
    # page and the digests announce every facilitator from this date: members know who reads them.
    facilitator_since = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    ground_rules_accepted_at = models.DateTimeField(null=True, blank=True)
    # When the member dismissed the set page's first-visit welcome (issue 13); empty: show it.
    welcomed_at = models.DateTimeField(null=True, blank=True)
    # The day of the member's last visit to the set's pages (issue 19: "who is around"). Only the
    # day is kept, and the member list shows it in plain words ("this week"): never exact times.
    last_visit_on = models.DateField(null=True, blank=True)
    notification_level = models.CharField(
        max_length=10, choices=NotificationLevel.choices, default=NotificationLevel.NORMAL
    )
    # Which version of the ground rules they accepted (null: accepted before versions existed).
    ground_rules_version = models.ForeignKey(
        "actionsets.GroundRulesVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The member's @handle in this set (issue 14): readable, unique among the set's current members,
    # assigned by the membership services (actionsets/handles.py). Empty only until assigned.
    handle = models.CharField(max_length=40, blank=True, default="")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "action_set"],
                condition=Q(left_at__isnull=True),
                name="one_current_membership_per_set",
            ),
            models.UniqueConstraint(
                fields=["action_set", "handle"],
                condition=Q(left_at__isnull=True) & ~Q(handle=""),
                name="one_current_handle_per_set",
            ),
        ]
        indexes = [models.Index(fields=["action_set", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.action_set} ({self.role})"

    @property
    def is_current(self) -> bool:
        return self.left_at is None

    @property
    def is_facilitator(self) -> bool:
        return self.role == self.Role.FACILITATOR

    @property
    def is_researcher(self) -> bool:
        return self.role == self.Role.RESEARCHER

    @property
    def is_learner(self) -> bool:
        """Takes part: presents, asks, is counted, nudged and given airtime (never a facilitator or researcher)."""
        return self.role == self.Role.LEARNER

    @property
    def researching_since(self):
        """When the facilitator granted the researcher role (a researcher joins by that grant)."""
        return self.joined_at if self.is_researcher else None

    @property
    def facilitating_since(self):
        """When they started facilitating this set (None for a learner)."""
        return (self.facilitator_since or self.joined_at) if self.is_facilitator else None

    @property
    def has_accepted_rules(self) -> bool:
        """Accepted the set's current ground rules (its current version, when it has versions)."""
        if self.ground_rules_accepted_at is None:
            return False
        current = self.action_set.rules_version_id
        return current is None or self.ground_rules_version_id == current


class Round(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("round state", "Scheduled")
        OPEN = "open", pgettext_lazy("round state", "Open")
        CLOSED = "closed", pgettext_lazy("round state", "Closed")

    DEFAULT_LENGTH_DAYS = 14

    action_set = models.ForeignKey(ActionSet, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    # Airtime phase windows in hours, from the airtime's own start (docs/set-process.md defaults).
    # 0 skips a phase. The facilitator changes them per round.
    clarifying_hours = models.PositiveSmallIntegerField(default=48)
    probing_hours = models.PositiveSmallIntegerField(default=72)
    offers_hours = models.PositiveSmallIntegerField(default=24)
    summary_hours = models.PositiveSmallIntegerField(default=48)
    reflection_hours = models.PositiveSmallIntegerField(default=48)
    # The process review opens this many hours before the round closes.
    review_hours = models.PositiveSmallIntegerField(default=48)
    ask_before_seeing = models.BooleanField(
        null=True, blank=True, help_text="Empty: follow the set's choice."
    )
    review_summary = models.TextField(blank=True)
    review_summary_html = models.TextField(blank=True, editable=False)
    review_summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_summarised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["action_set", "number"], name="round_number_unique_in_set"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opens"),
        ]
        indexes = [models.Index(fields=["opens_at", "closes_at"])]

    def __str__(self) -> str:
        return f"Round {self.number}"

    def state_at(self, when) -> str:
        if when < self.opens_at:
            return self.State.SCHEDULED
        if when < self.closes_at:
            return self.State.OPEN
        return self.State.CLOSED

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def state_label(self) -> str:
        """The state's name in the active language (issue 18)."""
        return self.State(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED
