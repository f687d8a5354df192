//! ONNX model wrappers: the runtime, CLIP and SD-Turbo. Know nothing of the engine.

pub mod sd;
