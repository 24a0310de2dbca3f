//! A JPEG's entropy-coded data, counted block by block against its frame header. Neither
//! JPEG decoder reports a scan closed early by a marker (a file cut mid-scan with `FF D9`
//! appended): both fill the missing blocks with grey. So the Huffman codes of every scan
//! are walked here, up to the number of blocks the frame header promises: each block's
//! symbols are decoded and their coefficient bits skipped, with no dequantizing, no inverse
//! DCT and nothing allocated per block: about 6 ms a megabyte of scan data (a 1 MB CMYK
//! photo of 1,100 x 733 pixels, its ink bounded too), half what the decoder takes.
//!
//! A scan whose data ends (at a marker other than a restart marker, or at the end of the
//! file) before its last block, a code no Huffman table holds, a restart marker missing or
//! out of order, data left over after a scan's last block (the frame header claims less
//! than the scan holds), and a component no scan carries are errors.
//!
//! Baseline, extended and progressive Huffman frames (SOF0, SOF1, SOF2) are counted, the
//! progressive one's refinement scans included (a bit of memory per coefficient, 1/16 of
//! what its decoder holds). Other frames (lossless, arithmetic-coded) are left to the
//! decoders, which refuse them ([`Scans::Uncounted`]).
//!
//! A counted JPEG has every code of every block read and checked, every restart marker, and
//! a quantization table for every component it scans: all that a strict decoder would find
//! wrong in its data, so load need not decode it too (see `load::photo`).

mod huffman;
mod ink;

use crate::raster::{self, JpegSegment, jpeg_segments_from};
use huffman::{Bits, Huffman};
use ink::InkBound;

/// What [`check_scans`] found in a sound JPEG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scans {
    /// Every scan was counted, block by block, to the end-of-image marker.
    Counted,
    /// The frame is of a kind not counted here (lossless, arithmetic-coded), or a second
    /// frame follows: only a decoder can prove it.
    Uncounted,
}

/// Checks that every scan of a JPEG (`data`, from its SOI marker on) holds all the blocks
/// its frame header promises, and that the scans are followed by the end-of-image marker.
/// The error is a sentence that follows "photo `name` ".
pub fn check_scans(data: &[u8]) -> Result<Scans, String> {
    walk(data, None).map(|(scans, _)| scans)
}

/// [`check_scans`] of a CMYK JPEG (`inverted`: stored as Adobe writes it, 255 minus the
/// ink), with a bound on the total ink of every pixel as a decoder decodes it, in 1/255 of
/// one ink, worked out to be judged against `limit` (see `jpeg_scan/ink.rs`); `None` when
/// the JPEG is of a kind not measured here.
pub fn check_cmyk_scans(
    data: &[u8],
    inverted: bool,
    limit: u32,
) -> Result<(Scans, Option<u32>), String> {
    walk(data, Some((inverted, limit)))
}

/// Checks the scans, measuring their ink when `measure` (inverted or not, limit) is given.
fn walk(data: &[u8], measure: Option<(bool, u32)>) -> Result<(Scans, Option<u32>), String> {
    let mut scanner = Scanner { measure, ..Scanner::default() };
    let mut pos = 2;
    loop {
        let mut scan = None;
        let mut end_of_image = false;
        for segment in jpeg_segments_from(data, pos) {
            let JpegSegment { marker, payload, end } = segment.map_err(
                |()| "is cut short or corrupt: a marker segment after its first scan is broken",
            )?;
            match marker {
                0xC0..=0xC2 if scanner.frame.is_none() => {
                    scanner.frame = Some(Frame::read(payload, marker == 0xC2)?);
                }
                // Another frame kind, or a second frame: not counted here.
                0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                    return Ok((Scans::Uncounted, None));
                }
                0xC4 => scanner.read_tables(payload)?,
                0xDB => scanner.read_quantization(payload)?,
                0xDD => {
                    let interval = payload.get(..2).ok_or("has a malformed restart interval")?;
                    scanner.restart_interval =
                        usize::from(u16::from_be_bytes([interval[0], interval[1]]));
                }
                0xDA => scan = Some((payload, end)),
                0xD9 => end_of_image = true,
                _ => {}
            }
        }
        if let Some((header, start)) = scan {
            pos = scanner.scan(data, header, start)?;
        } else if end_of_image {
            let scans = scanner.finish()?;
            return Ok((scans, scanner.ink.map(|ink| ink.peak())));
        } else {
            return Err(NO_END.into());
        }
    }
}

