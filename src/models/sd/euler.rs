//! diffusers' `EulerDiscreteScheduler`, configured from the model's own `scheduler_config.json`.
//!
//! Reproduces the reference's numbers: sigmas from the (scaled-)linear beta schedule, the
//! timestep spacing rules, `scale_model_input` and the Euler step (no churn), for epsilon and
//! v-prediction models.

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("scheduler_config.json: {0}")]
    Unsupported(String),
    #[error("scheduler_config.json is not valid: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("need at least 1 inference step and at most {max} (num_train_timesteps)")]
    Steps { max: usize },
}

fn default_spacing() -> String {
    "linspace".into()
}
fn default_prediction() -> String {
    "epsilon".into()
}
fn default_interpolation() -> String {
    "linear".into()
}
fn default_final_sigmas() -> String {
    "zero".into()
}
fn default_schedule() -> String {
    "linear".into()
}

#[derive(Clone, Debug, Deserialize)]
pub struct SchedulerConfig {
    #[serde(rename = "_class_name", default)]
    pub class_name: String,
    pub num_train_timesteps: usize,
    pub beta_start: f64,
    pub beta_end: f64,
    #[serde(default = "default_schedule")]
    pub beta_schedule: String,
    #[serde(default = "default_prediction")]
    pub prediction_type: String,
    #[serde(default = "default_spacing")]
    pub timestep_spacing: String,
    #[serde(default)]
    pub steps_offset: usize,
    #[serde(default = "default_interpolation")]
    pub interpolation_type: String,
    #[serde(default = "default_final_sigmas")]
    pub final_sigmas_type: String,
    #[serde(default)]
    pub use_karras_sigmas: bool,
    #[serde(default)]
    pub use_exponential_sigmas: bool,
    #[serde(default)]
    pub use_beta_sigmas: bool,
    #[serde(default)]
    pub rescale_betas_zero_snr: bool,
    #[serde(default)]
    pub trained_betas: Option<Vec<f64>>,
}

impl SchedulerConfig {
    pub fn from_json(text: &str) -> Result<Self, SchedulerError> {
        let config: Self = serde_json::from_str(text)?;
        let unsupported = |what: String| Err(SchedulerError::Unsupported(what));
        if !config.class_name.is_empty() && config.class_name != "EulerDiscreteScheduler" {
            return unsupported(format!(
                "`{}` is not supported; t2d implements EulerDiscreteScheduler",
                config.class_name
            ));
        }
        if config.use_karras_sigmas || config.use_exponential_sigmas || config.use_beta_sigmas {
            return unsupported("karras/exponential/beta sigmas are not supported".into());
        }
        if config.rescale_betas_zero_snr || config.trained_betas.is_some() {
            return unsupported("rescale_betas_zero_snr and trained_betas are not supported".into());
        }
        if config.interpolation_type != "linear" {
            return unsupported(format!(
                "interpolation_type `{}` is not supported (only linear)",
                config.interpolation_type
            ));
        }
        if !matches!(config.beta_schedule.as_str(), "linear" | "scaled_linear") {
            return unsupported(format!("beta_schedule `{}` is not supported", config.beta_schedule));
        }
        if !matches!(config.prediction_type.as_str(), "epsilon" | "v_prediction") {
            return unsupported(format!("prediction_type `{}` is not supported", config.prediction_type));
        }
        if !matches!(config.timestep_spacing.as_str(), "linspace" | "leading" | "trailing") {
            return unsupported(format!("timestep_spacing `{}` is not supported", config.timestep_spacing));
        }
        if !matches!(config.final_sigmas_type.as_str(), "zero" | "sigma_min") {
            return unsupported(format!("final_sigmas_type `{}` is not supported", config.final_sigmas_type));
        }
        Ok(config)
    }
}

#[derive(Clone, Debug)]
pub struct EulerDiscrete {
    /// The model's timestep input per step.
    pub timesteps: Vec<f32>,
    /// One more than the steps: the last is the final sigma.
    pub sigmas: Vec<f32>,
    v_prediction: bool,
    init_noise_sigma: f32,
}

