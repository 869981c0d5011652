//! Who acts: platform roles and sellers bound to one store; and how a store fulfils.

use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Reviewer,
    CsAgent,
    Seller,
    /// The platform itself: protective delists and automatic relists.
    System,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::CsAgent => "cs_agent",
            Role::Seller => "seller",
            Role::System => "system",
        }
    }

    /// Platform staff may see every store; a seller only its own.
    pub fn is_platform(self) -> bool {
        !matches!(self, Role::Seller)
    }

    /// Answers for a store: its seller, or an admin acting for it (orders, stock, the
    /// seller's side of violations and after-sales).
    pub fn acts_for_store(self) -> bool {
        matches!(self, Role::Seller | Role::Admin)
    }

    /// Polices listings: takes products down, decides relist reviews and appeals.
    pub fn reviews(self) -> bool {
        matches!(self, Role::Reviewer | Role::Admin)
    }

    /// Brings the buyer's side, who never logs in: customer service, an admin, or the
    /// platform itself (a deadline acting for the buyer).
    pub fn speaks_for_buyers(self) -> bool {
        matches!(self, Role::Admin | Role::CsAgent | Role::System)
    }

    /// Places orders: they arrive from the platform.
    pub fn places_orders(self) -> bool {
        self == Role::Admin
    }

    /// Runs the platform: accounts, calendars, the sandbox clock, store settings only the
    /// platform grants (negotiated partial refunds).
    pub fn administers(self) -> bool {
        self == Role::Admin
    }

    /// Sees after-sales cases and tickets: the store's side and customer service.
    /// Reviewers police listings, not refunds.
    pub fn handles_aftersales(self) -> bool {
        !matches!(self, Role::Reviewer)
    }

    /// Writes in a ticket's thread: the store, customer service or an admin.
    pub fn writes_in_tickets(self) -> bool {
        matches!(self, Role::Seller | Role::CsAgent | Role::Admin)
    }

    /// Reads an uploaded file: platform staff any; a store's users their store's own
    /// uploads, and a platform upload their store's records cite (a reviewer's evidence
    /// in a takedown of their product, a label the platform bought for their return).
    pub fn reads_file(
        self,
        own_store: Option<&str>,
        uploaded_for: Option<&str>,
        cited: bool,
    ) -> bool {
        if self.is_platform() {
            return true;
        }
        match (own_store, uploaded_for) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (Some(_), None) => cited,
            (None, _) => false,
        }
    }

    /// Belongs to one store; every other role is the platform's.
    pub fn bound_to_store(self) -> bool {
        self == Role::Seller
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table of who may do what, as domain.md's roles say.
    #[test]
    fn each_role_does_its_own_part() {
        use Role::*;
        let all = [Admin, Reviewer, CsAgent, Seller, System];
        let who = |f: fn(Role) -> bool| all.into_iter().filter(|r| f(*r)).collect::<Vec<_>>();
        assert_eq!(who(Role::acts_for_store), [Admin, Seller]);
        assert_eq!(who(Role::reviews), [Admin, Reviewer]);
        assert_eq!(who(Role::speaks_for_buyers), [Admin, CsAgent, System]);
        assert_eq!(who(Role::places_orders), [Admin]);
        assert_eq!(who(Role::is_platform), [Admin, Reviewer, CsAgent, System]);
        assert_eq!(who(Role::administers), [Admin]);
        assert_eq!(
            who(Role::handles_aftersales),
            [Admin, CsAgent, Seller, System]
        );
        assert_eq!(who(Role::writes_in_tickets), [Admin, CsAgent, Seller]);
        assert_eq!(who(Role::bound_to_store), [Seller]);
        assert!(
            Seller.reads_file(Some("a"), Some("a"), false),
            "its own upload"
        );
        assert!(
            !Seller.reads_file(Some("a"), Some("b"), true),
            "another store's upload, cited or not"
        );
        assert!(
            Seller.reads_file(Some("a"), None, true),
            "a platform file its records cite"
        );
        assert!(!Seller.reads_file(Some("a"), None, false));
        assert!(
            !Seller.reads_file(None, Some("a"), false),
            "a seller bound to no store"
        );
        for staff in [Admin, Reviewer, CsAgent] {
            assert!(staff.reads_file(None, Some("b"), false));
        }
    }
}

impl FromStr for Role {
    type Err = String;
    /// `system` is not accepted from outside: no account can be created with it.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "admin" => Ok(Role::Admin),
            "reviewer" => Ok(Role::Reviewer),
            "cs_agent" => Ok(Role::CsAgent),
            "seller" => Ok(Role::Seller),
            other => Err(format!(
                "unknown role \"{other}\"; expected admin, reviewer, cs_agent or seller"
            )),
        }
    }
}

/// 自运营 / 半托管 / 全托管: fully-managed listings go through platform review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FulfilmentMode {
    SelfOperated,
    SemiManaged,
    FullyManaged,
}

impl FulfilmentMode {
    pub const ALL: [FulfilmentMode; 3] = [
        FulfilmentMode::SelfOperated,
        FulfilmentMode::SemiManaged,
        FulfilmentMode::FullyManaged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FulfilmentMode::SelfOperated => "self_operated",
            FulfilmentMode::SemiManaged => "semi_managed",
            FulfilmentMode::FullyManaged => "fully_managed",
        }
    }
}

impl FromStr for FulfilmentMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "self_operated" => Ok(FulfilmentMode::SelfOperated),
            "semi_managed" => Ok(FulfilmentMode::SemiManaged),
            "fully_managed" => Ok(FulfilmentMode::FullyManaged),
            other => Err(format!(
                "unknown fulfilment mode \"{other}\"; expected self_operated, semi_managed or fully_managed"
            )),
        }
    }
}
