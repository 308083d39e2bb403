//! Refusing fetches that point into private networks.
//!
//! Anyone who can write a feed can put `http://192.168.1.1/admin` in it, or
//! redirect to it, so every fetch must reach a public address unless the
//! config allowed otherwise (a feed URL that is itself private, or
//! `allow_private_articles`); DNS never decides it. Names are checked where
//! they are resolved, in the resolver of the guarded reqwest client: the
//! address checked is the address connected to, so a name that answers
//! differently the second time (DNS rebinding) gains nothing. Literal
//! addresses never reach a resolver and are checked before each hop.
//!
//! Behind a proxy from the environment the proxy resolves the hosts it
//! fetches, so each guarded hop's name is resolved and checked here first
//! (the proxy's own answer may differ: a proxy should refuse private
//! destinations too). The proxy's host is exempt for the proxy connection
//! only: a hop *to* that host is refused.

use std::collections::BTreeMap;
use std::error::Error as StdError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

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

/// Whether `url` itself names a non-public host without asking DNS: a
/// literal non-public address, or `localhost` and its subdomains (RFC 6761
/// reserves them for loopback). The daemon lets a configured feed URL like
/// this reach its own origin; a name that merely *resolves* to a private
/// address decides nothing, since its owner can change the answer.
pub fn is_private_literal(url: &Url) -> bool {
    match url.host() {
        None => false,
        Some(Host::Ipv4(ip)) => v4_kind(ip).is_some(),
        Some(Host::Ipv6(ip)) => v6_kind(ip).is_some(),
        Some(Host::Domain(name)) => is_localhost_name(name),
    }
}

/// `localhost`, `localhost.` or a subdomain of it.
fn is_localhost_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
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

/// The environment variable of resolver overrides, like curl's
/// `--resolve`: `name=ip[,ip…]` entries separated by `;`. The guard checks
/// an overridden answer like any other, so an override never opens a door;
/// it lets a test (or an operator pinning a host) decide what a name
/// resolves to without a hosts file.
pub const RESOLVE_ENV: &str = "FIGWATCH_RESOLVE";

/// Names resolved without DNS: lower-case name → addresses.
pub type Overrides = BTreeMap<String, Vec<IpAddr>>;

/// Parses [`RESOLVE_ENV`]'s syntax; entries that do not parse are returned
/// apart so the caller can report them.
pub fn parse_overrides(text: &str) -> (Overrides, Vec<String>) {
    let mut overrides = Overrides::new();
    let mut invalid = Vec::new();
    for entry in text
        .split(';')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
    {
        let parsed = entry.split_once('=').and_then(|(name, addrs)| {
            let addrs: Option<Vec<IpAddr>> = addrs
                .split(',')
                .map(|addr| addr.trim().trim_matches(['[', ']']).parse().ok())
                .collect();
            Some((name.trim().to_ascii_lowercase(), addrs?))
        });
        match parsed {
            Some((name, addrs)) if !name.is_empty() && !addrs.is_empty() => {
                overrides.insert(name, addrs);
            }
            _ => invalid.push(entry.to_owned()),
        }
    }
    (overrides, invalid)
}

/// The proxy hosts named by the standard variables (`http_proxy`,
/// `HTTPS_PROXY`, `ALL_PROXY`…), lower-case, brackets removed.
pub(super) fn proxy_hosts_from_env() -> Vec<String> {
    [
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
    .collect()
}

/// The resolver of both reqwest clients: overrides first, else the
/// system's (through tokio). The guarded one fails for a name with any
/// non-public address, at connect time, so the address checked is the
/// address connected to and a second answer (DNS rebinding) gains nothing.
#[derive(Debug, Clone)]
pub(super) struct Resolver {
    guarded: bool,
    /// Proxy hosts: reqwest resolves the proxy with this resolver, and a
    /// proxy on localhost is legitimate. Safe only because
    /// [`check_hop`] refuses every guarded request *to* a
    /// proxy host, so the only connection that reaches this exemption is
    /// the one to the proxy itself.
    proxies: Arc<[String]>,
    overrides: Arc<Overrides>,
}

impl Resolver {
    /// A resolver; `guarded` refuses non-public answers.
    pub(super) fn new(
        guarded: bool,
        proxies: Arc<[String]>,
        overrides: Arc<Overrides>,
    ) -> Resolver {
        Resolver {
            guarded,
            proxies,
            overrides,
        }
    }

    /// The addresses of `name`, checked when guarded; a refusal is a
    /// [`Refusal`].
    pub(super) async fn lookup(
        &self,
        name: &str,
    ) -> Result<Vec<IpAddr>, Box<dyn StdError + Send + Sync>> {
        let key = name.trim_end_matches('.').to_ascii_lowercase();
        let addrs: Vec<IpAddr> = match self.overrides.get(&key) {
            Some(addrs) => addrs.clone(),
            None => tokio::net::lookup_host((name, 0))
                .await?
                .map(|addr| addr.ip())
                .collect(),
        };
        let exempt = self.proxies.contains(&key);
        if self.guarded
            && !exempt
            && let Some((ip, kind)) = addrs
                .iter()
                .find_map(|ip| non_public_kind(*ip).map(|kind| (*ip, kind)))
        {
            return Err(Box::new(Refusal {
                name: name.to_owned(),
                ip,
                kind,
            }));
        }
        Ok(addrs)
    }
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let resolver = self.clone();
        Box::pin(async move {
            let addrs = resolver.lookup(name.as_str()).await?;
            let addrs: Addrs = Box::new(addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// `reason`, prefixed with the hop when it is a redirect.
pub(super) fn hop_reason(requested: &Url, hop: &Url, reason: String) -> String {
    if hop == requested {
        reason
    } else {
        format!("redirect to {hop}: {reason}")
    }
}

/// Refuses a hop that is not http(s) or, for guarded fetches (`proxies` set:
/// the proxy hosts), whose host is a literal non-public address (literal
/// addresses never reach the resolver, which checks names) or a proxy's
/// host (which the resolver exempts for the proxy connection only).
pub(super) fn check_hop(
    requested: &Url,
    hop: &Url,
    proxies: Option<&[String]>,
) -> Result<(), super::Error> {
    let refuse = |reason: String| {
        Err(super::Error::Refused {
            url: requested.clone(),
            reason: hop_reason(requested, hop, reason),
        })
    };
    if !matches!(hop.scheme(), "http" | "https") {
        return refuse(format!(
            "scheme {:?} is not fetched, only http and https",
            hop.scheme()
        ));
    }
    if hop.host().is_none() {
        return refuse("no host".to_owned());
    }
    let Some(proxies) = proxies else {
        return Ok(());
    };
    if let Some(reason) = literal_host_reason(hop) {
        return refuse(reason);
    }
    if let Some(url::Host::Domain(name)) = hop.host() {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if proxies.contains(&name) {
            return refuse(format!(
                "{name} is the proxy's host, reachable only as the proxy"
            ));
        }
    }
    Ok(())
}
