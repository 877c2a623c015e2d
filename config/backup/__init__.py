"""Backup and restore of the database and the private files (``manage.py backup`` / ``restore``, docs/operations.md)."""
