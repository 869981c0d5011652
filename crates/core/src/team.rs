//! 子账号: a store's team. The owner invites people by an e-mailed link and gives each a
//! team role that decides which parts of the seller center they see at all — on every
//! page and every API route alike, since both ask the same use cases.

use std::str::FromStr;

/// A member's place in the store's team. Seller accounts made before teams existed (the
/// store's first sellers) are owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TeamRole {
    Owner,
    /// 商品: listings, their violations, stock and suppliers.
    Operations,
    /// 售后: after-sales cases, tickets and their settings.
    CustomerService,
    /// 保证金: the security deposit (its pages come with the store programs).
    Finance,
}

/// A part of the seller center a team role may or may not see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Products, delisting, violation reports, product import and export.
    Products,
    /// Stock figures, thresholds, pre-sale, suppliers.
    Stock,
    /// After-sales cases, tickets, return warehouses, refund-only policies.
    Aftersales,
    /// The security deposit and its ledger.
    Deposit,
    /// The team itself: invitations, disabling members.
    Team,
}

impl TeamRole {
    pub const ALL: [TeamRole; 4] = [
        TeamRole::Owner,
        TeamRole::Operations,
        TeamRole::CustomerService,
        TeamRole::Finance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TeamRole::Owner => "owner",
            TeamRole::Operations => "operations",
            TeamRole::CustomerService => "customer_service",
            TeamRole::Finance => "finance",
        }
    }

    /// The one table of who sees what; the inbox is everyone's own.
    pub fn may(self, area: Area) -> bool {
        matches!(
            (self, area),
            (TeamRole::Owner, _)
                | (TeamRole::Operations, Area::Products | Area::Stock)
                | (TeamRole::CustomerService, Area::Aftersales)
                | (TeamRole::Finance, Area::Deposit)
        )
    }

    /// The stored column; NULL (an account older than teams) is an owner.
    pub fn from_column(stored: Option<&str>) -> Result<TeamRole, String> {
        stored.map_or(Ok(TeamRole::Owner), str::parse)
    }
}

impl FromStr for TeamRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "owner" => Ok(TeamRole::Owner),
            "operations" => Ok(TeamRole::Operations),
            "customer_service" => Ok(TeamRole::CustomerService),
            "finance" => Ok(TeamRole::Finance),
            other => Err(format!(
                "unknown team role \"{other}\"; expected owner, operations, customer_service or finance"
            )),
        }
    }
}

impl Area {
    /// The part of the seller center an event belongs to: a member is told only about
    /// what their team role lets them see. None: for everyone (the platform's notices).
    pub fn of_event(event_type: &str) -> Option<Area> {
        let (family, _) = event_type.split_once('.').unwrap_or((event_type, ""));
        match family {
            "product" | "violation" => Some(Area::Products),
            "stock" => Some(Area::Stock),
            "ticket" | "aftersales" | "reshipment" => Some(Area::Aftersales),
            "deposit" => Some(Area::Deposit),
            "team" => Some(Area::Team),
            _ => None,
        }
    }
}

/// An invitation link works for this long after it is sent.
pub const INVITE_HOURS: i64 = 72;

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteState {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InviteState {
    pub fn as_str(self) -> &'static str {
        match self {
            InviteState::Pending => "pending",
            InviteState::Accepted => "accepted",
            InviteState::Revoked => "revoked",
            InviteState::Expired => "expired",
        }
    }

    /// An invitation is used once: accepted or revoked it stays so; a pending one
    /// expires at `expires_at` (instants in microseconds).
    pub fn of(
        accepted_at: Option<i64>,
        revoked_at: Option<i64>,
        expires_at: i64,
        now: i64,
    ) -> Self {
        match (accepted_at, revoked_at) {
            (Some(_), _) => InviteState::Accepted,
            (None, Some(_)) => InviteState::Revoked,
            (None, None) if now >= expires_at => InviteState::Expired,
            (None, None) => InviteState::Pending,
        }
    }

    /// Why a link can no longer be used, in words for the person holding it.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            InviteState::Pending => None,
            InviteState::Accepted => Some("this invitation has already been used"),
            InviteState::Revoked => Some("this invitation was withdrawn by the store's owner"),
            InviteState::Expired => {
                Some("this invitation has expired; ask the store's owner for a new one")
            }
        }
    }
}

