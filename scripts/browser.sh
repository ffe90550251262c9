# Sourced by ./test: the browser tests of the tab need Debian's chromium and axe-core (npm, web/package-lock.json).
# Installed when missing, so CI on a fresh machine has them; Playwright's own browser download is not used.
ensure_browser() {
  if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium for the tab's browser tests (apt-get)..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || \
      echo "chromium could not be installed: the browser tests will skip (or fail under CI)." >&2
  fi
  if [ ! -f web/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
    (cd web && npm ci --no-audit --no-fund --silent) || echo "npm ci in web/ failed: accessibility checks skip." >&2
  fi
}
