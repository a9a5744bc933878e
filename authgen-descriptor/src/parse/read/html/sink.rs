//! The tree html5ever builds, as it builds it: a linked arena that supports every move of the
//! tree builder (foster parenting, the adoption agency, reparenting) and keeps, per element, only
//! what the reader looks at (name, `style`, `class`) and the line its tag was on.
//!
//! The reader walks [`super::dom::Dom`], a pre-order copy of this tree; this module only has to
//! be correct under the builder's operations, not cheap to walk.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName, local_name, ns};

/// A node's index in [`Tree::nodes`].
pub(super) type Id = usize;

/// The document node's index.
const DOCUMENT: Id = 0;

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
    templates: Vec<(Id, Id)>,
    /// The line of the token being processed, as the builder reports it.
    line: u32,
    /// What [`TreeSink::elem_name`] answers for a node that is not an element (the builder
    /// only asks about elements; this keeps the answer total).
    not_an_element: QualName,
}

impl Tree {
    fn new() -> Self {
        Self {
            nodes: vec![Node::new(Kind::Fragment)],
            templates: Vec::new(),
            line: 1,
            not_an_element: QualName::new(None, ns!(), local_name!("")),
        }
    }

    fn push(&mut self, kind: Kind) -> Id {
        self.nodes.push(Node::new(kind));
        self.nodes.len() - 1
    }

    fn node(&self, id: Id) -> Option<&Node> {
        self.nodes.get(id)
    }

    fn node_mut(&mut self, id: Id) -> Option<&mut Node> {
        self.nodes.get_mut(id)
    }

    /// Unlinks `id` from its parent and siblings.
    fn detach(&mut self, id: Id) {
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
    fn append_node(&mut self, parent: Id, id: Id) {
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
    fn insert_before(&mut self, sibling: Id, id: Id) {
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
    fn merge_text(&mut self, id: Option<Id>, text: StrTendril) -> Option<StrTendril> {
        match id.and_then(|id| self.node_mut(id)).map(|n| &mut n.kind) {
            Some(Kind::Text(existing)) => {
                existing.push_tendril(&text);
                None
            }
            _ => Some(text),
        }
    }
}

/// The first value of attribute `name`.
fn attribute(attrs: &[Attribute], name: &html5ever::LocalName) -> Option<StrTendril> {
    attrs
        .iter()
        .find(|a| a.name.ns == ns!() && a.name.local == *name)
        .map(|a| a.value.clone())
}

/// The html5ever tree sink that builds a [`Tree`].
#[derive(Debug)]
pub(super) struct Sink(RefCell<Tree>);

impl Default for Sink {
    fn default() -> Self {
        Self(RefCell::new(Tree::new()))
    }
}

impl TreeSink for Sink {
    type Handle = Id;
    type Output = Tree;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Tree {
        self.0.into_inner()
    }

    // Malformed HTML is the norm in these pages; the builder recovers as browsers do.
    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> Ref<'a, QualName> {
        Ref::map(self.0.borrow(), |tree| match tree.node(*target) {
            Some(Node {
                kind: Kind::Element { name, .. },
                ..
            }) => name,
            _ => &tree.not_an_element,
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Id {
        let mut tree = self.0.borrow_mut();
        let line = tree.line;
        let id = tree.push(Kind::Element {
            name,
            style: attribute(&attrs, &local_name!("style")),
            class: attribute(&attrs, &local_name!("class")),
            line,
        });
        if flags.template {
            let contents = tree.push(Kind::Fragment);
            tree.templates.push((id, contents));
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> Id {
        self.0.borrow_mut().push(Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.0.borrow_mut().push(Kind::Other)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        let mut tree = self.0.borrow_mut();
        match child {
            NodeOrText::AppendNode(id) => {
                tree.detach(id);
                tree.append_node(*parent, id);
            }
            NodeOrText::AppendText(text) => {
                let last = tree.node(*parent).and_then(|p| p.last_child);
                if let Some(text) = tree.merge_text(last, text) {
                    let id = tree.push(Kind::Text(text));
                    tree.append_node(*parent, id);
                }
            }
        }
    }

    fn append_based_on_parent_node(&self, element: &Id, prev_element: &Id, child: NodeOrText<Id>) {
        let has_parent = self
            .0
            .borrow()
            .node(*element)
            .is_some_and(|n| n.parent.is_some());
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    // Doctypes say nothing the reader uses.
    fn append_doctype_to_document(
        &self,
        _name: StrTendril,
        _public: StrTendril,
        _system: StrTendril,
    ) {
    }

    fn get_template_contents(&self, target: &Id) -> Id {
        let mut tree = self.0.borrow_mut();
        if let Some(&(_, contents)) = tree.templates.iter().find(|(t, _)| t == target) {
            return contents;
        }
        // Only template elements are asked about; answer anyway with a fresh fragment.
        let contents = tree.push(Kind::Fragment);
        tree.templates.push((*target, contents));
        contents
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Id, new_node: NodeOrText<Id>) {
        let mut tree = self.0.borrow_mut();
        if tree.node(*sibling).is_none_or(|s| s.parent.is_none()) {
            return;
        }
        let id = match new_node {
            NodeOrText::AppendNode(id) => {
                tree.detach(id);
                id
            }
            NodeOrText::AppendText(text) => {
                let prev = tree.node(*sibling).and_then(|s| s.prev);
                match tree.merge_text(prev, text) {
                    Some(text) => tree.push(Kind::Text(text)),
                    None => return,
                }
            }
        };
        tree.insert_before(*sibling, id);
    }

    fn add_attrs_if_missing(&self, target: &Id, attrs: Vec<Attribute>) {
        let mut tree = self.0.borrow_mut();
        if let Some(Node {
            kind: Kind::Element { style, class, .. },
            ..
        }) = tree.node_mut(*target)
        {
            if style.is_none() {
                *style = attribute(&attrs, &local_name!("style"));
            }
            if class.is_none() {
                *class = attribute(&attrs, &local_name!("class"));
            }
        }
    }

    fn remove_from_parent(&self, target: &Id) {
        self.0.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        let mut tree = self.0.borrow_mut();
        while let Some(child) = tree.node(*node).and_then(|n| n.first_child) {
            tree.detach(child);
            tree.append_node(*new_parent, child);
        }
    }

    fn set_current_line(&self, line_number: u64) {
        self.0.borrow_mut().line = u32::try_from(line_number).unwrap_or(u32::MAX);
    }
}
