"""Case references: unambiguous characters, a fixed shape, a check character, and unique in the database."""

import random
import re

import pytest
from django.db import IntegrityError, transaction

from cases.core.references import ALPHABET, RANDOM_LENGTH, new_reference, normalise_reference
from cases.core.services import cases as services
from cases.models import Case, CaseEvent, EventKind
from tests.factories import CaseFactory

SHAPE = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]$")


def with_check_character(body: str) -> str:
    """The one valid reference for ``body``, found through the public normaliser only."""
    valid = [f"{body}{check}" for check in ALPHABET if normalise_reference(f"{body}{check}")]
    assert len(valid) == 1, f"{body} has {len(valid)} valid check characters"
    return valid[0]


# A fixed sample, so a failure is reproducible: random bodies plus bodies that pair the alphabet's
# first and last characters and every character with the one 15 places on.
_rng = random.Random(20240601)
SAMPLE_BODIES = ["".join(_rng.choice(ALPHABET) for _ in range(RANDOM_LENGTH)) for _ in range(150)] + [
    "2Z2Z2Z2Z",
    "Z2Z2Z2Z2",
    *(ALPHABET[i] + ALPHABET[(i + 15) % len(ALPHABET)] + "ABCDEF" for i in range(len(ALPHABET))),
]
SAMPLE = [with_check_character(body) for body in SAMPLE_BODIES]


def test_the_alphabet_has_no_characters_that_look_alike():
    assert not set("0O1IL" + "UV") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert ALPHABET.isupper()


def test_new_references_have_the_shape_xxxx_xxxx_c_and_validate():
    references = [new_reference() for _ in range(300)]

    assert all(SHAPE.match(reference) for reference in references), references
    assert all(normalise_reference(reference) == reference for reference in references)
    assert len(set(references)) == len(references)


def test_the_check_character_catches_every_single_character_substitution():
    missed = []
    for reference in SAMPLE:
        for position in range(RANDOM_LENGTH + 1):
            for char in ALPHABET.replace(reference[position], ""):
                typo = reference[:position] + char + reference[position + 1 :]
                if normalise_reference(typo) is not None:
                    missed.append((reference, typo))

    assert missed == []


def test_the_check_character_catches_a_mistyped_check_character():
    for reference in SAMPLE:
        for char in ALPHABET.replace(reference[-1], ""):
            assert normalise_reference(reference[:-1] + char) is None


def test_the_check_character_catches_every_adjacent_transposition():
    missed = []
    for reference in SAMPLE:
        for position in range(RANDOM_LENGTH):
            first, second = reference[position], reference[position + 1]
            if first == second:
                continue
            typo = reference[:position] + second + first + reference[position + 2 :]
            if normalise_reference(typo) is not None:
                missed.append((reference, typo))

    assert missed == []


@pytest.mark.parametrize(
    "typed",
    ["{r}", "{r_lower}", "{r_bare}", "{r_bare_lower}", " {r_spaced} ", "{r_dotted}"],
)
def test_normalise_reference_accepts_what_people_type(typed):
    reference = SAMPLE[0][:4] + "-" + SAMPLE[0][4:8] + "-" + SAMPLE[0][8]
    bare = SAMPLE[0]
    raw = typed.format(
        r=reference,
        r_lower=reference.lower(),
        r_bare=bare,
        r_bare_lower=bare.lower(),
        r_spaced=" ".join([bare[:4], bare[4:8], bare[8]]).lower(),
        r_dotted=".".join([bare[:3], bare[3:]]),
    )

    assert normalise_reference(raw) == reference


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "-", "ABCD", "ABCD-EFGH", "ABCD-EFGH-JK", "abcd-efgh-jk-2", "0OIL-1UV0-2", "ABCD-EFGH-Ä", "🙂" * 9],
)
def test_normalise_reference_rejects_garbage(garbage):
    assert normalise_reference(garbage) is None


def test_normalise_reference_rejects_ambiguous_characters_even_with_a_valid_shape():
    reference = SAMPLE[0]
    for ambiguous in "0O1ILUV":
        assert normalise_reference(ambiguous + reference[1:]) is None


def test_the_database_refuses_a_duplicate_reference(office_a, coordinator_a):
    case = CaseFactory(office=office_a, actor=coordinator_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            reference=case.reference,
            claimant=case.claimant,
            office=office_a,
            country_of_work="MY",
            sector="construction",
            opened_by=coordinator_a,
        )

    assert Case.objects.filter(reference=case.reference).count() == 1


def test_case_open_retries_when_the_reference_is_taken(office_a, coordinator_a, monkeypatch):
    taken = CaseFactory(office=office_a, actor=coordinator_a).reference
    fresh = new_reference()
    offered = iter([taken, fresh])
    calls = []

    def next_reference():
        calls.append(1)
        return next(offered)

    monkeypatch.setattr(services, "new_reference", next_reference)

    case = CaseFactory(office=office_a, actor=coordinator_a)

    assert case.reference == fresh
    assert len(calls) == 2
    assert Case.objects.count() == 2
    assert CaseEvent.objects.filter(case=case, kind=EventKind.OPENED).count() == 1
    assert case.case_respondents.count() == 1


def test_case_open_gives_up_after_repeated_collisions(office_a, coordinator_a, monkeypatch):
    taken = CaseFactory(office=office_a, actor=coordinator_a).reference
    monkeypatch.setattr(services, "new_reference", lambda: taken)

    with pytest.raises(IntegrityError):
        CaseFactory(office=office_a, actor=coordinator_a)

    assert Case.objects.count() == 1
