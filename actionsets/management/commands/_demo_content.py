"""What the demo set members wrote. Data only: `seed_demo` decides when and how it is posted.

Two sets of a university "Leading Change" programme. Set A is mostly academic staff and a
doctoral researcher; set B is professional-services and research staff. Round 1 is complete
(every learner presented, was questioned, committed to actions and mostly reported back);
round 2 has just opened and four people have presented so far.

Replies are listed in the order they were posted. `parent` names an earlier reply of the same
thread by its `ref`; the author `"fac"` is the set's facilitator.
"""

from textwrap import dedent
from typing import NamedTuple

# Reply kinds of the phased set process (actionsets/phases.py decides when each may be posted).
CLARIFYING, PROBING, REFLECT_BACK, OFFER = "clarifying", "probing", "reflect_back", "offer"
RESPONSE, SUMMARY, REFLECTION, PROCESS_NOTE = "response", "summary", "reflection", "process_note"
DONE, PARTLY, NOT_DONE, OPEN = "done", "partly", "not_done", "open"


def md(text: str) -> str:
    return dedent(text).strip()


class Person(NamedTuple):
    key: str
    email: str
    display_name: str
    timezone: str
    about: str


class Post(NamedTuple):
    ref: str
    author: str
    kind: str
    parent: str | None
    body: str


class Commitment(NamedTuple):
    text: str
    status: str = OPEN
    report_back: str = ""


class AirtimeContent(NamedTuple):
    presenter: str
    title: str
    body: str
    replies: tuple[Post, ...]
    commitments: tuple[Commitment, ...] = ()
    offers_welcome: bool = False  # the presenter asked for offers: the offers phase runs


class SetContent(NamedTuple):
    slug: str
    name: str
    facilitator: Person
    learners: tuple[Person, ...]
    ground_rules: str


COHORT_SLUG = "demo-cohort"
COHORT_NAME = "Leading Change 2026 — Autumn intake"

ADMIN = Person("admin", "admin@example.com", "Programme Office", "Europe/London", "Staff admin (superuser)")

# Joins set A after round 1 and has not yet accepted the ground rules.
LATE_JOINER = Person("a6", "a6@example.com", "Sam Whitfield", "Europe/Dublin", "Lecturer in Law")
# Presented in round 1, then withdrew from the programme: removed, their posts stay.
FORMER_MEMBER = Person("a7", "a7@example.com", "Lukas Becker", "Europe/Berlin", "Laboratory Manager, Chemistry")


# --- Ground rules ----------------------------------------------------------------------------

GROUND_RULES_A = md(
    """
    ## How we work together — Set A

    We drafted these together in the forming week and they belong to us. Anyone can propose a
    change; we agree it in a facilitator time-out and Ruth updates this page.

    ### Confidentiality
    - **What is said in the set stays in the set.** We don't repeat anyone's airtime, names or
      details outside it — not to colleagues, not to line managers, not in our own supervision.
    - We may share *what we learned* elsewhere under the
      [Chatham House Rule](https://www.chathamhouse.org/about-us/chatham-house-rule): the idea,
      never who said it or whose problem it was.
    - No screenshots and no copying other people's posts into email or chat.

    ### Questions before advice
    - Airtime belongs to the presenter. We help by asking open questions (*what*, *how*,
      *what would it mean if…*), not by solving their problem for them.
    - "Have you tried…?" is advice wearing a question mark. If you have experience to offer, wait
      until the presenter asks for it, and label it as an offer.
    - A reflection is about *your own* practice: "reading this, I noticed that I…".

    ### Response times
    - Presenters post in the first three days of a round.
    - We aim to put a first question on every airtime within **48 hours**; presenters aim to answer
      questions within **72 hours**.
    - Weekends don't count. We are spread over five time zones, so nobody is expected to reply
      outside their own working day.

    ### Notice of absence
    If you will be away or quiet for more than a few days, post a one-line note on the set page or
    message Ruth. No reasons needed. If someone is silent for a whole round without notice, Ruth
    will get in touch — kindly.

    ### What is logged and who sees it
    - The platform records when you post, what kind of post it is, and who replied to whom.
    - Ruth sees a dashboard of those figures for this set only, and may tag posts with private
      discourse codes to help her notice patterns. She uses them to support the set, never to
      assess anyone.
    - The programme office can see who is enrolled and overall participation numbers. They
      **cannot** read anything posted here.
    - Nothing in this set feeds into appraisal, probation, promotion or grades.
    """
)

GROUND_RULES_B = md(
    """
    ## Our contract — Set B

    Agreed in our first week, reviewed at the end of every round. Jonas keeps this page up to date.

    ### 1. Confidential by default
    What people bring here is often about colleagues, managers and jobs. We treat it that way:

    - Nothing leaves the set with a name, a role or a department attached.
    - Learning can travel under the
      [Chatham House Rule](https://www.chathamhouse.org/about-us/chatham-house-rule); stories cannot.
    - If you recognise a colleague in someone's airtime, say so privately to Jonas and step back
      from that thread.

    ### 2. Questions first; advice only when invited
    1. Start with questions that help the presenter think, not questions that steer them.
    2. No advice dressed up as a question ("have you thought about…?"), and no "if I were you".
       We aren't.
    3. If the presenter asks for experience or resources, begin the post with **Offer:** so it
       reads as one option, not the answer.

    ### 3. Response-time norms
    We span nineteen hours, from Los Angeles to Melbourne, so:

    - a first reply to each airtime within **two working days**;
    - presenters answer within **three working days**, or say when they will;
    - nobody apologises for replying during their own working hours.

    ### 4. Notice of absence
    Leave, marking peaks, illness, caring: tell the set you will be away, in a line, before you go.
    Quiet without notice for a week means a friendly check-in from Jonas.

    ### 5. What is logged, and who sees it
    The platform logs post times, post types and who answers whom. Jonas (our facilitator) sees
    those figures for this set and can add private codes to posts to study how we question and
    reflect. The programme office sees membership and participation counts, **not** content.
    None of it is used for assessment or performance review.
    """
)


