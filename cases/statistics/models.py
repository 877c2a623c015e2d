"""Summary tables for recovery statistics: derived data, kept up to date by ``cases.statistics.incremental`` and
rebuilt whole by ``cases.statistics.refresh``.

Nothing writes these rows but the refresh (one transaction each), so they carry no foreign-key constraints: an
office or a respondent is never protected by a summary row. Every table keeps the three filter dimensions (office,
country of work, sector) so a filtered dashboard reads one table.
Months are calendar months in UTC; money is in the reporting currency's minor units, reversals netted out.
"""

from django.conf import settings
from django.db import models

# Width in days of a ``StatDurationBand`` band, and the marker of a rolled-up dimension (any country or sector).
BAND_DAYS = 32
ANY = "*"
# The office of the rows summed over every office ("all offices": the dashboard of a coordinator who sees them all).
# Written for: StatFact stage/outcome rows (country and sector ANY) and origin/gender rows (per country, sector ANY);
# StatDuration, StatDurationBand and StatRespondent rows with country and sector ANY. ``StatRefresh.offices`` lists
# the offices summed in.
ALL_OFFICES = 0


def _office():
    return models.ForeignKey("paralegals.Office", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")


class StatFact(models.Model):
    """Per office, country of work, sector and month, one row per value of a dimension.

    ``dim`` is ``all`` (value empty), ``stage`` or ``outcome`` (cases opened in the month, by where they are now),
    ``reached`` (cases opened in the month, by the furthest open stage they reached),
    ``origin`` (the worker's nationality: with ``country_of_work`` the corridor) or ``gender``. ``opened`` and
    ``first_cases`` count cases opened in the month (``first_cases``: the worker's first case), ``closed`` cases
    closed in it; the money columns sum ledger entries dated in the month.
    """

    office = _office()
    country_of_work = models.CharField(max_length=2)
    sector = models.CharField(max_length=20)
    month = models.DateField()
    dim = models.CharField(max_length=10)
    value = models.CharField(max_length=20, blank=True)
    opened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    first_cases = models.IntegerField(default=0)
    claimed = models.BigIntegerField(default=0)
    awarded = models.BigIntegerField(default=0)
    paid = models.BigIntegerField(default=0)
    disbursed = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["dim", "month"], name="statfact_dim_month"),
            models.Index(
                fields=["dim", "month"],
                include=[
                    "country_of_work",
                    "value",
                    "opened",
                    "closed",
                    "first_cases",
                    "claimed",
                    "awarded",
                    "paid",
                    "disbursed",
                ],
                condition=models.Q(office_id=ALL_OFFICES),
                name="statfact_all_offices",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dim}={self.value}"


class StatDuration(models.Model):
    """A histogram of days: how many cases took ``days`` from intake to closing (``measure`` = ``close``, month of
    closing) or to the first disbursement (``disbursement``, month of that disbursement). Medians from it are exact.
    """

    office = _office()
    country_of_work = models.CharField(max_length=2)
    sector = models.CharField(max_length=20)
    measure = models.CharField(max_length=12)
    month = models.DateField()
    days = models.IntegerField()
    cases = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["measure", "month"], name="statduration_measure_month"),
            # The median's second step reads one band of days (``StatDurationBand``) for the period.
            models.Index(
                fields=["measure", "days", "month"],
                include=["office_id", "country_of_work", "sector", "cases"],
                name="statduration_measure_days",
            ),
            models.Index(
                fields=["measure", "days", "month"],
                include=["cases"],
                condition=models.Q(office_id=ALL_OFFICES),
                name="statduration_all_offices",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.measure} {self.days}d"


class StatDurationBand(models.Model):
    """``StatDuration`` summed by bands of ``BAND_DAYS`` days (``band`` = days div BAND_DAYS, rounded down), with
    extra rows rolled up over country and sector (both ``ANY``). A median first finds its band(s) here (tens of
    rows per month), then reads only those days from ``StatDuration``: exact, without reading the whole histogram.
    """

    office = _office()
    country_of_work = models.CharField(max_length=2)
    sector = models.CharField(max_length=20)
    measure = models.CharField(max_length=12)
    month = models.DateField()
    band = models.IntegerField()
    cases = models.IntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["measure", "country_of_work", "sector", "month"],
                include=["office_id", "band", "cases"],
                name="statband_measure_month",
            ),
            models.Index(
                fields=["measure", "month"],
                include=["band", "cases"],
                condition=models.Q(office_id=ALL_OFFICES),
                name="statband_all_offices",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.measure} band {self.band}"


