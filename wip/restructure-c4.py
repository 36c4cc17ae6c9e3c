def edit(p, pairs):
    s=open(p).read()
    for a,b in pairs:
        assert s.count(a)==1, (p, a, s.count(a))
        s=s.replace(a,b)
    open(p,'w').write(s)
edit('src/scene.rs', [
("""//! a [`Scene`] per slide with every position final; the SVG stage writes it out; the build and
//! check commands read its geometry. Nothing here measures or decides.""",
"""//! a [`Scene`] per slide with every position final, the layout's decorations included (already
//! moved and scaled for the slide's size); the SVG stage writes it out; the build and check
//! commands read its geometry. Nothing here measures or decides."""),
("""use std::sync::Arc;

""", ""),
("""use crate::template::{Rect, Template};""", """use crate::template::Rect;"""),
("""    /// The layout whose decorations sit behind the content.
    pub template: Arc<Template>,
""", """    /// The layout's `<defs>` (gradients, patterns the decorations use), verbatim.
    pub defs: String,
    /// The layout's decorations, placed for this slide, back to front, behind the content.
    pub decorations: Vec<Decoration>,
"""),
("""/// A drawing primitive in slide coordinates.""", """/// A decoration of the layout, placed on one slide.
#[derive(Debug, Clone)]
pub struct Decoration {
    /// The SVG transform that moves and scales it to its place (its anchor applied).
    pub transform: String,
    /// Its SVG source, verbatim from the layout.
    pub source: String,
}

/// A drawing primitive in slide coordinates."""),
])
edit('src/svg.rs', [
("""//! Owns the output markup: the template's `<defs>` and decorations (moved by their anchors), the""",
 """//! Owns the output markup: the layout's `<defs>` and decorations (as the scene placed them), the"""),
("""    let template = &scene.template;
    let _ = writeln!(out, "<defs>{}</defs>", template.defs);""", """    let _ = writeln!(out, "<defs>{}</defs>", scene.defs);"""),
("""    for decoration in &template.decorations {
        let _ = writeln!(
            out,
            "<g transform=\\"{}\\">{}</g>",
            template.transform(decoration.anchor, scene.size),
            decoration.source
        );
    }""", """    for decoration in &scene.decorations {
        let _ = writeln!(out, "<g transform=\\"{}\\">{}</g>", decoration.transform, decoration.source);
    }"""),
])
edit('src/layout.rs', [
("""    Ok(Scene {
        number: slide.number,
        size: deck.size,
        template,""", """    // The decorations are placed here, so the scene is final and the SVG stage only writes it.
    let decorations = template
        .decorations
        .iter()
        .map(|d| Decoration { transform: template.transform(d.anchor, deck.size), source: d.source.clone() })
        .collect();
    Ok(Scene {
        number: slide.number,
        size: deck.size,
        defs: template.defs.clone(),
        decorations,"""),
("""use crate::scene::{Item, Scene};""", """use crate::scene::{Decoration, Item, Scene};"""),
])
