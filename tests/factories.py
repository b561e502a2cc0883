"""Shared factories. Build state through services where side effects matter (counters, paths,
read markers); these factories are for the plain rows around them."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from actionsets.markdown import render_markdown
from actionsets.models import ActionSet, Cohort, Membership, Round

DEFAULT_PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=obj, email=obj.email, defaults={"verified": extracted is not False, "primary": True}
        )


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")


class ActionSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionSet

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Set {n}")
    slug = factory.Sequence(lambda n: f"set-{n}")
    ground_rules = "We ask questions before we offer anything else. What is said here stays here."
    ground_rules_html = factory.LazyAttribute(lambda o: render_markdown(o.ground_rules))
    state = ActionSet.State.ACTIVE  # a running set; life-cycle tests start from forming themselves


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    action_set = factory.SubFactory(ActionSetFactory)
    role = Membership.Role.LEARNER
    ground_rules_accepted_at = factory.LazyFunction(timezone.now)
    # Acceptance is of the set's current ground-rules version (when it has versions).
    ground_rules_version = factory.LazyAttribute(
        lambda o: o.action_set.rules_version if o.ground_rules_accepted_at else None
    )

    @factory.post_generation
    def with_handle(obj, create, extracted, **kwargs):
        """Every current member has an @handle, as the membership services give them."""
        if create and not obj.handle and obj.left_at is None:
            from actionsets.handles import assign_handles

            assign_handles(action_set_ids=[obj.action_set_id])
            obj.refresh_from_db(fields=["handle"])


class RoundFactory(factory.django.DjangoModelFactory):
    """An open round by default: opened a day ago, closes in 13 days."""

    class Meta:
        model = Round

    action_set = factory.SubFactory(ActionSetFactory)
    number = factory.Sequence(lambda n: n + 1)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + timedelta(days=14))