# --- People ----------------------------------------------------------------------------------

SETS: tuple[SetContent, ...] = (
    SetContent(
        slug="demo-set-a",
        name="Set A — Academic leads",
        facilitator=Person("fac.a", "fac.a@example.com", "Dr Ruth Adeyemi", "Europe/London",
                           "Facilitator, Organisational Development"),
        learners=(
            Person("a1", "a1@example.com", "Priya Raman", "Europe/London", "Senior Lecturer, Public Health"),
            Person("a2", "a2@example.com", "Tomás Ferreira", "Europe/Lisbon", "Research Fellow, Marine Biology"),
            Person("a3", "a3@example.com", "Aroha Ngata", "Pacific/Auckland", "Programme Director, online MSc Education"),
            Person("a4", "a4@example.com", "Daniel Okafor", "America/Toronto", "Lecturer, Computer Science"),
            Person("a5", "a5@example.com", "Meera Iyer", "Asia/Kolkata", "Doctoral researcher, Sociology"),
            LATE_JOINER,
            FORMER_MEMBER,
        ),
        ground_rules=GROUND_RULES_A,
    ),
    SetContent(
        slug="demo-set-b",
        name="Set B — Professional services and research staff",
        facilitator=Person("fac.b", "fac.b@example.com", "Jonas Lindqvist", "Europe/Stockholm",
                           "Facilitator, Staff Development"),
        learners=(
            Person("b1", "b1@example.com", "Hannah Cole", "America/Los_Angeles", "Research Programme Manager"),
            Person("b2", "b2@example.com", "Kwame Mensah", "Africa/Accra", "Faculty Operations Manager"),
            Person("b3", "b3@example.com", "Yuki Tanaka", "Asia/Tokyo", "Postdoctoral researcher, Cell Biology"),
            Person("b4", "b4@example.com", "Fatima Al-Sayed", "Asia/Dubai", "Teaching Fellow, Dubai campus"),
            Person("b5", "b5@example.com", "Rhys Morgan", "Europe/London", "Academic Liaison Librarian"),
            Person("b6", "b6@example.com", "Chloé Martin", "Australia/Melbourne", "Part-time doctoral researcher, PGR rep"),
        ),
        ground_rules=GROUND_RULES_B,
    ),
)


# --- Round 1: set A --------------------------------------------------------------------------

