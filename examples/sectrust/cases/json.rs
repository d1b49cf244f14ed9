//! Reading a `serde_json::Value` field by field, so every error names where it is
//! (`cases[3].intermediates[1]: expected a string, found a number`).
//!
//! Conventions of the case format as this runner reads it: a key whose value is `null` is the
//! same as an absent key, and keys the runner does not know are ignored (forward
//! compatibility: a newer case file still runs, minus what this runner cannot do).

use std::fmt;

use serde_json::{Map, Value};

/// Where a value sits in the case file, e.g. `cases[3].policies[0].kind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path(String);

impl Path {
    /// A top-level key, e.g. `cases`.
    pub fn root(key: &str) -> Self {
        Path(key.to_owned())
    }

    /// `self.key`.
    pub fn key(&self, key: &str) -> Self {
        Path(format!("{}.{key}", self.0))
    }

    /// `self[index]`.
    pub fn index(&self, index: usize) -> Self {
        Path(format!("{}[{index}]", self.0))
    }

    /// An error at this place.
    pub fn error(&self, message: impl Into<String>) -> InputError {
        InputError {
            path: self.clone(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a case cannot be evaluated, and where: shown as `path: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The offending field.
    pub path: Path,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// "a string", "an array", … for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `value` as a string, or a type error at `path`.
pub fn as_str<'a>(value: &'a Value, path: &Path) -> Result<&'a str, InputError> {
    value
        .as_str()
        .ok_or_else(|| path.error(format!("expected a string, found {}", kind_of(value))))
}

/// Looks `name` up in a table of `(name, value)` pairs; the error lists the accepted names.
pub fn lookup<T: Copy>(
    table: &[(&str, T)],
    name: &str,
    what: &str,
    path: &Path,
) -> Result<T, InputError> {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, v)| v)
        .ok_or_else(|| {
            let accepted: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            path.error(format!(
                "unknown {what} {name:?} (expected one of: {})",
                accepted.join(", ")
            ))
        })
}

/// A JSON object being read, with its place in the file.
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    map: &'a Map<String, Value>,
    path: &'a Path,
}

impl<'a> Object<'a> {
    /// `value` as an object, or a type error at `path`.
    pub fn new(value: &'a Value, path: &'a Path) -> Result<Self, InputError> {
        match value {
            Value::Object(map) => Ok(Object { map, path }),
            other => Err(path.error(format!("expected an object, found {}", kind_of(other)))),
        }
    }

    /// The path of `key` in this object.
    pub fn path_of(&self, key: &str) -> Path {
        self.path.key(key)
    }

    /// The value of `key`; `None` when absent or `null`.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Whether `key` is present with a non-null value.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The value of a required `key`.
    pub fn required(&self, key: &str) -> Result<&'a Value, InputError> {
        self.get(key)
            .ok_or_else(|| self.path_of(key).error("missing required field"))
    }

    /// An optional string.
    pub fn string(&self, key: &str) -> Result<Option<&'a str>, InputError> {
        self.get(key)
            .map(|v| as_str(v, &self.path_of(key)))
            .transpose()
    }

    /// A required string.
    pub fn required_string(&self, key: &str) -> Result<&'a str, InputError> {
        as_str(self.required(key)?, &self.path_of(key))
    }

    /// An optional boolean.
    pub fn bool(&self, key: &str) -> Result<Option<bool>, InputError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self
                .path_of(key)
                .error(format!("expected true or false, found {}", kind_of(other)))),
        }
    }

    /// An optional array, each element with its path; absent means `None`.
    pub fn array(&self, key: &str) -> Result<Option<Vec<(Path, &'a Value)>>, InputError> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        let path = self.path_of(key);
        match value {
            Value::Array(items) => Ok(Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (path.index(i), v))
                    .collect(),
            )),
            other => Err(path.error(format!("expected an array, found {}", kind_of(other)))),
        }
    }

    /// An optional array decoded element by element with `decode`; absent means empty.
    pub fn list<T>(
        &self,
        key: &str,
        mut decode: impl FnMut(&Path, &'a Value) -> Result<T, InputError>,
    ) -> Result<Vec<T>, InputError> {
        self.array(key)?
            .unwrap_or_default()
            .iter()
            .map(|(path, value)| decode(path, value))
            .collect()
    }

    /// An optional name from `table`.
    pub fn name<T: Copy>(
        &self,
        key: &str,
        table: &[(&str, T)],
        what: &str,
    ) -> Result<Option<T>, InputError> {
        self.string(key)?
            .map(|name| lookup(table, name, what, &self.path_of(key)))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_read_like_the_json() {
        let p = Path::root("cases").index(3).key("intermediates").index(1);
        assert_eq!(p.to_string(), "cases[3].intermediates[1]");
        assert_eq!(
            p.error("malformed certificate: x").to_string(),
            "cases[3].intermediates[1]: malformed certificate: x"
        );
    }

    #[test]
    fn null_is_absent_and_types_are_checked() {
        let v = json!({"a": null, "b": 1, "c": "x", "d": [true], "e": true});
        let path = Path::root("cases").index(0);
        let o = Object::new(&v, &path).unwrap();
        assert_eq!(o.string("a"), Ok(None));
        assert_eq!(o.string("missing"), Ok(None));
        assert_eq!(o.string("c"), Ok(Some("x")));
        assert_eq!(o.bool("e"), Ok(Some(true)));
        assert_eq!(
            o.string("b").unwrap_err().to_string(),
            "cases[0].b: expected a string, found a number"
        );
        assert_eq!(
            o.bool("c").unwrap_err().to_string(),
            "cases[0].c: expected true or false, found a string"
        );
        assert_eq!(
            o.required("a").unwrap_err().to_string(),
            "cases[0].a: missing required field"
        );
        assert_eq!(
            o.array("c").unwrap_err().to_string(),
            "cases[0].c: expected an array, found a string"
        );
        let items = o.list("d", |p, v| Ok((p.to_string(), v.clone()))).unwrap();
        assert_eq!(items, vec![("cases[0].d[0]".to_owned(), json!(true))]);
        assert_eq!(
            o.list("a", |_, v| Ok(v.clone())).unwrap(),
            Vec::<Value>::new()
        );
    }

    #[test]
    fn non_objects_are_rejected() {
        let path = Path::root("cases").index(2);
        for (v, kind) in [
            (json!([]), "an array"),
            (json!(null), "null"),
            (json!(7), "a number"),
        ] {
            let e = Object::new(&v, &path).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("cases[2]: expected an object, found {kind}")
            );
        }
    }

    #[test]
    fn names_come_from_tables() {
        const T: &[(&str, u8)] = &[("one", 1), ("two", 2)];
        let path = Path::root("x");
        assert_eq!(lookup(T, "two", "number", &path), Ok(2));
        assert_eq!(
            lookup(T, "three", "number", &path).unwrap_err().to_string(),
            "x: unknown number \"three\" (expected one of: one, two)"
        );
    }
}
