//! Embeds the built-in pack: lists every YAML file under `question-bank/` so that `builtin.rs`
//! can `include_str!` them, sorted by path so the embedded order never depends on the file system.
//!
//! Each file is also converted to JSON here, once, because reading JSON at run time is about ten
//! times faster than parsing the YAML, and every command starts by loading the built-in pack. A
//! file that does not convert (a pack author's typo) is embedded as YAML alone: the run-time
//! loader then reads the YAML and reports the problem with its line and column.

use std::fs;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The file's YAML as compact JSON, or `None` when it does not read as YAML.
fn to_json(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_saphyr::from_str(&text).ok()?;
    serde_json::to_string(&value).ok()
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let bank = root.join("question-bank");
    println!("cargo:rerun-if-changed=question-bank");
    let mut files = Vec::new();
    collect(&bank, &mut files);
    files.sort();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut code = String::from(
        "/// Every file of the built-in pack: (path relative to the crate, YAML text, the same as\n\
         /// JSON when it converts).\n\
         pub static FILES: &[(&str, &str, Option<&str>)] = &[\n",
    );
    for (index, file) in files.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&root)
            .expect("file under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        let json = match to_json(file) {
            Some(json) => {
                let path = out_dir.join(format!("builtin-{index}.json"));
                fs::write(&path, json).expect("write the JSON copy of a built-in pack file");
                format!("Some(include_str!({:?}))", path.display().to_string())
            }
            None => "None".to_string(),
        };
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?}), {json}),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    fs::write(out_dir.join("builtin_files.rs"), code).expect("write builtin_files.rs");
}