ROUND_1_A = (
    AirtimeContent(
        presenter="a1",
        title="My team keeps missing the internal grant deadline",
        body=md(
            """
            I lead a small bid-writing group in Public Health — four academics plus me, and we
            share a research development officer with two other schools. In the last year we have
            missed the university's **internal** deadline on three major bids: the one six weeks
            before the funder's deadline, so Research Office can do costings and approvals.

            Each time we've scraped through by asking for an extension. Last time the Associate
            Dean (Research) told me, politely, that there would not be another one.

            What usually happens:

            - we agree the plan at a kick-off meeting and everyone is enthusiastic;
            - nobody writes anything for three weeks;
            - the last fortnight is a scramble and I write most of the case for support at midnight.

            I don't think anyone is lazy — they're all teaching heavily this term. But I'm starting
            to wonder whether *I* am part of the pattern. What I'd like help with is understanding
            what's really going on before I reach for yet another Gantt chart.
            """
        ),
        replies=(
            Post("q1", "a2", CLARIFYING, None,
                 "When you say nobody writes anything for three weeks — what is happening for *you* "
                 "during those three weeks? Are you writing, or waiting?"),
            Post("r1", "a1", RESPONSE, "q1",
                 "Honestly? Waiting, and telling myself I'm giving people space. Then I panic and take "
                 "it all over. Writing that down is uncomfortable."),
            Post("q2", "a5", CLARIFYING, None,
                 "What does the kick-off meeting actually agree? Does each person say what they'll "
                 "write and by when, or is it more of a shared sense of the project?"),
            Post("r2", "a1", RESPONSE, "q2",
                 "More a shared sense. We do assign sections, but the only date anyone hears is "
                 "\"the internal deadline\" — the same date for everyone. I hadn't noticed that until "
                 "I read your question."),
            Post("q3", "a7", PROBING, "r2",
                 "If the only date is the final one, what would an earlier, smaller date look like for "
                 "each section?"),
            Post("r3", "a1", RESPONSE, "q3",
                 "Maybe a rough draft of each section two weeks in, even if it's bullet points. Sharing "
                 "something ugly feels risky for a couple of the team, though — one of them is on "
                 "probation and I think she worries about being judged on a first draft."),
            Post("b1", "a3", REFLECT_BACK, "r3",
                 "I understood you to mean that an early draft date could feel like a *test* for your "
                 "colleague on probation — so it might raise the stakes for her rather than lower them. "
                 "Is that right?"),
            Post("r4", "a1", RESPONSE, "b1",
                 "Yes, exactly. So the early date needs a different promise attached: nobody is judged on "
                 "a rough draft, including by me."),
            Post("f1", "a4", REFLECTION, None,
                 "This made me think about my own module team. I also \"protect\" people from pressure "
                 "and then quietly resent doing the work. Noting that for my airtime."),
            Post("s1", "fac", PROCESS_NOTE, None,
                 md(
                     """
                     Thank you, Priya, and everyone. A pattern the set has surfaced:

                     - a single shared deadline;
                     - plenty of goodwill;
                     - the pressure held by one person — the PI.

                     Priya, as you move towards actions: what would you want to be different about
                     *where* the pressure sits?
                     """
                 )),
            Post("m1", "a1", SUMMARY, None,
                 "What I now see differently: the deadline isn't the problem — where the pressure sits is. "
                 "I have been holding all of it and calling that kindness. My actions are about handing "
                 "some of it back, with dates people can actually meet."),
        ),
        commitments=(
            Commitment(
                "Tell the team about the Associate Dean's warning at our next meeting, instead of carrying it alone.",
                DONE,
                md(
                    """
                    Did this at the team meeting on the Tuesday after the round closed. Less dramatic
                    than I feared: two people said they had assumed extensions were normal and would
                    have planned differently if they'd known. One thanked me for being straight with
                    them.
                    """
                ),
            ),
            Commitment(
                "Agree a personal rough-draft date for each section of the ESRC bid, two weeks after kick-off.",
                PARTLY,
                md(
                    """
                    We set rough-draft dates, but *staggered* rather than all on one day — the methods
                    section needs the data-management section first. Three of four drafts came in on
                    time; one was a week late, but it arrived. I did not write anything at midnight.
                    (I did at 10 pm, once.)
                    """
                ),
            ),
            Commitment(
                "Book a 30-minute check-in with our research development officer at the halfway point.",
                DONE,
                "Booked and held. She spotted a costing problem we would otherwise have found at the internal deadline.",
            ),
        ),
    ),
    AirtimeContent(
        presenter="a2",
        title="How do I give feedback to a senior colleague?",
        body=md(
            """
            I'm a postdoc, three years into a five-year project. I co-lead one work package with a
            professor from a partner university (I'll call him Prof. H) who is very senior in the
            field and, genuinely, generous with his time.

            The problem: on our joint papers he rewrites my sections the night before submission.
            Not small edits — whole paragraphs, sometimes changing the argument, and never in track
            changes. The last paper went in with a claim in the discussion that I'm not sure our data
            supports.

            I've never said anything. Partly because he's senior and my next contract may depend on
            his reference. Partly because he is *usually right* about the writing.

            I'd like to find a way to raise it that doesn't damage the relationship — or to work out
            whether I should raise it at all.
            """
        ),
        replies=(
            Post("q1", "a1", CLARIFYING, None,
                 "What is it you most want him to hear — the process (last-minute, no track changes) "
                 "or the claim in the discussion? Are those the same conversation?"),
            Post("r1", "a2", RESPONSE, "q1",
                 "Good question. I think they're different. The process annoys me; the claim *worries* "
                 "me. If I had to pick one it's the claim — my name is first on that paper."),
            Post("q2", "fac", CLARIFYING, None,
                 "You said he's usually right about the writing. What would it mean for you if he were "
                 "right about this claim, too?"),
            Post("r2", "a2", RESPONSE, "q2",
                 "Then I'd have learned something and I'd be fine with it. I think what I actually want "
                 "is to understand his reasoning, rather than discover it in the PDF."),
            Post("q3", "a5", PROBING, None,
                 "How do other people on the project respond when he rewrites their work? Is this "
                 "something only you experience?"),
            Post("r3", "a2", RESPONSE, "q3",
                 "I asked one of the PhD students, carefully. Same experience. She thought it was just "
                 "how papers get written. Maybe it is, and I'm the odd one for minding."),
            Post("q4", "a4", PROBING, "r3",
                 "What would you say to her if she brought this to you as *her* problem?"),
            Post("r4", "a2", RESPONSE, "q4",
                 "I'd tell her it's completely reasonable to ask to see changes before submission, and "
                 "to ask why a claim changed. …Okay. Point taken."),
            Post("m1", "a2", SUMMARY, None,
                 "What I see differently: I had made this a question of courage, and it is a question of "
                 "curiosity. I want to understand his reasoning — and I would tell anyone else to ask."),
        ),
        commitments=(
            Commitment(
                "Ask Prof. H for a 20-minute call about the claim in the discussion, framed as wanting to understand his reasoning.",
                DONE,
                md(
                    """
                    We spoke last Tuesday. He had read a preprint I hadn't, which supports the claim
                    more than our data does on its own. We agreed to cite it and soften one sentence in
                    the accepted version.

                    He also said, unprompted, "tell me if I steamroll you". I nearly fell off my chair.
                    """
                ),
            ),
            Commitment(
                "Propose a 'changes visible 48 hours before submission' rule for the next paper, by email to both co-authors.",
                PARTLY,
                "I didn't email — after the call it felt more natural to raise it at our work-package "
                "meeting. We agreed on track changes and a **72-hour** window. We'll see whether it "
                "survives the next deadline.",
            ),
        ),
    ),
    AirtimeContent(
        presenter="a3",
        offers_welcome=True,
        title="My online seminar groups have gone silent",
        body=md(
            """
            Kia ora koutou. I direct an online MSc in Education: about sixty students, most of them
            working teachers in Aotearoa, Australia and the Pacific, all studying part-time.

            In the first two weeks our live weekly seminars were lively. By week five I'm talking to a
            grid of black squares. Two or three people speak; the rest type the odd comment in the
            chat, if anything. The seminar tutors tell me the same story across all four groups.

            What I've already tried:

            1. Breakout rooms (people join and sit in silence).
            2. Asking people to turn cameras on (made it worse, and I regret it).
            3. Shorter lecture segments.

            I'm aware I'm looking at this from the *front* of the room. I'd like to understand it
            better before the mid-programme review in three weeks.
            """
        ),
        replies=(
            Post("q1", "a5", CLARIFYING, None,
                 "When you were a part-time student yourself (if you were), what made you speak up or "
                 "stay quiet?"),
            Post("r1", "a3", RESPONSE, "q1",
                 "I did my own MA part-time while teaching full-time. I stayed quiet when I hadn't done "
                 "the reading — which by the end of term was most weeks. Huh."),
            Post("q2", "a1", CLARIFYING, None,
                 "What do the two or three people who *do* speak have in common?"),
            Post("r2", "a3", RESPONSE, "q2",
                 "They're all in New Zealand, so the 7 pm seminar is 7 pm for them. For the Perth "
                 "students it's 3 pm — the middle of a school day. I knew this and had never connected "
                 "it."),
            Post("q3", "a2", PROBING, "r2",
                 "What would it look like to design the seminar around the people who *can't* be there "
                 "live?"),
            Post("o1", "a4", OFFER, None,
                 "An offer, since you asked for them — take it or leave it: for our part-time MSc we "
                 "replaced the live seminar with a short recorded provocation on Monday and a discussion "
                 "board until Thursday. Posting went up; the live hour became optional."),
            Post("o2", "a1", OFFER, None,
                 "A resource: Gilly Salmon's *E-tivities* helped me design asynchronous tasks with a clear "
                 "weekly rhythm. Happy to lend you my copy."),
            Post("r4", "a3", RESPONSE, "o1",
                 "Thank you, Daniel — the recorded provocation is going straight into my plan for the "
                 "tutors."),
            Post("f1", "a7", REFLECTION, None,
                 "I'm struck that the fix I'd have reached for — more interaction in the session — might "
                 "be the wrong one. In my lab I've been blaming people for not speaking at a 9 am "
                 "meeting when half of them are doing the school run."),
            Post("s1", "fac", PROCESS_NOTE, None,
                 "A process note for all of us: several questions here moved Aroha from *how do I get "
                 "them to talk* to *who is able to be there*. That shift is what good questions do. "
                 "Aroha — over to you for actions."),
            Post("m1", "a3", SUMMARY, None,
                 "What I now see: I was asking how to get people to talk, when the real question is who "
                 "can be there at all. I'd been designing for the students in my own time zone."),
        ),
        commitments=(
            Commitment(
                "Survey the current cohort (three questions, anonymous) about when and how they can realistically take part.",
                DONE,
                "41 of 60 replied. 27 said the live time clashes with work or family. Most valued the "
                "recordings and the discussion board more than the live session. I had never asked.",
            ),
            Commitment(
                "Trial an asynchronous 'seminar week' with one tutor group before the mid-programme review.",
                PARTLY,
                md(
                    """
                    The tutors weren't ready to run a fully asynchronous week, so we tried a halfway
                    version with one group:

                    - a ten-minute recorded provocation on Monday;
                    - a discussion board open until Thursday;
                    - an *optional* live drop-in on Friday.

                    Board posts tripled. Live attendance fell, but the people who came were the ones
                    who wanted to talk.
                    """
                ),
            ),
        ),
    ),
    AirtimeContent(
        presenter="a4",
        title="Twelve TAs, one module, twelve marking standards",
        body=md(
            """
            I'm module leader for first-year Programming Fundamentals: 420 students and twelve graduate
            teaching assistants marking the lab portfolios.

            After the first assessment the moderation sample was a mess. The same piece of work would
            have got anything from 52 to 74 depending on who marked it. Students have noticed — there's
            a thread on the module forum called "TA lottery".

            I ran a calibration session at the start of term and seven of the twelve came. The rubric
            is, I think, clear. I'm frustrated, and I can feel myself wanting to re-mark everything
            myself, which isn't possible and isn't fair on me.

            I'd like help thinking about this *without* going straight to "write a better rubric".
            """
        ),
        replies=(
            Post("q1", "fac", CLARIFYING, None,
                 "What do you imagine was going on for the five who didn't come to the calibration "
                 "session?"),
            Post("r1", "a4", RESPONSE, "q1",
                 "If I'm honest I assumed they didn't care. But two of them are international PhD "
                 "students in their first term and may not have known it was expected. And the session "
                 "was unpaid, which I had conveniently forgotten."),
            Post("q2", "a1", CLARIFYING, None,
                 "Apart from the rubric, how do the TAs learn what \"good\" looks like?"),
            Post("r2", "a4", RESPONSE, "q2",
                 "They don't, really. They see the rubric and they see the work. No examples."),
            Post("q3", "a3", PROBING, "r2",
                 "What's the smallest thing that would give them examples?"),
            Post("r3", "a4", RESPONSE, "q3",
                 "Three anonymised portfolios from last year — low, middle, high — marked and annotated "
                 "by me. That's an afternoon's work, not a new rubric."),
        ),
        commitments=(
            Commitment(
                "Ask the department to pay TAs for calibration time, and rerun the session before assessment 2.",
                DONE,
                "The Head of School agreed to two paid hours. Eleven of twelve came; the twelfth was ill "
                "and watched the recording. The second moderation sample spread was 61–68.",
            ),
            Commitment("Produce three annotated exemplar portfolios (low, middle, high) from last year's work."),
        ),
    ),
    AirtimeContent(
        presenter="a5",
        title="Writing up, and my supervisor takes two months to reply",
        body=md(
            """
            I'm in the final year of a PhD in Sociology. I came back from fieldwork in Chennai in June
            and I'm writing up — or I'm supposed to be.

            My main supervisor is lovely and extremely busy (she's also Head of Department this year).
            I sent her a draft chapter in August and got comments in October. They were excellent, but
            by then I'd moved on to the next chapter and lost the thread.

            So I've started *not* sending things, because waiting makes me anxious, and I keep
            rewriting chapter 3 on my own instead. I know that isn't working either. My funding ends in
            **seven months**.

            I'm not sure what I'm asking for help with. Maybe how to ask for what I need without it
            sounding like a complaint about her.
            """
        ),
        replies=(
            Post("q1", "a3", CLARIFYING, None,
                 "If your supervisor could change only one thing, what would make the biggest difference "
                 "to you?"),
            Post("r1", "a5", RESPONSE, "q1",
                 "Give me a date. Even a far-away one. It's the not knowing that stops me."),
            Post("q2", "a2", CLARIFYING, None,
                 "You mentioned a *main* supervisor. Is there a second supervisor, and what part do they "
                 "play at the moment?"),
            Post("r2", "a5", RESPONSE, "q2",
                 "There is — Dr K. We meet twice a year for the progress review. I've never thought of "
                 "asking him for chapter feedback, which sounds silly now I write it."),
            Post("f1", "a1", REFLECTION, None,
                 "Reading this from the supervisor's side is uncomfortable. I have two PhD students and "
                 "I'm not sure either of them knows when they'll hear back from me. I'm going to ask "
                 "them."),
            Post("s1", "fac", PROCESS_NOTE, None,
                 "Meera, something I noticed across the thread: you asked for help \"without it sounding "
                 "like a complaint\". Nobody in the set heard a complaint — we heard someone asking for a "
                 "date. You might test that reading with your supervisor."),
        ),
        commitments=(
            Commitment(
                "Email my supervisor proposing a feedback agreement: when I send a chapter, she gives me a date for comments within a week.",
                DONE,
                "I sent it after a lot of rewriting. She replied in two days: *\"Yes, of course — I should "
                "have offered this.\"* Comments on chapter 4 are promised for the 3rd.",
            ),
            Commitment(
                "Send chapter 4 to Dr K at the same time as my main supervisor.",
                NOT_DONE,
                "I talked this through with my main supervisor first, and we agreed Dr K's time is "
                "better spent on the methods chapter, where his expertise is. So I dropped this one on "
                "purpose; I'll bring a new action in round 2.",
            ),
        ),
    ),
    AirtimeContent(
        presenter="a7",
        title="Leading a workload review that nobody asked for",
        body=md(
            """
            The Head of School has asked me to lead a review of technician workloads in Chemistry.
            There are fourteen technical staff. Nobody asked for the review; it came out of a staff
            survey with very low scores on "my workload is manageable".

            In two weeks I've had polite non-replies to my emails and one very blunt conversation in
            which a senior technician told me "we've done these before, nothing changes".

            I'm a lab manager, not these people's manager, and I'm not sure what authority I actually
            have.
            """
        ),
        replies=(
            Post("q1", "a4", CLARIFYING, None,
                 "What did \"nothing changes\" mean last time — what happened to the previous review?"),
            Post("r1", "a7", RESPONSE, "q1",
                 "The last one was in 2019. It recommended two new posts; one was filled, then cut in "
                 "2021. So I think my blunt colleague has a point."),
            Post("q2", "fac", CLARIFYING, None,
                 "What would you need from the Head of School to make this review different from the "
                 "last one?"),
            Post("r2", "a7", RESPONSE, "q2",
                 "A written commitment about what happens to the recommendations, and by when. I haven't "
                 "asked for that."),
            Post("q3", "a5", PROBING, None,
                 "Who among the technicians could you ask to lead it *with* you?"),
        ),
        commitments=(
            Commitment("Ask the Head of School for a written commitment on how the review's recommendations will be considered, and by when."),
            Commitment("Invite the senior technician who said 'nothing changes' to co-lead the review."),
        ),
    ),
)


