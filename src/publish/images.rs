//! `carousel publish --as images`: the deck as a LinkedIn multi-image post instead of a
//! document post.
//!
//! Owns what differs from the document post: the slide count LinkedIn takes (2 to 20 images,
//! refused before anything is built or sent), reading the JPEGs the build wrote for
//! `linkedin-images` (`out/<stem>.linkedin-images/part-1/01.jpg ...`, each read within LinkedIn's
//! 5 MB and checked to be a JPEG) with their alt text (`part-1/alt.txt`, the slides' `notes:` or
//! their words, cut at a word below LinkedIn's 4,086 characters), one `initializeUpload` on
//! `/rest/images` and one `PUT` per image, polling each image until it is `AVAILABLE`, and the
//! post's `content.multiImage`. Each image is recorded (file, hash of its bytes, URN) as soon as
//! LinkedIn has it, so a failed publish resumes with the images whose bytes did not change; the
//! record says `as: images`. The rest (the refusals before the build, the post itself and its
//! answers, the first comment, the record of the post) is [`super`]'s, shared with the document.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};

use super::linkedin::{self, Client};
use super::record::{self, ImageUpload, PostAs, Record};
use super::{
    confirm, create_post, dry_run_token_check, post_body_with, push_request, say, token, wait_until_available, Outcome,
    Post, Session, Visibility, PROCESSING_WAIT,
};
use crate::build::DeckReport;
use crate::export::platforms::Platform;
use crate::files;

/// The fewest images of a multi-image post.
pub const MIN_IMAGES: usize = 2;

/// The most images of a multi-image post.
pub const MAX_IMAGES: usize = 20;

/// LinkedIn's limit on an image's `altText`, in characters (counted here in UTF-16 units, as
/// LinkedIn may count them: an emoji is 2).
pub const MAX_ALT_TEXT: usize = 4_086;

/// Largest `alt.txt` read: 20 alt texts of 4,086 characters are well under it.
const MAX_ALT_FILE_BYTES: u64 = 1024 * 1024;

/// One image to post.
#[derive(Debug, Clone)]
pub struct Image {
    /// Its name in the folder, `01.jpg`.
    pub file: String,
    /// The JPEG's bytes.
    pub bytes: Vec<u8>,
    /// A hash of the bytes (xxh3, hex), recorded with its upload.
    pub hash: String,
    /// Its alt text, within [`MAX_ALT_TEXT`].
    pub alt: String,
}

/// Refuses a deck LinkedIn would not take as a multi-image post.
pub fn check_count(slides: usize) -> Result<(), String> {
    if (MIN_IMAGES..=MAX_IMAGES).contains(&slides) {
        return Ok(());
    }
    Err(format!(
        "the deck has {slides} slide{}; a LinkedIn multi-image post takes {MIN_IMAGES} to {MAX_IMAGES} images. \
         Nothing was sent. Post it as a document instead (`carousel publish` without `--as images`, up to 300 \
         pages).",
        if slides == 1 { "" } else { "s" }
    ))
}

/// The folder the build writes the images of a LinkedIn image post in.
pub fn folder(out_dir: &Path, stem: &str) -> PathBuf {
    out_dir.join(format!("{stem}.{}", Platform::LinkedInImages.name())).join("part-1")
}

/// Reads the `slides` JPEGs of `folder` and their alt texts.
pub fn read_images(folder: &Path, slides: usize) -> Result<Vec<Image>, String> {
    let names: Vec<String> = (1..=slides).map(|n| format!("{n:02}.jpg")).collect();
    let alt_path = folder.join("alt.txt");
    let alt_text = match files::read_text(&alt_path, MAX_ALT_FILE_BYTES) {
        Ok(Some(text)) => text,
        Ok(None) => String::new(),
        Err(e) => return Err(format!("{}: cannot read the alt texts: {e}", alt_path.display())),
    };
    let alts = parse_alts(&alt_text, &names);
    let max = Platform::LinkedInImages.max_bytes() as u64;
    let mut images = Vec::with_capacity(slides);
    for (name, alt) in names.into_iter().zip(alts) {
        let path = folder.join(&name);
        let bytes = match files::read(&path, max) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err(format!("{}: the build wrote no such image; nothing was sent", path.display())),
            Err(files::ReadError::TooLarge(_)) => {
                return Err(format!(
                    "{} is over {} MB, the most LinkedIn takes for an image. Nothing was sent.",
                    path.display(),
                    max >> 20
                ))
            }
            Err(e) => return Err(format!("{}: cannot read the image: {e}", path.display())),
        };
        if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Err(format!("{} is not a JPEG; nothing was sent", path.display()));
        }
        let hash = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes));
        images.push(Image { file: name, bytes, hash, alt: cut_alt(&alt) });
    }
    Ok(images)
}

