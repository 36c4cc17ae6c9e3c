import re
def edit(p, pairs):
    s=open(p).read()
    for a,b in pairs:
        assert s.count(a)==1, (p, a, s.count(a))
        s=s.replace(a,b)
    open(p,'w').write(s)
edit('src/template.rs', [
("""//! label, alignment, type sizes and their floors, block order); and the `data-slot="footer"`""",
 """//! label, alignment, type sizes and their floors); and the `data-slot="footer"`"""),
("""    /// `data-order`: block names in drawing order.
    pub order: Vec<String>,
""", ""),
("""        order: DEFAULT_ORDER.iter().map(|s| s.to_string()).collect(),
""", ""),
("""/// Blocks in the order drawn when a layout does not say.
pub const DEFAULT_ORDER: &[&str] = &["quote", "body", "metrics", "bullets", "code", "image"];

""", ""),
])
s=open('src/template.rs').read()
i=s.index("    if let Some(order) = node.attribute(\"data-order\") {")
j=s.index("    if let Some(width) = node.attribute(\"data-max-width\")")
s=s[:i]+"""    // `data-order` once reordered the blocks; blocks now keep the author's order, and a layout
    // that still has the attribute loads as before, the attribute ignored.
"""+s[j:]
open('src/template.rs','w').write(s)
for f in ['layouts/solution.svg','layouts/results.svg','layouts/quote.svg']:
    s=open(f).read()
    s2=re.sub(r' data-order="[^"]*"', '', s)
    assert s2!=s
    open(f,'w').write(s2)
edit('layouts/README.md', [
("""  | `data-order` | order of the blocks after the title: `quote body metrics bullets code image` | that order |
""", ""),
("""- **`<rect data-slot="footer" …>`**""", """  Blocks are drawn in the order the deck writes them, under the kicker, title and subtitle. The
  `data-order` attribute of older layouts is ignored (a layout that has it still loads).

- **`<rect data-slot="footer" …>`**"""),
])
edit('docs/deck-format.md', [
("""Every kind accepts every block; the layout decides their order (`data-order`).""",
 """Every kind accepts every block. The kicker, title and subtitle sit on top; the other blocks follow
in the order you write them (a `quote:` written after `bullets:` is drawn after them)."""),
])
edit('src/format.rs', [
("""Every kind accepts every block; its layout decides their order.""",
 """Every kind accepts every block; they are drawn in the order written, under the title."""),
])
edit('src/layout.rs', [
("""    for name in &template.params.order {
        for content in slide.blocks.iter().filter(|c| c.key() == name) {
            let mut block = content.layout(ctx, sizes, ts);
            block.gap_before = if blocks.is_empty() { 0.0 } else { sizes.gap };
            blocks.push(block);
        }
    }""", """    for content in &slide.blocks {
        let mut block = content.layout(ctx, sizes, ts);
        block.gap_before = if blocks.is_empty() { 0.0 } else { sizes.gap };
        blocks.push(block);
    }"""),
("""    // The blocks in their drawing order of old; author order comes with the next change.
    for key in ["quote", "body", "bullets", "metrics", "code", "image"] {
        for content in slide.blocks.iter().filter(|c| c.key() == key) {
            content.words(&mut parts);
        }
    }
""", """    for content in &slide.blocks {
        content.words(&mut parts);
    }
"""),
])
