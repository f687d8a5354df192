//! SD-Turbo text-to-image, step for step as diffusers' `StableDiffusionPipeline.__call__`:
//! prompt → embeddings (with `[negative, prompt]` for classifier-free guidance), noise scaled by
//! the scheduler, per step `scale_model_input` → UNet → guidance → Euler step, then the VAE
//! decode and diffusers' post-processing. Checked stage by stage in tests/sd_parity.rs.

use std::time::Instant;

use super::error::SdError;
use super::euler::{EulerDiscrete, SchedulerConfig};
use super::generated::{Generated, Timings};
use super::latent_shape::LatentShape;
use super::noise::seeded_noise;
use super::postprocess::{to_rgb8, to_unit_hwc};
use super::request::{GenerateRequest, InitialNoise};
use super::text_encoder::TextEncoder;
use super::unet::Unet;
use super::vae::{LatentDecoder, VaeDecoder};
use crate::models::device::Device;
use crate::models::error::ModelError;
use crate::models::manifest::{ModelFolder, SdParams};
use crate::models::precision::Precision;
use crate::models::runtime::Runtime;
use crate::models::tokenizer::ClipTokenizer;
use crate::models::weights::open_weights;

pub struct SdTurbo {
    folder: ModelFolder,
    params: SdParams,
    scheduler: SchedulerConfig,
    device: Device,
    precision: Precision,
    text_encoder: TextEncoder,
    unet: Unet,
    decoder: Box<dyn LatentDecoder>,
}

