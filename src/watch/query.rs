//! The query language of the module doc: tokens, a recursive-descent
//! parser (NOT, then AND, then OR) and the expression tree a [`Query`]
//! evaluates.

use super::normalize;

/// A parsed query such as `("North Korea" OR DPRK) AND (Russia OR Moscow)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Normalised terms, in order of first use, without repeats.
    terms: Vec<String>,
    /// The expression; `Node::Term` indexes `terms`.
    root: Node,
}

/// The expression tree of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Term(usize),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

impl Node {
    /// Evaluates with `present(term_idx)` telling whether a term occurs.
    fn eval(&self, present: &dyn Fn(usize) -> bool) -> bool {
        match self {
            Node::Term(idx) => present(*idx),
            Node::Not(inner) => !inner.eval(present),
            Node::And(nodes) => nodes.iter().all(|node| node.eval(present)),
            Node::Or(nodes) => nodes.iter().any(|node| node.eval(present)),
        }
    }

    /// Marks in `positive` every term that stands under an even number of NOTs.
    fn mark_positive(&self, negated: bool, positive: &mut [bool]) {
        match self {
            Node::Term(idx) => {
                if !negated {
                    positive[*idx] = true;
                }
            }
            Node::Not(inner) => inner.mark_positive(!negated, positive),
            Node::And(nodes) | Node::Or(nodes) => {
                for node in nodes {
                    node.mark_positive(negated, positive);
                }
            }
        }
    }
}

