//! Where trust comes from: app anchors, the system store, and user/admin trust settings
//! including configuration-profile roots (`apple-trust.md §4, §5`).

#[cfg(feature = "apple-roots")]
mod apple_roots;
mod lookup;
mod settings;

pub(crate) use lookup::{AnchorIndex, AnchorStatus, PolicyInfo};
mod store;

pub use settings::{
    KEY_USAGE_ANY, KEY_USAGE_SIGN_CERT, TrustSetting, TrustSettingResult, UsageConstraint,
    allowed_error,
};
pub use store::SystemStore;

#[cfg(feature = "apple-roots")]
pub use apple_roots::{
    APPLE_ORGANIZATION, AppleRoots, CertificateInfo, StoreSelector, StoreSnapshot, is_apple_owned,
};