/// What a generation has computed so far, handed to [`SdTurbo::generate_with`]'s callback.
#[derive(Clone, Copy, Debug)]
pub enum Progress<'a> {
    /// `[batch, tokens, hidden]`: `[negative, prompt]` with guidance, else `[prompt]`.
    PromptEmbeds { embeds: &'a [f32], batch: usize },
    /// Step `index` of `steps` is done. `unet_input` and `unet_output` are the UNet's batch
    /// (`[uncond, cond]` with guidance); `latents` are the scheduler's result.
    Step {
        index: usize,
        steps: usize,
        timestep: f32,
        unet_input: &'a [f32],
        unet_output: &'a [f32],
        latents: &'a [f32],
    },
    /// The decoder's raw `[1, 3, height, width]` output, before post-processing.
    Decoded { raw: &'a [f32] },
}

impl SdTurbo {
    /// Checks the folder (architecture, scheduler_config.json) and opens the three ONNX sessions
    /// on `device` (`threads`: intra-op threads, 0 = ONNX Runtime's default). Sessions are shared
    /// per process: loading the folder again reuses them.
    pub fn load(folder: &ModelFolder, device: Device, threads: usize, precision: Precision) -> Result<Self, SdError> {
        folder.expect_architecture("sd-turbo")?;
        let params: SdParams = folder.params()?;
        let scheduler = read_scheduler(folder, &params)?;
        let device = Runtime::get()?.resolve(device)?;
        let open = |role: &str| open_weights(folder, role, precision, device, threads);
        let tokenizer = ClipTokenizer::load(folder)?;
        let context = [tokenizer.max_length(), params.text_hidden_size];
        let [text_input] = input_names(folder, "text_encoder")?;
        let text_encoder = TextEncoder::new(tokenizer, open("text_encoder")?, text_input, params.text_hidden_size);
        let unet = Unet::new(open("unet")?, input_names(folder, "unet")?, context);
        let [vae_input] = input_names(folder, "vae_decoder")?;
        let decoder =
            VaeDecoder::new(open("vae_decoder")?, vae_input, params.vae_scaling_factor, params.vae_scale_factor);
        tracing::debug!(folder = %folder.dir().display(), %device, %precision, threads, "SD-Turbo loaded");
        Ok(SdTurbo {
            folder: folder.clone(),
            params,
            scheduler,
            device,
            precision,
            text_encoder,
            unet,
            decoder: Box::new(decoder),
        })
    }

    /// Decodes latents with `decoder` instead of the whole-image VAE run.
    pub fn with_decoder(mut self, decoder: impl LatentDecoder + 'static) -> Self {
        self.decoder = Box::new(decoder);
        self
    }

    pub fn generate(&self, request: &GenerateRequest) -> Result<Generated, SdError> {
        self.generate_with(request, |_| {})
    }

    /// [`Self::generate`], calling `on_progress` after the text encoder, each step and the decode.
    pub fn generate_with(
        &self,
        request: &GenerateRequest,
        mut on_progress: impl FnMut(Progress<'_>),
    ) -> Result<Generated, SdError> {
        let started = Instant::now();
        let shape = self.latent_shape(request.width, request.height)?;
        if !request.guidance.is_finite() {
            return Err(SdError::Guidance(request.guidance));
        }
        let scheduler = EulerDiscrete::new(&self.scheduler, request.steps)
            .map_err(|source| SdError::Steps { steps: request.steps, source })?;
        let mut latents = match &request.noise {
            InitialNoise::Seed(seed) => seeded_noise(*seed, shape.len()),
            InitialNoise::Latents(given) if given.len() == shape.len() => given.clone(),
            InitialNoise::Latents(given) => {
                return Err(SdError::NoiseLength {
                    got: given.len(),
                    expected: shape.len(),
                    width: request.width,
                    height: request.height,
                    shape: shape.dims(1),
                })
            }
        };

        let guided = request.uses_guidance();
        let batch = if guided { 2 } else { 1 };
        let clock = Instant::now();
        let texts = if guided { vec![&*request.negative_prompt, &*request.prompt] } else { vec![&*request.prompt] };
        let embeds = self.text_encoder.encode(&texts)?;
        let text_encoder = clock.elapsed();
        on_progress(Progress::PromptEmbeds { embeds: &embeds, batch });

        let sigma = scheduler.init_noise_sigma();
        latents.iter_mut().for_each(|x| *x *= sigma);
        let n = shape.len();
        // Buffers reused by every step; the latents are updated in place.
        let mut unet_input = vec![0.0f32; batch * n];
        let mut guided_noise = if guided { vec![0.0f32; n] } else { Vec::new() };
        let mut unet_steps = Vec::with_capacity(request.steps);
        for (i, &timestep) in scheduler.timesteps.iter().enumerate() {
            for copy in unet_input.chunks_exact_mut(n) {
                scheduler.scale_model_input_into(&latents, i, copy);
            }
            let clock = Instant::now();
            let unet_output = self.unet.predict(&unet_input, shape, batch, timestep, &embeds)?;
            unet_steps.push(clock.elapsed());
            if guided {
                guide(&unet_output, request.guidance, &mut guided_noise);
            }
            let noise = if guided { &guided_noise } else { &unet_output };
            scheduler.step(noise, i, &mut latents);
            on_progress(Progress::Step {
                index: i,
                steps: request.steps,
                timestep,
                unet_input: &unet_input,
                unet_output: &unet_output,
                latents: &latents,
            });
        }

        let clock = Instant::now();
        let raw = self.decoder.decode(&latents, shape)?;
        let vae_decode = clock.elapsed();
        if raw.len() != 3 * request.width * request.height {
            return Err(ModelError::Input(format!(
                "the latent decoder returned {} values for a {}×{} RGB image",
                raw.len(),
                request.width,
                request.height
            ))
            .into());
        }
        on_progress(Progress::Decoded { raw: &raw });
        let image = to_unit_hwc(&raw, request.height, request.width);
        let rgb = to_rgb8(&image);
        let timings = Timings { text_encoder, unet_steps, vae_decode, total: started.elapsed() };
        tracing::debug!(?timings, width = request.width, height = request.height, "SD-Turbo image generated");
        Ok(Generated { width: request.width, height: request.height, image, rgb, timings })
    }

    /// The latents of a `width × height` image, or why this model cannot make it.
    pub fn latent_shape(&self, width: usize, height: usize) -> Result<LatentShape, SdError> {
        LatentShape::for_image(&self.params, width, height)
    }

    /// Image sides must be multiples of this (`vae_scale_factor × latent_multiple`).
    pub fn size_multiple(&self) -> usize {
        self.params.vae_scale_factor * self.params.latent_multiple
    }

    pub fn params(&self) -> &SdParams {
        &self.params
    }

    pub fn folder(&self) -> &ModelFolder {
        &self.folder
    }

    /// Where the sessions run: `Cpu` or `Cuda(n)`.
    pub fn device(&self) -> Device {
        self.device
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }
}

/// Classifier-free guidance on the `[uncond, cond]` output: `uncond + g · (cond − uncond)`.
fn guide(output: &[f32], guidance: f32, noise: &mut [f32]) {
    let (uncond, cond) = output.split_at(noise.len());
    for ((n, u), c) in noise.iter_mut().zip(uncond).zip(cond) {
        *n = u + guidance * (c - u);
    }
}

/// The folder's scheduler_config.json, which must agree with the manifest's prediction type.
fn read_scheduler(folder: &ModelFolder, params: &SdParams) -> Result<SchedulerConfig, SdError> {
    let path = folder.file("scheduler_config")?;
    let text = std::fs::read_to_string(&path).map_err(|source| SdError::Read { path: path.clone(), source })?;
    let config = SchedulerConfig::from_json(&text).map_err(|source| SdError::SchedulerConfig {
        path: path.clone(),
        source,
        fix: folder.fix(),
    })?;
    if config.prediction_type != params.prediction_type {
        return Err(ModelError::Manifest {
            path: folder.dir().join("manifest.json"),
            message: format!(
                "prediction_type is `{}` but {} says `{}`",
                params.prediction_type,
                path.display(),
                config.prediction_type
            ),
            fix: folder.fix(),
        }
        .into());
    }
    Ok(config)
}

/// The `N` input names the manifest declares for `role`, in order.
fn input_names<const N: usize>(folder: &ModelFolder, role: &str) -> Result<[String; N], SdError> {
    let names: Vec<String> = folder.signature(role)?.inputs.iter().map(|spec| spec.name.clone()).collect();
    names.try_into().map_err(|names: Vec<String>| {
        ModelError::Manifest {
            path: folder.dir().join("manifest.json"),
            message: format!("io.{role} has {} inputs ({}), SD-Turbo's has {N}", names.len(), names.join(", ")),
            fix: folder.fix(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::guide;

    #[test]
    fn guidance_moves_from_uncond_towards_cond() {
        let mut noise = [0.0; 2];
        guide(&[1.0, -1.0, 3.0, 1.0], 2.0, &mut noise);
        assert_eq!(noise, [5.0, 3.0]);
    }
}
