//! SD-Turbo through ONNX Runtime: scheduler, text encoder, UNet, VAE decoder.

pub mod euler;
