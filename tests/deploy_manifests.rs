//! The Kubernetes manifests and the container file, checked: each Indexed Job's shard count
//! matches its completions, its paths lie on its volumes, its resources are set — and the CPU
//! Job's command line, run here once per completion index with the volumes' paths mapped to
//! temporary folders, scans a real export that `verify-job.yaml`'s command finds whole.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The YAML documents of `file`, as JSON (PyYAML reads them: a real YAML parser).
fn documents(file: &str) -> Option<Vec<Value>> {
    if !common::python_module("yaml", "pip install pyyaml (.ci/install does)") {
        return None;
    }
    let out = Command::new("python3")
        .arg("-c")
        .arg("import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))")
        .arg(repo().join(file))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

/// The value after `flag` in `args`.
fn after<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1).map(String::as_str)
}

/// The one container of a Job, and the pod spec around it.
fn pod(job: &Value) -> (&Value, &Value) {
    let spec = &job["spec"]["template"]["spec"];
    let containers = spec["containers"].as_array().unwrap();
    assert_eq!(containers.len(), 1);
    (spec, &containers[0])
}

/// The mount (mountPath, readOnly, volume) under which `path` lies, checking the volume exists.
fn mount_of<'a>(spec: &'a Value, container: &'a Value, path: &str) -> (String, bool, &'a Value) {
    let mounts = container["volumeMounts"].as_array().unwrap();
    let m = mounts
        .iter()
        .find(|m| path.starts_with(m["mountPath"].as_str().unwrap()))
        .unwrap_or_else(|| panic!("{path} is on no volume"));
    let name = m["name"].as_str().unwrap();
    let volume = spec["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no volume {name}"));
    (
        m["mountPath"].as_str().unwrap().to_string(),
        m["readOnly"].as_bool().unwrap_or(false),
        volume,
    )
}

#[test]
fn the_indexed_jobs_are_consistent() {
    let Some(jobs) = documents("deploy/kubernetes/scan-job.yaml") else {
        return;
    };
    assert_eq!(jobs.len(), 2, "a CPU Job and a GPU Job");
    for job in &jobs {
        let name = job["metadata"]["name"].as_str().unwrap();
        assert_eq!(job["apiVersion"], "batch/v1", "{name}");
        assert_eq!(job["kind"], "Job", "{name}");
        let spec = &job["spec"];
        assert_eq!(
            spec["completionMode"], "Indexed",
            "{name}: JOB_COMPLETION_INDEX is set"
        );
        let completions = spec["completions"].as_u64().unwrap();
        assert!(
            spec["parallelism"].as_u64().unwrap() <= completions,
            "{name}"
        );
        assert!(
            spec["backoffLimitPerIndex"].as_u64().unwrap() >= 1,
            "{name}: retries per index"
        );
        let (pod_spec, container) = pod(job);
        assert_eq!(pod_spec["restartPolicy"], "Never", "{name}");
        let args = strings(&container["args"]);
        assert_eq!(args[0], "scan", "{name}");
        let shards: u64 = after(&args, "--shards").unwrap().parse().unwrap();
        assert_eq!(
            shards, completions,
            "{name}: --shards must equal completions"
        );
        assert!(
            args.contains(&"--resume".to_string()),
            "{name}: a retried index resumes"
        );

        let (_, export_ro, _) = mount_of(pod_spec, container, &args[1]);
        assert!(export_ro, "{name}: the export is mounted read-only");
        let out = after(&args, "-o").unwrap();
        let (_, out_ro, out_volume) = mount_of(pod_spec, container, out);
        assert!(!out_ro, "{name}: the output volume is writable");
        assert!(
            out_volume["persistentVolumeClaim"]["claimName"].is_string(),
            "{name}: every pod writes into one shared claim"
        );
        let resources = &container["resources"];
        for key in ["cpu", "memory"] {
            assert!(
                resources["requests"][key].is_string(),
                "{name}: requests.{key}"
            );
        }
        assert!(
            resources["limits"]["memory"].is_string(),
            "{name}: a memory limit"
        );
        let threads: u64 = after(&args, "--threads").unwrap().parse().unwrap();
        let cpus: u64 = resources["requests"]["cpu"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(threads, cpus, "{name}: one worker per requested CPU");

        let gpu = resources["limits"]["nvidia.com/gpu"].as_u64();
        let cuda = after(&args, "--device") == Some("cuda");
        assert_eq!(
            gpu.is_some(),
            cuda,
            "{name}: a GPU pod runs the cuda build and vice versa"
        );
        if cuda {
            assert!(
                container["image"].as_str().unwrap().ends_with("-cuda"),
                "{name}"
            );
        }
    }
}

/// The CPU Job's and the verify Job's commands, run for real: each index of the Job in turn,
/// with `JOB_COMPLETION_INDEX` set as Kubernetes sets it.
#[test]
fn the_jobs_commands_scan_and_verify_an_export() {
    let (Some(jobs), Some(verify_jobs)) = (
        documents("deploy/kubernetes/scan-job.yaml"),
        documents("deploy/kubernetes/verify-job.yaml"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 24, 31).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let job = &jobs[0];
    let (_, container) = pod(job);
    let args = strings(&container["args"]);
    let export_mount = args[1].clone();
    let out_mount = after(&args, "-o").unwrap().to_string();
    // The volumes' paths in the pod, mapped to this machine's folders.
    let map = |a: &String| -> PathBuf {
        if a == &export_mount {
            export.clone()
        } else if a == &out_mount {
            out.clone()
        } else {
            PathBuf::from(a)
        }
    };
    let completions = job["spec"]["completions"].as_u64().unwrap();
    for index in 0..completions {
        let run = Command::new(env!("CARGO_BIN_EXE_arkivar"))
            .args(args.iter().map(map))
            .arg("--quiet")
            .env("JOB_COMPLETION_INDEX", index.to_string())
            .env_remove("SLURM_ARRAY_TASK_ID")
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "index {index}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    let (_, verify) = pod(&verify_jobs[0]);
    let vargs = strings(&verify["args"]);
    assert_eq!(vargs[0], "verify");
    let checked = Command::new(env!("CARGO_BIN_EXE_arkivar"))
        .args(vargs.iter().map(map))
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success(), "{report}");
    assert!(
        report.contains(&format!("{completions} of {completions} shards finished")),
        "{report}"
    );
}

#[test]
fn the_container_file_copies_what_the_build_needs() {
    let text = std::fs::read_to_string(repo().join("deploy/Containerfile")).unwrap();
    let mut copied = Vec::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("COPY ") && !l.contains("--from"))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        for source in &words[1..words.len() - 1] {
            assert!(
                repo().join(source).exists(),
                "COPY {source}: not in the repository"
            );
            copied.push(source.to_string());
        }
    }
    // Everything `cargo build --locked` reads: the manifest, the lock file, the sources, the
    // model compiled into the binary, and the bench targets Cargo.toml names.
    for needed in ["Cargo.toml", "Cargo.lock", "src", "models", "benches"] {
        assert!(
            copied.iter().any(|c| c == needed),
            "the image build needs {needed}"
        );
    }
    assert!(text.contains("cargo build --release --locked"));
}
