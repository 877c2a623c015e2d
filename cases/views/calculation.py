"""The wage calculation on the case page (being built: issue 4)."""

urlpatterns: list = []


def calculation_context(request, case) -> dict:
    return {}
