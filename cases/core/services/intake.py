"""Intake: the worker, their contacts, their consent, the respondents and the case — written in one go.

``intake_submit`` is the one write; ``find_claimant_matches`` and ``find_respondent_matches`` are the reads
the intake form uses to offer an existing record instead of a duplicate. Claimants are only ever offered to
someone who can already see one of their cases: a paralegal must not discover people from other offices.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from cases.core.errors import InvalidInput, NotPermitted
from cases.core.models import Case, CaseRespondent, Respondent, RespondentAlias, RespondentKind
from cases.core.pins import hash_pin, new_pin
from cases.core.services.cases import EDITABLE_FIELDS, case_open
from claimants.fields import blind_index
from claimants.models import ChannelKind, Claimant, ConsentMethod, ConsentPurpose, ContactChannel
from claimants.services import consent_record

# What intake may write on a claimant, and on a case (through case_open). Nothing else gets in —
# in particular nothing about immigration status, ever.
CLAIMANT_FIELDS = frozenset(
    {
        "full_name",
        "preferred_language",
        "gender",
        "nationality",
        "home_country_address",
        "alternate_contact_name",
        "alternate_contact_relationship",
        "alternate_contact_phone",
        "id_document_type",
        "id_document_number",
    }
)
CASE_FIELDS = EDITABLE_FIELDS
PHONE_KINDS = (ChannelKind.PHONE, ChannelKind.WHATSAPP)
# Fewer digits than this cannot tell one worker from another.
MIN_PHONE_DIGITS = 6
# A respondent match counts its cases up to here ("100 or more cases"): enough to tell a known employer.
CASE_COUNT_CAP = 100


class IntakeTokenUsed(InvalidInput):
    """The form's token already made a case this user cannot see (a copied form): start a new intake."""

    default_message = gettext_lazy("This intake form was already used. Start a new intake.")


@dataclass(frozen=True)
class IntakeResult:
    case: Case
    # The clear PIN, returned once when the case is created; never stored or logged (hence repr=False).
    pin: str | None = field(repr=False)
    created: bool


@dataclass(frozen=True)
class ClaimantMatch:
    claimant: Claimant
    case_reference: str
    same_phone: bool
    same_document: bool


@dataclass(frozen=True)
class RespondentMatch:
    respondent: Respondent
    aliases: list[str]
    # Counted up to CASE_COUNT_CAP.
    case_count: int

    @property
    def many_cases(self) -> bool:
        """True when the respondent has CASE_COUNT_CAP cases or more (``case_count`` stopped counting)."""
        return self.case_count >= CASE_COUNT_CAP


def _may_open_in(actor, office) -> bool:
    return bool(actor.is_active and (actor.sees_all_offices or actor.office_id == office.pk))


def case_for_intake_token(*, actor, token: uuid.UUID) -> Case | None:
    """The case an intake form's token already opened, if any (IntakeTokenUsed if ``actor`` cannot see it)."""
    case = Case.objects.filter(intake_token=token).first()
    if case is None:
        return None
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise IntakeTokenUsed()
    return case


@sensitive_variables("pin", "pin_hash")
def intake_submit(
    *,
    actor,
    token: uuid.UUID,
    office,
    claimant: Claimant | None,
    claimant_data: dict,
    channels: list[dict],
    consents: list[str],
    consent_method: str,
    respondents: list[dict],
    case_data: dict,
) -> IntakeResult:
    """Open a case from an intake form, with everything it needs, in one transaction.

    ``claimant`` is an existing worker chosen by the user (their new channels are added, blank fields filled
    from ``claimant_data``) or None to create one from ``claimant_data``. ``channels`` are dicts with kind,
    value, consent, safe_to_contact and in_home_country. ``respondents`` are ``{"respondent": r, "role": ...}``
    for existing ones or ``{"name", "kind", "country", "aliases", "role"}`` for new ones. Each purpose in
    ``consents`` is recorded as given, by ``consent_method``.

    The form's ``token`` makes a double submit harmless: when a case already carries it (also when another
    request wins the race to store it), that case is returned with ``created=False`` and no PIN. Otherwise
    the new case gets a fresh PIN, stored hashed; the clear PIN is returned here and nowhere else.
    """
    existing = case_for_intake_token(actor=actor, token=token)
    if existing is not None:
        return IntakeResult(case=existing, pin=None, created=False)
    if not _may_open_in(actor, office):
        raise NotPermitted(_("You can only open cases in your own office."))
    _check_input(claimant, claimant_data, consents, consent_method, case_data)
    # Hash before the transaction: the slow hash must not hold locks.
    pin = new_pin()
    pin_hash = hash_pin(pin)
    try:
        with transaction.atomic():
            claimant = _claimant(actor, claimant, claimant_data)
            _add_channels(claimant, channels)
            for purpose in dict.fromkeys(consents):
                consent_record(actor=actor, claimant=claimant, purpose=purpose, method=consent_method)
            case = case_open(
                actor=actor, claimant=claimant, office=office, respondents=_respondents(respondents), **case_data
            )
            case.pin_hash, case.intake_token = pin_hash, token
            case.save(update_fields=["pin_hash", "intake_token"])
    except IntegrityError:
        # Most likely the same form submitted twice at once: the other request stored the token first.
        existing = case_for_intake_token(actor=actor, token=token)
        if existing is None:
            raise
        return IntakeResult(case=existing, pin=None, created=False)
    return IntakeResult(case=case, pin=pin, created=True)


