"""Check JupyterLab as an analyst uses it, in headless Chromium (``make check-lab``).

Usage: ``python scripts/check_lab.py [--notebook notebooks/07_outlook.py]``

Starts JupyterLab from ``.venv`` on a free local port with token authentication and the
project's lab settings (``jupyterlab-overrides.json``: ``.py`` files open as notebooks),
with throw-away Jupyter config, data, runtime, settings and workspace folders and autosave
off. In Chromium it then:

1. opens the notebook and saves it with no edit (File > Save): the committed ``.py`` must
   keep its exact bytes;
2. runs all cells (Run > Run All Cells): no error, and exactly one inline image per figure
   the registry lists for the notebook (screenshot ``build/check-lab/<name>-run-all.png``);
   the run after a save must leave the ``.py`` unchanged too;
3. edits a parameter in the parameters cell (by default ``edition = "published"`` to
   ``"respondents"``: the notebook then draws the SYNTHETIC wave edition),
   runs all again without saving: the figure goes to ``build/scratch/<name>/``
   (screenshot ``<name>-edited.png``); with ``--expect TEXT`` the outputs must show TEXT
   and the scratch figure must differ from the committed one;
4. stops the lab and requires ``git status --porcelain`` to be what it was before (empty on
   a clean checkout) and every tracked file to keep its bytes.

Exits non-zero on any failure. The paired ``.ipynb`` the save writes (ignored by git) is
removed afterwards, or restored if one existed. Uses Debian's Chromium (``apt-get install
chromium``) through Playwright; never downloads a browser.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from check_report import chromium  # noqa: E402

OUT_DIR = ROOT / "build" / "check-lab"
VENV = ROOT / ".venv"
RUN_TIMEOUT_S = 120


class LabCheckError(RuntimeError):
    """A failed expectation; the message says what was seen."""


def free_port() -> int:
    """A TCP port nothing listens on now (the lab is told not to retry another one)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    ).stdout


def tracked_hashes() -> dict[str, str]:
    """SHA-256 of every tracked file as it is in the working tree."""
    hashes = {}
    for name in git("ls-files", "-z").split("\0"):
        path = ROOT / name
        if name and path.is_file():
            hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def lab_settings(folder: Path) -> None:
    """User settings for the check: no autosave, no news or update checks (no network), and
    every cell rendered (no windowing), so the page holds every prompt and output."""
    settings = {
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for name, value in settings.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value), encoding="utf-8")


def install_overrides() -> None:
    """The project's lab defaults, installed as ``make lab`` does."""
    target = VENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / "jupyterlab-overrides.json", target)


