#!/usr/bin/env bash
# Draws the README's pictures of the looks: the first slide of docs/looks/showcase.yaml in every
# look and shape, at half size, as docs/looks/<look>-<shape>.png. Run from anywhere:
#   bash docs/looks/make.sh
# It builds the binary (release) if needed; the pictures are deterministic, so running it again
# without a change leaves them byte for byte as they were.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$root/target}/release/carousel"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
looks=(tech bold editorial notebook minimal)
declare -A sizes=([portrait]="{width: 540, height: 675}" [square]="{width: 540, height: 540}" [landscape]="{width: 960, height: 540}")
for look in "${looks[@]}"; do
  for shape in portrait square landscape; do
    deck="$work/$look-$shape.yaml"
    { echo "look: $look"; echo "size: ${sizes[$shape]}"; cat "$here/showcase.yaml"; } > "$deck"
    "$bin" build "$deck" --out "$work/out" --no-cache > /dev/null 2> "$work/log" || { cat "$work/log"; exit 1; }
    cp "$work/out/$look-$shape/01.png" "$here/$look-$shape.png"
  done
done
echo "wrote $(ls "$here"/*.png | wc -l) pictures in docs/looks/"
