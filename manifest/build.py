"""Build the Teams app package (zip) for Kontorfaglig råd from the manifest template.

Usage: ``python -m manifest.build [--app-id GUID] [--tab-host HOST] [--out dist/kontorfaglig-raad.zip]``
The bot's Microsoft App ID comes from ``--app-id`` or the ``MICROSOFT_APP_ID`` environment variable. The tab's
host (where Teams loads the council's tab, with SSO) comes from ``--tab-host`` or the host of ``PUBLIC_BASE_URL``;
without one the package holds the bot only (no tabs, no webApplicationInfo).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import zipfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, Draft6Validator
from jsonschema.validators import extend
from PIL import Image

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "manifest.template.json"
SCHEMA = HERE / "schema" / "MicrosoftTeams.v1.24.schema.json"
DEFAULT_OUT = Path("dist") / "kontorfaglig-raad.zip"
APP_ID_ENV = "MICROSOFT_APP_ID"
APP_ID_PLACEHOLDER = "${{MICROSOFT_APP_ID}}"
TAB_HOST_PLACEHOLDER = "${{TAB_HOST}}"
TAB_PARTS = ("staticTabs", "configurableTabs", "webApplicationInfo")
HOST_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$")
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
ICON_SIZES = {"color": (192, 192), "outline": (32, 32)}
# Limits Teams enforces for bot commands that are stricter than the JSON schema (128/4000/12).
MAX_COMMANDS, MAX_TITLE, MAX_DESCRIPTION = 10, 32, 128
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

EXIT_INVALID = 1
EXIT_NO_APP_ID = 2


class BuildError(Exception):
    """A build failure carrying the process exit code, so main() can report it uniformly."""

    def __init__(self, message: str, exit_code: int = EXIT_INVALID) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def resolve_app_id(cli_value: str | None, environ: Mapping[str, str]) -> str:
    """Pick the bot app id from the CLI or environment, refusing anything that is not a GUID."""
    app_id = (cli_value or environ.get(APP_ID_ENV) or "").strip()
    if not app_id:
        raise BuildError(f"Missing bot app id: pass --app-id GUID or set {APP_ID_ENV}.", EXIT_NO_APP_ID)
    if not GUID_RE.match(app_id):
        raise BuildError(
            f"Bot app id {app_id!r} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).", EXIT_NO_APP_ID
        )
    return app_id


def resolve_tab_host(cli_value: str | None, environ: Mapping[str, str]) -> str | None:
    """The tab's host name: --tab-host, else PUBLIC_BASE_URL's host (https only); None leaves the tab out."""
    host = (cli_value or "").strip().lower()
    if not host:
        base = urlsplit((environ.get("PUBLIC_BASE_URL") or "").strip())
        host = base.netloc.lower() if base.scheme == "https" else ""
    if host and not HOST_RE.match(host):
        raise BuildError(f"Tab host {host!r} is not a host name (e.g. radsbot.siv.no).")
    return host or None


def render_manifest(app_id: str, template: Path = TEMPLATE, tab_host: str | None = None) -> dict:
    """Substitute the placeholders textually so every occurrence is filled in; no tab host: no tab parts."""
    text = template.read_text(encoding="utf-8").replace(APP_ID_PLACEHOLDER, app_id)
    if tab_host:
        text = text.replace(TAB_HOST_PLACEHOLDER, tab_host)
    else:
        manifest = json.loads(text)
        for key in TAB_PARTS:
            manifest.pop(key, None)
        manifest["validDomains"] = [d for d in manifest.get("validDomains", []) if d != TAB_HOST_PLACEHOLDER]
        text = json.dumps(manifest, ensure_ascii=False)
    if "${{" in text:
        raise BuildError("Template still contains an unresolved ${{...}} placeholder.")
    return json.loads(text)


@cache
def manifest_validator() -> Draft4Validator:
    """Draft-04 validator plus `const`: the Teams schema uses it for manifestVersion but draft-04 lacks it."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_cls = extend(Draft4Validator, {"const": Draft6Validator.VALIDATORS["const"]})
    return validator_cls(schema)


