//! A layer's property tables as MVT encodes them: each distinct key and value once, as its
//! `Layer.keys` or `Layer.values` entry, numbered in order of first appearance; and the
//! renumbering of those entries for one tile, which writes only the ones its features use.

use std::ops::Range;

use super::protobuf as pb;

/// One property value of a feature.
#[derive(Debug, Clone)]
pub enum TagValue {
    /// A string property.
    Text(String),
    /// A numeric property.
    Number(f64),
}

/// A value as its `Layer.values` entry.
pub fn value_entry(value: TagValue) -> Vec<u8> {
    let mut entry = Vec::new();
    write_value_entry(&value, &mut entry);
    entry
}

/// Writes a value's `Layer.values` entry to `out`.
pub fn write_value_entry(value: &TagValue, out: &mut Vec<u8>) {
    match value {
        TagValue::Text(text) => {
            let message = 1 + pb::varint_len(text.len() as u64) + text.len();
            pb::bytes_header(pb::LAYER_VALUES, message, out);
            pb::bytes_field(pb::VALUE_STRING, text.as_bytes(), out);
        }
        TagValue::Number(number) => {
            // A double: its key and eight bytes.
            pb::bytes_header(pb::LAYER_VALUES, 9, out);
            pb::double_field(pb::VALUE_DOUBLE, *number, out);
        }
    }
}

/// A key as its `Layer.keys` entry.
pub fn key_entry(key: &str) -> Vec<u8> {
    let mut entry = Vec::new();
    pb::bytes_field(pb::LAYER_KEYS, key.as_bytes(), &mut entry);
    entry
}

/// Encoded entries side by side in one buffer, so that a feature's values, numbered together,
/// are read together.
#[derive(Default)]
pub(super) struct Entries {
    pub(super) bytes: Vec<u8>,
    /// Where each entry ends in `bytes`.
    pub(super) ends: Vec<u32>,
}

impl Entries {
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn push(&mut self, entry: &[u8]) {
        self.push_with(|bytes| bytes.extend_from_slice(entry));
    }

    /// Adds the entry `write` appends to the buffer.
    pub(super) fn push_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        write(&mut self.bytes);
        self.ends.push(u32::try_from(self.bytes.len()).expect("a layer's keys or values under 4 GiB"));
    }

    pub(super) fn get(&self, i: usize) -> &[u8] {
        self.range(&(i as u32..i as u32 + 1))
    }

    /// Entries side by side, as one slice.
    pub(super) fn range(&self, numbers: &Range<u32>) -> &[u8] {
        let (first, last) = (numbers.start as usize, numbers.end as usize - 1);
        let start = if first == 0 { 0 } else { self.ends[first - 1] as usize };
        &self.bytes[start..self.ends[last] as usize]
    }
}

/// Numbers a layer's values afresh for one tile, in order of first use.
#[derive(Default)]
pub(super) struct Renumbering {
    /// The tile's number of each layer number numbered one at a time; `u32::MAX` where unused.
    pub(super) number: Vec<u32>,
    /// The layer numbers used, in the tile's order, as runs of consecutive numbers.
    pub(super) order: Vec<Range<u32>>,
    /// How many numbers the tile has used.
    pub(super) used: u32,
    /// The layer numbers whose slot in `number` is set.
    pub(super) numbered: Vec<u32>,
}

impl Renumbering {
    /// Forgets the last tile's numbers and makes room for a table of `size` entries.
    pub(super) fn reset(&mut self, size: usize) {
        for &n in &self.numbered {
            self.number[n as usize] = u32::MAX;
        }
        self.numbered.clear();
        self.order.clear();
        self.used = 0;
        if self.number.len() < size {
            self.number.resize(size, u32::MAX);
        }
    }

    /// The tile's number for a layer number, given on first use.
    pub(super) fn number(&mut self, layer_number: u32) -> u64 {
        let slot = self.number[layer_number as usize];
        if slot != u32::MAX {
            return u64::from(slot);
        }
        self.number[layer_number as usize] = self.used;
        self.numbered.push(layer_number);
        self.push_block(layer_number..layer_number + 1)
    }

    /// Numbers a run of layer numbers none of which is numbered yet, in order, and returns the
    /// tile's number of the first.
    pub(super) fn push_block(&mut self, run: Range<u32>) -> u64 {
        let first = self.used;
        if run.is_empty() {
            return u64::from(first);
        }
        self.used += run.len() as u32;
        match self.order.last_mut() {
            Some(last) if last.end == run.start => last.end = run.end,
            _ => self.order.push(run),
        }
        u64::from(first)
    }
}
