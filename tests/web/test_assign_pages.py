"""Assignment on the pages: a paralegal takes a case (case page and list), the coordinator's assign form picks
nobody by default, and coordinators assign the ticked cases of a list page at once."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cases.core.assignment import suggest_assignees
from cases.core.services.cases import case_take
from cases.core.stages import Stage
from cases.models import Case, CaseEvent, EventKind
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("case_list")
BULK = reverse("case_bulk_assign")


def detail(case):
    return reverse("case_detail", args=[case.pk])


def take(case):
    return reverse("case_take", args=[case.pk])


class _Selects(HTMLParser):
    """The <option>s of each <select> on a page, by the select's id (else name): (value, label, selected)."""

    def __init__(self):
        super().__init__()
        self.selects: dict[str, list[tuple[str, str, bool]]] = {}
        self._select = self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self._select = self.selects.setdefault(attrs.get("id") or attrs["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "", "selected" in attrs]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._select.append((self._option[0], self._option[1].strip(), self._option[2]))
            self._option = None
        elif tag == "select":
            self._select = None


def selects(response) -> dict[str, list[tuple[str, str, bool]]]:
    parser = _Selects()
    parser.feed(response.content.decode())
    return parser.selects


@pytest.fixture
def taking_office(office_a):
    office_a.paralegals_may_take_cases = True
    office_a.save(update_fields=["paralegals_may_take_cases"])
    return office_a


# --- Taking a case -----------------------------------------------------------------------------------------------


def test_a_paralegal_takes_an_unassigned_case_from_its_page(client, make_case, paralegal_a, taking_office):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)
    page = client.get(detail(case)).content.decode()
    assert "Take this case" in page and f'action="{take(case)}"' in page

    response = client.post(take(case), {"expected_version": case.version})

    assert response.status_code == 302 and response.url == detail(case) + "#assignment"
    assert Case.objects.get(pk=case.pk).assigned_to == paralegal_a
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["You took the case: it is assigned to you now."]
    assert "Take this case" not in client.get(detail(case)).content.decode()


def test_the_take_button_shows_only_where_taking_is_allowed(client, make_case, paralegal_a, coordinator_a, office_a):
    unassigned, assigned, closed = make_case(Stage.EVIDENCE), make_case(Stage.REDRESS), make_case(Stage.CLOSED)
    client.force_login(paralegal_a)
    assert "Take this case" not in client.get(detail(unassigned)).content.decode()  # the office does not allow it

    office_a.paralegals_may_take_cases = True
    office_a.save(update_fields=["paralegals_may_take_cases"])

    assert "Take this case" in client.get(detail(unassigned)).content.decode()
    assert "Take this case" not in client.get(detail(assigned)).content.decode()
    assert "Take this case" not in client.get(detail(closed)).content.decode()
    client.force_login(coordinator_a)  # coordinators assign themselves with the assign form
    assert "Take this case" not in client.get(detail(unassigned)).content.decode()


def test_taking_where_the_office_does_not_allow_it_is_a_403_with_the_reason(client, make_case, paralegal_a):
    case = make_case(Stage.EVIDENCE)
    client.force_login(paralegal_a)

    response = client.post(take(case), {"expected_version": case.version})

    assert response.status_code == 403
    assert "paralegals cannot take them" in response.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_a_case_someone_took_first_is_a_409_naming_them(client, make_case, paralegal_a, taking_office):
    case = make_case(Stage.EVIDENCE)
    colleague = UserFactory(office=taking_office, first_name="Aye", last_name="Aye")
    client.force_login(paralegal_a)
    stale_version = case.version
    case_take(actor=colleague, case_id=case.pk)

    response = client.post(take(case), {"expected_version": stale_version})

    assert response.status_code == 409
    assert "The case is already assigned to Aye Aye." in response.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to == colleague


def test_a_closed_case_cannot_be_taken_409(client, make_case, paralegal_a, taking_office):
    case = make_case(Stage.CLOSED)
    client.force_login(paralegal_a)

    response = client.post(take(case), {"expected_version": case.version})

    assert response.status_code == 409 and "A closed case cannot be taken." in response.content.decode()


def test_the_list_offers_take_on_unassigned_rows_to_paralegals_of_a_taking_office(
    client, make_case, paralegal_a, coordinator_a, taking_office, django_assert_num_queries
):
    unassigned, assigned = make_case(Stage.INTAKE), make_case(Stage.REDRESS)
    client.force_login(paralegal_a)

    # session, user, offices for the filter, staff for the filter, page of cases, respondents prefetch, the header's
    # counts: the buttons cost nothing (the case's office comes with the page).
    with django_assert_num_queries(7):
        page = client.get(LIST).content.decode()

    assert f'action="{take(unassigned)}"' in page
    assert f'action="{take(assigned)}"' not in page
    assert 'type="checkbox" name="cases"' not in page  # paralegals never get the bulk checkboxes
    client.force_login(coordinator_a)
    assert f'action="{take(unassigned)}"' not in client.get(LIST).content.decode()


# --- The coordinator's assign form --------------------------------------------------------------------------------


def test_the_assign_form_starts_on_an_empty_choice_and_never_picks_the_coordinator(
    client, make_case, coordinator_a, paralegal_a
):
    case = make_case(Stage.ASSIGNMENT)
    client.force_login(coordinator_a)

    options = selects(client.get(detail(case)))["id_assignee"]

    assert options[0] == ("", "Choose a paralegal…", True)
    assert not any(selected for _value, _label, selected in options[1:])
    # The suggested order (language, office, caseload) follows the empty choice; the coordinator is one of them.
    suggested = [str(c.user.pk) for c in suggest_assignees(case, actor=coordinator_a)]
    assert [value for value, _label, _selected in options[1:]] == suggested
    assert str(coordinator_a.pk) in suggested and str(paralegal_a.pk) in suggested


def test_submitting_the_assign_form_without_a_choice_is_a_field_error(client, make_case, coordinator_a):
    case = make_case(Stage.ASSIGNMENT)
    client.force_login(coordinator_a)

    response = client.post(reverse("case_assign", args=[case.pk]), {"assignee": "", "expected_version": case.version})

    assert response.status_code == 400
    assert response.context["assign_form"].errors == {"assignee": ["Choose who takes the case."]}
    assert Case.objects.get(pk=case.pk).assigned_to is None
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNED).exists()