/// Where the check stands: the frame, the tables and restart interval in force, what the
/// scans so far have carried.
#[derive(Default)]
struct Scanner {
    frame: Option<Frame>,
    /// DC tables 0 to 3, then AC tables 0 to 3.
    tables: [Option<Box<Huffman>>; 8],
    /// MCUs between restart markers, 0 for none.
    restart_interval: usize,
    /// The quantization tables 0 to 3 defined, in zigzag order.
    quantization: [Option<[u16; 64]>; 4],
    scans: usize,
    /// A progressive frame's coefficients that are not zero, a bit each, block by block.
    nonzero: Vec<u64>,
    /// The ink is wanted (inverted or not, limit): see [`check_cmyk_scans`].
    measure: Option<(bool, u32)>,
    /// The ink bound, while the JPEG is of a kind it is measured on.
    ink: Option<InkBound>,
}

/// One component of a frame.
struct Component {
    id: u8,
    /// Its quantization table.
    table: usize,
    /// Sampling factors, horizontal and vertical.
    h: usize,
    v: usize,
    /// Blocks across and down, padded to whole MCUs (as an interleaved scan carries them).
    padded: (usize, usize),
    /// Blocks across and down covering the component's own samples (as a scan of this
    /// component alone carries them).
    own: (usize, usize),
    /// Index of its first block in [`Scanner::nonzero`].
    first_block: usize,
    /// For each coefficient (in zigzag order), the lowest bit the scans so far carry:
    /// 0 once complete, [`NOT_SCANNED`] before any scan carries it.
    coverage: [u8; 64],
}

/// What the frame header promises.
struct Frame {
    progressive: bool,
    /// Bits a sample.
    precision: u8,
    components: Vec<Component>,
    /// MCUs across and down in an interleaved scan.
    mcus: (usize, usize),
}

impl Frame {
    fn read(payload: &[u8], progressive: bool) -> Result<Frame, String> {
        let malformed = || "has a malformed frame header".to_string();
        let field = |i: usize| payload.get(i).copied().map(usize::from).ok_or_else(malformed);
        let height = field(1)? << 8 | field(2)?;
        let width = field(3)? << 8 | field(4)?;
        if width == 0 || height == 0 {
            return Err(format!("claims a size of {width}x{height} pixels"));
        }
        let count = field(5)?;
        let mut components = Vec::with_capacity(count);
        for i in 0..count {
            let (id, hv, table) = (field(6 + 3 * i)?, field(7 + 3 * i)?, field(8 + 3 * i)?);
            let (h, v) = (hv >> 4, hv & 0x0F);
            if !(1..=4).contains(&h) || !(1..=4).contains(&v) {
                return Err(format!("has a frame header with sampling factors of {h}x{v}"));
            }
            if table > 3 {
                return Err(format!("has a frame header naming quantization table {table}"));
            }
            components.push(Component {
                id: id as u8,
                table,
                h,
                v,
                padded: (0, 0),
                own: (0, 0),
                first_block: 0,
                coverage: [NOT_SCANNED; 64],
            });
        }
        let h_max = components.iter().map(|c| c.h).max().ok_or_else(malformed)?;
        let v_max = components.iter().map(|c| c.v).max().ok_or_else(malformed)?;
        let mcus = (width.div_ceil(8 * h_max), height.div_ceil(8 * v_max));
        let mut first_block = 0;
        for c in &mut components {
            c.padded = (mcus.0 * c.h, mcus.1 * c.v);
            c.own = (
                (width * c.h).div_ceil(h_max).div_ceil(8),
                (height * c.v).div_ceil(v_max).div_ceil(8),
            );
            c.first_block = first_block;
            first_block += c.padded.0 * c.padded.1;
        }
        Ok(Frame { progressive, precision: field(0)? as u8, components, mcus })
    }

