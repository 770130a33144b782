//! `codegen::generate` must not panic, overflow its stack or hang, every error it returns must be located
//! (a line, or the whole file), and its time must grow no faster than its input.
//!
//! Two kinds of input:
//! - text (any bytes that are UTF-8): read as a spec, within one second of CPU time;
//! - structured (a first byte of 0xFF, which no UTF-8 text starts with): the rest is read as parts of the
//!   structural generator of hostile specs (`codegen/tests/hostile`: nesting, `$ref` chains through each
//!   construct, thousands of siblings, clashing names, inheritance, ...), four bytes a part, so a mutated
//!   byte is a structural mutation (another construct, a longer chain, more siblings) and a few bytes stand
//!   for megabytes. The spec is generated at full size and at half size, and the time of each is set
//!   against its work: the bytes read plus the bytes of source written. When the full size takes more than
//!   1.5 times the half's time per byte of work (and more than timer noise), that is a finding: time that
//!   grows faster than the input and output. (How much source a spec may ask for is bounded by the stated
//!   limits of `codegen::spec::limits`, each a located error; `allOf` inheritance, for one, writes source
//!   in proportion to the square of its depth, up to `MAX_FIELDS`. When one size generates and the other
//!   meets a limit, the two are not compared.)
//!
//! Time is the process's CPU time (all threads), so a loaded machine does not make findings.
#![no_main]

#[path = "../../tests/hostile/mod.rs"]
mod hostile;

use std::time::Duration;

use libfuzzer_sys::fuzz_target;

/// The first byte of a structured input.
const STRUCTURED: u8 = 0xFF;
/// The largest size of one part (its depth, length or count).
const MAX_SIZE: usize = 8192;
/// The largest structured spec generated, in bytes: larger ones are skipped (under the sanitizer they take
/// seconds each, and the shapes that grew too fast showed well below this size).
const MAX_SPEC_BYTES: usize = 600_000;
/// The CPU time a text input may take.
const TEXT_BOUND: Duration = Duration::from_secs(1);
/// Below this much CPU time at full size, growth is not judged (timer ticks are 10 ms).
const NOISE: Duration = Duration::from_millis(300);

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((&STRUCTURED, rest)) => structured(rest),
        _ => {
            let Ok(text) = std::str::from_utf8(data) else { return };
            let name = if text.trim_start().starts_with('{') { "fuzz.json" } else { "fuzz.yaml" };
            let (took, _) = generate(text, name);
            assert!(took <= TEXT_BOUND, "a {} byte text took {took:?} of CPU", text.len());
        }
    }
});

fn structured(bytes: &[u8]) {
    let parts = hostile::parts_from_bytes(bytes, MAX_SIZE);
    let full = hostile::spec(&parts);
    if full.len() > MAX_SPEC_BYTES {
        return;
    }
    let half = hostile::spec(&hostile::halved(&parts));
    let (mut took_half, wrote_half) = generate(&half, "half.json");
    let (mut took_full, wrote_full) = generate(&full, "full.json");
    // One generated and the other met a stated limit: the limit bounds the work, and the two are not the
    // same work to compare.
    if (wrote_half == 0) != (wrote_full == 0) {
        return;
    }
    let ratio = (full.len() + wrote_full) as f64 / (half.len() + wrote_half) as f64;
    let too_slow = |half: Duration, full: Duration| full > half.mul_f64(1.5 * ratio) + NOISE;
    // CPU time still varies with what else the machine runs (caches, memory): a suspect is measured again,
    // and judged by the fastest of three runs of each size. Growth that is really too fast stays.
    for _ in 0..2 {
        if !too_slow(took_half, took_full) {
            return;
        }
        took_half = took_half.min(generate(&half, "half.json").0);
        took_full = took_full.min(generate(&full, "full.json").0);
    }
    assert!(
        !too_slow(took_half, took_full),
        "{parts:?}: {} bytes read and {wrote_full} written took {took_full:?} of CPU; every size halved, {} read \
         and {wrote_half} written took {took_half:?} (fastest of three runs each): faster than linear",
        full.len(),
        half.len()
    );
}

/// Generates `text`, checks that every error is located, and returns the CPU time it took and the bytes of
/// source it wrote.
fn generate(text: &str, name: &str) -> (Duration, usize) {
    let started = cpu_time();
    let wrote = match codegen::generate(text, name) {
        Ok(generated) => generated.files.values().map(String::len).sum(),
        Err(diagnostics) => {
            for item in &diagnostics.items {
                assert!(item.line.is_some() || item.pointer.is_empty(), "an error without a location: {item:?}");
            }
            0
        }
    };
    (cpu_time().saturating_sub(started), wrote)
}

/// The CPU time of the whole process (user and system, every thread: formatting runs on worker threads),
/// from `/proc/self/stat`, in clock ticks of 10 ms.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field
    // of the line, stime the 15th.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|i| fields.get(*i)?.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}
