"""No model records immigration status: a record of it could be used against the worker."""

from django.apps import apps

from claimants.models import Claimant


def test_no_model_has_an_immigration_or_visa_field():
    offending = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if any(word in field.name.lower() for word in ("immigration", "visa"))
    ]

    assert offending == []


def test_the_claimant_has_no_status_field():
    names = [field.name for field in Claimant._meta.get_fields()]

    assert names  # the walk saw the model's fields
    assert [name for name in names if "status" in name.lower()] == []
