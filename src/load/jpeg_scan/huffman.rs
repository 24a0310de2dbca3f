//! The bits of a scan's entropy-coded data and the Huffman codes they hold, read as the
//! decoders read them: a 64-bit buffer refilled eight bytes at a time where it can be, and
//! codes of up to nine bits looked up in one step.

use super::Fault;

/// Bits of entropy-coded data, the first one most significant, with stuffed zero bytes
/// removed; past the data's end (a marker, or the end of the file) zeros, counted, so that
/// decoding into them shows the data was short.
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
    #[inline]
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
    #[inline]
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

    /// Decodes one symbol with `table` and skips as many bits after it as its low four
    /// bits count (an AC coefficient's value), with one check for a refill where
    /// [`Bits::symbol`] then [`Bits::skip`] make two.
    #[inline]
    pub(super) fn symbol_and_value(&mut self, table: &Huffman) -> Result<u8, Fault> {
        let symbol = self.symbol(table)?;
        // `fill` made at least 32 bits ready and a code takes at most 16 of them.
        let size = u32::from(symbol & 0x0F);
        self.buffer <<= size;
        self.count -= size;
        Ok(symbol)
    }

    /// Skips `n` bits (at most 16).
    #[inline]
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
        };
        table.symbols.get_mut(..symbols.len())?.copy_from_slice(symbols);
        let (mut code, mut index) = (0u32, 0usize);
        for length in 1..=16u32 {
            table.delta[length as usize] = index as i32 - code as i32;
            for _ in 0..counts[length as usize - 1] {
                if code >= 1 << length {
                    return None;
                }
                if length <= FAST_BITS {
                    let first = (code << (FAST_BITS - length)) as usize;
                    let entry = (length as u16) << 8 | u16::from(symbols[index]);
                    table.fast[first..first + (1 << (FAST_BITS - length))].fill(entry);
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
