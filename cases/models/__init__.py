"""The cases app's models, one module per concern; import them from ``cases.models``."""

from .case import (
    Case,
    CaseEvent,
    CaseEventQuerySet,
    CaseQuerySet,
    CaseRespondent,
    EventKind,
    Respondent,
    RespondentAlias,
    RespondentKind,
    Sector,
)

__all__ = [
    "Case",
    "CaseEvent",
    "CaseEventQuerySet",
    "CaseQuerySet",
    "CaseRespondent",
    "EventKind",
    "Respondent",
    "RespondentAlias",
    "RespondentKind",
    "Sector",
]
