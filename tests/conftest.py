"""Shared fixtures: two offices, one person per role, and cases walked to any stage through the services."""

import pytest
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from cases.core.services.cases import case_advance, case_assign, case_close
from cases.core.stages import Outcome, Stage
from cases.models import Case

from .factories import CaseFactory, ConsentFactory, OfficeFactory, UserFactory


def pytest_configure(config):
    # WhiteNoise warns on every request when STATIC_ROOT has not been collected yet; tests don't need it.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning:django.core.handlers.base")


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request leaves its language active in the thread (LocaleMiddleware activates it and nothing deactivates
    it), so a page asked for in Spanish would make the next test on the same worker speak Spanish. Each test starts
    in the default language, as it does when run alone."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def second_step_done_at_test_login(request, monkeypatch):
    """``client.force_login()`` and ``client.login()`` check a password at most, never a second factor, so the
    session of a coordinator would be sent to the two-factor step on every page. For tests that are not about the
    second factor, a test client's sign-in also completes that step (the session holds a verified device, as after
    a right code); the middleware still runs and checks it. Tests of two-factor sign-in itself are marked
    ``second_factor`` and sign in as people do (tests/paralegals/test_two_factor*.py)."""
    if request.node.get_closest_marker("second_factor"):
        return
    sign_in = Client._login

    def sign_in_with_second_step(self, user, backend=None):
        sign_in(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = "tests.second_step_done"
        session.save()

    monkeypatch.setattr(Client, "_login", sign_in_with_second_step)


# The path a case takes through the open stages; make_case walks it.
FORWARD = [Stage.INTAKE, Stage.EVIDENCE, Stage.ASSIGNMENT, Stage.REDRESS]


@pytest.fixture
def office_a(db):
    return OfficeFactory(name="Kuala Lumpur")


@pytest.fixture
def office_b(db):
    return OfficeFactory(name="Bishkek", country="KG", city="Bishkek")


@pytest.fixture
def paralegal_a(office_a):
    return UserFactory(username="paralegal_a", office=office_a)


@pytest.fixture
def paralegal_b(office_b):
    return UserFactory(username="paralegal_b", office=office_b)


@pytest.fixture
def coordinator_a(office_a):
    return UserFactory(username="coordinator_a", coordinator=True, office=office_a)


@pytest.fixture
def coordinator_b(office_b):
    return UserFactory(username="coordinator_b", coordinator=True, office=office_b)


@pytest.fixture
def global_coordinator(db):
    return UserFactory(username="global_coordinator", global_coordinator=True)


@pytest.fixture
def administrator(db):
    """A user with the admin *role* (not a Django superuser)."""
    return UserFactory(username="administrator", administrator=True)


@pytest.fixture
def superuser(db):
    return UserFactory(username="superuser", superuser=True)


@pytest.fixture
def make_case(office_a, office_b, paralegal_a, paralegal_b, administrator):
    """Open a case (office A by default) and walk it forward to ``stage`` through the services.

    Consent is recorded on the way to evidence and a paralegal of the office is assigned
    on the way to redress. A closed case is closed from ``closed_from``.
    """
    paralegal_of = {office_a.pk: paralegal_a, office_b.pk: paralegal_b}

    def make(stage=Stage.INTAKE, *, office=None, closed_from=Stage.INTAKE, **kwargs):
        office = office or office_a
        kwargs.setdefault("actor", administrator)
        case = CaseFactory(office=office, **kwargs)
        target = closed_from if stage == Stage.CLOSED else stage
        for next_stage in FORWARD[1 : FORWARD.index(target) + 1]:
            if next_stage == Stage.EVIDENCE:
                ConsentFactory(claimant=case.claimant, actor=administrator)
            if next_stage == Stage.REDRESS:
                assignee = paralegal_of.get(office.pk) or UserFactory(office=office)
                case_assign(actor=administrator, case_id=case.pk, assignee=assignee)
            case_advance(actor=administrator, case_id=case.pk, to_stage=next_stage)
        if stage == Stage.CLOSED:
            case_close(actor=administrator, case_id=case.pk, outcome=Outcome.NOTHING, reason="Employer vanished.")
        return Case.objects.get(pk=case.pk)

    return make
