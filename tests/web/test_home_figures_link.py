"""Home's three figures link to the case list filtered to exactly the cases each one counts."""

import html
import re

import pytest

from cases.core.services.cases import case_assign
from cases.core.stages import Stage

pytestmark = pytest.mark.django_db


def _figure_links(page: str) -> list[tuple[int, str]]:
    """(figure, link) for each card of Home's figures, in order."""
    block = re.search(r'<div class="figures">(.*?)</div>', page, re.S).group(1)
    cards = re.findall(r'<a href="([^"]+)"><strong>(\d+)</strong>', block)
    return [(int(figure), html.unescape(href)) for href, figure in cards]


@pytest.mark.parametrize("who", ["paralegal_a", "coordinator_a"])
def test_each_figure_links_to_a_list_of_exactly_the_cases_it_counts(
    client, make_case, request, office_b, administrator, who
):
    user = request.getfixturevalue(who)
    make_case(Stage.REDRESS)  # open, assigned to paralegal A
    make_case(Stage.CLOSED, closed_from=Stage.REDRESS)  # closed, assigned to paralegal A: counted nowhere
    make_case(Stage.INTAKE)  # open, nobody assigned
    make_case(Stage.ASSIGNMENT)  # open, nobody assigned
    make_case(Stage.CLOSED)  # closed, nobody assigned: counted nowhere
    mine = make_case(Stage.EVIDENCE)
    case_assign(actor=administrator, case_id=mine.pk, assignee=user)
    make_case(Stage.INTAKE, office=office_b)  # another office's: not visible to either
    client.force_login(user)

    home = client.get("/")
    links = _figure_links(home.content.decode())

    figures = home.context["figures"]
    assert [figure for figure, _link in links] == [figures["mine"], figures["unassigned"], figures["open"]]
    assert (figures["unassigned"], figures["open"]) == (2, 4)  # the two unassigned, "mine", paralegal A's redress
    assert figures["mine"] == (2 if who == "paralegal_a" else 1)
    for figure, link in links:
        listed = client.get(link).context["cases"]
        assert len(listed) == figure, link
        assert all(case.stage != Stage.CLOSED for case in listed)
