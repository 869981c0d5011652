//! Secrets the server must use again later (webhook signing secrets) are stored sealed
//! with a key from the settings, so a copy of the database — a backup, a replica, a
//! dump attached to a ticket — does not let anyone forge a store's webhooks. Tokens and
//! passwords are different: they are only ever compared, so they are stored hashed.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};

/// Sealed values start with this; anything else is a value stored before sealing existed.
const PREFIX: &str = "enc1:";
const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct SecretBox {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<key redacted>)")
    }
}

impl SecretBox {
    /// From the settings' `secret_key`: 32 bytes, base64.
    pub fn from_base64(key: &str) -> anyhow::Result<SecretBox> {
        let bytes = STANDARD
            .decode(key.trim())
            .map_err(|_| anyhow::anyhow!("secret_key must be base64"))?;
        anyhow::ensure!(
            bytes.len() == 32,
            "secret_key must be 32 bytes (44 base64 characters), not {}",
            bytes.len()
        );
        let cipher = ChaCha20Poly1305::new_from_slice(&bytes)
            .map_err(|_| anyhow::anyhow!("secret_key must be 32 bytes"))?;
        Ok(SecretBox { cipher })
    }

    /// A fresh random key, base64: what `serve` writes when none is configured.
    pub fn new_key() -> String {
        STANDARD.encode(ChaCha20Poly1305::generate_key(&mut OsRng))
    }

    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }

    pub fn seal(&self, plain: &str) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, plain.as_bytes())
            .expect("ChaCha20-Poly1305 encrypts any length we store");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        format!("{PREFIX}{}", STANDARD.encode(out))
    }

    /// The value as it was sealed; a value stored before sealing comes back as it is.
    pub fn open(&self, stored: &str) -> anyhow::Result<String> {
        let Some(b64) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_string());
        };
        let bytes = STANDARD
            .decode(b64)
            .map_err(|_| anyhow::anyhow!("a sealed secret is not base64"))?;
        anyhow::ensure!(bytes.len() > NONCE_LEN, "a sealed secret is truncated");
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().expect("split at the nonce's length");
        let plain = self
            .cipher
            .decrypt(&Nonce::from(nonce), sealed)
            .map_err(|_| {
                anyhow::anyhow!(
                    "a sealed secret does not open with this secret_key (was the key changed?)"
                )
            })?;
        Ok(String::from_utf8(plain)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_and_refuses_the_wrong_key() {
        let a = SecretBox::from_base64(&SecretBox::new_key()).unwrap();
        let b = SecretBox::from_base64(&SecretBox::new_key()).unwrap();
        let sealed = a.seal("whsec_abc");
        assert!(SecretBox::is_sealed(&sealed));
        assert!(!sealed.contains("whsec_abc"));
        assert_ne!(sealed, a.seal("whsec_abc"), "a fresh nonce each time");
        assert_eq!(a.open(&sealed).unwrap(), "whsec_abc");
        assert!(b.open(&sealed).is_err());
        assert_eq!(a.open("whsec_legacy").unwrap(), "whsec_legacy");
        assert!(SecretBox::from_base64("c2hvcnQ=").is_err());
    }
}
