from .views import evidence, filings, statistics

urlpatterns = evidence.urlpatterns + filings.urlpatterns + statistics.urlpatterns
