//! `spoke audit --out FILE.zip`: the CSV tables of a folder export, in one
//! archive, each entry byte for byte the folder's file.

use std::io::Read;

use crate::fixtures::headless::Env;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zip_holds_the_folders_csv_tables_byte_for_byte() {
    let env = Env::start(1.0).await;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("tables");
    let zip_path = dir.path().join("audit.zip");
    env.spoke(&[
        "audit",
        "--profiles",
        "hub,spoke-dev",
        "--out",
        &format!("{}/", folder.display()),
    ])
    .await
    .expect(0);
    env.spoke(&[
        "audit",
        "--profiles",
        "hub,spoke-dev",
        "--out",
        zip_path.to_str().unwrap(),
    ])
    .await
    .expect(0)
    .says(&format!("Wrote {}", zip_path.display()));

    // The binary's two runs are two scans (their scan times differ): the
    // byte-for-byte comparison is of one snapshot written both ways.
    let json = dir.path().join("audit.json");
    env.spoke(&[
        "audit",
        "--profiles",
        "hub,spoke-dev",
        "--out",
        json.to_str().unwrap(),
    ])
    .await
    .expect(0);
    let snapshot: spoke::model::Snapshot =
        serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let same = tempfile::tempdir().unwrap();
    let same_folder = same.path().join("tables");
    let same_zip = same.path().join("tables.zip");
    spoke::ops::audit::write(&snapshot, &same_folder.join("")).unwrap();
    spoke::ops::audit::write(&snapshot, &same_zip).unwrap();
    for (folder, zip_path) in [(&folder, &zip_path), (&same_folder, &same_zip)] {
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert!(files.len() >= 7, "{files:?}");
        let mut archive = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
        let mut entries: Vec<String> = archive
            .file_names()
            .map(|n| n.expect("an entry name").into_owned())
            .collect();
        entries.sort();
        assert_eq!(entries, files);
        for name in &files {
            let mut entry = archive.by_name(name).unwrap();
            assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            if folder == &same_folder {
                assert_eq!(bytes, std::fs::read(folder.join(name)).unwrap(), "{name}");
            } else {
                assert!(!bytes.is_empty(), "{name}");
            }
        }
    }
    // Written whole: no temporary file beside it; readable by the user only.
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        beside.len(),
        3,
        "tables/, audit.zip, audit.json: {beside:?}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&zip_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
