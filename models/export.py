"""Export t2d's models to ONNX, or build tiny random-weight stand-ins and golden fixtures.

    python models/export.py clip --out models/clip-vit-b32 --int8  # real openai/clip-vit-base-patch32 (+ int8 image tower)
    python models/export.py sd-turbo --out models/sd-turbo --fp16  # real stabilityai/sd-turbo (+ fp16 copies)
    python models/export.py all --tiny --golden                    # tiny models + tests/fixtures goldens
    python models/export.py all --full-random                      # full-size random weights (benchmarks)

Every mode goes through the same export functions; each ONNX file is checked against torch with
onnxruntime after export. See models/README.md for the folder layout, manifest and I/O signatures.
"""

import argparse
import dataclasses
import gzip
import json
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

CLIP_HUB_ID = "openai/clip-vit-base-patch32"
SD_TURBO_HUB_ID = "stabilityai/sd-turbo"
OUT_NAMES = {  # default output folder under models/, per model and mode
    "clip": {"real": "clip-vit-b32", "tiny": "clip-tiny", "full-random": "clip-full-random"},
    "sd-turbo": {"real": "sd-turbo", "tiny": "sd-turbo-tiny", "full-random": "sd-turbo-full-random"},
}

OPSET = 17
SEED = 0
MAX_LENGTH = 77
VOCAB_SIZE = 49408
BOS_ID, EOS_ID = 49406, 49407
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
VAE_SCALING_FACTOR = 0.18215
EXTERNAL_DATA_BYTES = 1_800_000_000  # protobuf cannot hold 2 GiB; larger weights go to <file>.data

# stabilityai/sd-turbo scheduler/scheduler_config.json (EulerDiscreteScheduler). Keys not listed take
# diffusers' defaults, which are also sd-turbo's: timestep_type "discrete", final_sigmas_type "zero",
# rescale_betas_zero_snr false, use_exponential_sigmas/use_beta_sigmas false.
SD_TURBO_SCHEDULER = {
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "beta_start": 0.00085,
    "clip_sample": False,
    "interpolation_type": "linear",
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "sample_max_value": 1.0,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
    "timestep_spacing": "trailing",
    "trained_betas": None,
    "use_karras_sigmas": False,
}


# --------------------------------------------------------------------------------------------
# Model configs for the random-weight modes
# --------------------------------------------------------------------------------------------

def clip_config(full):
    """CLIPConfig: ViT-B/32 sizes when `full`, else a tiny model with the real vocab and 224px input."""
    from transformers import CLIPConfig

    if full:
        text = dict(hidden_size=512, intermediate_size=2048, num_hidden_layers=12, num_attention_heads=8)
        vision = dict(hidden_size=768, intermediate_size=3072, num_hidden_layers=12, num_attention_heads=12)
        projection_dim = 512
    else:
        text = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4)
        vision = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4)
        projection_dim = 16
    text.update(vocab_size=VOCAB_SIZE, max_position_embeddings=MAX_LENGTH, hidden_act="quick_gelu",
                bos_token_id=BOS_ID, eos_token_id=EOS_ID, pad_token_id=EOS_ID)
    vision.update(image_size=224, patch_size=32, num_channels=3, hidden_act="quick_gelu")
    return CLIPConfig(text_config=text, vision_config=vision, projection_dim=projection_dim)


def sd_text_config(full):
    """CLIPTextConfig of SD-Turbo's text encoder (OpenCLIP ViT-H/14 text tower, 23 layers) or a tiny one."""
    from transformers import CLIPTextConfig

    if full:
        size = dict(hidden_size=1024, intermediate_size=4096, num_hidden_layers=23, num_attention_heads=16)
    else:
        size = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4)
    return CLIPTextConfig(vocab_size=VOCAB_SIZE, max_position_embeddings=MAX_LENGTH, hidden_act="gelu",
                          projection_dim=512, bos_token_id=BOS_ID, eos_token_id=EOS_ID, pad_token_id=0, **size)


def sd_unet_config(full, text_hidden):
    """UNet2DConditionModel kwargs: SD 2.1-base / SD-Turbo layout, or a 2-level tiny one."""
    if full:
        return dict(
            sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
            block_out_channels=(320, 640, 1280, 1280), attention_head_dim=(5, 10, 20, 20),
            down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
            up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3,
            cross_attention_dim=text_hidden, use_linear_projection=True, norm_num_groups=32,
        )
    return dict(
        sample_size=8, in_channels=4, out_channels=4, layers_per_block=1,
        block_out_channels=(16, 32), attention_head_dim=8,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=text_hidden, use_linear_projection=True, norm_num_groups=8,
    )


def sd_vae_config(full):
    """AutoencoderKL kwargs. Four levels in both sizes so the decoder upsamples 8x like the real VAE."""
    channels, groups, layers = ((128, 256, 512, 512), 32, 2) if full else ((16, 16, 32, 32), 8, 1)
    return dict(
        in_channels=3, out_channels=3, latent_channels=4, block_out_channels=channels,
        layers_per_block=layers, norm_num_groups=groups, sample_size=512 if full else 64,
        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
        scaling_factor=VAE_SCALING_FACTOR,
    )


