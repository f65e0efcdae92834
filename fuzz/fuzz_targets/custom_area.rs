//! The custom-area request body: any bytes are refused with an error, or parsed and aggregated
//! over the committed atlas; never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use locality_atlas::analysis::custom::{custom_area, parse_request};
use locality_atlas::atlas::{Atlas, embedded_files, load};

fuzz_target!(|data: &[u8]| {
    let Ok(request) = parse_request(data) else { return };
    let _ = custom_area(atlas(), &request);
});

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| load(&embedded_files()).expect("the committed atlas"))
}
