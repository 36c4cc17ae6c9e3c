#!/usr/bin/env python3
"""Makes the photo benchmark decks in a folder (default /tmp/carousel-photos):

- avatar.yaml: 60 slides whose author avatar is a 12-megapixel JPEG (4000x3000, as a phone takes);
- photos.yaml: 150 slides, each showing one of 10 different 3000x2000 JPEG photos.

The photos are generated (soft shapes plus sensor-like grain, seeded, so every run makes the same
files) and never committed. Needs Pillow (`pip install pillow`). Time the builds with
`/usr/bin/time -v carousel build DIR/avatar.yaml -o DIR/out` (see README, Speed).
"""
import random
import sys
from pathlib import Path

from PIL import Image, ImageFilter


def photo(width, height, seed):
    rng = random.Random(seed)
    # Soft shapes: a small random image blown up smoothly, then grain.
    small = Image.new("RGB", (8, 6))
    small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(48)])
    image = small.resize((width, height), Image.BICUBIC)
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(image, grain, 0.12).filter(ImageFilter.SMOOTH)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/carousel-photos")
    out.mkdir(parents=True, exist_ok=True)
    photo(4000, 3000, 1).save(out / "avatar.jpg", quality=92)
    kinds = ["content", "problem", "solution", "learnings"]
    lines = ["title: Avatar", "author: {name: Jane Doe, handle: '@jane', avatar: avatar.jpg}", "slides:"]
    for n in range(60):
        lines.append(f"  - {{kind: {kinds[n % 4]}, title: 'Slide {n + 1}', body: 'A phone photo as avatar.'}}")
    (out / "avatar.yaml").write_text("\n".join(lines) + "\n")
    for i in range(10):
        photo(3000, 2000, 100 + i).save(out / f"photo{i}.jpg", quality=90)
    lines = ["title: Photos", "author: {name: Jane Doe, handle: '@jane'}", "slides:"]
    for n in range(150):
        lines.append(f"  - {{kind: content, title: 'Photo {n + 1}', image: {{path: photo{n % 10}.jpg, fit: cover}}}}")
    (out / "photos.yaml").write_text("\n".join(lines) + "\n")
    print(out)


if __name__ == "__main__":
    main()
