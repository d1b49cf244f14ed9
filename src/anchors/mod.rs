//! Where trust comes from: app anchors, the system store, and user/admin trust settings
//! including configuration-profile roots (`apple-trust.md §4, §5`).

mod settings;
mod store;

pub use settings::{
    allowed_error, TrustSetting, TrustSettingResult, UsageConstraint, KEY_USAGE_ANY,
    KEY_USAGE_SIGN_CERT,
};
pub use store::SystemStore;
