//! JPEG decoding through libjpeg-turbo's decoder (the copy vendored by
//! `mozjpeg-sys`), because Pillow decodes with libjpeg-turbo and the pure-Rust
//! decoders differ from it by up to several levels per pixel (their IDCT,
//! chroma upsampling and YCbCr rounding are not libjpeg's).
//!
//! Pillow feeds libjpeg through a suspending source and calls a file truncated
//! when libjpeg asks for bytes past the end; the source below suspends the same
//! way, so the same files are refused. libjpeg reports fatal errors through a
//! callback that must not return: it unwinds (the C is built with
//! `-fexceptions`) and the unwind is caught here, so this needs `panic =
//! "unwind"`, Rust's default.

use std::ffi::{c_int, c_long, CStr};
use std::marker::PhantomData;
use std::mem;
use std::panic::{self, AssertUnwindSafe};

use image::RgbImage;
use mozjpeg_sys::{
    boolean, jpeg_common_struct, jpeg_create_decompress, jpeg_decompress_struct, jpeg_destroy_decompress,
    jpeg_error_mgr, jpeg_read_header, jpeg_read_scanlines, jpeg_resync_to_restart, jpeg_source_mgr,
    jpeg_start_decompress, jpeg_std_error, J_COLOR_SPACE,
};

use super::error::{ImageFormat, ImagingError};
use super::limits::DecodeLimits;
use super::pil_convert::{self, SourcePixel};

const JPEG_HEADER_OK: c_int = 1;
const SUSPENDED: ImagingError = ImagingError::Truncated { format: ImageFormat::Jpeg };

pub(super) fn decode_jpeg(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, ImagingError> {
    let mut session = Session::new(bytes)?;
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| session.decode(limits)));
    match outcome {
        Ok(result) => result,
        Err(payload) => match payload.downcast::<LibjpegError>() {
            Ok(err) => Err(ImagingError::Corrupt { format: ImageFormat::Jpeg, detail: err.0 }),
            Err(other) => panic::resume_unwind(other),
        },
    }
}

/// A libjpeg decompressor and the error and source managers it points at;
/// boxed so those pointers stay valid. The source reads from `'a` bytes.
struct Session<'a> {
    cinfo: jpeg_decompress_struct,
    err: jpeg_error_mgr,
    src: jpeg_source_mgr,
    bytes: PhantomData<&'a [u8]>,
}

/// What `error_exit` unwinds with.
struct LibjpegError(String);

impl<'a> Session<'a> {
    fn new(bytes: &'a [u8]) -> Result<Box<Session<'a>>, ImagingError> {
        // SAFETY: the three structs are plain C data for which all-zero is the
        // state libjpeg expects before initialisation (null pointers, `None`
        // callbacks).
        let mut s: Box<Session<'a>> = Box::new(Session {
            cinfo: unsafe { mem::zeroed() },
            err: unsafe { mem::zeroed() },
            src: unsafe { mem::zeroed() },
            bytes: PhantomData,
        });
        let session = &mut *s;
        // SAFETY: `jpeg_std_error` only fills in the struct it is given.
        unsafe { jpeg_std_error(&mut session.err) };
        session.err.error_exit = Some(error_exit);
        session.err.emit_message = Some(ignore_message);
        session.err.output_message = Some(ignore_output);
        session.cinfo.common.err = &mut session.err;

        let created = panic::catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: `cinfo` is zeroed and its error manager is set, as
            // `jpeg_CreateDecompress` requires.
            unsafe { jpeg_create_decompress(&mut session.cinfo) }
        }));
        if created.is_err() {
            return Err(ImagingError::Unsupported {
                format: ImageFormat::Jpeg,
                detail: "libjpeg could not be initialised".into(),
            });
        }
        session.src.next_input_byte = bytes.as_ptr();
        session.src.bytes_in_buffer = bytes.len();
        session.src.init_source = Some(source_noop);
        session.src.fill_input_buffer = Some(suspend);
        session.src.skip_input_data = Some(skip_input);
        session.src.resync_to_restart = Some(jpeg_resync_to_restart);
        session.src.term_source = Some(source_noop);
        session.cinfo.src = &mut session.src;
        Ok(s)
    }

    fn decode(&mut self, limits: &DecodeLimits) -> Result<RgbImage, ImagingError> {
        // SAFETY: `cinfo` was created with a source over bytes that outlive
        // the session.
        if unsafe { jpeg_read_header(&mut self.cinfo, 1) } != JPEG_HEADER_OK {
            return Err(SUSPENDED);
        }
        let (width, height) = (self.cinfo.image_width, self.cinfo.image_height);
        if !limits.allows(width, height) {
            return Err(ImagingError::TooLarge { format: ImageFormat::Jpeg, width, height, limits: *limits });
        }
        // Pillow picks the mode from the component count alone.
        let cmyk = match self.cinfo.num_components {
            1 | 3 => false,
            4 => true,
            n => {
                return Err(ImagingError::Unsupported {
                    format: ImageFormat::Jpeg,
                    detail: format!("{n} colour components"),
                })
            }
        };
        self.cinfo.out_color_space = if cmyk { J_COLOR_SPACE::JCS_CMYK } else { J_COLOR_SPACE::JCS_RGB };
        // SAFETY: header read and output colour space chosen.
        if unsafe { jpeg_start_decompress(&mut self.cinfo) } == 0 {
            return Err(SUSPENDED);
        }
        let mut rgb = RgbImage::new(width, height);
        if cmyk {
            let mut samples = vec![0u8; width as usize * height as usize * 4];
            self.read_rows(&mut samples, width as usize * 4)?;
            pil_convert::to_rgb(&samples, SourcePixel::AdobeCmyk, &mut rgb);
        } else {
            self.read_rows(&mut rgb, width as usize * 3)?;
        }
        Ok(rgb)
    }

    fn read_rows(&mut self, out: &mut [u8], stride: usize) -> Result<(), ImagingError> {
        for row in out.chunks_exact_mut(stride) {
            let mut row_ptr = row.as_mut_ptr();
            // SAFETY: decompression started with `stride` bytes per output
            // row, and `row` is exactly one such row.
            let read = unsafe { jpeg_read_scanlines(&mut self.cinfo, &mut row_ptr, 1) };
            if read != 1 {
                return Err(SUSPENDED);
            }
        }
        Ok(())
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        // SAFETY: created in `Session::new` (destroying a zeroed struct is a
        // no-op in libjpeg); nothing uses it afterwards.
        unsafe { jpeg_destroy_decompress(&mut self.cinfo) };
    }
}

