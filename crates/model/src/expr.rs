//! Canonical text of SQL expressions (defaults, generated columns, checks).
//!
//! Servers re-print expressions: MariaDB back-quotes identifiers and drops
//! spaces after commas (``concat(`a`,' ',`b`)``), MySQL 8 adds charset
//! introducers and parentheses around binary operators, Drizzle keeps what
//! the user typed. [`normalize`] maps all of these to one spelling so that
//! equal expressions compare equal as strings:
//!
//! * keywords, function names and identifiers lower-cased, back-quotes dropped;
//! * charset introducers (`_utf8mb4'x'`) dropped;
//! * string literals re-quoted as `'…'` with `''` for a quote;
//! * one space around operators and between words, none inside parentheses,
//!   none around commas or dots, none between a word and `(`;
//! * parentheses that operator precedence makes redundant removed
//!   (`((a >= 0) and (b < 1))` is `a >= 0 and b < 1`; see [`crate::expr_tree`]).

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    Word(String),
    /// A back-quoted identifier (never a keyword or function name).
    Ident(String),
    Str(String),
    Num(String),
    Punct(String),
}

/// Canonical text of an SQL expression. Text that cannot be tokenized (an
/// unterminated string) is returned trimmed and otherwise unchanged.
pub fn normalize(text: &str) -> String {
    match tokenize(text) {
        Some(tokens) => {
            let tokens = strip_outer_parens(canonical_synonyms(drop_introducers(tokens)));
            let tokens = crate::expr_tree::minimal_parens(&tokens).unwrap_or(tokens);
            render(tokens)
        }
        None => text.trim().to_string(),
    }
}

/// Canonical text of a view's query, for comparing definitions: everything
/// [`normalize`] does, plus what servers add when they store a view — MariaDB
/// and MySQL qualify every name with schema and table
/// (`` `db`.`users`.`id` AS `id` ``) and MySQL parenthesizes WHERE conditions.
/// Qualifiers are dropped, `x AS x` is `x`, and each clause's condition loses
/// the parentheses precedence makes redundant.
pub fn normalize_query(text: &str) -> String {
    let Some(tokens) = tokenize(text) else {
        return text.trim().to_string();
    };
    let tokens = canonical_synonyms(drop_introducers(tokens));
    let mut unqualified: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        let is_name = matches!(token, Token::Word(_) | Token::Ident(_));
        // `a . b`: keep only the last name.
        if is_name
            && unqualified.len() >= 2
            && matches!(unqualified.last(), Some(Token::Punct(p)) if p == ".")
            && matches!(
                unqualified[unqualified.len() - 2],
                Token::Word(_) | Token::Ident(_)
            )
        {
            unqualified.truncate(unqualified.len() - 2);
        }
        // `x as x` is `x`.
        let redundant_alias = is_name
            && unqualified.len() >= 2
            && matches!(unqualified.last(), Some(Token::Word(w)) if w == "as")
            && name_of(&unqualified[unqualified.len() - 2]) == name_of(&token);
        if redundant_alias {
            unqualified.pop();
            continue;
        }
        unqualified.push(token);
    }
    let mut out = Vec::with_capacity(unqualified.len());
    let mut segment: Vec<Token> = Vec::new();
    let flush = |segment: &mut Vec<Token>, out: &mut Vec<Token>| {
        let simplified = crate::expr_tree::minimal_parens(segment);
        out.extend(simplified.unwrap_or_else(|| segment.clone()));
        segment.clear();
    };
    for token in unqualified {
        if matches!(&token, Token::Word(w) if CLAUSE_KEYWORDS.contains(&w.as_str())) {
            flush(&mut segment, &mut out);
            out.push(token);
        } else {
            segment.push(token);
        }
    }
    flush(&mut segment, &mut out);
    render(strip_outer_parens(out))
}

const CLAUSE_KEYWORDS: [&str; 15] = [
    "select", "from", "where", "having", "on", "join", "left", "right", "inner", "outer", "cross",
    "group", "order", "by", "limit",
];

fn name_of(token: &Token) -> Option<&str> {
    match token {
        Token::Word(w) | Token::Ident(w) => Some(w),
        _ => None,
    }
}

