"""The cases app's admin: Django loads this module, which loads each package's admin (docs/architecture.md)."""

from cases.audit import admin as audit_admin  # noqa: F401  (the access log; the case and worker pages, recorded)
from cases.core import admin as core_admin  # noqa: F401  (cases, respondents, events; ReadOnlyAdmin)
from cases.deadlines import admin as deadlines_admin  # noqa: F401  (reminders, notifications)
from cases.money.admin import jurisdiction, ledger  # noqa: F401  (rules and calculations; rates, ledger, plans)
from cases.retention import admin as retention_admin  # noqa: F401  (the erasure request on workers)
