"""The dashboard as CSV: the per-member table, then the set's figures.

Safe against CSV formula injection (OWASP): a text cell that starts with = + - @, a tab or a
carriage return is prefixed with a single quote, so a spreadsheet shows it as text instead of
running it. Member names are user-controlled, so this matters. Numbers are written as numbers.
No post text is ever exported, hidden or not.
"""

import csv
import io

from . import analytics

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

MEMBER_COLUMNS = [
    "member", "role", "airtimes", "questions", "reflections", "responses", "summaries", "replies",
    "of which hidden", "words", "replies given to others", "replies received", "advice signals (heuristic)",
    "questions received", "questions answered", "commitments formed", "commitments reported back",
    "commitments done", "last post in scope", "days since last post", "posts in open round",
    "questions to others", "marked helpful by the presenter",
]


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def member_row(board: analytics.Dashboard, m: analytics.MemberFigures) -> list:
    kinds = m.by_kind
    return [
        m.user.name, m.membership.role, m.airtimes, kinds["question"], kinds["reflection"], kinds["response"],
        kinds["summary"], m.replies, m.hidden, m.words, m.given, m.received, m.advice,
        m.questions_received, m.questions_answered, m.commitments.get("formed", 0),
        m.commitments.get("reported", 0), m.commitments.get("done", 0),
        m.last_post_at.isoformat() if m.last_post_at else "", board.days_since(m),
        m.posts_in_open_round if board.open_round else "", m.asked_others, m.helped,
    ]


def figure_rows(board: analytics.Dashboard) -> list[list]:
    t, equity, words = board.totals, board.equity_posts, board.equity_words
    first = board.first_reply
    return [
        ["scope", f"round {board.round.number}" if board.round else "whole set"],
        ["gini of posts (learners)", _percent(equity.g)],
        ["normalised gini G* of posts", _percent(equity.g_star)],
        ["G* above 0.4 (flag)", "yes" if equity.flagged else "no"],
        ["shannon evenness J of posts", _percent(equity.j)],
        ["normalised gini G* of words", _percent(words.g_star)],
        ["help replies (questions + reflections)", t["help_replies"]],
        ["question share of help replies", _percent(t["question_share"])],
        ["reflection share of help replies", _percent(t["reflection_share"])],
        ["help replies with an advice signal (heuristic)", t["advice"]],
        ["questions with an advice signal (heuristic)", t["disguised"]],
        ["questions from others on airtimes", t["questions_received"]],
        ["answered by the presenter", t["questions_answered"]],
        ["presenter response rate", _percent(t["response_rate"])],
        ["median hours to first reply", analytics.as_hours(first["median"])],
        ["airtimes with no reply yet", first["waiting"]],
        ["commitments formed", t["commitments"]["formed"]],
        ["commitments reported back", t["commitments"]["reported"]],
        ["commitments done", t["commitments"]["done"]],
        ["hidden replies (counted above)", t["hidden"]],
        ["questions to others marked helpful by the presenter", board.helpful.helped],
        ["helpful share of questions to others", _percent(board.helpful.share)],
        ["median hours from airtime to first helpful question", analytics.as_hours(board.helpful.first_median)],
        *[[f"helpful share: {row['label'].lower()}", _percent(row["share"])] for row in board.helpful.by_kind],
    ]


def dashboard_csv(board: analytics.Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEMBER_COLUMNS)
    for m in board.members:
        writer.writerow([safe_cell(v) for v in member_row(board, m)])
    writer.writerow([])
    writer.writerow(["figure", "value"])
    for row in figure_rows(board):
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
