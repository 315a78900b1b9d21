//! Seeded photos of certqr cards, degraded the way phone photos of real cards are.
//!
//! Each photo shows a real certificate: a sample certificate of one of the five families
//! ([`certqr_core::samples::certificate`]) signed with Ed25519 or SM2 by a key derived
//! from the seed, drawn with [`certqr_render::encode`] at error-correction level
//! Q on an ID-1 card (85.6 x 54 mm, a photo box and lines of text beside the code), lying
//! on a textured table. A pinhole camera looks at the card; the picture is sampled 3 x 3
//! per pixel over the code, then lit, blurred, given sensor noise and saved as a JPEG.
//!
//! Two scenes:
//! - [`Scene::CloseUp`]: a 1280 x 960 photo, the code printed 25 mm wide, the camera as
//!   close as the level's module size (pixels per module) needs;
//! - [`Scene::ArmsLength`]: a 12 MP photo (4032 x 3024, 69 degrees across) of a card
//!   whose code is printed 15 mm wide, from the level's distance: a small code in a
//!   large frame. One photo in five is of this scene.
//!
//! Photos are organised by level, 0 (clean) to 5 (where decoders give up). At a level,
//! each parameter is drawn uniformly from that level's range, which starts where the
//! previous level's ended, so every level is harder than the one before in every way:
//!
//! | level | tilt | in-plane rotation | close-up px/module | arm's length distance (px/module) | blur σ (modules) | noise σ (grey levels) | JPEG quality | light fall-off | glare | ink / paper grey | occlusion (share of the Q budget) |
//! |---|---|---|---|---|---|---|---|---|---|---|---|
//! | 0 | 0° | 0° | 4–6 | 20 cm (3.6–3.9) | 0 | 0 | none (lossless) | 0 | 0 | 20 / 235 | 0 |
//! | 1 | 0–10° | ±10° | 3.5–6 | 20–25 cm (2.9–3.9) | 0–0.1 | 0–2 | 85–95 | 0–15 % | 0 | 20–35 / 225–240 | 0–10 % |
//! | 2 | 10–20° | ±30° | 3–5 | 25–30 cm (2.4–3.1) | 0.1–0.2 | 2–4 | 70–85 | 15–30 % | 0–15 % | 30–50 / 215–235 | 10–20 % |
//! | 3 | 20–30° | any | 2.5–4.5 | 30–35 cm (2.1–2.6) | 0.2–0.3 | 4–7 | 55–70 | 30–45 % | 15–30 % | 40–65 / 200–230 | 20–35 % |
//! | 4 | 30–35° | any | 2.2–4 | 35–45 cm (1.6–2.2) | 0.3–0.4 | 7–10 | 40–55 | 45–60 % | 30–45 % | 55–80 / 190–225 | 35–60 % |
//! | 5 | 35–40° | any | 2–3.5 | 45–60 cm (1.2–1.7) | 0.4–0.5 | 10–14 | 30–40 | 60–75 % | 45–60 % | 70–95 / 180–220 | 60–100 % |
//!
//! - Tilt: the card turned away from the camera about a random axis in its plane
//!   (perspective); rotation: turned in its own plane.
//! - Blur: a Gaussian whose σ is a share of the module's size in the picture (defocus
//!   and motion both scale with the code); the 3 x 3 sampling adds the pixel's own area.
//! - Light fall-off: the light drops linearly across the frame, in a random direction,
//!   to this share below full; glare: a specular spot near the code, adding up to this
//!   share of full white (and clipping there).
//! - Occlusion: one rectangle (aspect 1:2 to 2:1) of ink or of bare paper over the
//!   symbol, away from the three finder patterns, whose area is this share of the
//!   error-correction budget of level Q, taken as 25 % of the symbol's modules. Any
//!   rectangle also breaks codewords along its edges, so 100 % of the budget in area is
//!   more than the code can repair.
//! - Arm's length: 15 mm across a version 10 or 11 symbol is 0.25 mm a module; the
//!   pixels per module given are at the code's centre before tilt.
//!
//! Everything comes from [`SplitMix64`] streams seeded by `(seed, level, index)`, so a
//! photo is the same bytes on every run on a given platform and can be made alone.

use std::f64::consts::PI;

use certqr_core::catalog::Family;
use certqr_core::issue::Issuer;
use certqr_core::keys::{Algorithm, SigningKey};
use certqr_core::samples;
use certqr_render::{self as render, EcLevel, QrSymbol};
use image::{GrayImage, ImageEncoder};

/// The number of degradation levels, 0 to `LEVEL_COUNT - 1`.
pub const LEVEL_COUNT: usize = 6;

/// One photo in this many is of [`Scene::ArmsLength`] (the last of each group).
pub const ARMS_LENGTH_EVERY: usize = 5;

/// The quiet zone around the symbol, in modules (ISO/IEC 18004).
const QUIET_ZONE: f64 = 4.0;
/// An ID-1 card (ISO/IEC 7810), in millimetres.
const CARD_MM: (f64, f64) = (85.6, 54.0);
/// Gap between the right edge of the card and the symbol, in millimetres.
const CODE_RIGHT_MARGIN_MM: f64 = 6.0;
/// Share of a symbol's modules that level Q's error correction repairs.
const Q_BUDGET: f64 = 0.25;
/// Samples per pixel along each axis over the code.
const SUPERSAMPLING: usize = 3;

