"""The claim: respondents, cases, and the append-only timeline of what happened to each case.

Nothing here assigns ``Case.stage`` except ``cases.core.services.cases``; every state change
writes a ``CaseEvent`` in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cases.core.errors import IllegalTransition
from cases.core.stages import ORDER, Outcome, Stage
from claimants.models import Claimant


class RespondentKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    RECRUITER = "recruiter", _("Recruiter (origin country)")
    AGENCY = "agency", _("Agency (destination country)")
    SPONSOR = "sponsor", _("Sponsor")
    CONTRACTOR = "contractor", _("Principal contractor")
    BRAND = "brand", _("Brand / buyer")


# Marks a value a query did not load (``from_db`` below).
NOT_LOADED = object()


class Respondent(models.Model):
    """Anyone liable for the wages. One respondent appears across many cases."""

    kind = models.CharField(_("kind"), max_length=20, choices=RespondentKind.choices)
    name = models.CharField(_("name"), max_length=255)
    country = CountryField(_("country"))
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    preferred_language = models.CharField(
        _("language for letters"), max_length=12, choices=settings.LANGUAGES + settings.CLAIMANT_LANGUAGES, blank=True
    )
    successor_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("successor of"),
        help_text=_("The company this one replaced (renamed or re-registered to dodge claims)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        indexes = [models.Index(fields=["name"], name="respondent_name")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The company it replaced when loaded: changing it regroups every statistic (cases.statistics.changes).
        instance._stat_loaded = dict(zip(field_names, values, strict=True)).get("successor_of_id", NOT_LOADED)
        return instance


class RespondentAlias(models.Model):
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=255, db_index=True)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [models.UniqueConstraint(fields=["respondent", "name"], name="alias_unique_per_respondent")]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    CONSTRUCTION = "construction", _("Construction")
    DOMESTIC = "domestic", _("Domestic work")
    FISHING = "fishing", _("Fishing")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    HOSPITALITY = "hospitality", _("Hospitality")
    CLEANING = "cleaning", _("Cleaning")
    CARE = "care", _("Care work")
    TRANSPORT = "transport", _("Transport and delivery")
    RETAIL = "retail", _("Retail")
    SECURITY = "security", _("Security")
    OTHER = "other", _("Other")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        """The one place that decides which cases a user may see.

        Admins (and global coordinators) see every case; paralegals and coordinators
        see their office's cases, plus any case assigned to them; anyone else sees none.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_offices:
            return self
        if user.office_id is None:
            return self.filter(assigned_to=user)
        return self.filter(models.Q(office_id=user.office_id) | models.Q(assigned_to=user))

    def lock_for(self, user, pk: int) -> "Case":
        """Case ``pk`` row-locked for the current transaction, if ``user`` may see it (else Case.DoesNotExist).

        Every service that changes a case starts here: lock, check, write (rule 3 in docs/architecture.md).
        """
        return self.visible_to(user).select_for_update(of=("self",)).get(pk=pk)


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    claimant = models.ForeignKey(Claimant, on_delete=models.PROTECT, related_name="cases", verbose_name=_("claimant"))
    respondents = models.ManyToManyField(
        Respondent, through="CaseRespondent", related_name="cases", verbose_name=_("respondents")
    )
    office = models.ForeignKey(
        "paralegals.Office", on_delete=models.PROTECT, related_name="cases", verbose_name=_("office")
    )
    country_of_work = CountryField(_("country of work"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    job_title = models.CharField(_("job"), max_length=200, blank=True)
    work_started_on = models.DateField(_("work started"), null=True, blank=True)
    work_ended_on = models.DateField(_("work ended"), null=True, blank=True)
    departure_date = models.DateField(
        _("departure date"), null=True, blank=True, help_text=_("When the worker leaves (or left) the country of work.")
    )
    summary = models.TextField(_("what happened"), blank=True)
    estimated_amount = models.DecimalField(
        _("rough amount owed"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    estimated_currency = models.CharField(_("currency"), max_length=3, blank=True)

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INTAKE, editable=False)
    stage_changed_at = models.DateTimeField(_("stage changed"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, editable=False)
    outcome_reason = models.TextField(_("outcome reason"), blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned paralegal"),
        editable=False,
    )

    flag_unsafe_contact = models.BooleanField(
        _("contact only through safe channels"),
        default=False,
        help_text=_("Someone who could retaliate may read the worker's messages."),
    )
    flag_do_not_contact_employer = models.BooleanField(_("do not contact the employer yet"), default=False)
    flag_waiver_under_pressure = models.BooleanField(_("waiver or settlement signed under pressure"), default=False)
    # Off by default: a stranger holding a shared phone should not learn that money is coming.
    portal_show_amounts = models.BooleanField(
        _("show amounts on the worker's status page"),
        default=False,
        help_text=_("Amounts paid by the respondent and paid out to the worker, on the status check."),
    )

    # The worker's status-check PIN, stored only as a slow salted hash (shown once at intake).
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    # The intake form's one-time token: a double-submitted intake finds the case it already made.
    intake_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    # Optimistic concurrency: every write bumps it; an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The furthest open stage the case has been in (intake … redress): kept when it closes or moves back, so the
    # statistics' funnel can count how many cases reached each stage.
    furthest_stage = models.CharField(
        _("furthest stage reached"), max_length=20, choices=Stage.choices, default=Stage.INTAKE, editable=False
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # When the case's personal texts were removed (cases.retention): after the retention period or on the worker's
    # erasure request. Such a case cannot be reopened.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["office", "stage", "-opened_at"], name="case_office_stage_opened"),
            models.Index(fields=["assigned_to", "stage"], name="case_assignee_stage"),
            # "Has this person a case in office Y?" for the case list's office choices (cases.core.filters): one probe
            # per office instead of walking all of the person's cases (1.8 ms instead of 1.9 s at 1M cases).
            models.Index(fields=["assigned_to", "office"], name="case_assignee_office"),
            models.Index(fields=["-opened_at", "-id"], name="case_opened_id"),
            # Home's "my cases", latest activity first, and its coordinators' "waiting" list (in assignment, or open
            # and nobody's), longest waiting first: each a short walk of a partial index at any number of cases.
            models.Index(
                fields=["assigned_to", "-updated_at", "-id"],
                name="case_assignee_recent",
                condition=~models.Q(stage="closed"),
            ),
            models.Index(
                fields=["stage_changed_at", "id"],
                name="case_waiting",
                condition=~models.Q(stage="closed")
                & (models.Q(stage="assignment") | models.Q(assigned_to__isnull=True)),
            ),
            # The retention sweep's query: closed cases not yet anonymised, oldest first (cases.retention).
            models.Index(
                fields=["closed_at"],
                name="case_retention_due",
                condition=models.Q(stage="closed", anonymised_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage="closed") | ~models.Q(outcome=""), name="case_closed_has_outcome"
            ),
            models.CheckConstraint(
                condition=models.Q(stage="closed") | models.Q(outcome=""), name="case_open_has_no_outcome"
            ),
            models.CheckConstraint(
                condition=models.Q(work_ended_on__isnull=True)
                | models.Q(work_started_on__isnull=True)
                | models.Q(work_ended_on__gte=models.F("work_started_on")),
                name="case_work_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def language(self) -> str:
        return self.claimant.preferred_language

    def reach(self, stage: str) -> list[str]:
        """Note that the case is now in the open ``stage``; returns ``["furthest_stage"]`` when that is further
        than it had been (the field to save), else nothing."""
        if stage != Stage.CLOSED and ORDER.index(stage) > ORDER.index(self.furthest_stage):
            self.furthest_stage = stage
            return ["furthest_stage"]
        return []

    def save_bumping_version(self, fields=()) -> None:
        """Save ``fields`` and bump ``version``: every write does, so pages opened before it see they are stale."""
        self.version = models.F("version") + 1
        self.save(update_fields=[*fields, "version", "updated_at"])
        self.refresh_from_db(fields=["version"])

    def check_open(self, message) -> None:
        """Raise IllegalTransition with ``message`` when the case is closed."""
        if self.stage == Stage.CLOSED:
            raise IllegalTransition(message, current_stage=self.stage)


class CaseRespondent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_respondents")
    # Indexed by case_respondent_cases below (respondent, case), which serves every lookup by respondent.
    respondent = models.ForeignKey(Respondent, on_delete=models.PROTECT, related_name="case_roles", db_index=False)
    role = models.CharField(_("role in this case"), max_length=20, choices=RespondentKind.choices)

    class Meta:
        verbose_name = _("respondent in case")
        verbose_name_plural = _("respondents in case")
        constraints = [
            models.UniqueConstraint(fields=["case", "respondent", "role"], name="case_respondent_role_unique"),
        ]
        # A respondent's cases in case order: intake counts a matched respondent's cases up to a cap by walking
        # this (cases.core.services.intake) instead of sorting all of them; it replaces the foreign key's own index.
        indexes = [models.Index(fields=["respondent", "case"], name="case_respondent_cases")]

    def __str__(self) -> str:
        return f"{self.respondent} ({self.get_role_display()})"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    ASSIGNED = "assigned", _("Assigned")
    NOTE = "note", _("Note")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    DETAILS_CHANGED = "details_changed", _("Details changed")
    CALCULATION_CHANGED = "calculation_changed", _("Calculation inputs changed")
    CALCULATED = "calculated", _("Wages calculated")
    LEDGER_ENTRY = "ledger_entry", _("Money recorded")
    LEDGER_REVERSED = "ledger_reversed", _("Money entry corrected")
    INSTALMENT_PLAN = "instalment_plan", _("Instalment plan agreed")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EVIDENCE_DOWNLOADED = "evidence_downloaded", _("Evidence viewed or downloaded")
    EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
    DOCUMENT_REQUESTED = "document_requested", _("Document requested")
    DOCUMENT_READY = "document_ready", _("Document ready")
    DOCUMENT_FAILED = "document_failed", _("Document failed")
    DOCUMENT_DOWNLOADED = "document_downloaded", _("Document downloaded")
    DEADLINE_ADDED = "deadline_added", _("Deadline added")
    DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
    DEADLINE_REOPENED = "deadline_reopened", _("Deadline reopened")
    TASK_ADDED = "task_added", _("Task added")
    TASK_DONE = "task_done", _("Task done")
    TASK_CHANGED = "task_changed", _("Task changed")
    PIN_REISSUED = "pin_reissued", _("New status-check PIN issued")
    PORTAL_LOCKED = "portal_locked", _("Status check locked after too many tries")
    PORTAL_UNLOCKED = "portal_unlocked", _("Status check unlocked")
    PHONE_CHANGE_REQUESTED = "phone_change_requested", _("Worker reported a new phone number")
    PHONE_CHANGE_HANDLED = "phone_change_handled", _("New phone number checked")
    ANONYMISED = "anonymised", _("Personal data removed")


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Case events are append-only.")

    def redact_texts(self) -> int:
        """Blank the events' free text (notes, reasons): the one change to past events, made by anonymisation
        (``cases.retention``) when the retention period ends or the worker asks for erasure. Kinds, stages, actors,
        times and payloads (ids and kinds) stay."""
        return models.QuerySet.update(self.exclude(reason=""), reason="")

    def delete(self):
        raise TypeError("Case events are append-only.")


class CaseEvent(models.Model):
    """Append-only timeline: who did what to the case, when, from which stage to which, and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the system acted."),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at", "-id"], name="caseevent_case_timeline")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Case events are append-only.")


class CaseTally(models.Model):
    """How many cases each (office, assignee, stage) holds, for counts that must not walk the cases (Home's figures,
    the assignment suggestions' open cases per person).

    Kept by database triggers on ``cases_case`` (``cases.core.tally``), so every writer counts: services, the admin,
    bulk updates, raw SQL seeders. A trigger only appends a row (+n / -n); nothing updates a shared counter row, so
    concurrent intakes never wait on each other. A count is the SUM of a key's rows; ``compact_tallies`` (beat)
    folds them into one row per key. ``assignee_id`` 0 means nobody. No foreign keys: a row is a number, not a link.
    """

    office_id = models.IntegerField()
    assignee_id = models.IntegerField()
    stage = models.CharField(max_length=20)
    n = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["office_id", "stage"], name="casetally_office"),
            models.Index(fields=["assignee_id", "stage"], name="casetally_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.assignee_id}/{self.stage}: {self.n}"