    fn blocks(&self) -> usize {
        self.components.iter().map(|c| c.padded.0 * c.padded.1).sum()
    }
}

/// One component of a scan, with what its blocks are decoded with.
#[derive(Clone, Copy)]
struct ScanComponent {
    /// Index in the frame's components.
    index: usize,
    dc: usize,
    ac: usize,
}

impl Scanner {
    /// Reads a DHT segment (one or more tables).
    fn read_tables(&mut self, mut payload: &[u8]) -> Result<(), String> {
        let malformed = "has a malformed Huffman table";
        while let [class_id, rest @ ..] = payload {
            let (class, id) = (usize::from(class_id >> 4), usize::from(class_id & 0x0F));
            let counts: &[u8; 16] =
                rest.get(..16).and_then(|c| c.try_into().ok()).ok_or(malformed)?;
            let total = counts.iter().map(|&n| usize::from(n)).sum::<usize>();
            let symbols = rest.get(16..16 + total).ok_or(malformed)?;
            if class > 1 || id > 3 {
                return Err(malformed.into());
            }
            self.tables[class * 4 + id] =
                Some(Box::new(Huffman::new(counts, symbols).ok_or(malformed)?));
            payload = &rest[16 + total..];
        }
        Ok(())
    }

    /// Reads a DQT segment (one or more tables of 8- or 16-bit values).
    fn read_quantization(&mut self, mut payload: &[u8]) -> Result<(), String> {
        let malformed = "has a malformed quantization table";
        while let [precision_id, rest @ ..] = payload {
            let (precision, id) = (precision_id >> 4, usize::from(precision_id & 0x0F));
            let length = match precision {
                0 => 64,
                1 => 128,
                _ => return Err(malformed.into()),
            };
            if id > 3 || rest.len() < length {
                return Err(malformed.into());
            }
            self.quantization[id] = Some(std::array::from_fn(|k| match precision {
                0 => u16::from(rest[k]),
                _ => u16::from_be_bytes([rest[2 * k], rest[2 * k + 1]]),
            }));
            payload = &rest[length..];
        }
        Ok(())
    }