# --- Round 1: set B --------------------------------------------------------------------------

ROUND_1_B = (
    AirtimeContent(
        presenter="b1",
        title="I inherited a research programme with no handover",
        body=md(
            """
            Six weeks ago I became programme manager for a three-year, multi-partner research
            programme: us, two other UK universities and a partner in California. My predecessor left
            for another job with two days' notice. There was no handover.

            What I have: a shared drive with 2,400 files, an eleven-tab budget spreadsheet and a risk
            register last updated in February.

            What I don't have: any idea which of the 31 open actions in the steering group minutes are
            still live, or who promised what to whom.

            The next steering group is in five weeks. I want to walk in *knowing* what state the
            programme is in — or at least able to say honestly what I don't know.
            """
        ),
        replies=(
            Post("q1", "b3", CLARIFYING, None,
                 "Apart from your predecessor, who carries the history of the programme in their head?"),
            Post("r1", "b1", RESPONSE, "q1",
                 "The PI, mostly, and the finance officer at the lead partner. I've been trying not to "
                 "bother the PI because she's on research leave."),
            Post("q2", "b4", PROBING, "r1",
                 "What's the cost of *not* bothering her — to you, and to the programme?"),
            Post("r2", "b1", RESPONSE, "q2",
                 "For me, weeks of digging. For the programme, possibly a missed milestone we don't know "
                 "about. Put like that, one hour of her research leave is cheap."),
            Post("q3", "b5", CLARIFYING, None,
                 "What would \"knowing what state the programme is in\" look like on one page?"),
            Post("r3", "b1", RESPONSE, "q3",
                 "Milestones, money, people, risks — one line each with a red/amber/green status. "
                 "Actually, that's a decent brief for myself."),
            Post("q4", "b6", PROBING, None,
                 "Is there anyone at the California partner you could talk to? I wonder whether their "
                 "picture of the programme matches the shared drive's."),
            Post("s1", "fac", PROCESS_NOTE, None,
                 "I'd like to name something about our process: the questions in this thread have been "
                 "short and open, and Hannah's answers have got clearer with each one. That is what we "
                 "mean by *questions before advice*. Hannah — actions?"),
            Post("m1", "b1", SUMMARY, None,
                 "What I see differently: I was trying to *know* everything before the steering group. "
                 "What I need is to know who knows, and to say plainly what I don't know yet."),
        ),
        commitments=(
            Commitment(
                "Book one hour with the PI, with her agreement, to walk through the 31 open steering group actions.",
                DONE,
                "She was glad to be asked. We closed 19 actions in an hour — most had been done and "
                "nobody had recorded it. Three turned out to be urgent.",
            ),
            Commitment(
                "Draft a one-page programme status (milestones, money, people, risks) before the steering group.",
                DONE,
                "Done, and the chair asked for it as a standing item. The template now lives in the "
                "shared drive, clearly labelled, for whoever comes after me.",
            ),
            Commitment(
                "Introduce myself by video call to the finance lead at the California partner.",
                PARTLY,
                "She was on leave, so I met her deputy instead. Very useful: they are working from a "
                "different version of the budget from ours.",
            ),
        ),
    ),
    AirtimeContent(
        presenter="b2",
        title="How do I talk to my team about a restructure I know nothing about?",
        body=md(
            """
            I manage the faculty operations team — nine people across timetabling, student records and
            exams. For a month there have been rumours about a "professional services review" across
            the university.

            I genuinely know nothing more than my team does. But they assume I do, and every
            conversation now has an undertone. Two people have told me they're looking at other jobs.
            Our best exams officer has gone quiet in meetings.

            I want to be honest with them, and I don't want to make it worse by speculating.
            """
        ),
        replies=(
            Post("q1", "b1", CLARIFYING, None,
                 "If it isn't information, what do you think your team needs from you right now?"),
            Post("r1", "b2", RESPONSE, "q1",
                 "To know I'll tell them the moment I know something. And maybe that I'm worried too — "
                 "which I haven't said."),
            Post("q2", "b6", PROBING, "r1",
                 "What has stopped you saying you're worried?"),
            Post("r2", "b2", RESPONSE, "q2",
                 "A belief that a manager is supposed to be steady. Where did I learn that? My first "
                 "boss, probably. He never admitted to not knowing anything."),
            Post("f1", "b5", REFLECTION, None,
                 "I recognise this. In our library reorganisation in 2022 I kept up a calm front for "
                 "months, and I think my team trusted me *less* for it. I hadn't put that into words "
                 "before."),
            Post("q3", "fac", CLARIFYING, None,
                 "Kwame, you mentioned that your best exams officer has gone quiet. What do you know "
                 "about what's going on for her?"),
            Post("r3", "b2", RESPONSE, "q3",
                 "Not enough. I've been treating this as a team problem, and she is a person with her own "
                 "situation."),
            Post("m1", "b2", SUMMARY, None,
                 "What I see now: silence from me has been read as *knowing something*. Saying what I "
                 "don't know is more honest, and probably more reassuring."),
        ),
        commitments=(
            Commitment(
                "At Monday's team meeting, say what I know, what I don't, and when I will next update them.",
                DONE,
                "Said it, including that I was worried too. Much better than I expected. Someone "
                "suggested a fortnightly ten-minute \"rumour check\", which we've kept.",
            ),
            Commitment(
                "Have a one-to-one with the exams officer about how she is — not about the review.",
                DONE,
                "She is caring for her father and was afraid of losing her flexible working pattern in "
                "a restructure. We've written her arrangement down so it is on record.",
            ),
        ),
    ),
    AirtimeContent(
        presenter="b3",
        title="Raising a safety concern with a colleague I like",
        body=md(
            """
            I'm a postdoc and the unofficial lab manager in a cell biology group. A colleague — a
            friend, really — has stopped completing the sign-off for the Class II biosafety cabinet:
            the log where you record that it's been cleaned and the airflow checked.

            It's probably fine. The cabinet is probably clean. But if there's an inspection it's our
            group's name on it, and I'm the one who set up the log.

            I've hinted. I've put a reminder on the door. I haven't *said* anything to her directly.
            """
        ),
        replies=(
            Post("q1", "b2", CLARIFYING, None,
                 "What makes a direct conversation hard here — the friendship, your role, or something "
                 "else?"),
            Post("r1", "b3", RESPONSE, "q1",
                 "The friendship. And that I'm not officially anyone's manager: I have the "
                 "responsibility and none of the authority. That gap is what I keep coming back to."),
            Post("q2", "b4", CLARIFYING, None, "What does your PI know about this?"),
            Post("r2", "b3", RESPONSE, "q2",
                 "Nothing. I didn't want to get her into trouble. Writing this, I can see I'm protecting "
                 "her and leaving myself exposed."),
            Post("q3", "fac", PROBING, "r1",
                 "You named a gap between authority and responsibility. Who could close that gap?"),
        ),
        commitments=(
            Commitment(
                "Talk to my colleague directly and privately this week.",
                DONE,
                "I did. She was embarrassed and said she'd thought the log was optional for short "
                "sessions. It has been filled in every time since. We're still friends.",
            ),
            Commitment("Ask my PI to make the lab-manager role official, with what it covers written down."),
        ),
    ),
    AirtimeContent(
        presenter="b4",
        offers_welcome=True,
        title="I can't say no to extra marking",
        body=md(
            """
            I'm a Teaching Fellow at our Dubai campus. Every assessment period, colleagues at the UK
            campus ask whether I can "help out" with second marking. I always say yes. This term that's
            140 extra scripts on top of my own 200.

            I'm on a teaching-focused contract and I'm trying to write a pedagogy paper for my
            promotion case. It hasn't moved since September.

            I know the answer is "say no". I don't know why I can't.
            """
        ),
        replies=(
            Post("q1", "b6", CLARIFYING, None, "What do you imagine would happen if you said no?"),
            Post("r1", "b4", RESPONSE, "q1",
                 "That I'd be seen as not a team player. The UK colleagues decide a lot about workload "
                 "allocation, and the Dubai campus already feels like the junior partner."),
            Post("q2", "b1", PROBING, "r1",
                 "Is that something you know, or something you fear? What evidence do you have either "
                 "way?"),
            Post("r2", "b4", RESPONSE, "q2",
                 "Fear, mostly. One colleague *did* say no last year, and nothing happened to her that I "
                 "know of."),
            Post("o1", "b2", OFFER, None,
                 "An offer from my own experience, for what it's worth: when I started replying to "
                 "requests with what I *could* do and by when, people mostly just said thank you."),
            Post("f1", "b3", REFLECTION, None,
                 "\"Junior partner\" hit me. I've been behaving like a junior partner in my own lab. "
                 "Thank you, Fatima."),
            Post("s1", "fac", PROCESS_NOTE, None,
                 "A short time-out: this thread has a lot of *why can't I*. Fatima, you might try turning "
                 "it into *what would need to be true for me to say no* — and see what the set asks "
                 "next."),
            Post("m1", "b4", SUMMARY, None,
                 "What I see differently: it was never a yes/no question. I can offer a number and a date, "
                 "and protect time for the paper the way I protect my teaching."),
        ),
        commitments=(
            Commitment(
                "Block two mornings a week in my calendar for the paper and treat them like teaching.",
                DONE,
                "Kept them three weeks out of four. The draft is at 4,000 words.",
            ),
            Commitment(
                "Next time I'm asked to second-mark, reply with what I *can* do (for example, 30 scripts) rather than yes or no.",
                PARTLY,
                "The request came earlier than I expected. I offered 40 scripts and a date. The reply "
                "was \"That's great, thanks\" — no drama at all. I'm slightly annoyed with myself for "
                "all the years of yes.",
            ),
        ),
    ),
    AirtimeContent(
        presenter="b5",
        title="Nobody comes to research data management training",
        body=md(
            """
            I'm an academic liaison librarian, and part of my role is research data management (RDM)
            training for postgraduate researchers and staff. Funders now expect a data management plan
            with most applications (the Digital Curation Centre has
            [a good overview](https://www.dcc.ac.uk/guidance/how-guides/develop-data-plan)), and our
            own policy says every doctoral researcher should be trained in their first year.

            I run a 90-minute workshop every month. Last term the average attendance was **four**.
            Feedback from the people who do come is excellent.

            I've tried new titles, better slides and free coffee. I'm starting to take it personally.
            """
        ),
        replies=(
            Post("q1", "b2", CLARIFYING, None,
                 "When do doctoral researchers actually *need* to know about data management — in month "
                 "one, or when something specific happens?"),
            Post("r1", "b5", RESPONSE, "q1",
                 "When they write their ethics application, mostly, or when a funder asks for a plan — "
                 "months 6 to 9, usually. I run the workshop for month one because the policy says "
                 "\"first year\"."),
            Post("q2", "b4", CLARIFYING, None,
                 "Who are the people who *do* come, and how did they hear about it?"),
            Post("r2", "b5", RESPONSE, "q2",
                 "Mostly people whose supervisors told them to come. Which says a lot."),
            Post("q3", "b6", PROBING, "r2", "What do supervisors know about the workshop?"),
        ),
        commitments=(
            Commitment("Ask the ethics committee secretary whether the training could be linked from the ethics application form."),
            Commitment(
                "Run a pilot 30-minute 'data plan clinic' in the week before the ethics deadline.",
                DONE,
                "Eleven booked, nine came, and several brought an actual draft plan. That's more than I "
                "reached in three months of workshops.",
            ),
        ),
    ),
    AirtimeContent(
        presenter="b6",
        title="Part-time doctoral researchers are disappearing",
        body=md(
            """
            I'm a part-time doctoral researcher in education policy and this year's postgraduate
            research rep for the faculty. Three part-time students I know of have interrupted their
            studies this year. When I ask around, the story is similar: they feel like visitors.

            - Seminars are at 1 pm on weekdays.
            - The writing retreat was midweek.
            - The "PGR community" group chat is mostly full-timers arranging lunch.

            I'm one of them, so I have a view. But I'm a rep, not staff, and I'm not sure what I can
            change. I'd especially like questions that help me separate *my* experience from what other
            part-timers need.
            """
        ),
        replies=(
            Post("q1", "b3", CLARIFYING, None,
                 "What is one thing you'd change for yourself? And how sure are you that others would "
                 "want the same?"),
            Post("r1", "b6", RESPONSE, "q1",
                 "An evening or weekend seminar once a month. How sure? Not very — some part-timers work "
                 "evenings too."),
            Post("q2", "b5", PROBING, "r1",
                 "How could you find out, without it turning into a big survey nobody answers?"),
            Post("r2", "b6", RESPONSE, "q2", "Ask five part-timers directly. A personal message, three questions."),
            Post("q3", "fac", CLARIFYING, None, "You said \"I'm a rep, not staff\". What does a rep have that staff don't?"),
            Post("r3", "b6", RESPONSE, "q3",
                 "Trust, I suppose. People tell me things they would never tell the Graduate School."),
        ),
        commitments=(
            Commitment(
                "Message five part-time doctoral researchers with three questions about what would help them stay connected.",
                DONE,
                "Seven replied (I asked eight in the end). The top answer wasn't timing: it was wanting a "
                "named person they could ask \"stupid questions\" without feeling like a burden.",
            ),
            Commitment("Take the findings to the next Graduate School committee as a rep's item."),
        ),
    ),
)


