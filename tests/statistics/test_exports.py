"""CSV exports: UTF-8 with a BOM, the small-number rule, no formulas; and the rule itself."""

import csv
import io
import zipfile

from django.urls import reverse

from cases.statistics.export import safe_cell
from cases.statistics.refresh import statistics_refresh
from tests.factories import PASSWORD

YEAR_2026 = {"preset": "custom", "start": "2026-01", "end": "2026-12"}


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _get(client, user, name):
    assert client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("statistics_export_table", args=[name]), YEAR_2026)


def test_the_headline_csv_shows_small_counts_as_under_five_and_suppresses_their_money(
    client, dataset, global_coordinator
):
    statistics_refresh()
    response = _get(client, global_coordinator, "headline")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = dict(_rows(response.content)[1:])
    assert rows["Cases opened"] == "5"
    assert rows["Cases closed"] == "< 5"
    assert rows["Disbursed to workers (USD)"] == "600.00"  # 5 active cases: shown
    assert rows["Median days from intake to closing"] == "54.0"


def test_breakdown_rows_under_five_cases_hide_counts_and_money(client, dataset, global_coordinator):
    statistics_refresh()
    rows = _rows(_get(client, global_coordinator, "corridors").content)
    assert rows[0][0] == "Corridor"
    by_corridor = {row[0]: row for row in rows[1:]}
    nepal = by_corridor["Nepal → Thailand"]
    assert nepal[1:4] == ["< 5", "< 5", "< 5"]
    assert nepal[4:6] == ["suppressed", "suppressed"]  # awarded, disbursed
    assert nepal[6] == ""  # no award: no recovery rate


def test_the_zip_holds_one_csv_per_table(client, dataset, global_coordinator):
    statistics_refresh()
    assert client.login(username=global_coordinator.username, password=PASSWORD)
    response = client.get(reverse("statistics_export_all"), YEAR_2026)
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "statistics-2026-01-2026-12-headline.csv" in names
    assert len(names) == 11


def test_an_unknown_table_is_not_found(client, global_coordinator):
    assert client.login(username=global_coordinator.username, password=PASSWORD)
    assert client.get(reverse("statistics_export_table", args=["nope"])).status_code == 404


def test_cells_that_look_like_formulas_are_quoted():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-cmd") == "'-cmd"
    assert safe_cell("-12.50") == "-12.50"  # a number we wrote
    assert safe_cell("Sunrise Builders") == "Sunrise Builders"


def test_a_respondent_name_starting_like_a_formula_is_quoted_in_the_csv(client, dataset, global_coordinator):
    employer = dataset["employer"]
    employer.name = "=cmd|' /C calc'!A0"
    employer.save(update_fields=["name"])
    statistics_refresh()
    rows = _rows(_get(client, global_coordinator, "respondents").content)
    assert rows[1][0].startswith("'=cmd")
