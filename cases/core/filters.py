"""The case list's filter form: what may be asked of the list, validated before it reaches a query.

Every value the query uses comes from ``cleaned_data``, so a hand-edited URL gets field errors,
never a 500. The choices are built for the person looking: only offices they can see cases in,
only staff of those offices. Sorting is a whitelist of key sets, each ending in ``id`` so that
the keyset cursor (the last row's sort values) always points at exactly one row.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cases.core.models import Case, CaseRespondent, Respondent, RespondentAlias, Sector
from cases.core.references import normalise_reference
from cases.core.stages import ORDER, Stage
from claimants.models import Claimant
from paralegals.models import Office, Role, User

UNASSIGNED = "none"
# Every stage but closed: what Home counts as "open cases" (its figures link to the list with this filter).
OPEN_STAGES = "open"
PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50
DEFAULT_SORT = "-opened"
CURSOR_SALT = "cases.case_list.cursor"


@dataclass(frozen=True)
class Sort:
    label: str
    # (field or annotation, descending) pairs; the last one is always ("id", ...), the tie-breaker.
    keys: tuple[tuple[str, bool], ...]

    def order_by(self, *, reverse: bool = False) -> list[str]:
        return [("-" if descending != reverse else "") + field for field, descending in self.keys]


# The stage column sorts in the card's order (intake → closed), not alphabetically.
STAGE_RANK = models.Case(
    *(models.When(stage=stage, then=models.Value(rank)) for rank, stage in enumerate(ORDER)),
    output_field=models.IntegerField(),
)

SORTS: dict[str, Sort] = {
    "-opened": Sort(_("Newest first"), (("opened_at", True), ("id", True))),
    "opened": Sort(_("Oldest first"), (("opened_at", False), ("id", False))),
    "stage": Sort(_("Stage, intake first"), (("stage_rank", False), ("id", False))),
    "-stage": Sort(_("Stage, closed first"), (("stage_rank", True), ("id", True))),
    "-stage_changed": Sort(_("Stage changed, most recent first"), (("stage_changed_at", True), ("id", True))),
    "stage_changed": Sort(_("Stage changed, longest ago first"), (("stage_changed_at", False), ("id", False))),
    "reference": Sort(_("Reference, A to Z"), (("reference", False), ("id", False))),
    "-reference": Sort(_("Reference, Z to A"), (("reference", True), ("id", True))),
}

# How each sort key travels in a cursor: JSON out, Python value back in.
_DATETIME_KEYS = {"opened_at", "stage_changed_at"}


def encode_cursor(sort: str, direction: str, values: list) -> str:
    """An opaque, signed token for 'the rows after (or before) this one' in ``sort`` order."""
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return signing.dumps({"s": sort, "d": direction, "v": plain}, salt=CURSOR_SALT, compress=True)


def decode_cursor(token: str, sort: str) -> tuple[str, list]:
    """(direction, values) from a token made by ``encode_cursor`` for the same sort; ValueError otherwise."""
    try:
        payload = signing.loads(token, salt=CURSOR_SALT)
        keys = SORTS[sort].keys
        if payload["s"] != sort or payload["d"] not in ("next", "prev") or len(payload["v"]) != len(keys):
            raise ValueError
        values = []
        for (field, _descending), value in zip(keys, payload["v"], strict=True):
            if field in _DATETIME_KEYS:
                value = datetime.fromisoformat(value)
            elif field in ("id", "stage_rank"):
                value = int(value)
            elif not isinstance(value, str):
                raise ValueError
            values.append(value)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValueError("not a cursor for this list") from error
    return payload["d"], values


def offices_with_visible_cases(user):
    """The offices the office filter offers ``user``: those they can see cases in, found without reading another
    office's cases.

    Someone who sees every office gets each office that has a case (one index probe per office, stopping at the first
    row). Anyone else sees their own office's cases and the cases assigned to them: they get their own office (even
    while it has no case yet) and each other office holding a case assigned to them. Asking "does office Y have a case
    I can see?" of ``visible_to``'s ``office = mine OR assigned to me`` instead walked all of Y's cases looking for one
    assigned to me: 10 offices x 54 ms at 1M cases (issue #17).
    """
    visible = Case.objects.visible_to(user)
    if user.sees_all_offices:
        offices = Office.objects.filter(Exists(visible.filter(office=OuterRef("pk"))))
    else:
        assigned_here = visible.filter(assigned_to=user, office=OuterRef("pk"))
        offices = Office.objects.filter(Q(pk=user.office_id) | Exists(assigned_here))
    return offices.select_related("organisation")


def _staff_label(person: User) -> str:
    return person.get_full_name() or person.username


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A case reference, or the start of a worker's or respondent's name."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("Any stage")), (OPEN_STAGES, _("Any open stage")), *Stage.choices],
    )
    office = forms.TypedChoiceField(label=_("Office"), required=False, coerce=int, empty_value=None)
    assigned = forms.ChoiceField(label=_("Assigned paralegal"), required=False)
    country = forms.ChoiceField(label=_("Country of work"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Any sector")), *Sector.choices])
    language = forms.ChoiceField(
        label=_("Worker's language"),
        required=False,
        choices=[("", _("Any language")), *settings.CLAIMANT_LANGUAGES],
    )
    opened_from = forms.DateField(
        label=_("Opened on or after"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    opened_to = forms.DateField(
        label=_("Opened on or before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    flags = forms.MultipleChoiceField(
        label=_("Only cases flagged"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("unsafe_contact", _("Contact only through safe channels")),
            ("do_not_contact_employer", _("Do not contact the employer yet")),
            ("waiver_under_pressure", _("Waiver signed under pressure")),
        ],
    )
    respondent = forms.ModelChoiceField(
        label=_("Respondent"),
        required=False,
        queryset=Respondent.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This respondent does not exist."), "invalid": _("Not a respondent.")},
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[(key, sort.label) for key, sort in SORTS.items()]
    )
    size = forms.TypedChoiceField(
        label=_("Cases per page"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_PAGE_SIZE,
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
    )
    cursor = forms.CharField(label=_("Page link"), required=False, widget=forms.HiddenInput, max_length=2000)

    # Filters rarely used together; the template folds them away unless one is set.
    MORE = ("country", "sector", "language", "opened_from", "opened_to", "flags")

    def __init__(self, data, *, user, shown=True, **kwargs):
        """``shown=False`` (the API): the office and staff choices are read only when the data names an office or a
        person to check (two queries saved on every plain API list)."""
        data = data.copy()
        # Defaults live in the data, so the selects show what the list actually uses.
        if not data.get("sort"):
            data["sort"] = DEFAULT_SORT
        if not data.get("size"):
            data["size"] = str(DEFAULT_PAGE_SIZE)
        super().__init__(data, **kwargs)
        if shown or data.get("office") or data.get("assigned"):
            self._people_choices(user)
        self.fields["country"].choices = [("", _("Any country")), *countries]

    def _people_choices(self, user) -> None:
        offices = list(offices_with_visible_cases(user))
        self.fields["office"].choices = [("", _("Any office")), *((office.pk, str(office)) for office in offices)]
        staff = User.objects.filter(
            Q(office__in=[office.pk for office in offices], is_active=True, role__in=[Role.PARALEGAL, Role.COORDINATOR])
            | Q(pk=user.pk)
        ).order_by("first_name", "last_name", "username")
        self.fields["assigned"].choices = [
            ("", _("Anyone or no one")),
            (UNASSIGNED, _("Not assigned yet")),
            *((str(person.pk), _staff_label(person)) for person in staff),
        ]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("opened_from"), cleaned.get("opened_to")
        if start and end and end < start:
            self.add_error("opened_to", _("This date is before the start date."))
        sort = cleaned.get("sort") or DEFAULT_SORT
        cleaned["sort"] = sort
        if cleaned.get("cursor") and "sort" not in self.errors:
            try:
                cleaned["cursor"] = decode_cursor(cleaned["cursor"], sort)
            except ValueError:
                self.add_error(
                    "cursor", _("This page link does not fit the current sort order. Start again from the first page.")
                )
        else:
            cleaned["cursor"] = None
        return cleaned

    @property
    def shows_more(self) -> bool:
        """Unfold the rarely used filters when one of them is set or wrong."""
        return any(self.data.get(name) for name in self.MORE) or any(name in self.errors for name in self.MORE)

    def filter(self, cases):
        """Narrow ``cases`` (already limited to what the user may see) by the valid filters."""
        data = self.cleaned_data
        if data.get("stage") == OPEN_STAGES:
            cases = cases.exclude(stage=Stage.CLOSED)
        elif data.get("stage"):
            cases = cases.filter(stage=data["stage"])
        if data.get("office"):
            cases = cases.filter(office_id=data["office"])
        if data.get("assigned") == UNASSIGNED:
            cases = cases.filter(assigned_to__isnull=True)
        elif data.get("assigned"):
            cases = cases.filter(assigned_to_id=int(data["assigned"]))
        if data.get("country"):
            cases = cases.filter(country_of_work=data["country"])
        if data.get("sector"):
            cases = cases.filter(sector=data["sector"])
        if data.get("language"):
            cases = cases.filter(claimant__preferred_language=data["language"])
        if data.get("respondent"):
            cases = cases.filter(pk__in=CaseRespondent.objects.filter(respondent=data["respondent"]).values("case_id"))
        # Whole days in the current time zone, as a range on the indexed column (no date cast).
        if data.get("opened_from"):
            cases = cases.filter(opened_at__gte=_start_of(data["opened_from"]))
        if data.get("opened_to"):
            cases = cases.filter(opened_at__lt=_start_of(data["opened_to"] + timedelta(days=1)))
        for flag in data.get("flags") or []:
            cases = cases.filter(**{f"flag_{flag}": True})
        if data.get("q"):
            cases = cases.filter(search(data["q"]))
        return cases


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search(text: str) -> Q:
    """A reference matches exactly; anything else is a name prefix of the worker or a respondent (or alias).

    Prefix matches only, each inside its own subquery, so every part can use a name index;
    a contains-search (leading wildcard) would read every row.
    """
    reference = normalise_reference(text)
    if reference is not None:
        return Q(reference=reference)
    respondents = CaseRespondent.objects.filter(
        Q(respondent_id__in=Respondent.objects.filter(name__istartswith=text).values("pk"))
        | Q(respondent_id__in=RespondentAlias.objects.filter(name__istartswith=text).values("respondent_id"))
    )
    return Q(claimant_id__in=Claimant.objects.filter(full_name__istartswith=text).values("pk")) | Q(
        pk__in=respondents.values("case_id")
    )
