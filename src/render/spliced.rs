//! The written PDF with its photos kept out of memory.
//!
//! An issue's photos are nearly all of its PDF (36 of 37 MB for the 40-article RGB
//! benchmark), and holding them in the writer's buffer made peak memory grow with the
//! number of photos. So each image object, as soon as it is written, goes to a temporary
//! spill file, and the buffer holds a placeholder object of the same number in its place
//! (`N 0 obj null endobj`). Writing the file out splices the objects back in where their
//! placeholders stand and shifts the cross-reference table's offsets by what each splice
//! adds: the bytes are exactly those the buffer would have held with the photos in it.
//!
//! A spill file that cannot be created or written is no error: the objects stay in memory.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use pdf_writer::{Null, Pdf, Ref};

/// A PDF as rendered: the writer's buffer up to its cross-reference table, the image
/// objects spliced into it, and the table and trailer with offsets that count them.
#[derive(Clone)]
pub struct PdfFile {
    /// The writer's buffer up to its cross-reference table, a placeholder object standing
    /// for each image object.
    body: Vec<u8>,
    /// The image objects, in the order of their placeholders.
    splices: Vec<Splice>,
    /// Where the spilled objects are.
    spill: Option<Arc<Spill>>,
    /// The cross-reference table, trailer and `startxref`, offsets shifted.
    tail: Vec<u8>,
}

impl std::fmt::Debug for PdfFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfFile")
            .field("len", &self.len())
            .field("splices", &self.splices.len())
            .finish()
    }
}

/// One image object and the placeholder it replaces.
#[derive(Debug, Clone)]
struct Splice {
    /// Offset of the placeholder in the body.
    at: usize,
    /// Length of the placeholder.
    placeholder: usize,
    /// The object's bytes.
    object: Stored,
}

/// Where an image object's bytes are.
#[derive(Debug, Clone)]
enum Stored {
    /// In the spill file, at `offset`.
    Spilled { offset: u64, len: u64 },
    /// In memory (no spill file could be written).
    Memory(Arc<[u8]>),
}

impl Stored {
    fn len(&self) -> u64 {
        match self {
            Stored::Spilled { len, .. } => *len,
            Stored::Memory(bytes) => bytes.len() as u64,
        }
    }
}

/// A temporary file of image objects, deleted when the last [`PdfFile`] using it goes.
struct Spill {
    file: Mutex<File>,
    /// The file's path while it still has one to delete (on Unix it is deleted as soon as
    /// it is open, and lives on unnamed).
    path: Option<PathBuf>,
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Spill {
    /// A new spill file in the system's temporary folder.
    fn create() -> io::Result<Self> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "rotative-spill-{}-{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        let file = OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
        // Unix lets an open file lose its name: nothing is left behind, however the
        // process ends.
        let path =
            if cfg!(unix) && std::fs::remove_file(&path).is_ok() { None } else { Some(path) };
        Ok(Self { file: Mutex::new(file), path })
    }

    /// Appends `bytes`; returns their offset.
    fn append(&self, bytes: &[u8]) -> io::Result<u64> {
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let offset = file.seek(SeekFrom::End(0))?;
        file.write_all(bytes)?;
        Ok(offset)
    }

    /// Reads `buffer.len()` bytes at `offset`.
    fn read_at(&self, offset: u64, buffer: &mut [u8]) -> io::Result<()> {
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(buffer)
    }
}

/// Collects the image objects of a PDF being written (see the module documentation).
#[derive(Default)]
pub(crate) struct Splicer {
    splices: Vec<Splice>,
    spill: Option<Arc<Spill>>,
    /// A spill file could not be made or written: the rest stays in memory.
    in_memory: bool,
}

impl Splicer {
    /// Writes a placeholder for object `id` into `pdf` and keeps `object`, the object's
    /// bytes as pdf-writer writes them (`N 0 obj` to `endobj` and the blank line after),
    /// to be spliced in its place.
    pub(crate) fn add(&mut self, pdf: &mut Pdf, id: Ref, object: &[u8]) {
        let at = pdf.as_bytes().len();
        pdf.indirect(id).primitive(Null);
        let placeholder = pdf.as_bytes().len() - at;
        let object = self.store(object);
        self.splices.push(Splice { at, placeholder, object });
    }

    fn store(&mut self, object: &[u8]) -> Stored {
        if !self.in_memory {
            if self.spill.is_none() {
                self.spill = Spill::create().ok().map(Arc::new);
            }
            let offset = self.spill.as_ref().map(|spill| spill.append(object));
            if let Some(Ok(offset)) = offset {
                return Stored::Spilled { offset, len: object.len() as u64 };
            }
            self.in_memory = true;
        }
        Stored::Memory(object.into())
    }

    /// The file of the finished buffer `pdf` (what [`Pdf::finish`] returned) with the
    /// objects spliced in; `None` if its cross-reference table is not where and what
    /// pdf-writer writes.
    pub(crate) fn finish(self, mut pdf: Vec<u8>) -> Option<PdfFile> {
        let tail = shifted_tail(&pdf, &self.splices)?;
        pdf.truncate(tail.0);
        Some(PdfFile { body: pdf, splices: self.splices, spill: self.spill, tail: tail.1 })
    }
}