    /// Decodes the scan whose header is `header` and whose data starts at `start`; returns
    /// where the marker after its data is.
    fn scan(&mut self, data: &[u8], header: &[u8], start: usize) -> Result<usize, String> {
        let frame = self.frame.as_mut().ok_or("has image data before its frame header")?;
        let malformed = || "has a malformed scan header".to_string();
        let count = usize::from(*header.first().ok_or_else(malformed)?);
        let mut components = [ScanComponent { index: 0, dc: 0, ac: 4 }; 4];
        if !(1..=4).contains(&count) {
            return Err(malformed());
        }
        let spectral = header.get(1 + 2 * count..4 + 2 * count).ok_or_else(malformed)?;
        let (pass, band, low_bit) = if frame.progressive {
            let pass = Pass::progressive(spectral[0], spectral[1], spectral[2] >> 4, count)?;
            let band = match pass {
                Pass::AcFirst(from, to) | Pass::AcRefine(from, to) => from..=to,
                _ => 0..=0,
            };
            (pass, band, spectral[2] & 0x0F)
        } else {
            (Pass::Sequential, 0..=63, 0)
        };
        for (i, slot) in components.iter_mut().enumerate().take(count) {
            let (id, tables) = (header[1 + 2 * i], header[2 + 2 * i]);
            let index = frame.components.iter().position(|c| c.id == id).ok_or_else(|| {
                format!("has a scan of component {id}, which its frame header does not list")
            })?;
            if self.quantization[frame.components[index].table].is_none() {
                return Err(format!("has no quantization table for component {id}"));
            }
            for bit in &mut frame.components[index].coverage[band.clone()] {
                *bit = (*bit).min(low_bit);
            }
            *slot = ScanComponent {
                index,
                dc: usize::from(tables >> 4),
                ac: 4 + usize::from(tables & 0x0F),
            };
        }
        let components = &components[..count];
        for c in components {
            let needs = match pass {
                Pass::Sequential => [Some(c.dc), Some(c.ac)],
                Pass::DcFirst => [Some(c.dc), None],
                Pass::DcRefine => [None, None],
                Pass::AcFirst(..) | Pass::AcRefine(..) => [None, Some(c.ac)],
            };
            if needs.into_iter().flatten().any(|t| !matches!(self.tables.get(t), Some(Some(_)))) {
                return Err("has a scan that uses a Huffman table it does not define".into());
            }
        }
        if frame.progressive && self.nonzero.is_empty() {
            let blocks = frame.blocks();
            // The caller keeps a progressive JPEG's coefficients within this budget; a bit
            // per coefficient is 1/16 of it.
            if blocks as u64 * 128 > raster::MAX_COEFFICIENT_BYTES {
                return Err("is a progressive JPEG too large to check".into());
            }
            self.nonzero = vec![0; blocks];
        }
        self.scans += 1;
        let scan = self.scans;
        let frame = self.frame.as_ref().ok_or_else(malformed)?;
        // The ink is measured on one interleaved sequential scan of four components, none
        // subsampled; a frame of another kind, or a second scan, has no bound.
        self.ink = match self.measure {
            Some((inverted, limit))
                if scan == 1
                    && !frame.progressive
                    && frame.precision == 8
                    && count == 4
                    && frame.components.len() == 4
                    && frame.components.iter().all(|c| c.h == 1 && c.v == 1) =>
            {
                let table = |c: &Component| self.quantization[c.table].unwrap_or([0; 64]);
                let tables = std::array::from_fn(|i| table(&frame.components[i]));
                Some(InkBound::new(inverted, tables, limit))
            }
            _ => None,
        };
        let mut ink = self.ink.as_mut();
        let tables = &self.tables;
        let table = |t: usize| tables[t].as_deref();
        let (units, across) = match components {
            [one] => {
                let own = frame.components[one.index].own;
                (own.0 * own.1, own.0)
            }
            _ => (frame.mcus.0 * frame.mcus.1, frame.mcus.0),
        };
        let mut bits = Bits::new(data, start);
        let mut block = BlockDecoder { bits: &mut bits, nonzero: &mut self.nonzero, eob_run: 0 };
        let mut next_restart = 0u8;
        // The unit's place, counted along rather than divided out: a division per block
        // would cost about what decoding a block of a photo does.
        let (mut x, mut y) = (0, 0);
        for unit in 0..units {
            if self.restart_interval > 0 && unit > 0 && unit % self.restart_interval == 0 {
                let found = block.bits.restart(next_restart);
                found.map_err(|why| fault(scan, why, unit, units, across))?;
                next_restart = (next_restart + 1) % 8;
                block.eob_run = 0;
                if let Some(ink) = ink.as_mut() {
                    ink.restart();
                }
            }
            for c in components {
                let info = &frame.components[c.index];
                let (h, v) = if count == 1 { (1, 1) } else { (info.h, info.v) };
                for row in 0..v {
                    for column in 0..h {
                        let at = info.first_block + (y * v + row) * info.padded.0 + x * h + column;
                        let decoded = match (pass, ink.as_mut()) {
                            (Pass::Sequential, Some(ink)) => {
                                ink.block(block.bits, c.index, table(c.dc), table(c.ac))
                            }
                            (Pass::Sequential, None) => block.sequential(table(c.dc), table(c.ac)),
                            (Pass::DcFirst, _) => skip_dc(block.bits, table(c.dc)),
                            (Pass::DcRefine, _) => {
                                block.bits.skip(1);
                                Ok(())
                            }
                            (Pass::AcFirst(from, to), _) => {
                                block.ac_first(table(c.ac), at, from, to)
                            }
                            (Pass::AcRefine(from, to), _) => {
                                block.ac_refine(table(c.ac), at, from, to)
                            }
                        };
                        decoded.map_err(|why| {
                            // A code made of the zeros past the data's end: the data is short.
                            let why = if block.bits.overran() { Fault::Short } else { why };
                            fault(scan, why, unit, units, across)
                        })?;
                    }
                }
            }
            if block.bits.overran() {
                return Err(fault(scan, Fault::Short, unit, units, across));
            }
            if let Some(ink) = ink.as_mut() {
                ink.mcu_done();
            }
            x += 1;
            if x == across {
                (x, y) = (0, y + 1);
            }
        }
        bits.end().map_err(|why| fault(scan, why, units, units, across))
    }

