//! Bounds checks run before a property list reaches the `plist` crate.
//!
//! A binary plist is a table of objects that refer to each other by index, so a few hundred
//! bytes can describe an exponentially large tree (an array holding the same array twice,
//! forty levels down); `plist` would build all of it. [`check_binary`] walks the reference
//! graph once, memoising each object's expanded size and height, and rejects graphs whose
//! expansion or depth is too large, and cycles. [`check_xml`] bounds the nesting depth of an
//! XML plist, whose deep trees would otherwise be dropped by deep recursion.

use super::FormatError;

/// Deepest array/dictionary nesting accepted. Profiles nest four or five levels.
const MAX_DEPTH: u32 = 64;

/// Largest expanded size of a binary plist: bytes of data and strings plus
/// [`OBJECT_COST`] per object, roughly the memory the parsed tree takes. A profile's
/// expansion is about its own size; 64 MiB is four times [`super::MAX_INPUT_LEN`].
const MAX_EXPANDED: u64 = 64 * 1024 * 1024;

/// Approximate size of one parsed value (`plist::Value` plus its container slot).
const OBJECT_COST: u64 = 64;

/// Checks the expansion, depth and acyclicity of a binary plist (`bplist00`).
pub(crate) fn check_binary(bytes: &[u8]) -> Result<(), FormatError> {
    let table = Table::read(bytes)?;
    let n = table.offsets.len();
    // Per object: expanded cost and height, filled in post-order by an explicit stack.
    let mut done: Vec<Option<(u64, u32)>> = vec![None; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<(usize, Vec<usize>, usize)> = Vec::new();
    let root = table.root;
    let (own, children) = table.object(root)?;
    on_stack[root] = true;
    stack.push((root, children, 0));
    let mut own_costs = vec![0u64; n];
    own_costs[root] = own;
    while let Some((object, children, next)) = stack.last_mut() {
        if let Some(&child) = children.get(*next) {
            *next += 1;
            if done[child].is_some() {
                continue;
            }
            if on_stack[child] {
                return Err(invalid("an object contains itself"));
            }
            if stack.len() as u32 >= MAX_DEPTH {
                return Err(limit(
                    "binary plist nesting depth",
                    u64::from(MAX_DEPTH) + 1,
                    MAX_DEPTH.into(),
                ));
            }
            let (own, grandchildren) = table.object(child)?;
            own_costs[child] = own;
            on_stack[child] = true;
            stack.push((child, grandchildren, 0));
            continue;
        }
        let object = *object;
        let mut cost = own_costs[object];
        let mut height = 0u32;
        for &child in children.iter() {
            let (c, h) = done[child].unwrap_or((0, 0));
            cost = cost.saturating_add(c);
            height = height.max(h);
        }
        let height = height + 1;
        if cost > MAX_EXPANDED {
            return Err(limit(
                "expanded size of the binary plist",
                cost,
                MAX_EXPANDED,
            ));
        }
        if height > MAX_DEPTH {
            return Err(limit(
                "binary plist nesting depth",
                height.into(),
                MAX_DEPTH.into(),
            ));
        }
        done[object] = Some((cost, height));
        on_stack[object] = false;
        stack.pop();
    }
    Ok(())
}

/// Checks the nesting depth of an XML plist by counting `<array>`/`<dict>` tags (a tag inside
/// a comment counts too, which can only make the check stricter).
pub(crate) fn check_xml(bytes: &[u8]) -> Result<(), FormatError> {
    let mut depth = 0u32;
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == b'<') {
        rest = &rest[at + 1..];
        if rest.starts_with(b"array>") || rest.starts_with(b"dict>") {
            depth += 1;
            if depth > MAX_DEPTH {
                return Err(limit(
                    "XML plist nesting depth",
                    depth.into(),
                    MAX_DEPTH.into(),
                ));
            }
        } else if rest.starts_with(b"/array>") || rest.starts_with(b"/dict>") {
            depth = depth.saturating_sub(1);
        }
    }
    Ok(())
}

/// The trailer and offset table of a binary plist.
struct Table<'a> {
    bytes: &'a [u8],
    offsets: Vec<usize>,
    ref_size: usize,
    root: usize,
}

