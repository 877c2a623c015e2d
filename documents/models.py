# Evidence files and generated filings arrive with the evidence-locker issue.
