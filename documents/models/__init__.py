"""Evidence files and generated filings; one module per concern."""

from .evidence import EvidenceFile, EvidenceFileQuerySet, EvidenceKind, ProvidedBy  # noqa: F401
from .filing import KINDS_WITH_CALCULATION, LANGUAGE_CHOICES, Document, DocumentKind, DocumentStatus  # noqa: F401
from .statistics_report import StatisticsReport  # noqa: F401
