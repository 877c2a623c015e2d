"""The dashboard's shortcuts for speed write what Django's own formatting and widgets write."""

import pytest
from django import forms
from django.conf import settings
from django.utils import formats, numberformat, translation

from cases.money import currencies
from cases.statistics.forms import StatisticsFilterForm
from cases.statistics.tables import COUNT, MONEY, NUMBER, Cell, Numbers, display
from paralegals.models import Office

VALUES = [0, 1, -1, 7, 12, 999, 1000, -1000, 1001, 12345, 99999, 100000, 1234567, -7654321, 10**12 + 5, -(10**15)]


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_numbers_are_written_as_django_writes_them_in_every_language(language):
    with translation.override(language):
        numbers = Numbers.current()
        for value in VALUES:
            assert numbers.count(value) == formats.number_format(value, force_grouping=True)
            assert numbers.money(value) == currencies.format_money(value, settings.REPORTING_CURRENCY)
            for kind in (COUNT, MONEY, NUMBER):
                cell = Cell(value, kind, base=10)
                assert display(cell, protect=False, numbers=numbers) == display(cell, protect=False)


@pytest.mark.parametrize("currency", ["JPY", "KWD", "THB"])
def test_money_is_written_as_django_writes_it_whatever_the_minor_unit(settings, currency):
    settings.REPORTING_CURRENCY = currency
    numbers = Numbers.current()
    for value in VALUES:
        assert numbers.money(value) == currencies.format_money(value, currency)


@pytest.mark.parametrize("grouping", [2, 3, 4])
def test_other_group_sizes_are_written_as_django_writes_them(grouping):
    numbers = Numbers(thousands="'", grouping=grouping, decimal=",", currency="USD", exponent=2)
    for value in VALUES:
        assert numbers.count(value) == numberformat.format(value, ",", None, grouping, "'", force_grouping=True)


def _django_select_html(form) -> str:
    for name in ("preset", "office", "country", "sector"):
        form.fields[name].widget.__class__ = forms.Select
    form.fields["office"].queryset = form.fields["office"].queryset  # the choices from the queryset again
    return str(form)


@pytest.mark.parametrize(
    "data",
    [None, {"preset": "last_5_years", "country": "TH", "sector": "fishing"}, {"country": "<b>", "office": "x"}],
)
def test_the_filter_form_draws_the_same_selects_as_django(office_a, office_b, data):
    offices = Office.objects.filter(pk__in=[office_a.pk, office_b.pk])
    if data and "office" in data and data["office"] == "x":
        data = {**data, "office": str(office_b.pk)}
    ours = StatisticsFilterForm(data, offices=offices)
    django = StatisticsFilterForm(data, offices=offices)
    assert ours.is_bound is django.is_bound and (not ours.is_bound or ours.is_valid() == django.is_valid())

    def lines(html):
        return [line for line in html.splitlines() if line.strip()]  # Django's option template ends in a newline

    assert lines(str(ours)) == lines(_django_select_html(django))


def test_the_filter_form_offers_the_offices_without_a_second_query(office_a, django_assert_num_queries):
    offices = Office.objects.filter(pk=office_a.pk)
    with django_assert_num_queries(1):
        html = str(StatisticsFilterForm(None, offices=offices)["office"])
    assert f'<option value="{office_a.pk}">' in html
