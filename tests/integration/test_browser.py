"""The HTML reports in a real browser (headless Chromium): they render, and Chinese is drawn with the embedded font."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops

from planlib.report import run_reports

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def _chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    reason = f"headless Chromium not found (looked for {', '.join(CHROMIUM_NAMES)}); apt-get install chromium"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    print(reason)
    pytest.skip(reason)


def screenshot(page, out_png, tmp_path, size=(1100, 1400)) -> Image.Image:
    profile = tmp_path / f"profile-{out_png.stem}"
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
           f"--user-data-dir={profile}", f"--screenshot={out_png}", f"--window-size={size[0]},{size[1]}",
           page.resolve().as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out_png.exists(), f"no screenshot: {done.stderr[-2000:]}"
    return Image.open(out_png).convert("RGB")


def _not_blank(img: Image.Image) -> bool:
    lo, hi = img.convert("L").getextrema()
    colours = img.resize((200, 200)).getcolors(maxcolors=200 * 200) or []
    return hi - lo > 100 and len(colours) > 20


@pytest.fixture(scope="module")
def reports(tmp_path_factory, fixture_processed_dir):
    _chromium()
    out = tmp_path_factory.mktemp("browser")
    results = run_reports(["alpha"], jobs=2, out_dir=out, processed_dir=fixture_processed_dir, progress=False)
    assert all(r["status"] == "ok" for r in results), results
    return out / "reports"


def test_index_renders(reports, tmp_path):
    img = screenshot(reports / "index.html", tmp_path / "index.png", tmp_path, size=(900, 500))
    assert _not_blank(img)


def test_county_report_draws_chinese_with_the_embedded_font(reports, tmp_path):
    page = reports / "alpha" / "report.html"
    with_font = screenshot(page, tmp_path / "with_font.png", tmp_path)
    assert _not_blank(with_font)
    html = page.read_text(encoding="utf-8")
    withheld = re.sub(r'<style id="planlib-font">.*?</style>', "", html, count=1, flags=re.S)
    assert withheld != html and "@font-face" not in withheld
    bare = page.with_name("report_without_font.html")  # same folder: same relative links
    bare.write_text(withheld, encoding="utf-8")
    without_font = screenshot(bare, tmp_path / "without_font.png", tmp_path)
    diff = ImageChops.difference(with_font, without_font).getbbox()
    assert diff is not None, "the page looks the same without the embedded font: Chinese is not drawn by it"
