"""The Python side of bench/models.sh: CLIP image embeddings of the first N images in DIR.

    python bench/embed_ref.py torch DIR N             the seed's path: PIL + transformers CLIPModel
                                                      (full-size ViT-B/32, random weights), torch CPU
    python bench/embed_ref.py ort DIR N MODEL_DIR     PIL + onnxruntime on MODEL_DIR's vision.onnx
    python bench/embed_ref.py ort-int8 DIR N MODEL_DIR  the same on its vision.int8.onnx, plus the
                                                      cosine of its embeddings to vision.onnx's

Batches of 32 (unreadable images skipped), preprocessed with bench/pil_preprocess.py (the seed's open_and_preprocess).
Prints one JSON line: images, seconds (end to end), images_per_s, model_seconds (inference
calls only) and model_images_per_s.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pil_preprocess import batches, files  # noqa: E402

BATCH = 32


def torch_model():
    import torch

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "models"))
    from export import clip_config
    from transformers import CLIPModel

    torch.manual_seed(0)
    model = CLIPModel(clip_config(full=True)).eval()

    def encode(x):
        with torch.inference_mode():
            out = model.get_image_features(pixel_values=torch.from_numpy(x))
            out = getattr(out, "pooler_output", out)  # transformers 5 returns an output object
            return out.numpy()

    return encode, f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def ort_model(folder, files="files"):
    """`files="int8_files"`: one image per call, as t2d runs it (dynamic quantisation scales a
    call's activations as a whole, so batched embeddings would depend on their batch-mates)."""
    import onnxruntime as ort

    manifest = json.loads((Path(folder) / "manifest.json").read_text())
    session = ort.InferenceSession(str(Path(folder) / manifest[files]["vision"]),
                                   providers=["CPUExecutionProvider"])
    step = 1 if files == "int8_files" else BATCH

    def encode(x):
        return np.concatenate([session.run(None, {"pixel_values": x[i:i + step]})[0] for i in range(0, len(x), step)])

    return encode, f"onnxruntime {ort.__version__}"


def normalised(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def int8_cosines(paths, folder, encode_int8, n=256):
    """Lowest and mean cosine between the int8 and the fp32 copy's embeddings of the first n images."""
    encode_fp32, _ = ort_model(folder)
    cos = np.concatenate([(normalised(encode_int8(x)) * normalised(encode_fp32(x))).sum(1)
                          for x in batches(paths[:n], BATCH)])
    return {"int8_cosine_min": round(float(cos.min()), 5), "int8_cosine_mean": round(float(cos.mean()), 5)}


if __name__ == "__main__":
    which, folder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if which == "torch":
        encode, runtime = torch_model()
    else:
        encode, runtime = ort_model(sys.argv[4], "int8_files" if which == "ort-int8" else "files")
    paths = files(folder)[:n]
    encode(next(batches(paths[:BATCH], BATCH)))  # warm-up, as t2d's session is made before timing too
    start = time.perf_counter()
    model_seconds = 0.0
    dim = images = 0
    for x in batches(paths, BATCH):
        t = time.perf_counter()
        dim = encode(x).shape[1]
        model_seconds += time.perf_counter() - t
        images += len(x)
    seconds = time.perf_counter() - start
    accuracy = int8_cosines(paths, sys.argv[4], encode) if which == "ort-int8" else {}
    print(json.dumps({**accuracy, "images": images, "seconds": round(seconds, 3),
                      "images_per_s": round(images / seconds, 2), "model_seconds": round(model_seconds, 3),
                      "model_images_per_s": round(images / model_seconds, 2), "dim": int(dim),
                      "runtime": runtime}))
