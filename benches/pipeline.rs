//! Pipeline benchmark: each stage alone on the Day 5 deck, the whole build, a 300-slide deck
//! and the batch of bundled decks. Plain timing with medians (no timed assertions anywhere).
//!
//! ```sh
//! cargo bench --bench pipeline            # prints a table of medians
//! ```
//! The figures in README.md come from this command on the 2-core CI-class machine.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use carousel::build::{self, Options};
use carousel::deck;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let _warm = f();
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn row(name: &str, d: Duration) {
    println!("| {name:<44} | {:>9.1} ms |", d.as_secs_f64() * 1000.0);
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let day5 = root.join("decks/day5.yaml");
    let source = std::fs::read_to_string(&day5).unwrap();
    let out = tempfile::tempdir().unwrap();
    let options = Options {
        out_dir: out.path().to_path_buf(),
        svg: false,
        check_only: false,
        deny_warnings: false,
        cache: false,
        allow_outside: Vec::new(),
        platforms: Vec::new(),
    };

    println!("| stage (decks/day5.yaml, 6 slides, 1080x1350)  | median |");
    println!("| --- | ---: |");
    row("startup: load grammars (once per process)", time(3, two_face::syntax::extra_newlines));
    row(
        "startup: fonts (once per process)",
        time(3, || {
            let mut db = resvg::usvg::fontdb::Database::new();
            for entry in std::fs::read_dir(root.join("fonts")).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "ttf" || e == "otf") {
                    db.load_font_data(std::fs::read(path).unwrap());
                }
            }
            db
        }),
    );
    row("parse + validate", time(30, || deck::load(&day5, &source)));
    let loaded = deck::load(&day5, &source).deck.unwrap();
    row("layout (6 slides)", time(30, || carousel::build::layout_deck(&loaded).unwrap()));
    let scenes = carousel::build::layout_deck(&loaded).unwrap();
    row("SVG (6 slides)", time(30, || scenes.iter().map(carousel::export::svg::to_svg).collect::<Vec<_>>()));
    let svgs: Vec<String> = scenes.iter().map(carousel::export::svg::to_svg).collect();
    row("raster, one slide", time(10, || carousel::media::svg::rasterize(&svgs[4], 1080, 1350).unwrap()));
    let pixmap = carousel::media::svg::rasterize(&svgs[4], 1080, 1350).unwrap();
    row("PNG encode, one slide", time(10, || carousel::export::png::encode_png(1080, 1350, pixmap.data()).unwrap()));
    let png = carousel::export::png::encode_png(1080, 1350, pixmap.data()).unwrap();
    let texts: Vec<_> = scenes
        .iter()
        .zip(&loaded.slides)
        .map(|(scene, slide)| carousel::export::pages::page_text(scene, Some(slide)))
        .collect();
    row(
        "PDF, 6 pages from encoded PNGs, with their text",
        time(20, || {
            let mut writer =
                carousel::export::pdf::PdfWriter::new(Vec::new(), carousel::export::pdf::PdfMeta::default()).unwrap();
            for text in &texts {
                writer.add_page(&png, text).unwrap();
            }
            writer.finish().unwrap()
        }),
    );
    row("build day5 end to end (in process, warm)", time(10, || build::run_one(&day5, &options)));
    let cached = Options { cache: true, out_dir: out.path().join("cached"), ..options.clone() };
    build::run_one(&day5, &cached);
    row("rebuild day5, nothing changed (slide cache)", time(10, || build::run_one(&day5, &cached)));
    let edited = out.path().join("day5.yaml");
    std::fs::create_dir_all(out.path().join("assets")).unwrap();
    std::fs::copy(root.join("decks/assets/jane.svg"), out.path().join("assets/jane.svg")).unwrap();
    let mut flip = false;
    row(
        "rebuild day5, one slide changed (slide cache)",
        time(10, || {
            flip = !flip;
            let title = if flip { "title: Four fixes" } else { "title: Four small fixes" };
            std::fs::write(&edited, source.replace("title: Four fixes", title)).unwrap();
            build::run_one(&edited, &cached)
        }),
    );

    let big = out.path().join("big.yaml");
    let mut text = String::from("title: Three hundred slides\nauthor: {name: Bench}\nslides:\n");
    for i in 0..300 {
        text.push_str(&format!("  - kind: {}\n    title: \"Slide {i}: a title long enough to wrap\"\n    bullets: [\"first point with `code`\", \"second point\", {{text: done, mark: check}}]\n", ["content", "problem", "solution"][i % 3]));
    }
    std::fs::write(&big, text).unwrap();
    row("build 300-slide deck", time(2, || build::run_one(&big, &options)));

    let decks: Vec<PathBuf> = build::collect_decks(&[root.join("decks")]).0;
    row(&format!("batch: {} bundled decks, all cores", decks.len()), time(3, || build::run(&decks, &options)));
    let one_thread = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    row(
        &format!("batch: {} bundled decks, one thread", decks.len()),
        time(3, || one_thread.install(|| build::run(&decks, &options))),
    );
}