/// The alt text of each of `names` from `alt.txt` (lines `01.jpg: <alt text>`): a line that does
/// not start the next name's entry continues the entry before it (an alt text from a `notes:` of
/// several lines). Whitespace runs are one space. A name without an entry has no alt text.
pub fn parse_alts(text: &str, names: &[String]) -> Vec<String> {
    let mut alts = vec![String::new(); names.len()];
    let mut current: Option<usize> = None;
    for line in text.lines() {
        let next = current.map_or(0, |i| i + 1);
        let starts =
            names.get(next).and_then(|name| line.strip_prefix(name.as_str())).and_then(|r| r.strip_prefix(':'));
        match (starts, current) {
            (Some(rest), _) => {
                alts[next].push_str(rest);
                current = Some(next);
            }
            (None, Some(i)) => {
                alts[i].push(' ');
                alts[i].push_str(line);
            }
            (None, None) => {}
        }
    }
    alts.iter().map(|alt| alt.split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// `alt` within [`MAX_ALT_TEXT`] UTF-16 units: cut at the last space that keeps it within, or,
/// for one long word, at the last character that does.
pub fn cut_alt(alt: &str) -> String {
    if alt.encode_utf16().count() <= MAX_ALT_TEXT {
        return alt.to_string();
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in alt.char_indices() {
        if units + c.len_utf16() > MAX_ALT_TEXT {
            break;
        }
        units += c.len_utf16();
        end = i + c.len_utf8();
    }
    let within = &alt[..end];
    let at_word = match alt[end..].starts_with(char::is_whitespace) {
        true => within,
        false => within.rfind(char::is_whitespace).map_or(within, |space| &within[..space]),
    };
    let cut = at_word.trim_end();
    if cut.is_empty() { within } else { cut }.to_string()
}

/// The post's `content` for these images, in order.
pub fn content(images: &[(String, String)]) -> Value {
    let images: Vec<Value> = images.iter().map(|(urn, alt)| json!({ "id": urn, "altText": alt })).collect();
    json!({ "multiImage": { "images": images } })
}

/// The Posts API body of a multi-image post.
fn body(owner: &str, post: &Post, images: &[(String, String)], visibility: Visibility) -> Value {
    post_body_with(owner, post, content(images), visibility)
}

/// A hash of the images' hashes, recorded as the record's `pdf_hash`.
fn set_hash(images: &[Image]) -> String {
    let joined: Vec<&str> = images.iter().map(|i| i.hash.as_str()).collect();
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(joined.join(",").as_bytes()))
}

/// The images an earlier, failed publish of this deck uploaded, for reuse: only from a record
/// of an image post with no post made. After an answer that may have made the post, only with
/// `--force` (which got here past that refusal): the images are LinkedIn's assets, and a post
/// made of them again is what `--force` asks for.
fn reusable(previous: Option<&Record>, force: bool) -> Vec<ImageUpload> {
    previous
        .filter(|r| r.post_as == PostAs::Images && r.post.is_none() && (r.post_possibly_sent.is_none() || force))
        .map(|r| r.images.clone())
        .unwrap_or_default()
}

/// Takes from `pool` the upload of the same bytes, if any (each upload is used once).
fn take_same(pool: &mut Vec<ImageUpload>, hash: &str) -> Option<ImageUpload> {
    let at = pool.iter().position(|u| u.hash == hash)?;
    Some(pool.remove(at))
}

/// Posts the built deck as a multi-image post; `report` is the build's, `previous` the record
/// read before it.
pub(super) fn publish(
    session: &mut Session,
    path: &Path,
    post: &Post,
    report: &DeckReport,
    previous: Option<&Record>,
    record_path: &Path,
) -> Result<Outcome, String> {
    let options = session.options.clone();
    check_count(report.slides)?;
    let folder = folder(&options.out_dir, &post.stem);
    let images = read_images(&folder, report.slides)?;
    say(&format!(
        "built {} -> {} ({} images{})",
        path.display(),
        folder.display(),
        images.len(),
        if report.cached > 0 { format!(", {} slides unchanged from the cache", report.cached) } else { String::new() }
    ));
    let mut pool = reusable(previous, options.force);
    let previous_owner = previous.and_then(|r| r.owner.clone());

    if options.dry_run {
        dry_run_token_check();
        let mut plan_pool = pool.clone();
        let resumed: Vec<Option<String>> =
            images.iter().map(|image| take_same(&mut plan_pool, &image.hash).map(|u| u.urn)).collect();
        print_plan(session, post, &folder, &images, &resumed);
        return Ok(Outcome::DryRun);
    }
    session.token()?;
    if !options.yes {
        let content = format!("  images: {} JPEGs from {} (deck \"{}\")", images.len(), folder.display(), post.title);
        confirm(post, content, options.visibility)?;
    }

    let member = session.member()?;
    let owner = member.urn();
    let client = session.client()?;
    if previous_owner.as_deref().is_some_and(|u| u != owner) && !pool.is_empty() {
        say(&format!("note: the images recorded before were uploaded by another member; uploading again as {owner}"));
        pool.clear();
    }
    let mut record = Record {
        deck: path.display().to_string(),
        pdf: folder.display().to_string(),
        pdf_hash: set_hash(&images),
        owner: Some(owner.clone()),
        post_as: PostAs::Images,
        ..Record::default()
    };
    let mut done: Vec<ImageUpload> = Vec::with_capacity(images.len());
    for image in &images {
        let mut urn = None;
        if let Some(earlier) = take_same(&mut pool, &image.hash) {
            match client.image_status(&earlier.urn)?.as_deref() {
                Some("AVAILABLE" | "PROCESSING") => {
                    say(&format!("resuming with {} uploaded before ({})", image.file, earlier.urn));
                    urn = Some(earlier.urn);
                }
                status => say(&format!(
                    "note: {} uploaded before ({}) is {}; uploading it again",
                    image.file,
                    earlier.urn,
                    status.map(|s| format!("in state {s}")).unwrap_or_else(|| "unknown to LinkedIn".into())
                )),
            }
        }
        let uploaded = urn.is_none();
        let urn = match urn {
            Some(urn) => urn,
            None => upload(client, &owner, image)?,
        };
        done.push(ImageUpload { file: image.file.clone(), hash: image.hash.clone(), urn });
        if uploaded {
            // What is uploaded so far, and what may still be reused, for a run that stops here.
            record.images = done.iter().chain(pool.iter()).cloned().collect();
            record::write(record_path, &record)?;
        }
    }
    record.images = done.clone();

    // One wait for all of them, not one per image.
    let deadline = Instant::now() + PROCESSING_WAIT;
    for upload in &done {
        let waited = wait_until_available(&format!("image {}", upload.file), &upload.urn, deadline, |urn| {
            client.image_status(urn)
        });
        if let Err(message) = waited {
            if message.contains("PROCESSING_FAILED") {
                // The next run must upload this one afresh, not resume with an image LinkedIn rejected.
                record.images.retain(|u| u.urn != upload.urn);
                let _ = record::write(record_path, &record);
            }
            return Err(message);
        }
    }

    let pairs: Vec<(String, String)> =
        done.iter().zip(&images).map(|(upload, image)| (upload.urn.clone(), image.alt.clone())).collect();
    let body = body(&owner, post, &pairs, options.visibility);
    create_post(client, &owner, path, post, &body, record, record_path)
}

/// Registers one image and sends it. A URL already expired when LinkedIn hands it over is asked
/// for once more.
fn upload(client: &Client, owner: &str, image: &Image) -> Result<String, String> {
    let mut upload = client.initialize_image_upload(owner)?;
    let now_ms = token::now().saturating_mul(1000);
    if upload.expires_at_ms.is_some_and(|at| at <= now_ms) {
        upload = client.initialize_image_upload(owner)?;
    }
    say(&format!("uploading {} ({} KB)...", image.file, image.bytes.len().div_ceil(1024)));
    let what = format!("uploading {} (PUT to LinkedIn's upload URL)", image.file);
    client.upload_bytes(&what, &image.file, &upload.upload_url, &image.bytes)?;
    Ok(upload.urn)
}

/// Prints the requests `publish --as images` would make, with the token redacted; `resumed`
/// names, per image, an upload that would be reused.
fn print_plan(session: &Session, post: &Post, folder: &Path, images: &[Image], resumed: &[Option<String>]) {
    let api = &session.endpoints.api;
    let auth = ("Authorization", "Bearer <redacted>");
    let rest = linkedin::rest_headers(&session.version.value);
    let json_type = ("Content-Type", "application/json");
    let mut out = format!(
        "dry run: nothing is sent. `carousel publish --as images` would make these requests (LinkedIn-Version {}):\n",
        session.version.described()
    );
    push_request(&mut out, &format!("GET {api}/v2/userinfo"), &[auth], None);
    let owner = "urn:li:person:{sub from /v2/userinfo}";
    let mut pairs = Vec::with_capacity(images.len());
    for (image, earlier) in images.iter().zip(resumed) {
        let urn = match earlier {
            Some(urn) => {
                push_request(
                    &mut out,
                    &format!("GET {api}{}   (resuming with {} uploaded before)", linkedin::image_path(urn), image.file),
                    &[auth, rest[0], rest[1]],
                    None,
                );
                urn.clone()
            }
            None => {
                let init = json!({ "initializeUploadRequest": { "owner": owner } });
                push_request(
                    &mut out,
                    &format!("POST {api}/rest/images?action=initializeUpload   (for {})", image.file),
                    &[auth, rest[0], rest[1], json_type],
                    serde_json::to_string_pretty(&init).ok(),
                );
                push_request(
                    &mut out,
                    &format!("PUT {{uploadUrl from that initializeUpload}}   ({})", image.file),
                    &[
                        ("Authorization", "Bearer <redacted>   (only if uploadUrl is a LinkedIn host over https)"),
                        ("Content-Type", "application/octet-stream"),
                    ],
                    Some(format!("<{} bytes of {}>", image.bytes.len(), folder.join(&image.file).display())),
                );
                format!("{{image from the initializeUpload for {}}}", image.file)
            }
        };
        pairs.push((urn, image.alt.clone()));
    }
    push_request(
        &mut out,
        &format!(
            "GET {api}/rest/images/{{image, URL-encoded}}   (for each image, repeated until its status is AVAILABLE)"
        ),
        &[auth, rest[0], rest[1]],
        None,
    );
    let body = body(owner, post, &pairs, session.options.visibility);
    push_request(
        &mut out,
        &format!("POST {api}/rest/posts"),
        &[auth, rest[0], rest[1], json_type],
        serde_json::to_string_pretty(&body).ok(),
    );
    if let Some(comment) = &post.first_comment {
        let body = linkedin::comment_body("{post URN from x-restli-id}", owner, comment);
        push_request(
            &mut out,
            &format!("POST {api}/rest/socialActions/{{post URN, URL-encoded}}/comments   (the first comment)"),
            &[auth, rest[0], rest[1], json_type],
            serde_json::to_string_pretty(&body).ok(),
        );
    }
    out.push_str("\nThe post's text as LinkedIn will show it:\n\n");
    out.push_str(if post.text.shown.is_empty() { "(none)" } else { &post.text.shown });
    out.push('\n');
    print!("{}", super::safe::clean(&out));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("{i:02}.jpg")).collect()
    }

    #[test]
    fn two_to_twenty_slides_only() {
        assert!(check_count(2).is_ok() && check_count(20).is_ok());
        for refused in [0, 1, 21] {
            let message = check_count(refused).unwrap_err();
            assert!(message.contains("2 to 20") && message.contains("document"), "{message}");
        }
    }

    #[test]
    fn alt_texts_are_read_in_order_with_lines_that_continue() {
        let text = "01.jpg: The hook: fast.\n02.jpg: First line\n  of the notes\n03.jpg:\n";
        assert_eq!(parse_alts(text, &names(4)), ["The hook: fast.", "First line of the notes", "", ""]);
        // A line naming a later image out of turn continues the entry before it.
        assert_eq!(parse_alts("01.jpg: a\n03.jpg: c\n02.jpg: b\n", &names(3)), ["a 03.jpg: c", "b", ""]);
    }

    #[test]
    fn a_long_alt_text_is_cut_at_a_word_within_the_limit() {
        let short = "A short one.";
        assert_eq!(cut_alt(short), short);
        let long = "word ".repeat(1000);
        let cut = cut_alt(&long);
        assert!(cut.encode_utf16().count() <= MAX_ALT_TEXT);
        assert!(cut.ends_with("word") && cut.len() > MAX_ALT_TEXT - 10, "{}", cut.len());
        assert_eq!(cut_alt(&long), cut, "deterministic");
        let emoji = "🚀".repeat(3000);
        let cut = cut_alt(&emoji);
        assert_eq!(cut.encode_utf16().count(), MAX_ALT_TEXT);
    }

    #[test]
    fn the_content_lists_the_images_in_order() {
        let content = content(&[("urn:li:image:A".into(), "one".into()), ("urn:li:image:B".into(), "two".into())]);
        assert_eq!(
            content,
            json!({"multiImage": {"images": [{"id": "urn:li:image:A", "altText": "one"}, {"id": "urn:li:image:B", "altText": "two"}]}})
        );
    }

    #[test]
    fn uploads_are_reused_for_the_same_bytes_once_each() {
        let upload = |hash: &str, urn: &str| ImageUpload { file: "01.jpg".into(), hash: hash.into(), urn: urn.into() };
        let mut pool = vec![upload("a", "urn:li:image:1"), upload("b", "urn:li:image:2")];
        assert_eq!(take_same(&mut pool, "b").unwrap().urn, "urn:li:image:2");
        assert!(take_same(&mut pool, "b").is_none());
        let record = Record { post_as: PostAs::Images, images: pool.clone(), ..Record::default() };
        assert_eq!(reusable(Some(&record), false).len(), 1);
        let posted = Record { post: Some("urn:li:share:1".into()), ..record.clone() };
        assert!(reusable(Some(&posted), true).is_empty());
        let document = Record { post_as: PostAs::Document, ..record };
        assert!(reusable(Some(&document), false).is_empty());
    }
}
