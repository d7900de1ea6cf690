//! Prints the scenario catalogue as JSON, as `juggle.scenarios(true)` returns it on a page whose pool
//! shares memory: ids, titles, variants (with placement and availability) and parameters. The content
//! plugin reads it: `cargo run --quiet --example catalog`.

fn main() -> Result<(), serde_json::Error> {
    println!("{}", serde_json::to_string_pretty(&juggle::catalog(true))?);
    Ok(())
}
