//! A parsed HTML page: html5ever's tree as [`super::sink::Sink`] built it, linked both ways so
//! the builder can move nodes, and walked by the reader in document order without recursion
//! (pages can nest elements arbitrarily deep).

use html5ever::tendril::StrTendril;
use html5ever::{QualName, local_name, ns};

/// A node's index in [`Tree::nodes`].
pub(super) type Id = usize;

/// The document node's index.
pub(super) const DOCUMENT: Id = 0;

/// What a node is.
#[derive(Debug)]
pub(super) enum Kind {
    /// The document (index 0) and template contents.
    Fragment,
    /// An element.
    Element {
        /// Its qualified name (the builder compares namespaces too).
        name: QualName,
        /// The first `style` attribute.
        style: Option<StrTendril>,
        /// The first `class` attribute.
        class: Option<StrTendril>,
        /// The 1-based line of the token that created it.
        line: u32,
    },
    /// Text; adjacent text is merged as it is appended.
    Text(StrTendril),
    /// Comments and processing instructions: kept so the builder's moves stay valid, never read.
    Other,
}

/// One node and its links.
#[derive(Debug)]
pub(super) struct Node {
    pub kind: Kind,
    pub parent: Option<Id>,
    pub first_child: Option<Id>,
    pub last_child: Option<Id>,
    pub prev: Option<Id>,
    pub next: Option<Id>,
}

impl Node {
    fn new(kind: Kind) -> Self {
        Self {
            kind,
            parent: None,
            first_child: None,
            last_child: None,
            prev: None,
            next: None,
        }
    }
}

/// The finished tree: node 0 is the document.
#[derive(Debug)]
pub(super) struct Tree {
    pub nodes: Vec<Node>,
    /// Template element → its contents (a [`Kind::Fragment`] outside the document).
    pub templates: Vec<(Id, Id)>,
    /// The line of the token being processed, as the builder reports it.
    pub line: u32,
    /// What the sink's `elem_name` answers for a node that is not an element (the builder
    /// only asks about elements; this keeps the answer total).
    pub not_an_element: QualName,
}

impl Tree {
    /// Whether `node` is a declarative shadow root's `<template>`, whose contents are its
    /// children (see the sink's `create_element`).
    pub(super) fn is_shadow_root(&self, node: Id) -> bool {
        self.templates.iter().any(|&(t, c)| t == node && c == node)
    }

