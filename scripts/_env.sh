# Shared set-up for Hälsogap's scripts: a virtual environment with the locked dependencies.
# Sourced, not run. Uses the machine's Python 3.11 and never downloads an interpreter.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON="${UV_PYTHON:-python3.11}"
export UV_PYTHON_DOWNLOADS=never
UV_VERSION=0.13.8

ensure_venv() {
    local uv="uv"
    if ! command -v uv >/dev/null 2>&1 || [ "$(uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
        echo "==> Installerar uv $UV_VERSION"
        python3 -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
        # Run it through the interpreter: a fresh console script may not be on PATH yet
        # (pyenv's shims need a rehash, pip's --user directory may be missing from PATH).
        uv="python3 -m uv"
    fi
    echo "==> Installerar låsta beroenden (uv.lock)"
    $uv sync --frozen --quiet
}

apt_install() {
    # Installs Debian packages when they are missing; needs root, as on this machine kind.
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "==> Installerar Debian-paket: ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
