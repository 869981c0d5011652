//! The closed list of delist reasons (domain.md, "Delist reasons"). One list serves the
//! seller's form, the violation center, the classifier and the benchmarks, so a reason
//! outside it is refused rather than stored as free text.

use std::fmt;
use std::str::FromStr;

macro_rules! reasons {
    ($($variant:ident => $code:literal, $zh:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ReasonCode { $($variant),* }

        impl ReasonCode {
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(ReasonCode::$variant => $code),* }
            }

            /// The Chinese name used by the seed documents and shown beside the code.
            pub fn chinese(self) -> &'static str {
                match self { $(ReasonCode::$variant => $zh),* }
            }
        }

        impl FromStr for ReasonCode {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($code => Ok(ReasonCode::$variant),)*
                    other => Err(format!(
                        "unknown reason code \"{other}\"; expected one of: {}",
                        [$($code),*].join(", ")
                    )),
                }
            }
        }
    };
}

reasons! {
    QualityDefect => "quality_defect", "质量缺陷";
    IpInfringement => "ip_infringement", "版权/知识产权";
    Counterfeit => "counterfeit", "假冒";
    ProhibitedItem => "prohibited_item", "禁限售";
    MisleadingListing => "misleading_listing", "描述不符/虚假宣传";
    ImageViolation => "image_violation", "图片违规";
    MissingCertification => "missing_certification", "资质缺失";
    PricingViolation => "pricing_violation", "价格违规";
    SafetyRisk => "safety_risk", "安全隐患";
    OutOfStock => "out_of_stock", "缺货";
    Seasonal => "seasonal", "季节性";
    SlowSelling => "slow_selling", "滞销";
    PolicyChange => "policy_change", "平台政策调整";
    Other => "other", "其他";
}

impl fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        assert_eq!(ReasonCode::ALL.len(), 14);
        for r in ReasonCode::ALL {
            assert_eq!(r.as_str().parse::<ReasonCode>().unwrap(), *r);
        }
    }

    #[test]
    fn unknown_code_names_the_choices() {
        let err = "broken".parse::<ReasonCode>().unwrap_err();
        assert!(err.contains("quality_defect"), "{err}");
    }
}
