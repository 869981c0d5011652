//! The invitation e-mail, sent straight from the use case once the invitation is
//! committed. It does not go through the outbox: the link's token must not be stored,
//! and a lost invitation costs only a new one.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncTransport, Message};
use marketdesk_core::Language;
use marketdesk_core::team::TeamRole;

use crate::Service;
use crate::senders::smtp_transport;

impl Service {
    pub(crate) async fn send_invitation(
        &self,
        to: &str,
        store_name: &str,
        role: TeamRole,
        link: &str,
        expires_at: i64,
        language: Language,
    ) -> Result<(), String> {
        let Some(cfg) = &self.channels.smtp else {
            return Err("no SMTP server is configured".into());
        };
        let role_word = language.text(&format!("team_role.{}", role.as_str()));
        let expires = jiff::Timestamp::from_microsecond(expires_at)
            .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        let args = [
            ("store", store_name),
            ("role", role_word),
            ("link", link),
            ("expires", expires.as_str()),
        ];
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|e| format!("the configured From address is invalid: {e}"))?;
        let to: Mailbox = to.parse().map_err(|e| format!("invalid address: {e}"))?;
        let msg = Message::builder()
            .from(from)
            .to(to)
            .subject(language.fill("team.mail_subject", &args))
            .header(ContentType::TEXT_PLAIN)
            .body(language.fill("team.mail_body", &args))
            .map_err(|e| format!("building the message: {e}"))?;
        let transport = self
            .smtp
            .get_or_try_init(|| async { smtp_transport(cfg) })
            .await
            .map_err(|e| format!("SMTP setup: {e}"))?;
        match tokio::time::timeout(self.channels.request_timeout, transport.send(msg)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "invitation e-mail refused");
                Err(format!("the SMTP server refused the message: {e}"))
            }
            Err(_) => Err("the SMTP server did not answer in time".into()),
        }
    }
}
