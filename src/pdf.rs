//! STUB
use crate::png_encode::EncodedPng;
pub struct PdfMeta { pub title: String, pub author: Option<String>, pub subject: Option<String>, pub keywords: Vec<String>, pub creator: String }
pub struct PdfWriter<W: std::io::Write> { out: W }
impl<W: std::io::Write> PdfWriter<W> {
    pub fn new(out: W, _meta: PdfMeta) -> std::io::Result<Self> { Ok(Self { out }) }
    pub fn add_page(&mut self, _png: &EncodedPng) -> std::io::Result<()> { Ok(()) }
    pub fn finish(self) -> std::io::Result<W> { Ok(self.out) }
}
