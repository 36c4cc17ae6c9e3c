#!/bin/sh
# Makes the few test images that need an encoder this build has no pure-Rust crate for: lossy
# WebP (with and without alpha), HEIC and AVIF. Everything else is made by tests/common/images.rs
# at test time. Each picture is drawn here, not a photo of anyone: a 64 x 48 grey picture with a
# red square top-left (and, for the alpha one, a transparent right half).
# Needs (Debian): imagemagick webp libheif-examples libavif-bin. Run from the repository root:
#   sh tests/images/make.sh
set -eu
out=tests/images
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
convert -size 64x48 xc:'rgb(128,128,128)' -fill 'rgb(230,20,30)' -draw 'rectangle 0,0 15,15' "$tmp/flat.png"
convert "$tmp/flat.png" -alpha set -region 32x48+32+0 -channel A -evaluate set 0 +channel "$tmp/alpha.png"
cwebp -quiet -q 90 -metadata none "$tmp/flat.png" -o "$out/lossy.webp"
cwebp -quiet -q 90 -alpha_q 100 -metadata none "$tmp/alpha.png" -o "$out/lossy-alpha.webp"
heif-enc -q 60 "$tmp/flat.png" -o "$out/photo.heic"
avifenc --min 20 --max 30 -s 8 "$tmp/flat.png" "$out/photo.avif" > /dev/null
ls -l "$out"
