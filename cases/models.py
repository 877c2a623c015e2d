"""Every model of the cases app, gathered for Django (which loads ``cases.models``) and for code outside the app.

Each model lives in its domain package (``cases.audit.models``, ``cases.core.models``, ``cases.money.models``,
``cases.deadlines.models``, ``cases.portal.models``, ``cases.statistics.models``); code inside ``cases`` imports it
from there (docs/architecture.md).
"""

from cases.audit.models import (  # noqa: F401
    AccessKind,
    AccessRecord,
    AccessRecordQuerySet,
    Via,
)
from cases.core.models import (  # noqa: F401
    Case,
    CaseEvent,
    CaseEventQuerySet,
    CaseQuerySet,
    CaseRespondent,
    CaseTally,
    EventKind,
    Respondent,
    RespondentAlias,
    RespondentKind,
    Sector,
)
from cases.deadlines.models import (  # noqa: F401
    Deadline,
    DeadlineKind,
    DeadlineQuerySet,
    DeadlineStatus,
    Notification,
    NotificationSetting,
    Reminder,
    ReminderChannel,
    ReminderQuerySet,
    ReminderStatus,
    StaffReminderKind,
)
from cases.money.models import (  # noqa: F401
    CalculationMode,
    CalculationSettings,
    CalculationSnapshot,
    EntryKind,
    ExchangeRate,
    Instalment,
    InstalmentPlan,
    InstalmentQuerySet,
    InstalmentStatus,
    ItemKind,
    Jurisdiction,
    LedgerEntry,
    LedgerEntryQuerySet,
    LimitationRule,
    LimitationTrigger,
    LineCategory,
    OneOffItemRow,
    PayPeriodRow,
    Route,
    RuleVersion,
    SnapshotRuleVersion,
    WageBasis,
)
from cases.portal.models import (  # noqa: F401
    PhoneChangeRequest,
    RateCounter,
)
from cases.statistics.models import (  # noqa: F401
    StatCase,
    StatDuration,
    StatFact,
    StatParalegal,
    StatPending,
    StatRefresh,
    StatRespondent,
)