# --- Bulk assignment from the list --------------------------------------------------------------------------------


def test_coordinators_get_a_checkbox_per_row_and_a_form_with_the_people_they_may_assign(
    client, make_case, coordinator_a, paralegal_a, paralegal_b
):
    cases = [make_case(Stage.INTAKE) for _ in range(2)]
    departed = UserFactory(office=coordinator_a.office, is_active=False)
    client.force_login(coordinator_a)

    response = client.get(LIST)

    page = response.content.decode()
    for case in cases:
        assert f'name="cases" value="{case.pk}" form="bulk-assign"' in page
    assert f'action="{BULK}"' in page and "Assign selected" in page
    options = selects(response)["id_assignee"]
    assert options[0] == ("", "Choose a paralegal…", True)
    assert not any(selected for _value, _label, selected in options[1:])
    people = {int(value) for value, _label, _selected in options[1:]}
    assert people == {coordinator_a.pk, paralegal_a.pk}  # not office B's paralegal, not someone who left
    assert paralegal_b.pk not in people and departed.pk not in people


def test_assigning_the_ticked_cases_assigns_each_and_returns_to_the_list_page(
    client, make_case, coordinator_a, paralegal_a
):
    paralegal_a.first_name, paralegal_a.last_name = "Aye", "Aye"
    paralegal_a.save(update_fields=["first_name", "last_name"])
    cases = [make_case(Stage.INTAKE) for _ in range(3)]
    client.force_login(coordinator_a)
    back = f"{LIST}?stage=intake&size=25"

    response = client.post(BULK, {"cases": [c.pk for c in cases], "assignee": paralegal_a.pk, "next": back})

    assert response.status_code == 302 and response.url == back
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Assigned 3 cases to Aye Aye."]
    for case in cases:
        assert Case.objects.get(pk=case.pk).assigned_to == paralegal_a
        event = CaseEvent.objects.get(case=case, kind=EventKind.ASSIGNED)
        assert (event.actor, event.payload) == (coordinator_a, {"from": None, "to": paralegal_a.pk})


