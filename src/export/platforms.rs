//! Platforms: the built slides as Instagram, Threads, X and LinkedIn's image posts take them.
//!
//! Owns each platform's rules (the image format, the width, the shapes it keeps, how many
//! images a post holds, the largest file, the caption's limits) and the folder written for it
//! beside the PDF: `DIR/<stem>.<platform>/part-1/01.jpg` ..., one `alt.txt` per part (each
//! image's alt text) and one `caption.txt`. It takes the slides as the build wrote them (the
//! PNGs) and hands on files; the folder appears whole or not at all (written under a temporary
//! name, then renamed into place), and the same slides give the same bytes.

use std::path::{Path, PathBuf};

use resvg::tiny_skia;

/// A platform an author cross-posts a carousel to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// Instagram: JPEG, sRGB, 1080 wide, 4:5 to square, 10 items a post, 8 MB each.
    Instagram,
    /// Threads: JPEG, 20 items a post, 8 MB each, 500 characters of text.
    Threads,
    /// X: four images a post, 5 MB each, 280 characters.
    X,
    /// LinkedIn's own multi-image post: 20 images.
    LinkedInImages,
}

/// Every platform, in the order the help lists them.
pub const ALL: [Platform; 4] = [Platform::Instagram, Platform::Threads, Platform::X, Platform::LinkedInImages];

impl Platform {
    /// The name written on the command line and in the folder's name.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Instagram => "instagram",
            Platform::Threads => "threads",
            Platform::X => "x",
            Platform::LinkedInImages => "linkedin-images",
        }
    }

    /// A platform by its name (`twitter` is X).
    pub fn parse(name: &str) -> Option<Platform> {
        match name.trim().to_ascii_lowercase().as_str() {
            "instagram" | "ig" => Some(Platform::Instagram),
            "threads" => Some(Platform::Threads),
            "x" | "twitter" => Some(Platform::X),
            "linkedin-images" | "linkedin" => Some(Platform::LinkedInImages),
            _ => None,
        }
    }

    /// Images in one post.
    pub fn per_part(self) -> usize {
        match self {
            Platform::Instagram => 10,
            Platform::X => 4,
            Platform::Threads | Platform::LinkedInImages => 20,
        }
    }

    /// The largest image file the platform takes.
    pub fn max_bytes(self) -> usize {
        match self {
            Platform::Instagram | Platform::Threads => 8 * 1024 * 1024,
            Platform::X | Platform::LinkedInImages => 5 * 1024 * 1024,
        }
    }

    /// The most characters of a post's text.
    pub fn caption_limit(self) -> usize {
        match self {
            Platform::Instagram => 2_200,
            Platform::Threads => 500,
            Platform::X => 280,
            Platform::LinkedInImages => 3_000,
        }
    }

    /// The most hashtags a post's text may carry, where the platform says.
    pub fn hashtag_limit(self) -> Option<usize> {
        match self {
            Platform::Instagram => Some(30),
            _ => None,
        }
    }

    /// The width the images are written at (Instagram shows 1080; the others keep the slide's).
    fn width(self, slide_width: u32) -> u32 {
        match self {
            Platform::Instagram => 1080,
            _ => slide_width,
        }
    }

    /// Why a deck of slides `width` x `height` cannot go to this platform, if it cannot.
    pub fn refuses_shape(self, width: u32, height: u32) -> Option<String> {
        let ratio = width as f64 / height.max(1) as f64;
        match self {
            // Instagram crops every item of a post to the first's ratio, and shows nothing wider
            // than square at full size in the feed: 4:5 (portrait) to 1:1.
            Platform::Instagram if !(0.799..=1.001).contains(&ratio) => Some(format!(
                "Instagram takes carousel images from 4:5 (portrait, 1080x1350) to 1:1 (square); \
                 these slides are {width}x{height}"
            )),
            _ => None,
        }
    }
}

/// What a platform's text would break, for `check --for` and the build's warnings.
pub fn caption_problems(platform: Platform, caption: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let count = counted_length(platform, caption);
    if count > platform.caption_limit() {
        let how = if platform == Platform::X { " as X counts them" } else { "" };
        problems.push(format!(
            "the caption has {count} characters{how}; {} takes at most {}",
            platform.label(),
            platform.caption_limit()
        ));
    }
    if let Some(limit) = platform.hashtag_limit() {
        let tags = caption.split_whitespace().filter(|w| w.starts_with('#') && w.len() > 1).count();
        if tags > limit {
            problems.push(format!("the caption has {tags} hashtags; {} takes at most {limit}", platform.label()));
        }
    }
    problems
}

