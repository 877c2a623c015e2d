"""A backup's manifest: what it holds and the SHA-256 of every file in it, read back and checked before a restore.

``manifest.json`` sits beside the files it describes. It names the database vendor, the migration state (the last
applied migration of each app), the row count of every table, and each file's path (relative to the backup's
directory), size and SHA-256. The hashes prove a backup is whole, not who made it: a manifest rewritten together with
its files passes. Authenticity comes from where backups are kept (encrypted and signed off the machine,
docs/operations.md).
"""

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

MANIFEST_NAME = "manifest.json"
FORMAT = 1
# The database's file in the backup, by vendor: pg_dump's custom format or a SQLite database file.
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
FILES_DIRECTORY = "files"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class FileEntry:
    path: str  # relative to the backup's directory, with forward slashes
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    vendor: str
    app_version: str | None
    app_commit: str | None
    migrations: dict[str, str]
    tables: dict[str, int]
    files: list[FileEntry] = field(default_factory=list)
    format: int = FORMAT

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.vendor]

    @property
    def private_files(self) -> list[FileEntry]:
        return [entry for entry in self.files if entry.path.startswith(f"{FILES_DIRECTORY}/")]

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.files)


def open_private(path: Path):
    """Create ``path`` for writing, readable by its owner only (0600), refusing to overwrite anything."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(descriptor, 0o600)  # whatever the umask
    return os.fdopen(descriptor, "wb")


def hash_file(path: Path) -> tuple[int, str]:
    """Size and SHA-256 (hex) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_manifest(directory: Path, manifest: Manifest) -> None:
    with open_private(directory / MANIFEST_NAME) as out:
        out.write(json.dumps(asdict(manifest), indent=2, sort_keys=True).encode())


def read_manifest(directory: Path) -> Manifest:
    """The manifest of the backup in ``directory``; a missing, unreadable or malformed one is refused."""
    path = directory / MANIFEST_NAME
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a backup directory.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise BackupError(f"{path} is in format {data.get('format')!r}; this version reads format {FORMAT}.")
        manifest = Manifest(
            created_at=str(data["created_at"]),
            vendor=str(data["vendor"]),
            app_version=data.get("app_version"),
            app_commit=data.get("app_commit"),
            migrations={str(app): str(name) for app, name in data["migrations"].items()},
            tables={str(table): int(rows) for table, rows in data["tables"].items()},
            files=[FileEntry(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in data["files"]],
        )
    except FileNotFoundError as exc:
        raise BackupError(f"{path} is missing: this is not a complete backup.") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackupError(f"{path} is damaged ({exc.__class__.__name__}); the backup cannot be trusted.") from exc
    if manifest.vendor not in DATABASE_FILES:
        raise BackupError(f"{path} names an unknown database vendor ({manifest.vendor!r}).")
    return manifest


def checked_path(directory: Path, entry: FileEntry) -> Path:
    """The file an entry names, refusing any path that would leave the backup (absolute, ``..``, odd characters).

    A restore writes ``files/...`` entries into private storage, so a crafted manifest must not reach elsewhere.
    """
    relative = PurePosixPath(entry.path)
    plain = not relative.is_absolute() and "\\" not in entry.path
    plain = plain and all(part not in ("", ".", "..") for part in entry.path.split("/"))
    inside = entry.path in DATABASE_FILES.values() or (
        relative.parts[:1] == (FILES_DIRECTORY,) and len(relative.parts) > 1
    )
    if not (plain and inside):
        raise BackupError(f"The manifest names a file outside the backup ({entry.path!r}); refused.")
    return directory.joinpath(*relative.parts)


def verify(directory: Path, manifest: Manifest) -> None:
    """Check every file against its size and SHA-256 in the manifest; the first that differs is named and refused."""
    if not any(entry.path == manifest.database_file for entry in manifest.files):
        raise BackupError(f"The manifest lists no {manifest.database_file}; the backup is incomplete.")
    for entry in manifest.files:
        path = checked_path(directory, entry)
        if path.is_symlink() or not path.is_file():
            raise BackupError(f"{entry.path} is missing from the backup; it is incomplete.")
        if hash_file(path) != (entry.size, entry.sha256):
            raise BackupError(
                f"{entry.path} is damaged: its SHA-256 or size differs from the manifest's. Restore another backup."
            )