# --- Round 2: presented so far ----------------------------------------------------------------

ROUND_2_A = (
    AirtimeContent(
        presenter="a1",
        title="The deadlines are working. Now I'm the bottleneck.",
        body=md(
            """
            **Report-back first** (details on the commitments page): I told the team about the
            Associate Dean's warning, we set staggered rough-draft dates, and we met the internal
            deadline for the ESRC bid with three days to spare. First time in two years.

            The new problem is slightly embarrassing. Now that drafts arrive on time, they sit in *my*
            inbox. I'm PI on the bid, so everything comes through me for sign-off, and I've had a heavy
            teaching fortnight. Two colleagues have politely asked whether I've read their sections yet.

            So the pressure has moved — to me. I'd like to look at that.
            """
        ),
        replies=(
            Post("q1", "a3", CLARIFYING, None, "What does sign-off involve for you? What are you checking for?"),
            Post("r1", "a1", RESPONSE, "q1",
                 "Coherence, mostly: that the sections argue the same thing. But I read every word as if "
                 "I'm marking it."),
            Post("q2", "a2", CLARIFYING, "r1",
                 "Could someone else check for coherence? What would you lose if they did?"),
            Post("q3", "a5", CLARIFYING, None, "What did you learn in round 1 that might apply here?"),
        ),
    ),
    AirtimeContent(
        presenter="a2",
        title="After the conversation: authorship on the next paper",
        body=md(
            """
            Round 1 went better than I deserved: Prof. H and I talked, he was generous, and we now use
            track changes with a 72-hour window. (Full report-back on the commitments page.)

            The next thing is harder. Our next paper is mostly my analysis and my writing. By project
            convention I'm first author and Prof. H is last — fine — but he has suggested adding two
            people from his group who, as far as I can tell, haven't contributed.

            I'd like to handle this better than I would have three months ago.
            """
        ),
        replies=(
            Post("q1", "fac", CLARIFYING, None, "What do you know about *why* he suggested them?"),
            Post("r1", "a2", RESPONSE, "q1",
                 "Nothing yet. I've assumed the worst, which is a habit I'm starting to notice in myself."),
            Post("q2", "a4", CLARIFYING, None,
                 "What authorship criteria does your field use — and does Prof. H work to the same ones?"),
        ),
    ),
)

