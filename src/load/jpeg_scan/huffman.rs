//! The bits of a scan's entropy-coded data and the Huffman codes they hold, read as the
//! decoders read them: a 64-bit buffer refilled eight bytes at a time where it can be,
//! codes of up to nine bits looked up in one step, and an AC coefficient whose code and
//! value bits fit in ten bits (most of a photo's) decoded whole in one step.

use super::Fault;

/// Bits of entropy-coded data, the first one most significant, with stuffed zero bytes
/// removed; past the data's end (a marker, or the end of the file) zeros, counted, so that
/// decoding into them shows the data was short.
#[derive(Clone)]
pub(super) struct Bits<'d> {
    data: &'d [u8],
    /// The next byte to read.
    pos: usize,
    /// Bits read ahead, the next one the most significant.
    buffer: u64,
    /// Valid bits in `buffer`.
    count: u32,
    /// How many of them (the last ones) are zeros put in past the data's end.
    padding: u32,
    /// Where the data ends (a marker, or the end of the file), once reached.
    end: Option<usize>,
}

impl<'d> Bits<'d> {
    pub(super) fn new(data: &'d [u8], pos: usize) -> Self {
        Bits { data, pos, buffer: 0, count: 0, padding: 0, end: None }
    }

    /// Makes sure at least 32 bits are read ahead: one symbol and its extra bits.
    #[inline(always)]
    fn fill(&mut self) {
        if self.count >= 32 {
            return;
        }
        // Most of the time the next eight bytes hold no 0xFF (no stuffing, no marker): as
        // many as fit go in at once.
        let next = self.data.get(self.pos..self.pos + 8).and_then(|c| <[u8; 8]>::try_from(c).ok());
        if let (None, Some(next)) = (self.end, next) {
            let word = u64::from_be_bytes(next);
            let inverted = !word; // A zero byte where `word` has 0xFF.
            const ONES: u64 = 0x0101_0101_0101_0101;
            if inverted.wrapping_sub(ONES) & !inverted & (ONES << 7) == 0 {
                let bytes = (64 - self.count) / 8;
                self.buffer |= (word >> (64 - 8 * bytes)) << (64 - self.count - 8 * bytes);
                self.count += 8 * bytes;
                self.pos += bytes as usize;
                return;
            }
        }
        while self.count <= 56 {
            let byte = match self.data.get(self.pos) {
                _ if self.end.is_some() => None,
                Some(&0xFF) if self.data.get(self.pos + 1) == Some(&0x00) => {
                    self.pos += 2; // A stuffed 0xFF data byte.
                    Some(0xFF)
                }
                Some(&0xFF) | None => None,
                Some(&byte) => {
                    self.pos += 1;
                    Some(byte)
                }
            };
            let byte = byte.unwrap_or_else(|| {
                self.end.get_or_insert(self.pos);
                self.padding += 8;
                0
            });
            self.buffer |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    /// Decodes one symbol with `table`.
    #[inline(always)]
    pub(super) fn symbol(&mut self, table: &Huffman) -> Result<u8, Fault> {
        self.fill();
        let peek = (self.buffer >> 48) as u32;
        let fast = table.fast[(peek >> (16 - FAST_BITS)) as usize];
        let (length, symbol) = if fast != 0 {
            (u32::from(fast >> 8), fast as u8)
        } else {
            let length = (FAST_BITS + 1..=16).find(|&l| peek < table.max_code[l as usize]);
            let Some(length) = length else {
                // A code cut off by the data's end is a short scan, not a bad code.
                let real = self.count.saturating_sub(self.padding);
                return Err(if real < 16 { Fault::Short } else { Fault::BadCode });
            };
            let index = (peek >> (16 - length)) as i32 + table.delta[length as usize];
            let symbol = usize::try_from(index).ok().and_then(|i| table.symbols.get(i));
            (length, *symbol.ok_or(Fault::BadCode)?)
        };
        self.buffer <<= length;
        self.count -= length;
        Ok(symbol)
    }

    /// Decodes one AC coefficient with `table`: its symbol (zeros before it, high four
    /// bits; its size, low four) and its value, looked up whole when its code and value
    /// bits fit in [`AC_BITS`], and [`Bits::symbol`] then its value bits otherwise.
    #[inline(always)]
    pub(super) fn coefficient(&mut self, table: &Huffman) -> Result<(u8, i32), Fault> {
        self.fill();
        let entry = table.coefficients[(self.buffer >> (64 - AC_BITS)) as usize];
        if entry != 0 {
            let length = entry & 0xFF;
            self.buffer <<= length;
            self.count -= length;
            return Ok(((entry >> 8) as u8, entry as i32 >> 16));
        }
        let symbol = self.symbol(table)?;
        // `fill` made at least 32 bits ready and a code takes at most 16 of them.
        let size = u32::from(symbol & 0x0F);
        let raw = if size == 0 { 0 } else { (self.buffer >> (64 - size)) as u32 };
        self.buffer <<= size;
        self.count -= size;
        Ok((symbol, extend(raw, size)))
    }

    /// Skips `n` bits (at most 16).
    #[inline(always)]
    pub(super) fn skip(&mut self, n: u32) {
        self.fill();
        self.buffer <<= n;
        self.count -= n;
    }

    /// Reads `n` bits (at most 16) as a number.
    pub(super) fn take(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        self.fill();
        let value = (self.buffer >> (64 - n)) as u32;
        self.skip(n);
        value
    }

    /// Decoding has gone past the data's end.
    pub(super) fn overran(&self) -> bool {
        self.padding > self.count
    }

    /// The marker the data ends at: its position, after any bits padding the last byte;
    /// data before it is a fault.
    fn marker(&mut self) -> Result<usize, Fault> {
        self.fill();
        let end = match self.end {
            Some(end) if self.count.saturating_sub(self.padding) < 8 => end,
            _ => return Err(Fault::Extra),
        };
        // Fill bytes may come before the marker's code.
        match self.data[end..].iter().position(|&b| b != 0xFF) {
            Some(code) if code > 0 => Ok(end + code - 1),
            _ => Err(Fault::NoEnd),
        }
    }

    /// At a restart point: the restart marker numbered `number` must come next; decoding
    /// goes on after it.
    pub(super) fn restart(&mut self, number: u8) -> Result<(), Fault> {
        let at = self.marker()?;
        if self.data.get(at + 1) != Some(&(0xD0 + number)) {
            return Err(Fault::Restart);
        }
        *self = Bits::new(self.data, at + 2);
        Ok(())
    }

    /// After a scan's last block: where the marker after it is (past a restart marker some
    /// encoders put there).
    pub(super) fn end(&mut self) -> Result<usize, Fault> {
        let at = self.marker()?;
        if matches!(self.data.get(at + 1), Some(0xD0..=0xD7)) {
            *self = Bits::new(self.data, at + 2);
            return self.marker();
        }
        Ok(at)
    }
}

/// Codes up to this long are looked up in one step.
const FAST_BITS: u32 = 9;

/// AC coefficients whose code and value bits are this long at most are decoded in one
/// step: 4 KB of table, and most coefficients of a photo (short codes, small values).
const AC_BITS: u32 = 10;

/// A coefficient's value from its `size` extra bits (JPEG's EXTEND): the top half of the
/// codes are the positive values, the bottom half the negative ones.
pub(super) fn extend(bits: u32, size: u32) -> i32 {
    let bits = bits as i32;
    if size == 0 {
        0
    } else if bits < 1 << (size - 1) {
        bits - (1 << size) + 1
    } else {
        bits
    }
}

/// A Huffman table, as decoders build it.
pub(super) struct Huffman {
    /// For each value of the next [`FAST_BITS`] bits: the length of the code they start
    /// with (high byte; 0 for a longer code) and its symbol.
    fast: [u16; 1 << FAST_BITS],
    /// For each length: one past the last code of that length, left-aligned on 16 bits.
    max_code: [u32; 17],
    /// For each length: what turns a code of that length into its symbol's index.
    delta: [i32; 17],
    symbols: [u8; 256],
    /// For each value of the next [`AC_BITS`] bits that holds a whole code and its value
    /// bits: the bits taken (low byte), the symbol (next byte) and the value (high 16 bits,
    /// signed); 0 for the others.
    coefficients: [u32; 1 << AC_BITS],
}

impl Huffman {
    /// The table of `counts` codes of each length 1 to 16 for `symbols`; `None` when the
    /// counts are more than codes of their lengths can hold.
    pub(super) fn new(counts: &[u8; 16], symbols: &[u8]) -> Option<Huffman> {
        let mut table = Huffman {
            fast: [0; 1 << FAST_BITS],
            max_code: [0; 17],
            delta: [0; 17],
            symbols: [0; 256],
            coefficients: [0; 1 << AC_BITS],
        };
        table.symbols.get_mut(..symbols.len())?.copy_from_slice(symbols);
        let (mut code, mut index) = (0u32, 0usize);
        for length in 1..=16u32 {
            table.delta[length as usize] = index as i32 - code as i32;
            for _ in 0..counts[length as usize - 1] {
                if code >= 1 << length {
                    return None;
                }
                let symbol = symbols[index];
                if length <= FAST_BITS {
                    let first = (code << (FAST_BITS - length)) as usize;
                    let entry = (length as u16) << 8 | u16::from(symbol);
                    table.fast[first..first + (1 << (FAST_BITS - length))].fill(entry);
                }
                let size = u32::from(symbol & 0x0F);
                if length + size <= AC_BITS {
                    // Every bit pattern that starts with the code: the bits after it are
                    // the value's, then whatever follows.
                    let spare = AC_BITS - length - size;
                    let first = code << (AC_BITS - length);
                    for (extra, slot) in table.coefficients
                        [first as usize..(first + (1 << (AC_BITS - length))) as usize]
                        .iter_mut()
                        .enumerate()
                    {
                        let value = extend(extra as u32 >> spare, size);
                        *slot = (length + size) | u32::from(symbol) << 8 | (value as u32) << 16;
                    }
                }
                code += 1;
                index += 1;
            }
            table.max_code[length as usize] = code << (16 - length);
            code <<= 1;
        }
        Some(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes of every length 1 to 16 for symbols of every run and size, decoded whole
    /// ([`Bits::coefficient`]) and code then value bits ([`Bits::symbol`], [`Bits::take`]):
    /// the one-step table must agree with the two steps, short and long codes alike.
    #[test]
    fn a_coefficient_decodes_alike_in_one_step_and_in_two() {
        let mut counts = [1u8; 16];
        counts[15] = 2;
        let symbols: Vec<u8> = (0..17u8).map(|i| ((i % 16) << 4) | ((i * 7 + 1) % 16)).collect();
        let table = Huffman::new(&counts, &symbols).unwrap();
        // The canonical codes, as `Huffman::new` numbers them.
        let (mut codes, mut code) = (Vec::new(), 0u32);
        for (length, &count) in (1..=16u32).zip(&counts) {
            for _ in 0..count {
                codes.push((code, length));
                code += 1;
            }
            code <<= 1;
        }
        // Each symbol with a value of each sign, written MSB first.
        let mut writer = (Vec::new(), 0u64, 0u32);
        let mut put = |value: u32, length: u32| {
            for bit in (0..length).rev() {
                writer.1 = writer.1 << 1 | u64::from(value >> bit & 1);
                writer.2 += 1;
                if writer.2 == 8 {
                    writer.0.push(writer.1 as u8);
                    if writer.1 as u8 == 0xFF {
                        writer.0.push(0); // Stuffed, as in a scan.
                    }
                    (writer.1, writer.2) = (0, 0);
                }
            }
        };
        let mut expected = Vec::new();
        for round in 0..3u32 {
            for (&symbol, &(code, length)) in symbols.iter().zip(&codes) {
                let size = u32::from(symbol & 0x0F);
                let raw = if size == 0 { 0 } else { (round * 5 + 1) % (1 << size) };
                put(code, length);
                put(raw, size);
                expected.push((symbol, extend(raw, size)));
            }
        }
        put(0x7F, 7);
        let data = writer.0;
        let (mut one, mut two) = (Bits::new(&data, 0), Bits::new(&data, 0));
        for &(symbol, value) in &expected {
            assert_eq!(one.coefficient(&table).ok(), Some((symbol, value)));
            let read = two.symbol(&table).ok().unwrap();
            let size = u32::from(read & 0x0F);
            assert_eq!((read, extend(two.take(size), size)), (symbol, value));
        }
    }
}
