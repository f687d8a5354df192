"""Writes a Kaggle-like fashion dataset of N small files: DIR/images/<id>.jpg + DIR/styles.csv.

Each "image" is 1.5-3 KB of random bytes (content does not matter to a no-op; size and count do).
Deterministic for a given N, so a rerun builds byte-identical files.

usage: python3 make_dataset.py N DIR
"""

import os
import random
import sys


def main() -> None:
    n, root = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(n)
    images = os.path.join(root, "images")
    os.makedirs(images, exist_ok=True)
    colours = ["Navy Blue", "Black", "White", "Red", "Beige", "Grey", "Green", "Pink"]
    kinds = ["Tshirts", "Shirts", "Jeans", "Dresses", "Kurtas", "Watches", "Casual Shoes"]
    rows = ["id,gender,masterCategory,articleType,baseColour,season,year,productDisplayName"]
    for i in range(n):
        ident = 10000 + i
        with open(os.path.join(images, f"{ident}.jpg"), "wb") as f:
            f.write(rng.randbytes(rng.randint(1536, 3072)))
        kind, colour = rng.choice(kinds), rng.choice(colours)
        rows.append(f"{ident},Women,Apparel,{kind},{colour},Summer,{2011 + i % 8},{colour} {kind} {i}")
    with open(os.path.join(root, "styles.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