/// An e-mail address as an invitation needs it: one `local@domain`, no spaces, at most
/// 254 characters; compared and stored in lower case.
pub fn email_address(text: &str) -> Result<String, String> {
    let t = text.trim();
    let ok = t.len() <= 254
        && !t
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
        && t.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(t.to_lowercase())
    } else {
        Err("must be an e-mail address such as name@example.com".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const AREAS: [Area; 5] = [
        Area::Products,
        Area::Stock,
        Area::Aftersales,
        Area::Deposit,
        Area::Team,
    ];

    #[test]
    fn each_role_sees_its_own_part_and_only_the_owner_the_team() {
        for a in AREAS {
            assert!(TeamRole::Owner.may(a));
        }
        let seen = |r: TeamRole| AREAS.iter().filter(|a| r.may(**a)).count();
        assert_eq!(seen(TeamRole::Operations), 2);
        assert!(TeamRole::Operations.may(Area::Stock));
        assert!(!TeamRole::Operations.may(Area::Aftersales));
        assert_eq!(seen(TeamRole::CustomerService), 1);
        assert!(TeamRole::CustomerService.may(Area::Aftersales));
        assert_eq!(seen(TeamRole::Finance), 1);
        assert!(TeamRole::Finance.may(Area::Deposit));
        for r in &TeamRole::ALL[1..] {
            assert!(!r.may(Area::Team), "{r:?}");
        }
    }

    #[test]
    fn events_reach_the_roles_that_see_them() {
        let told = |r: TeamRole, e: &str| Area::of_event(e).is_none_or(|a| r.may(a));
        assert!(told(TeamRole::CustomerService, "ticket.opened"));
        assert!(!told(
            TeamRole::CustomerService,
            "product.violation_delisted"
        ));
        assert!(told(TeamRole::Operations, "stock.low"));
        assert!(!told(TeamRole::Operations, "aftersales.opened"));
        assert!(told(TeamRole::Finance, "announcement.published"));
        assert!(!told(TeamRole::Finance, "violation.overdue"));
        for e in crate::notify::EVENT_TYPES {
            assert!(told(TeamRole::Owner, e), "{e}");
        }
    }

    #[test]
    fn roles_read_back_and_an_old_account_is_an_owner() {
        for r in TeamRole::ALL {
            assert_eq!(r.as_str().parse::<TeamRole>(), Ok(r));
        }
        assert_eq!(TeamRole::from_column(None), Ok(TeamRole::Owner));
        assert!(TeamRole::from_column(Some("boss")).is_err());
    }

    #[test]
    fn addresses() {
        assert_eq!(
            email_address(" Li.Na@Example.COM "),
            Ok("li.na@example.com".into())
        );
        for bad in [
            "",
            "a",
            "a@b",
            "@b.com",
            "a@@b.com",
            "a b@c.com",
            "a@b.com,c@d.com",
            "a@.com",
            "a@b.",
            "<a@b.com>",
        ] {
            assert!(email_address(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Used or withdrawn is for ever; pending turns to expired exactly at the deadline.
        #[test]
        fn an_invitation_is_used_once_and_expires_on_time(
            accepted in proptest::option::of(0i64..1_000),
            revoked in proptest::option::of(0i64..1_000),
            expires in 0i64..1_000,
            now in 0i64..2_000,
            later in 0i64..1_000,
        ) {
            let s = InviteState::of(accepted, revoked, expires, now);
            let after = InviteState::of(accepted, revoked, expires, now + later);
            prop_assert_eq!(s.refusal().is_none(), s == InviteState::Pending);
            if s != InviteState::Pending {
                prop_assert_eq!(after, s, "a closed invitation never opens again");
            }
            if accepted.is_none() && revoked.is_none() {
                prop_assert_eq!(s == InviteState::Expired, now >= expires);
            }
        }
    }
}
