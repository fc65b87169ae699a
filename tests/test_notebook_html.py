"""Executed-notebook pages: real title, back link, source link, images with alt, offline."""

from __future__ import annotations

import base64
import re

import nbformat
import pytest

from analysis.tooling.notebook import normalise_notebook, notebook_title, render_html
from analysis.tooling.session import figure_png

ALT = 'Bars: "public" 25% & private 19%'


@pytest.fixture
def executed():
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1))
    png = base64.b64encode(figure_png(fig, dpi=20)).decode()
    plt.close(fig)
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": "notebooks/07_outlook.py", "parameters": {}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# The outlook for cross-sector collaboration\n\nText."),
        nbformat.v4.new_code_cell(
            "show_figure(fig)",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={"image/png": png, "text/plain": "<IPython.core.display.Image object>"},
                    metadata={"image/png": {"alt": ALT, "width": 750, "height": 532}},
                )
            ],
        ),
        nbformat.v4.new_markdown_cell("## A later heading"),
    ]
    return normalise_notebook(nb)


def test_page_title_is_the_first_heading(executed):
    page = render_html(executed)
    assert re.findall(r"<title>(.*?)</title>", page) == [
        "The outlook for cross-sector collaboration"
    ]
    assert notebook_title(executed) == "The outlook for cross-sector collaboration"


def test_page_links_back_to_its_place_in_the_report_and_to_its_source(executed):
    page = render_html(executed)
    assert 'href="../index.html#nb-07_outlook"' in page
    assert 'href="../source/07_outlook.py"' in page


def test_image_carries_its_alt_text_and_size(executed):
    from bs4 import BeautifulSoup

    imgs = BeautifulSoup(render_html(executed), "html.parser").find_all("img")
    assert len(imgs) == 1
    assert (imgs[0]["alt"], imgs[0]["width"], imgs[0]["height"]) == (ALT, "750", "532")


def test_image_without_alt_gets_a_stated_placeholder(executed):
    from bs4 import BeautifulSoup

    del executed.cells[1].outputs[0].metadata["image/png"]["alt"]
    img = BeautifulSoup(render_html(executed), "html.parser").find("img")
    assert img["alt"] == "Figure output (no text description given in the notebook)"


def test_page_is_offline_and_deterministic(executed):
    page = render_html(executed)
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)
    assert page == render_html(executed)


def test_normalise_makes_paths_in_rich_outputs_relative(executed):
    from analysis.paths import ROOT

    cell = executed.cells[1]
    cell.outputs[0]["data"]["text/plain"] = f"{ROOT}/figures/x.svg"
    assert normalise_notebook(executed).cells[1].outputs[0]["data"]["text/plain"] == (
        "figures/x.svg"
    )
