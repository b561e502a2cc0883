"""Platform roles (LIS vocabulary) → ActionSets roles. A role is a label for the roster sync and for
who may pick a deep link; it never opens a set's content: only a current membership does."""

FACILITATOR = "facilitator"
LEARNER = "learner"
ADMINISTRATOR = "administrator"


def _names(roles) -> set[str]:
    """The last name of each role URI: '…/membership#Instructor' → 'Instructor',
    '…/membership/Instructor#TeachingAssistant' → 'TeachingAssistant'."""
    names = set()
    for role in roles or []:
        role = str(role)
        names.add(role.rsplit("#", 1)[-1] if "#" in role else role.rsplit("/", 1)[-1])
    return names


def is_administrator(roles) -> bool:
    return "Administrator" in _names(roles)


def course_role(roles) -> str | None:
    """facilitator (Instructor, TeachingAssistant), learner (Learner), or None (anyone else: observers,
    mentors, content developers are not put in a set)."""
    names = _names(roles)
    if names & {"Instructor", "TeachingAssistant"}:
        return FACILITATOR
    if "Learner" in names:
        return LEARNER
    return None
