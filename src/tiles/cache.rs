//! An in-memory tile cache bounded in bytes, least recently used out first.
//!
//! Each served data version has its own cache (a reload starts an empty one beside the new
//! atlas), so a new atlas never sees an old tile and keys need no version.

use std::sync::Mutex;

use axum::body::Bytes;

use lru::LruCache;

use super::grid::TileId;

/// What a cached tile is: its layer or style, its address and its variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TileKey {
    /// A vector tile, compressed or not, with every indicator or a choice of them.
    Vector {
        /// The address.
        tile: TileId,
        /// The body's `Content-Encoding` (`None` for the bytes as encoded).
        encoding: Option<&'static str>,
        /// The indicators chosen, comma-separated in the order asked for; empty for all.
        fields: String,
    },
    /// A PNG tile of one indicator's map.
    Png {
        /// The indicator id.
        indicator: String,
        /// Scheme, classes and palette, as asked for.
        style: String,
        /// The address.
        tile: TileId,
        /// True for the 512-pixel tile.
        retina: bool,
    },
}

impl TileKey {
    /// Bytes the key holds.
    fn size(&self) -> usize {
        std::mem::size_of::<TileKey>()
            + match self {
                TileKey::Vector { fields, .. } => fields.len(),
                TileKey::Png { indicator, style, .. } => indicator.len() + style.len(),
            }
    }
}

/// Cached tile bodies (`None` is a cached empty tile).
pub struct TileCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    entries: LruCache<TileKey, Option<Bytes>>,
    bytes: usize,
}

/// Per-entry bookkeeping cost beyond the body, so empty tiles also count.
const ENTRY_OVERHEAD: usize = 64;

impl TileCache {
    /// A cache holding at most `capacity` bytes; 0 turns caching off.
    pub fn new(capacity: usize) -> TileCache {
        TileCache { capacity, inner: Mutex::new(Inner { entries: LruCache::unbounded(), bytes: 0 }) }
    }

    /// The configured capacity in bytes.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.inner.lock().map(|i| i.bytes).unwrap_or(0)
    }

    /// The cached body for a key, if present.
    pub fn get(&self, key: &TileKey) -> Option<Option<Bytes>> {
        if self.capacity == 0 {
            return None;
        }
        self.inner.lock().ok()?.entries.get(key).cloned()
    }

    /// Stores a body, evicting the least recently used entries beyond the capacity.
    pub fn put(&self, key: TileKey, body: Option<Bytes>) {
        let cost = ENTRY_OVERHEAD + key.size() + body.as_ref().map_or(0, |b| b.len());
        if self.capacity == 0 || cost > self.capacity {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else { return };
        if let Some(old) = inner.entries.put(key.clone(), body) {
            inner.bytes -= ENTRY_OVERHEAD + key.size() + old.map_or(0, |b| b.len());
        }
        inner.bytes += cost;
        while inner.bytes > self.capacity {
            match inner.entries.pop_lru() {
                Some((k, v)) => inner.bytes -= ENTRY_OVERHEAD + k.size() + v.map_or(0, |b| b.len()),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(x: u32) -> TileKey {
        TileKey::Vector { tile: TileId::new(14, x, 0).unwrap(), encoding: None, fields: String::new() }
    }

    #[test]
    fn the_cache_stays_within_its_byte_budget_and_evicts_the_oldest() {
        let cache = TileCache::new(1000);
        for i in 0..20 {
            cache.put(key(i), Some(Bytes::from(vec![0; 200])));
            assert!(cache.bytes() <= 1000);
        }
        assert!(cache.get(&key(0)).is_none());
        assert!(cache.get(&key(19)).is_some());
    }

    #[test]
    fn keys_differ_by_variant_and_style() {
        let cache = TileCache::new(10_000);
        cache.put(key(1), Some(Bytes::from_static(b"raw")));
        let gzip =
            TileKey::Vector { tile: TileId::new(14, 1, 0).unwrap(), encoding: Some("gzip"), fields: String::new() };
        assert!(cache.get(&gzip).is_none());
        let png = |style: &str| TileKey::Png {
            indicator: "iod25_income_rate".into(),
            style: style.into(),
            tile: TileId::new(14, 1, 0).unwrap(),
            retina: false,
        };
        cache.put(png("quantile|5|default"), None);
        assert_eq!(cache.get(&png("quantile|5|default")), Some(None));
        assert!(cache.get(&png("jenks|5|default")).is_none());
    }

    #[test]
    fn a_zero_capacity_cache_holds_nothing() {
        let cache = TileCache::new(0);
        cache.put(key(0), Some(Bytes::from(vec![1])));
        assert!(cache.get(&key(0)).is_none());
    }
}
