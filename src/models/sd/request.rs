//! What one generation is asked to do: the prompts, the image size, the schedule and where the
//! initial noise comes from.

/// Where the initial latent noise (unit variance, before the scheduler scales it) comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum InitialNoise {
    /// Drawn with [`seeded_noise`](super::noise::seeded_noise): reproducible, but not torch's stream.
    Seed(u64),
    /// Given, `[1, channels, height/8, width/8]` in C order: e.g. a torch run's, to reproduce it.
    Latents(Vec<f32>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct GenerateRequest {
    pub prompt: String,
    /// Used only with classifier-free guidance (`guidance > 1`); diffusers' default is "".
    pub negative_prompt: String,
    pub width: usize,
    pub height: usize,
    pub steps: usize,
    /// Classifier-free guidance scale; at 1 or below a single conditional pass (SD-Turbo: 0).
    pub guidance: f32,
    pub noise: InitialNoise,
}

impl GenerateRequest {
    /// The seed notebook's `generate_one`: 384 wide × 512 high, 4 steps, guidance 0, seed 42.
    pub fn new(prompt: impl Into<String>) -> Self {
        GenerateRequest {
            prompt: prompt.into(),
            negative_prompt: String::new(),
            width: 384,
            height: 512,
            steps: 4,
            guidance: 0.0,
            noise: InitialNoise::Seed(42),
        }
    }

    pub fn negative_prompt(mut self, text: impl Into<String>) -> Self {
        self.negative_prompt = text.into();
        self
    }

    pub fn size(mut self, width: usize, height: usize) -> Self {
        (self.width, self.height) = (width, height);
        self
    }

    pub fn steps(mut self, steps: usize) -> Self {
        self.steps = steps;
        self
    }

    pub fn guidance(mut self, guidance: f32) -> Self {
        self.guidance = guidance;
        self
    }

    pub fn seed(mut self, seed: u64) -> Self {
        self.noise = InitialNoise::Seed(seed);
        self
    }

    pub fn latents(mut self, latents: Vec<f32>) -> Self {
        self.noise = InitialNoise::Latents(latents);
        self
    }

    /// Whether this request runs classifier-free guidance (diffusers: `guidance_scale > 1`).
    pub fn uses_guidance(&self) -> bool {
        self.guidance > 1.0
    }
}
