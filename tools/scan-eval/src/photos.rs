//! Folders of photos with the text each must read: `N.png` or `N.jpg` beside `N.txt`
//! (the layout of `../shared/qr-photos`; `N.metadata.txt` files are not texts and are
//! ignored).
//!
//! Photos are loaded once as 8-bit grey, the way a decoder is handed them: the EXIF
//! orientation applied, transparent pixels over white, colour to luma with the `image`
//! crate's Rec. 709 weights. Decoders are then timed on these pixels only.

use std::path::Path;

use image::{DynamicImage, GrayImage, ImageDecoder, ImageReader};

use crate::BenchError;

/// One photo and the text it holds.
#[derive(Debug, Clone)]
pub struct Photo {
    /// File name within its folder.
    pub name: String,
    /// The exact text a decoder must read.
    pub expected: String,
    /// The pixels, 8-bit grey.
    pub image: GrayImage,
}

/// A copy of a photo that a decoder must read as well as the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The photo as it is.
    Original,
    /// Light and dark swapped: a light-on-dark code.
    Inverted,
    /// Flipped left to right: a code seen from behind glass or in a mirror.
    Mirrored,
}

impl Variant {
    /// The name on the command line and in tables.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Original => "original",
            Variant::Inverted => "inverted",
            Variant::Mirrored => "mirrored",
        }
    }

    /// The variant called `name`, if any.
    pub fn from_name(name: &str) -> Option<Variant> {
        [Variant::Original, Variant::Inverted, Variant::Mirrored]
            .into_iter()
            .find(|variant| variant.name() == name)
    }

    /// This variant of `image`.
    pub fn apply(self, image: &GrayImage) -> GrayImage {
        match self {
            Variant::Original => image.clone(),
            Variant::Inverted => {
                let mut inverted = image.clone();
                image::imageops::invert(&mut inverted);
                inverted
            }
            Variant::Mirrored => image::imageops::flip_horizontal(image),
        }
    }
}

/// Every photo in `folder`, in the order of their numbers.
///
/// # Errors
///
/// [`BenchError::Io`] if the folder or a text cannot be read, [`BenchError::Image`] for
/// a photo that does not decode, [`BenchError::NoExpectedText`] for a photo without its
/// `.txt`.
pub fn load_folder(folder: &Path) -> Result<Vec<Photo>, BenchError> {
    let entries = std::fs::read_dir(folder).map_err(|error| BenchError::io(folder, error))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(|error| BenchError::io(folder, error))?.path();
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(extension.as_deref(), Some("png" | "jpg" | "jpeg")) {
            paths.push(path);
        }
    }
    paths.sort_by_key(|path| {
        let stem = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or("");
        (stem.parse::<u64>().unwrap_or(u64::MAX), path.clone())
    });
    paths
        .iter()
        .map(|path| {
            let text_path = path.with_extension("txt");
            if !text_path.is_file() {
                return Err(BenchError::NoExpectedText(path.display().to_string()));
            }
            let expected = std::fs::read_to_string(&text_path)
                .map_err(|error| BenchError::io(&text_path, error))?;
            Ok(Photo {
                name: path
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                expected,
                image: load_grey(path)?,
            })
        })
        .collect()
}

/// A PNG or JPEG as 8-bit grey: EXIF orientation applied, transparency over white.
///
/// # Errors
///
/// [`BenchError::Io`] or [`BenchError::Image`].
pub fn load_grey(path: &Path) -> Result<GrayImage, BenchError> {
    let image_error = |source| BenchError::Image {
        path: path.display().to_string(),
        source,
    };
    let reader = ImageReader::open(path)
        .map_err(|error| BenchError::io(path, error))?
        .with_guessed_format()
        .map_err(|error| BenchError::io(path, error))?;
    let mut decoder = reader.into_decoder().map_err(image_error)?;
    let orientation = decoder.orientation().map_err(image_error)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    picture.apply_orientation(orientation);
    Ok(grey_on_white(picture))
}

fn grey_on_white(picture: DynamicImage) -> GrayImage {
    if !picture.color().has_alpha() {
        return picture.into_luma8();
    }
    let with_alpha = picture.into_luma_alpha8();
    GrayImage::from_fn(with_alpha.width(), with_alpha.height(), |x, y| {
        let [luma, alpha] = with_alpha.get_pixel(x, y).0.map(u32::from);
        let value = (luma * alpha + 255 * (255 - alpha) + 127) / 255;
        image::Luma([u8::try_from(value).unwrap_or(u8::MAX)])
    })
}

#[cfg(test)]
// Tests may panic: a failed unwrap is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn variants_invert_and_mirror() {
        let image = GrayImage::from_raw(3, 1, vec![0, 100, 255]).unwrap();
        assert_eq!(Variant::Original.apply(&image).as_raw(), &[0, 100, 255]);
        assert_eq!(Variant::Inverted.apply(&image).as_raw(), &[255, 155, 0]);
        assert_eq!(Variant::Mirrored.apply(&image).as_raw(), &[255, 100, 0]);
        for name in ["original", "inverted", "mirrored"] {
            assert_eq!(Variant::from_name(name).unwrap().name(), name);
        }
        assert_eq!(Variant::from_name("upside-down"), None);
    }

    #[test]
    fn folder_is_loaded_in_number_order_with_texts() {
        let folder =
            std::env::temp_dir().join(format!("certqr-scan-eval-photos-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let png = certqr_render::encode("TEN", certqr_render::EcLevel::M)
            .unwrap()
            .to_png(2)
            .unwrap();
        for (stem, text) in [("10", "TEN"), ("2", "TWO")] {
            std::fs::write(folder.join(format!("{stem}.png")), &png).unwrap();
            std::fs::write(folder.join(format!("{stem}.txt")), text).unwrap();
        }
        std::fs::write(folder.join("2.metadata.txt"), "not a text").unwrap();
        let photos = load_folder(&folder).unwrap();
        let names: Vec<&str> = photos.iter().map(|photo| photo.name.as_str()).collect();
        assert_eq!(names, ["2.png", "10.png"]);
        assert_eq!(photos[0].expected, "TWO");
        assert_eq!(photos[1].image.width(), (21 + 8) * 2);
        // A photo without its text is an error, not a silent skip.
        std::fs::write(folder.join("3.png"), &png).unwrap();
        assert!(matches!(
            load_folder(&folder),
            Err(BenchError::NoExpectedText(_))
        ));
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