/// Why a query does not parse: byte offset into the query text and a message
/// that says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {offset})")]
pub struct ParseError {
    /// Byte offset into the query source where the problem is.
    pub offset: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

fn error(offset: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        offset,
        message: message.into(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TokenKind {
    LParen,
    RParen,
    And,
    Or,
    Not,
    /// `-` directly before a term or `(`.
    Minus,
    Word(String),
    Phrase(String),
}

#[derive(Debug, Clone)]
struct Token {
    kind: TokenKind,
    offset: usize,
}

fn is_word_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(offset, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        match c {
            '(' | ')' => {
                chars.next();
                let kind = if c == '(' {
                    TokenKind::LParen
                } else {
                    TokenKind::RParen
                };
                tokens.push(Token { kind, offset });
            }
            '"' => {
                chars.next();
                let start = offset + 1;
                let mut end = None;
                for (idx, c) in chars.by_ref() {
                    if c == '"' {
                        end = Some(idx);
                        break;
                    }
                }
                let Some(end) = end else {
                    return Err(error(offset, "unterminated quote: expected a closing '\"'"));
                };
                let text = &src[start..end];
                if text.trim().is_empty() {
                    return Err(error(
                        offset,
                        "empty phrase: expected words between the quotes",
                    ));
                }
                tokens.push(Token {
                    kind: TokenKind::Phrase(text.to_string()),
                    offset,
                });
            }
            _ => {
                let mut end = src.len();
                chars.next();
                // A leading '-' followed by a term or '(' is negation; a lone
                // '-' or one inside a word ("KN-23") is text.
                if c == '-'
                    && chars
                        .peek()
                        .is_some_and(|&(_, next)| !next.is_whitespace() && next != ')')
                {
                    tokens.push(Token {
                        kind: TokenKind::Minus,
                        offset,
                    });
                    continue;
                }
                while let Some(&(idx, c)) = chars.peek() {
                    if is_word_delimiter(c) {
                        end = idx;
                        break;
                    }
                    chars.next();
                }
                let word = &src[offset..end];
                let kind = match word {
                    "AND" => TokenKind::And,
                    "OR" => TokenKind::Or,
                    "NOT" => TokenKind::Not,
                    _ => TokenKind::Word(word.to_string()),
                };
                tokens.push(Token { kind, offset });
            }
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    tokens: &'a [Token],
    pos: usize,
    src_len: usize,
    terms: Vec<String>,
    /// Offsets of the currently open parentheses, innermost last.
    open: Vec<usize>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn offset(&self) -> usize {
        self.peek().map_or(self.src_len, |token| token.offset)
    }

    fn or_expr(&mut self) -> Result<Node, ParseError> {
        let mut nodes = vec![self.and_expr(None)?];
        while let Some(Token {
            kind: TokenKind::Or,
            ..
        }) = self.peek()
        {
            self.pos += 1;
            nodes.push(self.and_expr(Some("OR"))?);
        }
        Ok(if nodes.len() == 1 {
            nodes.remove(0)
        } else {
            Node::Or(nodes)
        })
    }

    fn and_expr(&mut self, after: Option<&str>) -> Result<Node, ParseError> {
        let mut nodes = vec![self.unary(after)?];
        loop {
            match self.peek().map(|token| &token.kind) {
                Some(TokenKind::And) => {
                    self.pos += 1;
                    nodes.push(self.unary(Some("AND"))?);
                }
                // Adjacency means AND.
                Some(
                    TokenKind::Word(_)
                    | TokenKind::Phrase(_)
                    | TokenKind::LParen
                    | TokenKind::Not
                    | TokenKind::Minus,
                ) => nodes.push(self.unary(None)?),
                _ => break,
            }
        }
        Ok(if nodes.len() == 1 {
            nodes.remove(0)
        } else {
            Node::And(nodes)
        })
    }

    fn unary(&mut self, after: Option<&str>) -> Result<Node, ParseError> {
        let offset = self.offset();
        let Some(token) = self.peek() else {
            let message = match (after, self.open.last()) {
                (Some(op), _) => format!("expected a term or '(' after {op}"),
                (None, Some(open)) => {
                    format!("unclosed '(' opened at character {open}: expected a term or '('")
                }
                (None, None) => "expected a term or '('".to_string(),
            };
            return Err(error(offset, message));
        };
        match &token.kind {
            TokenKind::Not | TokenKind::Minus => {
                let op = if token.kind == TokenKind::Not {
                    "NOT"
                } else {
                    "'-'"
                };
                self.pos += 1;
                Ok(Node::Not(Box::new(self.unary(Some(op))?)))
            }
            TokenKind::Word(text) | TokenKind::Phrase(text) => {
                let term = normalize(text);
                let text = text.clone();
                self.pos += 1;
                // A term of punctuation alone ("-", "&") would match nearly
                // everything and is surely a typo.
                if !term.chars().any(char::is_alphanumeric) {
                    return Err(error(
                        offset,
                        format!("expected a term with letters or digits, found {text:?}"),
                    ));
                }
                let idx = match self.terms.iter().position(|known| *known == term) {
                    Some(idx) => idx,
                    None => {
                        self.terms.push(term);
                        self.terms.len() - 1
                    }
                };
                Ok(Node::Term(idx))
            }
            TokenKind::LParen => {
                self.pos += 1;
                self.open.push(offset);
                let inner = self.or_expr()?;
                match self.peek() {
                    Some(Token {
                        kind: TokenKind::RParen,
                        ..
                    }) => {
                        self.pos += 1;
                        self.open.pop();
                        Ok(inner)
                    }
                    _ => Err(error(
                        self.offset(),
                        format!("unclosed '(' opened at character {offset}: expected ')'"),
                    )),
                }
            }
            TokenKind::RParen => Err(error(
                offset,
                match after {
                    Some(op) => format!("expected a term or '(' after {op}, found ')'"),
                    None if self.open.is_empty() => "unmatched ')'".to_string(),
                    None => "empty parentheses: expected a term or '('".to_string(),
                },
            )),
            TokenKind::And | TokenKind::Or => {
                let op = if token.kind == TokenKind::And {
                    "AND"
                } else {
                    "OR"
                };
                Err(error(
                    offset,
                    match after {
                        Some(prev) => format!("expected a term or '(' after {prev}, found {op}"),
                        None => format!("expected a term or '(' before {op}"),
                    },
                ))
            }
        }
    }
}

impl Query {
    /// Parses a query. AND binds tighter than OR; adjacency means AND.
    pub fn parse(src: &str) -> Result<Query, ParseError> {
        let tokens = tokenize(src)?;
        let mut parser = Parser {
            tokens: &tokens,
            pos: 0,
            src_len: src.len(),
            terms: Vec::new(),
            open: Vec::new(),
        };
        let root = parser.or_expr()?;
        if let Some(token) = parser.peek() {
            // The only token or_expr stops at without consuming is ')'.
            return Err(error(token.offset, "unmatched ')'"));
        }
        let query = Query {
            terms: parser.terms,
            root,
        };
        if !query.positive_terms().iter().any(|&positive| positive) {
            return Err(error(
                0,
                "every term is negated: expected at least one term outside NOT",
            ));
        }
        Ok(query)
    }

    /// Every term (word or phrase) the query mentions, in order of first use,
    /// normalised (lowercase, single spaces) as it is matched.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// Whether the query is true when exactly the terms for which
    /// `present(term_idx)` is true occur (indices into [`Query::terms`]).
    pub fn eval(&self, present: impl Fn(usize) -> bool) -> bool {
        self.root.eval(&present)
    }

    /// For each term, whether it stands outside every NOT (or under an even
    /// number of them), i.e. whether its presence can make the query true.
    pub(super) fn positive_terms(&self) -> Vec<bool> {
        let mut positive = vec![false; self.terms.len()];
        self.root.mark_positive(false, &mut positive);
        positive
    }
}
