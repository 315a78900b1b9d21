//! A camera frame's luma (Y) plane, borrowed, with its geometry checked once.

use std::fmt;

use super::ScanError;

/// A camera frame's luma (Y) plane, borrowed from the camera's buffer: `height` rows of
/// `width` bytes, each row starting `stride` bytes after the previous one.
///
/// Camera APIs pad rows (Android's `ImageProxy.planes[0].rowStride`, iOS's
/// `CVPixelBufferGetBytesPerRowOfPlane`); the padding is skipped, never read as
/// pixels, and the last row need not be padded. The only way to make one is
/// [`LumaFrame::new`], which checks that the geometry and the buffer agree, so every
/// `LumaFrame` can be read without a bounds problem; the accessors give the checked
/// values back.
///
/// ```
/// use certqr_scan::{FrameError, LumaFrame, ScanError};
///
/// // 640 x 480 pixels in rows of 704 bytes; the last row is not padded.
/// let plane = vec![255u8; 704 * 479 + 640];
/// let frame = LumaFrame::new(&plane, 640, 480, 704)?;
/// assert_eq!((frame.width(), frame.height(), frame.stride()), (640, 480, 704));
///
/// // One byte short.
/// assert!(matches!(
///     LumaFrame::new(&plane[..plane.len() - 1], 640, 480, 704),
///     Err(ScanError::BadFrame(FrameError::BufferTooShort { .. }))
/// ));
/// # Ok::<(), ScanError>(())
/// ```
#[derive(Clone, Copy)]
pub struct LumaFrame<'a> {
    pixels: &'a [u8],
    width: u32,
    height: u32,
    stride: u32,
}

impl<'a> LumaFrame<'a> {
    /// A frame of `height` rows of `width` bytes in `pixels`, each row starting
    /// `stride` bytes after the previous one. Bytes past the last row's `width` are
    /// allowed and ignored.
    ///
    /// # Errors
    ///
    /// [`ScanError::BadFrame`] with [`FrameError::ZeroDimension`] for a zero width or
    /// height, [`FrameError::StrideBelowWidth`] for rows that would overlap, and
    /// [`FrameError::BufferTooShort`] for `pixels` shorter than
    /// `stride * (height - 1) + width`.
    pub fn new(
        pixels: &'a [u8],
        width: u32,
        height: u32,
        stride: u32,
    ) -> Result<LumaFrame<'a>, ScanError> {
        if width == 0 || height == 0 {
            return Err(FrameError::ZeroDimension { width, height }.into());
        }
        if stride < width {
            return Err(FrameError::StrideBelowWidth { stride, width }.into());
        }
        let required = required_length(width, height, stride);
        if (pixels.len() as u64) < required {
            return Err(FrameError::BufferTooShort {
                length: pixels.len(),
                required,
            }
            .into());
        }
        Ok(LumaFrame {
            pixels,
            width,
            height,
            stride,
        })
    }

    /// The whole buffer, padding included, as given to [`LumaFrame::new`].
    pub fn pixels(&self) -> &'a [u8] {
        self.pixels
    }

    /// Width in pixels (bytes of each row that are pixels); never zero.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels (rows); never zero.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes from the start of one row to the start of the next; at least the width.
    pub fn stride(&self) -> u32 {
        self.stride
    }

    /// `stride * (height - 1) + width`: the bytes the frame's rows span, at most
    /// [`Self::pixels`]' length.
    pub(crate) fn required_length(&self) -> u64 {
        required_length(self.width, self.height, self.stride)
    }
}

/// `stride * (height - 1) + width` (and `width` for a zero height). At most
/// (2^32 - 1)^2 + 2^32 - 1 < 2^64: no overflow.
fn required_length(width: u32, height: u32, stride: u32) -> u64 {
    u64::from(stride) * u64::from(height.saturating_sub(1)) + u64::from(width)
}

/// Without the pixels: a frame is often megabytes, and its pixels are what the camera
/// saw.
impl fmt::Debug for LumaFrame<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("LumaFrame")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("stride", &self.stride)
            .field("buffer_length", &self.pixels.len())
            .finish()
    }
}

/// Why a camera frame's geometry and buffer do not agree
/// (inside [`ScanError::BadFrame`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The width or the height is zero.
    #[error("a frame of {width}x{height} pixels has no pixels")]
    ZeroDimension {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The row stride is shorter than the width, so rows would overlap.
    #[error("row stride of {stride} bytes is shorter than the width of {width} pixels")]
    StrideBelowWidth {
        /// The row stride in bytes.
        stride: u32,
        /// Width in pixels.
        width: u32,
    },
    /// The buffer is shorter than `stride * (height - 1) + width`.
    #[error("buffer of {length} bytes is shorter than the {required} bytes the frame needs")]
    BufferTooShort {
        /// The buffer's length in bytes.
        length: usize,
        /// `stride * (height - 1) + width`, in bytes.
        required: u64,
    },
}

impl From<FrameError> for ScanError {
    fn from(error: FrameError) -> Self {
        ScanError::BadFrame(error)
    }
}
