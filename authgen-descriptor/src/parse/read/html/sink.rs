//! The html5ever tree sink: builds a [`Tree`] as the tree builder directs, including its moves
//! (foster parenting, the adoption agency, reparenting), keeping per element only what the reader
//! looks at (name, `style`, `class`) and the line its tag was on.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName, local_name, ns};

use super::tree::{DOCUMENT, Id, Kind, Node, Tree};

/// The first `style` and `class` values of `attrs` (moved out: the rest are dropped).
fn style_and_class(attrs: Vec<Attribute>) -> (Option<StrTendril>, Option<StrTendril>) {
    let (mut style, mut class) = (None, None);
    for attr in attrs {
        if attr.name.ns != ns!() {
            continue;
        }
        if attr.name.local == local_name!("style") {
            style.get_or_insert(attr.value);
        } else if attr.name.local == local_name!("class") {
            class.get_or_insert(attr.value);
        }
    }
    (style, class)
}

/// The html5ever tree sink that builds a [`Tree`].
#[derive(Debug)]
pub(super) struct Sink(RefCell<Tree>);

impl Sink {
    /// A sink for `source`, with room for about as many nodes as it has tags and texts, up to
    /// a bound (a page of `<`s must not reserve gigabytes; past the bound the vector grows).
    pub(super) fn for_source(source: &str) -> Self {
        const MOST_RESERVED: usize = 1 << 14;
        let tags = source.bytes().filter(|&b| b == b'<').count();
        Self(RefCell::new(Tree::with_capacity(
            tags.saturating_mul(2).min(MOST_RESERVED),
        )))
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
        // A declarative shadow root (`<template shadowrootmode="open">`, as web components
        // such as RapiDoc are served pre-rendered) is shown content: its contents become its
        // children instead of an inert fragment.
        let shadow_root = flags.template
            && attrs.iter().any(|a| {
                a.name.ns == ns!() && matches!(&*a.name.local, "shadowrootmode" | "shadowroot")
            });
        let (style, class) = style_and_class(attrs);
        let mut tree = self.0.borrow_mut();
        let line = tree.line;
        let id = tree.push(Kind::Element {
            name,
            style,
            class,
            line,
        });
        if shadow_root {
            tree.templates.push((id, id));
        } else if flags.template {
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
            let (new_style, new_class) = style_and_class(attrs);
            if style.is_none() {
                *style = new_style;
            }
            if class.is_none() {
                *class = new_class;
            }
        }
    }

    fn remove_from_parent(&self, target: &Id) {
        self.0.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        if node == new_parent {
            return;
        }
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
