"""factory_boy factories for every app. Cases are opened through ``cases.core.services.cases.case_open``."""

import factory
from factory.django import DjangoModelFactory, Password

from cases.core.services.cases import case_open
from cases.models import Case, Respondent, RespondentKind, Sector
from claimants.models import Claimant, ConsentMethod, ConsentPurpose, ConsentRecord, IdDocumentType
from claimants.services import consent_record
from paralegals.models import Office, Organisation, Role, User

PASSWORD = "a-long-test-password"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Workers' Rights Centre {n}")


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Office {n}")
    country = "MY"
    city = "Kuala Lumpur"


class UserFactory(DjangoModelFactory):
    """A paralegal in a new office unless told otherwise; traits for the other roles."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@redress.example.org")
    password = Password(PASSWORD)
    role = Role.PARALEGAL
    office = factory.SubFactory(OfficeFactory)

    class Params:
        coordinator = factory.Trait(role=Role.COORDINATOR)
        global_coordinator = factory.Trait(role=Role.COORDINATOR, is_global_coordinator=True, office=None)
        administrator = factory.Trait(role=Role.ADMIN, office=None)
        superuser = factory.Trait(is_superuser=True, is_staff=True, office=None)


class ClaimantFactory(DjangoModelFactory):
    class Meta:
        model = Claimant

    full_name = factory.Faker("name")
    preferred_language = "ky"
    nationality = "KG"
    id_document_type = IdDocumentType.PASSPORT
    id_document_number = factory.Sequence(lambda n: f"AC{1_000_000 + n}")


class ConsentFactory(factory.Factory):
    """Records consent (or, with ``given=False``, its withdrawal) through ``consent_record``."""

    class Meta:
        model = ConsentRecord

    actor = factory.SubFactory(UserFactory)
    claimant = factory.SubFactory(ClaimantFactory)
    purpose = ConsentPurpose.DATA_PROCESSING
    given = True
    method = ConsentMethod.VERBAL

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Consent is recorded by consent_record; use ConsentFactory().")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return consent_record(**kwargs)


class RespondentFactory(DjangoModelFactory):
    class Meta:
        model = Respondent

    kind = RespondentKind.EMPLOYER
    name = factory.Faker("company")
    country = "MY"


class CaseFactory(factory.Factory):
    """Opens a case with ``case_open`` (so it has a real reference and OPENED event).

    The default actor is a coordinator of the case's office.
    """

    class Meta:
        model = Case

    office = factory.SubFactory(OfficeFactory)
    actor = factory.SubFactory(UserFactory, coordinator=True, office=factory.SelfAttribute("..office"))
    claimant = factory.SubFactory(ClaimantFactory)
    respondents = factory.LazyFunction(lambda: [(RespondentFactory(), RespondentKind.EMPLOYER)])
    country_of_work = "MY"
    sector = Sector.CONSTRUCTION
    job_title = "Scaffolder"
    summary = "Three months of wages unpaid; passport held by the employer."

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Cases exist only once case_open has written them; use CaseFactory().")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return case_open(**kwargs)