/// True when the whole text is one parenthesized group: `(a + b)` but not
/// `(a) + (b)`.
pub fn is_wrapped_in_parens(text: &str) -> bool {
    match tokenize(text) {
        Some(tokens) => outer_parens_match(&tokens),
        None => false,
    }
}

/// Removes one level of outer parentheses when they wrap the whole text.
pub fn strip_one_paren_level(text: &str) -> &str {
    let trimmed = text.trim();
    if is_wrapped_in_parens(trimmed) {
        trimmed[1..trimmed.len() - 1].trim()
    } else {
        trimmed
    }
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || c == '"' {
            let (value, next) = read_string(&chars, i)?;
            tokens.push(Token::Str(value));
            i = next;
        } else if c == '`' {
            let mut name = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    Some('`') if chars.get(i + 1) == Some(&'`') => {
                        name.push('`');
                        i += 2;
                    }
                    Some('`') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        name.push(*ch);
                        i += 1;
                    }
                    None => return None,
                }
            }
            tokens.push(Token::Ident(name.to_lowercase()));
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                // exponent sign: 1e-3
                if (chars[i] == 'e' || chars[i] == 'E')
                    && matches!(chars.get(i + 1), Some('-') | Some('+'))
                {
                    i += 1;
                }
                i += 1;
            }
            tokens.push(Token::Num(
                chars[start..i].iter().collect::<String>().to_lowercase(),
            ));
        } else if c.is_alphanumeric() || c == '_' || c == '$' || c == '@' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || chars[i] == '_'
                    || chars[i] == '$'
                    || chars[i] == '@')
            {
                i += 1;
            }
            tokens.push(Token::Word(
                chars[start..i].iter().collect::<String>().to_lowercase(),
            ));
        } else {
            const MULTI: [&str; 10] =
                ["<=>", "->>", "<=", ">=", "<>", "!=", "||", "&&", "->", ":="];
            let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
            let op = MULTI
                .iter()
                .find(|op| rest.starts_with(**op))
                .map(|op| op.to_string())
                .unwrap_or_else(|| c.to_string());
            i += op.chars().count();
            tokens.push(Token::Punct(op));
        }
    }
    Some(tokens)
}

fn read_string(chars: &[char], start: usize) -> Option<(String, usize)> {
    let quote = chars[start];
    let mut value = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            Some(c) if *c == quote && chars.get(i + 1) == Some(&quote) => {
                value.push(quote);
                i += 2;
            }
            Some(c) if *c == quote => return Some((value, i + 1)),
            Some('\\') => {
                let escaped = chars.get(i + 1)?;
                crate::column_type::push_unescaped(&mut value, *escaped);
                i += 2;
            }
            Some(c) => {
                value.push(*c);
                i += 1;
            }
            None => return None,
        }
    }
}

/// `_utf8mb4'x'` → `'x'`: MySQL 8 prints the client charset it saw at CREATE
/// time before every string literal; it varies between deployments.
fn drop_introducers(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        if let Token::Word(word) = &token
            && word.starts_with('_')
            && word.len() > 1
            && matches!(iter.peek(), Some(Token::Str(_)))
        {
            continue;
        }
        out.push(token);
    }
    out
}

/// Function names and operators with several spellings, mapped to one so
/// that both sides compare equal. MariaDB 10.11 prints some synonyms back in
/// its own spelling (`CURRENT_DATE` → `curdate()`, `lower` → `lcase`,
/// `length` → `octet_length`, `%` → `MOD`, `!=` → `<>`; observed through
/// information_schema), MySQL 8 others; the target is the common spelling.
const FUNCTION_SYNONYMS: [(&str, &str); 15] = [
    ("now", "current_timestamp"),
    ("localtime", "current_timestamp"),
    ("localtimestamp", "current_timestamp"),
    ("curdate", "current_date"),
    ("curtime", "current_time"),
    ("lcase", "lower"),
    ("ucase", "upper"),
    ("substr", "substring"),
    ("mid", "substring"),
    ("octet_length", "length"),
    ("character_length", "char_length"),
    ("pow", "power"),
    ("ceiling", "ceil"),
    ("schema", "database"),
    ("session_user", "user"),
];

