use driftwatch_drizzle::{
    EnvVars, ReadOptions, find_config, load_config, read_schema, resolve_schema_files,
};
use std::path::Path;
#[test]
fn dump() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/parity/fixtures");
    std::fs::create_dir_all("/tmp/ours").unwrap_or_default();
    for e in std::fs::read_dir(&fixtures).into_iter().flatten().flatten() {
        let dir = e.path();
        let env = EnvVars::from_pairs([("DATABASE_URL", "mysql://u:p@h/db")]);
        let Some(cp) = find_config(&dir) else {
            continue;
        };
        let Ok(config) = load_config(&cp, &env) else {
            continue;
        };
        let Ok(files) = resolve_schema_files(&config.root, &config.schema) else {
            continue;
        };
        let out = read_schema(
            &files,
            &ReadOptions {
                casing: config.casing,
                root: config.root.clone(),
            },
        );
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let mut v = serde_json::to_value(&out.schema).unwrap_or_default();
        v["diagnostics"] = serde_json::to_value(&out.diagnostics).unwrap_or_default();
        std::fs::write(
            format!("/tmp/ours/{name}.json"),
            serde_json::to_string_pretty(&v).unwrap_or_default(),
        )
        .unwrap_or_default();
    }
}
