//! Page tokens and page sizes, as AWS checks them: a token is opaque, tied to
//! the operation that made it, and refused elsewhere; a page size outside the
//! operation's range is a validation error of the request layer.

use crate::sandbox::error::ApiError;

/// Checks a page size against the operation's maximum; 0 or absent means the default.
pub fn page_size(
    requested: Option<i64>,
    max: usize,
    default: usize,
    member: &str,
) -> Result<usize, ApiError> {
    match requested {
        None | Some(0) => Ok(default.min(max)),
        Some(n) if n < 0 => Err(ApiError::validation(format!(
            "1 validation error detected: Value '{n}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to 0"
        ))),
        Some(n) if n as usize > max => Err(ApiError::validation(format!(
            "1 validation error detected: Value '{n}' at '{member}' failed to satisfy constraint: Member must have value less than or equal to {max}"
        ))),
        Some(n) => Ok(n as usize),
    }
}

fn token_for(op: &str, offset: usize) -> String {
    let h = crate::sandbox::world::ids::stable_hash(&[op, &offset.to_string()]);
    format!("{offset:x}.{:08x}", h as u32)
}

/// The offset a page token points at (0 without a token).
pub fn offset(
    op: &str,
    token: Option<&str>,
    invalid: impl Fn() -> ApiError,
) -> Result<usize, ApiError> {
    let Some(t) = token.filter(|t| !t.is_empty()) else {
        return Ok(0);
    };
    let offset = t
        .split_once('.')
        .and_then(|(o, _)| usize::from_str_radix(o, 16).ok())
        .ok_or_else(&invalid)?;
    if token_for(op, offset) == t {
        Ok(offset)
    } else {
        Err(invalid())
    }
}

/// Cuts one page out of `items`; returns it with the token of the next page, if any.
pub fn page<T: Clone>(
    op: &str,
    items: &[T],
    offset: usize,
    size: usize,
) -> (Vec<T>, Option<String>) {
    let (range, next) = window(op, items.len(), offset, size);
    (items[range].to_vec(), next)
}

/// Where one page of a list of `len` items lies, and the token of the
/// next page, if any: [`page`] for a list that is never built whole.
pub fn window(
    op: &str,
    len: usize,
    offset: usize,
    size: usize,
) -> (std::ops::Range<usize>, Option<String>) {
    let start = offset.min(len);
    let end = (start + size).min(len);
    let next = (end < len).then(|| token_for(op, end));
    (start..end, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_the_whole_list() {
        let items: Vec<u32> = (0..45).collect();
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let off = offset("ListX", token.as_deref(), || {
                ApiError::invalid_parameters("bad")
            })
            .unwrap();
            let (p, next) = page("ListX", &items, off, 20);
            seen.extend(p);
            match next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn foreign_or_forged_tokens_are_refused() {
        let (_, next) = page("ListX", &[1, 2, 3], 0, 1);
        let t = next.unwrap();
        assert!(offset("ListY", Some(&t), || ApiError::invalid_parameters("bad")).is_err());
        assert!(offset("ListX", Some("zz"), || ApiError::invalid_parameters("bad")).is_err());
        assert_eq!(
            offset("ListX", Some(&t), || ApiError::invalid_parameters("bad")).unwrap(),
            1
        );
    }

    #[test]
    fn page_sizes_follow_the_model() {
        assert_eq!(page_size(None, 100, 20, "pageSize").unwrap(), 20);
        assert_eq!(page_size(Some(100), 100, 20, "pageSize").unwrap(), 100);
        let e = page_size(Some(101), 100, 20, "pageSize").unwrap_err();
        assert_eq!(e.code, "ValidationException");
        assert!(e.message.contains("less than or equal to 100"));
    }
}