/// A post's length as the platform counts it. X weighs characters (twitter-text's rules):
/// Latin, Greek, Cyrillic and most punctuation count 1, everything else (CJK, emoji, Arabic
/// beyond the basic range...) 2, and a link 23 whatever its length. The others count characters.
fn counted_length(platform: Platform, text: &str) -> usize {
    if platform != Platform::X {
        return text.chars().count();
    }
    let light = |c: char| {
        let c = c as u32;
        c <= 0x10FF
            || (0x2000..=0x200D).contains(&c)
            || (0x2010..=0x201F).contains(&c)
            || (0x2032..=0x2037).contains(&c)
    };
    let mut total = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let link = ["https://", "http://"].iter().any(|scheme| rest.starts_with(scheme));
        if link {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            total += 23;
            rest = &rest[end..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        // Variation selectors and joiners ride on the character before them.
        if !matches!(c as u32, 0xFE0E | 0xFE0F | 0x200D) {
            total += if light(c) { 1 } else { 2 };
        }
        rest = &rest[c.len_utf8()..];
    }
    total
}

impl Platform {
    /// The platform's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Instagram => "Instagram",
            Platform::Threads => "Threads",
            Platform::X => "X",
            Platform::LinkedInImages => "a LinkedIn image post",
        }
    }
}

/// Writes `DIR/<stem>.<platform>/` from the slides' PNGs (in order), their alt texts and the
/// post's text. Returns the folder.
pub fn write(
    platform: Platform,
    out_dir: &Path,
    stem: &str,
    pngs: &[PathBuf],
    alts: &[String],
    caption: &str,
) -> Result<PathBuf, String> {
    let target = out_dir.join(format!("{stem}.{}", platform.name()));
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{stem}.{}.", platform.name()))
        .tempdir_in(out_dir)
        .map_err(|e| format!("cannot write in {}: {e}", out_dir.display()))?;
    let digits = if pngs.len() > 99 { 3 } else { 2 };
    for (part, chunk) in pngs.chunks(platform.per_part()).enumerate() {
        let part_dir = staging.path().join(format!("part-{}", part + 1));
        std::fs::create_dir(&part_dir).map_err(|e| format!("cannot create {}: {e}", part_dir.display()))?;
        let mut alt_lines = String::new();
        for (i, png) in chunk.iter().enumerate() {
            let number = part * platform.per_part() + i + 1;
            let name = format!("{number:0digits$}.jpg");
            let jpeg = jpeg_of(png, platform)?;
            std::fs::write(part_dir.join(&name), jpeg).map_err(|e| format!("cannot write {name}: {e}"))?;
            let alt = alts.get(number - 1).map(String::as_str).unwrap_or_default();
            alt_lines.push_str(&format!("{name}: {alt}\n"));
        }
        std::fs::write(part_dir.join("alt.txt"), alt_lines).map_err(|e| format!("cannot write alt.txt: {e}"))?;
    }
    std::fs::write(staging.path().join("caption.txt"), caption)
        .map_err(|e| format!("cannot write caption.txt: {e}"))?;
    // Into place whole: the old folder aside, the new one in, the old one removed.
    let kept = staging.keep();
    let aside = out_dir.join(format!(".{stem}.{}.old", platform.name()));
    let _ = std::fs::remove_dir_all(&aside);
    if target.exists() {
        std::fs::rename(&target, &aside).map_err(|e| format!("cannot replace {}: {e}", target.display()))?;
    }
    if let Err(e) = std::fs::rename(&kept, &target) {
        let _ = std::fs::rename(&aside, &target);
        let _ = std::fs::remove_dir_all(&kept);
        return Err(format!("cannot write {}: {e}", target.display()));
    }
    let _ = std::fs::remove_dir_all(&aside);
    Ok(target)
}