class StatRespondent(models.Model):
    """Per respondent (successors folded into the company they replaced; aliases are names of the same row): open
    cases naming it, and awards not yet paid (awarded + settled − paid, entries that name it), as of the refresh.
    Extra rows with country and sector both ``ANY`` sum each office's rows (what an unfiltered dashboard reads)."""

    office = _office()
    country_of_work = models.CharField(max_length=2)
    sector = models.CharField(max_length=20)
    respondent = models.ForeignKey(
        "cases.Respondent", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    open_claims = models.IntegerField(default=0)
    unpaid = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["country_of_work", "sector", "office_id"],
                include=["respondent_id", "open_claims", "unpaid"],
                name="statrespondent_filters",
            ),
            models.Index(
                fields=["-open_claims", "-unpaid", "respondent"],
                condition=models.Q(office_id=ALL_OFFICES),
                name="statrespondent_all_offices",
            ),
        ]

    def __str__(self) -> str:
        return f"respondent {self.respondent_id}"


class StatParalegal(models.Model):
    """Per assigned person: open cases and their overdue open deadlines, as of the refresh."""

    office = _office()
    country_of_work = models.CharField(max_length=2)
    sector = models.CharField(max_length=20)
    paralegal = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    open_cases = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"paralegal {self.paralegal_id}"


class StatRefresh(models.Model):
    """One row: when the summary tables were last rebuilt (the dashboard's "as of") and how long it took."""

    refreshed_at = models.DateTimeField(null=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # The offices summed into the ALL_OFFICES rows: a reader who may see all of them can read those rows.
    offices = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"as of {self.refreshed_at}"


class StatCase(models.Model):
    """What each case contributes to the summary as of the last refresh: the refresh's own working table.

    Written whole by the full rebuild (the facts and durations are grouped from it) and row by row by the
    incremental refresh, which subtracts a changed case's old row from the summary and adds its new one. The
    dashboard never reads it.
    """

    case_id = models.BigIntegerField(primary_key=True)
    office_id = models.BigIntegerField()
    country_of_work = models.CharField(max_length=2)
    sector = models.CharField(max_length=20)
    stage = models.CharField(max_length=20)
    outcome = models.CharField(max_length=30)
    furthest = models.CharField(max_length=20, default="")  # the furthest open stage reached (Case.furthest_stage)
    origin = models.CharField(max_length=2)
    gender = models.CharField(max_length=20)
    month_opened = models.DateField()
    month_closed = models.DateField(null=True)
    opened_day = models.DateField()
    closed_day = models.DateField(null=True)
    # The first standing disbursement to the worker (none reversed).
    first_disbursement = models.DateField(null=True)
    # 1 when it is the worker's first case (by opening time, then id).
    first_case = models.SmallIntegerField()

    def __str__(self) -> str:
        return f"case {self.case_id} as counted"


class StatPending(models.Model):
    """A change the summary tables have not taken in yet, written after the change commits
    (``cases.statistics.changes``) and taken in by the next refresh (``cases.statistics.incremental``).

    - ``case_id``: the case changed (its worker's other cases are looked at too: which one is the first);
      with ``month``: a ledger entry dated in that month was recorded for it;
    - ``claimant_id``: the worker changed (origin, gender);
    - ``respondent_id``: a respondent a case no longer names;
    - ``everything``: rebuild all (a respondent's successor changed, a case was deleted).
    """

    case_id = models.BigIntegerField(null=True)
    claimant_id = models.BigIntegerField(null=True)
    respondent_id = models.BigIntegerField(null=True)
    month = models.DateField(null=True)
    everything = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"pending change {self.pk}"
