"""The evidence panel on the case page and the evidence page: what they show and what they cost."""

import pytest
from django.urls import reverse

from cases.core.stages import Stage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("evidence_store")]


def test_the_panel_lists_each_file_with_its_details_hash_and_uploader(
    evidence_client, evidence_add, evidence_case, evidence_samples, paralegal_a
):
    (row,) = evidence_add(
        evidence_case,
        ("payslip-jan.pdf", evidence_samples.pdf()),
        kind="payslip",
        description="January payslip <b>with</b> deductions",
        provided_by="employer",
    )

    response = evidence_client.get(reverse("evidence_panel", args=[evidence_case.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="evidence-panel"')  # replaces the placeholder (hx-swap outerHTML)
    assert "payslip-jan.pdf" in page and "Payslip" in page and "The employer" in page
    assert "January payslip &lt;b&gt;with&lt;/b&gt; deductions" in page
    assert '<code class="sha"' in page and row.sha256 in page
    assert paralegal_a.get_full_name() in page
    assert reverse("evidence_download", args=[row.pk]) in page
    assert f'action="{reverse("evidence_remove", args=[row.pk])}"' in page
    assert 'enctype="multipart/form-data"' in page and "multiple" in page
    assert 'name="next" value="case"' in page


def test_the_photo_row_offers_the_original_and_says_the_copy_is_clean(
    evidence_client, evidence_add, evidence_case, evidence_samples
):
    (row,) = evidence_add(evidence_case, ("photo.jpg", evidence_samples.jpeg_with_gps()))
    page = evidence_client.get(reverse("evidence_panel", args=[evidence_case.pk])).content.decode()
    assert f"{reverse('evidence_download', args=[row.pk])}?original=1" in page
    assert "a copy without camera and location data" in page


def test_a_heic_photo_is_flagged_as_possibly_carrying_its_location(
    evidence_client, evidence_add, evidence_case, evidence_samples
):
    evidence_add(evidence_case, ("IMG_0001.heic", evidence_samples.heic()))
    page = evidence_client.get(reverse("evidence_panel", args=[evidence_case.pk])).content.decode()
    assert "may contain the location" in page and "?inline=1" not in page


def test_the_case_page_loads_the_panel_and_links_the_full_page_without_javascript(evidence_client, evidence_case):
    page = evidence_client.get(reverse("case_detail", args=[evidence_case.pk])).content.decode()
    assert f'hx-get="{reverse("evidence_panel", args=[evidence_case.pk])}"' in page
    assert f'href="{reverse("evidence_list", args=[evidence_case.pk])}"' in page


def test_the_evidence_page_has_the_list_and_the_form(evidence_client, evidence_add, evidence_case, evidence_samples):
    evidence_add(evidence_case, ("contract.pdf", evidence_samples.pdf()))
    response = evidence_client.get(reverse("evidence_list", args=[evidence_case.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and evidence_case.reference in page
    assert "contract.pdf" in page and 'name="next" value="evidence"' in page


def test_a_closed_case_shows_its_evidence_without_forms(evidence_client, make_case, evidence_add, evidence_samples):
    case = make_case(Stage.CLOSED)
    page = evidence_client.get(reverse("evidence_panel", args=[case.pk])).content.decode()
    assert "reopen it to add or remove evidence" in page and "multipart" not in page


def test_the_panel_costs_the_same_queries_with_2_or_15_files(
    evidence_client, evidence_add, evidence_case, evidence_samples, django_assert_num_queries
):
    url = reverse("evidence_panel", args=[evidence_case.pk])
    evidence_client.get(reverse("case_detail", args=[evidence_case.pk]))  # the page's read is in the access log
    evidence_add(evidence_case, ("a.pdf", evidence_samples.pdf()), ("b.csv", evidence_samples.csv()))
    # session, user, case, files with their uploaders; + access log: the page's read is recent (one SELECT)
    with django_assert_num_queries(5):
        assert evidence_client.get(url).content.decode().count('class="sha"') == 2

    evidence_add(evidence_case, *[(f"p{i}.pdf", evidence_samples.pdf()) for i in range(10)])
    evidence_add(evidence_case, *[(f"q{i}.csv", evidence_samples.csv()) for i in range(3)])
    with django_assert_num_queries(5):  # the same
        assert evidence_client.get(url).content.decode().count('class="sha"') == 15
