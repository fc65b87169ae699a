"""SHA-256 manifests (``SHA256SUMS``) that pin the hand-made inputs in ``data/raw``.

The build checks the manifest before it reads anything, so an accidental edit of
a transcribed number (or a file added or deleted without review) stops the build
with a list of every offending file instead of silently changing the results.

The manifest is in the format of GNU ``sha256sum``, so anyone can check it
without Python::

    cd data/raw && sha256sum -c SHA256SUMS

Policy: the manifest lists **every** regular file under the folder (recursively,
README and ``datapackage.json`` included, hidden files included), sorted by
path, except ``SHA256SUMS`` itself. A stray file (editor backup, ``.DS_Store``)
therefore fails the check as *unlisted*: the raw folder must hold only reviewed
files.

Command line (``write`` is a developer command run after a reviewed edit of the
raw data; the build only ever runs ``check``)::

    python -m analysis.source.checksums check data/raw
    python -m analysis.source.checksums write data/raw

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.csv").write_text("x\\n1\\n")
>>> write_sha256sums(d).name
'SHA256SUMS'
>>> check_sha256sums(d)
['a.csv']
>>> _ = (d / "a.csv").write_text("x\\n2\\n")
>>> check_sha256sums(d)
Traceback (most recent call last):
...
analysis.errors.ChecksumError: ...: 1 changed file(s): a.csv...
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

from analysis.errors import ChecksumError
from analysis.io import sha256_file, write_text

__all__ = ["MANIFEST", "check_sha256sums", "main", "read_sha256sums", "write_sha256sums"]

logger = logging.getLogger(__name__)

#: File name of the manifest inside the pinned folder.
MANIFEST = "SHA256SUMS"

# "<64 hex><space><space or *><path>" as written by GNU sha256sum (text or binary mode).
_LINE = re.compile(r"^(?P<digest>[0-9a-fA-F]{64}) [ *](?P<path>.+)$")


def _data_files(folder: Path) -> list[str]:
    """Relative POSIX paths of every regular file under ``folder`` except the manifest, sorted."""
    names = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST:
            continue
        if "\n" in rel or "\\" in rel:
            raise ChecksumError(
                f"{path}: file names with a newline or backslash cannot be listed in {MANIFEST}; "
                "rename the file"
            )
        names.append(rel)
    # Byte order of UTF-8 == code point order: the same order as `LC_ALL=C sort`.
    return sorted(names)


def _folder(folder: str | os.PathLike[str]) -> Path:
    path = Path(folder)
    if not path.is_dir():
        raise ValueError(f"folder={str(folder)!r} is not an existing directory")
    return path


def write_sha256sums(folder: str | os.PathLike[str]) -> Path:
    """Write ``folder/SHA256SUMS`` listing every file in ``folder`` (sorted, atomic).

    Parameters
    ----------
    folder : path-like
        Folder to pin (e.g. ``data/raw``). Every regular file under it, recursively,
        is listed except ``SHA256SUMS`` itself.

    Returns
    -------
    pathlib.Path
        Path of the manifest written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "b.txt").write_text("hello\\n")
    >>> print(write_sha256sums(d).read_text(), end="")
    5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  b.txt
    """
    root = _folder(folder)
    lines = [f"{sha256_file(root / name)}  {name}\n" for name in _data_files(root)]
    target = write_text(root / MANIFEST, "".join(lines))
    logger.info("wrote %s (%d files)", target, len(lines))
    return target


def read_sha256sums(manifest: str | os.PathLike[str]) -> dict[str, str]:
    """Parse a ``sha256sum``-format manifest into ``{relative path: lower-case hex digest}``.

    Parameters
    ----------
    manifest : path-like
        The ``SHA256SUMS`` file.

    Returns
    -------
    dict of str to str
        Digest per listed path.

    Raises
    ------
    ChecksumError
        If the file is missing, a line is malformed, or a path is listed twice.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> m = pathlib.Path(tempfile.mkdtemp()) / "SHA256SUMS"
    >>> _ = m.write_text("0" * 64 + "  a.csv\\n")
    >>> read_sha256sums(m)
    {'a.csv': '0000000000000000000000000000000000000000000000000000000000000000'}
    """
    path = Path(manifest)
    if not path.is_file():
        raise ChecksumError(
            f"{path}: checksum manifest not found; create it with "
            f"`python -m analysis.source.checksums write {path.parent}` after reviewing the files"
        )
    listed: dict[str, str] = {}
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line.rstrip("\r"))
        if match is None:
            raise ChecksumError(
                f"{path}, line {number}: not in sha256sum format '<64 hex digits>  <file>': "
                f"{line!r}"
            )
        name = match["path"]
        if name in listed:
            raise ChecksumError(f"{path}, line {number}: {name!r} is listed twice")
        listed[name] = match["digest"].lower()
    return listed


def check_sha256sums(folder: str | os.PathLike[str]) -> list[str]:
    """Check every file in ``folder`` against ``folder/SHA256SUMS``.

    Parameters
    ----------
    folder : path-like
        Folder holding the manifest and the pinned files.

    Returns
    -------
    list of str
        The files checked (relative paths, sorted), when all match.

    Raises
    ------
    ChecksumError
        Listing **every** problem at once: files listed but missing, files whose
        SHA-256 changed, and files present but not listed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("x\\n")
    >>> _ = write_sha256sums(d)
    >>> check_sha256sums(d)
    ['a.csv']
    """
    root = _folder(folder)
    manifest = root / MANIFEST
    listed = read_sha256sums(manifest)
    present = set(_data_files(root))
    missing = sorted(name for name in listed if name not in present)
    unlisted = sorted(present - set(listed))
    changed = sorted(
        name for name in listed if name in present and sha256_file(root / name) != listed[name]
    )
    if missing or changed or unlisted:
        parts = []
        if changed:
            parts.append(f"{len(changed)} changed file(s): {', '.join(changed)}")
        if missing:
            parts.append(f"{len(missing)} missing file(s): {', '.join(missing)}")
        if unlisted:
            parts.append(f"{len(unlisted)} unlisted file(s): {', '.join(unlisted)}")
        raise ChecksumError(
            f"{manifest}: " + "; ".join(parts) + ". If the edit was intended and reviewed, "
            f"regenerate the manifest with `python -m analysis.source.checksums write {root}`; "
            "otherwise restore the files (e.g. `git checkout -- <file>`)."
        )
    checked = sorted(listed)
    logger.info("%s: %d files OK", manifest, len(checked))
    return checked


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``check FOLDER`` or ``write FOLDER``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis.source.checksums",
        description="Write or check a sha256sum-format SHA256SUMS manifest for a folder.",
    )
    parser.add_argument("command", choices=["check", "write"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "write":
            target = write_sha256sums(args.folder)
            print(f"wrote {target} ({len(read_sha256sums(target))} files)")
        else:
            checked = check_sha256sums(args.folder)
            print(f"{args.folder / MANIFEST}: {len(checked)} files OK")
    except (ChecksumError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
