"""Deadlines and tasks of a case: computed from a jurisdiction's limitation rule (or the worker's departure), or
entered by hand.

A *task* ("call the worker back", "collect payslips") is a deadline of kind ``task`` with a title and an assignee:
it lives beside the deadlines in My work, the calendar and the feed, and is reminded of like them. A task is never
marked missed; it stays open (overdue) until done or cancelled.

A computed deadline records how it was computed (``computed_from``: rule, trigger, trigger date, source); a deadline
entered by hand records who entered it. ``due_at`` is stored in UTC; ``timezone`` is the office's zone the deadline
is expressed in (a limitation period ends at 23:59 local time). Writes go through
``cases.deadlines.services.deadlines``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.core.models import Case


class DeadlineKind(models.TextChoices):
    LIMITATION = "limitation", _("Limitation period")
    HEARING = "hearing", _("Hearing")
    FILING_DUE = "filing_due", _("Filing due")
    RESPONSE_DUE = "response_due", _("Response due from respondent")
    INSTALMENT_DUE = "instalment_due", _("Instalment due")
    FOLLOW_UP = "follow_up", _("Follow-up with the worker")
    DEPARTURE = "departure", _("Worker's departure")
    TASK = "task", _("Task")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    MISSED = "missed", pgettext_lazy("deadline status", "Missed")
    CANCELLED = "cancelled", _("Cancelled")


class DeadlineQuerySet(models.QuerySet):
    def follow_case_assignee(self, case) -> int:
        """Make the case's deadlines (not its tasks) answer to the case's paralegal again; returns rows changed."""
        return (
            self.filter(case=case)
            .exclude(kind=DeadlineKind.TASK)
            .exclude(assignee_id=case.assigned_to_id)
            .update(assignee_id=case.assigned_to_id)
        )

    def open(self) -> "DeadlineQuerySet":
        return self.filter(status=DeadlineStatus.OPEN)

    def overdue(self, now) -> "DeadlineQuerySet":
        """Open deadlines whose time has passed (``deadline_mark_missed`` turns them into missed ones)."""
        return self.open().filter(due_at__lt=now)


class Deadline(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=DeadlineKind.choices)
    due_at = models.DateTimeField(_("due"), db_index=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # Computed deadlines: {"rule": id or None, "trigger": ..., "trigger_date": "YYYY-MM-DD", "source": ...}.
    computed_from = models.JSONField(_("computed from"), null=True, blank=True)
    # The rule a computed deadline came from, as a plain key ("" for deadlines not from a rule, such as departure),
    # so that one open computed deadline per (case, kind, rule) can be a database constraint.
    rule_key = models.CharField(max_length=40, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    note = models.TextField(_("note"), blank=True)
    # The case's office, copied when the deadline is made (a case never changes office): My work finds the
    # unassigned cases' deadlines of an office through it, without a join.
    office = models.ForeignKey(
        "paralegals.Office", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    # Tasks: what to do and who does it. For other kinds, who answers for it: the case's paralegal, copied when the
    # deadline is made and kept by ``cases.core.services.cases`` when the case is (re)assigned
    # (``follow_case_assignee``), or nobody while the case is unassigned (then the office's coordinators do). See
    # ``cases.deadlines.my_work``.
    title = models.CharField(_("task"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    # The last time it was marked met/done, cancelled or reopened: by whom, when, and why (a cancel needs a reason).
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["case", "status", "due_at"], name="deadline_case_status_due"),
            # My work: what a person answers for, open (or missed), by due time.
            models.Index(
                fields=["assignee", "due_at", "id"],
                include=["kind", "office"],  # My work's filters read from the index alone (PostgreSQL)
                condition=models.Q(status__in=["open", "missed"]),
                name="deadline_assignee_open_due",
            ),
            # My work, coordinators: the office's open deadlines nobody is assigned to, by due time.
            models.Index(
                fields=["office", "due_at", "id"],
                include=["kind"],
                condition=models.Q(assignee__isnull=True, status__in=["open", "missed"]),
                name="deadline_office_unowned_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "rule_key"],
                condition=models.Q(status="open", computed_from__isnull=False),
                name="deadline_one_open_computed",
            ),
            models.CheckConstraint(
                condition=models.Q(computed_from__isnull=False) | models.Q(entered_by__isnull=False),
                name="deadline_computed_or_by_hand",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="task") | (models.Q(assignee__isnull=False) & ~models.Q(title="")),
                name="deadline_task_has_title_and_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # bulk_create skips this: callers of it set office and assignee themselves (seed_benchmark does).
        if self._state.adding and self.case_id is not None and self._needs_case_copy():
            if Deadline.case.is_cached(self):  # the caller's (locked) case: no query
                office_id, assigned_to_id = self.case.office_id, self.case.assigned_to_id
            else:
                office_id, assigned_to_id = (
                    Case.objects.filter(pk=self.case_id).values_list("office_id", "assigned_to_id").get()
                )
            self.office_id = self.office_id or office_id
            if self.kind != DeadlineKind.TASK and self.assignee_id is None:
                self.assignee_id = assigned_to_id
        super().save(*args, **kwargs)

    def _needs_case_copy(self) -> bool:
        return self.office_id is None or (self.assignee_id is None and self.kind != DeadlineKind.TASK)

    @property
    def is_computed(self) -> bool:
        return self.computed_from is not None

    @property
    def is_task(self) -> bool:
        return self.kind == DeadlineKind.TASK
