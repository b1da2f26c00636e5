#!/usr/bin/env bash
# Installs the secgate the action runs and prints its path on stdout.
#
# Without a version, secgate is built from the action's own source: the
# commit the workflow pinned in `uses: secgate/secgate@<full commit id>`, so
# what runs is exactly what was reviewed. With a version, the release archive
# is downloaded and must match the SHA-256 given in the checksum input; a
# version without a checksum is refused, since a release file can be replaced
# and a tag can be moved.
set -euo pipefail

src="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
version="${INPUT_VERSION:-}"
checksum="${INPUT_CHECKSUM:-}"
dest="${RUNNER_TEMP:?RUNNER_TEMP is not set}/secgate-bin"
mkdir -p "$dest"

if [ -z "$version" ]; then
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$dest/secgate" ./cmd/secgate) >&2
  echo "$dest/secgate"
  exit 0
fi

if ! [[ "$checksum" =~ ^[0-9a-f]{64}$ ]]; then
  echo "::error title=secgate::the version input needs the checksum input: the SHA-256 of the release archive (see checksums.txt of the release)" >&2
  exit 2
fi

os=$(uname -s | tr '[:upper:]' '[:lower:]')
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "::error title=secgate::no release build for $(uname -m)" >&2; exit 2 ;;
esac
archive="secgate_${version#v}_${os}_${arch}.tar.gz"
base="${SECGATE_RELEASE_BASE_URL:-https://github.com/secgate/secgate/releases/download}"

curl --fail --silent --show-error --location --proto '=https,file' \
  --output "$dest/$archive" "$base/$version/$archive"
actual=$(sha256sum "$dest/$archive" | cut -d' ' -f1)
if [ "$actual" != "$checksum" ]; then
  echo "::error title=secgate::$archive has SHA-256 $actual, not the $checksum the workflow pins; refusing to run it" >&2
  exit 2
fi
tar -xzf "$dest/$archive" -C "$dest" secgate
echo "$dest/secgate"