impl EulerDiscrete {
    pub fn new(config: &SchedulerConfig, steps: usize) -> Result<Self, SchedulerError> {
        let n = config.num_train_timesteps;
        if steps == 0 || steps > n {
            return Err(SchedulerError::Steps { max: n });
        }
        let betas: Vec<f64> = (0..n)
            .map(|i| {
                let t = if n == 1 { 0.0 } else { i as f64 / (n - 1) as f64 };
                match config.beta_schedule.as_str() {
                    "scaled_linear" => {
                        let (a, b) = (config.beta_start.sqrt(), config.beta_end.sqrt());
                        (a + (b - a) * t).powi(2)
                    }
                    _ => config.beta_start + (config.beta_end - config.beta_start) * t,
                }
            })
            .collect();
        let mut cumulative = 1.0f64;
        let train_sigmas: Vec<f64> = betas
            .iter()
            .map(|beta| {
                cumulative *= 1.0 - beta;
                ((1.0 - cumulative) / cumulative).sqrt()
            })
            .collect();

        let timesteps: Vec<f64> = match config.timestep_spacing.as_str() {
            "linspace" => (0..steps)
                .map(|i| if steps == 1 { 0.0 } else { (n - 1) as f64 * i as f64 / (steps - 1) as f64 })
                .rev()
                .collect(),
            "leading" => {
                let ratio = n / steps;
                (0..steps).map(|i| (i * ratio + config.steps_offset) as f64).rev().collect()
            }
            _ => {
                let ratio = n as f64 / steps as f64;
                (0..steps).map(|i| python_round(n as f64 - i as f64 * ratio) - 1.0).collect()
            }
        };
        let mut sigmas: Vec<f32> = timesteps.iter().map(|t| interpolate(&train_sigmas, *t) as f32).collect();
        let last = match config.final_sigmas_type.as_str() {
            "sigma_min" => train_sigmas[0] as f32,
            _ => 0.0,
        };
        sigmas.push(last);
        let max = sigmas.iter().copied().fold(0.0f32, f32::max);
        let init_noise_sigma = if matches!(config.timestep_spacing.as_str(), "linspace" | "trailing") {
            max
        } else {
            (max * max + 1.0).sqrt()
        };
        Ok(Self {
            timesteps: timesteps.iter().map(|t| *t as f32).collect(),
            sigmas,
            v_prediction: config.prediction_type == "v_prediction",
            init_noise_sigma,
        })
    }

    /// Initial noise is scaled by this.
    pub fn init_noise_sigma(&self) -> f32 {
        self.init_noise_sigma
    }

    /// `sample / sqrt(sigma² + 1)`: the UNet's input at step `i`.
    pub fn scale_model_input(&self, sample: &[f32], i: usize) -> Vec<f32> {
        let mut scaled = vec![0.0; sample.len()];
        self.scale_model_input_into(sample, i, &mut scaled);
        scaled
    }

    /// [`Self::scale_model_input`] into a buffer the caller reuses across steps.
    pub fn scale_model_input_into(&self, sample: &[f32], i: usize, out: &mut [f32]) {
        let sigma = self.sigmas[i];
        let scale = (sigma * sigma + 1.0).sqrt();
        for (y, x) in out.iter_mut().zip(sample) {
            *y = x / scale;
        }
    }

    /// One Euler step from `sample` at step `i` given the model's output.
    pub fn step(&self, model_output: &[f32], i: usize, sample: &mut [f32]) {
        let sigma = self.sigmas[i];
        let dt = self.sigmas[i + 1] - sigma;
        for (x, out) in sample.iter_mut().zip(model_output) {
            let denoised = if self.v_prediction {
                out * (-sigma / (sigma * sigma + 1.0).sqrt()) + *x / (sigma * sigma + 1.0)
            } else {
                *x - sigma * out
            };
            let derivative = (*x - denoised) / sigma;
            *x += derivative * dt;
        }
    }
}

