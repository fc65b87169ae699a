"""Atomic, deterministic file writing.

Every output the build makes goes through these helpers: each writes to a
temporary file in the destination folder and renames it into place, so an
interrupted build never leaves a half-written file that make would take as
up to date.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_text(d / "a.txt", "hello\\n")
PosixPath('...a.txt')
>>> (d / "a.txt").read_text()
'hello\\n'
>>> sha256_file(d / "a.txt")[:12]
'5891b5b522d5'
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pandas as pd

from analysis.vocab import canonical_float


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    On an exception the temporary file is removed and ``path`` is untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix or target.suffix or ".tmp", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", **kwargs) -> Iterator[IO]:
    """Open a temporary file for writing; it replaces ``path`` only if the block succeeds."""
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "\n")
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as handle:
        yield handle


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line endings) to ``path`` atomically."""
    with atomic_open(path) as handle:
        handle.write(text)
    return Path(path)


def canonical_floats(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose float columns went through :func:`analysis.vocab.canonical_float`.

    The one float policy of every table the build writes (10 significant digits), so that
    the same computation on another CPU writes the same bytes.

    >>> canonical_floats(pd.DataFrame({"x": [0.1 + 0.2, float("nan")], "y": ["a", "b"]}))
         x  y
    0  0.3  a
    1  NaN  b
    """
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column].dtype):
            values = out[column].to_numpy(dtype=float, na_value=float("nan"))
            out[column] = pd.array([canonical_float(v) for v in values], dtype=out[column].dtype)
    return out


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], **kwargs) -> Path:
    """Write a DataFrame as UTF-8 CSV with ``\\n`` line endings, atomically, without the index.

    Floats are written by the one float policy (:func:`canonical_floats`).
    """
    kwargs.setdefault("index", False)
    kwargs.setdefault("lineterminator", "\n")
    with atomic_open(path) as handle:
        canonical_floats(df).to_csv(handle, **kwargs)
    return Path(path)


def write_parquet(df: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a DataFrame as Parquet atomically (no index, deterministic bytes, float policy)."""
    with atomic_path(path, suffix=".parquet") as tmp:
        canonical_floats(df).to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")
    return Path(path)


def write_table(df: pd.DataFrame, stem: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``stem.csv`` and ``stem.parquet`` from one DataFrame; return both paths."""
    stem = Path(stem)
    return (
        write_csv(df, stem.with_suffix(".csv")),
        write_parquet(df, stem.with_suffix(".parquet")),
    )


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
