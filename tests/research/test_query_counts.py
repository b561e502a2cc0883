"""Query counts of the pages issue 17 added do not grow with what they list (DESIGN.md, performance):
the information sheet's versions page at 1 and 6 versions, the studies page at 1 and 4 studies, and
the facilitators' researchers page at 1 and 4 researchers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from facilitation import researchers
from research import services as research_services


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _register(action_set, facilitator, n):
    return research_services.register_study(
        actor=facilitator, action_set=action_set, title=f"Study {n}", ethics_reference=f"ETH-{n}",
        information_sheet=f"Sheet {n}.", contact="research@example.org")


def test_the_versions_page_is_constant_in_the_number_of_versions(client, action_set, facilitator, learner, study):
    client.force_login(learner)
    url = reverse("research:versions", args=[action_set.slug, study.pk])
    one = _count(client, url)
    for n in range(5):
        study = research_services.revise_information_sheet(actor=facilitator, action_set=action_set, study=study,
                                                           information_sheet=f"Revised sheet, take {n}.")
    assert _count(client, url) == one


def test_the_studies_page_is_constant_in_the_number_of_studies(client, action_set, facilitator, learner, study):
    client.force_login(learner)
    url = reverse("research:studies", args=[action_set.slug])
    one = _count(client, url)
    for n in range(3):
        _register(action_set, facilitator, n)
    assert _count(client, url) == one


def test_the_researchers_page_is_constant_in_the_number_of_researchers(client, action_set, facilitator):
    client.force_login(facilitator)
    url = reverse("facilitation:researchers", args=[action_set.slug])
    User.objects.create_user(email="r0@example.org", password="x")
    researchers.grant_researcher(actor=facilitator, action_set=action_set, email="r0@example.org")
    one = _count(client, url)
    for n in range(1, 4):
        User.objects.create_user(email=f"r{n}@example.org", password="x")
        researchers.grant_researcher(actor=facilitator, action_set=action_set, email=f"r{n}@example.org")
    assert _count(client, url) == one
