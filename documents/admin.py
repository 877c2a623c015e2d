from . import admin_evidence, admin_filings  # noqa: F401