@contextlib.contextmanager
def jupyter_lab(scratch: Path) -> Iterator[tuple[str, str]]:
    """Run JupyterLab; yield (base URL, token); stop it (and its kernels) afterwards."""
    port, token = free_port(), secrets.token_hex(24)
    env = dict(os.environ)  # as `make lab` gives it (the Makefile unexports MPLBACKEND)
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
    ):
        env[var] = str(scratch / sub)
    lab_settings(scratch / "settings")
    install_overrides()
    args = [
        str(VENV / "bin" / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "getuid") and os.getuid() == 0:
        args.append("--allow-root")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    log = open(OUT_DIR / "jupyterlab.log", "w", encoding="utf-8")  # noqa: SIM115
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise LabCheckError(f"JupyterLab exited ({proc.returncode}); see {log.name}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise LabCheckError(f"JupyterLab did not answer on {base}") from None
                time.sleep(0.3)
        yield base, token
    finally:
        proc.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def menu(page, top: str, command: str) -> None:
    """Choose a menu entry by its JupyterLab command id (e.g. Run > notebook:run-all-cells)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{top}$")).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()


def wait_for_idle_kernel(page, timeout_s: float = 120) -> None:
    indicator = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    indicator.first.wait_for(state="attached", timeout=timeout_s * 1000)


def run_all(page) -> None:
    """Run > Run All Cells, then wait until every code cell has run and the kernel is idle."""
    menu(page, "Run", "runmenu:run-all")
    page.wait_for_timeout(500)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        busy = page.locator('.jp-Notebook-ExecutionIndicator[data-status="busy"]').count()
        if prompts and not busy and all(re.search(r"\[\d+\]", p) for p in prompts):
            return
        page.wait_for_timeout(250)
    page.screenshot(path=str(OUT_DIR / "run-all-timeout.png"))
    raise LabCheckError(
        f"Run All did not finish within {RUN_TIMEOUT_S} s (prompts {prompts}, busy {busy}); "
        f"screenshot {OUT_DIR.relative_to(ROOT)}/run-all-timeout.png"
    )


def errors_in(page) -> list[str]:
    return page.locator('[data-mime-type="application/vnd.jupyter.error"]').all_inner_texts()


def inline_images(page) -> list[int]:
    """Natural widths of the notebook's output images (0 = did not load)."""
    return page.eval_on_selector_all(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img",
        "els => els.map(e => e.naturalWidth)",
    )


def save(page, path: Path) -> None:
    """File > Save, then wait for the file to be written."""
    before = path.stat().st_mtime_ns
    page.locator(".jp-NotebookPanel .jp-Cell .jp-InputPrompt").first.click()  # focus it
    menu(page, "File", "docmanager:save")
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == before:
        if time.monotonic() > deadline:
            raise LabCheckError(f"saving did not write {path.relative_to(ROOT)}")
        page.wait_for_timeout(200)
    page.wait_for_timeout(500)


def edit_parameter(page, line: str, new_line: str) -> None:
    """Replace one line of the parameters cell by typing into the lab's editor."""
    target = page.locator(".jp-Cell .cm-line", has_text=re.compile(rf"^{re.escape(line)}"))
    if target.count() != 1:
        raise LabCheckError(f"found {target.count()} editor lines starting {line!r}")
    target.click()
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type(new_line)
    page.keyboard.press("Escape")
    edited = page.locator(".jp-Cell .cm-line", has_text=re.compile(rf"^{re.escape(new_line)}"))
    if edited.count() != 1:
        raise LabCheckError(f"the edit {new_line!r} did not take")


def check(notebook: Path, edit: tuple[str, str], expect_after_edit: str) -> list[str]:
    """Run the whole check; return the problems found."""
    from analysis.tooling.registry import load_registry
    from analysis.tooling.session import figures_folder

    problems: list[str] = []
    rel = notebook.relative_to(ROOT).as_posix()
    nb = next(n for n in load_registry().notebooks if n.source == notebook)
    figures = nb.figures
    status_before, hashes_before = git("status", "--porcelain"), tracked_hashes()
    if status_before:
        print(f"note: the working tree was not clean before the check:\n{status_before}")
    source_bytes = notebook.read_bytes()
    paired = notebook.with_suffix(".ipynb")
    checkpoints = notebook.parent / ".ipynb_checkpoints"
    had_checkpoints = checkpoints.exists()
    started = time.time()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="check-lab-") as scratch:
        backup = Path(scratch) / "paired-backup.ipynb"
        if paired.exists():
            shutil.copy2(paired, backup)
        try:
            with (
                jupyter_lab(Path(scratch)) as (base, token),
                chromium(viewport={"width": 1400, "height": 1000}) as context,
            ):
                page = context.new_page()
                page.route(
                    re.compile(r"^https?://(?!127\.0\.0\.1)"),
                    lambda route: (
                        problems.append(f"network request from the lab: {route.request.url}"),
                        route.abort(),
                    ),
                )
                page.goto(f"{base}/lab/tree/{rel}?token={token}")
                page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=90_000)
                wait_for_idle_kernel(page)

                save(page, notebook)
                if notebook.read_bytes() != source_bytes:
                    problems.append(f"open and save changed {rel}")

                run_all(page)
                problems += [f"error after Run All: {e[:300]}" for e in errors_in(page)]
                images = inline_images(page)
                if len(images) != len(figures) or not all(images):
                    problems.append(
                        f"Run All shows {len(images)} inline images (loaded: {images}) for "
                        f"{len(figures)} figures: expected one each"
                    )
                if images:
                    page.locator(".jp-OutputArea-output img").first.scroll_into_view_if_needed()
                page.screenshot(path=str(OUT_DIR / f"{nb.name}-run-all.png"))
                save(page, notebook)
                if notebook.read_bytes() != source_bytes:
                    problems.append(f"saving after Run All changed {rel}")

                edit_parameter(page, *edit)
                run_all(page)
                problems += [f"error after the edit: {e[:300]}" for e in errors_in(page)]
                text = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
                if expect_after_edit and expect_after_edit not in text:
                    problems.append(f"after the edit the outputs do not show {expect_after_edit!r}")
                images = inline_images(page)
                if len(images) != len(figures):
                    problems.append(f"after the edit {len(images)} inline images")
                if images:
                    page.locator(".jp-OutputArea-output img").first.scroll_into_view_if_needed()
                page.screenshot(path=str(OUT_DIR / f"{nb.name}-edited.png"))
                scratch_dir = figures_folder("", nb.name)
                edited = "respondents" if "respondents" in edit[1] else "published"
                for fig in figures:
                    svg = scratch_dir / f"{fig.id_for(edited, 2025)}.svg"
                    if not svg.exists() or svg.stat().st_mtime < started:
                        problems.append(f"exploring did not write {svg.relative_to(ROOT)}")
                    elif (
                        expect_after_edit
                        and svg.read_bytes() == fig.stem.with_suffix(".svg").read_bytes()
                    ):
                        problems.append(f"{svg.name} in scratch ignores the edited parameter")
                page.close()
        finally:
            if backup.exists():
                shutil.copy2(backup, paired)
            else:
                paired.unlink(missing_ok=True)
            if not had_checkpoints:
                shutil.rmtree(checkpoints, ignore_errors=True)
    status_after, hashes_after = git("status", "--porcelain"), tracked_hashes()
    if status_after != status_before:
        problems.append(f"git status changed:\n{status_after}")
    changed = sorted(k for k in hashes_before if hashes_after.get(k) != hashes_before[k])
    if changed:
        problems.append(f"tracked files changed: {changed}")
    print(
        f"{rel}: opened, saved, Run All, edited {edit[0]!r} -> {edit[1]!r}, Run All; "
        f"{len(figures)} figure(s) inline; git status "
        + ("clean" if not status_after else "as before the check")
        + f"; screenshots in {OUT_DIR.relative_to(ROOT)}/"
    )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", default="notebooks/07_outlook.py")
    parser.add_argument("--edit-from", default='edition = "published"')
    parser.add_argument("--edit-to", default='edition = "respondents"')
    parser.add_argument(
        "--expect",
        default="SYNTHETIC DATA",
        help="text the outputs must show after the edit (then the scratch figure must also "
        "differ from the committed one); by default only that the run wrote to scratch",
    )
    args = parser.parse_args(argv)
    try:
        problems = check(ROOT / args.notebook, (args.edit_from, args.edit_to), args.expect)
    except LabCheckError as exc:
        problems = [str(exc)]
    for p in problems:
        print(f"FAIL {p}")
    print("lab check: " + ("ok" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
