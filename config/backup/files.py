"""The private files half of a backup: everything under ``PRIVATE_STORAGE_ROOT`` (evidence, filings, statistics
reports), copied and hashed in one read, and put back through a staging directory.

A restore first copies the backup's files into a staging directory inside the storage root (same filesystem, so the
root may be a mount point, an encrypted volume), checking each SHA-256 again as it writes; only once the database
is restored does it swap the staged tree in with renames and remove what was there before.
"""

import hashlib
import os
import shutil
from pathlib import Path

from .manifest import CHUNK, FILES_DIRECTORY, BackupError, FileEntry, checked_path, open_private

STAGING_PREFIX = ".restoring-"
REPLACED_PREFIX = ".replaced-"
# The private storage's own modes (documents.storage): the web and worker processes read them.
STORAGE_FILE_MODE = 0o640
STORAGE_DIRECTORY_MODE = 0o750


def _make_directories(path: Path, root: Path, mode: int) -> None:
    """Create ``path`` and its parents up to ``root`` with ``mode`` exactly (not less the umask)."""
    missing = []
    while not path.exists() and path != root:
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        directory.mkdir(mode=mode)
        directory.chmod(mode)


def _copy(source: Path, target: Path, *, mode: int) -> tuple[int, str]:
    """Copy one file, returning the size and SHA-256 of the bytes written."""
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, open_private(target) as writer:
        while chunk := reader.read(CHUNK):
            writer.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    target.chmod(mode)
    return size, digest.hexdigest()


def _is_ours(relative: Path) -> bool:
    """A staging or replaced tree a restore left behind (interrupted): not part of the storage."""
    return relative.parts[0].startswith((STAGING_PREFIX, REPLACED_PREFIX))


def private_files(root: Path) -> list[Path]:
    """Every regular file under ``root``, relative to it, in a stable order (symbolic links are not followed)."""
    if not root.is_dir():
        return []
    found = []
    for directory, subdirectories, names in os.walk(root):
        subdirectories.sort()
        for name in sorted(names):
            path = Path(directory) / name
            relative = path.relative_to(root)
            if path.is_file() and not path.is_symlink() and not _is_ours(relative):
                found.append(relative)
    return found


def back_up(root: Path, backup: Path) -> list[FileEntry]:
    """Copy every private file into ``backup/files/`` (directories 0700, files 0600); their manifest entries.

    A file removed while the backup runs (evidence deleted, a filing re-rendered) is skipped: the database dump was
    taken first, so it describes the files as they were then, and a row's file deleted since is deleted anyway.
    """
    target_root = backup / FILES_DIRECTORY
    _make_directories(target_root, backup, 0o700)
    entries = []
    for relative in private_files(root):
        target = target_root / relative
        _make_directories(target.parent, target_root, 0o700)
        try:
            size, sha256 = _copy(root / relative, target, mode=0o600)
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            continue
        entries.append(FileEntry(path=f"{FILES_DIRECTORY}/{relative.as_posix()}", size=size, sha256=sha256))
    return entries


def stage(backup: Path, entries: list[FileEntry], root: Path, stamp: str) -> Path:
    """Copy the backup's files into a staging directory inside ``root``, checking each hash again as it is written."""
    root.mkdir(mode=STORAGE_DIRECTORY_MODE, parents=True, exist_ok=True)
    staging = root / f"{STAGING_PREFIX}{stamp}"
    staging.mkdir(mode=0o700)
    try:
        for entry in entries:
            source = checked_path(backup, entry)
            target = staging.joinpath(*Path(entry.path).parts[1:])
            _make_directories(target.parent, staging, STORAGE_DIRECTORY_MODE)
            if _copy(source, target, mode=STORAGE_FILE_MODE) != (entry.size, entry.sha256):
                raise BackupError(f"{entry.path} changed while it was being restored; nothing was replaced.")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, root: Path, stamp: str) -> None:
    """Replace what ``root`` holds with the staged tree (renames on one filesystem), then delete the old files."""
    replaced = root / f"{REPLACED_PREFIX}{stamp}"
    replaced.mkdir(mode=0o700)
    for child in root.iterdir():
        if child not in (staging, replaced):
            child.rename(replaced / child.name)
    for child in staging.iterdir():
        child.rename(root / child.name)
    staging.rmdir()
    # The files the restore replaced belong to a state of the site nobody chose to keep: they are not left behind.
    shutil.rmtree(replaced)
