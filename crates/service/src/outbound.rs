//! The HTTP client that calls stores' webhook receivers. A store chooses the URL, so the
//! server must not become its way into the operator's own network: the check of the
//! saved URL (see `webhooks`) is not enough, because a public name can resolve to
//! 127.0.0.1 or 169.254.169.254 at send time, and a public receiver can redirect there.
//! So names are resolved here and only public addresses are dialled, and a redirect is
//! followed only to a host that passes the same test.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Whether no webhook may reach `ip`: this machine, private and shared networks, link
/// local (cloud metadata at 169.254.169.254), multicast, reserved, broadcast, the
/// benchmarking and documentation ranges; for IPv6 also unique-local, and IPv4-mapped
/// addresses by their IPv4 meaning.
pub fn not_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => not_public_v4(a),
        IpAddr::V6(a) => {
            a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (a.segments()[0] & 0xfe00) == 0xfc00
                || (a.segments()[0] & 0xffc0) == 0xfe80
                || a.to_ipv4_mapped().is_some_and(not_public_v4)
        }
    }
}

fn not_public_v4(a: std::net::Ipv4Addr) -> bool {
    let o = a.octets();
    a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || a.is_multicast()
        || o[0] >= 240
        // 100.64.0.0/10, carrier-grade NAT
        || (o[0] == 100 && (o[1] & 0xC0) == 64)
        || (o[0] == 198 && (o[1] & 0xFE) == 18)
        || (o[0], o[1], o[2]) == (192, 0, 2)
        || (o[0], o[1], o[2]) == (198, 51, 100)
        || (o[0], o[1], o[2]) == (203, 0, 113)
}

/// The words a refused target is dead-lettered with (the delivery log shows them).
pub const REFUSED: &str = "resolves only to loopback, private or reserved addresses";

/// Resolves with the system's resolver (or the settings' fixed entries), then keeps only
/// public addresses; none left is an error naming the host.
struct PublicOnly {
    fixed: Arc<Vec<(String, IpAddr)>>,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let fixed = self.fixed.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> = match fixed.iter().find(|(h, _)| *h == host) {
                Some((_, ip)) => vec![SocketAddr::new(*ip, 0)],
                None => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            let public: Vec<SocketAddr> =
                found.into_iter().filter(|a| !not_public(a.ip())).collect();
            if public.is_empty() {
                let e = std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!("{host} {REFUSED}"),
                );
                return Err(Box::new(e) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// Redirects followed at most.
const MAX_REDIRECTS: usize = 3;

/// The webhook client. With `allow_private` (tests, or an operator whose receivers are
/// on the internal network) every address is allowed, but fixed entries still apply.
pub fn webhook_client(allow_private: bool, fixed: Vec<(String, IpAddr)>) -> reqwest::Client {
    let fixed = Arc::new(fixed);
    let mut builder =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
            }
            let literal = attempt
                .url()
                .host_str()
                .map(|h| h.trim_start_matches('[').trim_end_matches(']'))
                .and_then(|h| h.parse::<IpAddr>().ok());
            match literal {
                Some(ip) if !allow_private && not_public(ip) => {
                    attempt.error(format!("redirected to {ip}, which {REFUSED}"))
                }
                // A name is resolved by the same resolver, which refuses private answers.
                _ => attempt.follow(),
            }
        }));
    if allow_private {
        for (host, ip) in fixed.iter() {
            builder = builder.resolve(host, SocketAddr::new(*ip, 0));
        }
    } else {
        builder = builder.dns_resolver(Arc::new(PublicOnly { fixed }));
    }
    builder.build().expect("the webhook client builds")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_reserved_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "224.0.0.1",
            "240.0.0.1",
            "198.18.0.1",
            "192.0.2.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(not_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700::1111"] {
            assert!(!not_public(ip.parse().unwrap()), "{ip}");
        }
    }
}
