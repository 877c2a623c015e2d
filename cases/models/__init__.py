"""The cases app's models, one module per concern; import them from ``cases.models``."""

from cases.models.case import (
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
from cases.models.calculation import (
    CalculationMode,
    CalculationSettings,
    CalculationSnapshot,
    ItemKind,
    LineCategory,
    OneOffItemRow,
    PayPeriodRow,
    SnapshotRuleVersion,
)
from cases.models.jurisdiction import (
    Jurisdiction,
    LimitationRule,
    LimitationTrigger,
    RuleVersion,
    WageBasis,
)

__all__ += [
    "CalculationMode",
    "CalculationSettings",
    "CalculationSnapshot",
    "ItemKind",
    "Jurisdiction",
    "LimitationRule",
    "LimitationTrigger",
    "LineCategory",
    "OneOffItemRow",
    "PayPeriodRow",
    "RuleVersion",
    "SnapshotRuleVersion",
    "WageBasis",
]
from cases.models.ledger import (  # noqa: E402
    EntryKind,
    ExchangeRate,
    Instalment,
    InstalmentPlan,
    InstalmentQuerySet,
    InstalmentStatus,
    LedgerEntry,
    LedgerEntryQuerySet,
    Route,
)

__all__ += [
    "EntryKind",
    "ExchangeRate",
    "Instalment",
    "InstalmentPlan",
    "InstalmentQuerySet",
    "InstalmentStatus",
    "LedgerEntry",
    "LedgerEntryQuerySet",
    "Route",
]
from cases.models.reminder import Reminder, ReminderChannel, ReminderQuerySet, ReminderStatus  # noqa: E402

__all__ += ["Reminder", "ReminderChannel", "ReminderQuerySet", "ReminderStatus"]
from cases.models.deadline import Deadline, DeadlineKind, DeadlineQuerySet, DeadlineStatus  # noqa: E402

__all__ += ["Deadline", "DeadlineKind", "DeadlineQuerySet", "DeadlineStatus"]
from cases.models.notification import Notification, NotificationSetting, StaffReminderKind  # noqa: E402
from cases.models.portal import PhoneChangeRequest, RateCounter  # noqa: E402, F401
from cases.models.statistics import (  # noqa: E402, F401
    StatCase,
    StatDuration,
    StatFact,
    StatParalegal,
    StatPending,
    StatRefresh,
    StatRespondent,
)

__all__ += ["Notification", "NotificationSetting", "StaffReminderKind"]
