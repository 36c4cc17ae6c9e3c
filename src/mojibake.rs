//! STUB
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding { MacRoman, Windows1252 }
impl Encoding { pub fn name(self) -> &'static str { "Mac Roman" } }
pub struct Repair { pub encoding: Encoding, pub repaired: String }
pub fn detect(_text: &str) -> Option<Repair> { None }