    /// After the end-of-image marker: every coefficient of every component was carried
    /// whole by the scans. A progressive file cut between two scans (and closed again)
    /// lacks the later scans' bits.
    fn finish(&self) -> Result<Scans, String> {
        let frame = self.frame.as_ref().ok_or("has no frame header")?;
        for c in &frame.components {
            if c.coverage.iter().all(|&bit| bit == NOT_SCANNED) {
                return Err(format!("has no image data for component {} of its frame", c.id));
            }
            if c.coverage.iter().any(|&bit| bit != 0) {
                return Err(format!(
                    "is cut short: its progressive scans end before component {} is complete \
                     (the file was cut between two scans, then closed again)",
                    c.id
                ));
            }
        }
        Ok(Scans::Counted)
    }
}

/// The sentence for a fault found in `unit` (of `units`, `across` a row) of scan number
/// `scan`.
fn fault(scan: usize, fault: Fault, unit: usize, units: usize, across: usize) -> String {
    let which = match scan {
        1 => "its image data".to_string(),
        n => format!("scan {n} of its image data"),
    };
    let rows = units.div_ceil(across);
    match fault {
        Fault::Short => format!(
            "is cut short: {which} ends after {unit} of the {units} blocks ({} of {rows} \
             rows) its frame header promises (the file was cut, then closed again)",
            unit / across
        ),
        Fault::BadCode => format!(
            "has corrupt image data: {which} holds a code its Huffman tables do not, in \
             block {} of {units}",
            unit + 1
        ),
        Fault::Restart => format!(
            "has corrupt image data: {which} lacks the restart marker due before block {} \
             of {units}",
            unit + 1
        ),
        Fault::Extra => format!(
            "has more image data in {which} than the {units} blocks its frame header \
             promises (the header and the data disagree)"
        ),
        Fault::NoEnd => NO_END.to_string(),
    }
}

/// What a scan codes.
#[derive(Clone, Copy)]
enum Pass {
    /// Each block whole (baseline, extended).
    Sequential,
    /// Progressive: the DC coefficients' first bits, then one more bit each.
    DcFirst,
    DcRefine,
    /// Progressive: a band of AC coefficients (first and last), then one more bit each.
    AcFirst(usize, usize),
    AcRefine(usize, usize),
}

impl Pass {
    fn progressive(start: u8, end: u8, high: u8, components: usize) -> Result<Pass, String> {
        let (from, to) = (usize::from(start), usize::from(end));
        match (from, high) {
            (0, 0) => Ok(Pass::DcFirst),
            (0, _) => Ok(Pass::DcRefine),
            _ if to > 63 || from > to || components != 1 => {
                Err("has a progressive scan header of a band no decoder can read".into())
            }
            (_, 0) => Ok(Pass::AcFirst(from, to)),
            _ => Ok(Pass::AcRefine(from, to)),
        }
    }
}

/// What is wrong with a scan's data.
enum Fault {
    /// It ends before the last block.
    Short,
    /// A code no table holds.
    BadCode,
    /// A restart marker missing or out of order.
    Restart,
    /// Data after the last block.
    Extra,
    /// No marker after it: the file ends.
    NoEnd,
}

/// Decodes blocks, skipping their coefficients' bits.
struct BlockDecoder<'a, 'd> {
    bits: &'a mut Bits<'d>,
    nonzero: &'a mut [u64],
    /// Progressive AC scans: blocks still to skip as all zero (end-of-band run).
    eob_run: u32,
}

impl BlockDecoder<'_, '_> {
    fn sequential(&mut self, dc: Option<&Huffman>, ac: Option<&Huffman>) -> Result<(), Fault> {
        // Decoded from a copy, which stays in registers, and put back, even on a fault
        // (the caller asks whether the data ran out).
        let mut bits = self.bits.clone();
        let decoded = sequential_block(&mut bits, dc, ac);
        *self.bits = bits;
        decoded
    }

