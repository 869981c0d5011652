//! One TLS provider for the process (ring, which lettre's rustls already uses): reqwest
//! (webhooks, SMS) and object_store (S3) are built without one of their own.

/// Installs it; later calls do nothing.
pub fn install() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A default HTTP client, with the provider installed first (reqwest refuses to build one
/// without).
pub fn client() -> reqwest::Client {
    install();
    reqwest::Client::new()
}
