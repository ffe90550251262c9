"""Headless Debian chromium driven by Playwright, against the app served on 127.0.0.1; axe-core in the page."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("TAB_ARTIFACTS", Path(__file__).resolve().parents[2] / ".artifacts" / "tab"))
AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(
    v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})))"""


def require_browser() -> None:
    """./test installs chromium and axe-core when missing; without them (not root, no apt) the tests skip,
    except in CI, where they must run."""
    missing = [what for what, ok in (("chromium", shutil.which("chromium") or Path(CHROMIUM).exists()),
                                     ("axe-core (npm ci in web/)", AXE.exists())) if not ok]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests need {', '.join(missing)}")
        pytest.skip(f"browser tests need {', '.join(missing)}")


async def accessibility_violations(page) -> list[dict]:
    """axe-core's serious and critical findings for the page as it is now (evaluated over the DevTools
    protocol, so the page's CSP needs no exception)."""
    await page.evaluate(AXE.read_text())
    return [v for v in await page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]


async def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