/// Where the cross-reference table of `pdf` starts, and it, the trailer and `startxref`
/// with every offset moved by the splices before it.
fn shifted_tail(pdf: &[u8], splices: &[Splice]) -> Option<(usize, Vec<u8>)> {
    // `startxref`, the table's offset, `%%EOF`: the file's last lines.
    let marker = b"startxref\n";
    let at = pdf.windows(marker.len()).rposition(|w| w == marker)?;
    let number = pdf[at + marker.len()..].split(|&b| b == b'\n').next()?;
    let xref: usize = std::str::from_utf8(number).ok()?.parse().ok()?;
    let shift = |offset: usize| -> usize {
        let added: u64 = splices
            .iter()
            .filter(|s| s.at < offset)
            .map(|s| s.object.len() - s.placeholder as u64)
            .sum();
        offset + added as usize
    };
    // `xref`, `0 N`, then N entries of 20 bytes: offset (10 digits), generation (5),
    // `n` or `f`, and a two-byte end of line.
    let table = pdf.get(xref..at)?;
    let header_end = table.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(1)?.0 + 1;
    let header = std::str::from_utf8(&table[..header_end]).ok()?;
    let count: usize = header.strip_prefix("xref\n0 ")?.trim_end().parse().ok()?;
    let entries = table.get(header_end..header_end + count * 20)?;
    let mut tail = Vec::with_capacity(pdf.len() - xref + 8);
    tail.extend_from_slice(&table[..header_end]);
    for entry in entries.chunks_exact(20) {
        if entry[17] == b'n' {
            let offset: usize = std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?;
            tail.extend_from_slice(format!("{:010}", shift(offset)).as_bytes());
            tail.extend_from_slice(&entry[10..]);
        } else {
            tail.extend_from_slice(entry);
        }
    }
    tail.extend_from_slice(&table[header_end + count * 20..]);
    tail.extend_from_slice(marker);
    tail.extend_from_slice(format!("{}\n%%EOF", shift(xref)).as_bytes());
    Some((xref, tail))
}

/// Size of the blocks spilled objects are read back in.
const BLOCK: usize = 1 << 20;

impl PdfFile {
    /// The file's length in bytes.
    pub fn len(&self) -> u64 {
        let spliced: u64 = self.splices.iter().map(|s| s.object.len() - s.placeholder as u64).sum();
        self.body.len() as u64 + spliced + self.tail.len() as u64
    }

    /// Whether the file is empty (it never is: a PDF has at least its header).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hands the file's bytes to `each`, in order, a piece at a time (spilled objects are
    /// read back a block at a time); stops at the first error.
    pub fn write_parts(&self, mut each: impl FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        let mut from = 0;
        let mut block = Vec::new();
        for splice in &self.splices {
            each(&self.body[from..splice.at])?;
            match &splice.object {
                Stored::Memory(bytes) => each(bytes)?,
                Stored::Spilled { offset, len } => {
                    let spill = self.spill.as_ref().ok_or_else(|| io::Error::other("no spill"))?;
                    let mut done = 0;
                    while done < *len {
                        let n = (*len - done).min(BLOCK as u64) as usize;
                        block.resize(n, 0);
                        spill.read_at(offset + done, &mut block)?;
                        each(&block)?;
                        done += n as u64;
                    }
                }
            }
            from = splice.at + splice.placeholder;
        }
        each(&self.body[from..])?;
        each(&self.tail)
    }

    /// The whole file in memory (tests, and readers that need it whole).
    pub fn to_vec(&self) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.len() as usize);
        self.write_parts(|part| {
            out.extend_from_slice(part);
            Ok(())
        })?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_writer::{Chunk, Name};

    /// A small PDF with two image-like stream objects among others, written whole and
    /// spliced.
    fn both() -> (Vec<u8>, PdfFile) {
        let streams: [(Ref, Vec<u8>); 2] =
            [(Ref::new(2), vec![7u8; 3_000_000]), (Ref::new(4), b"short".to_vec())];
        let mut whole = Pdf::new();
        let mut spliced = Pdf::new();
        let mut splicer = Splicer::default();
        for pdf in [&mut whole, &mut spliced] {
            pdf.catalog(Ref::new(1)).pages(Ref::new(3));
        }
        for (index, (id, data)) in streams.iter().enumerate() {
            whole.stream(*id, data).pair(Name(b"N"), index as i32);
            let mut chunk = Chunk::new();
            chunk.stream(*id, data).pair(Name(b"N"), index as i32);
            splicer.add(&mut spliced, *id, chunk.as_bytes());
            for pdf in [&mut whole, &mut spliced] {
                pdf.pages(Ref::new(3 + 2 * index as i32)).count(0);
            }
        }
        (whole.finish(), splicer.finish(spliced.finish()).unwrap())
    }

    #[test]
    fn a_spliced_pdf_is_the_pdf_written_whole() {
        let (whole, file) = both();
        assert_eq!(file.len(), whole.len() as u64);
        let written = file.to_vec().unwrap();
        assert!(written == whole, "spliced bytes differ");
        // The objects went to the spill file, not into memory.
        assert!(file.splices.iter().all(|s| matches!(s.object, Stored::Spilled { .. })));
        assert!(file.body.len() < 10_000);
        // Offsets really are right: a reader finds every object.
        let doc = lopdf::Document::load_mem(&written).unwrap();
        let stream = doc.get_object((2, 0)).unwrap().as_stream().unwrap();
        assert_eq!(stream.content.len(), 3_000_000);
    }

    #[test]
    fn objects_kept_in_memory_splice_the_same() {
        let (whole, mut file) = both();
        for splice in &mut file.splices {
            if let Stored::Spilled { offset, len } = splice.object {
                let mut bytes = vec![0; len as usize];
                file.spill.as_ref().unwrap().read_at(offset, &mut bytes).unwrap();
                splice.object = Stored::Memory(bytes.into());
            }
        }
        file.spill = None;
        assert!(file.to_vec().unwrap() == whole);
    }
}
