//! Identifiers shaped like AWS's: `port-`, `prod-`, `pa-`, `cons-`, `pp-`, `rec-`,
//! `tag-`, `lpv3-` followed by 13 lower-case letters and digits. Ids of the
//! world file are derived from names so they are stable across runs; ids made
//! at run time come from a counter mixed with the run's seed.

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";

/// FNV-1a, 64 bit: a stable hash that does not change between Rust releases.
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

fn encode(mut n: u64, len: usize) -> String {
    let mut s = String::with_capacity(len);
    for _ in 0..len {
        s.push(ALPHABET[(n % 32) as usize] as char);
        n /= 32;
        if n == 0 {
            n = stable_hash(&[&s]);
        }
    }
    s
}

/// A stable id for a named thing of the world file.
pub fn named_id(prefix: &str, parts: &[&str]) -> String {
    format!("{prefix}-{}", encode(stable_hash(parts), 13))
}

/// Makes fresh ids at run time.
#[derive(Debug, Default)]
pub struct IdGen {
    seed: u64,
    counter: u64,
}

impl IdGen {
    pub fn new(seed: u64) -> Self {
        Self { seed, counter: 0 }
    }

    pub fn next(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let n = stable_hash(&[&self.seed.to_string(), &self.counter.to_string(), prefix]);
        format!("{prefix}-{}", encode(n, 13))
    }

    /// A UUID-shaped id (stack ids, event ids, request ids).
    pub fn uuid(&mut self) -> String {
        self.counter += 1;
        let a = stable_hash(&[&self.seed.to_string(), &self.counter.to_string(), "uuid-a"]);
        let b = stable_hash(&[&self.seed.to_string(), &self.counter.to_string(), "uuid-b"]);
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            (a >> 32) as u32,
            (a >> 16) as u16,
            (a & 0xfff) as u16,
            (b >> 52) as u16 & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_ids_are_stable_and_shaped_like_aws() {
        let a = named_id("port", &["hub", "Platform Core"]);
        assert_eq!(a, named_id("port", &["hub", "Platform Core"]));
        assert_ne!(a, named_id("port", &["hub", "Platform Other"]));
        assert!(a.starts_with("port-"));
        assert_eq!(a.len(), "port-".len() + 13);
        assert!(
            a[5..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
    }

    #[test]
    fn generated_ids_differ() {
        let mut g = IdGen::new(7);
        let a = g.next("rec");
        let b = g.next("rec");
        assert_ne!(a, b);
        let u = g.uuid();
        assert_eq!(u.len(), 36);
    }
}
