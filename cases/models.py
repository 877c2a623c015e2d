"""Every model of the cases app, gathered for Django (which loads ``cases.models``) and for code outside the app.

Each model lives in its domain package (``cases.core.models``, ``cases.money.models``, ``cases.deadlines.models``,
``cases.portal.models``, ``cases.statistics.models``); code inside ``cases`` imports it from there
(docs/architecture.md).
"""

from cases.core.models import (
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
from cases.money.models import (
    CalculationMode,
    CalculationSettings,
    CalculationSnapshot,
    ItemKind,
    Jurisdiction,
    LimitationRule,
    LimitationTrigger,
    LineCategory,
    OneOffItemRow,
    PayPeriodRow,
    RuleVersion,
    SnapshotRuleVersion,
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
from cases.money.models import (  # noqa: E402
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
from cases.deadlines.models import Reminder, ReminderChannel, ReminderQuerySet, ReminderStatus  # noqa: E402

__all__ += ["Reminder", "ReminderChannel", "ReminderQuerySet", "ReminderStatus"]
from cases.deadlines.models import Deadline, DeadlineKind, DeadlineQuerySet, DeadlineStatus  # noqa: E402

__all__ += ["Deadline", "DeadlineKind", "DeadlineQuerySet", "DeadlineStatus"]
from cases.deadlines.models import Notification, NotificationSetting, StaffReminderKind  # noqa: E402
from cases.portal.models import PhoneChangeRequest, RateCounter  # noqa: E402, F401
from cases.statistics.models import (  # noqa: E402, F401
    StatCase,
    StatDuration,
    StatFact,
    StatParalegal,
    StatPending,
    StatRefresh,
    StatRespondent,
)

__all__ += ["Notification", "NotificationSetting", "StaffReminderKind"]