/// numpy's `interp` at `t` over the points `(0, 1, 2, …) → values`.
fn interpolate(values: &[f64], t: f64) -> f64 {
    let last = values.len() - 1;
    if t <= 0.0 {
        return values[0];
    }
    if t >= last as f64 {
        return values[last];
    }
    let lo = t.floor() as usize;
    let frac = t - lo as f64;
    values[lo] + (values[lo + 1] - values[lo]) * frac
}

/// Python's round: halves to even.
fn python_round(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sd_turbo() -> SchedulerConfig {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/models/sd-turbo-tiny/scheduler_config.json"))
                .unwrap();
        SchedulerConfig::from_json(&text).unwrap()
    }

    #[test]
    fn sd_turbo_timesteps_and_sigmas() {
        let s = EulerDiscrete::new(&sd_turbo(), 4).unwrap();
        assert_eq!(s.timesteps, [999.0, 749.0, 499.0, 249.0]);
        let expected = [14.614647f32, 4.081_731, 1.612_887, 0.693_205_4, 0.0];
        for (a, b) in s.sigmas.iter().zip(expected) {
            assert!((a - b).abs() <= 1e-5 * b.max(1.0), "{:?}", s.sigmas);
        }
        assert!((s.init_noise_sigma() - 14.614647).abs() < 1e-4);
        assert_eq!(EulerDiscrete::new(&sd_turbo(), 1).unwrap().timesteps, [999.0]);
    }

    #[test]
    fn other_spacings_follow_diffusers() {
        let mut c = sd_turbo();
        c.timestep_spacing = "leading".into();
        assert_eq!(EulerDiscrete::new(&c, 4).unwrap().timesteps, [751.0, 501.0, 251.0, 1.0]);
        c.timestep_spacing = "linspace".into();
        assert_eq!(EulerDiscrete::new(&c, 4).unwrap().timesteps, [999.0, 666.0, 333.0, 0.0]);
    }

    #[test]
    fn unsupported_configs_are_named() {
        let err = SchedulerConfig::from_json(
            r#"{"_class_name": "DDIMScheduler", "num_train_timesteps": 1000, "beta_start": 0.1, "beta_end": 0.2}"#,
        );
        assert!(err.unwrap_err().to_string().contains("DDIMScheduler"));
    }

    #[test]
    fn euler_step_matches_the_reference_steps() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sd/");
        let read = |rel: &str| -> Vec<f32> {
            std::fs::read(format!("{root}{rel}"))
                .unwrap()
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        };
        let s = EulerDiscrete::new(&sd_turbo(), 4).unwrap();
        // The golden stores the unit-variance noise; the pipeline scales it by init_noise_sigma.
        let mut latents: Vec<f32> =
            read("steps4_guidance0/initial_latents.bin").iter().map(|x| x * s.init_noise_sigma()).collect();
        let unet_in = s.scale_model_input(&latents, 0);
        let golden_in = read("steps4_guidance0/step0_unet_sample.bin");
        let worst = unet_in.iter().zip(&golden_in).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(worst < 1e-4, "UNet input differs by {worst}");
        for i in 0..4 {
            let noise = read(&format!("steps4_guidance0/step{i}_noise_pred.bin"));
            s.step(&noise, i, &mut latents);
            let golden = read(&format!("steps4_guidance0/step{i}_latents.bin"));
            let worst = latents.iter().zip(&golden).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
            assert!(worst < 1e-4, "step {i}: max diff {worst}");
            if i + 1 < 4 {
                let next = s.scale_model_input(&latents, i + 1);
                let golden = read(&format!("steps4_guidance0/step{}_unet_sample.bin", i + 1));
                let worst = next.iter().zip(&golden).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
                assert!(worst < 1e-4, "step {} input: max diff {worst}", i + 1);
            }
        }
    }
}
