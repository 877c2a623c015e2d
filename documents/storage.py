"""Private storage for evidence files: outside every public path, under random names, removed again on failure.

Files live in ``PRIVATE_STORAGE_ROOT/evidence/<2-hex shard>/<32 hex><sniffed extension>``. Nothing about the case,
the worker or the file's own name is in a path on disk. The web server never serves this directory; the download
view reads it after checking ``visible_to``. A system check refuses a ``PRIVATE_STORAGE_ROOT`` inside the static or
media roots.
"""

import logging
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core import checks
from django.core.files import File
from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)

EVIDENCE_DIRECTORY = "evidence"


def evidence_storage() -> FileSystemStorage:
    """The evidence store (built per call, so a changed ``PRIVATE_STORAGE_ROOT`` — in tests — is honoured)."""
    return FileSystemStorage(
        location=Path(settings.PRIVATE_STORAGE_ROOT) / EVIDENCE_DIRECTORY,
        base_url=None,
        file_permissions_mode=0o640,
        directory_permissions_mode=0o750,
    )


def new_storage_name(extension: str) -> str:
    """A random path for a new file: a two-character shard directory and 128 random bits."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}{extension}"


def write(storage: FileSystemStorage, extension: str, content: IO[bytes]) -> str:
    """Write ``content`` under a new random name; returns the name (never overwrites: the storage opens O_EXCL)."""
    content.seek(0)
    return storage.save(new_storage_name(extension), File(content))


def delete_quietly(storage: FileSystemStorage, names: Iterable[str]) -> None:
    """Remove files written for an upload that did not complete; a failure to remove is logged, not raised."""
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove an orphaned evidence file (%s)", name)


@checks.register(checks.Tags.security)
def check_private_storage_is_private(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``PRIVATE_STORAGE_ROOT`` must not be (inside) a directory the web server publishes."""
    private = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    errors = []
    for setting in ("STATIC_ROOT", "MEDIA_ROOT"):
        public = getattr(settings, setting, None)
        if not public:
            continue
        public = Path(public).resolve()
        if private == public or public in private.parents:
            errors.append(
                checks.Error(
                    f"PRIVATE_STORAGE_ROOT ({private}) overlaps {setting} ({public}); evidence would be public.",
                    hint="Point PRIVATE_STORAGE_ROOT at a directory the web server does not serve.",
                    id="documents.E001",
                )
            )
    return errors
