"""The seed's CLIP input path in Python, for bench/catalogue.sh and bench/models.sh.

    python bench/pil_preprocess.py DIR [BATCH]   decode + preprocess every image in DIR; one JSON line

open_and_preprocess is the seed notebook's, imported from tests/fixtures/preprocess/make_goldens.py (PIL decode, RGB, bicubic resize of the shortest side to
224, centre crop), followed by the /255 and CLIP mean/std normalisation in numpy, as models/export.py
and tests/fixtures/preprocess/make_goldens.py do. One process, one thread, as the seed ran it;
batches of BATCH (default 32) tensors are stacked and dropped, like examples/bench_preprocess.rs.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np

# The seed's function, verbatim, from the preprocessing goldens' maker (numpy + Pillow only).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "preprocess"))
from make_goldens import open_and_preprocess  # noqa: E402

CLIP_MEAN = np.array((0.48145466, 0.4578275, 0.40821073), dtype=np.float32)
CLIP_STD = np.array((0.26862954, 0.26130258, 0.27577711), dtype=np.float32)


def normalise(img):
    x = np.asarray(img, dtype=np.float32) / np.float32(255.0)
    return ((x - CLIP_MEAN) / CLIP_STD).transpose(2, 0, 1)


def files(folder):
    return sorted(p for p in Path(folder).iterdir() if p.suffix in (".jpg", ".jpeg", ".png"))


def load(path):
    """The normalised tensor, or None for an unreadable image (synth makes a few on purpose)."""
    try:
        return normalise(open_and_preprocess(path))
    except OSError:
        return None


def batches(paths, batch):
    """Stacked (B, 3, 224, 224) float32 tensors of the readable images, one batch at a time."""
    for i in range(0, len(paths), batch):
        xs = [x for x in map(load, paths[i:i + batch]) if x is not None]
        if xs:
            yield np.stack(xs)


if __name__ == "__main__":
    paths = files(sys.argv[1])
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 32
    start = time.perf_counter()
    checksum, images = 0.0, 0
    for x in batches(paths, batch):
        checksum += float(x[:, 1, 112, 0].sum())  # the value examples/bench_preprocess.rs adds up
        images += len(x)
    seconds = time.perf_counter() - start
    print(json.dumps({"images": images, "bad": len(paths) - images, "seconds": round(seconds, 4),
                      "images_per_s": round(images / seconds, 1), "checksum": round(checksum, 4)}))
