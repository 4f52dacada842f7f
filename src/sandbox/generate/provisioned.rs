//! The provisioned products of a generated world, their drift spread
//! through them by a deterministic stream of numbers.

use super::*;

/// A deterministic stream of numbers (SplitMix64).
pub(super) struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

pub(super) const DAY: u64 = 86_400;

/// One provisioned product to write: its steps are (version index, seconds ago), oldest first.
pub(super) struct Pp {
    pub(super) spoke: usize,
    pub(super) name: String,
    pub(super) product: usize,
    pub(super) steps: Vec<(usize, u64)>,
    pub(super) environment: &'static str,
    /// An update to this version still running (UNDER_CHANGE).
    pub(super) in_progress: Option<usize>,
}

/// The provisioned products of every spoke, with drift spread through them.
pub(super) fn provisioned(s: &Scale) -> Vec<Pp> {
    let mut list = Vec::with_capacity(s.spokes * s.provisioned_per_account);
    if s.products == 0 {
        return list;
    }
    let mut rng = Rng(0x5eed
        ^ ((s.spokes as u64) << 32)
        ^ ((s.products as u64) << 16)
        ^ s.provisioned_per_account as u64);
    for spoke in 0..s.spokes {
        for j in 0..s.provisioned_per_account {
            let mut product = rng.below(s.products as u64) as usize;
            // trouble: the third under change, the fourth TAINTED
            let under_change = s.trouble && j == 2;
            let tainted = s.trouble && j == 3;
            if under_change {
                match s.product_where(product, |i| s.slow_latest(i)) {
                    Some(p) => product = p,
                    None => continue,
                }
            } else if tainted {
                match s.product_where(product, |i| s.broken_latest(i)) {
                    Some(p) => product = p,
                    None => continue,
                }
            }
            let vs = versions(product);
            let latest = vs.len() - 1;
            let has_deprecated = vs[0].2;
            // the version it runs now, and whether it got there through updates
            let bucket = rng.below(20);
            let mut target = match bucket {
                0..=9 | 19 => latest,
                10..=13 => latest - 1,
                14..=16 => latest - 2,
                _ if has_deprecated => 0,
                _ => latest - 1,
            };
            // nothing was ever launched on a broken version; the ones under
            // change are behind the version their update goes to
            if target == latest && (s.broken_latest(product) || under_change) {
                target = latest - 1;
            }
            let first_launchable = usize::from(has_deprecated && target != 0);
            let mut path = vec![target];
            if bucket == 19 {
                // launched long ago, updated twice
                path = vec![
                    first_launchable,
                    (first_launchable + target).div_ceil(2),
                    target,
                ];
                path.dedup();
            } else if target > first_launchable && rng.below(2) == 0 {
                path = vec![
                    first_launchable + rng.below((target - first_launchable) as u64) as usize,
                    target,
                ];
            }
            // each step happens while its version is the newest one
            let steps = path
                .iter()
                .map(|&v| {
                    let created = vs[v].1 * DAY;
                    let next = if v == latest { 0 } else { vs[v + 1].1 * DAY };
                    let window = created - next - 2 * 3600;
                    (v, created - 3600 - rng.below(window))
                })
                .collect();
            let mut steps: Vec<(usize, u64)> = steps;
            if tainted {
                // its last update went to the broken version, and failed
                let created = vs[latest].1 * DAY;
                steps.push((latest, created - 3600 - rng.below(created - 2 * 3600)));
            }
            let kind = &KINDS[product % KINDS.len()];
            list.push(Pp {
                spoke,
                name: format!("{}-{:05}", kind.slug, j + 1),
                product,
                steps,
                environment: ["dev", "staging", "prod"][(spoke + j) % 3],
                in_progress: under_change.then_some(latest),
            });
        }
    }
    list
}
