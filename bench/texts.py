"""Plausible text for the benchmark seed: realistic lengths and markdown, a small distinct pool."""

FIRST = ["Amira", "Ben", "Chen", "Dana", "Efe", "Farah", "Gus", "Hana", "Ivo", "Jo", "Kemi", "Lars",
         "Mei", "Nils", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Vik", "Wren", "Yusuf"]
LAST = ["Adeyemi", "Baker", "Costa", "Dubois", "Evans", "Fischer", "García", "Holm", "Ibrahim",
        "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "O'Brien", "Patel", "Rossi", "Silva"]
TOPICS = ["getting my team to own the timetable", "a difficult conversation with my head of department",
          "too many meetings and no time to think", "a new course that nobody signs up for",
          "supervising a PhD student who has gone quiet", "sharing marking fairly across the team",
          "leading a change I do not fully believe in", "saying no to one more committee",
          "a grant bid with a partner who misses deadlines", "feedback that students never read"]
QUESTIONS = ["What would happen if you did nothing for a week?", "Who else cares about this as much as you do?",
             "What have you already tried, and what did you learn from it?",
             "How would you know that things had got better?", "What is stopping you from asking them directly?",
             "Which part of this is yours to change?", "What would you advise a colleague in your position?",
             "When did this last go well, and what was different then?"]
SENTENCES = ["I noticed that you said *the team* rather than *we* when you described the rota.",
             "It sounds as if the deadline matters more to you than to anyone else involved.",
             "In my department we had something similar last year; what helped was naming it early.",
             "I am curious about what your line manager thinks success looks like here.",
             "There seem to be two issues tangled together: the workload and the recognition.",
             "Reading this again, I wonder how much of it is about trust rather than time.",
             "You mentioned **three** attempts so far — each one seems to have taught you something.",
             "I can feel the frustration in how you wrote this, and it makes sense to me."]


def person(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"


def set_name(n: int) -> str:
    return {0: "Main benchmark set", 1: "Busy benchmark set"}.get(n, f"Set {n:03d} — {LAST[n % len(LAST)]} group")


def title(rng) -> str:
    return rng.choice(TOPICS).capitalize()


def reply_bodies(rng) -> list[str]:
    bodies = []
    for k in range(48):
        parts = [" ".join(rng.sample(SENTENCES, 1 + k % 3)), rng.choice(QUESTIONS)]
        if k % 7 == 0:
            parts.append("- " + "\n- ".join(rng.sample(QUESTIONS, 3)))
        if k % 5 == 0:
            parts.insert(0, " ".join(rng.sample(SENTENCES, 2)))
        bodies.append("\n\n".join(parts))
    return bodies


def airtime_bodies(rng) -> list[str]:
    bodies = []
    for k in range(12):
        topic = TOPICS[k % len(TOPICS)]
        bodies.append(
            f"## What is going on\n\nThis term I have been struggling with {topic}. "
            + " ".join(rng.sample(SENTENCES, 4))
            + "\n\n## Why it matters to me\n\n" + " ".join(rng.sample(SENTENCES, 3))
            + "\n\n## What I have tried\n\n1. Talking to people one by one\n2. A short survey\n3. Waiting\n\n"
            "## What help I would like\n\nQuestions to help me think, *not* advice — at least not yet."
        )
    return bodies


def commitment(rng) -> str:
    return rng.choice(["Ask Sam for 20 minutes", "Write down the three options", "Try one meeting-free afternoon",
                       "Share the draft with the team", "Say no to the next committee request"]) + " before next round"


def report_back(rng) -> str:
    return " ".join(rng.sample(SENTENCES, 2)) + "\n\nWhat I learned: it was easier than I expected once I started."


GROUND_RULES = """1. **Questions before advice.** We help the presenter think; we offer experience only when asked.
2. **What is said in the set stays in the set.**
3. We reply within the round, and we say so when we cannot.
4. Everyone gets airtime; nobody has to use all of it."""