/// A degradation level: the range each parameter is drawn from (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// Tilt of the card away from the camera, in degrees.
    pub tilt_degrees: (f64, f64),
    /// Largest in-plane rotation either way, in degrees.
    pub rotation_degrees: f64,
    /// Close-up scene: pixels per module at the code's centre.
    pub module_px: (f64, f64),
    /// Arm's-length scene: distance from the camera to the code, in millimetres.
    pub distance_mm: (f64, f64),
    /// Gaussian blur σ, in modules.
    pub blur_modules: (f64, f64),
    /// Sensor noise σ, in grey levels.
    pub noise_sigma: (f64, f64),
    /// JPEG quality; `None` keeps the photo lossless.
    pub jpeg_quality: Option<(u8, u8)>,
    /// Share by which the light falls off across the frame.
    pub light_falloff: (f64, f64),
    /// Strength of the glare spot, as a share of full white.
    pub glare: (f64, f64),
    /// Grey of the ink under full light.
    pub ink: (f64, f64),
    /// Grey of the paper under full light.
    pub paper: (f64, f64),
    /// Area of the occluding rectangle, as a share of level Q's budget.
    pub occlusion_of_budget: (f64, f64),
}

/// The parameters of each level, 0 to 5 (the table in the module docs).
pub const LEVELS: [Level; LEVEL_COUNT] = [
    Level {
        tilt_degrees: (0.0, 0.0),
        rotation_degrees: 0.0,
        module_px: (4.0, 6.0),
        distance_mm: (200.0, 200.0),
        blur_modules: (0.0, 0.0),
        noise_sigma: (0.0, 0.0),
        jpeg_quality: None,
        light_falloff: (0.0, 0.0),
        glare: (0.0, 0.0),
        ink: (20.0, 20.0),
        paper: (235.0, 235.0),
        occlusion_of_budget: (0.0, 0.0),
    },
    Level {
        tilt_degrees: (0.0, 10.0),
        rotation_degrees: 10.0,
        module_px: (3.5, 6.0),
        distance_mm: (200.0, 250.0),
        blur_modules: (0.0, 0.1),
        noise_sigma: (0.0, 2.0),
        jpeg_quality: Some((85, 95)),
        light_falloff: (0.0, 0.15),
        glare: (0.0, 0.0),
        ink: (20.0, 35.0),
        paper: (225.0, 240.0),
        occlusion_of_budget: (0.0, 0.1),
    },
    Level {
        tilt_degrees: (10.0, 20.0),
        rotation_degrees: 30.0,
        module_px: (3.0, 5.0),
        distance_mm: (250.0, 300.0),
        blur_modules: (0.1, 0.2),
        noise_sigma: (2.0, 4.0),
        jpeg_quality: Some((70, 85)),
        light_falloff: (0.15, 0.30),
        glare: (0.0, 0.15),
        ink: (30.0, 50.0),
        paper: (215.0, 235.0),
        occlusion_of_budget: (0.1, 0.2),
    },
    Level {
        tilt_degrees: (20.0, 30.0),
        rotation_degrees: 180.0,
        module_px: (2.5, 4.5),
        distance_mm: (300.0, 350.0),
        blur_modules: (0.2, 0.3),
        noise_sigma: (4.0, 7.0),
        jpeg_quality: Some((55, 70)),
        light_falloff: (0.30, 0.45),
        glare: (0.15, 0.30),
        ink: (40.0, 65.0),
        paper: (200.0, 230.0),
        occlusion_of_budget: (0.2, 0.35),
    },
    Level {
        tilt_degrees: (30.0, 35.0),
        rotation_degrees: 180.0,
        module_px: (2.2, 4.0),
        distance_mm: (350.0, 450.0),
        blur_modules: (0.3, 0.4),
        noise_sigma: (7.0, 10.0),
        jpeg_quality: Some((40, 55)),
        light_falloff: (0.45, 0.60),
        glare: (0.30, 0.45),
        ink: (55.0, 80.0),
        paper: (190.0, 225.0),
        occlusion_of_budget: (0.35, 0.6),
    },
    Level {
        tilt_degrees: (35.0, 40.0),
        rotation_degrees: 180.0,
        module_px: (2.0, 3.5),
        distance_mm: (450.0, 600.0),
        blur_modules: (0.4, 0.5),
        noise_sigma: (10.0, 14.0),
        jpeg_quality: Some((30, 40)),
        light_falloff: (0.60, 0.75),
        glare: (0.45, 0.60),
        ink: (70.0, 95.0),
        paper: (180.0, 220.0),
        occlusion_of_budget: (0.6, 1.0),
    },
];