ROUND_2_B = (
    AirtimeContent(
        presenter="b1",
        title="The partner wants to change the scope",
        body=md(
            """
            Report-back in brief: the one-page status worked, the steering group liked it, and I found
            out the California partner is working from a different budget version. (Detail in my
            commitments.)

            That budget conversation turned into something bigger. The partner would like to move one
            of their work packages from *pilot* to *full deployment* — more ambitious, more interesting,
            and about 30% more expensive than we have. The PI is enthusiastic. I'm the one who will have
            to make it add up.

            I'd like help thinking about what my role in this decision actually is.
            """
        ),
        replies=(
            Post("q1", "b4", CLARIFYING, None, "Who decides on a change of scope — formally, and in practice?"),
            Post("r1", "b1", RESPONSE, "q1",
                 "Formally, the steering group. In practice, whatever the PI and the partner agree over "
                 "coffee at the conference next month."),
            Post("q2", "b6", PROBING, "r1", "What would you want to have said *before* that coffee?"),
            Post("f1", "b2", REFLECT_BACK, None,
                 "I understood you to mean that the real decision will be made over coffee next month, "
                 "and your part is to make the numbers add up afterwards — is that right?"),
            Post("r2", "b1", RESPONSE, "f1",
                 "Yes — and writing it down, I don't like \"afterwards\". That's the part I want to change."),
        ),
    ),
    AirtimeContent(
        presenter="b2",
        title="Staying honest when the news finally comes",
        body=md(
            """
            Following on from round 1: the "what I know / what I don't" conversation went well, and the
            fortnightly rumour check has stuck.

            Now the review has been announced and our team is in scope. On Thursday I was told, under
            embargo, that two posts are likely to be "reshaped" — and one of them may be the exams
            officer I mentioned last round. The staff announcement is in ten days.

            I promised my team I'd tell them when I knew something. Now I know something, and I've been
            told I can't say it.
            """
        ),
        replies=(
            Post("q1", "b3", CLARIFYING, None,
                 "What exactly were you told you can't say — the facts, or anything at all?"),
            Post("r1", "b2", RESPONSE, "q1",
                 "The detail. HR's words were \"don't pre-empt the consultation\". I don't think that "
                 "means I can say nothing."),
            Post("q2", "fac", PROBING, "r1",
                 "What would *not pre-empting, but not pretending* sound like in your Monday meeting?"),
        ),
    ),
)

ROUND_1 = {"demo-set-a": ROUND_1_A, "demo-set-b": ROUND_1_B}
ROUND_2 = {"demo-set-a": ROUND_2_A, "demo-set-b": ROUND_2_B}
