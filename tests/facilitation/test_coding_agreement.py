"""Coding agreement (issue 17, part 2): samples drawn once, blind codes, the statistics, the
disagreements side by side and the agreed code kept apart (docs/research.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actionsets.models import Membership, Reply
from facilitation import coding, reliability
from facilitation.models import AgreedCode, BlindCode, Code, CodingScheme
from tests.factories import MembershipFactory


@pytest.fixture
def scheme(db):
    return CodingScheme.objects.get(is_default=True)


@pytest.fixture
def codes(scheme):
    return list(scheme.codes.order_by("position", "label"))[:3]


@pytest.fixture
def second(action_set):
    return MembershipFactory(action_set=action_set, role=Membership.Role.FACILITATOR, user__email="f2@example.com",
                             user__display_name="Second Facilitator").user


@pytest.fixture
def sample(small_set, second, scheme):
    return coding.create_sample(actor=small_set.facilitator, action_set=small_set.action_set, name="All",
                                scheme=scheme, mode="all", coders=[small_set.facilitator, second])


def _replies(action_set):
    return list(Reply.objects.filter(airtime__action_set=action_set).order_by("pk"))


def test_sampling_all_per_round_and_a_repeatable_random_n(small_set, second, scheme):
    s, coders = small_set, [small_set.facilitator, second]
    every = coding.create_sample(actor=s.facilitator, action_set=s.action_set, name="a", scheme=scheme, mode="all",
                                 coders=coders)
    assert set(every.replies.all()) == set(_replies(s.action_set))
    one_round = coding.create_sample(actor=s.facilitator, action_set=s.action_set, name="r", scheme=scheme,
                                     mode="round", round=s.round, coders=coders)
    assert one_round.replies.count() == 6
    first = coding.create_sample(actor=s.facilitator, action_set=s.action_set, name="n", scheme=scheme,
                                 mode="random", size=3, coders=coders)
    again = coding.create_sample(actor=s.facilitator, action_set=s.action_set, name="n2", scheme=scheme,
                                 mode="random", size=3, seed=first.seed, coders=coders)
    assert first.replies.count() == 3 and set(first.replies.all()) == set(again.replies.all())


@pytest.mark.parametrize("change, field", [
    ({"coders": "one"}, "coders"), ({"coders": "learner"}, "coders"), ({"mode": "round"}, "round"),
    ({"mode": "random"}, "size"), ({"name": ""}, "name"),
])
def test_sample_refusals(small_set, second, scheme, change, field):
    s = small_set
    coders = {"one": [s.facilitator], "learner": [s.facilitator, s.ann]}.get(change.get("coders"),
                                                                          [s.facilitator, second])
    kwargs = {"name": change.get("name", "x"), "mode": change.get("mode", "all")}
    with pytest.raises(ValidationError) as error:
        coding.create_sample(actor=s.facilitator, action_set=s.action_set, scheme=scheme, coders=coders, **kwargs)
    assert field in error.value.message_dict


def test_a_learner_cannot_draw_a_sample(small_set, second, scheme):
    with pytest.raises(ValidationError):
        coding.create_sample(actor=small_set.ann, action_set=small_set.action_set, name="x", scheme=scheme,
                             mode="all", coders=[small_set.facilitator, second])


def test_coding_is_blind_until_the_coder_has_coded_everything(client, small_set, sample, second, codes):
    s = small_set
    replies = list(sample.replies.order_by("pk"))
    coding.code_blind(coder=second, sample=sample, codes={r.pk: codes[1] for r in replies})
    client.force_login(s.facilitator)
    page = client.get(reverse("facilitation:coding_sample", args=[s.action_set.slug, sample.pk])).content.decode()
    assert f'value="{codes[1].pk}" selected' not in page     # the other coder's codes are not preselected
    agreement_url = reverse("facilitation:coding_agreement", args=[s.action_set.slug, sample.pk])
    blind = client.get(agreement_url).content.decode()
    assert "You are coding this sample blind" in blind and "Disagreements" not in blind
    assert client.post(reverse("facilitation:coding_agreed", args=[s.action_set.slug, sample.pk]),
                       {"reply": replies[0].pk, "code": codes[0].pk}).status_code == 404
    # Code through the page: every reply, then the agreement opens.
    form = {f"code-{r.pk}": codes[0].pk if n < 2 else codes[1].pk for n, r in enumerate(replies)}
    assert client.post(reverse("facilitation:coding_sample", args=[s.action_set.slug, sample.pk]), form).status_code == 302
    assert BlindCode.objects.filter(sample=sample, coder=s.facilitator).count() == len(replies)
    opened = client.get(agreement_url).content.decode()
    assert "Disagreements, side by side" in opened and "Cohen's kappa, all codes" in opened
    second_page = client.get(agreement_url)   # the second coder finished first: they see it too
    assert second_page.status_code == 200


def test_statistics_disagreements_and_agreed_code_kept_apart(client, small_set, sample, second, codes,
                                                             django_assert_max_num_queries):
    s = small_set
    replies = list(sample.replies.order_by("pk"))
    mine = [codes[0], codes[0], codes[1], codes[1], codes[2], codes[2]]
    theirs = [codes[0], codes[1], codes[1], codes[1], codes[2], codes[0]]
    coding.code_blind(coder=s.facilitator, sample=sample, codes=dict(zip([r.pk for r in replies], mine)))
    coding.code_blind(coder=second, sample=sample, codes=dict(zip([r.pk for r in replies], theirs)))
    report = coding.agreement(sample)
    order = [c.pk for c in report.coders]
    by_coder = {s.facilitator.pk: mine, second.pk: theirs}
    pairs = [(a.pk, b.pk) for a, b in zip(by_coder[order[0]], by_coder[order[1]])]
    assert report.cohen == pytest.approx(reliability.cohen_kappa(pairs))
    # By hand: pₒ = 4/6; marginals (2,3,1) vs (2,2,2) → pₑ = (2·2 + 2·3 + 2·1)/36 = 1/3; κ = 0.5.
    assert report.cohen == pytest.approx(0.5)
    assert report.alpha == pytest.approx(reliability.krippendorff_alpha([list(p) for p in pairs]))
    per_code = {row.code.pk: row for row in report.per_code}
    assert per_code[codes[0].pk].used == 4
    assert [i.reply.pk for i in report.disagreements] == [replies[1].pk, replies[5].pk]
    confusion = {row.pk: dict(zip([c.pk for c in report.codes], cells)) for row, cells in report.confusion}
    assert confusion[codes[0].pk][codes[1].pk] == 1 and confusion[codes[1].pk][codes[1].pk] == 2
    coding.record_agreed(actor=second, sample=sample, reply_id=replies[1].pk, code=codes[1], note="Probing, really")
    assert AgreedCode.objects.get(sample=sample, reply=replies[1]).code == codes[1]
    assert BlindCode.objects.get(sample=sample, reply=replies[1], coder=s.facilitator).code == codes[0]  # untouched
    client.force_login(s.facilitator)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("facilitation:coding_agreement", args=[s.action_set.slug, sample.pk]))
    assert "Probing, really" in page.content.decode()


def test_three_coders_get_fleiss_and_alpha(small_set, second, scheme, codes, action_set):
    third = MembershipFactory(action_set=action_set, role=Membership.Role.FACILITATOR).user
    s = small_set
    sample = coding.create_sample(actor=s.facilitator, action_set=s.action_set, name="3", scheme=scheme, mode="all",
                                  coders=[s.facilitator, second, third])
    replies = list(sample.replies.order_by("pk"))
    for coder, pattern in ((s.facilitator, [0, 0, 1, 1, 2, 2]), (second, [0, 1, 1, 1, 2, 2]),
                           (third, [0, 0, 1, 2, 2, 2])):
        coding.code_blind(coder=coder, sample=sample, codes={r.pk: codes[i] for r, i in zip(replies, pattern)})
    report = coding.agreement(sample)
    assert report.cohen is None and report.fleiss is not None
    table = [[col.count(k) for k in range(3)] for col in zip([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 2],
                                                             [0, 0, 1, 2, 2, 2])]
    padded = [row + [0] * (len(report.codes) - 3) for row in table]
    assert report.fleiss == pytest.approx(reliability.fleiss_kappa(padded))


def test_codes_only_for_the_samples_replies_and_scheme(small_set, sample, second, codes, action_set, other_set):
    other = CodingScheme.objects.create(name="Other")
    foreign = Code.objects.create(scheme=other, slug="x", label="X")
    reply = sample.replies.first()
    with pytest.raises(ValidationError):
        coding.code_blind(coder=second, sample=sample, codes={reply.pk: foreign})
    with pytest.raises(ValidationError):
        coding.code_blind(coder=second, sample=sample, codes={10**9: codes[0]})
    with pytest.raises(ValidationError):
        coding.code_blind(coder=small_set.ann, sample=sample, codes={reply.pk: codes[0]})
