"""Tests for the Teams app package in manifest/: template, vendored schema, icons and build script."""

from __future__ import annotations

import copy
import json
import zipfile

import pytest
from PIL import Image

from manifest import build

SAMPLE_APP_ID = "0f5c2a4e-8d1b-4c3a-9e7f-1a2b3c4d5e6f"


@pytest.fixture(scope="module")
def manifest() -> dict:
    """The template rendered with a sample bot app id."""
    return build.render_manifest(SAMPLE_APP_ID)


def test_template_validates_against_vendored_schema(manifest):
    assert build.schema_errors(manifest) == []


def test_placeholders_are_filled_in(manifest):
    assert manifest["bots"][0]["botId"] == SAMPLE_APP_ID
    assert manifest["composeExtensions"][0]["botId"] == SAMPLE_APP_ID
    assert "${{" not in json.dumps(manifest)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("bots", 0, "scopes"), ["team", "personal", "groupchat"]),  # wrong case
        (("manifestVersion",), "1.23"),  # `const`, which plain draft-04 would ignore
        (("bots", 0, "botId"), "not-a-guid"),
        (("accentColor",), "blue"),
    ],
)
def test_schema_rejects_broken_manifest(manifest, path, value):
    broken = copy.deepcopy(manifest)
    target = broken
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert build.schema_errors(broken), f"schema accepted {path}={value!r}"


def test_bot_and_message_extension_shape(manifest):
    bot = manifest["bots"][0]
    assert bot["scopes"] == ["team", "personal", "groupChat"]
    assert bot["supportsFiles"] is False and bot["isNotificationOnly"] is False
    assert {s for cl in bot["commandLists"] for s in cl["scopes"]} == {"personal", "team"}
    command = manifest["composeExtensions"][0]["commands"][0]
    assert command["id"] == "meldInnSak" and command["type"] == "action" and command["fetchTask"] is True
    assert manifest["permissions"] == ["identity", "messageTeamMembers"]


def test_bot_commands_within_teams_limits(manifest):
    for command_list in manifest["bots"][0]["commandLists"]:
        commands = command_list["commands"]
        assert len(commands) <= 10
        for command in commands:
            assert len(command["title"]) <= 32
            assert len(command["description"]) <= 128
    assert build.command_limit_errors(manifest) == []


def test_color_icon_is_192_square():
    with Image.open(build.HERE / "color.png") as image:
        assert image.format == "PNG"
        assert image.size == (192, 192)
        assert image.mode in ("RGB", "RGBA")


def test_outline_icon_is_white_on_transparent():
    with Image.open(build.HERE / "outline.png") as image:
        assert image.format == "PNG"
        assert image.size == (32, 32)
        assert image.mode == "RGBA"
        data = image.tobytes()
    pixels = [data[i : i + 4] for i in range(0, len(data), 4)]
    assert all(a == 0 or min(r, g, b) >= 240 for r, g, b, a in pixels)
    assert any(a == 255 for *_, a in pixels), "outline icon is empty"
    assert any(a == 0 for *_, a in pixels), "outline icon has no transparent background"


def test_build_writes_zip_with_three_files(tmp_path, monkeypatch):
    monkeypatch.delenv(build.APP_ID_ENV, raising=False)
    out = tmp_path / "pkg" / "app.zip"
    assert build.main(["--app-id", SAMPLE_APP_ID, "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        packaged = json.loads(archive.read("manifest.json").decode("utf-8"))
    assert packaged["bots"][0]["botId"] == SAMPLE_APP_ID
    assert packaged["composeExtensions"][0]["botId"] == SAMPLE_APP_ID
    assert build.schema_errors(packaged) == []


def test_build_reads_app_id_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(build.APP_ID_ENV, SAMPLE_APP_ID)
    out = tmp_path / "app.zip"
    assert build.main(["--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("manifest.json"))["bots"][0]["botId"] == SAMPLE_APP_ID


def test_build_without_app_id_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(build.APP_ID_ENV, raising=False)
    out = tmp_path / "app.zip"
    assert build.main(["--out", str(out)]) == 2
    assert build.APP_ID_ENV in capsys.readouterr().err
    assert not out.exists()


def test_build_with_malformed_app_id_exits_2(tmp_path, monkeypatch):
    monkeypatch.delenv(build.APP_ID_ENV, raising=False)
    out = tmp_path / "app.zip"
    assert build.main(["--app-id", "not-a-guid", "--out", str(out)]) == 2
    assert not out.exists()
