//! Refusing article links that point into private networks.
//!
//! Anyone who can write a feed can put `http://192.168.1.1/admin` in it, so
//! an article link must reach a public address unless the operator allowed
//! otherwise. Names are checked where they are resolved, in the resolver of
//! the guarded reqwest client: the address checked is the address connected
//! to, so a name that answers differently the second time (DNS rebinding)
//! gains nothing. Literal addresses never reach a resolver and are checked
//! before the request.
//!
//! Behind a proxy from the environment the proxy resolves article hosts, so
//! only literal addresses are checked; the proxy's own host is exempt.

use std::error::Error as StdError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// What kind of non-public address `ip` is, or `None` for a public one.
///
/// Covers loopback, private (RFC 1918), shared (CGNAT), link-local,
/// unspecified, multicast, broadcast, reserved, benchmarking and
/// documentation ranges, IPv6 unique-local and link-local, and IPv4
/// addresses embedded in IPv6 (mapped, compatible, NAT64, 6to4).
pub fn non_public_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => v4_kind(ip),
        IpAddr::V6(ip) => v6_kind(ip),
    }
}

/// Whether `url`'s host is a non-public address or resolves to one (any of
/// its addresses). A name that does not resolve counts as public: the
/// fetch will fail on its own. The daemon uses this to let a feed on a
/// private network have its article links fetched.
pub async fn host_is_non_public(url: &Url) -> bool {
    match url.host() {
        None => false,
        Some(Host::Ipv4(ip)) => v4_kind(ip).is_some(),
        Some(Host::Ipv6(ip)) => v6_kind(ip).is_some(),
        Some(Host::Domain(name)) => {
            let port = url.port_or_known_default().unwrap_or(0);
            match tokio::net::lookup_host((name, port)).await {
                Ok(mut addrs) => addrs.any(|addr| non_public_kind(addr.ip()).is_some()),
                Err(_) => false,
            }
        }
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    let kind = if ip.is_unspecified() || a == 0 {
        "unspecified"
    } else if ip.is_loopback() {
        "loopback"
    } else if ip.is_private() {
        "private"
    } else if a == 100 && (64..128).contains(&b) {
        "shared (carrier-grade NAT)"
    } else if ip.is_link_local() {
        "link-local"
    } else if ip.is_broadcast() {
        "broadcast"
    } else if ip.is_multicast() {
        "multicast"
    } else if ip.is_documentation() {
        "documentation"
    } else if a == 198 && (18..20).contains(&b) {
        "benchmarking"
    } else if a == 192 && b == 0 && c == 0 {
        "IETF protocol assignment"
    } else if a >= 240 {
        "reserved"
    } else {
        return None;
    };
    Some(kind)
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let segments = ip.segments();
    // IPv4 inside IPv6: mapped ::ffff:a.b.c.d, deprecated compatible
    // ::a.b.c.d, NAT64 64:ff9b::a.b.c.d; all reach the IPv4 address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_kind(v4);
    }
    let low_v4 = Ipv4Addr::new(
        (segments[6] >> 8) as u8,
        segments[6] as u8,
        (segments[7] >> 8) as u8,
        segments[7] as u8,
    );
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    if segments[..6] == [0; 6] || segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return v4_kind(low_v4);
    }
    if segments[0] == 0x2002 {
        // 6to4: the IPv4 address is in the second and third segments.
        let v4 = Ipv4Addr::new(
            (segments[1] >> 8) as u8,
            segments[1] as u8,
            (segments[2] >> 8) as u8,
            segments[2] as u8,
        );
        return v4_kind(v4);
    }
    let kind = match segments[0] {
        first if first & 0xfe00 == 0xfc00 => "unique-local",
        first if first & 0xffc0 == 0xfe80 => "link-local",
        first if first & 0xffc0 == 0xfec0 => "site-local",
        first if first & 0xff00 == 0xff00 => "multicast",
        0x2001 if segments[1] == 0x0db8 => "documentation",
        0x0100 if segments[1..4] == [0, 0, 0] => "discard-only",
        _ => return None,
    };
    Some(kind)
}

/// The reason to refuse `url` when its host is a literal non-public
/// address.
pub(super) fn literal_host_reason(url: &Url) -> Option<String> {
    let ip = match url.host()? {
        Host::Ipv4(ip) => IpAddr::V4(ip),
        Host::Ipv6(ip) => IpAddr::V6(ip),
        Host::Domain(_) => return None,
    };
    non_public_kind(ip).map(|kind| format!("{ip} is a {kind} address"))
}

/// A name that resolved to a non-public address; travels through reqwest's
/// error chain from the resolver to [`find_refusal`].
#[derive(Debug, thiserror::Error)]
#[error("{name} resolves to {ip}, a {kind} address")]
pub(super) struct Refusal {
    name: String,
    ip: IpAddr,
    kind: &'static str,
}

/// The [`Refusal`] somewhere in `error`'s source chain.
pub(super) fn find_refusal(error: &reqwest::Error) -> Option<&Refusal> {
    let mut source: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(cause) = source {
        if let Some(refusal) = cause.downcast_ref::<Refusal>() {
            return Some(refusal);
        }
        source = cause.source();
    }
    None
}

/// A resolver (the system's, through tokio) that fails for names with any
/// non-public address.
#[derive(Debug, Default)]
pub(super) struct GuardedResolver {
    /// Proxy hosts from the environment: reqwest resolves them with this
    /// resolver too, and a proxy on localhost is legitimate.
    exempt: Vec<String>,
}

impl GuardedResolver {
    /// A resolver exempting the proxies named by the standard variables.
    pub(super) fn from_env() -> GuardedResolver {
        let exempt = [
            "http_proxy",
            "HTTP_PROXY",
            "https_proxy",
            "HTTPS_PROXY",
            "all_proxy",
            "ALL_PROXY",
        ]
        .iter()
        .filter_map(|variable| std::env::var(variable).ok())
        .filter_map(|value| {
            let value = value.trim();
            let parsed = Url::parse(value)
                .ok()
                .filter(|url| url.host().is_some())
                .or_else(|| Url::parse(&format!("http://{value}")).ok())?;
            parsed
                .host_str()
                .map(|host| host.trim_matches(['[', ']']).to_ascii_lowercase())
        })
        .collect();
        GuardedResolver { exempt }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let name = name.as_str().to_owned();
        let exempt = self
            .exempt
            .iter()
            .any(|host| host.eq_ignore_ascii_case(&name));
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if !exempt
                && let Some((ip, kind)) = addrs
                    .iter()
                    .find_map(|addr| non_public_kind(addr.ip()).map(|kind| (addr.ip(), kind)))
            {
                return Err(Box::new(Refusal { name, ip, kind }) as _);
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}
