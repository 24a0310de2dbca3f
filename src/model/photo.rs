//! A photo as load checked it, and what load learnt of its file for render: its digest,
//! the file's stamp, a CMYK photo's ink.

use std::path::PathBuf;

/// A photo reference, checked to exist and be decodable in size.
#[derive(Debug, Clone)]
pub struct Photo {
    /// Absolute path.
    pub path: PathBuf,
    /// Pixel width.
    pub width_px: u32,
    /// Pixel height.
    pub height_px: u32,
    /// Credit, e.g. "artaxerxes_longhand/shutterstock".
    pub credit: Option<String>,
    /// Caption.
    pub caption: Option<String>,
    /// Focal point as fractions of width and height (0.5, 0.5 = centre).
    pub focus: (f32, f32),
    /// Columns the photo spans, overriding `photo.columns` of the issue.
    pub columns: Option<u32>,
    /// The editor accepted a low resolution.
    pub accept_low_resolution: bool,
    /// Line of the `photo` field, for later messages.
    pub line: Option<usize>,
    /// What load measured of the photo's ink while proving it (a CMYK JPEG proven whole,
    /// with the build cache), so render need not decode it again to judge it.
    pub ink: Option<InkMeasure>,
    /// The file's digest as load took it (with the build cache), so render need not hash
    /// the file again.
    pub digest: Option<PhotoDigest>,
}

/// The SHA-256 of a photo file's bytes as load read them (or found them recorded), with
/// the file's stamp then: render takes the digest instead of hashing the file again while
/// the file keeps that stamp.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoDigest {
    /// SHA-256 of the file's bytes.
    pub digest: [u8; 32],
    /// The file as it was when they were read.
    pub stamp: FileStamp,
}

/// What tells one state of a file from another without reading it: its size and
/// modification time (to the nanosecond), and on Unix its inode and device. Writing a
/// file changes its modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    modified: u128,
    inode: u64,
    device: u64,
}

impl FileStamp {
    /// The stamp of a regular file with these metadata; `None` for anything else, or
    /// without a modification time.
    pub fn of(metadata: &std::fs::Metadata) -> Option<Self> {
        let modified = metadata.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        #[cfg(unix)]
        let (inode, device) = {
            use std::os::unix::fs::MetadataExt;
            (metadata.ino(), metadata.dev())
        };
        #[cfg(not(unix))]
        let (inode, device) = (0, 0);
        metadata.is_file().then_some(Self {
            len: metadata.len(),
            modified: modified.as_nanos(),
            inode,
            device,
        })
    }

    /// The stamp as bytes, for a key: size, modification time, inode and device, big-endian.
    pub fn to_be_bytes(&self) -> [u8; 40] {
        let mut bytes = [0; 40];
        bytes[..8].copy_from_slice(&self.len.to_be_bytes());
        bytes[8..24].copy_from_slice(&self.modified.to_be_bytes());
        bytes[24..32].copy_from_slice(&self.inode.to_be_bytes());
        bytes[32..].copy_from_slice(&self.device.to_be_bytes());
        bytes
    }

    /// The stamp of the file at `path` now.
    pub fn now(path: &std::path::Path) -> Option<Self> {
        Self::of(&std::fs::metadata(path).ok()?)
    }

    /// The stamp of the file at `path` as `before` describes it (taken just before `length`
    /// bytes were read from it), if the file kept it while they were read and they are all
    /// of it: the stamp then stands for those bytes.
    pub fn kept_through_read(
        before: &std::fs::Metadata,
        path: &std::path::Path,
        length: usize,
    ) -> Option<Self> {
        let stamp = Self::of(before)?;
        (stamp.len == length as u64 && Self::now(path) == Some(stamp)).then_some(stamp)
    }
}

/// The ink of a CMYK photo, measured by load while it proved the photo sound.
#[derive(Debug, Clone, PartialEq)]
pub struct InkMeasure {
    /// SHA-256 of the file's bytes that were measured: the measure holds for them only.
    pub digest: [u8; 32],
    /// At least the highest total ink of a 2x2 block of the photo as stored (before any
    /// EXIF turn), in 1/255 of one ink, as [`crate::raster::peak_ink`] measures it: that
    /// measure, or a bound a few units over the photo's highest pixel
    /// ([`crate::load::photo::PhotoFacts::peak_ink`]).
    pub peak: u32,
}
