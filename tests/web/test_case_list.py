"""The case list: filters, search, visibility, keyset pagination, and a query count that ignores page size."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.core.services.cases import case_open
from cases.core.stages import ORDER, Stage
from cases.models import Case, RespondentAlias, RespondentKind, Sector
from tests.factories import ClaimantFactory, RespondentFactory

URL = reverse("case_list")


def listed(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    assert not response.context["form"].errors, response.context["form"].errors
    return [case.reference for case in response.context["cases"]]


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_list_shows_every_column_with_links_to_the_case_and_its_respondents(admin_client, make_case):
    respondent = RespondentFactory(name="Golden Palm Plantation")
    case = make_case(
        Stage.REDRESS,
        respondents=[(respondent, RespondentKind.EMPLOYER)],
        claimant=ClaimantFactory(full_name="Aizada Toktogulova", preferred_language="ky"),
        sector=Sector.AGRICULTURE,
        flag_unsafe_contact=True,
    )

    page = admin_client.get(URL).content.decode()

    assert f'href="{reverse("case_detail", args=[case.pk])}"' in page
    assert f'href="{reverse("respondent_detail", args=[respondent.pk])}">Golden Palm Plantation</a>' in page
    assert "Aizada Toktogulova" in page
    assert 'data-label="Stage">Redress' in page
    assert 'data-label="Office">Kuala Lumpur<' in page
    assert 'data-label="Country">Malaysia<' in page
    assert 'data-label="Sector">Agriculture<' in page
    assert 'data-label="Language">Kyrgyz<' in page
    assert f'data-label="Assigned to">{case.assigned_to.get_full_name()}<' in page
    assert '<span class="flag danger">Unsafe contact</span>' in page


def test_newest_cases_come_first_by_default(admin_client, make_case):
    older, newer = make_case(), make_case()
    Case.objects.filter(pk=older.pk).update(opened_at=timezone.now() - timedelta(days=3))

    assert listed(admin_client) == [newer.reference, older.reference]
    assert listed(admin_client, sort="opened") == [older.reference, newer.reference]


def test_the_stage_sort_follows_the_card_order_not_the_alphabet(admin_client, make_case):
    redress, intake, evidence = make_case(Stage.REDRESS), make_case(Stage.INTAKE), make_case(Stage.EVIDENCE)

    assert listed(admin_client, sort="stage") == [intake.reference, evidence.reference, redress.reference]
    assert listed(admin_client, sort="-stage") == [redress.reference, evidence.reference, intake.reference]


def test_the_reference_and_stage_changed_sorts_order_by_those_columns(admin_client, make_case):
    cases = [make_case(), make_case(), make_case()]
    by_reference = sorted(case.reference for case in cases)
    Case.objects.filter(pk=cases[0].pk).update(stage_changed_at=timezone.now() + timedelta(hours=1))

    assert listed(admin_client, sort="reference") == by_reference
    assert listed(admin_client, sort="-reference") == by_reference[::-1]
    assert listed(admin_client, sort="-stage_changed")[0] == cases[0].reference
    assert listed(admin_client, sort="stage_changed")[-1] == cases[0].reference


# --- Filters: each one narrows the list to exactly the cases that match.


def test_the_stage_filter_narrows_the_list(admin_client, make_case):
    evidence, _intake = make_case(Stage.EVIDENCE), make_case(Stage.INTAKE)

    assert listed(admin_client, stage=Stage.EVIDENCE) == [evidence.reference]


def test_the_office_filter_narrows_the_list(admin_client, make_case, office_b):
    in_b, _in_a = make_case(office=office_b), make_case()

    assert listed(admin_client, office=office_b.pk) == [in_b.reference]


def test_the_assignee_filter_finds_a_paralegals_cases_and_the_unassigned_ones(admin_client, make_case, paralegal_a):
    assigned, unassigned = make_case(Stage.REDRESS), make_case(Stage.INTAKE)

    assert listed(admin_client, assigned=paralegal_a.pk) == [assigned.reference]
    assert listed(admin_client, assigned="none") == [unassigned.reference]


def test_the_country_filter_narrows_the_list(admin_client, make_case):
    in_thailand, _in_malaysia = make_case(country_of_work="TH"), make_case(country_of_work="MY")

    assert listed(admin_client, country="TH") == [in_thailand.reference]


def test_the_sector_filter_narrows_the_list(admin_client, make_case):
    domestic, _construction = make_case(sector=Sector.DOMESTIC), make_case(sector=Sector.CONSTRUCTION)

    assert listed(admin_client, sector=Sector.DOMESTIC) == [domestic.reference]


def test_the_respondent_filter_lists_only_cases_against_that_respondent(admin_client, make_case):
    respondent = RespondentFactory(name="Sunrise Recruitment")
    against = make_case(respondents=[(respondent, RespondentKind.RECRUITER), (RespondentFactory(), "employer")])
    make_case()

    response = admin_client.get(URL, {"respondent": respondent.pk})

    assert [case.reference for case in response.context["cases"]] == [against.reference]
    assert "Only cases against" in response.content.decode()


def test_the_language_filter_narrows_the_list_by_the_workers_language(admin_client, make_case):
    nepali = make_case(claimant=ClaimantFactory(preferred_language="ne"))
    make_case(claimant=ClaimantFactory(preferred_language="ky"))

    assert listed(admin_client, language="ne") == [nepali.reference]


def test_the_opened_between_filter_includes_both_whole_days(admin_client, make_case):
    cases = {day: make_case() for day in (1, 2, 3, 4)}
    for day, case in cases.items():
        opened = timezone.make_aware(timezone.datetime(2025, 3, day, 23, 59))
        Case.objects.filter(pk=case.pk).update(opened_at=opened)

    found = listed(admin_client, opened_from="2025-03-02", opened_to="2025-03-03")

    assert found == [cases[3].reference, cases[2].reference]


@pytest.mark.parametrize("flag", ["unsafe_contact", "do_not_contact_employer", "waiver_under_pressure"])
def test_each_flag_filter_narrows_the_list(admin_client, make_case, flag):
    flagged = make_case(**{f"flag_{flag}": True})
    make_case()

    assert listed(admin_client, flags=flag) == [flagged.reference]


def test_flag_filters_together_need_every_flag(admin_client, make_case):
    both = make_case(flag_unsafe_contact=True, flag_waiver_under_pressure=True)
    make_case(flag_unsafe_contact=True)

    assert listed(admin_client, flags=["unsafe_contact", "waiver_under_pressure"]) == [both.reference]


# --- Search.


def test_a_reference_typed_in_lower_case_without_hyphens_finds_that_case(admin_client, make_case):
    wanted, _other = make_case(), make_case()

    typed = wanted.reference.replace("-", "").lower()

    assert listed(admin_client, q=typed) == [wanted.reference]
    assert listed(admin_client, q=f"  {wanted.reference.lower()} ") == [wanted.reference]


def test_the_start_of_a_workers_name_finds_their_case_but_the_middle_does_not(admin_client, make_case):
    aizada = make_case(claimant=ClaimantFactory(full_name="Aizada Toktogulova"))
    make_case(claimant=ClaimantFactory(full_name="Nurlan Asanov"))

    assert listed(admin_client, q="aiz") == [aizada.reference]
    assert listed(admin_client, q="Aizada Tok") == [aizada.reference]
    assert listed(admin_client, q="zada") == []


def test_the_start_of_a_respondents_name_or_alias_finds_cases_against_it(admin_client, make_case):
    respondent = RespondentFactory(name="Golden Palm Plantation")
    RespondentAlias.objects.create(respondent=respondent, name="GPP Holdings")
    against = make_case(respondents=[(respondent, RespondentKind.EMPLOYER)])
    make_case(respondents=[(RespondentFactory(name="Harbour Fisheries"), RespondentKind.EMPLOYER)])

    assert listed(admin_client, q="golden pa") == [against.reference]
    assert listed(admin_client, q="gpp") == [against.reference]
    assert listed(admin_client, q="Palm") == []


def test_a_case_with_two_matching_respondents_is_listed_once(admin_client, make_case):
    case = make_case(
        respondents=[
            (RespondentFactory(name="Delta Staffing"), RespondentKind.AGENCY),
            (RespondentFactory(name="Delta Farms"), RespondentKind.EMPLOYER),
        ]
    )

    assert listed(admin_client, q="delta") == [case.reference]


# --- Who sees what.


def test_a_paralegal_of_another_office_never_sees_the_case(client, make_case, paralegal_b, office_a):
    hidden = make_case(office=office_a, claimant=ClaimantFactory(full_name="Aizada Toktogulova"))
    client.force_login(paralegal_b)

    assert listed(client) == []
    assert listed(client, q=hidden.reference) == []
    assert listed(client, q="Aizada") == []
    assert listed(client, respondent=hidden.case_respondents.get().respondent_id) == []
    assert hidden.reference not in client.get(URL).content.decode()


def test_the_office_filter_offers_only_offices_the_user_can_see_cases_in(client, make_case, paralegal_b, office_a):
    make_case(office=office_a)
    client.force_login(paralegal_b)

    response = client.get(URL, {"office": office_a.pk})

    assert office_a.pk not in [value for value, _label in response.context["form"].fields["office"].choices]
    assert "office" in response.context["form"].errors
    assert response.context["cases"] == []


def test_the_assignee_filter_offers_only_staff_of_the_users_offices(client, make_case, paralegal_a, paralegal_b):
    client.force_login(paralegal_b)
    make_case()

    response = client.get(URL)

    offered = [value for value, _label in response.context["form"].fields["assigned"].choices]
    assert str(paralegal_b.pk) in offered
    assert str(paralegal_a.pk) not in offered


# --- Invalid input: field errors, never a 500.


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"stage": "paid"}, "stage"),
        ({"office": "kuala-lumpur"}, "office"),
        ({"assigned": "999999"}, "assigned"),
        ({"country": "XX"}, "country"),
        ({"sector": "mining"}, "sector"),
        ({"language": "klingon"}, "language"),
        ({"opened_from": "yesterday"}, "opened_from"),
        ({"opened_from": "2025-03-02", "opened_to": "2025-03-01"}, "opened_to"),
        ({"flags": "deported"}, "flags"),
        ({"respondent": "not-a-number"}, "respondent"),
        ({"respondent": "999999"}, "respondent"),
        ({"sort": "claimant__full_name"}, "sort"),
        ({"size": "1000000"}, "size"),
        ({"cursor": "made-up"}, "cursor"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_an_invalid_filter_value_shows_an_error_and_lists_nothing(admin_client, make_case, params, field):
    make_case()

    response = admin_client.get(URL, params)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["cases"] == []
    page = response.content.decode()
    assert 'class="error-summary" role="alert"' in page
    assert "Correct the filters marked above" in page


def test_a_field_error_is_tied_to_its_field(admin_client):
    page = admin_client.get(URL, {"stage": "paid"}).content.decode()

    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_stage_error"' in page
    assert 'id="id_stage_error"' in page
    assert 'for="id_stage"' in page


def test_a_cursor_from_another_sort_order_is_refused(admin_client, make_case):
    for _ in range(26):
        make_case()
    cursor = admin_client.get(URL, {"size": 25}).context["next_cursor"]

    response = admin_client.get(URL, {"size": 25, "sort": "reference", "cursor": cursor})

    assert "cursor" in response.context["form"].errors


# --- Keyset pagination.


def _open_cases(count, *, actor, office):
    """``count`` cases opened through the service, sharing one claimant and respondent to keep the test quick."""
    claimant, respondent = ClaimantFactory(), RespondentFactory()
    return [
        case_open(
            actor=actor,
            claimant=claimant,
            office=office,
            respondents=[(respondent, RespondentKind.EMPLOYER)],
            country_of_work="MY",
            sector=Sector.CONSTRUCTION,
        )
        for _ in range(count)
    ]


def _follow(client, page, rel):
    match = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    return match and client.get(html.unescape(match.group(1)))


@pytest.mark.parametrize("sort", ["-opened", "opened", "stage", "-stage_changed", "reference"])
def test_paging_walks_every_case_once_in_order_across_three_pages_despite_tied_dates(
    admin_client, administrator, make_case, office_a, sort
):
    cases = _open_cases(58, actor=administrator, office=office_a) + [make_case(Stage.EVIDENCE) for _ in range(2)]
    # Four timestamps for sixty cases: every page boundary falls inside a run of equal dates.
    moment = timezone.now().replace(microsecond=0)
    for position, case in enumerate(cases):
        tied = moment - timedelta(days=position % 4)
        Case.objects.filter(pk=case.pk).update(opened_at=tied, stage_changed_at=tied)

    pages, response = [], admin_client.get(URL, {"sort": sort, "size": 25, "stage": ""})
    while response:
        pages.append([case.pk for case in response.context["cases"]])
        response = _follow(admin_client, response.content.decode(), "next")

    expected = [case.pk for case in _sorted(Case.objects.all(), sort)]
    assert [len(page) for page in pages] == [25, 25, 10]
    assert [pk for page in pages for pk in page] == expected

    # And back again with the previous links, page by page.
    response = admin_client.get(URL, {"sort": sort, "size": 25, "cursor": _last_cursor(admin_client, sort)})
    backwards = [[case.pk for case in response.context["cases"]]]
    while previous := _follow(admin_client, response.content.decode(), "prev"):
        response = previous
        backwards.append([case.pk for case in response.context["cases"]])
    assert backwards[::-1] == pages


def _sorted(cases, sort):
    keys = {
        "-opened": lambda c: (-c.opened_at.timestamp(), -c.pk),
        "opened": lambda c: (c.opened_at.timestamp(), c.pk),
        "stage": lambda c: (ORDER.index(c.stage), c.pk),
        "-stage_changed": lambda c: (-c.stage_changed_at.timestamp(), -c.pk),
        "reference": lambda c: (c.reference, c.pk),
    }
    return sorted(cases, key=keys[sort])


def _last_cursor(client, sort):
    """The cursor of the third page, reached by following next links."""
    response = client.get(URL, {"sort": sort, "size": 25})
    response = client.get(URL, {"sort": sort, "size": 25, "cursor": response.context["next_cursor"]})
    return response.context["next_cursor"]


def test_the_first_page_has_no_previous_link_and_the_last_has_no_next_link(admin_client, make_case):
    make_case()

    page = admin_client.get(URL).content.decode()

    assert 'rel="prev"' not in page
    assert 'rel="next"' not in page


def test_page_links_keep_the_filters(admin_client, administrator, office_a):
    _open_cases(26, actor=administrator, office=office_a)

    page = admin_client.get(URL, {"size": 25, "sector": Sector.CONSTRUCTION, "q": ""}).content.decode()

    next_link = html.unescape(re.search(r'rel="next" href="([^"]+)"', page).group(1))
    assert "sector=construction" in next_link
    assert "size=25" in next_link
    assert "cursor=" in next_link


# --- Cost: the same number of queries whatever the page size.


# session, user, offices for the filter, staff for the filter, page of cases, respondents prefetch, the header's
# counts (My work, inbox); coordinators also get the bulk-assign form: + the people they may assign to.
@pytest.mark.parametrize(("who", "expected"), [("administrator", 8), ("coordinator_a", 8), ("paralegal_a", 7)])
def test_the_query_count_is_the_same_for_25_and_100_cases_per_page(
    client, request, who, expected, administrator, make_case, office_a, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(who))
    _open_cases(60, actor=administrator, office=office_a)
    for _ in range(3):
        make_case(Stage.REDRESS)  # assigned, each with its own worker and respondent

    with CaptureQueriesContext(connection) as small:
        assert len(client.get(URL, {"size": 25}).context["cases"]) == 25
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(URL, {"size": 100}).context["cases"]) == 63

    assert len(small) == len(large)
    with django_assert_num_queries(expected):
        client.get(URL, {"size": 100})
    # A later page costs the same: the cursor is a WHERE clause, not an OFFSET or a COUNT.
    cursor = client.get(URL, {"size": 25}).context["next_cursor"]
    with django_assert_num_queries(expected):
        client.get(URL, {"size": 25, "cursor": cursor})


def test_no_page_counts_or_skips_rows(admin_client, administrator, office_a):
    _open_cases(30, actor=administrator, office=office_a)
    cursor = admin_client.get(URL, {"size": 25}).context["next_cursor"]

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(URL, {"size": 25, "cursor": cursor})

    # The header's counts (My work, inbox) read deadlines and notifications, never the cases.
    sql = " ".join(query["sql"].upper() for query in queries if "cases_case" in query["sql"])
    assert "COUNT(" not in sql
    assert "OFFSET" not in sql


# --- htmx.


def test_an_htmx_request_gets_only_the_filters_and_results(admin_client, make_case):
    case = make_case()

    response = admin_client.get(URL, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert 'id="case-list"' in page
    assert case.reference in page
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_filter_form_is_a_plain_post_form(admin_client):
    page = admin_client.get(URL).content.decode()

    assert "<html" in page
    assert 'method="post"' in page
    assert 'type="submit"' in page


def test_a_posted_name_search_never_appears_in_a_url(client, make_case, paralegal_a):
    case = make_case()
    name = case.claimant.full_name
    client.force_login(paralegal_a)

    response = client.post(URL, {"q": name[:4], "stage": case.stage})

    assert response.status_code == 302
    assert name[:4] not in response.url
    assert "s=" in response.url and "stage=intake" in response.url
    page = client.get(response.url)
    assert [row.pk for row in page.context["cases"]] == [case.pk]
    # The pager and sort links carry only the opaque token.
    assert f"q={name[:4]}" not in page.content.decode()


def test_a_search_token_from_another_session_finds_nothing_special(client, make_case, paralegal_a):
    make_case()
    client.force_login(paralegal_a)

    page = client.get(URL + "?s=not-a-token-of-this-session")

    assert page.status_code == 200
