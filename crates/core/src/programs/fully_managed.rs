//! Fully-managed stores (全托管, seed 002): the seller supplies goods at a supply price
//! (供货价) and the platform sells, ships, markets and settles after-sales. A self-operated
//! store's seller applies for one; staff review within four business days; it opens once
//! the 10,000 CNY deposit is frozen; it lists at most 3,000 products; each product is
//! stocked in the platform's warehouse (备仓) or shipped just in time (JIT), and a JIT
//! order's goods must reach the warehouse within 48 hours.

use crate::calendar::Span;
use crate::listing::State;

/// "1个店铺最多可以上3000个商品(包括正在销售和审核状态)".
pub const PRODUCT_CAP: i64 = 3_000;
/// "JIT模式只需要注意收到订单后的48小时内,把货品送达仓库即可".
pub const JIT_INBOUND: Span = Span::Hours(48);
/// "进入平台小二审核期(一般2~4个工作日)": the review is due at the long end.
pub const REVIEW_SPAN: Span = Span::BusinessDays(4);
/// "缴纳1万元人民币保证金": the deposit, in CNY.
pub const DEPOSIT_CNY: i64 = 10_000;
pub const MAX_MESSAGE: usize = 2_000;
pub const MAX_NOTE: usize = 500;
pub const MAX_COMPANY: usize = 200;
pub const MAX_REGISTRATION: usize = 64;

names!(Entity {
    Company => "company",
    Individual => "individual",
});

names!(ApplicationState {
    UnderReview => "under_review",
    Approved => "approved",
    Rejected => "rejected",
});

// Where a fully-managed store stands in the program: approved but waiting for its
// deposit, open for business, or closed after its deposit was refunded.
names!(ProgramState {
    AwaitingDeposit => "awaiting_deposit",
    Open => "open",
    Closed => "closed",
});

names!(Fulfilment {
    Warehouse => "warehouse",
    Jit => "jit",
});

// What admins say of a special category (特殊类目): closed to fully-managed stores, or
// open only with a qualification document.
names!(CategoryRule {
    Closed => "closed",
    Qualification => "qualification",
});

impl Entity {
    /// "只支持企业入驻,个体工商户不可以".
    pub fn may_apply(self) -> Result<(), &'static str> {
        match self {
            Entity::Company => Ok(()),
            Entity::Individual => {
                Err("only companies may open a fully-managed store; individual businesses may not")
            }
        }
    }
}

impl Fulfilment {
    /// How a new product is fulfilled: a fully-managed store's products choose, stocked
    /// at the warehouse unless told otherwise; other stores' products have no such choice.
    pub fn chosen(fully_managed: bool, given: Option<&str>) -> Result<Option<Fulfilment>, String> {
        match (given, fully_managed) {
            (Some(f), true) => f.parse().map(Some),
            (None, true) => Ok(Some(Fulfilment::Warehouse)),
            (Some(_), false) => {
                Err("only a fully-managed store's products choose warehouse stock or JIT".into())
            }
            (None, false) => Ok(None),
        }
    }
}

impl ApplicationState {
    /// An application staff may still decide.
    pub fn decide(self) -> Result<(), &'static str> {
        match self {
            ApplicationState::UnderReview => Ok(()),
            _ => Err("the application is already decided"),
        }
    }

    /// "1个速卖通自运营店铺只允许开通1家全托管店铺": an application under review or
    /// approved stands in the way of another; a rejected one does not.
    pub fn blocks_another(self) -> bool {
        self != ApplicationState::Rejected
    }
}

impl ProgramState {
    /// Stores created outside the program (or before it) are open.
    pub fn of(stored: Option<ProgramState>) -> ProgramState {
        stored.unwrap_or(ProgramState::Open)
    }

    /// Whether buyers may order: only an open store sells.
    pub fn sells(self) -> bool {
        self == ProgramState::Open
    }
}

/// Products that count against the cap: on sale, under review, or drafts on their way
/// there (a draft's only way forward is review, so creating one already takes a place).
pub fn counts_against_cap(state: State) -> bool {
    state != State::Delisted
}

/// Whether one more product fits, given how many already count.
pub fn check_cap(counted: i64) -> Result<(), String> {
    if counted >= PRODUCT_CAP {
        Err(format!(
            "the store already has {counted} products on sale, under review or in draft; a fully-managed store lists at most {PRODUCT_CAP}"
        ))
    } else {
        Ok(())
    }
}

/// Whether a category may be listed, given its special rule and whether qualification
/// documents came with the product.
pub fn check_category(
    rule: Option<CategoryRule>,
    has_qualification: bool,
) -> Result<(), &'static str> {
    match rule {
        None => Ok(()),
        Some(CategoryRule::Closed) => {
            Err("is a special category that fully-managed stores may not list")
        }
        Some(CategoryRule::Qualification) if has_qualification => Ok(()),
        Some(CategoryRule::Qualification) => Err(
            "is a special category: fully-managed stores list it only with a qualification document",
        ),
    }
}

/// A JIT order is overdue when its goods have not reached the warehouse by its due time.
pub fn jit_overdue(due_at: i64, inbound_at: Option<i64>, now: i64) -> bool {
    inbound_at.is_none() && now >= due_at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn individuals_may_not_apply() {
        assert!(Entity::Company.may_apply().is_ok());
        assert!(Entity::Individual.may_apply().is_err());
    }

    #[test]
    fn the_cap_counts_everything_not_delisted() {
        assert!(counts_against_cap(State::OnSale));
        assert!(counts_against_cap(State::PendingReview));
        assert!(counts_against_cap(State::Draft));
        assert!(!counts_against_cap(State::Delisted));
        assert!(check_cap(2_999).is_ok());
        let e = check_cap(3_000).unwrap_err();
        assert!(e.contains("3000 products"), "{e}");
    }

    #[test]
    fn a_rejected_application_frees_the_way() {
        assert!(ApplicationState::UnderReview.blocks_another());
        assert!(ApplicationState::Approved.blocks_another());
        assert!(!ApplicationState::Rejected.blocks_another());
        assert!(ApplicationState::Approved.decide().is_err());
    }

    #[test]
    fn special_categories() {
        assert!(check_category(None, false).is_ok());
        assert!(check_category(Some(CategoryRule::Closed), true).is_err());
        assert!(check_category(Some(CategoryRule::Qualification), false).is_err());
        assert!(check_category(Some(CategoryRule::Qualification), true).is_ok());
    }

    #[test]
    fn only_fully_managed_products_choose_their_fulfilment() {
        assert_eq!(
            Fulfilment::chosen(true, None),
            Ok(Some(Fulfilment::Warehouse))
        );
        assert_eq!(
            Fulfilment::chosen(true, Some("jit")),
            Ok(Some(Fulfilment::Jit))
        );
        assert!(Fulfilment::chosen(true, Some("drone")).is_err());
        assert!(Fulfilment::chosen(false, Some("jit")).is_err());
        assert_eq!(Fulfilment::chosen(false, None), Ok(None));
    }

    #[test]
    fn jit_is_overdue_at_its_due_time_unless_received() {
        assert!(!jit_overdue(100, None, 99));
        assert!(jit_overdue(100, None, 100));
        assert!(!jit_overdue(100, Some(50), 200));
    }
}
