"""SHA256SUMS manifests: format, detection of every kind of change, GNU coreutils compatibility.

References: digests are recomputed with :mod:`hashlib`; the file format is checked against
GNU coreutils ``sha256sum`` itself (``sha256sum -c`` reads our manifest, and we read its).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths
from analysis.errors import ChecksumError
from analysis.source.checksums import (
    MANIFEST,
    check_sha256sums,
    main,
    read_sha256sums,
    write_sha256sums,
)

SHA256SUM = shutil.which("sha256sum")
needs_coreutils = pytest.mark.skipif(SHA256SUM is None, reason="GNU sha256sum not installed")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "b.csv").write_bytes(b"id,value\r\nx,1\r\n")
    (tmp_path / "a.csv").write_text("id,value\nx,2\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# raw\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.json").write_text("{}\n", encoding="utf-8")
    return tmp_path


def test_manifest_lists_every_file_sorted_with_hashlib_digests(folder: Path) -> None:
    manifest = write_sha256sums(folder)
    assert manifest == folder / MANIFEST
    expected = "".join(
        f"{hashlib.sha256((folder / name).read_bytes()).hexdigest()}  {name}\n"
        for name in ["README.md", "a.csv", "b.csv", "sub/c.json"]  # C-locale byte order
    )
    assert manifest.read_text(encoding="utf-8") == expected
    # Known digest of "{}\n" (printf '{}\n' | sha256sum).
    assert read_sha256sums(manifest)["sub/c.json"] == (
        "ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356"
    )
    assert check_sha256sums(folder) == ["README.md", "a.csv", "b.csv", "sub/c.json"]


def test_rewrite_is_byte_identical(folder: Path) -> None:
    first = write_sha256sums(folder).read_bytes()
    assert write_sha256sums(folder).read_bytes() == first  # manifest excludes itself


def test_detects_modification(folder: Path) -> None:
    write_sha256sums(folder)
    (folder / "a.csv").write_text("id,value\nx,3\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match=r"1 changed file\(s\): a\.csv") as info:
        check_sha256sums(folder)
    assert "missing" not in str(info.value) and "unlisted" not in str(info.value)


def test_detects_line_ending_change(folder: Path) -> None:
    write_sha256sums(folder)
    (folder / "b.csv").write_bytes(b"id,value\nx,1\n")  # same text, LF instead of CRLF
    with pytest.raises(ChecksumError, match=r"changed file\(s\): b\.csv"):
        check_sha256sums(folder)


def test_detects_missing_file(folder: Path) -> None:
    write_sha256sums(folder)
    (folder / "sub" / "c.json").unlink()
    with pytest.raises(ChecksumError, match=r"1 missing file\(s\): sub/c\.json"):
        check_sha256sums(folder)


def test_detects_unlisted_extra_file(folder: Path) -> None:
    write_sha256sums(folder)
    (folder / ".hidden_backup.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match=r"1 unlisted file\(s\): \.hidden_backup\.csv"):
        check_sha256sums(folder)


def test_reports_every_problem_at_once(folder: Path) -> None:
    write_sha256sums(folder)
    (folder / "a.csv").write_text("changed\n", encoding="utf-8")
    (folder / "b.csv").unlink()
    (folder / "new.csv").write_text("new\n", encoding="utf-8")
    with pytest.raises(ChecksumError) as info:
        check_sha256sums(folder)
    message = str(info.value)
    for fragment in ["changed file(s): a.csv", "missing file(s): b.csv", "unlisted file(s): new"]:
        assert fragment in message
    assert "python -m analysis.source.checksums write" in message  # says how to fix


def test_missing_and_malformed_manifest(folder: Path) -> None:
    with pytest.raises(ChecksumError, match="manifest not found"):
        check_sha256sums(folder)
    (folder / MANIFEST).write_text("deadbeef  a.csv\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match="line 1: not in sha256sum format"):
        check_sha256sums(folder)
    with pytest.raises(ValueError, match="folder='/nonexistent/raw'"):
        check_sha256sums("/nonexistent/raw")


@needs_coreutils
def test_gnu_sha256sum_accepts_our_manifest(folder: Path) -> None:
    write_sha256sums(folder)
    ok = subprocess.run(
        [SHA256SUM, "-c", "--strict", MANIFEST], cwd=folder, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count(": OK") == 4
    (folder / "a.csv").write_text("tampered\n", encoding="utf-8")
    bad = subprocess.run([SHA256SUM, "-c", MANIFEST], cwd=folder, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "a.csv: FAILED" in bad.stdout


@needs_coreutils
@pytest.mark.parametrize("mode", ["--text", "--binary"])
def test_we_accept_a_manifest_written_by_gnu_sha256sum(folder: Path, mode: str) -> None:
    names = ["README.md", "a.csv", "b.csv", "sub/c.json"]
    made = subprocess.run([SHA256SUM, mode, *names], cwd=folder, capture_output=True, check=True)
    (folder / MANIFEST).write_bytes(made.stdout)
    assert check_sha256sums(folder) == names


def test_cli_exit_codes(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["write", str(folder)]) == 0
    assert main(["check", str(folder)]) == 0
    assert "4 files OK" in capsys.readouterr().out
    (folder / "a.csv").write_text("tampered\n", encoding="utf-8")
    assert main(["check", str(folder)]) == 1
    assert "changed file(s): a.csv" in capsys.readouterr().err


def test_module_runs_as_script(folder: Path) -> None:
    write_sha256sums(folder)
    done = subprocess.run(
        [sys.executable, "-m", "analysis.source.checksums", "check", str(folder)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