unsafe extern "C-unwind" fn error_exit(cinfo: &mut jpeg_common_struct) {
    // SAFETY: libjpeg calls this with the error manager installed above.
    let message = unsafe { describe(&*cinfo.err) };
    panic::resume_unwind(Box::new(LibjpegError(message)))
}

/// Warnings (corrupt but decodable data) are ignored, as Pillow ignores them.
unsafe extern "C-unwind" fn ignore_message(_: &mut jpeg_common_struct, _: c_int) {}

unsafe extern "C-unwind" fn ignore_output(_: &mut jpeg_common_struct) {}

unsafe extern "C-unwind" fn source_noop(_: &mut jpeg_decompress_struct) {}

/// All the data is in the buffer from the start: asking for more means the
/// file ended early. Returning FALSE makes libjpeg suspend, as in Pillow.
unsafe extern "C-unwind" fn suspend(_: &mut jpeg_decompress_struct) -> boolean {
    0
}

unsafe extern "C-unwind" fn skip_input(cinfo: &mut jpeg_decompress_struct, count: c_long) {
    // SAFETY: `src` points at the source manager installed in `Session::new`.
    let src = unsafe { &mut *cinfo.src };
    let count = usize::try_from(count).unwrap_or(0).min(src.bytes_in_buffer);
    // SAFETY: `count` is within the remaining buffer.
    src.next_input_byte = unsafe { src.next_input_byte.add(count) };
    src.bytes_in_buffer -= count;
}

/// libjpeg's message for the current error, with its printf parameters
/// filled in.
///
/// # Safety
/// `err` must be an error manager set up by `jpeg_std_error`.
unsafe fn describe(err: &jpeg_error_mgr) -> String {
    let code = err.msg_code;
    let template = if code > 0 && code <= err.last_jpeg_message && !err.jpeg_message_table.is_null() {
        // SAFETY: libjpeg's table has `last_jpeg_message + 1` entries, each a
        // NUL-terminated string or null.
        let entry = unsafe { *err.jpeg_message_table.add(code as usize) };
        if entry.is_null() {
            None
        } else {
            // SAFETY: non-null entries are static C strings.
            Some(unsafe { CStr::from_ptr(entry) }.to_string_lossy().into_owned())
        }
    } else {
        None
    };
    let Some(template) = template else {
        return format!("libjpeg error {code}");
    };
    let ints = err.msg_parm._bindgen_data_.map(|word| word as i32);
    let text: Vec<u8> =
        err.msg_parm._bindgen_data_.iter().flat_map(|word| word.to_ne_bytes()).take_while(|&b| b != 0).collect();
    fill_printf(&template, &ints, &String::from_utf8_lossy(&text))
}

/// Substitutes `%d`, `%u`, `%x` (with optional width) from `ints` in order,
/// and `%s` with `text`, which is all libjpeg's messages use.
fn fill_printf(template: &str, ints: &[i32], text: &str) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut next_int = ints.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            chars.next();
        }
        match chars.next() {
            Some('d') | Some('u') => out.push_str(&next_int.next().unwrap_or(&0).to_string()),
            Some('x') => out.push_str(&format!("{:02x}", next_int.next().unwrap_or(&0))),
            Some('s') => out.push_str(text),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libjpeg_messages_get_their_parameters() {
        assert_eq!(
            fill_printf("Not a JPEG file: starts with 0x%02x 0x%02x", &[0x89, 0x50], ""),
            "Not a JPEG file: starts with 0x89 0x50"
        );
        assert_eq!(fill_printf("Unsupported JPEG data precision %d", &[12], ""), "Unsupported JPEG data precision 12");
    }
}
