"""The HTML reports in a real browser (headless Chromium): they render, Chinese is drawn with the embedded
font, and no script a hostile plan smuggles in runs (no dialog opens; the CSP is in force)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from fixtures.hostile import IMG, SCRIPT, hostile_tables  # tests/fixtures/hostile.py
from PIL import Image, ImageChops

from planlib.report.batch import COMPARISON, run_reports

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


# --- scripts from plan text never run ---------------------------------------------------------


class Browser:
    """Headless Chromium driven over the DevTools protocol: load a page, report any JavaScript dialog."""

    def __init__(self, profile: Path):
        import websocket

        self.proc = subprocess.Popen(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().strip()):
            assert time.monotonic() < deadline and self.proc.poll() is None, "Chromium did not start"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []
        self.call("Page.enable")
        self.call("Runtime.enable")

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                return msg.get("result", {})
            self._event(msg)

    def _event(self, msg: dict) -> None:
        self.events.append(msg)
        if msg.get("method") == "Page.javascriptDialogOpening":  # dismiss it so the page goes on
            self.next_id += 1
            self.ws.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                     "params": {"accept": True}}))

    def load(self, page: Path, settle: float = 1.5) -> list[dict]:
        """Open ``page``; return the dialogs it opened (waits for load, then ``settle`` s for late handlers)."""
        self.events.clear()
        self.call("Page.navigate", url=page.resolve().as_uri())
        deadline, loaded = time.monotonic() + 60, None
        while time.monotonic() < deadline:
            if loaded is None and any(e.get("method") == "Page.loadEventFired" for e in self.events):
                loaded = time.monotonic()
            if loaded is not None and time.monotonic() - loaded > settle:
                break
            self.ws.settimeout(0.2)
            try:
                self._event(json.loads(self.ws.recv()))
            except Exception:  # noqa: BLE001 - websocket timeout: nothing arrived
                pass
            finally:
                self.ws.settimeout(30)
        assert loaded is not None, f"{page} did not load"
        return [e for e in self.events if e.get("method") == "Page.javascriptDialogOpening"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _chromium()
    b = Browser(tmp_path_factory.mktemp("cdp-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory, fixture_processed_dir):
    _chromium()
    root = tmp_path_factory.mktemp("hostile")
    processed = hostile_tables(fixture_processed_dir, root / "processed")
    results = run_reports(["alpha", "beta"], jobs=2, out_dir=root / "out", processed_dir=processed, progress=False)
    assert all(r["status"] == "ok" for r in results), results
    return root / "out" / "reports"


def test_the_dialog_detector_sees_a_live_script(browser, tmp_path):
    """Control: without escaping and without a CSP, the payload opens a dialog, and the test sees it."""
    page = tmp_path / "unsafe.html"
    page.write_text(f"<!DOCTYPE html><html><body>{SCRIPT}{IMG}</body></html>", encoding="utf-8")
    assert browser.load(page)


def test_the_csp_alone_stops_a_live_script(browser, tmp_path):
    from planlib.report.batch import CSP

    page = tmp_path / "csp.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}">'
                    f"</head><body>{SCRIPT}{IMG}</body></html>", encoding="utf-8")
    assert browser.load(page) == []


@pytest.mark.parametrize("page", ["index.html", "alpha/report.html", "beta/report.html", f"{COMPARISON}/report.html"])
def test_hostile_plan_text_opens_no_dialog_and_shows_as_text(browser, hostile_reports, page):
    path = hostile_reports / page
    assert browser.load(path) == [], f"a script from plan text ran in {page}"
    csp = browser.evaluate("(document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')||{}).content")
    assert csp and "script-src 'none'" in csp
    assert browser.evaluate("document.querySelectorAll('script').length") == 0
    assert browser.evaluate("document.querySelectorAll('img[onerror]').length") == 0
    text = browser.evaluate("document.body.innerText")
    for developer_text in ("papermill", "Rendering warnings", "render warnings", "Restart & Run All"):
        assert developer_text not in text
    if page in ("index.html", "alpha/report.html"):
        assert IMG in text  # the name from sources.csv, shown as the characters it is


def test_index_links_resolve_and_name_the_admin_level(browser, hostile_reports):
    browser.load(hostile_reports / "index.html")
    hrefs = browser.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    assert hrefs and any("/downloads/" in h for h in hrefs)
    for href in hrefs:
        assert href.startswith("file://") and Path(urllib.request.url2pathname(href[len("file://"):])).exists(), href
    text = browser.evaluate("document.body.innerText")
    assert "地级市" in text and "生成状态" in text and "成功" in text