def schema_errors(manifest: dict) -> list[str]:
    """List schema violations as readable 'path: message' lines."""
    errors = sorted(manifest_validator().iter_errors(manifest), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def command_limit_errors(manifest: dict) -> list[str]:
    """Enforce Teams' bot command limits, which are tighter than what the schema checks."""
    errors = []
    for b, bot in enumerate(manifest.get("bots", [])):
        for c, command_list in enumerate(bot.get("commandLists", [])):
            where = f"bots/{b}/commandLists/{c}"
            commands = command_list.get("commands", [])
            if len(commands) > MAX_COMMANDS:
                errors.append(f"{where}: {len(commands)} commands, Teams allows at most {MAX_COMMANDS}")
            for command in commands:
                if len(command["title"]) > MAX_TITLE:
                    errors.append(f"{where}: title {command['title']!r} longer than {MAX_TITLE} chars")
                if len(command["description"]) > MAX_DESCRIPTION:
                    errors.append(
                        f"{where}: description of {command['title']!r} longer than {MAX_DESCRIPTION}"
                    )
    return errors


def icon_errors(manifest: dict, icon_dir: Path = HERE) -> list[str]:
    """Check the icons Teams will reject: wrong size, missing file, or a non-white outline."""
    errors = []
    for kind, size in ICON_SIZES.items():
        path = icon_dir / manifest["icons"][kind]
        if not path.is_file():
            errors.append(f"icons/{kind}: {path} not found")
            continue
        with Image.open(path) as image:
            if image.size != size:
                errors.append(f"icons/{kind}: {path.name} is {image.size}, expected {size}")
            if kind == "outline" and not is_white_on_transparent(image):
                errors.append(f"icons/outline: {path.name} must be white on a transparent background")
    return errors


def is_white_on_transparent(image: Image.Image, min_channel: int = 240) -> bool:
    """True if every pixel is either fully transparent or (near-)white, as the outline icon must be."""
    if image.mode != "RGBA":
        return False
    data = image.tobytes()  # raw RGBA bytes; avoids getdata(), deprecated in Pillow 13
    return all(data[i + 3] == 0 or min(data[i : i + 3]) >= min_channel for i in range(0, len(data), 4))


def write_package(manifest: dict, out: Path, icon_dir: Path = HERE) -> None:
    """Write manifest.json and both icons at the zip root, with fixed timestamps for reproducible zips."""
    out.parent.mkdir(parents=True, exist_ok=True)
    files = {"manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"}
    for kind in ICON_SIZES:
        name = manifest["icons"][kind]
        files[name] = (icon_dir / name).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    out.write_bytes(buffer.getvalue())


def build(app_id: str, out: Path, tab_host: str | None = None) -> dict:
    """Render, validate and package the manifest; raise BuildError listing every problem found."""
    manifest = render_manifest(app_id, tab_host=tab_host)
    problems = schema_errors(manifest) + command_limit_errors(manifest) + icon_errors(manifest)
    if problems:
        raise BuildError("Manifest is invalid:\n  " + "\n  ".join(problems))
    write_package(manifest, out)
    return manifest


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m manifest.build", description=__doc__.splitlines()[0])
    parser.add_argument("--app-id", help=f"bot Microsoft App ID (GUID); defaults to ${APP_ID_ENV}")
    parser.add_argument("--tab-host", help="host of the council's tab (default: PUBLIC_BASE_URL's host)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"zip to write (default: {DEFAULT_OUT})"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the exit code instead of exiting so tests can call it directly."""
    args = parse_args(argv)
    try:
        build(resolve_app_id(args.app_id, os.environ), args.out, resolve_tab_host(args.tab_host, os.environ))
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
