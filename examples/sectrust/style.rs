//! How the output looks: colour only when stdout is a terminal (and `NO_COLOR` is unset), and
//! word wrap for long lines.

use std::io::IsTerminal;

/// ANSI colours, or none.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty (no-color.org).
    pub fn for_stdout() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint {
            on: std::io::stdout().is_terminal() && !no_color,
        }
    }

    fn code(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Trusted, consistent.
    pub fn green(&self, text: &str) -> String {
        self.code("32", text)
    }

    /// Not trusted.
    pub fn red(&self, text: &str) -> String {
        self.code("31", text)
    }

    /// Headings and spans.
    pub fn bold(&self, text: &str) -> String {
        self.code("1", text)
    }

    /// Excluded causes, secondary text.
    pub fn dim(&self, text: &str) -> String {
        self.code("2", text)
    }
}

/// Greedy word wrap at `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("never empty");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_owned());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_word_boundaries_and_paints_nothing_off_a_terminal() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        let off = Paint { on: false };
        assert_eq!(off.red("x"), "x");
        let on = Paint { on: true };
        assert_eq!(on.green("ok"), "\x1b[32mok\x1b[0m");
    }
}
