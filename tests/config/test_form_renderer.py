"""The project's form renderer writes selects exactly as Django's templates do (config.forms)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from config.forms import QuickSelectRenderer
from paralegals.models import Office


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", "A & <b>"), ("b", 'Quote "b"')], required=False)
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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "a", "grouped": "pear", "many": ["1", "3"], "maybe": "true", "numbers": "2", "country": "TH"},
        {"plain": "zzz"},
    ],
    ids=["unbound", "chosen", "invalid"],
)
def test_every_select_is_written_as_django_writes_it(data, office_a, office_b):
    quick = Everything(data, renderer=QuickSelectRenderer())
    django = Everything(data, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(quick[name]) == str(django[name]), name


def test_the_project_renders_forms_with_it(settings):
    assert settings.FORM_RENDERER == "config.forms.QuickSelectRenderer"
    assert isinstance(forms.Form().renderer, QuickSelectRenderer)
