//! drizzle-orm's `toSnakeCase` / `toCamelCase` (`drizzle-orm/src/casing.ts`),
//! applied to columns whose name comes from their object key.
//!
//! Both strip `'` and `’`, then split the key into words with the regex
//! `/[\da-z]+|[A-Z]+(?![a-z])|[A-Z][\da-z]+/g`. Characters that match none of
//! the alternatives (`_`, `-`, non-ASCII letters) separate words and vanish.

/// The words of `input`, exactly as drizzle's regex finds them.
fn words(input: &str) -> Vec<String> {
    let chars: Vec<char> = input
        .chars()
        .filter(|c| *c != '\'' && *c != '\u{2019}')
        .collect();
    let is_lower_or_digit = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // 1. [\da-z]+
        if is_lower_or_digit(c) {
            let start = i;
            while i < chars.len() && is_lower_or_digit(chars[i]) {
                i += 1;
            }
            words.push(chars[start..i].iter().collect());
            continue;
        }
        if c.is_ascii_uppercase() {
            // 2. [A-Z]+(?![a-z]), greedy with backtracking.
            let mut end = i;
            while end < chars.len() && chars[end].is_ascii_uppercase() {
                end += 1;
            }
            let mut matched = None;
            let mut candidate = end;
            while candidate > i {
                let next_is_lower = chars.get(candidate).is_some_and(|n| n.is_ascii_lowercase());
                if !next_is_lower {
                    matched = Some(candidate);
                    break;
                }
                candidate -= 1;
            }
            if let Some(end) = matched {
                words.push(chars[i..end].iter().collect());
                i = end;
                continue;
            }
            // 3. [A-Z][\da-z]+
            if chars.get(i + 1).is_some_and(|n| is_lower_or_digit(*n)) {
                let start = i;
                i += 1;
                while i < chars.len() && is_lower_or_digit(chars[i]) {
                    i += 1;
                }
                words.push(chars[start..i].iter().collect());
                continue;
            }
        }
        i += 1;
    }
    words
}

pub fn to_snake_case(input: &str) -> String {
    words(input)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

pub fn to_camel_case(input: &str) -> String {
    let mut out = String::new();
    for (i, word) in words(input).iter().enumerate() {
        if i == 0 {
            out.push_str(&word.to_ascii_lowercase());
        } else {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_camel_humps() {
        assert_eq!(to_snake_case("firstName"), "first_name");
    }

    #[test]
    fn snake_case_keeps_acronym_at_end_together() {
        assert_eq!(to_snake_case("userID"), "user_id");
    }

    #[test]
    fn snake_case_splits_acronym_before_word() {
        assert_eq!(to_snake_case("HTMLParser"), "html_parser");
    }

    #[test]
    fn snake_case_keeps_digits_with_preceding_word() {
        assert_eq!(to_snake_case("address2Line"), "address2_line");
    }

    #[test]
    fn snake_case_of_snake_case_is_unchanged() {
        assert_eq!(to_snake_case("a_b"), "a_b");
        assert_eq!(to_snake_case("created_at"), "created_at");
    }

    #[test]
    fn snake_case_drops_apostrophes() {
        assert_eq!(to_snake_case("user'sName"), "users_name");
    }

    #[test]
    fn camel_case_joins_snake_words() {
        assert_eq!(to_camel_case("first_name"), "firstName");
        assert_eq!(to_camel_case("a_b"), "aB");
    }

    #[test]
    fn camel_case_lowercases_only_the_first_word() {
        assert_eq!(to_camel_case("userID"), "userID");
        assert_eq!(to_camel_case("HTMLParser"), "htmlParser");
        assert_eq!(to_camel_case("FirstName"), "firstName");
    }
}
