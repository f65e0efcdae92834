//! An in-memory tile cache bounded in bytes, least recently used out first.
//!
//! Keys carry the data version, so a new atlas never sees an old tile.

use std::sync::Mutex;

use bytes::Bytes;

use lru::LruCache;

/// Cached tile bodies (`None` is a cached empty tile).
pub struct TileCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

struct Inner {
    entries: LruCache<String, Option<Bytes>>,
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
    pub fn get(&self, key: &str) -> Option<Option<Bytes>> {
        if self.capacity == 0 {
            return None;
        }
        self.inner.lock().ok()?.entries.get(key).cloned()
    }

    /// Stores a body, evicting the least recently used entries beyond the capacity.
    pub fn put(&self, key: String, body: Option<Bytes>) {
        let cost = ENTRY_OVERHEAD + key.len() + body.as_ref().map_or(0, |b| b.len());
        if self.capacity == 0 || cost > self.capacity {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else { return };
        if let Some(old) = inner.entries.put(key.clone(), body) {
            inner.bytes -= ENTRY_OVERHEAD + key.len() + old.map_or(0, |b| b.len());
        }
        inner.bytes += cost;
        while inner.bytes > self.capacity {
            match inner.entries.pop_lru() {
                Some((k, v)) => inner.bytes -= ENTRY_OVERHEAD + k.len() + v.map_or(0, |b| b.len()),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_stays_within_its_byte_budget_and_evicts_the_oldest() {
        let cache = TileCache::new(1000);
        for i in 0..20 {
            cache.put(format!("k{i}"), Some(Bytes::from(vec![0; 200])));
            assert!(cache.bytes() <= 1000);
        }
        assert!(cache.get("k0").is_none());
        assert!(cache.get("k19").is_some());
    }

    #[test]
    fn a_zero_capacity_cache_holds_nothing() {
        let cache = TileCache::new(0);
        cache.put("k".into(), Some(Bytes::from(vec![1])));
        assert!(cache.get("k").is_none());
    }
}
