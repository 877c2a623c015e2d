"""Evidence files and generated filings; one module per concern."""
