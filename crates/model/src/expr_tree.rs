//! Parentheses that operator precedence makes redundant.
//!
//! MySQL 8 prints every operand of a comparison or boolean operator in
//! parentheses (`((age >= 0) and (age < 150))`), MariaDB prints none
//! (`age >= 0 and age < 150`), users write either. The tokens are parsed with
//! MySQL's operator precedence (MySQL manual, "Operator Precedence") and
//! written back with only the parentheses the tree needs. Anything the small
//! parser does not know (CASE, INTERVAL, CAST … AS, COLLATE, …) makes it give
//! up: the caller then keeps the tokens as they were.

use crate::expr::Token;

#[derive(Debug, Clone)]
enum Node {
    /// A literal or (qualified) name.
    Leaf(Vec<Token>),
    Call(String, Vec<Node>),
    /// `(a, b, c)` after IN.
    List(Vec<Node>),
    Unary(&'static str, Box<Node>),
    Binary(&'static str, Box<Node>, Box<Node>),
    /// `x IS [NOT] NULL|TRUE|FALSE|UNKNOWN`.
    Is(Box<Node>, bool, String),
    Between(Box<Node>, bool, Box<Node>, Box<Node>),
}

/// (operator as written canonically, binding power). Higher binds tighter.
const BINARY: [(&str, &str, u8); 27] = [
    ("or", "or", 1),
    ("||", "or", 1),
    ("xor", "xor", 2),
    ("and", "and", 3),
    ("&&", "and", 3),
    ("=", "=", 6),
    ("<=>", "<=>", 6),
    (">=", ">=", 6),
    (">", ">", 6),
    ("<=", "<=", 6),
    ("<", "<", 6),
    ("<>", "<>", 6),
    ("like", "like", 6),
    ("regexp", "regexp", 6),
    ("rlike", "regexp", 6),
    ("|", "|", 7),
    ("&", "&", 8),
    ("<<", "<<", 9),
    (">>", ">>", 9),
    ("+", "+", 10),
    ("-", "-", 10),
    ("*", "*", 11),
    ("/", "/", 11),
    ("div", "div", 11),
    ("mod", "mod", 11),
    ("^", "^", 12),
    ("in", "in", 6),
];

const NOT_PREFIX: u8 = 4;
const BETWEEN: u8 = 5;
const COMPARISON: u8 = 6;
const NEGATE: u8 = 13;
const BANG: u8 = 14;
const ATOM: u8 = 100;

/// The tokens with redundant parentheses removed, or `None` when the
/// expression uses something this parser does not handle.
pub(crate) fn minimal_parens(tokens: &[Token]) -> Option<Vec<Token>> {
    let mut parser = Parser { tokens, pos: 0 };
    let node = parser.expr(0)?;
    if parser.pos != tokens.len() {
        return None;
    }
    let mut out = Vec::with_capacity(tokens.len());
    emit(&node, &mut out);
    Some(out)
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
}

fn word(token: Option<&Token>) -> Option<&str> {
    match token {
        Some(Token::Word(w)) => Some(w.as_str()),
        Some(Token::Punct(p)) => Some(p.as_str()),
        _ => None,
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_word(&self, offset: usize) -> Option<&str> {
        word(self.tokens.get(self.pos + offset))
    }

    fn is_punct(&self, text: &str) -> bool {
        matches!(self.peek(), Some(Token::Punct(p)) if p == text)
    }

    fn expect_punct(&mut self, text: &str) -> Option<()> {
        self.is_punct(text).then(|| self.pos += 1)
    }

    fn expr(&mut self, min_bp: u8) -> Option<Node> {
        let mut lhs = self.prefix()?;
        while let Some(next) = self.peek_word(0) {
            let (negated, op) = if next == "not" {
                match self.peek_word(1) {
                    Some(op @ ("like" | "regexp" | "rlike" | "in" | "between")) => (true, op),
                    _ => break,
                }
            } else {
                (false, next)
            };
            if op == "is" {
                if COMPARISON < min_bp {
                    break;
                }
                self.pos += 1;
                let not = self.peek_word(0) == Some("not");
                if not {
                    self.pos += 1;
                }
                let what = match self.peek_word(0) {
                    Some(w @ ("null" | "true" | "false" | "unknown")) => w.to_string(),
                    _ => return None,
                };
                self.pos += 1;
                lhs = Node::Is(Box::new(lhs), not, what);
                continue;
            }
            if op == "between" {
                if BETWEEN < min_bp {
                    break;
                }
                self.pos += if negated { 2 } else { 1 };
                let low = self.expr(COMPARISON)?;
                if self.peek_word(0) != Some("and") {
                    return None;
                }
                self.pos += 1;
                let high = self.expr(COMPARISON)?;
                lhs = Node::Between(Box::new(lhs), negated, Box::new(low), Box::new(high));
                continue;
            }
            let Some((_, canonical, bp)) = BINARY.iter().find(|(written, _, _)| *written == op)
            else {
                break;
            };
            if *bp < min_bp {
                break;
            }
            self.pos += if negated { 2 } else { 1 };
            let rhs = if *canonical == "in" {
                self.group()?
            } else {
                self.expr(bp + 1)?
            };
            let op: &'static str = match (negated, *canonical) {
                (true, "like") => "not like",
                (true, "regexp") => "not regexp",
                (true, "in") => "not in",
                (_, c) => c,
            };
            lhs = Node::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Some(lhs)
    }

    /// `( a [, b …] )` as a list (IN's right-hand side).
    fn group(&mut self) -> Option<Node> {
        self.expect_punct("(")?;
        let mut items = vec![self.expr(0)?];
        while self.is_punct(",") {
            self.pos += 1;
            items.push(self.expr(0)?);
        }
        self.expect_punct(")")?;
        Some(Node::List(items))
    }

    fn prefix(&mut self) -> Option<Node> {
        let token = self.peek()?.clone();
        self.pos += 1;
        match token {
            Token::Punct(p) if p == "(" => {
                let inner = self.expr(0)?;
                if self.is_punct(",") {
                    let mut items = vec![inner];
                    while self.is_punct(",") {
                        self.pos += 1;
                        items.push(self.expr(0)?);
                    }
                    self.expect_punct(")")?;
                    return Some(Node::List(items));
                }
                self.expect_punct(")")?;
                Some(inner)
            }
            Token::Punct(p) if p == "-" || p == "~" => {
                let op = if p == "-" { "-" } else { "~" };
                Some(Node::Unary(op, Box::new(self.expr(NEGATE)?)))
            }
            Token::Punct(p) if p == "!" => Some(Node::Unary("!", Box::new(self.expr(BANG)?))),
            Token::Word(w) if w == "not" => {
                Some(Node::Unary("not", Box::new(self.expr(NOT_PREFIX)?)))
            }
            // Constructs with keywords inside: not handled, keep the text.
            Token::Word(w)
                if matches!(
                    w.as_str(),
                    "case" | "interval" | "exists" | "select" | "binary" | "collate" | "distinct"
                ) =>
            {
                None
            }
            Token::Word(w) if self.is_punct("(") => {
                self.pos += 1;
                let mut args = Vec::new();
                if !self.is_punct(")") {
                    args.push(self.expr(0)?);
                    while self.is_punct(",") {
                        self.pos += 1;
                        args.push(self.expr(0)?);
                    }
                }
                self.expect_punct(")")?;
                Some(Node::Call(w, args))
            }
            Token::Word(_) | Token::Ident(_) | Token::Num(_) | Token::Str(_) => {
                let mut leaf = vec![token];
                while self.is_punct(".") {
                    let Some(part @ (Token::Word(_) | Token::Ident(_))) =
                        self.tokens.get(self.pos + 1)
                    else {
                        return None;
                    };
                    leaf.push(Token::Punct(".".into()));
                    leaf.push(part.clone());
                    self.pos += 2;
                }
                Some(Node::Leaf(leaf))
            }
            Token::Punct(_) => None,
        }
    }
}

fn precedence(node: &Node) -> u8 {
    match node {
        Node::Leaf(_) | Node::Call(..) | Node::List(_) => ATOM,
        Node::Unary("not", _) => NOT_PREFIX,
        Node::Unary("!", _) => BANG,
        Node::Unary(..) => NEGATE,
        Node::Binary(op, ..) => binding_power(op),
        Node::Is(..) => COMPARISON,
        Node::Between(..) => BETWEEN,
    }
}

fn binding_power(op: &str) -> u8 {
    let base = op.strip_prefix("not ").unwrap_or(op);
    BINARY
        .iter()
        .find(|(_, canonical, _)| *canonical == base)
        .map_or(ATOM, |(_, _, bp)| *bp)
}

fn op_token(op: &str) -> Token {
    if op.chars().all(|c| c.is_ascii_alphabetic()) {
        Token::Word(op.to_string())
    } else {
        Token::Punct(op.to_string())
    }
}

fn emit_wrapped(node: &Node, wrap: bool, out: &mut Vec<Token>) {
    if wrap {
        out.push(Token::Punct("(".into()));
    }
    emit(node, out);
    if wrap {
        out.push(Token::Punct(")".into()));
    }
}

fn emit_list(items: &[Node], out: &mut Vec<Token>) {
    out.push(Token::Punct("(".into()));
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(Token::Punct(",".into()));
        }
        emit(item, out);
    }
    out.push(Token::Punct(")".into()));
}

fn emit(node: &Node, out: &mut Vec<Token>) {
    match node {
        Node::Leaf(tokens) => out.extend(tokens.iter().cloned()),
        Node::Call(name, args) => {
            out.push(Token::Word(name.clone()));
            emit_list(args, out);
        }
        Node::List(items) => emit_list(items, out),
        Node::Unary(op, operand) => {
            out.push(op_token(op));
            emit_wrapped(operand, precedence(operand) < precedence(node), out);
        }
        Node::Binary(op, lhs, rhs) => {
            let bp = binding_power(op);
            emit_wrapped(lhs, precedence(lhs) < bp, out);
            for part in op.split(' ') {
                out.push(op_token(part));
            }
            // Left-associative: an equal-precedence right operand keeps its parentheses.
            emit_wrapped(
                rhs,
                precedence(rhs) <= bp && !matches!(**rhs, Node::List(_)),
                out,
            );
        }
        Node::Is(operand, not, what) => {
            emit_wrapped(operand, precedence(operand) <= COMPARISON, out);
            out.push(Token::Word("is".into()));
            if *not {
                out.push(Token::Word("not".into()));
            }
            out.push(Token::Word(what.clone()));
        }
        Node::Between(operand, not, low, high) => {
            emit_wrapped(operand, precedence(operand) <= BETWEEN, out);
            if *not {
                out.push(Token::Word("not".into()));
            }
            out.push(Token::Word("between".into()));
            emit_wrapped(low, precedence(low) <= COMPARISON, out);
            out.push(Token::Word("and".into()));
            emit_wrapped(high, precedence(high) <= COMPARISON, out);
        }
    }
}