impl<'a> Table<'a> {
    fn read(bytes: &'a [u8]) -> Result<Self, FormatError> {
        // Header (8) + trailer (32): 6 unused, offsetIntSize, objectRefSize, numObjects (8),
        // topObject (8), offsetTableOffset (8).
        if bytes.len() < 40 || !bytes.starts_with(b"bplist0") {
            return Err(invalid("too short or no bplist0 header"));
        }
        let trailer = &bytes[bytes.len() - 32..];
        let offset_size = usize::from(trailer[6]);
        let ref_size = usize::from(trailer[7]);
        let count = be(&trailer[8..16]);
        let root = be(&trailer[16..24]);
        let table_at = be(&trailer[24..32]);
        let body_end = (bytes.len() - 32) as u64;
        if !(1..=8).contains(&offset_size) || !(1..=8).contains(&ref_size) {
            return Err(invalid("bad offset or reference size in the trailer"));
        }
        if count == 0 || count > body_end || root >= count {
            return Err(invalid("bad object count or top object in the trailer"));
        }
        let table_end = count
            .checked_mul(offset_size as u64)
            .and_then(|len| len.checked_add(table_at))
            .filter(|&end| end <= body_end && table_at >= 8)
            .ok_or_else(|| invalid("offset table outside the file"))?;
        let table = &bytes[table_at as usize..table_end as usize];
        let offsets = table
            .chunks_exact(offset_size)
            .map(|o| {
                let at = be(o);
                if at < 8 || at >= table_at {
                    Err(invalid("object offset outside the object area"))
                } else {
                    Ok(at as usize)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Table {
            bytes: &bytes[..table_at as usize],
            offsets,
            ref_size,
            root: root as usize,
        })
    }

    /// An object's own cost and the objects it refers to.
    fn object(&self, index: usize) -> Result<(u64, Vec<usize>), FormatError> {
        let mut at = self.offsets[index];
        let marker = *self
            .bytes
            .get(at)
            .ok_or_else(|| invalid("object past the end"))?;
        at += 1;
        let (kind, low) = (marker >> 4, marker & 0x0F);
        let mut len = || -> Result<u64, FormatError> {
            if low != 0x0F {
                return Ok(low.into());
            }
            let int_marker = *self
                .bytes
                .get(at)
                .ok_or_else(|| invalid("length past the end"))?;
            if int_marker >> 4 != 0x1 || int_marker & 0x0F > 3 {
                return Err(invalid("bad length marker"));
            }
            let size = 1usize << (int_marker & 0x0F);
            let digits = self
                .bytes
                .get(at + 1..at + 1 + size)
                .ok_or_else(|| invalid("length past the end"))?;
            at += 1 + size;
            Ok(be(digits))
        };
        let refs = match kind {
            0x0..=0x3 | 0x8 => return Ok((OBJECT_COST, Vec::new())),
            0x4 | 0x5 | 0x7 => return Ok((OBJECT_COST.saturating_add(len()?), Vec::new())),
            0x6 => {
                return Ok((
                    OBJECT_COST.saturating_add(len()?.saturating_mul(2)),
                    Vec::new(),
                ));
            }
            0xA..=0xC => len()?,
            0xD => len()?.saturating_mul(2),
            _ => return Err(invalid("unknown object type")),
        };
        let refs_len = refs
            .checked_mul(self.ref_size as u64)
            .filter(|&l| l <= self.bytes.len() as u64)
            .ok_or_else(|| invalid("collection past the end"))? as usize;
        let raw = self
            .bytes
            .get(at..at + refs_len)
            .ok_or_else(|| invalid("collection past the end"))?;
        let children = raw
            .chunks_exact(self.ref_size)
            .map(|r| {
                let child = be(r);
                if child < self.offsets.len() as u64 {
                    Ok(child as usize)
                } else {
                    Err(invalid("reference to a missing object"))
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((OBJECT_COST, children))
    }
}

/// A big-endian unsigned integer of at most 8 bytes.
fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

fn invalid(reason: &str) -> FormatError {
    FormatError::Invalid {
        what: "binary property list",
        reason: reason.to_owned(),
    }
}

fn limit(what: &'static str, value: u64, limit: u64) -> FormatError {
    FormatError::Limit { what, value, limit }
}
