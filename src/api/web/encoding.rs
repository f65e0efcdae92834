//! A file of the page in every encoding a browser asks for, each with its own strong validator,
//! and the choice between them from a request's `Accept-Encoding`.
//!
//! The page's files never change while the server runs, so each is compressed once, at the
//! strongest settings (gzip level 9, brotli quality 11 with a window as large as the file): the
//! cost is paid once per process, not per visit. Each representation, once made, never changes. The validator is a digest of the file's own bytes, so it changes
//! exactly when the file does; each encoding is a different representation and gets its own tag
//! (RFC 9110 §8.8.3), so a cache never confuses a gzip body with a brotli one.

use std::io::Write;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::http::HeaderValue;
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

/// A content coding of a response: the page's files are kept in brotli and gzip, vector tiles are
/// compressed on request in zstd or gzip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `br`: the smallest, which every current browser accepts over HTTP and HTTPS alike.
    Brotli,
    /// `zstd`: quick to compress on request, which Chromium and Firefox accept (Safari does not).
    Zstd,
    /// `gzip`: for clients without brotli or zstd.
    Gzip,
    /// The bytes as they are.
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` token, or `None` for the bytes as they are.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Encoding::Brotli => Some("br"),
            Encoding::Zstd => Some("zstd"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }

    /// The encoding of the page's files to send for a request's `Accept-Encoding` header (see
    /// [`Encoding::negotiate_among`]): brotli, gzip or the bytes as they are.
    pub fn negotiate(accept_encoding: Option<&str>) -> Encoding {
        Encoding::negotiate_among(accept_encoding, &[Encoding::Brotli, Encoding::Gzip])
    }

    /// The encoding to send for a request's `Accept-Encoding` header when `codings` (in order of
    /// preference) are on offer: the acceptable coding with the highest quality value, the first
    /// of `codings` before the later ones and before the bytes as they are when values are equal.
    /// A coding the header does not name takes the quality of `*`, if given; the bytes as they are
    /// are acceptable unless refused (RFC 9110 §12.5.3), but below any coding the client names, and
    /// are the answer when nothing else is.
    pub fn negotiate_among(accept_encoding: Option<&str>, codings: &[Encoding]) -> Encoding {
        let offers: Vec<(String, f32)> = accept_encoding.unwrap_or("").split(',').filter_map(offer).collect();
        let quality = |coding: &str| {
            let named = offers.iter().find(|(name, _)| name == coding).map(|&(_, q)| q);
            named.or_else(|| offers.iter().find(|(name, _)| name == "*").map(|&(_, q)| q))
        };
        let offered = codings.iter().filter_map(|&coding| Some((coding, quality(coding.token()?).unwrap_or(0.0))));
        let candidates: Vec<(Encoding, f32)> =
            offered.chain([(Encoding::Identity, quality("identity").unwrap_or(IDENTITY_QUALITY))]).collect();
        // The first of the best: `max_by` would keep the last of equals.
        candidates
            .iter()
            .filter(|(_, q)| *q > 0.0)
            .fold(None, |best: Option<(Encoding, f32)>, &(encoding, q)| match best {
                Some((_, best_q)) if best_q >= q => best,
                _ => Some((encoding, q)),
            })
            .map_or(Encoding::Identity, |(encoding, _)| encoding)
    }
}

/// The quality of the bytes as they are when the header neither names them nor gives `*`.
const IDENTITY_QUALITY: f32 = 0.001;

/// One element of `Accept-Encoding` as (coding in lower case, quality); a malformed quality counts
/// as 0, as RFC 9110 §12.4.2 allows only 0 to 1 with three decimals.
fn offer(element: &str) -> Option<(String, f32)> {
    let mut parts = element.split(';');
    let coding = parts.next()?.trim().to_ascii_lowercase();
    if coding.is_empty() {
        return None;
    }
    let quality = parts
        .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
        .next()
        .map_or(1.0, |q| q.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q)).unwrap_or(0.0));
    Some((coding, quality))
}

/// One representation of a file: its body and its strong entity tag.
#[derive(Clone)]
pub struct Representation {
    /// The bytes sent.
    pub body: Bytes,
    /// Its `ETag`, quoted.
    pub etag: HeaderValue,
}

/// A file in every encoding. Brotli at its highest quality takes seconds for MapLibre, so it is
/// added after the rest ([`Encoded::add_brotli`]); until then a client that asks for brotli gets
/// gzip, which it also accepts.
pub struct Encoded {
    hash: String,
    plain: Representation,
    gzip: Representation,
    brotli: OnceLock<Representation>,
}

impl Encoded {
    /// The file as it is and gzipped, each tagged.
    pub fn new(bytes: &[u8]) -> std::io::Result<Encoded> {
        let digest = Sha256::digest(bytes);
        let hash: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        Ok(Encoded {
            plain: tagged(&hash, bytes.to_vec(), ""),
            gzip: tagged(&hash, gzip(bytes)?, "-gz"),
            brotli: OnceLock::new(),
            hash,
        })
    }

    /// Adds the brotli representation, unless it is there already.
    pub fn add_brotli(&self) -> std::io::Result<()> {
        if self.brotli.get().is_none() {
            let body = brotli(&self.plain.body)?;
            let _ = self.brotli.set(tagged(&self.hash, body, "-br"));
        }
        Ok(())
    }

    /// The representation to send to a client that accepts `encoding` best, with its encoding.
    pub fn get(&self, encoding: Encoding) -> (Encoding, &Representation) {
        match (encoding, self.brotli.get()) {
            (Encoding::Brotli, Some(brotli)) => (Encoding::Brotli, brotli),
            (Encoding::Brotli | Encoding::Zstd | Encoding::Gzip, _) => (Encoding::Gzip, &self.gzip),
            (Encoding::Identity, _) => (Encoding::Identity, &self.plain),
        }
    }
}

/// A body with its tag: the file's digest, and a suffix naming the encoding.
fn tagged(hash: &str, body: Vec<u8>, suffix: &str) -> Representation {
    Representation {
        body: Bytes::from(body),
        // Hex digits and a dash: always a valid header value.
        etag: HeaderValue::from_str(&format!("\"{hash}{suffix}\"")).unwrap_or(HeaderValue::from_static("\"\"")),
    }
}

/// True when an `If-None-Match` header names this tag (or is `*`); weak comparison, as RFC 9110
/// §13.1.2 prescribes for this header.
pub fn matches(if_none_match: Option<&str>, etag: &HeaderValue) -> bool {
    let Some(header) = if_none_match else { return false };
    let ours = etag.as_bytes();
    header.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == ours)
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Brotli at its highest quality, with a window just large enough for the whole file: a larger one
/// finds nothing more, and the encoder's tables grow with the window (tens of megabytes at 2^22).
fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, window_bits(bytes.len()));
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out)
}

/// The base-2 logarithm of the smallest brotli window that holds `len` bytes (brotli allows 10 to 24).
fn window_bits(len: usize) -> u32 {
    // A window of 2^n bytes holds 2^n − 16 of them.
    (len + 16).next_power_of_two().trailing_zeros().clamp(10, 24)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn a_browser_gets_brotli_and_an_older_client_gzip() {
        assert_eq!(Encoding::negotiate(Some("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(Encoding::negotiate(Some("gzip, deflate")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("deflate")), Encoding::Identity);
        assert_eq!(Encoding::negotiate(None), Encoding::Identity);
        assert_eq!(Encoding::negotiate(Some("")), Encoding::Identity);
    }

    #[test]
    fn a_tile_goes_in_zstd_to_a_browser_that_takes_it_and_in_gzip_to_safari() {
        let tiles = [Encoding::Zstd, Encoding::Gzip];
        assert_eq!(Encoding::negotiate_among(Some("gzip, deflate, br, zstd"), &tiles), Encoding::Zstd);
        assert_eq!(Encoding::negotiate_among(Some("gzip, deflate, br"), &tiles), Encoding::Gzip);
        assert_eq!(Encoding::negotiate_among(Some("br"), &tiles), Encoding::Identity);
        assert_eq!(Encoding::negotiate_among(Some("zstd;q=0.5, gzip"), &tiles), Encoding::Gzip);
        assert_eq!(Encoding::negotiate_among(Some("*"), &tiles), Encoding::Zstd);
    }

    #[test]
    fn quality_values_decide_and_zero_refuses() {
        assert_eq!(Encoding::negotiate(Some("br;q=0.5, gzip;q=0.8")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("br;q=0, gzip")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("br;q=0, gzip;q=0")), Encoding::Identity);
        assert_eq!(Encoding::negotiate(Some("*")), Encoding::Brotli);
        assert_eq!(Encoding::negotiate(Some("*;q=0.3, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("identity;q=0, *;q=0")), Encoding::Identity);
        assert_eq!(Encoding::negotiate(Some("GZIP; Q=1")), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(Some("br;q=2, gzip")), Encoding::Gzip, "a quality over 1 is malformed");
    }

    #[test]
    fn each_encoding_decodes_to_the_file_and_has_its_own_tag() {
        let file = "const answer = 42;\n".repeat(500);
        let encoded = Encoded::new(file.as_bytes()).unwrap();
        // Before brotli is made, a client asking for it gets gzip.
        assert_eq!(encoded.get(Encoding::Brotli).0, Encoding::Gzip);
        encoded.add_brotli().unwrap();
        let (_, plain) = encoded.get(Encoding::Identity);
        assert_eq!(plain.body, file.as_bytes());
        let (encoding, gzipped) = encoded.get(Encoding::Gzip);
        assert_eq!(encoding, Encoding::Gzip);
        let mut unzipped = String::new();
        flate2::read::GzDecoder::new(&gzipped.body[..]).read_to_string(&mut unzipped).unwrap();
        assert_eq!(unzipped, file);
        let (encoding, brotlied) = encoded.get(Encoding::Brotli);
        assert_eq!(encoding, Encoding::Brotli);
        let mut unbrotlied = String::new();
        brotli::Decompressor::new(&brotlied.body[..], 4096).read_to_string(&mut unbrotlied).unwrap();
        assert_eq!(unbrotlied, file);
        let tags = [&plain.etag, &gzipped.etag, &brotlied.etag];
        assert!(tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2], "{tags:?}");
        assert!(brotlied.body.len() < gzipped.body.len());
        // The tag follows the bytes: another file, another tag.
        let other = Encoded::new(b"const answer = 43;\n").unwrap();
        assert_ne!(&other.get(Encoding::Identity).1.etag, tags[0]);
    }

    #[test]
    fn the_brotli_window_holds_the_whole_file_and_no_more() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1008), 10, "2^10 bytes hold 1,008");
        assert_eq!(window_bits(1009), 11);
        assert_eq!(window_bits(972_831), 20, "MapLibre");
        assert_eq!(window_bits(usize::MAX / 4), 24);
        // A file whose second half repeats its first, 40 KB back: the fitted window (2^17) reaches
        // the repeat as the largest does, so the file compresses as small.
        let mut file: Vec<u8> = (0..40_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        file.extend_from_within(..);
        let body = brotli(&file).unwrap();
        let mut widest = Vec::new();
        brotli::CompressorWriter::new(&mut widest, 64 * 1024, 11, 24).write_all(&file).unwrap();
        assert!(body.len() < file.len() / 2 + 1_000, "{} of {}", body.len(), file.len());
        assert!(body.len() <= widest.len() + 4, "{} against {}", body.len(), widest.len());
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&body[..], 4096).read_to_end(&mut decoded).unwrap();
        assert_eq!(decoded, file);
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_a_list_or_a_star() {
        let etag = HeaderValue::from_static("\"abc-br\"");
        assert!(matches(Some("\"abc-br\""), &etag));
        assert!(matches(Some("\"x\", W/\"abc-br\""), &etag));
        assert!(matches(Some("*"), &etag));
        assert!(!matches(Some("\"abc\""), &etag), "the plain body's tag is another representation");
        assert!(!matches(Some("\"abc-gz\""), &etag));
        assert!(!matches(None, &etag));
    }
}