    fn ac_first(
        &mut self,
        ac: Option<&Huffman>,
        block: usize,
        from: usize,
        to: usize,
    ) -> Result<(), Fault> {
        if self.eob_run > 0 {
            self.eob_run -= 1;
            return Ok(());
        }
        let ac = ac.ok_or(Fault::BadCode)?;
        let mut k = from;
        while k <= to {
            let symbol = self.bits.symbol(ac)?;
            let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 0x0F));
            if size == 0 {
                if run < 15 {
                    self.eob_run = (1 << run) - 1 + self.bits.take(run);
                    break;
                }
                k += 16;
            } else {
                k += run as usize;
                if k > to {
                    return Err(Fault::BadCode);
                }
                self.bits.skip(size);
                self.nonzero[block] |= 1 << k;
                k += 1;
            }
        }
        Ok(())
    }

    /// An AC refinement: one more bit for each coefficient already not zero, and new
    /// coefficients of one bit (as libjpeg's `decode_mcu_AC_refine` reads them).
    fn ac_refine(
        &mut self,
        ac: Option<&Huffman>,
        block: usize,
        from: usize,
        to: usize,
    ) -> Result<(), Fault> {
        let ac = ac.ok_or(Fault::BadCode)?;
        let mut nonzero = self.nonzero[block];
        let mut k = from;
        if self.eob_run == 0 {
            while k <= to {
                let symbol = self.bits.symbol(ac)?;
                let (mut run, size) = (i32::from(symbol >> 4), symbol & 0x0F);
                if size == 0 && run < 15 {
                    self.eob_run = (1 << run) + self.bits.take(run as u32);
                    break;
                }
                if size > 1 {
                    return Err(Fault::BadCode);
                }
                self.bits.skip(u32::from(size)); // The new coefficient's sign.
                while k <= to {
                    if nonzero & (1 << k) != 0 {
                        self.bits.skip(1);
                    } else {
                        run -= 1;
                        if run < 0 {
                            break;
                        }
                    }
                    k += 1;
                }
                if size != 0 && k <= to {
                    nonzero |= 1 << k;
                }
                k += 1;
            }
        }
        if self.eob_run > 0 {
            // The rest of the band is zero but for corrections.
            while k <= to {
                if nonzero & (1 << k) != 0 {
                    self.bits.skip(1);
                }
                k += 1;
            }
            self.eob_run -= 1;
        }
        self.nonzero[block] = nonzero;
        Ok(())
    }
}

/// One block of a sequential scan from `bits`: its DC value, then its AC coefficients up
/// to the end of block or the 64th.
fn sequential_block(
    bits: &mut Bits<'_>,
    dc: Option<&Huffman>,
    ac: Option<&Huffman>,
) -> Result<(), Fault> {
    skip_dc(bits, dc)?;
    let ac = ac.ok_or(Fault::BadCode)?;
    let mut k = 1;
    while k < 64 {
        let (symbol, _) = bits.coefficient(ac)?;
        let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 0x0F));
        if size == 0 {
            if run != 15 {
                break; // End of block.
            }
            k += 16;
        } else {
            k += run + 1;
        }
    }
    if k > 64 { Err(Fault::BadCode) } else { Ok(()) }
}

/// A block's DC difference from `bits`: its size's code, then as many bits.
#[inline(always)]
fn skip_dc(bits: &mut Bits<'_>, dc: Option<&Huffman>) -> Result<(), Fault> {
    let size = bits.symbol(dc.ok_or(Fault::BadCode)?)?;
    if size > 16 {
        return Err(Fault::BadCode);
    }
    bits.skip(u32::from(size));
    Ok(())
}

/// Why a JPEG without an end-of-image marker after its scans is refused.
const NO_END: &str = "is cut short: its image data has no end (the file was truncated)";

/// A coefficient no scan has carried yet, in [`Component::coverage`].
const NOT_SCANNED: u8 = u8::MAX;

#[cfg(test)]
#[path = "jpeg_scan_tests.rs"]
mod tests;
