def edit(p, pairs):
    s=open(p).read()
    for a,b in pairs:
        assert s.count(a)==1, (p, a, s.count(a))
        s=s.replace(a,b)
    open(p,'w').write(s)
s=open('src/layout.rs').read()
i=s.index("/// Lays out every slide of a deck.")
j=s.index("/// Templates of one deck, read once per kind.")
moved=s[i:j]
s=s[:i]+s[j:]
a="""impl Templates {
"""
b="""impl Templates {
    /// Reads the template of every kind `deck` uses; one diagnostic per layout that cannot be read.
    pub fn for_deck(deck: &Deck) -> Result<Templates, Vec<Diagnostic>> {
        let mut templates = Templates::default();
        let mut errors = Vec::new();
        for slide in &deck.slides {
            if let Err(error) = templates.get(deck, slide.kind) {
                if !errors.contains(&error) {
                    errors.push(error);
                }
            }
        }
        if errors.is_empty() {
            Ok(templates)
        } else {
            Err(errors)
        }
    }

    /// The template already read for `kind`, if any.
    pub fn loaded(&self, kind: Kind) -> Option<Arc<Template>> {
        self.loaded.get(&kind).cloned()
    }

"""
assert s.count(a)==1; s=s.replace(a,b)
open('src/layout.rs','w').write(s)
moved=moved.replace("""    use rayon::prelude::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut templates = Templates::default();
    let mut errors = Vec::new();
    for slide in &deck.slides {
        if let Err(error) = templates.get(deck, slide.kind) {
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
""", """    use std::sync::atomic::{AtomicBool, Ordering};
    let templates = Templates::for_deck(deck)?;
    let mut errors = Vec::new();
""")
moved=moved.replace("""                let template = templates
                    .loaded
                    .get(&slide.kind)
                    .cloned()
                    .ok_or_else(|| Diagnostic::error(slide.pos, "no layout"))?;
                let scene = layout_slide(deck, slide, template, typesetter)?;""", """                let template =
                    templates.loaded(slide.kind).ok_or_else(|| Diagnostic::error(slide.pos, "no layout"))?;
                let scene = layout::layout_slide(deck, slide, template, typesetter)?;""")
moved=moved.replace("/// Lays out every slide of a deck. Returns", "/// Lays out every slide of a deck (for `check`, tests and benchmarks). Returns")
assert "templates.loaded(slide.kind)" in moved and "Templates::for_deck" in moved
s=open('src/build.rs').read()
a="""/// How many slides are rendered between two turns of the writer"""
assert s.count(a)==1
s=s.replace(a, moved+a)
for a,b in [
("""use crate::layout;
""", """use crate::layout::{self, Templates};
"""),
("""use crate::svg;
""", """use crate::svg;
use crate::text::Typesetter;
"""),
("""        match layout::layout_deck(&deck) {""", """        match layout_deck(&deck) {"""),
("""    let streamed = layout::stream_slides(""", """    let streamed = stream_slides("""),
("""//! running deck -> layout -> SVG -> raster -> PNG -> PDF for each, in parallel across slides and
//! decks,""", """//! running deck -> layout -> SVG -> raster -> PNG -> PDF for each, in parallel across slides and
//! decks (the layout stage lays out one slide; the parallelism and the windows of slides are
//! decided here, in [`stream_slides`]),"""),
]:
    assert s.count(a)==1, a
    s=s.replace(a,b)
open('src/build.rs','w').write(s)
for p in ['tests/layout.rs','benches/pipeline.rs','fuzz/fuzz_targets/deck.rs']:
    t=open(p).read()
    assert 'carousel::layout::layout_deck' in t
    open(p,'w').write(t.replace('carousel::layout::layout_deck','carousel::build::layout_deck'))
