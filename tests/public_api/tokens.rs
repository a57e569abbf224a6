//! Token helpers of the public-API lister: macro bodies and normalised text.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::Item;

/// `since_release! { "feature"; items }` -> (`"feature"`, items).
pub fn since_release(tokens: TokenStream) -> (String, Vec<Item>) {
    let parser = |input: syn::parse::ParseStream| {
        let feature: syn::LitStr = input.parse()?;
        input.parse::<syn::Token![;]>()?;
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse::<Item>()?);
        }
        Ok((feature.to_token_stream().to_string(), items))
    };
    syn::parse::Parser::parse2(parser, tokens).expect("since_release! holds a feature and items")
}

/// The rules of a `macro_rules!`: (matcher, transcriber) token streams. A rule is
/// `(matcher) => {transcriber}`, so the groups at the top level come in pairs.
pub fn macro_rules(tokens: TokenStream) -> Vec<(TokenStream, TokenStream)> {
    use proc_macro2::TokenTree;
    let groups: Vec<_> = tokens
        .into_iter()
        .filter_map(|t| match t {
            TokenTree::Group(g) => Some(g),
            _ => None,
        })
        .collect();
    groups
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].to_token_stream(), c[1].stream()))
        .collect()
}

/// Macro variables as identifiers (`$name` -> `__name`, `$crate` -> `crate`) and
/// repetitions as their contents, so a transcriber parses as items.
pub fn placeholders(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Group, Ident, TokenTree};
    let mut out = Vec::new();
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(p) if p.as_char() == '$' => match trees.next() {
                Some(TokenTree::Ident(id)) if id == "crate" => out.push(TokenTree::Ident(id)),
                Some(TokenTree::Ident(id)) => {
                    out.push(TokenTree::Ident(Ident::new(&format!("__{id}"), id.span())))
                }
                Some(TokenTree::Group(g)) => {
                    out.extend(placeholders(g.stream()));
                    // The separator and the repetition operator.
                    while let Some(TokenTree::Punct(op)) = trees.peek() {
                        let c = op.as_char();
                        trees.next();
                        if matches!(c, '*' | '+' | '?') {
                            break;
                        }
                    }
                }
                other => out.extend(other),
            },
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), placeholders(g.stream()));
                inner.set_span(g.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// The tokens without `#[doc = ..]` attributes (doc comments).
pub fn without_docs(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        if let (TokenTree::Punct(p), Some(TokenTree::Group(g))) = (&trees[i], trees.get(i + 1)) {
            let first = g.stream().into_iter().next();
            if p.as_char() == '#' && matches!(&first, Some(TokenTree::Ident(id)) if id == "doc") {
                i += 2;
                continue;
            }
        }
        match &trees[i] {
            TokenTree::Group(g) => out.push(TokenTree::Group(Group::new(
                g.delimiter(),
                without_docs(g.stream()),
            ))),
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

pub fn tokens(t: &impl ToTokens) -> String {
    // A where clause's trailing comma is layout, not API.
    normalise(&t.to_token_stream().to_string())
        .trim_end_matches(',')
        .to_owned()
}

/// `TokenStream`'s text with the spaces a reader does not expect taken out.
pub fn normalise(text: &str) -> String {
    // No space between a name and its parenthesis: `f (x)` -> `f(x)`, `cfg (..)`.
    let mut s = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        s.push(c);
        if (c.is_alphanumeric() || c == '_' || c == '!') && chars.peek() == Some(&' ') {
            let mut ahead = chars.clone();
            ahead.next();
            if ahead.peek() == Some(&'(') {
                chars.next();
            }
        }
    }
    for (from, to) in [
        (" ,", ","),
        (" ;", ";"),
        ("( ", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
        (" :: ", "::"),
        (":: ", "::"),
        (" : ", ": "),
        ("& ", "&"),
        ("# [", "#["),
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        ("' ", "'"),
        ("$ ", "$"),
        ("* const", "*const"),
        ("* mut", "*mut"),
    ] {
        s = s.replace(from, to);
    }
    without_trailing_commas(&s)
}

/// `f(a, b,)` -> `f(a, b)`: trailing commas come and go with rustfmt's line breaks.
/// A lone comma, as in a matcher's `$(,)`, stays.
fn without_trailing_commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let closes = matches!(chars.get(i + 1), Some(')' | ']' | '>'));
        let opens = i > 0 && matches!(chars[i - 1], '(' | '[' | '<');
        if c == ',' && closes && !opens {
            continue;
        }
        out.push(c);
    }
    out
}
