//! The Slurm path for real: a single-node Slurm cluster (Debian's `slurm-wlm` and `munge`,
//! started by `tests/slurm/cluster.sh`) runs `deploy/slurm/scan.sbatch` as a job array over a
//! generated export; `arkivar verify` finds the table whole. Then a lost part is repaired the
//! way an operator would: resubmitting that one index of the array.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const INSTALL: &str = "apt-get install slurm-wlm munge (.ci/install does), and run as root";

/// The cluster, stopped when dropped (also when an assertion fails).
struct Cluster {
    dir: PathBuf,
    conf: String,
}

impl Cluster {
    fn start(dir: &Path) -> Cluster {
        let out = Command::new("bash")
            .arg(script())
            .arg("start")
            .arg(dir)
            .output()
            .expect("running cluster.sh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "the Slurm cluster did not start:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let conf = stdout
            .lines()
            .find_map(|l| l.strip_prefix("export SLURM_CONF="))
            .expect("cluster.sh prints SLURM_CONF")
            .trim()
            .to_string();
        Cluster {
            dir: dir.to_path_buf(),
            conf,
        }
    }

    /// `sbatch --wait` of the scan script as an array of `indices`; the job's exit status.
    fn scan_array(&self, indices: &str, export: &Path, out: &Path) -> std::process::Output {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let vars = format!(
            "ALL,SHARDS=3,EXPORT={},OUT={},ARKIVAR={},SCAN_ARGS=--no-embed",
            export.display(),
            out.display(),
            env!("CARGO_BIN_EXE_arkivar")
        );
        Command::new("timeout")
            .arg("300")
            .arg("sbatch")
            .args(["--wait", "--cpus-per-task=1", "--mem=1G"])
            .arg(format!("--array={indices}"))
            .arg(format!("--export={vars}"))
            .arg(format!("--chdir={}", self.dir.display()))
            .arg(format!("--output={}/task-%a.out", self.dir.display()))
            .arg(repo.join("deploy/slurm/scan.sbatch"))
            .env("SLURM_CONF", &self.conf)
            .output()
            .expect("running sbatch")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.dir)
            .status();
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/slurm/cluster.sh")
}

fn verify(out: &Path) -> (bool, String) {
    let v = Command::new(env!("CARGO_BIN_EXE_arkivar"))
        .arg("verify")
        .arg(out)
        .output()
        .expect("running arkivar verify");
    (
        v.status.success(),
        String::from_utf8_lossy(&v.stdout).into_owned(),
    )
}

#[test]
fn a_slurm_job_array_scans_the_shards_and_verify_finds_the_table_whole() {
    let daemons =
        Path::new("/usr/sbin/slurmctld").exists() && Path::new("/usr/sbin/munged").exists();
    if !common::require(
        "slurmctld and munged (Debian slurm-wlm, munge)",
        daemons,
        INSTALL,
    ) || !common::tool("sbatch", INSTALL)
    {
        return;
    }
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !common::require("root (slurmd starts jobs as their user)", root, INSTALL) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export");
    arkivar::synth::generate(&export, 60, 21).unwrap();
    let out = dir.path().join("out");
    let state = dir.path().join("slurm");
    fs::create_dir_all(&state).unwrap();
    let cluster = Cluster::start(&state);

    let job = cluster.scan_array("0-2", &export, &out);
    let logs = || {
        (0..3)
            .map(|k| fs::read_to_string(state.join(format!("task-{k}.out"))).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n---\n")
    };
    assert!(
        job.status.success(),
        "the array failed: {}\n{}",
        String::from_utf8_lossy(&job.stderr),
        logs()
    );
    let task_logs = logs();
    for k in 0..3 {
        assert!(
            task_logs.contains(&format!("shard {k}/3")),
            "task {k} scanned its shard:\n{task_logs}"
        );
    }
    let (whole, report) = verify(&out);
    assert!(whole, "{report}");
    assert!(report.contains("3 of 3 shards finished"), "{report}");
    assert!(
        report.contains("the export has 60 documents, the parts 60 rows"),
        "{report}"
    );

    // A part of shard 1 is lost; resubmitting index 1 alone repairs it (the script resumes).
    let parts = arkivar::output::parquet::parts_named(&out, "part-shard-0001-of-0003").unwrap();
    fs::remove_file(&parts[0]).unwrap();
    assert!(!verify(&out).0);
    let rerun = cluster.scan_array("1", &export, &out);
    assert!(rerun.status.success(), "{}", logs());
    let (whole, report) = verify(&out);
    assert!(whole, "{report}");
}