/// Why a photo could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DegradeError {
    /// The level is not 0 to 5.
    #[error("no degradation level {0}: levels are 0 to {max}", max = LEVEL_COUNT - 1)]
    NoSuchLevel(usize),
    /// The sample certificate could not be made or signed.
    #[error("cannot issue the sample certificate: {0}")]
    Certificate(String),
    /// The QR code could not be drawn.
    #[error("cannot draw the QR code: {0}")]
    Render(#[from] render::RenderError),
    /// The JPEG round trip failed.
    #[error("JPEG round trip failed: {0}")]
    Jpeg(#[from] image::ImageError),
    /// The frame's buffer does not match its size (a bug here, not bad input).
    #[error("frame of {width}x{height} pixels does not match its buffer")]
    FrameSize {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, seedable generator whose
/// output is fixed by its seed. Not for keys.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// A generator for one of several streams from the same seed (one per photo).
    pub fn stream(seed: u64, parts: &[u64]) -> SplitMix64 {
        let mut mixer = SplitMix64::new(seed);
        let mut state = mixer.next_u64();
        for &part in parts {
            mixer = SplitMix64::new(state ^ part.wrapping_mul(0xD6E8_FEB8_6659_FD93));
            state = mixer.next_u64();
        }
        SplitMix64::new(state)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[low, high)` (or exactly `low` when the range is empty).
    pub fn within(&mut self, (low, high): (f64, f64)) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Uniform in `0..count` (`0` when `count` is 0); the bias is below 2^-32 for the
    /// small counts used here.
    pub fn below(&mut self, count: u64) -> u64 {
        self.next_u64().checked_rem(count).unwrap_or(0)
    }

    /// Two independent standard normal values (Box–Muller).
    pub fn gaussian_pair(&mut self) -> (f64, f64) {
        let radius = (-2.0 * (1.0 - self.unit()).ln()).sqrt();
        let angle = 2.0 * PI * self.unit();
        (radius * angle.cos(), radius * angle.sin())
    }

    /// 32 random bytes.
    pub fn bytes32(&mut self) -> [u8; 32] {
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_exact_mut(8) {
            chunk.copy_from_slice(&self.next_u64().to_le_bytes());
        }
        bytes
    }
}

/// Which kind of photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scene {
    /// A 1280 x 960 photo with the code filling a good part of it.
    CloseUp,
    /// A 12 MP photo of a card whose code is printed 15 mm wide, from the level's
    /// distance.
    ArmsLength,
}

impl Scene {
    /// The scene of photo `index` at any level.
    pub fn of_index(index: usize) -> Scene {
        if index % ARMS_LENGTH_EVERY == ARMS_LENGTH_EVERY - 1 {
            Scene::ArmsLength
        } else {
            Scene::CloseUp
        }
    }

    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Scene::CloseUp => "close-up",
            Scene::ArmsLength => "arm's length",
        }
    }
}

/// A rectangle over the symbol, in modules, with the grey it is painted (before light).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Occlusion {
    /// Left edge, in modules from the symbol's left edge.
    pub x: f64,
    /// Top edge, in modules from the symbol's top edge.
    pub y: f64,
    /// Width in modules.
    pub width: f64,
    /// Height in modules.
    pub height: f64,
    /// Grey under full light: ink or bare paper.
    pub grey: f64,
}

/// Everything that decides how one photo looks, drawn from a [`Level`] or set by hand
/// (camera frames).
#[derive(Debug, Clone, PartialEq)]
pub struct Shot {
    /// Frame size in pixels.
    pub frame: (u32, u32),
    /// Focal length in pixels.
    pub focal_px: f64,
    /// Printed width of the symbol (without quiet zone), in millimetres.
    pub code_mm: f64,
    /// Distance from the camera to the code's centre, in millimetres.
    pub distance_mm: f64,
    /// Tilt away from the camera, in degrees.
    pub tilt_degrees: f64,
    /// Direction of the tilt axis in the card's plane, in degrees.
    pub tilt_axis_degrees: f64,
    /// In-plane rotation, in degrees.
    pub rotation_degrees: f64,
    /// Where the code's centre is in the frame, as shares of width and height.
    pub centre: (f64, f64),
    /// Gaussian blur σ in modules.
    pub blur_modules: f64,
    /// Sensor noise σ in grey levels.
    pub noise_sigma: f64,
    /// JPEG quality, or `None` for lossless.
    pub jpeg_quality: Option<u8>,
    /// Share by which the light falls off across the frame.
    pub light_falloff: f64,
    /// Direction of the fall-off, in degrees.
    pub light_direction_degrees: f64,
    /// Glare strength as a share of full white.
    pub glare: f64,
    /// Glare centre, in modules from the symbol's top-left corner.
    pub glare_at: (f64, f64),
    /// Glare radius (σ of the spot), in modules.
    pub glare_radius_modules: f64,
    /// Ink grey under full light.
    pub ink: f64,
    /// Paper grey under full light.
    pub paper: f64,
    /// The occluding rectangle, if any.
    pub occlusion: Option<Occlusion>,
    /// Seed of the table's texture, the card's text lines and the noise.
    pub texture_seed: u64,
}

impl Shot {
    /// Pixels per module at the code's centre, before tilt.
    pub fn module_px(&self, symbol_modules: usize) -> f64 {
        self.focal_px * self.code_mm / symbol_modules.max(1) as f64 / self.distance_mm
    }
}

/// One generated photo.
#[derive(Debug, Clone)]
pub struct DegradedPhoto {
    /// Its level, 0 to 5.
    pub level: usize,
    /// Its index within the level.
    pub index: usize,
    /// Its scene.
    pub scene: Scene,
    /// The QR text the code holds: what a decoder must read.
    pub text: String,
    /// How it was made.
    pub shot: Shot,
    /// The photo, 8-bit grey.
    pub image: GrayImage,
}

/// Photo `index` of `level` for `seed`.
///
/// # Errors
///
/// [`DegradeError::NoSuchLevel`] past level 5; the other variants only if certqr
/// itself fails to issue or draw the certificate.
pub fn generate(seed: u64, level: usize, index: usize) -> Result<DegradedPhoto, DegradeError> {
    let parameters = LEVELS.get(level).ok_or(DegradeError::NoSuchLevel(level))?;
    let mut rng = SplitMix64::stream(seed, &[level as u64, index as u64]);
    let text = sample_text(&mut rng)?;
    let symbol = render::encode(&text, EcLevel::Q)?;
    let scene = Scene::of_index(index);
    let shot = draw_shot(parameters, scene, symbol.width(), &mut rng);
    let image = photograph(&shot, Some(&symbol))?;
    Ok(DegradedPhoto {
        level,
        index,
        scene,
        text,
        shot,
        image,
    })
}

/// A real certificate's QR text: a sample certificate of a random family and start
/// date, signed by a random Ed25519 or SM2 key.
pub fn sample_text(rng: &mut SplitMix64) -> Result<String, DegradeError> {
    let family = Family::ALL
        .get(rng.below(Family::ALL.len() as u64) as usize)
        .copied()
        .unwrap_or(Family::SpecialOperations);
    let algorithm = if rng.below(2) == 0 {
        Algorithm::Ed25519
    } else {
        Algorithm::Sm2
    };
    let key = SigningKey::from_seed(algorithm, &rng.bytes32());
    let valid_from = time::macros::date!(2020 - 01 - 01)
        + time::Duration::days(rng.below(2500).try_into().unwrap_or(0));
    let certificate = samples::certificate(family, valid_from).ok_or_else(|| {
        DegradeError::Certificate(format!("no sample for {family:?} from {valid_from}"))
    })?;
    Issuer::new(key)
        .issue(&certificate)
        .map_err(|error| DegradeError::Certificate(error.to_string()))
}

fn draw_shot(level: &Level, scene: Scene, symbol_modules: usize, rng: &mut SplitMix64) -> Shot {
    let modules = symbol_modules as f64;
    let (frame, focal_px, code_mm, distance_mm, centre_range) = match scene {
        Scene::CloseUp => {
            let code_mm = 25.0;
            let focal_px = 1000.0;
            let module_px = rng.within(level.module_px);
            let distance = focal_px * code_mm / modules / module_px;
            ((1280, 960), focal_px, code_mm, distance, (0.4, 0.6))
        }
        Scene::ArmsLength => {
            // 69 degrees across 4032 pixels: a phone's main camera.
            let focal_px = 2016.0 / (34.5f64).to_radians().tan();
            let distance = rng.within(level.distance_mm);
            ((4032, 3024), focal_px, 15.0, distance, (0.25, 0.75))
        }
    };
    let occlusion_share = rng.within(level.occlusion_of_budget);
    let ink = rng.within(level.ink);
    let paper = rng.within(level.paper);
    let occlusion = (occlusion_share > 0.0)
        .then(|| place_occlusion(occlusion_share, modules, ink, paper, rng))
        .flatten();
    Shot {
        frame,
        focal_px,
        code_mm,
        distance_mm,
        tilt_degrees: rng.within(level.tilt_degrees),
        tilt_axis_degrees: rng.within((0.0, 360.0)),
        rotation_degrees: rng.within((-level.rotation_degrees, level.rotation_degrees)),
        centre: (rng.within(centre_range), rng.within(centre_range)),
        blur_modules: rng.within(level.blur_modules),
        noise_sigma: rng.within(level.noise_sigma),
        jpeg_quality: level.jpeg_quality.map(|(low, high)| {
            let span = u64::from(high.saturating_sub(low)) + 1;
            low.saturating_add(u8::try_from(rng.below(span)).unwrap_or(0))
        }),
        light_falloff: rng.within(level.light_falloff),
        light_direction_degrees: rng.within((0.0, 360.0)),
        glare: rng.within(level.glare),
        glare_at: (rng.within((0.0, modules)), rng.within((0.0, modules))),
        glare_radius_modules: rng.within((0.1 * modules, 0.3 * modules)),
        ink,
        paper,
        occlusion,
        texture_seed: rng.next_u64(),
    }
}

/// A rectangle of `share` of the Q budget in area, clear of the finder patterns and
/// their separators (8 x 8 modules in three corners).
fn place_occlusion(
    share: f64,
    modules: f64,
    ink: f64,
    paper: f64,
    rng: &mut SplitMix64,
) -> Option<Occlusion> {
    let area = share * Q_BUDGET * modules * modules;
    let aspect = rng.within((0.5, 2.0));
    let width = (area * aspect).sqrt().min(modules - 8.0);
    let height = (area / width).min(modules - 8.0);
    let grey = if rng.below(2) == 0 { ink } else { paper };
    let finders = [(0.0, 0.0), (modules - 8.0, 0.0), (0.0, modules - 8.0)];
    for _ in 0..200 {
        let x = rng.within((0.0, modules - width));
        let y = rng.within((0.0, modules - height));
        let overlaps = finders
            .iter()
            .any(|&(fx, fy)| x < fx + 8.0 && fx < x + width && y < fy + 8.0 && fy < y + height);
        if !overlaps {
            return Some(Occlusion {
                x,
                y,
                width,
                height,
                grey,
            });
        }
    }
    None
}

/// A camera preview frame, 1280 x 720 (65 degrees across), of a card held so that its
/// 25 mm code is about 4 pixels a module: tilted 10 degrees, turned 5, slightly blurred,
/// with sensor noise and uneven light and no JPEG (camera frames are raw luma). With
/// `code` `None` the card shows only its photo box and lines of text.
///
/// # Errors
///
/// See [`generate`].
pub fn camera_frame(seed: u64, code: Option<&QrSymbol>) -> Result<GrayImage, DegradeError> {
    let modules = code.map_or(61, QrSymbol::width) as f64;
    let focal_px = 640.0 / (32.5f64).to_radians().tan();
    let module_px = 4.0;
    let shot = Shot {
        frame: (1280, 720),
        focal_px,
        code_mm: 25.0,
        distance_mm: focal_px * 25.0 / modules / module_px,
        tilt_degrees: 10.0,
        tilt_axis_degrees: 30.0,
        rotation_degrees: 5.0,
        centre: (0.55, 0.5),
        blur_modules: 0.1,
        noise_sigma: 3.0,
        jpeg_quality: None,
        light_falloff: 0.2,
        light_direction_degrees: 120.0,
        glare: 0.0,
        glare_at: (0.0, 0.0),
        glare_radius_modules: 1.0,
        ink: 30.0,
        paper: 225.0,
        occlusion: None,
        texture_seed: seed,
    };
    photograph(&shot, code)
}

/// A 3 x 3 matrix, row-major.
type Matrix = [[f64; 3]; 3];

fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    let mut product = [[0.0; 3]; 3];
    for (row, a_row) in product.iter_mut().zip(a) {
        for (column, cell) in row.iter_mut().enumerate() {
            *cell = a_row
                .iter()
                .zip(b)
                .map(|(&left, b_row)| left * b_row.get(column).copied().unwrap_or(0.0))
                .sum();
        }
    }
    product
}

/// Inverse by the adjugate; `None` for a singular matrix.
fn invert(m: &Matrix) -> Option<Matrix> {
    let [[a, b, c], [d, e, f], [g, h, i]] = *m;
    let cofactors = [
        [e * i - f * h, c * h - b * i, b * f - c * e],
        [f * g - d * i, a * i - c * g, c * d - a * f],
        [d * h - e * g, b * g - a * h, a * e - b * d],
    ];
    let determinant = a * cofactors[0][0] + b * cofactors[1][0] + c * cofactors[2][0];
    if determinant.abs() < 1e-12 {
        return None;
    }
    Some(cofactors.map(|row| row.map(|value| value / determinant)))
}

fn apply(m: &Matrix, (x, y): (f64, f64)) -> (f64, f64, f64) {
    let [[a, b, c], [d, e, f], [g, h, i]] = *m;
    (a * x + b * y + c, d * x + e * y + f, g * x + h * y + i)
}

/// Rotation by `angle` (radians) about the unit axis `(ax, ay, 0)` (Rodrigues).
fn rotation_about_in_plane_axis(ax: f64, ay: f64, angle: f64) -> Matrix {
    let (sin, cos) = angle.sin_cos();
    let one = 1.0 - cos;
    [
        [cos + ax * ax * one, ax * ay * one, ay * sin],
        [ax * ay * one, cos + ay * ay * one, -ax * sin],
        [-ay * sin, ax * sin, cos],
    ]
}

/// Where the card is, in millimetres from the symbol's centre (x right, y down), and
/// what is printed on it.
struct Card<'a> {
    symbol: Option<&'a QrSymbol>,
    modules: f64,
    module_mm: f64,
    /// Card rectangle: left, top, right, bottom.
    bounds: (f64, f64, f64, f64),
    ink: f64,
    paper: f64,
    occlusion: Option<Occlusion>,
    /// Photo box and text lines: left, top, right, bottom, grey.
    prints: Vec<(f64, f64, f64, f64, f64)>,
}

impl Card<'_> {
    /// Grey under full light at card point `(x, y)`, `None` off the card.
    fn grey_at(&self, x: f64, y: f64) -> Option<f64> {
        let (left, top, right, bottom) = self.bounds;
        if !(left..right).contains(&x) || !(top..bottom).contains(&y) {
            return None;
        }
        // Modules from the symbol's top-left corner.
        let half = self.modules / 2.0;
        let mx = x / self.module_mm + half;
        let my = y / self.module_mm + half;
        if let Some(occlusion) = &self.occlusion {
            if (occlusion.x..occlusion.x + occlusion.width).contains(&mx)
                && (occlusion.y..occlusion.y + occlusion.height).contains(&my)
            {
                return Some(occlusion.grey);
            }
        }
        if let Some(symbol) = self.symbol {
            if (0.0..self.modules).contains(&mx) && (0.0..self.modules).contains(&my) {
                // In range, so the casts are exact floors.
                let dark = symbol.is_dark(mx as usize, my as usize);
                return Some(if dark { self.ink } else { self.paper });
            }
        }
        let printed = self
            .prints
            .iter()
            .find(|&&(l, t, r, b, _)| (l..r).contains(&x) && (t..b).contains(&y));
        Some(printed.map_or(self.paper, |&(_, _, _, _, grey)| grey))
    }
}

/// A smooth table-top texture: three octaves of value noise.
struct Texture {
    octaves: Vec<(f64, usize, Vec<f32>, f32)>,
}

impl Texture {
    fn new(rng: &mut SplitMix64, width: u32, height: u32) -> Texture {
        let width = f64::from(width);
        let height = f64::from(height);
        let octaves = [(6.0, 45.0f32), (24.0, 22.0), (100.0, 8.0)]
            .into_iter()
            .map(|(cells_across, amplitude)| {
                let spacing = width / cells_across;
                // Whole cells plus the far edge; small (at most 102 x 77).
                let columns = (width / spacing).ceil() as usize + 2;
                let rows = (height / spacing).ceil() as usize + 2;
                let grid = (0..columns * rows)
                    .map(|_| rng.unit() as f32 * 2.0 - 1.0)
                    .collect();
                (spacing, columns, grid, amplitude)
            })
            .collect();
        Texture { octaves }
    }

    fn grey_at(&self, x: f64, y: f64) -> f32 {
        let mut grey = 125.0;
        for (spacing, columns, grid, amplitude) in &self.octaves {
            let (gx, gy) = (x / spacing, y / spacing);
            let (cx, cy) = (gx.floor(), gy.floor());
            let smooth = |t: f64| (t * t * (3.0 - 2.0 * t)) as f32;
            let (tx, ty) = (smooth(gx - cx), smooth(gy - cy));
            let (cx, cy) = (cx.max(0.0) as usize, cy.max(0.0) as usize);
            let at = |col: usize, row: usize| grid.get(row * columns + col).copied().unwrap_or(0.0);
            let top = at(cx, cy) * (1.0 - tx) + at(cx + 1, cy) * tx;
            let bottom = at(cx, cy + 1) * (1.0 - tx) + at(cx + 1, cy + 1) * tx;
            grey += amplitude * (top * (1.0 - ty) + bottom * ty);
        }
        grey
    }
}

/// Take the photo described by `shot`; `symbol` is the code on the card, if any.
///
/// # Errors
///
/// [`DegradeError::Jpeg`] if the JPEG round trip fails.
pub fn photograph(shot: &Shot, symbol: Option<&QrSymbol>) -> Result<GrayImage, DegradeError> {
    let (width, height) = shot.frame;
    let (w, h) = (width as usize, height as usize);
    let modules = symbol.map_or(61, QrSymbol::width) as f64;
    let module_mm = shot.code_mm / modules;
    let mut rng = SplitMix64::new(shot.texture_seed);
    let texture = Texture::new(&mut rng, width, height);
    let card = card_layout(shot, symbol, modules, module_mm, &mut rng);

    // Camera: K [r1 r2 t], mapping card millimetres to pixels; and back.
    let (cx, cy) = (f64::from(width) / 2.0, f64::from(height) / 2.0);
    let f = shot.focal_px;
    let rotation = {
        let (sin, cos) = shot.rotation_degrees.to_radians().sin_cos();
        let spin = [[cos, -sin, 0.0], [sin, cos, 0.0], [0.0, 0.0, 1.0]];
        let axis = shot.tilt_axis_degrees.to_radians();
        let tilt =
            rotation_about_in_plane_axis(axis.cos(), axis.sin(), shot.tilt_degrees.to_radians());
        multiply(&tilt, &spin)
    };
    let z = shot.distance_mm;
    let (u0, v0) = (
        shot.centre.0 * f64::from(width),
        shot.centre.1 * f64::from(height),
    );
    let translation = [z * (u0 - cx) / f, z * (v0 - cy) / f, z];
    let [r0, r1, r2] = rotation;
    let plane = [
        [r0[0], r0[1], translation[0]],
        [r1[0], r1[1], translation[1]],
        [r2[0], r2[1], translation[2]],
    ];
    let camera = [[f, 0.0, cx], [0.0, f, cy], [0.0, 0.0, 1.0]];
    let to_image = multiply(&camera, &plane);
    let to_card = invert(&to_image).unwrap_or([[0.0; 3]; 3]);
    let card_point = |px: f64, py: f64| {
        let (x, y, wz) = apply(&to_card, (px, py));
        // Behind the camera (or at infinity): not on the card.
        (wz > 1e-12).then(|| (x / wz, y / wz))
    };

    // The code and its quiet zone, supersampled; a pixel's margin around them.
    let reach = (modules / 2.0 + QUIET_ZONE + 1.0) * module_mm;
    let corners = [
        (-reach, -reach),
        (reach, -reach),
        (reach, reach),
        (-reach, reach),
    ];
    let projected: Vec<(f64, f64)> = corners
        .iter()
        .map(|&point| {
            let (x, y, wz) = apply(&to_image, point);
            (x / wz.max(1e-9), y / wz.max(1e-9))
        })
        .collect();
    let fine_x = span(projected.iter().map(|p| p.0), width);
    let fine_y = span(projected.iter().map(|p| p.1), height);

    let module_px = shot.module_px(modules as usize);
    let light = Lighting::new(shot, &to_image, module_mm, modules, module_px);
    let mut radiance = vec![0f32; w * h];
    let step = 1.0 / SUPERSAMPLING as f64;
    for (y, row) in radiance.chunks_exact_mut(w.max(1)).enumerate() {
        let fine_row = fine_y.contains(&y);
        for (x, value) in row.iter_mut().enumerate() {
            let (px, py) = (x as f64, y as f64);
            let background = f64::from(texture.grey_at(px, py));
            let grey = if fine_row && fine_x.contains(&x) {
                let mut sum = 0.0;
                for sy in 0..SUPERSAMPLING {
                    for sx in 0..SUPERSAMPLING {
                        let sample_x = px + (sx as f64 + 0.5) * step;
                        let sample_y = py + (sy as f64 + 0.5) * step;
                        sum += card_point(sample_x, sample_y)
                            .and_then(|(cx, cy)| card.grey_at(cx, cy))
                            .unwrap_or(background);
                    }
                }
                sum / (SUPERSAMPLING * SUPERSAMPLING) as f64
            } else {
                card_point(px + 0.5, py + 0.5)
                    .and_then(|(cx, cy)| card.grey_at(cx, cy))
                    .unwrap_or(background)
            };
            *value = light.lit(grey, px + 0.5, py + 0.5) as f32;
        }
    }

    let sigma_px = shot.blur_modules * module_px;
    if sigma_px > 0.05 {
        radiance = gaussian_blur(&radiance, w, h, sigma_px);
    }
    if shot.noise_sigma > 0.0 {
        let sigma = shot.noise_sigma;
        for pair in radiance.chunks_mut(2) {
            let (first, second) = rng.gaussian_pair();
            for (value, noise) in pair.iter_mut().zip([first, second]) {
                *value += (noise * sigma) as f32;
            }
        }
    }
    let pixels: Vec<u8> = radiance
        .iter()
        .map(|&value| value.round().clamp(0.0, 255.0) as u8)
        .collect();
    let image = GrayImage::from_raw(width, height, pixels)
        .ok_or(DegradeError::FrameSize { width, height })?;
    match shot.jpeg_quality {
        None => Ok(image),
        Some(quality) => jpeg_round_trip(&image, quality),
    }
}

/// The range of pixel indices covering `values`, one pixel of margin, within `0..limit`.
fn span(values: impl Iterator<Item = f64>, limit: u32) -> std::ops::Range<usize> {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), v| {
        (low.min(v), high.max(v))
    });
    let limit = f64::from(limit);
    let low = (low - 1.0).clamp(0.0, limit);
    let high = (high + 2.0).clamp(0.0, limit);
    // Clamped to 0..=limit (a u32), so the casts are exact.
    low as usize..high as usize
}

fn card_layout<'a>(
    shot: &Shot,
    symbol: Option<&'a QrSymbol>,
    modules: f64,
    module_mm: f64,
    rng: &mut SplitMix64,
) -> Card<'a> {
    // The symbol sits right of centre with CODE_RIGHT_MARGIN_MM to the card's edge,
    // vertically centred; coordinates are millimetres from the symbol's centre.
    let half_code = shot.code_mm / 2.0;
    let right = half_code + CODE_RIGHT_MARGIN_MM;
    let left = right - CARD_MM.0;
    let (top, bottom) = (-CARD_MM.1 / 2.0, CARD_MM.1 / 2.0);
    let mut prints = vec![
        // Title line across the top, and the holder's photo box.
        (
            left + 5.0,
            top + 3.0,
            right - 5.0,
            top + 7.0,
            shot.ink + 30.0,
        ),
        (left + 5.0, top + 12.0, left + 25.0, top + 38.0, 140.0),
    ];
    let text_right = -half_code - QUIET_ZONE * module_mm - 3.0;
    for line in 0..6 {
        let line_top = top + 12.0 + 6.0 * f64::from(line);
        let length = rng.within((0.4, 1.0)) * (text_right - (left + 29.0));
        prints.push((
            left + 29.0,
            line_top,
            left + 29.0 + length.max(2.0),
            line_top + 2.5,
            shot.ink,
        ));
    }
    Card {
        symbol,
        modules,
        module_mm,
        bounds: (left, top, right, bottom),
        ink: shot.ink,
        paper: shot.paper,
        occlusion: shot.occlusion,
        prints,
    }
}

/// Light over the frame: a linear fall-off and a glare spot near the code.
struct Lighting {
    falloff: f64,
    direction: (f64, f64),
    centre: (f64, f64),
    extent: f64,
    glare: f64,
    glare_at: (f64, f64),
    glare_radius_px: f64,
}

impl Lighting {
    fn new(shot: &Shot, to_image: &Matrix, module_mm: f64, modules: f64, module_px: f64) -> Self {
        let (width, height) = (f64::from(shot.frame.0), f64::from(shot.frame.1));
        let direction = shot.light_direction_degrees.to_radians();
        let half = modules / 2.0;
        let (gx, gy, gw) = apply(
            to_image,
            (
                (shot.glare_at.0 - half) * module_mm,
                (shot.glare_at.1 - half) * module_mm,
            ),
        );
        Lighting {
            falloff: shot.light_falloff,
            direction: (direction.cos(), direction.sin()),
            centre: (width / 2.0, height / 2.0),
            extent: width.hypot(height),
            glare: shot.glare * 255.0,
            glare_at: (gx / gw.max(1e-9), gy / gw.max(1e-9)),
            glare_radius_px: (shot.glare_radius_modules * module_px).max(1.0),
        }
    }

    fn lit(&self, grey: f64, x: f64, y: f64) -> f64 {
        let along = ((x - self.centre.0) * self.direction.0
            + (y - self.centre.1) * self.direction.1)
            / self.extent
            + 0.5;
        let mut value = grey * (1.0 - self.falloff * along.clamp(0.0, 1.0));
        if self.glare > 0.0 {
            let distance2 = (x - self.glare_at.0).powi(2) + (y - self.glare_at.1).powi(2);
            value += self.glare * (-distance2 / (2.0 * self.glare_radius_px.powi(2))).exp();
        }
        value
    }
}

/// Separable Gaussian blur with clamped edges.
fn gaussian_blur(source: &[f32], width: usize, height: usize, sigma: f64) -> Vec<f32> {
    let radius = (3.0 * sigma).ceil().max(1.0) as usize;
    let mut kernel: Vec<f32> = (0..=2 * radius)
        .map(|k| {
            let d = k as f64 - radius as f64;
            (-d * d / (2.0 * sigma * sigma)).exp() as f32
        })
        .collect();
    let total: f32 = kernel.iter().sum();
    kernel.iter_mut().for_each(|weight| *weight /= total);
    let last_column = width.saturating_sub(1);
    let last_row = height.saturating_sub(1);

    let mut across = vec![0f32; source.len()];
    for (source_row, row) in source
        .chunks_exact(width.max(1))
        .zip(across.chunks_exact_mut(width.max(1)))
    {
        for (x, out) in row.iter_mut().enumerate() {
            *out = kernel
                .iter()
                .enumerate()
                .map(|(k, weight)| {
                    let sx = (x + k).saturating_sub(radius).min(last_column);
                    weight * source_row.get(sx).copied().unwrap_or(0.0)
                })
                .sum();
        }
    }
    let mut blurred = vec![0f32; source.len()];
    for (y, row) in blurred.chunks_exact_mut(width.max(1)).enumerate() {
        for (k, &weight) in kernel.iter().enumerate() {
            let sy = (y + k).saturating_sub(radius).min(last_row);
            if let Some(source_row) = across.get(sy * width..(sy + 1) * width) {
                for (out, &value) in row.iter_mut().zip(source_row) {
                    *out += weight * value;
                }
            }
        }
    }
    blurred
}

/// Save as JPEG at `quality` and read it back.
///
/// # Errors
///
/// [`DegradeError::Jpeg`] if either step fails.
pub fn jpeg_round_trip(image: &GrayImage, quality: u8) -> Result<GrayImage, DegradeError> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality).write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        image::ExtendedColorType::L8,
    )?;
    Ok(image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)?.into_luma8())
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use certqr_scan as scan;

    fn reads(photo: &DegradedPhoto) -> bool {
        let image = &photo.image;
        let frame =
            scan::LumaFrame::new(image.as_raw(), image.width(), image.height(), image.width())
                .unwrap();
        scan::scan_frame(&frame, &scan::ScanOptions::photo())
            .unwrap()
            .iter()
            .any(|code| code.text == photo.text)
    }

    #[test]
    fn same_seed_gives_the_same_bytes() {
        for (level, index) in [(3, 0), (5, 2)] {
            let first = generate(7, level, index).unwrap();
            let second = generate(7, level, index).unwrap();
            assert_eq!(first.text, second.text);
            assert_eq!(first.shot, second.shot);
            assert_eq!(first.image.as_raw(), second.image.as_raw());
            // Another seed, another photo.
            let other = generate(8, level, index).unwrap();
            assert_ne!(first.image.as_raw(), other.image.as_raw());
            assert_ne!(first.text, other.text);
        }
    }

    #[test]
    fn texts_are_real_certificates() {
        for index in 0..4 {
            let photo = generate(1, 0, index).unwrap();
            assert!(photo.text.starts_with("CQ1:"), "{}", photo.text);
            assert!(
                (200..=260).contains(&photo.text.len()),
                "{}",
                photo.text.len()
            );
        }
    }

    #[test]
    fn level_zero_photos_all_decode() {
        // Four close-ups and one arm's-length photo (index 4).
        for index in 0..ARMS_LENGTH_EVERY {
            let photo = generate(2026, 0, index).unwrap();
            assert_eq!(photo.scene, Scene::of_index(index));
            assert!(
                reads(&photo),
                "level 0 photo {index} ({:?}) not read",
                photo.scene
            );
        }
    }

    #[test]
    fn scenes_have_their_frame_sizes_and_module_sizes() {
        let close = generate(3, 2, 0).unwrap();
        assert_eq!(close.image.dimensions(), (1280, 960));
        let module_px = close
            .shot
            .module_px(render::encode(&close.text, EcLevel::Q).unwrap().width());
        assert!((3.0..5.0).contains(&module_px), "{module_px}");
        let far = generate(3, 5, 4).unwrap();
        assert_eq!(far.scene, Scene::ArmsLength);
        assert_eq!(far.image.dimensions(), (4032, 3024));
        assert!((450.0..600.0).contains(&far.shot.distance_mm));
        let module_px = far
            .shot
            .module_px(render::encode(&far.text, EcLevel::Q).unwrap().width());
        assert!((1.1..1.8).contains(&module_px), "{module_px}");
    }

    #[test]
    fn levels_grow() {
        for pair in LEVELS.windows(2) {
            let (easier, harder) = (&pair[0], &pair[1]);
            assert!(harder.tilt_degrees.1 > easier.tilt_degrees.1);
            assert!(harder.module_px.1 <= easier.module_px.1);
            assert!(harder.distance_mm.1 > easier.distance_mm.1);
            assert!(harder.blur_modules.1 > easier.blur_modules.1);
            assert!(harder.noise_sigma.1 > easier.noise_sigma.1);
            assert!(harder.occlusion_of_budget.1 > easier.occlusion_of_budget.1);
            assert!(harder.light_falloff.1 > easier.light_falloff.1);
            assert!(harder.ink.1 > easier.ink.1);
        }
        assert_eq!(LEVELS[5].tilt_degrees.1, 40.0);
        assert_eq!(LEVELS[5].jpeg_quality, Some((30, 40)));
        assert_eq!(LEVELS[5].occlusion_of_budget.1, 1.0);
        assert!(matches!(
            generate(1, LEVEL_COUNT, 0),
            Err(DegradeError::NoSuchLevel(6))
        ));
    }

    #[test]
    fn occlusion_keeps_clear_of_finder_patterns_and_has_its_area() {
        let mut rng = SplitMix64::new(5);
        for _ in 0..100 {
            let share = rng.within((0.1, 1.0));
            let rect = place_occlusion(share, 57.0, 20.0, 230.0, &mut rng).unwrap();
            let area = rect.width * rect.height;
            assert!((area - share * 0.25 * 57.0 * 57.0).abs() < 1e-6, "{rect:?}");
            for (fx, fy) in [(0.0, 0.0), (49.0, 0.0), (0.0, 49.0)] {
                let overlaps = rect.x < fx + 8.0
                    && fx < rect.x + rect.width
                    && rect.y < fy + 8.0
                    && fy < rect.y + rect.height;
                assert!(!overlaps, "{rect:?}");
            }
        }
    }

    #[test]
    fn camera_frames_with_and_without_a_code() {
        let text = sample_text(&mut SplitMix64::new(9)).unwrap();
        let symbol = render::encode(&text, EcLevel::Q).unwrap();
        let with = camera_frame(1, Some(&symbol)).unwrap();
        assert_eq!(with.dimensions(), (1280, 720));
        let photo = scan::ScanOptions::photo();
        let frame = scan::LumaFrame::new(with.as_raw(), 1280, 720, 1280).unwrap();
        let found = scan::scan_frame(&frame, &photo).unwrap();
        assert!(found.iter().any(|code| code.text == text));
        let without = camera_frame(1, None).unwrap();
        let frame = scan::LumaFrame::new(without.as_raw(), 1280, 720, 1280).unwrap();
        assert!(scan::scan_frame(&frame, &photo).unwrap().is_empty());
    }

    #[test]
    fn splitmix64_matches_its_reference_output() {
        // The first outputs for seed 0 of the reference implementation (Vigna's
        // splitmix64.c).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn blur_keeps_flat_areas_and_spreads_an_edge() {
        let flat = vec![100.0f32; 20 * 10];
        assert!(gaussian_blur(&flat, 20, 10, 1.5)
            .iter()
            .all(|v| (v - 100.0).abs() < 1e-3));
        let edge: Vec<f32> = (0..20 * 10)
            .map(|i| if i % 20 < 10 { 0.0 } else { 255.0 })
            .collect();
        let blurred = gaussian_blur(&edge, 20, 10, 1.0);
        assert!(blurred[9] > 10.0 && blurred[9] < 127.5);
        assert!(blurred[10] > 127.5 && blurred[10] < 245.0);
        assert!(blurred[0] < 1e-3);
    }
}
