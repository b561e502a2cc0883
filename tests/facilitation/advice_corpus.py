"""A labelled corpus of reply sentences for the advice-signal heuristic (actionsets/advice.py).

True = the sentence gives advice (including advice disguised as a question: "Have you tried…?");
False = it does not (open questions, reflections, support, and near-misses that share words
with advice phrases). Written before the pattern list, in the voice of action-learning sets; the
near-misses are deliberate, so the figures are not flattering by construction.
"""

ADVICE = True
NOT_ADVICE = False

CORPUS: list[tuple[str, bool]] = [
    # --- Advice, plainly given ---------------------------------------------------------------
    ("You should talk to your line manager before the next rota goes out.", ADVICE),
    ("You need to set a clear deadline and stick to it.", ADVICE),
    ("Honestly, you must push back on this — it is not your job.", ADVICE),
    ("I would just send the email and see what happens.", ADVICE),
    ("If I were you I'd ask HR for the policy in writing.", ADVICE),
    ("In my experience the best thing is to get everyone in a room.", ADVICE),
    ("I suggest you book a one-to-one with Sam this week.", ADVICE),
    ("I recommend writing the rota yourself for one month.", ADVICE),
    ("Try asking the team what they would change.", ADVICE),
    ("Talk to the registrar first, then to the head of school.", ADVICE),
    ("Make sure you document every missed deadline.", ADVICE),
    ("Just tell them no.", ADVICE),
    ("It would be better to raise it at the staff meeting.", ADVICE),
    ("You might want to check the workload model before you agree.", ADVICE),
    ("My advice would be to step back and let them fail once.", ADVICE),
    ("Don't take it personally; delegate the timetable to the deputy.", ADVICE),
    ("I'd start by listing what is actually in your control.", ADVICE),
    ("You ought to escalate this to the dean.", ADVICE),
    ("The best way is to agree the rules together at the start of term.", ADVICE),
    ("Consider giving the new lecturer a mentor.", ADVICE),
    # --- Advice disguised as a question ---------------------------------------------------------
    ("Have you tried asking the students directly?", ADVICE),
    ("Have you considered moving the meeting to the morning?", ADVICE),
    ("Why don't you just give them the deadline in writing?", ADVICE),
    ("What about trying a shared calendar for the whole team?", ADVICE),
    ("Have you thought about bringing in someone from outside?", ADVICE),
    ("Wouldn't it be easier to hand the module to someone else?", ADVICE),
    ("Why not ask your mentor to sit in on the conversation?", ADVICE),
    ("How about you set up a weekly check-in?", ADVICE),
    ("Did you try sending an agenda in advance?", ADVICE),
    ("Shouldn't you be telling your manager about this?", ADVICE),
    # --- Open questions (not advice) ------------------------------------------------------------
    ("What have you tried so far?", NOT_ADVICE),
    ("How do you think the team sees the deadline?", NOT_ADVICE),
    ("What would success look like for you by the end of term?", NOT_ADVICE),
    ("Why does this matter so much to you right now?", NOT_ADVICE),
    ("What is stopping you from having that conversation?", NOT_ADVICE),
    ("Who else is affected when the timetable slips?", NOT_ADVICE),
    ("What do you think you should do next?", NOT_ADVICE),
    ("If you could change one thing tomorrow, what would it be?", NOT_ADVICE),
    ("What did you notice about your own reaction in that meeting?", NOT_ADVICE),
    ("How would Sam describe the problem?", NOT_ADVICE),
    ("What assumptions are you making about why they miss deadlines?", NOT_ADVICE),
    ("What would happen if you did nothing?", NOT_ADVICE),
    ("What options have you already ruled out, and why?", NOT_ADVICE),
    ("In what way is this different from last year?", NOT_ADVICE),
    # --- Near-misses that share words with advice ----------------------------------------------
    ("I would like to understand more about the history here.", NOT_ADVICE),
    ("I'd be interested to hear how the team reacted.", NOT_ADVICE),
    ("I would love to know what your manager said.", NOT_ADVICE),
    ("You mentioned that you tried a rota before — what happened?", NOT_ADVICE),
    ("It sounds like you have tried a lot already.", NOT_ADVICE),
    ("When you say you should be firmer, whose voice is that?", NOT_ADVICE),
    # --- Reflections and support (not advice) ---------------------------------------------------
    ("Reading this, I realise I do the same thing with my own team.", NOT_ADVICE),
    ("I notice I assume people know the deadline when I have never said it.", NOT_ADVICE),
    ("This made me wonder how often I avoid difficult conversations.", NOT_ADVICE),
    ("Thank you for being so open about this.", NOT_ADVICE),
    ("That sounds really hard, and I admire how you are handling it.", NOT_ADVICE),
    ("I recognise that feeling of being the only one who cares about the timetable.", NOT_ADVICE),
    ("Next time I run a module I will think about this.", NOT_ADVICE),
    ("I learned a lot from the way you described the meeting.", NOT_ADVICE),
    ("We had a similar issue in our department last year.", NOT_ADVICE),
    ("On the other hand, the team may not see it as a problem at all.", NOT_ADVICE),
]


# Written after the pattern list was fixed, on purpose with phrasings the list does not name
# ("it might be worth…", "one option is…", "maybe…"). Never tuned against: its figures are the
# honest estimate of how the heuristic does on text it has not seen.
HELD_OUT: list[tuple[str, bool]] = [
    ("It might be worth asking HR before you say anything.", ADVICE),
    ("One option is to hand the timetable to the deputy head.", ADVICE),
    ("Maybe send them a reminder the day before?", ADVICE),
    ("Could you delegate the rota to someone who enjoys it?", ADVICE),
    ("A quick chat with your mentor would sort this out.", ADVICE),
    ("You could always put it in writing.", ADVICE),
    ("Have you considered just saying no?", ADVICE),
    ("Tell your manager today, before it gets worse.", ADVICE),
    ("If I were in your position I would escalate it.", ADVICE),
    ("I'd book a room and get everyone together.", ADVICE),
    ("Why don't you try a shared spreadsheet?", ADVICE),
    ("You need to protect your own time here.", ADVICE),
    ("What would you like to be different by next month?", NOT_ADVICE),
    ("How did it feel when they ignored the deadline?", NOT_ADVICE),
    ("What do you already know about why this happens?", NOT_ADVICE),
    ("Who could you ask for help, if anyone?", NOT_ADVICE),
    ("I would be curious to know what your team thinks.", NOT_ADVICE),
    ("Just to check I understand: the deadline is set by the faculty?", NOT_ADVICE),
    ("Try as I might, I can't see an easy answer either.", NOT_ADVICE),
    ("I notice I want to jump in with solutions, so I'll hold back.", NOT_ADVICE),
    ("Thank you, this really resonated with me.", NOT_ADVICE),
    ("What options do you see?", NOT_ADVICE),
    ("It sounds like you care a lot about fairness.", NOT_ADVICE),
    ("What have you considered so far, and what held you back?", NOT_ADVICE),
]
