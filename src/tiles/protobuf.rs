//! The protobuf wire format of the Mapbox Vector Tile messages, written straight into byte
//! buffers (field keys with `prost`'s encoding functions, varints with [`varint`]).
//!
//! Tiles are written by hand rather than through generated message types so that the parts that
//! never change (a feature's property values, its geometry inside a tile) can be encoded once and
//! copied into every tile that holds them.

use prost::encoding::{WireType, encode_key, encoded_len_varint};

/// `Tile.layers`.
pub const TILE_LAYERS: u32 = 3;
/// `Layer.name`.
pub const LAYER_NAME: u32 = 1;
/// `Layer.features`.
pub const LAYER_FEATURES: u32 = 2;
/// `Layer.keys`.
pub const LAYER_KEYS: u32 = 3;
/// `Layer.values`.
pub const LAYER_VALUES: u32 = 4;
/// `Layer.extent`.
pub const LAYER_EXTENT: u32 = 5;
/// `Layer.version`.
pub const LAYER_VERSION: u32 = 15;
/// `Feature.id`.
pub const FEATURE_ID: u32 = 1;
/// `Feature.tags`.
pub const FEATURE_TAGS: u32 = 2;
/// `Feature.type`.
pub const FEATURE_TYPE: u32 = 3;
/// `Feature.geometry`.
pub const FEATURE_GEOMETRY: u32 = 4;
/// `Value.string_value`.
pub const VALUE_STRING: u32 = 1;
/// `Value.double_value`.
pub const VALUE_DOUBLE: u32 = 3;
/// `GeomType.POINT`.
pub const POINT: u64 = 1;
/// `GeomType.POLYGON`.
pub const POLYGON: u64 = 3;

/// Writes a varint field.
pub fn varint_field(field: u32, value: u64, out: &mut Vec<u8>) {
    encode_key(field, WireType::Varint, out);
    varint(value, out);
}

/// Writes a length-delimited field (a string, bytes, a message or a packed list).
pub fn bytes_field(field: u32, bytes: &[u8], out: &mut Vec<u8>) {
    encode_key(field, WireType::LengthDelimited, out);
    varint(bytes.len() as u64, out);
    out.extend_from_slice(bytes);
}

/// Writes the key and length of a length-delimited field whose `len` bytes follow.
pub fn bytes_header(field: u32, len: usize, out: &mut Vec<u8>) {
    encode_key(field, WireType::LengthDelimited, out);
    varint(len as u64, out);
}

/// Writes a double field.
pub fn double_field(field: u32, value: f64, out: &mut Vec<u8>) {
    encode_key(field, WireType::SixtyFourBit, out);
    out.extend_from_slice(&value.to_le_bytes());
}

/// Writes one varint (an element of a packed list): seven bits a byte, low bits first, the top
/// bit set on every byte but the last. Written here rather than called through `prost` so that it
/// inlines into the geometry and tag loops, which write thousands per tile.
/// A tile's deltas and numbers are small: most take one or two bytes.
#[inline(always)]
pub fn varint(mut value: u64, out: &mut Vec<u8>) {
    if value < 0x80 {
        out.push(value as u8);
        return;
    }
    if value < 0x4000 {
        out.extend_from_slice(&[value as u8 | 0x80, (value >> 7) as u8]);
        return;
    }
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Bytes of a varint.
pub fn varint_len(value: u64) -> usize {
    encoded_len_varint(value)
}

/// Zigzag encoding of a signed geometry parameter.
pub fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_interleaves_signs() {
        assert_eq!([0, -1, 1, -2, 2].map(zigzag), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn varints_match_prost() {
        use prost::encoding::encode_varint;
        for value in [0, 1, 127, 128, 300, 16_383, 16_384, u64::from(u32::MAX), u64::MAX] {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            varint(value, &mut ours);
            encode_varint(value, &mut theirs);
            assert_eq!(ours, theirs, "{value}");
            assert_eq!(ours.len(), varint_len(value));
        }
    }

    #[test]
    fn fields_follow_the_wire_format() {
        let mut out = Vec::new();
        varint_field(LAYER_VERSION, 2, &mut out);
        bytes_field(LAYER_NAME, b"lsoa", &mut out);
        assert_eq!(out, [0x78, 2, 0x0a, 4, b'l', b's', b'o', b'a']);
    }
}
