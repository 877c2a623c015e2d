"""Evidence locker views (being built: issue 5)."""

urlpatterns: list = []