def _check_input(claimant, claimant_data, consents, consent_method, case_data) -> None:
    if unknown := set(claimant_data) - CLAIMANT_FIELDS:
        raise InvalidInput(_("Unknown worker fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if unknown := set(case_data) - CASE_FIELDS:
        raise InvalidInput(_("Unknown case fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if claimant is None and not (claimant_data.get("full_name") or "").strip():
        raise InvalidInput(_("Give the worker's name."))
    if any(purpose not in ConsentPurpose.values for purpose in consents):
        raise InvalidInput(_("Unknown consent purpose."))
    if consents and consent_method not in ConsentMethod.values:
        raise InvalidInput(_("Say how the worker gave consent."))


def _claimant(actor, claimant: Claimant | None, data: dict) -> Claimant:
    if claimant is None:
        return Claimant.objects.create(**data)
    # Lock the worker's row: two intakes for the same returning worker add channels one after the other.
    visible = Case.objects.visible_to(actor).filter(claimant_id=claimant.pk)
    claimant = Claimant.objects.select_for_update().filter(pk=claimant.pk, pk__in=visible.values("claimant_id"))
    claimant = claimant.first()
    if claimant is None:
        raise NotPermitted(_("You can only choose a worker whose case you can see."))
    # Fill what the existing record is missing; never overwrite what someone recorded before.
    filled = [name for name, value in data.items() if value and not getattr(claimant, name)]
    for name in filled:
        setattr(claimant, name, data[name])
    if filled:
        claimant.save(update_fields=[*filled, "updated_at"])
    return claimant


def _add_channels(claimant: Claimant, channels: Iterable[dict]) -> None:
    """Add the channels the worker does not have yet; a known channel takes the flags given now."""
    existing = {(channel.kind, channel.lookup_value): channel for channel in claimant.channels.all()}
    for given in channels:
        kind, value = given["kind"], (given.get("value") or "").strip()
        if not value:
            continue
        lookup_value = ContactChannel.lookup_for(kind, value)
        if kind not in ChannelKind.values or not lookup_value:
            raise InvalidInput(_("A contact number or address is not valid."))
        flags = {name: bool(given.get(name)) for name in ("consent", "safe_to_contact", "in_home_country")}
        channel = existing.get((kind, lookup_value))
        if channel is None:
            existing[kind, lookup_value] = ContactChannel.objects.create(
                claimant=claimant, kind=kind, value=value, **flags
            )
            continue
        changed = [name for name, flag in flags.items() if getattr(channel, name) != flag]
        for name in changed:
            setattr(channel, name, flags[name])
        if changed:
            channel.save(update_fields=changed)


def _respondents(rows: Iterable[dict]) -> list[tuple[Respondent, str]]:
    pairs = []
    for row in rows:
        respondent = row.get("respondent")
        if respondent is None:
            name = (row.get("name") or "").strip()
            if not name or row.get("kind") not in RespondentKind.values or not row.get("country"):
                raise InvalidInput(_("A new respondent needs a name, a kind and a country."))
            respondent = Respondent.objects.create(name=name, kind=row["kind"], country=row["country"])
            aliases = {}
            for alias in row.get("aliases") or ():
                alias = alias.strip()
                if alias and alias.casefold() != name.casefold():
                    aliases.setdefault(alias.casefold(), alias)
            RespondentAlias.objects.bulk_create(
                RespondentAlias(respondent=respondent, name=alias) for alias in aliases.values()
            )
        role = row.get("role") or respondent.kind
        if role not in RespondentKind.values:
            raise InvalidInput(_("Unknown respondent role."))
        pairs.append((respondent, role))
    return pairs


def find_claimant_matches(
    *, actor, phone: str = "", whatsapp: str = "", document_number: str = "", limit: int = 5
) -> list[ClaimantMatch]:
    """Workers who may already be on record: the same phone/WhatsApp digits or the same document number.

    Only workers with a case ``actor`` can see are offered, each with the reference of their latest such case.
    """
    numbers = {ContactChannel.normalise(ChannelKind.PHONE, number) for number in (phone, whatsapp)}
    # Stored numbers are encrypted: compare their blind indexes (the same digits give the same digest).
    numbers = {
        ContactChannel.lookup_for(ChannelKind.PHONE, number) for number in numbers if len(number) >= MIN_PHONE_DIGITS
    }
    normalised_document = "".join(ch for ch in document_number if ch.isalnum())
    if not numbers and not normalised_document:
        return []
    # Start from the few workers with that number or document (their indexes), then keep those with a case the
    # actor can see: starting from the actor's visible cases walks an office's whole caseload (500 ms at 1M cases).
    candidates = []
    same_phone = Value(False, output_field=models.BooleanField())
    if numbers:
        same_phone = Exists(
            ContactChannel.objects.filter(claimant=OuterRef("pk"), kind__in=PHONE_KINDS, lookup_value__in=numbers)
        )
        candidates.append(
            ContactChannel.objects.filter(kind__in=PHONE_KINDS, lookup_value__in=numbers).values_list("claimant_id")
        )
    digest = blind_index(normalised_document) if normalised_document else ""
    if digest:
        candidates.append(Claimant.objects.filter(id_document_digest=digest).values_list("pk"))
    if not candidates:
        return []
    visible = Case.objects.visible_to(actor)
    candidate_ids = candidates[0].union(*candidates[1:]) if len(candidates) > 1 else candidates[0]
    claimants = list(
        Claimant.objects.filter(Exists(visible.filter(claimant_id=OuterRef("pk"))), pk__in=candidate_ids)
        .annotate(same_phone=same_phone)
        .order_by("-updated_at", "-pk")[:limit]
    )
    if not claimants:
        return []
    references = {}
    for claimant_id, reference in (
        visible.filter(claimant__in=claimants).order_by("-opened_at", "-pk").values_list("claimant_id", "reference")
    ):
        references.setdefault(claimant_id, reference)
    return [
        ClaimantMatch(
            claimant=claimant,
            case_reference=references.get(claimant.pk, ""),
            same_phone=claimant.same_phone,
            same_document=bool(digest) and claimant.id_document_digest == digest,
        )
        for claimant in claimants
    ]


def find_respondent_matches(*, name: str, country: str | None = None, limit: int = 5) -> list[RespondentMatch]:
    """Respondents whose name or alias is ``name`` or starts with it (case-insensitive), exact matches first,
    each with the number of cases naming it (counted up to CASE_COUNT_CAP: see ``RespondentMatch.many_cases``).

    Respondents are a shared register (one employer appears in many offices' cases), so all are searched.
    """
    name = " ".join(name.split())
    if not name:
        return []
    # A one-letter prefix matches half the register: below two characters only exact names count.
    lookup = "istartswith" if len(name) >= 2 else "iexact"
    # The candidates come from the name and alias indexes (UPPER(name) text_pattern_ops, migration 0004); an OR of
    # the two in one WHERE would test every respondent instead.
    candidates = (
        Respondent.objects.filter(**{f"name__{lookup}": name})
        .values_list("pk")
        .union(RespondentAlias.objects.filter(**{f"name__{lookup}": name}).values_list("respondent_id"))
    )
    exact = Q(name__iexact=name) | Exists(RespondentAlias.objects.filter(respondent=OuterRef("pk"), name__iexact=name))
    rank = models.Case(models.When(exact, then=Value(0)), default=Value(1), output_field=models.IntegerField())
    chosen = Respondent.objects.filter(pk__in=candidates)
    if country:
        chosen = chosen.filter(country=country)
    chosen = chosen.annotate(rank=rank).order_by("rank", "name", "pk").values("pk")[:limit]
    # Cases are counted for the chosen few only, and only up to CASE_COUNT_CAP each: the busiest employer has
    # thousands of cases and the form only needs to tell a known employer from a barely known one.
    respondents = (
        Respondent.objects.filter(pk__in=chosen)
        .annotate(rank=rank, case_count=_capped_case_count())
        .order_by("rank", "name", "pk")
        .prefetch_related("aliases")
    )
    return [
        RespondentMatch(
            respondent=respondent,
            aliases=sorted(alias.name for alias in respondent.aliases.all()),
            case_count=respondent.case_count,
        )
        for respondent in respondents
    ]


def _capped_case_count() -> Subquery:
    """How many cases name the respondent (in any role), counting no further than CASE_COUNT_CAP."""
    cases = CaseRespondent.objects.filter(respondent=OuterRef("pk")).values("case_id").distinct()[:CASE_COUNT_CAP]
    return Subquery(cases, template="(SELECT COUNT(*) FROM (%(subquery)s) AS capped)", output_field=IntegerField())
