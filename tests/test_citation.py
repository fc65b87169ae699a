"""CITATION.cff follows the CFF 1.2.0 rules that matter here, and versions agree.

Rules written from the CFF 1.2.0 JSON schema (citation-file-format/citation-file-format,
schema.json): required top-level keys, no keys outside the schema, date format, and
each reference needing ``type`` (from the schema's enum), ``title`` and ``authors``,
with every entity author having a ``name``.
"""

from __future__ import annotations

import re
import tomllib

import yaml

import analysis
from analysis.paths import ROOT

TOP_LEVEL_KEYS = {  # CFF 1.2.0 schema "properties"
    "abstract",
    "authors",
    "cff-version",
    "commit",
    "contact",
    "date-released",
    "doi",
    "identifiers",
    "keywords",
    "license",
    "license-url",
    "message",
    "preferred-citation",
    "references",
    "repository",
    "repository-artifact",
    "repository-code",
    "title",
    "type",
    "url",
    "version",
}
REFERENCE_TYPES = {"report", "software", "data", "article", "generic", "website"}  # subset


def _cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_cff_required_keys_and_no_unknown_keys():
    cff = _cff()
    assert cff["cff-version"] == "1.2.0"
    assert {"authors", "message", "title"} <= set(cff)
    assert set(cff) <= TOP_LEVEL_KEYS, set(cff) - TOP_LEVEL_KEYS
    assert re.fullmatch(r"\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])", str(cff["date-released"]))
    assert all(a.get("name") or a.get("family-names") for a in cff["authors"])


def test_references_name_the_wig_reports():
    refs = _cff()["references"]
    assert len(refs) == 3
    for ref in refs:
        assert ref["type"] in REFERENCE_TYPES and ref["title"] and ref["authors"]
        assert all(a.get("name") for a in ref["authors"])
    titles = " ".join(r["title"] for r in refs)
    assert "Leaders' Views 2025" in titles and "The leaders' view" in titles


def test_one_version_everywhere():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == analysis.__version__ == str(_cff()["version"])
    assert f"[{analysis.__version__}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
