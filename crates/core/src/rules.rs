//! The platform rule clauses shipped with a new installation; admins add their own.
//! Each names the delist reason its takedowns are filed under, so the violation center
//! and the product list share one set of reason codes.

pub struct DefaultRule {
    pub code: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    pub severity: &'static str,
    pub reason_code: &'static str,
}

pub const DEFAULT_RULES: &[DefaultRule] = &[
    DefaultRule {
        code: "IP-1",
        title: "Intellectual property infringement",
        text: "Listings must not use trademarks, copyrighted images or designs without the owner's authorisation.",
        severity: "serious",
        reason_code: "ip_infringement",
    },
    DefaultRule {
        code: "CF-1",
        title: "Counterfeit goods",
        text: "Counterfeit or replica goods are prohibited.",
        severity: "serious",
        reason_code: "counterfeit",
    },
    DefaultRule {
        code: "PR-1",
        title: "Prohibited and restricted items",
        text: "Items on the platform's prohibited list may not be sold; restricted items need prior approval.",
        severity: "serious",
        reason_code: "prohibited_item",
    },
    DefaultRule {
        code: "DS-1",
        title: "Misleading description",
        text: "Titles, descriptions and attributes must match the goods delivered; no false claims.",
        severity: "normal",
        reason_code: "misleading_listing",
    },
    DefaultRule {
        code: "IM-1",
        title: "Image standards",
        text: "Main images must show the product itself, without third-party logos, watermarks or contact details.",
        severity: "normal",
        reason_code: "image_violation",
    },
    DefaultRule {
        code: "CE-1",
        title: "Missing certification",
        text: "Products that require certification (CE, FCC, FDA, …) must carry valid certificates on file.",
        severity: "normal",
        reason_code: "missing_certification",
    },
    DefaultRule {
        code: "PC-1",
        title: "Pricing violations",
        text: "Prices must not be inflated before discounts or set to mislead buyers.",
        severity: "normal",
        reason_code: "pricing_violation",
    },
    DefaultRule {
        code: "QA-1",
        title: "Quality defects",
        text: "Products with a pattern of quality complaints are removed until the cause is fixed.",
        severity: "normal",
        reason_code: "quality_defect",
    },
    DefaultRule {
        code: "SF-1",
        title: "Safety risks",
        text: "Products that pose a safety risk to buyers are removed at once.",
        severity: "serious",
        reason_code: "safety_risk",
    },
];