    /// A tree holding only the document node, with room for `capacity` more nodes.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        let mut nodes = Vec::with_capacity(capacity.saturating_add(1));
        nodes.push(Node::new(Kind::Fragment));
        Self {
            nodes,
            templates: Vec::new(),
            line: 1,
            not_an_element: QualName::new(None, ns!(), local_name!("")),
        }
    }

    pub(super) fn push(&mut self, kind: Kind) -> Id {
        self.nodes.push(Node::new(kind));
        self.nodes.len() - 1
    }

    pub(super) fn node(&self, id: Id) -> Option<&Node> {
        self.nodes.get(id)
    }

    pub(super) fn node_mut(&mut self, id: Id) -> Option<&mut Node> {
        self.nodes.get_mut(id)
    }

    /// Unlinks `id` from its parent and siblings.
    pub(super) fn detach(&mut self, id: Id) {
        let Some(node) = self.node_mut(id) else {
            return;
        };
        let (parent, prev, next) = (node.parent.take(), node.prev.take(), node.next.take());
        match prev.and_then(|p| self.node_mut(p)) {
            Some(p) => p.next = next,
            None => {
                if let Some(parent) = parent.and_then(|p| self.node_mut(p)) {
                    parent.first_child = next;
                }
            }
        }
        match next.and_then(|n| self.node_mut(n)) {
            Some(n) => n.prev = prev,
            None => {
                if let Some(parent) = parent.and_then(|p| self.node_mut(p)) {
                    parent.last_child = prev;
                }
            }
        }
    }

    /// Links the (detached) node `id` as the last child of `parent`.
    pub(super) fn append_node(&mut self, parent: Id, id: Id) {
        let last = self.node(parent).and_then(|p| p.last_child);
        if let Some(node) = self.node_mut(id) {
            node.parent = Some(parent);
            node.prev = last;
            node.next = None;
        }
        match last.and_then(|l| self.node_mut(l)) {
            Some(l) => l.next = Some(id),
            None => {
                if let Some(p) = self.node_mut(parent) {
                    p.first_child = Some(id);
                }
            }
        }
        if let Some(p) = self.node_mut(parent) {
            p.last_child = Some(id);
        }
    }

    /// Links the (detached) node `id` just before `sibling`, which has a parent.
    pub(super) fn insert_before(&mut self, sibling: Id, id: Id) {
        let Some((parent, prev)) = self.node(sibling).and_then(|s| Some((s.parent?, s.prev)))
        else {
            return;
        };
        if let Some(node) = self.node_mut(id) {
            node.parent = Some(parent);
            node.prev = prev;
            node.next = Some(sibling);
        }
        if let Some(s) = self.node_mut(sibling) {
            s.prev = Some(id);
        }
        match prev.and_then(|p| self.node_mut(p)) {
            Some(p) => p.next = Some(id),
            None => {
                if let Some(p) = self.node_mut(parent) {
                    p.first_child = Some(id);
                }
            }
        }
    }

    /// Appends text to node `id` if it is a text node; gives the text back otherwise.
    pub(super) fn merge_text(&mut self, id: Option<Id>, text: StrTendril) -> Option<StrTendril> {
        match id.and_then(|id| self.node_mut(id)).map(|n| &mut n.kind) {
            Some(Kind::Text(existing)) => {
                existing.push_tendril(&text);
                None
            }
            _ => Some(text),
        }
    }

    /// The root element (`html`), if the page has one.
    pub(super) fn root(&self) -> Option<Id> {
        self.children(DOCUMENT)
            .find(|&id| matches!(self.node(id), Some(n) if matches!(n.kind, Kind::Element { .. })))
    }

    /// The parent of `id`.
    pub(super) fn parent(&self, id: Id) -> Option<Id> {
        self.node(id)?.parent
    }

    /// The element name of `id` (`None` for text and other nodes).
    pub(super) fn name(&self, id: Id) -> Option<&str> {
        match &self.node(id)?.kind {
            Kind::Element { name, .. } => Some(&name.local),
            _ => None,
        }
    }

    /// The text of text node `id`.
    pub(super) fn text(&self, id: Id) -> Option<&str> {
        match &self.node(id)?.kind {
            Kind::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The `style` attribute of element `id`.
    pub(super) fn style(&self, id: Id) -> Option<&str> {
        match &self.node(id)?.kind {
            Kind::Element { style, .. } => style.as_deref(),
            _ => None,
        }
    }

    /// The `class` attribute of element `id`.
    pub(super) fn class(&self, id: Id) -> Option<&str> {
        match &self.node(id)?.kind {
            Kind::Element { class, .. } => class.as_deref(),
            _ => None,
        }
    }

    /// The line of element `id`'s tag (1 for other nodes).
    pub(super) fn line(&self, id: Id) -> u32 {
        match self.node(id).map(|n| &n.kind) {
            Some(Kind::Element { line, .. }) => *line,
            _ => 1,
        }
    }

    /// The children of `id`, in order.
    pub(super) fn children(&self, id: Id) -> impl Iterator<Item = Id> + '_ {
        std::iter::successors(self.node(id).and_then(|n| n.first_child), |&child| {
            self.node(child).and_then(|n| n.next)
        })
    }

    /// The ancestors of `id`, nearest first.
    pub(super) fn ancestors(&self, id: Id) -> impl Iterator<Item = Id> + '_ {
        std::iter::successors(self.parent(id), |&a| self.parent(a))
    }

    /// Entering and leaving every node below `id`, in document order.
    pub(super) fn walk(&self, id: Id) -> Walk<'_> {
        Walk {
            tree: self,
            top: id,
            next: self.node(id).and_then(|n| n.first_child).map(Step::Enter),
        }
    }

    /// `id` and every node below it, in document order (parents before children).
    pub(super) fn subtree(&self, id: Id) -> impl Iterator<Item = Id> + '_ {
        std::iter::once(id).chain(self.walk(id).filter_map(|step| match step {
            Step::Enter(id) => Some(id),
            Step::Leave(_) => None,
        }))
    }
}

/// One step of a [`Walk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Before the node's children.
    Enter(Id),
    /// After them.
    Leave(Id),
}

/// The nodes below one node, entered and left in document order: a depth-first walk that
/// follows the links instead of recursing.
pub(super) struct Walk<'t> {
    tree: &'t Tree,
    top: Id,
    next: Option<Step>,
}

impl Iterator for Walk<'_> {
    type Item = Step;

    fn next(&mut self) -> Option<Step> {
        let step = self.next?;
        let node = |id| self.tree.node(id);
        self.next = match step {
            Step::Enter(id) => Some(match node(id).and_then(|n| n.first_child) {
                Some(child) => Step::Enter(child),
                None => Step::Leave(id),
            }),
            Step::Leave(id) => match node(id).and_then(|n| n.next) {
                Some(sibling) => Some(Step::Enter(sibling)),
                None => node(id)
                    .and_then(|n| n.parent)
                    .filter(|&parent| parent != self.top)
                    .map(Step::Leave),
            },
        };
        Some(step)
    }
}