def clip_bpe_tokenizer(pad_token):
    """transformers CLIPTokenizer built from open_clip's bundled BPE file, as SimpleTokenizer reads it.

    The vocab is the 256 byte symbols, the same with "</w>", one token per merge, then
    <|startoftext|> (49406) and <|endoftext|> (49407): the vocab of every OpenAI-CLIP-derived tokenizer.
    """
    from open_clip.tokenizer import bytes_to_unicode, default_bpe
    from transformers import CLIPTokenizer

    merges = gzip.open(default_bpe()).read().decode("utf-8").split("\n")[1 : 49152 - 256 - 2 + 1]
    symbols = list(bytes_to_unicode().values())
    tokens = symbols + [s + "</w>" for s in symbols] + ["".join(m.split()) for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    vocab = {t: i for i, t in enumerate(tokens)}
    assert len(vocab) == VOCAB_SIZE and vocab["<|endoftext|>"] == EOS_ID
    return CLIPTokenizer(vocab=vocab, merges=[tuple(m.split()) for m in merges],
                         pad_token=pad_token, model_max_length=MAX_LENGTH)


# --------------------------------------------------------------------------------------------
# Loading: real weights from the hub, or random weights from the configs above
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class ClipParts:
    model: "torch.nn.Module"
    tokenizer: object
    source: str


@dataclasses.dataclass
class SdParts:
    text_encoder: "torch.nn.Module"
    unet: "torch.nn.Module"
    vae: "torch.nn.Module"
    tokenizer: object
    scheduler: object
    source: str


def load_clip(mode):
    from transformers import CLIPModel, CLIPTokenizer

    if mode == "real":
        model = CLIPModel.from_pretrained(CLIP_HUB_ID)
        return ClipParts(model.eval(), CLIPTokenizer.from_pretrained(CLIP_HUB_ID), CLIP_HUB_ID)
    torch.manual_seed(SEED)
    model = CLIPModel(clip_config(full=mode == "full-random"))
    return ClipParts(model.eval(), clip_bpe_tokenizer("<|endoftext|>"), f"random weights, seed {SEED}")


def load_sd_turbo(mode):
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel

    if mode == "real":
        pipe = StableDiffusionPipeline.from_pretrained(SD_TURBO_HUB_ID, safety_checker=None)
        return SdParts(pipe.text_encoder.eval(), pipe.unet.eval(), pipe.vae.eval(), pipe.tokenizer,
                       pipe.scheduler, SD_TURBO_HUB_ID)
    full = mode == "full-random"
    torch.manual_seed(SEED)
    text_encoder = CLIPTextModel(sd_text_config(full))
    unet = UNet2DConditionModel(**sd_unet_config(full, text_encoder.config.hidden_size))
    vae = AutoencoderKL(**sd_vae_config(full))
    return SdParts(text_encoder.eval(), unet.eval(), vae.eval(), clip_bpe_tokenizer("!"),
                   EulerDiscreteScheduler.from_config(SD_TURBO_SCHEDULER), f"random weights, seed {SEED}")


# --------------------------------------------------------------------------------------------
# ONNX wrappers and signatures
# --------------------------------------------------------------------------------------------

class ClipVision(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        return self.model.get_image_features(pixel_values=pixel_values).pooler_output


class ClipText(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        return self.model.get_text_features(input_ids=input_ids).pooler_output


class SdTextEncoder(torch.nn.Module):
    def __init__(self, text_encoder):
        super().__init__()
        self.text_encoder = text_encoder

    def forward(self, input_ids):
        return self.text_encoder(input_ids=input_ids).last_hidden_state


class SdUnet(torch.nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]


class SdVaeDecoder(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample, return_dict=False)[0]


@dataclasses.dataclass
class TensorSpec:
    name: str
    shape: list  # ints, or names of dynamic axes ("batch", "height", "width")
    dtype: str  # "float32" | "int64"
    low: float = 0.0  # example values: uniform [low, high) for float32 when high > low, else N(0, 1)
    high: float = 0.0

    def example(self, dims, gen):
        shape = [dims[d] if isinstance(d, str) else d for d in self.shape]
        if self.dtype == "int64":  # token ids: random tokens, then <|endoftext|> in the last column
            ids = torch.randint(0, BOS_ID, shape, generator=gen)
            ids[..., -1] = EOS_ID
            return ids
        if self.high > self.low:
            return self.low + (self.high - self.low) * torch.rand(shape, generator=gen)
        return torch.randn(shape, generator=gen)

    def manifest(self):
        return {"name": self.name, "dtype": self.dtype, "shape": self.shape}


@dataclasses.dataclass
class OnnxSpec:
    role: str
    module: torch.nn.Module
    inputs: list
    outputs: list
    export_dims: dict = dataclasses.field(default_factory=dict)  # example sizes used for tracing
    check_dims: dict = dataclasses.field(default_factory=dict)  # different sizes, to prove the axes are dynamic

    def io_manifest(self):
        return {"inputs": [t.manifest() for t in self.inputs], "outputs": [t.manifest() for t in self.outputs]}


def clip_specs(model):
    size = model.config.vision_config.image_size
    dim = model.config.projection_dim
    dims = dict(export_dims={"batch": 1}, check_dims={"batch": 3})
    return [
        OnnxSpec("vision", ClipVision(model), [TensorSpec("pixel_values", ["batch", 3, size, size], "float32")],
                 [TensorSpec("image_embeds", ["batch", dim], "float32")], **dims),
        OnnxSpec("text", ClipText(model), [TensorSpec("input_ids", ["batch", MAX_LENGTH], "int64")],
                 [TensorSpec("text_embeds", ["batch", dim], "float32")], **dims),
    ]


def sd_specs(parts):
    hidden = parts.text_encoder.config.hidden_size
    channels = parts.unet.config.in_channels
    factor = 2 ** (len(parts.unet.config.block_out_channels) - 1)  # latent sides must be multiples of this
    latent = ["batch", channels, "height", "width"]
    return [
        OnnxSpec("text_encoder", SdTextEncoder(parts.text_encoder),
                 [TensorSpec("input_ids", ["batch", MAX_LENGTH], "int64")],
                 [TensorSpec("last_hidden_state", ["batch", MAX_LENGTH, hidden], "float32")],
                 {"batch": 1}, {"batch": 3}),
        OnnxSpec("unet", SdUnet(parts.unet),
                 [TensorSpec("sample", latent, "float32"),
                  TensorSpec("timestep", [1], "float32", low=0.0, high=1000.0),
                  TensorSpec("encoder_hidden_states", ["batch", MAX_LENGTH, hidden], "float32")],
                 [TensorSpec("out_sample", latent, "float32")],
                 {"batch": 1, "height": 2 * factor, "width": 2 * factor},
                 {"batch": 2, "height": 3 * factor, "width": 2 * factor}),
        OnnxSpec("vae_decoder", SdVaeDecoder(parts.vae),
                 [TensorSpec("latent_sample", ["batch", parts.vae.config.latent_channels, "height", "width"],
                             "float32")],
                 [TensorSpec("sample", ["batch", 3, "8*height", "8*width"], "float32")],
                 {"batch": 1, "height": 8, "width": 8}, {"batch": 2, "height": 6, "width": 5}),
    ]


# --------------------------------------------------------------------------------------------
# Export and verification
# --------------------------------------------------------------------------------------------

def example_inputs(spec, dims, seed):
    gen = torch.Generator().manual_seed(seed)
    return tuple(t.example(dims, gen) for t in spec.inputs)


def save_onnx(model, path):
    """One file, or `<name>.onnx` + `<name>.onnx.data` when the weights exceed protobuf's 2 GiB limit."""
    external = sum(len(t.raw_data) for t in model.graph.initializer) > EXTERNAL_DATA_BYTES
    data = path.with_name(path.name + ".data")
    data.unlink(missing_ok=True)
    onnx.save_model(model, path, save_as_external_data=external, all_tensors_to_one_file=True,
                    location=data.name)
    onnx.checker.check_model(str(path))


def export_onnx(spec, path):
    """torch.onnx.export (TorchScript exporter, opset 17) with the spec's dynamic axes."""
    args = example_inputs(spec, spec.export_dims, SEED)
    dynamic_axes = {t.name: {i: d for i, d in enumerate(t.shape) if isinstance(d, str)}
                    for t in spec.inputs + spec.outputs}
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        tmp_path = Path(tmp) / "model.onnx"
        torch.onnx.export(spec.module, args, str(tmp_path), dynamo=False, opset_version=OPSET,
                          input_names=[t.name for t in spec.inputs],
                          output_names=[t.name for t in spec.outputs], dynamic_axes=dynamic_axes)
        save_onnx(onnx.load(tmp_path), path)


def convert_fp16(path, path16):
    """fp16 copy of an exported model with onnxruntime's converter; inputs and outputs stay float32."""
    from onnx.external_data_helper import load_external_data_for_model
    from onnxruntime.transformers.float16 import convert_float_to_float16
    from onnxruntime.transformers.onnx_model import OnnxModel

    with tempfile.TemporaryDirectory() as tmp:
        inferred = Path(tmp) / "inferred.onnx"  # shape inference by path works past 2 GiB
        onnx.shape_inference.infer_shapes_path(str(path), str(inferred))
        model = onnx.load(inferred, load_external_data=False)
    load_external_data_for_model(model, str(path.parent))
    half = OnnxModel(convert_float_to_float16(model, keep_io_types=True, disable_shape_infer=True))
    half.topological_sort()  # the converter appends its input casts at the end of the graph
    save_onnx(half.model, path16)


def quantize_int8(path, path8):
    """int8 copy of an exported model: onnxruntime's dynamic quantisation of the MatMul weights
    (signed, per tensor; per channel runs at half the speed on CPU), activations quantised on the
    fly; inputs and outputs stay float32."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quantize_dynamic(str(path), str(path8), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"])


def run_onnx(path, inputs):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {i.name: x for i, x in zip(session.get_inputs(), inputs)})


def verify_onnx(spec, path):
    """Max |onnxruntime - torch| and the lowest cosine similarity between the two sides' output
    rows, on fresh random inputs at `check_dims`, after checking the signature."""
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    actual = [(i.name, i.type) for i in session.get_inputs()] + [(o.name, o.type) for o in session.get_outputs()]
    declared = [(t.name, f"tensor({'float' if t.dtype == 'float32' else t.dtype})") for t in spec.inputs + spec.outputs]
    assert actual == declared, f"{path.name}: ONNX signature {actual} != {declared}"
    args = example_inputs(spec, spec.check_dims, SEED + 1)
    with torch.no_grad():
        expected = spec.module(*args).numpy()
    got = session.run(None, {t.name: a.numpy() for t, a in zip(spec.inputs, args)})[0]
    assert got.shape == expected.shape, f"{path.name}: shape {got.shape} != {expected.shape}"
    a, b = got.reshape(len(got), -1), expected.reshape(len(expected), -1)
    cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return float(np.abs(got - expected).max()), float(cos.min())


def export_all(specs, out, fp16, other_files, int8_roles=()):
    """Export every spec to `<role>.onnx` (and `<role>.fp16.onnx`, and `<role>.int8.onnx` for the
    roles in `int8_roles`); return the manifest entries "files" (plus `other_files`), "fp16_files"
    (if `fp16`), "int8_files" (if any), "external_data" (if any) and "io"."""
    files, fp16_files, int8_files = {}, {}, {}
    for spec in specs:
        path = out / f"{spec.role}.onnx"
        export_onnx(spec, path)
        files[spec.role] = path.name
        print(f"  {path.name}: max |onnxruntime - torch| = {verify_onnx(spec, path)[0]:.3g}")
        if fp16:
            path16 = out / f"{spec.role}.fp16.onnx"
            convert_fp16(path, path16)
            fp16_files[spec.role] = path16.name
            print(f"  {path16.name}: max |onnxruntime fp16 - torch fp32| = {verify_onnx(spec, path16)[0]:.3g}")
        if spec.role in int8_roles:
            path8 = out / f"{spec.role}.int8.onnx"
            quantize_int8(path, path8)
            int8_files[spec.role] = path8.name
            max_abs, cos = verify_onnx(spec, path8)
            print(f"  {path8.name}: max |onnxruntime int8 - torch fp32| = {max_abs:.3g}, lowest cosine {cos:.5f}")
    onnx_files = [*files.values(), *fp16_files.values(), *int8_files.values()]
    external = {f: f + ".data" for f in onnx_files if (out / (f + ".data")).exists()}
    return {
        "files": {**files, **other_files},
        **({"fp16_files": fp16_files} if fp16 else {}),
        **({"int8_files": int8_files} if int8_files else {}),
        **({"external_data": external} if external else {}),
        "io": {spec.role: spec.io_manifest() for spec in specs},
    }


def save_tokenizer(tokenizer, out):
    """tokenizer.json (minified, the file the Rust side loads) and tokenizer_config.json (pad token,
    max length; lets transformers reload the folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer.save_pretrained(tmp)
        data = json.loads((Path(tmp) / "tokenizer.json").read_text(encoding="utf-8"))
        shutil.copy(Path(tmp) / "tokenizer_config.json", out / "tokenizer_config.json")
    (out / "tokenizer.json").write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                                        encoding="utf-8")


def token_manifest(tokenizer):
    assert tokenizer.model_max_length == MAX_LENGTH
    return {"max_length": MAX_LENGTH, "pad_id": tokenizer.pad_token_id,
            "bos_id": tokenizer.bos_token_id, "eos_id": tokenizer.eos_token_id}


def write_manifest(out, manifest):
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def export_clip(parts, out, fp16, int8):
    """`int8`: also the int8 copy of the image tower (the part whose throughput matters: every
    catalogue photo goes through it; the text tower sees a few hundred tags)."""
    print(f"CLIP ({parts.source}) -> {out}")
    out.mkdir(parents=True, exist_ok=True)
    save_tokenizer(parts.tokenizer, out)
    entries = export_all(clip_specs(parts.model), out, fp16, {"tokenizer": "tokenizer.json"},
                         int8_roles=("vision",) if int8 else ())
    config = parts.model.config
    write_manifest(out, {
        "format_version": 1,
        "name": out.name,
        "architecture": "clip",
        "source": parts.source,
        "dtype": "float32",
        **entries,
        "embedding_dim": config.projection_dim,
        "embeddings_normalized": False,
        "image_size": config.vision_config.image_size,
        "mean": list(CLIP_MEAN),
        "std": list(CLIP_STD),
        **token_manifest(parts.tokenizer),
    })


def export_sd_turbo(parts, out, fp16):
    print(f"SD-Turbo ({parts.source}) -> {out}")
    out.mkdir(parents=True, exist_ok=True)
    save_tokenizer(parts.tokenizer, out)
    with tempfile.TemporaryDirectory() as tmp:
        parts.scheduler.save_config(tmp)
        shutil.copy(Path(tmp) / "scheduler_config.json", out / "scheduler_config.json")
    entries = export_all(sd_specs(parts), out, fp16,
                              {"tokenizer": "tokenizer.json", "scheduler_config": "scheduler_config.json"})
    unet, vae = parts.unet.config, parts.vae.config
    vae_scale_factor = 2 ** (len(vae.block_out_channels) - 1)
    write_manifest(out, {
        "format_version": 1,
        "name": out.name,
        "architecture": "sd-turbo",
        "source": parts.source,
        "dtype": "float32",
        **entries,
        **token_manifest(parts.tokenizer),
        "text_hidden_size": parts.text_encoder.config.hidden_size,
        "latent_channels": vae.latent_channels,
        "vae_scaling_factor": vae.scaling_factor,
        "vae_scale_factor": vae_scale_factor,
        "latent_multiple": 2 ** (len(unet.block_out_channels) - 1),
        "default_image_size": unet.sample_size * vae_scale_factor,
        "scheduler": type(parts.scheduler).__name__,
        "prediction_type": parts.scheduler.config.prediction_type,
    })


# --------------------------------------------------------------------------------------------
# Golden fixtures (computed by transformers / diffusers, not onnxruntime)
# --------------------------------------------------------------------------------------------

STYLE_TAGS = ["streetwear", "minimalist", "bohemian", "vintage", "formal", "casual",
              "sporty", "elegant", "grunge", "preppy", "retro", "chic", "y2k",
              "avant-garde", "classic", "smart casual", "business casual"]
GARMENT_TAGS = ["dress", "blazer", "jacket", "t-shirt", "shirt", "jeans", "trousers",
                "skirt", "sneakers", "heels", "boots", "hoodie", "sweater", "coat",
                "handbag", "scarf", "sunglasses"]
TEXTURE_TAGS = ["denim", "leather", "silk", "satin", "linen", "wool", "knit", "cotton",
                "velvet", "lace", "sequin", "mesh", "pleated"]
ADJ = ["clean", "sleek", "tailored", "oversized", "fitted", "flowy",
       "layered", "structured", "monochrome", "patterned", "bold", "subtle"]
SD_PROMPT = ("chic, vintage blazer, handbag in white, black, pleated texture, sleek, bold, "
             "fashion design sheet, clean studio background")


def seed_prompt(styles, garments, colors, texture, adjectives):
    """The seed notebook's prompt template."""
    return (f"{', '.join(styles)} {', '.join(garments)} in {', '.join(colors)}, {texture} texture, "
            f"{', '.join(adjectives)}, fashion design sheet, clean studio background")


def tokenizer_texts():
    prompts = [
        SD_PROMPT,
        seed_prompt(["chic", "bohemian"], ["dress", "t-shirt"], ["white", "beige"], "linen", ["flowy", "subtle"]),
        seed_prompt(["smart casual", "preppy"], ["t-shirt", "shirt"], ["white", "blue"], "cotton", ["fitted", "clean"]),
        seed_prompt(["streetwear", "smart casual"], ["t-shirt", "shirt"], ["white", "black"], "denim",
                    ["oversized", "bold"]),
        seed_prompt(["casual"], ["outfit"], ["neutral tones"], "fabric", ["layered", "monochrome"]),
    ]
    refined = [
        prompts[1] + ", refined details",
        prompts[2] + ", white emphasis, refined t-shirt tailoring, high fashion editorial lighting",
        prompts[3] + ", black emphasis, refined t-shirt tailoring, sharp textile detail",
    ]
    edge = [
        "", " ", "   \t\n  ", "!!!", "...", "a!!b", "!", "?!?!", "hello...world", "Hello,  World!",
        "  leading and trailing  ", "tabs\tand\nnewlines", "UPPER lower MiXeD", "y2k 2024 1999s",
        "t-shirt/jeans & co.", "it's a dress, isn't it?", "café crème", "cafe\u0301 (decomposed)",
        "über-chic", "日本語のドレス", "😀 emoji 👗👠", "naïve façade", "smart-casual, business-casual",
        "<b>bold</b>", "it’s curly", "fish &amp; chips",
        " ".join(GARMENT_TAGS * 3),
        ", ".join(STYLE_TAGS + TEXTURE_TAGS + ADJ),
    ]
    return STYLE_TAGS + GARMENT_TAGS + TEXTURE_TAGS + ADJ + prompts + refined + edge


# Where open_clip's SimpleTokenizer (ftfy + html.unescape) and transformers' CLIPTokenizer differ.
OPENCLIP_KNOWN_DIFFS = {"it’s curly": "ftfy uncurls the quote", "fish &amp; chips": "html.unescape"}


def token_ids(tokenizer, texts):
    return tokenizer(texts, padding="max_length", max_length=MAX_LENGTH, truncation=True).input_ids


def write_tokenizer_golden(clip_dir, sd_dir):
    from open_clip.tokenizer import SimpleTokenizer
    from transformers import CLIPTokenizer

    texts = tokenizer_texts()
    clip_ids = token_ids(CLIPTokenizer.from_pretrained(clip_dir), texts)
    sd_ids = token_ids(CLIPTokenizer.from_pretrained(sd_dir), texts)
    reference = SimpleTokenizer()(texts).tolist()
    matched = 0
    for text, ours, theirs in zip(texts, clip_ids, reference):
        end = theirs.index(EOS_ID) + 1  # open_clip pads with 0 after <|endoftext|>, CLIP with 49407
        theirs = theirs[:end] + [EOS_ID] * (MAX_LENGTH - end)
        if text in OPENCLIP_KNOWN_DIFFS:
            assert ours != theirs, f"expected a difference for {text!r}"
            print(f"  open_clip differs on {text!r} ({OPENCLIP_KNOWN_DIFFS[text]}), as expected")
        else:
            assert ours == theirs, f"CLIP tokenizer != open_clip SimpleTokenizer for {text!r}"
            matched += 1
    print(f"  CLIP tokenizer == open_clip SimpleTokenizer on {matched}/{len(texts)} texts")
    out = FIXTURES / "tokenizer"
    out.mkdir(parents=True, exist_ok=True)
    cases = [{"text": t, "clip": c, "sd": s} for t, c, s in zip(texts, clip_ids, sd_ids)]
    (out / "tokens.json").write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"  {len(cases)} texts -> {(out / 'tokens.json').relative_to(REPO)}")


def open_and_preprocess(path, size=224):
    """The seed notebook's open_and_preprocess, then CLIP's /255 and mean/std normalisation, as CHW."""
    img = Image.open(path).convert("RGB")
    w, h = img.size
    scale = size / min(w, h)
    img = img.resize((int(round(w * scale)), int(round(h * scale))), Image.BICUBIC)
    w, h = img.size
    left, top = (w - size) // 2, (h - size) // 2
    img = img.crop((left, top, left + size, top + size))
    x = np.asarray(img, dtype=np.float32) / np.float32(255.0)
    x = (x - np.array(CLIP_MEAN, dtype=np.float32)) / np.array(CLIP_STD, dtype=np.float32)
    return x.transpose(2, 0, 1)


def draw_test_images(folder):
    """Small PNGs covering portrait/landscape/odd sizes, a downscale, grayscale and RGBA."""
    folder.mkdir(parents=True, exist_ok=True)
    y, x = np.mgrid[0:80, 0:60]
    rows = np.arange(96)[:, None, None]
    cols = np.arange(97)[None, :, None]
    images = {
        "red_60x80.png": np.full((80, 60, 3), [220, 20, 60]),
        "white_80x60.png": np.full((60, 80, 3), 245),
        "hstripes_64x96.png": np.where(rows // 8 % 2 == 1, [30, 144, 255], [10, 10, 10]) + np.zeros((1, 64, 1)),
        "vstripes_97x61.png": (cols * 37 % 256) * [1, 0, 1] + [0, 120, 0] + np.zeros((61, 1, 1)),
        "gradient_60x80.png": np.stack([x * 4, y * 3, 255 - y * 3], -1),
        "checker_300x250.png": (np.indices((250, 300)) // 10).sum(0)[..., None] % 2 * 200 + 30 + np.zeros((1, 1, 3)),
        "gray_70x90.png": np.mgrid[0:90, 0:70][1] * 3.6,  # 2-D: mode "L"
        "rgba_60x80.png": np.stack([y * 3, 255 - x * 4, x * 2, (x + y) * 2], -1),  # 4 channels: "RGBA"
    }
    for name, pixels in images.items():
        Image.fromarray(pixels.astype(np.uint8)).save(folder / name)
    return sorted(images)


def l2_normalise(x):
    return x / x.norm(dim=-1, keepdim=True)


def write_clip_golden(parts, clip_dir):
    from transformers import CLIPTokenizer

    out = FIXTURES / "clip"
    names = draw_test_images(out / "images")
    pixels = np.stack([open_and_preprocess(out / "images" / n) for n in names])
    texts = ["vintage", "blazer", "pleated", "smart casual", "avant-garde", "", "a!!b", "café 日本語 😀",
             SD_PROMPT, " ".join(GARMENT_TAGS * 3)]
    ids = token_ids(CLIPTokenizer.from_pretrained(clip_dir), texts)
    with torch.no_grad():
        image_embeds = l2_normalise(parts.model.get_image_features(pixel_values=torch.from_numpy(pixels)).pooler_output)
        text_embeds = l2_normalise(parts.model.get_text_features(input_ids=torch.tensor(ids)).pooler_output)
    # one image per call, as t2d runs the int8 copy: dynamic quantisation scales each call's
    # activations as a whole, so in a batch an image's embedding would depend on its batch-mates
    int8_embeds = l2_normalise(torch.from_numpy(np.concatenate(
        [run_onnx(clip_dir / "vision.int8.onnx", [pixels[i:i + 1]])[0] for i in range(len(pixels))])))
    golden = {
        "model_dir": "models/clip-tiny",
        "embedding_dim": image_embeds.shape[1],
        "images": [{"file": f"images/{n}", "embedding": e.tolist()} for n, e in zip(names, image_embeds)],
        # onnxruntime (Python) on vision.int8.onnx: what the Rust side must reproduce with precision int8
        "images_int8": [{"file": f"images/{n}", "embedding": e.tolist()} for n, e in zip(names, int8_embeds)],
        "texts": [{"text": t, "input_ids": i, "embedding": e.tolist()} for t, i, e in zip(texts, ids, text_embeds)],
    }
    (out / "embeddings.json").write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    onnx_images = l2_normalise(torch.from_numpy(run_onnx(clip_dir / "vision.onnx", [pixels])[0]))
    onnx_texts = l2_normalise(torch.from_numpy(run_onnx(clip_dir / "text.onnx", [np.array(ids)])[0]))
    print(f"  {len(names)} images, {len(texts)} texts -> {(out / 'embeddings.json').relative_to(REPO)}; "
          f"onnxruntime replay: images {float((onnx_images - image_embeds).abs().max()):.3g}, "
          f"texts {float((onnx_texts - text_embeds).abs().max()):.3g}; int8 images: lowest cosine to fp32 "
          f"{float((int8_embeds * image_embeds).sum(1).min()):.5f}")


def write_sd_golden(parts, sd_dir):
    from diffusers import EulerDiscreteScheduler, StableDiffusionPipeline
    from transformers import CLIPTokenizer

    out = FIXTURES / "sd"  # the cases and index.json only: make_scheduler_goldens.py's files stay
    out.mkdir(parents=True, exist_ok=True)
    pipe = StableDiffusionPipeline(
        vae=parts.vae, text_encoder=parts.text_encoder, tokenizer=CLIPTokenizer.from_pretrained(sd_dir),
        unet=parts.unet, scheduler=EulerDiscreteScheduler.from_pretrained(sd_dir),
        safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    height, width = 64, 48
    latent_shape = (1, parts.unet.config.in_channels, height // pipe.vae_scale_factor, width // pipe.vae_scale_factor)
    initial = np.random.default_rng(SEED).standard_normal(latent_shape, dtype=np.float32)

    def store(case, name, array):
        array = np.ascontiguousarray(array, dtype="<f4")
        (out / case / f"{name}.bin").write_bytes(array.tobytes())
        return {"file": f"{case}/{name}.bin", "shape": list(array.shape)}

    cases = []
    for steps, guidance in [(1, 0.0), (4, 0.0), (1, 2.0)]:
        case = f"steps{steps}_guidance{guidance:g}"
        shutil.rmtree(out / case, ignore_errors=True)
        (out / case).mkdir()
        calls, after_step, decoded = [], [], []

        def record_unet(module, args, kwargs, output):
            calls.append((args[0].clone(), float(args[1]), kwargs["encoder_hidden_states"].clone(), output[0].clone()))

        def record_step(pipeline, i, t, tensors):
            after_step.append(tensors["latents"].clone())
            return tensors

        hooks = [pipe.unet.register_forward_hook(record_unet, with_kwargs=True),
                 pipe.vae.decoder.register_forward_hook(lambda module, args, output: decoded.append(output.clone()))]
        with torch.no_grad():
            result = pipe(SD_PROMPT, height=height, width=width, num_inference_steps=steps,
                          guidance_scale=guidance, latents=torch.from_numpy(initial), output_type="np",
                          callback_on_step_end=record_step)
            prompt_embeds, negative_embeds = pipe.encode_prompt(SD_PROMPT, "cpu", 1, guidance > 1.0)
        for hook in hooks:
            hook.remove()
        conditioning = prompt_embeds if negative_embeds is None else torch.cat([negative_embeds, prompt_embeds])
        assert all(torch.equal(ehs, conditioning) for _, _, ehs, _ in calls)
        scheduler = pipe.scheduler
        record = {
            "name": case, "prompt": SD_PROMPT, "negative_prompt": "" if guidance > 1.0 else None,
            "height": height, "width": width, "num_inference_steps": steps, "guidance_scale": guidance,
            "init_noise_sigma": float(scheduler.init_noise_sigma),
            "timesteps": scheduler.timesteps.tolist(), "sigmas": scheduler.sigmas.tolist(),
            "prompt_ids": token_ids(pipe.tokenizer, [SD_PROMPT])[0],
            "initial_latents": store(case, "initial_latents", initial),
            "prompt_embeds": store(case, "prompt_embeds", prompt_embeds),
        }
        if negative_embeds is not None:
            record["negative_prompt_ids"] = token_ids(pipe.tokenizer, [""])[0]
            record["negative_prompt_embeds"] = store(case, "negative_prompt_embeds", negative_embeds)
        record["steps"] = [
            {"timestep": t, "unet_sample": store(case, f"step{i}_unet_sample", sample),
             "noise_pred": store(case, f"step{i}_noise_pred", noise), "latents": store(case, f"step{i}_latents", lat)}
            for i, ((sample, t, _, noise), lat) in enumerate(zip(calls, after_step))
        ]
        record["final_latents"] = store(case, "final_latents", after_step[-1])
        record["decoded"] = store(case, "decoded", decoded[0])
        record["image"] = store(case, "image", result.images)
        cases.append(record)
        replay = replay_sd_with_onnx(sd_dir, record, out)
        print(f"  {case}: timesteps {record['timesteps']}, onnxruntime replay: "
              f"latents {replay[0]:.3g}, image {replay[1]:.3g}")
    index = {"model_dir": "models/sd-turbo-tiny", "dtype": "float32", "byte_order": "little", "cases": cases}
    (out / "index.json").write_text(json.dumps(index, indent=1) + "\n")


def replay_sd_with_onnx(sd_dir, case, out):
    """Rerun a golden case with the ONNX files and plain Euler math (what the Rust side implements);
    return max |diff| of the final latents and the image."""
    load = lambda ref: np.fromfile(out / ref["file"], dtype="<f4").reshape(ref["shape"])
    manifest = json.loads((sd_dir / "manifest.json").read_text())
    embeds = load(case["prompt_embeds"])
    cfg = case["guidance_scale"] > 1.0
    if cfg:
        embeds = np.concatenate([load(case["negative_prompt_embeds"]), embeds])
    sigmas = case["sigmas"]
    latents = load(case["initial_latents"]) * np.float32(case["init_noise_sigma"])
    for i, t in enumerate(case["timesteps"]):
        sample = latents / np.float32((sigmas[i] ** 2 + 1) ** 0.5)
        if cfg:
            sample = np.concatenate([sample, sample])
        noise = run_onnx(sd_dir / "unet.onnx", [sample, np.array([t], np.float32), embeds])[0]
        if cfg:
            noise = noise[:1] + np.float32(case["guidance_scale"]) * (noise[1:] - noise[:1])
        latents = latents + noise * np.float32(sigmas[i + 1] - sigmas[i])
    decoded = run_onnx(sd_dir / "vae_decoder.onnx", [latents / np.float32(manifest["vae_scaling_factor"])])[0]
    image = np.clip(decoded / 2 + 0.5, 0, 1).transpose(0, 2, 3, 1)
    return (float(np.abs(latents - load(case["final_latents"])).max()),
            float(np.abs(image - load(case["image"])).max()))


# --------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", choices=["clip", "sd-turbo", "all"])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--tiny", action="store_true", help="tiny random-weight models (tests)")
    mode.add_argument("--full-random", action="store_true", help="full-size random-weight models (benchmarks)")
    parser.add_argument("--golden", action="store_true", help="with `all --tiny`: also write tests/fixtures")
    parser.add_argument("--fp16", action="store_true", help="also write <role>.fp16.onnx (fp16 weights, fp32 I/O)")
    parser.add_argument("--int8", action="store_true",
                        help="CLIP: also write vision.int8.onnx (int8 weights, fp32 I/O; always on with --tiny)")
    parser.add_argument("--out", type=Path, help="output folder (single model only)")
    args = parser.parse_args()
    if args.golden and not (args.tiny and args.model == "all"):
        parser.error("--golden needs `all --tiny`")
    if args.out and args.model == "all":
        parser.error("--out needs a single model")
    kind = "tiny" if args.tiny else "full-random" if args.full_random else "real"

    models = ["clip", "sd-turbo"] if args.model == "all" else [args.model]
    folders = {m: (args.out or REPO / "models" / OUT_NAMES[m][kind]).resolve() for m in models}
    parts = {}
    if "clip" in models:
        parts["clip"] = load_clip(kind)
        export_clip(parts["clip"], folders["clip"], args.fp16, args.int8 or args.tiny)
    if "sd-turbo" in models:
        parts["sd-turbo"] = load_sd_turbo(kind)
        export_sd_turbo(parts["sd-turbo"], folders["sd-turbo"], args.fp16)
    if args.golden:
        print(f"golden fixtures -> {FIXTURES.relative_to(REPO)}")
        write_tokenizer_golden(folders["clip"], folders["sd-turbo"])
        write_clip_golden(parts["clip"], folders["clip"])
        write_sd_golden(parts["sd-turbo"], folders["sd-turbo"])


if __name__ == "__main__":
    main()
