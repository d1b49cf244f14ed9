//! Round-trip tests: every input is generated here (certificates from `crate::testing`, PKCS#12
//! and CMS from `super::testkit`, plists with the `plist` crate).

mod load;
mod openssl;
mod pkcs12;
mod profile;

use std::fmt::Debug;

use super::FormatError;
use crate::error::Error;

/// The [`FormatError`] inside a failed result.
fn format_error<T: Debug>(result: Result<T, Error>) -> FormatError {
    match result {
        Err(Error::Format(e)) => e,
        other => panic!("expected a format error, got {other:?}"),
    }
}
