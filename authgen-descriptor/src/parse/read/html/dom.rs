//! The small tree the HTML reader walks: elements (name, `style`, `class`) and text, nothing else.
//!
//! Nodes sit in one vector in document order (pre-order) and strings in one buffer, so building
//! and walking a page costs a few allocations instead of one per node and attribute. Each node
//! knows where its subtree ends, which gives children, descendants and text without recursion.
//!
//! It is a pre-order copy of the linked tree html5ever builds ([`super::sink`]), made by
//! [`Dom::parse`], so that the reader's walks (ancestors, cells, text) are index arithmetic
//! rather than pointer chasing.

use html5ever::tendril::TendrilSink;

use super::sink::{Kind, Sink, Tree};

/// A byte range of [`Dom::buf`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: u32,
    end: u32,
}

/// One node: an element (with a name) or a text node (without).
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The parent's index; `None` for the root.
    parent: Option<u32>,
    /// One past the last node of this node's subtree.
    end: u32,
    /// The element's local name (`None` for text).
    name: Option<Span>,
    /// The text of a text node.
    text: Span,
    /// The first `style` attribute.
    style: Option<Span>,
    /// The first `class` attribute.
    class: Option<Span>,
    /// The 1-based line of the element's tag (0 for text).
    line: u32,
}

/// A parsed page: the `html` element (index 0) and everything under it.
#[derive(Debug, Default)]
pub(super) struct Dom {
    nodes: Vec<Node>,
    buf: String,
}

impl Dom {
    fn store(&mut self, text: &str) -> Span {
        let start = self.offset();
        self.buf.push_str(text);
        Span {
            start,
            end: self.offset(),
        }
    }

    fn offset(&self) -> u32 {
        u32::try_from(self.buf.len()).unwrap_or(u32::MAX)
    }

    fn str(&self, span: Span) -> &str {
        self.buf
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    fn node(&self, index: usize) -> Option<&Node> {
        self.nodes.get(index)
    }

    fn next_index(&self) -> u32 {
        u32::try_from(self.nodes.len()).unwrap_or(u32::MAX)
    }

    /// Appends an element as the last child of `parent` and returns its index; it stays open
    /// (its subtree grows) until [`Dom::close`].
    fn open(
        &mut self,
        parent: Option<u32>,
        name: &str,
        style: Option<&str>,
        class: Option<&str>,
        line: u32,
    ) -> u32 {
        let index = self.next_index();
        let name = Some(self.store(name));
        let style = style.map(|s| self.store(s));
        let class = class.map(|s| self.store(s));
        self.nodes.push(Node {
            parent,
            end: index.saturating_add(1),
            name,
            text: Span::default(),
            style,
            class,
            line,
        });
        index
    }

    /// Ends the subtree of an element opened with [`Dom::open`] at the current last node.
    fn close(&mut self, index: u32) {
        let end = self.next_index();
        if let Some(node) = self.nodes.get_mut(index as usize) {
            node.end = end;
        }
    }

    /// Appends a text node as the last child of `parent` (the sink has already joined
    /// adjacent text).
    fn push_text(&mut self, parent: u32, text: &str) {
        let index = self.next_index();
        let span = self.store(text);
        self.nodes.push(Node {
            parent: Some(parent),
            end: index.saturating_add(1),
            name: None,
            text: span,
            style: None,
            class: None,
            line: 0,
        });
    }

    /// Parses an HTML page or fragment with html5ever and copies its root element and
    /// everything under it.
    pub fn parse(source: &str) -> Self {
        let tree = html5ever::parse_document(Sink::default(), Default::default()).one(source);
        Self::from_tree(&tree)
    }

    /// The pre-order copy of `tree`'s root element (comments and template contents left out).
    fn from_tree(tree: &Tree) -> Self {
        let mut dom = Self::default();
        let root = std::iter::successors(tree.nodes.first().and_then(|d| d.first_child), |&id| {
            tree.nodes.get(id).and_then(|n| n.next)
        })
        .find(
            |&id| matches!(tree.nodes.get(id), Some(n) if matches!(n.kind, Kind::Element { .. })),
        );
        let Some(root) = root else {
            return dom;
        };
        // The elements being copied whose children are not done yet: the tree's id and ours.
        let mut open: Vec<(usize, u32)> = Vec::new();
        let mut current = Some(root);
        while let Some(id) = current {
            let Some(node) = tree.nodes.get(id) else {
                break;
            };
            let parent = open.last().map(|&(_, index)| index);
            match &node.kind {
                Kind::Element {
                    name,
                    style,
                    class,
                    line,
                } => {
                    let index = dom.open(
                        parent,
                        &name.local,
                        style.as_deref(),
                        class.as_deref(),
                        *line,
                    );
                    if let Some(child) = node.first_child {
                        open.push((id, index));
                        current = Some(child);
                        continue;
                    }
                    dom.close(index);
                }
                Kind::Text(text) => {
                    if let Some(parent) = parent {
                        dom.push_text(parent, text);
                    }
                }
                Kind::Fragment | Kind::Other => {}
            }
            // On to the next sibling, closing the elements whose last child this was.
            let mut at = id;
            current = loop {
                if at == root {
                    break None;
                }
                if let Some(next) = tree.nodes.get(at).and_then(|n| n.next) {
                    break Some(next);
                }
                match open.pop() {
                    Some((parent, index)) => {
                        dom.close(index);
                        at = parent;
                    }
                    None => break None,
                }
            };
        }
        while let Some((_, index)) = open.pop() {
            dom.close(index);
        }
        dom
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The element name of node `index` (`None` for text).
    pub fn name(&self, index: usize) -> Option<&str> {
        let span = self.node(index)?.name?;
        Some(self.str(span))
    }

    /// The text of node `index` (`None` for elements).
    pub fn text(&self, index: usize) -> Option<&str> {
        let node = self.node(index)?;
        match node.name {
            None => Some(self.str(node.text)),
            Some(_) => None,
        }
    }

    /// The line of element `index`'s tag (0 for text).
    pub fn line(&self, index: usize) -> u32 {
        self.node(index).map_or(0, |n| n.line)
    }

    /// The `style` attribute of element `index`.
    pub fn style(&self, index: usize) -> Option<&str> {
        Some(self.str(self.node(index)?.style?))
    }

    /// The `class` attribute of element `index`.
    pub fn class(&self, index: usize) -> Option<&str> {
        Some(self.str(self.node(index)?.class?))
    }

    /// The parent of node `index`.
    pub fn parent(&self, index: usize) -> Option<usize> {
        self.node(index)?.parent.map(|p| p as usize)
    }

    /// Node `index` and all nodes below it, in document order.
    pub fn subtree(&self, index: usize) -> std::ops::Range<usize> {
        let end = self.node(index).map_or(index, |n| n.end as usize);
        index..end.max(index)
    }

    /// The children of node `index`, in order.
    pub fn children(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let range = self.subtree(index);
        let mut next = range.start + 1;
        std::iter::from_fn(move || {
            if next >= range.end {
                return None;
            }
            let child = next;
            next = self.subtree(child).end.max(child + 1);
            Some(child)
        })
    }

    /// The ancestors of node `index`, nearest first.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let mut current = self.parent(index);
        std::iter::from_fn(move || {
            let node = current?;
            current = self.parent(node);
            Some(node)
        })
    }
}
