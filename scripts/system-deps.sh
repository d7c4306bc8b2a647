#!/usr/bin/env bash
# Installs the Debian packages the project needs, only when missing.
#   app     : fonts and the libraries WeasyPrint uses to write PDF files
#   browser : Debian's chromium, driven by Playwright in the browser tests (Playwright's own download is not used)
#   bench   : Debian's wrk, the HTTP load generator of `make bench`
set -euo pipefail

want=()
case "${1:-app}" in
  app)
    for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || want+=("$pkg")
    done
    ;;
  browser)
    [ -x /usr/bin/chromium ] || want+=(chromium)
    for pkg in fonts-dejavu-core fonts-liberation; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || want+=("$pkg")
    done
    ;;
  bench)
    command -v wrk >/dev/null 2>&1 || want+=(wrk)
    ;;
  *) echo "usage: $0 app|browser|bench" >&2; exit 2 ;;
esac

[ ${#want[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${want[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
