//! What the shell completes by calling spoke back (clap_complete's dynamic
//! completion: the script `spoke completions SHELL` prints runs
//! `SPOKE_COMPLETE=SHELL spoke -- WORDS…`): the command tree, and the
//! profile names of the AWS files and the product names of spoke's
//! inventory cache. Never an AWS call; a missing or unreadable file gives
//! no candidates, never an error on the user's prompt.

use std::path::Path;

use clap_complete::engine::CompletionCandidate;
use serde::Deserialize;

use crate::aws::ProfileSource;

/// The environment variable that turns a run of spoke into a completion.
pub const COMPLETE_VAR: &str = "SPOKE_COMPLETE";

/// The profiles of the AWS config and credentials files, as spoke reads
/// them ([`ProfileSource::discover`]), in their order.
pub fn profile_names(source: &ProfileSource) -> Vec<String> {
    source
        .discover()
        .map(|profiles| profiles.into_iter().map(|p| p.name).collect())
        .unwrap_or_default()
}

/// The product names of every cached inventory in `dir` and its folders
/// (the sandbox's corner), sorted, each once. Read from the files only.
pub fn product_names(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(dir) {
        dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    }
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.extension().is_some_and(|e| e == "json") {
                names.extend(cached_products(&path));
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Just the product names of a cache file (see [`crate::ops::cache`]).
#[derive(Deserialize)]
struct CacheFile {
    inventory: CachedInventory,
}

#[derive(Deserialize)]
struct CachedInventory {
    #[serde(default)]
    products: Vec<CachedProduct>,
}

#[derive(Deserialize)]
struct CachedProduct {
    name: String,
}

fn cached_products(path: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(file) => file
            .inventory
            .products
            .into_iter()
            .map(|p| p.name)
            .filter(|n| !n.is_empty() && !n.chars().any(char::is_control))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Candidates for `--profile` and `--profiles`.
pub fn profiles() -> Vec<CompletionCandidate> {
    profile_names(&ProfileSource::user())
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// Candidates for `--product`.
pub fn products() -> Vec<CompletionCandidate> {
    let Ok(cache) = crate::ops::Cache::user() else {
        return Vec::new();
    };
    product_names(cache.dir())
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}
