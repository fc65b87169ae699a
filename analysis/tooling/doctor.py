"""``make doctor``: do the kernel, the interpreter and the lock file agree?

Checks, each printed as ``ok`` or ``FAIL`` with what to do:

1. this interpreter is the project's ``.venv`` Python 3.11;
2. the ``wig-survey`` kernel exists and starts that same interpreter;
3. the environment was installed from the current ``uv.lock`` (hash recorded by make);
4. the installed packages are exactly those of ``uv.lock`` (``uv sync --frozen --check``).

>>> [ok for ok, _ in checks()][:1]
[True]
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from analysis.paths import ROOT
from analysis.tooling.notebook import KERNEL_NAME

VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from-uv.lock"


def checks() -> list[tuple[bool, str]]:
    """Run every check; return (passed, message) pairs."""
    results: list[tuple[bool, str]] = []
    exe = Path(sys.executable)
    in_venv = Path(sys.prefix).resolve() == VENV.resolve()
    results.append(
        (
            in_venv and sys.version_info[:2] == (3, 11),
            f"interpreter {exe} (Python {sys.version.split()[0]}), prefix {sys.prefix}",
        )
    )

    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        argv0 = Path(spec.argv[0])
        same = argv0.resolve() == exe.resolve() or (
            Path(spec.resource_dir).resolve().is_relative_to(VENV.resolve())
            and argv0.name.startswith("python")
        )
        results.append((same, f"kernel {KERNEL_NAME!r} at {spec.resource_dir} runs {argv0}"))
    except NoSuchKernel:
        results.append((False, f"kernel {KERNEL_NAME!r} not installed: run `make env`"))

    lock_hash = hashlib.sha256((ROOT / "uv.lock").read_bytes()).hexdigest()
    recorded = STAMP.read_text().split()[0] if STAMP.exists() else "none"
    results.append(
        (
            recorded == lock_hash,
            f"installed from uv.lock {recorded[:12]} (current {lock_hash[:12]})",
        )
    )

    uv = VENV / "bin" / "uv"
    sync = (
        subprocess.run(
            [str(uv), "sync", "--frozen", "--check"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(VENV)},
        )
        if uv.exists()
        else None
    )
    in_sync = sync is not None and sync.returncode == 0
    detail = "" if in_sync or sync is None else (sync.stdout + sync.stderr).strip()[-400:]
    results.append(
        (
            in_sync,
            "installed packages match uv.lock (uv sync --check)"
            if in_sync
            else f"installed packages differ from uv.lock: {detail or 'no uv'}",
        )
    )
    return results


def main() -> int:
    """Print each check; exit 1 if any failed."""
    results = checks()
    for ok, message in results:
        print(f"{'ok  ' if ok else 'FAIL'}  {message}")
    if not all(ok for ok, _ in results):
        print("\nFix: `make env` re-installs .venv from uv.lock and re-registers the kernel.")
        return 1
    print(
        json.dumps(
            {"kernel": KERNEL_NAME, "python": sys.version.split()[0], "root": os.fspath(ROOT)}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