/// One slide as the platform's JPEG: sRGB (the slides are), at the platform's width, at the
/// best quality that keeps it under the platform's file limit.
fn jpeg_of(png: &Path, platform: Platform) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(png).map_err(|e| format!("cannot read {}: {e}", png.display()))?;
    let decoder = ::png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().map_err(|e| format!("{}: {e}", png.display()))?;
    let mut buffer = vec![0; reader.output_buffer_size().ok_or("a slide too large to convert")?];
    let info = reader.next_frame(&mut buffer).map_err(|e| format!("{}: {e}", png.display()))?;
    let (width, height) = (info.width, info.height);
    let rgba: Vec<u8> = match info.color_type {
        ::png::ColorType::Rgba => buffer[..info.buffer_size()].to_vec(),
        ::png::ColorType::Rgb => buffer[..info.buffer_size()].chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
        other => return Err(format!("{}: unexpected slide colour type {other:?}", png.display())),
    };
    let target_width = platform.width(width);
    let (pixels, w, h) =
        if target_width == width { (rgba, width, height) } else { scale(&rgba, width, height, target_width)? };
    for quality in [90u8, 82, 74, 66, 58, 50] {
        let jpeg = crate::media::pixels::encode_jpeg(&pixels, w, h, quality, jpeg_encoder::ColorType::Rgba, false)
            .ok_or_else(|| format!("cannot encode a {w}x{h} JPEG"))?;
        if jpeg.len() <= platform.max_bytes() {
            return Ok(jpeg);
        }
    }
    Err(format!("a slide stays over {} MB as a JPEG, the most {} takes", platform.max_bytes() >> 20, platform.label()))
}

/// Scales opaque RGBA pixels to `width`, keeping the ratio.
fn scale(rgba: &[u8], width: u32, height: u32, target: u32) -> Result<(Vec<u8>, u32, u32), String> {
    let factor = target as f32 / width as f32;
    let target_height = ((height as f32 * factor).round() as u32).max(1);
    let size = tiny_skia::IntSize::from_wh(width, height).ok_or("an empty slide")?;
    let source = tiny_skia::Pixmap::from_vec(rgba.to_vec(), size).ok_or("a slide of the wrong size")?;
    let mut out = tiny_skia::Pixmap::new(target, target_height).ok_or("cannot allocate the scaled slide")?;
    let paint = tiny_skia::PixmapPaint { quality: tiny_skia::FilterQuality::Bicubic, ..Default::default() };
    out.draw_pixmap(0, 0, source.as_ref(), &paint, tiny_skia::Transform::from_scale(factor, factor), None);
    Ok((out.take(), target, target_height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_aliases_work() {
        for platform in ALL {
            assert_eq!(Platform::parse(platform.name()), Some(platform));
        }
        assert_eq!(Platform::parse("Twitter"), Some(Platform::X));
        assert_eq!(Platform::parse("tiktok"), None);
    }

    #[test]
    fn instagram_keeps_portrait_and_square_only() {
        assert!(Platform::Instagram.refuses_shape(1080, 1350).is_none());
        assert!(Platform::Instagram.refuses_shape(1080, 1080).is_none());
        assert!(Platform::Instagram.refuses_shape(1920, 1080).is_some());
        assert!(Platform::X.refuses_shape(1920, 1080).is_none());
    }

    #[test]
    fn captions_are_held_to_each_platforms_limits() {
        let long = "word ".repeat(80);
        assert!(!caption_problems(Platform::X, &long).is_empty(), "400 characters on X");
        assert!(caption_problems(Platform::Instagram, &long).is_empty());
        let tags: String = (0..31).map(|i| format!("#t{i} ")).collect();
        assert!(caption_problems(Platform::Instagram, &tags).iter().any(|p| p.contains("31 hashtags")));
    }

    #[test]
    fn x_weighs_cjk_and_emoji_double_and_links_as_23() {
        assert_eq!(counted_length(Platform::X, "hello"), 5);
        assert_eq!(counted_length(Platform::X, "日本語"), 6);
        assert_eq!(counted_length(Platform::X, "🚀"), 2);
        assert_eq!(counted_length(Platform::X, "see https://example.com/a/very/long/path/indeed"), 4 + 23);
        assert_eq!(counted_length(Platform::Threads, "日本語"), 3);
        // 150 CJK characters fit Threads' 500 but not X's 280.
        let cjk = "字".repeat(150);
        assert!(caption_problems(Platform::Threads, &cjk).is_empty());
        assert!(!caption_problems(Platform::X, &cjk).is_empty());
    }
}
