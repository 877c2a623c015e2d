"""The project's form renderer writes selects, inputs, labels and error lists exactly as Django's templates do
(config.forms), for a form with every kind of field and for the project's own busiest forms."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from cases.core.filters import CaseFilterForm
from cases.core.forms_intake import IntakeForm
from cases.core.stages import Stage
from config.forms import QuickSelectRenderer
from paralegals.models import Office


class Everything(forms.Form):
    plain = forms.ChoiceField(
        label='Plain & "quoted" <b>', choices=[("", "Any"), ("a", "A & <b>"), ("b", 'Quote "b"')], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("Other", [("x", "X")]), ("none", "None")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, "Three")])
    maybe = forms.NullBooleanField()
    numbers = forms.TypedChoiceField(choices=[(1, "1"), (2, "2")], coerce=int, widget=forms.Select(attrs={"data-x": 0}))
    country = LazyTypedChoiceField(choices=countries)
    office = forms.ModelChoiceField(queryset=Office.objects.order_by("pk"), required=False)
    disabled = forms.ChoiceField(
        choices=[("a", "A")], disabled=True, widget=forms.Select(attrs={"aria-describedby": None})
    )
    text = forms.CharField(max_length=20, help_text="Say <it>", widget=forms.TextInput(attrs={"autocomplete": "off"}))
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    number = forms.DecimalField(max_digits=5, decimal_places=2, required=False)
    email = forms.EmailField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    radio = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect, required=False)
    flags = forms.MultipleChoiceField(choices=[("f", "F")], widget=forms.CheckboxSelectMultiple, required=False)
    unlabelled = forms.CharField(label="", required=False, help_text="No label <here>")
    with_initial = forms.CharField(required=False, show_hidden_initial=True, initial="before")
    described = forms.CharField(
        required=False, help_text="Its own description", widget=forms.TextInput(attrs={"aria-describedby": "elsewhere"})
    )
    picked = forms.ChoiceField(
        choices=[("a", "A")], widget=forms.RadioSelect(attrs={"aria-describedby": "x"}), help_text="Pick <one>"
    )


CHOSEN = {
    "plain": "a",
    "grouped": "pear",
    "many": ["1", "3"],
    "maybe": "true",
    "numbers": "2",
    "country": "TH",
    "text": 'a "b" <c>',
    "number": "12.5",
    "email": "x@example.org",
    "day": "2026-12-07",
    "hidden": "h&",
    "tick": "on",
    "notes": "line\nline",
    "radio": "y",
    "flags": ["f"],
}
WRONG = {"plain": "zzz", "text": "x" * 30, "number": "lots", "email": "nope", "day": "someday", "many": ["9"]}


def both(form_class, *args, **kwargs):
    quick, django = form_class(*args, **kwargs), form_class(*args, **kwargs)
    quick.renderer, django.renderer = QuickSelectRenderer(), DjangoTemplates()
    return quick, django


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, CHOSEN, WRONG], ids=["unbound", "chosen", "invalid"])
def test_every_kind_of_field_is_written_as_django_writes_it(data, office_a, office_b):
    quick, django = both(Everything, data)
    for name in Everything.base_fields:
        assert str(quick[name]) == str(django[name]), name
        assert quick[name].as_field_group() == django[name].as_field_group(), name
        assert quick[name].label_tag() == django[name].label_tag(), name
        assert str(quick[name].errors) == str(django[name].errors), name
    assert str(quick) == str(django)
    assert quick.as_p() == django.as_p()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"stage": "nope", "opened_from": "x", "country": "TH"}], ids=["plain", "wrong"])
def test_the_case_list_and_intake_forms_are_written_as_django_writes_them(data, paralegal_a, make_case):
    make_case()
    quick, django = both(CaseFilterForm, data, user=paralegal_a)
    quick.is_valid(), django.is_valid()
    assert str(quick) == str(django)
    quick, django = both(IntakeForm, data or None, user=paralegal_a)
    assert str(quick) == str(django)


def test_the_project_renders_forms_with_it(settings):
    assert settings.FORM_RENDERER == "config.forms.QuickSelectRenderer"
    assert isinstance(forms.Form().renderer, QuickSelectRenderer)


# CSRF tokens are masked afresh on every page, and intake's form token is new each time: compared as placeholders.
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": "|name="token" value=")[^"]+"')


@pytest.mark.django_db
def test_whole_pages_are_the_same_with_django_s_renderer(client, settings, make_case, coordinator_a):
    """The case page (every section's forms), the list, intake and the statistics dashboard, byte for byte."""
    case = make_case(Stage.EVIDENCE)
    client.force_login(coordinator_a)
    urls = [f"/cases/{case.pk}/", "/cases/", "/cases/?stage=zzz", "/cases/new/", "/statistics/", "/my-work/"]

    def pages() -> list[str]:
        return [CSRF.sub(r'\1-"', client.get(url).content.decode()) for url in urls]

    quick = pages()
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    assert not isinstance(forms.Form().renderer, QuickSelectRenderer)
    for url, mine, django in zip(urls, quick, pages(), strict=True):
        assert mine == django, url
