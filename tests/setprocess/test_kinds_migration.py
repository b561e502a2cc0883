"""The data migration that maps the old reply kinds onto the phased process, both ways."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("actionsets", "0003_backfill_word_count")]
AFTER = [("actionsets", "0005_reply_kinds_and_rules_versions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_thread(apps):
    User = apps.get_model("accounts", "User")
    Cohort, ActionSet = apps.get_model("actionsets", "Cohort"), apps.get_model("actionsets", "ActionSet")
    Membership, Round = apps.get_model("actionsets", "Membership"), apps.get_model("actionsets", "Round")
    Airtime, Reply = apps.get_model("actionsets", "Airtime"), apps.get_model("actionsets", "Reply")
    now = timezone.now()
    people = {name: User.objects.create(email=f"{name}@example.com", display_name=name) for name in ("p", "m", "f")}
    action_set = ActionSet.objects.create(cohort=Cohort.objects.create(name="C", slug="c"), name="S", slug="s",
                                          ground_rules="Be kind.", ground_rules_html="<p>Be kind.</p>")
    accepted = Membership.objects.create(user=people["m"], action_set=action_set, ground_rules_accepted_at=now)
    Membership.objects.create(user=people["f"], action_set=action_set, role="facilitator")
    rnd = Round.objects.create(action_set=action_set, number=1, opens_at=now - timedelta(days=5),
                               closes_at=now + timedelta(days=9))
    start = now - timedelta(days=4)
    airtime = Airtime.objects.create(action_set=action_set, round=rnd, presenter=people["p"], title="T", body="B",
                                     body_html="B", created_at=start)

    def reply(n, author, kind, hours):
        return Reply.objects.create(airtime=airtime, author=people[author], kind=kind, body=kind, body_html=kind,
                                    path=f"{n:06d}", created_at=start + timedelta(hours=hours)).pk

    ids = {"early": reply(1, "m", "question", 2), "late": reply(2, "m", "question", 60),
           "fac_summary": reply(3, "f", "summary", 70), "reflection": reply(4, "m", "reflection", 80),
           "response": reply(5, "p", "response", 3)}
    return ids, action_set.pk, accepted.pk


@pytest.mark.django_db(transaction=True)
def test_old_kinds_map_onto_the_phased_process_and_back():
    ids, set_id, membership_id = _old_thread(_migrate(BEFORE))
    apps = _migrate(AFTER)
    Reply = apps.get_model("actionsets", "Reply")
    kinds = {name: Reply.objects.get(pk=pk).kind for name, pk in ids.items()}
    assert kinds == {"early": "clarifying", "late": "probing", "fac_summary": "process_note",
                     "reflection": "reflection", "response": "response"}
    action_set = apps.get_model("actionsets", "ActionSet").objects.get(pk=set_id)
    version = action_set.rules_version
    assert version.number == 1 and version.text == "Be kind." and version.adopted_at is not None
    assert apps.get_model("actionsets", "Membership").objects.get(pk=membership_id).ground_rules_version_id == version.pk
    assert action_set.state == "active"  # a running set stays running

    apps = _migrate(BEFORE)
    Reply = apps.get_model("actionsets", "Reply")
    assert {Reply.objects.get(pk=pk).kind for pk in (ids["early"], ids["late"])} == {"question"}
    assert Reply.objects.get(pk=ids["fac_summary"]).kind == "summary"
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
