"""The money ledger on the case page (being built: issue 4)."""

urlpatterns: list = []


def ledger_context(request, case) -> dict:
    return {}