def test_a_partial_failure_lists_each_case_left_alone_and_why(client, make_case, coordinator_a, paralegal_a):
    fresh, closed = make_case(Stage.INTAKE), make_case(Stage.CLOSED)
    elsewhere = make_case(Stage.INTAKE, office=OfficeFactory(name="Yangon"))
    client.force_login(coordinator_a)

    response = client.post(BULK, {"cases": [fresh.pk, closed.pk, elsewhere.pk], "assignee": paralegal_a.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Assigned 1 case to {paralegal_a.get_full_name()}." in html.unescape(page)
    assert "2 cases not assigned" in page
    assert f'<a href="{detail(closed)}">{closed.reference}</a>: A closed case cannot be assigned.' in page
    # The other office's case is "not found": only the id the coordinator sent, nothing about the case.
    assert f"Case no. {elsewhere.pk}: Not found." in page
    assert elsewhere.reference not in page and "Yangon" not in page
    assert f'href="{LIST}"' in page
    assert Case.objects.get(pk=fresh.pk).assigned_to == paralegal_a
    assert Case.objects.get(pk=elsewhere.pk).assigned_to is None
    assert not CaseEvent.objects.filter(case=elsewhere, kind=EventKind.ASSIGNED).exists()


def test_more_than_100_cases_at_once_is_refused_and_nothing_is_assigned(client, make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.INTAKE)
    client.force_login(coordinator_a)
    ids = [case.pk, *range(10_000, 10_100)]

    response = client.post(BULK, {"cases": ids, "assignee": paralegal_a.pk})

    assert response.status_code == 400
    assert "Select at most 100 cases at a time." in response.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"assignee": "{paralegal}"}, "Select the cases to assign."),
        ({"cases": "{case}", "assignee": ""}, "Choose who takes the selected cases."),
        ({"cases": "{case}", "assignee": "{other_office}"}, "Select a valid choice."),
        ({"cases": ["{case}", "x"], "assignee": "{paralegal}"}, "The selection could not be read"),
    ],
)
def test_bad_input_is_a_400_with_a_clear_message_and_nothing_assigned(
    client, make_case, coordinator_a, paralegal_a, paralegal_b, body, message
):
    case = make_case(Stage.INTAKE)
    client.force_login(coordinator_a)
    ids = {"case": case.pk, "paralegal": paralegal_a.pk, "other_office": paralegal_b.pk}
    fill = lambda value: [fill(v) for v in value] if isinstance(value, list) else value.format(**ids)  # noqa: E731

    response = client.post(BULK, {key: fill(value) for key, value in body.items()})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_a_paralegal_posting_to_the_bulk_url_gets_403(client, make_case, paralegal_a):
    case = make_case(Stage.INTAKE)
    client.force_login(paralegal_a)

    response = client.post(BULK, {"cases": [case.pk], "assignee": paralegal_a.pk})

    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_the_return_address_must_be_the_case_list(client, make_case, coordinator_a, paralegal_a):
    case = make_case(Stage.INTAKE)
    client.force_login(coordinator_a)

    response = client.post(BULK, {"cases": [case.pk], "assignee": paralegal_a.pk, "next": "https://evil.example/"})

    assert response.status_code == 302 and response.url == LIST


def test_the_bulk_form_keeps_the_list_page_it_was_on(client, make_case, coordinator_a):
    make_case(Stage.INTAKE)
    client.force_login(coordinator_a)

    page = client.get(LIST, {"stage": "intake", "size": 25}).content.decode()

    next_value = re.search(r'name="next" value="([^"]*)"', page).group(1).replace("&amp;", "&")
    assert next_value == f"{LIST}?stage=intake&size=25"
