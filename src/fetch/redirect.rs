//! The redirects one fetch follows by hand: each hop joined to the last,
//! loops and overlong chains refused, and the end of the run of permanent
//! redirects from the requested URL kept as where the URL `moved_to`.

use reqwest::StatusCode;
use reqwest::header::HeaderValue;
use url::Url;

use super::Error;

/// The redirects one fetch has followed so far.
#[derive(Debug)]
pub(super) struct Redirects {
    /// Every hop left, in order.
    visited: Vec<Url>,
    /// The end of the run of permanent redirects from the requested URL.
    pub(super) moved_to: Option<Url>,
    /// Whether every redirect so far was permanent.
    only_permanent: bool,
}

impl Default for Redirects {
    fn default() -> Redirects {
        Redirects {
            visited: Vec::new(),
            moved_to: None,
            only_permanent: true,
        }
    }
}

impl Redirects {
    /// The hop `current` redirects to (`location`, with `status`), or why
    /// it is not followed: an invalid `Location`, a loop, more than `max`.
    pub(super) fn follow(
        &mut self,
        url: &Url,
        current: Url,
        location: &HeaderValue,
        status: StatusCode,
        max: usize,
    ) -> Result<Url, Error> {
        let next = location
            .to_str()
            .ok()
            .and_then(|location| current.join(location).ok())
            .ok_or_else(|| Error::Network {
                url: url.clone(),
                message: format!("{current} redirects to an invalid Location"),
            })?;
        self.visited.push(current);
        if self.visited.contains(&next) {
            let mut hops: Vec<String> = self.visited.iter().map(Url::to_string).collect();
            hops.push(next.to_string());
            return Err(Error::Network {
                url: url.clone(),
                message: format!("redirect loop: {}", hops.join(" → ")),
            });
        }
        if self.visited.len() > max {
            return Err(Error::Network {
                url: url.clone(),
                message: format!("more than {max} redirects, the last to {next}"),
            });
        }
        let permanent = matches!(
            status,
            StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
        );
        self.only_permanent &= permanent;
        if self.only_permanent {
            self.moved_to = Some(next.clone());
        }
        Ok(next)
    }
}
