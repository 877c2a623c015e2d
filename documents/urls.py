from .views import evidence, filings

urlpatterns = evidence.urlpatterns + filings.urlpatterns
