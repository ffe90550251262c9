"""The Teams package gains the personal tab, the channel tab and webApplicationInfo, still schema-valid; the
audience the server checks is the resource the manifest declares."""
from __future__ import annotations

import zipfile

from council.settings import Settings
from manifest import build
from tests.e2e.teams import KARI

APP_ID = "11111111-2222-4333-8444-555555555555"


def test_with_a_tab_host_the_manifest_has_both_tabs_and_sso_and_is_valid():
    manifest = build.render_manifest(APP_ID, tab_host="radsbot.siv.no")
    assert build.schema_errors(manifest) == []
    personal = next(tab for tab in manifest["staticTabs"] if tab["entityId"] == "raadet")
    assert personal["contentUrl"] == "https://radsbot.siv.no/tab/saker?lang={locale}"
    assert manifest["configurableTabs"][0]["configurationUrl"].startswith("https://radsbot.siv.no/tab/konfigurer")
    assert manifest["validDomains"] == ["radsbot.siv.no"]
    settings = Settings(app_id=APP_ID, public_base_url="https://radsbot.siv.no")
    assert manifest["webApplicationInfo"] == {"id": APP_ID, "resource": settings.tab_audience}


def test_without_a_tab_host_the_package_holds_the_bot_only():
    manifest = build.render_manifest(APP_ID)
    assert build.schema_errors(manifest) == []
    assert not {"staticTabs", "configurableTabs", "webApplicationInfo"} & manifest.keys()


def test_the_tab_host_comes_from_public_base_url_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://radsbot.siv.no")
    out = tmp_path / "app.zip"
    assert build.main(["--out", str(out)]) == 0
    with zipfile.ZipFile(out) as package:
        assert "api://radsbot.siv.no/" in package.read("manifest.json").decode()
    assert build.main(["--out", str(out), "--tab-host", "not a host"]) == 1


async def test_the_channel_tab_configuration_page_offers_the_pages_and_no_data(tab_bot, council, visitor):
    client = await visitor()
    status, html, response = await client.get("/tab/konfigurer")
    assert status == 200 and "MicrosoftTeams.min.js" in html and "config.js" in html
    assert 'value="evaluering"' in html and 'value="medlemmer"' in html
    assert KARI.name not in html and "frame-ancestors" in response.headers["Content-Security-Policy"]