/// Niladic functions that may be written without parentheses.
const BARE_FUNCTIONS: [&str; 6] = [
    "current_timestamp",
    "current_date",
    "current_time",
    "localtime",
    "localtimestamp",
    "current_user",
];

fn canonical_synonyms(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut iter = tokens.into_iter().peekable();
    while let Some(token) = iter.next() {
        match token {
            Token::Word(word) => {
                let called = matches!(iter.peek(), Some(Token::Punct(p)) if p == "(");
                let bare = !called && BARE_FUNCTIONS.contains(&word.as_str());
                let name = FUNCTION_SYNONYMS
                    .iter()
                    .find(|(from, _)| *from == word && (called || bare))
                    .map_or(word.clone(), |(_, to)| to.to_string());
                out.push(Token::Word(name));
                if bare {
                    out.push(Token::Punct("(".into()));
                    out.push(Token::Punct(")".into()));
                }
            }
            Token::Punct(p) if p == "%" => out.push(Token::Word("mod".into())),
            Token::Punct(p) if p == "!=" => out.push(Token::Punct("<>".into())),
            other => out.push(other),
        }
    }
    out
}

fn outer_parens_match(tokens: &[Token]) -> bool {
    if tokens.len() < 2
        || tokens.first() != Some(&Token::Punct("(".into()))
        || tokens.last() != Some(&Token::Punct(")".into()))
    {
        return false;
    }
    let mut depth = 0i32;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct(p) if p == "(" => depth += 1,
            Token::Punct(p) if p == ")" => {
                depth -= 1;
                if depth == 0 && i != tokens.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

fn strip_outer_parens(mut tokens: Vec<Token>) -> Vec<Token> {
    while outer_parens_match(&tokens) {
        tokens.pop();
        tokens.remove(0);
    }
    tokens
}

fn render(tokens: Vec<Token>) -> String {
    let mut out = String::new();
    let mut prev: Option<&Token> = None;
    for token in &tokens {
        let text = match token {
            Token::Word(w) | Token::Ident(w) => w.clone(),
            Token::Num(n) => n.clone(),
            Token::Str(s) => format!("'{}'", s.replace('\'', "''")),
            Token::Punct(p) => p.clone(),
        };
        if let Some(prev) = prev
            && needs_space(prev, token)
        {
            out.push(' ');
        }
        out.push_str(&text);
        prev = Some(token);
    }
    out
}

fn is_punct(token: &Token, set: &[&str]) -> bool {
    matches!(token, Token::Punct(p) if set.contains(&p.as_str()))
}

/// Keywords followed by a parenthesized group rather than called like functions.
const SPACED_KEYWORDS: [&str; 12] = [
    "in", "and", "or", "not", "is", "like", "between", "when", "then", "else", "exists", "as",
];

fn needs_space(prev: &Token, next: &Token) -> bool {
    const TIGHT: [&str; 4] = ["(", ")", ",", "."];
    if is_punct(prev, &["(", ",", "."]) || is_punct(next, &[")", ",", "."]) {
        return false;
    }
    if is_punct(next, &["("]) {
        // A function call has no space before `(`; a keyword (`in (`) or an operator has one.
        return match prev {
            Token::Word(word) => SPACED_KEYWORDS.contains(&word.as_str()),
            Token::Ident(_) => false,
            _ => !is_punct(prev, &TIGHT),
        };
    }
    if is_punct(prev, &[")"]) {
        return true;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{normalize, normalize_query};

    #[test]
    fn mariadb_and_drizzle_spellings_of_concat_agree() {
        assert_eq!(
            normalize("concat(`first`,' ',`last`)"),
            normalize("concat(first, ' ', last)")
        );
    }

    #[test]
    fn mysql8_charset_introducers_are_dropped() {
        assert_eq!(normalize("concat(`a`,_utf8mb4' ',`b`)"), "concat(a,' ',b)");
    }

    #[test]
    fn outer_parentheses_are_redundant() {
        assert_eq!(normalize("((`price` * `qty`))"), normalize("price * qty"));
        assert_eq!(normalize("(a) + (b)"), "a + b");
    }

    #[test]
    fn keywords_and_functions_are_lower_cased() {
        assert_eq!(normalize("UUID()"), "uuid()");
        assert_eq!(
            normalize("`status` IN ('a','b')"),
            normalize("status in ('a', 'b')")
        );
    }

    #[test]
    fn function_synonyms_have_one_spelling() {
        assert_eq!(normalize("CURRENT_DATE"), normalize("curdate()"));
        assert_eq!(normalize("curdate()"), "current_date()");
        assert_eq!(normalize("(CURRENT_TIME)"), normalize("curtime()"));
        assert_eq!(
            normalize("now() + interval 1 day"),
            normalize("current_timestamp() + interval 1 day")
        );
        assert_eq!(normalize("lower(`a`)"), normalize("lcase(`a`)"));
        assert_eq!(normalize("substring(a, 1, 2)"), normalize("substr(a,1,2)"));
        assert_eq!(normalize("length(a)"), normalize("octet_length(a)"));
        assert_eq!(normalize("a % 2 != 0"), normalize("a MOD 2 <> 0"));
    }

    #[test]
    fn a_backquoted_column_named_like_a_function_is_not_renamed() {
        assert_eq!(normalize("`current_date` + 1"), "current_date + 1");
    }

    #[test]
    fn mysql8_parenthesized_operands_equal_mariadb_bare_ones() {
        assert_eq!(
            normalize("((`age` >= 0) and (`age` < 150))"),
            normalize("`age` >= 0 and `age` < 150")
        );
        assert_eq!(normalize("((`f1` + `f2`) > 10)"), "f1 + f2 > 10");
        assert_eq!(
            normalize("((`name` <> _utf8mb4'a') or (`age` > 10))"),
            normalize("name <> 'a' or age > 10")
        );
    }

    #[test]
    fn parentheses_that_change_meaning_are_kept() {
        assert_eq!(normalize("(a + b) * c"), "(a + b) * c");
        assert_eq!(normalize("a - (b - c)"), "a - (b - c)");
        assert_eq!(normalize("(a or b) and c"), "(a or b) and c");
        assert_ne!(normalize("(a + b) * c"), normalize("a + b * c"));
    }

    #[test]
    fn predicates_keep_their_shape() {
        assert_eq!(normalize("(`s` is not null)"), "s is not null");
        assert_eq!(normalize("`x` not in ('a','b')"), "x not in ('a','b')");
        assert_eq!(normalize("(`x` between 1 and 5)"), "x between 1 and 5");
        assert_eq!(
            normalize("(`x` like 'a%') and (`y` = 1)"),
            "x like 'a%' and y = 1"
        );
    }

    #[test]
    fn unknown_constructs_keep_their_tokens() {
        assert_eq!(
            normalize("case when (`a` > 1) then 1 else 0 end"),
            "case when (a > 1) then 1 else 0 end"
        );
    }

    #[test]
    fn stored_view_text_equals_the_written_query() {
        let mariadb = "select `fx`.`f01_users`.`id` AS `id`,`fx`.`f01_users`.`email` AS `mail` \
                       from `fx`.`f01_users` where `fx`.`f01_users`.`id` > 10";
        let mysql8 = "select `fx`.`f01_users`.`id` AS `id`,`fx`.`f01_users`.`email` AS `mail` \
                      from `fx`.`f01_users` where (`fx`.`f01_users`.`id` > 10)";
        let written = "select id, email as mail from f01_users where id > 10";
        assert_eq!(normalize_query(mariadb), normalize_query(written));
        assert_eq!(normalize_query(mysql8), normalize_query(written));
        assert_ne!(
            normalize_query(written),
            normalize_query("select id from f01_users where id > 10")
        );
    }

    #[test]
    fn string_literal_case_is_kept() {
        assert_eq!(normalize("'Hello'"), "'Hello'");
    }

    #[test]
    fn escaped_quotes_in_strings_are_canonical() {
        assert_eq!(normalize(r"'it\'s'"), normalize("'it''s'"));
    }
}
