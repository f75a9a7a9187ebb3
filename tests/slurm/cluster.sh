#!/usr/bin/env bash
# Throwaway single-node Slurm cluster for integration tests.
#
# Usage:
#   tests/slurm/cluster.sh start DIR   # start munged, slurmctld, slurmd under DIR
#   tests/slurm/cluster.sh stop  DIR   # stop them again (idempotent)
#
# DIR should be an empty, caller-owned temporary directory.  Everything the
# cluster needs (munge key/socket, slurm.conf, state, spool, logs, pid files)
# lives inside it; nothing under /etc, /run or /var is read or written.
#
# Clients (sbatch, squeue, sinfo, scontrol, ...) must be run with
#   SLURM_CONF=DIR/slurm.conf
# in their environment.  slurm.conf carries AuthInfo=socket=DIR/munge.sock, so
# the auth/munge plugin in the clients finds our private munged as well.
#
# Requirements: Debian/Ubuntu packages `slurm-wlm` and `munge`; must run as
# root (SlurmUser=root, and munged/slurmd need it).  No systemd is needed.
#
# Tunables (environment):
#   SLURM_TEST_CTLD_PORT    slurmctld port (default: first free of 16817, 16827, ...)
#   SLURM_TEST_SLURMD_PORT  slurmd port    (default: slurmctld port + 1)
#   SLURM_TEST_TIMEOUT      seconds to wait for the node to become idle (60)

set -euo pipefail

# The daemons live in /usr/sbin, which is not always on a non-login PATH.
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"

CTLD_PORT="${SLURM_TEST_CTLD_PORT:-}"
SLURMD_PORT="${SLURM_TEST_SLURMD_PORT:-}"
TIMEOUT="${SLURM_TEST_TIMEOUT:-60}"

log() { echo "cluster.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
    echo "usage: $0 {start|stop} DIR" >&2
    exit 2
}

# Print the tail of every log file under DIR (used when something fails).
dump_logs() {
    local f
    for f in "$DIR"/munged.log "$DIR"/slurmctld.log "$DIR"/slurmd.log; do
        if [[ -f "$f" ]]; then
            echo "----- tail -n 40 $f -----" >&2
            tail -n 40 "$f" >&2 || true
        fi
    done
}

# proc_is PID NAME: true if PID is a live (non-zombie) process called NAME.
# The name check guards against pid reuse, so we never signal a stranger.
proc_is() {
    local pid="$1" name="$2" comm state
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
    [[ "$comm" == "$name" ]] || return 1
    # A zombie (exited, not yet reaped by init) counts as gone.
    state="$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" || return 1
    [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# pid_alive PIDFILE NAME: print the pid and succeed if PIDFILE names a live
# process called NAME.
pid_alive() {
    local pidfile="$1" name="$2" pid
    # (the daemon may delete its pid file between any test and the read)
    pid="$({ tr -dc '0-9' <"$pidfile"; } 2>/dev/null)" || return 1
    proc_is "$pid" "$name" || return 1
    echo "$pid"
}

# our_pids NAME ARG: pids of live processes called NAME that have ARG as one
# of their command-line arguments.  Fallback for daemons that already removed
# their pid file but are still shutting down (ARG contains DIR, so these are
# necessarily ours).
our_pids() {
    local name="$1" arg="$2" f pid a argv
    for f in /proc/[0-9]*/cmdline; do
        pid="${f#/proc/}"
        pid="${pid%/cmdline}"
        proc_is "$pid" "$name" || continue
        { mapfile -d '' -t argv <"$f"; } 2>/dev/null || continue
        for a in "${argv[@]}"; do
            if [[ "$a" == "$arg" ]]; then
                echo "$pid"
                break
            fi
        done
    done
}

# stop_daemon NAME PIDFILE ARG: SIGTERM the daemon, wait up to 30 s for it
# to exit, then SIGKILL.  No-op if it is not running.
stop_daemon() {
    local name="$1" pidfile="$2" arg="$3" pids pid i alive
    pids="$(pid_alive "$pidfile" "$name" || true)"
    [[ -n "$pids" ]] || pids="$(our_pids "$name" "$arg")"
    rm -f "$pidfile"
    [[ -n "$pids" ]] || return 0
    pids="$(echo $pids)"  # one line
    log "stopping $name (pid $pids)"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for ((i = 0; i < 400; i++)); do
        alive=""
        for pid in $pids; do
            proc_is "$pid" "$name" && alive+=" $pid"
        done
        [[ -n "$alive" ]] || return 0
        if ((i == 300)); then
            log "$name (pid$alive) still running after 30 s; sending SIGKILL"
            # shellcheck disable=SC2086
            kill -KILL $alive 2>/dev/null || true
        fi
        sleep 0.1
    done
    log "WARNING: $name (pid$alive) did not exit"
    return 1
}

# fail MSG: used during start -- show logs, tear down what was started, exit 1.
fail() {
    log "ERROR: $*"
    dump_logs
    cmd_stop
    exit 1
}

# port_busy PORT [any]: true if a TCP socket is listening on PORT (on any
# address).  With "any", sockets in other states (e.g. TIME_WAIT left behind
# by a previous cluster) count as well.
port_busy() {
    local port="$1" any="${2:-}" f tables=()
    for f in /proc/net/tcp /proc/net/tcp6; do
        [[ -r "$f" ]] && tables+=("$f")
    done
    if ((${#tables[@]})); then
        awk -v p="$(printf '%04X' "$port")" -v any="$any" '
            FNR > 1 { n = split($2, a, ":"); if (a[n] == p && (any != "" || $4 == "0A")) f = 1 }
            END { exit !f }' "${tables[@]}"
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

# Choose slurmctld/slurmd ports (unless given), avoiding ports already in use
# so that concurrent test clusters (or a real Slurm) do not cross-talk.
pick_ports() {
    local base
    if [[ -z "$CTLD_PORT" ]]; then
        for ((base = 16817; base < 17817; base += 10)); do
            if ! port_busy "$base" any && ! port_busy $((base + 1)) any; then
                CTLD_PORT=$base
                break
            fi
        done
        [[ -n "$CTLD_PORT" ]] || die "no free port pair found in 16817..17817"
    fi
    [[ -n "$SLURMD_PORT" ]] || SLURMD_PORT=$((CTLD_PORT + 1))
    ! port_busy "$CTLD_PORT" || die "slurmctld port $CTLD_PORT is already in use"
    ! port_busy "$SLURMD_PORT" || die "slurmd port $SLURMD_PORT is already in use"
}

cmd_stop() {
    [[ -d "$DIR" ]] || return 0
    # Reverse start order: compute node, controller, then munge.
    local rc=0
    stop_daemon slurmd "$DIR/slurmd.pid" "$DIR/slurm.conf" || rc=1
    stop_daemon slurmctld "$DIR/slurmctld.pid" "$DIR/slurm.conf" || rc=1
    stop_daemon munged "$DIR/munged.pid" "--pid-file=$DIR/munged.pid" || rc=1
    return "$rc"
}

write_munge_key() {
    local key="$DIR/munge.key"
    rm -f "$key"
    if command -v mungekey >/dev/null 2>&1; then
        mungekey --create --keyfile="$key" >/dev/null
    else
        dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
    fi
    chmod 0600 "$key"
}

start_munged() {
    # --force: run despite a stale socket / lax ownership of the temp dir's
    # ancestors.  All paths are explicit, so nothing under /etc or /run is used.
    munged \
        --force \
        --socket="$DIR/munge.sock" \
        --key-file="$DIR/munge.key" \
        --pid-file="$DIR/munged.pid" \
        --log-file="$DIR/munged.log" \
        --seed-file="$DIR/munged.seed" \
        || fail "munged failed to start"

    # Round-trip a credential to prove the socket works.
    local i
    for ((i = 0; i < 50; i++)); do
        if munge --socket="$DIR/munge.sock" -n 2>/dev/null \
            | unmunge --socket="$DIR/munge.sock" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    fail "munged is not answering on $DIR/munge.sock"
}

write_slurm_conf() {
    local host cpus mem_kb mem_mb
    host="$(hostname -s)"
    cpus="$(nproc)"
    mem_kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
    # Advertise ~90% of physical memory so slurmd never sees less than
    # configured (which would drain the node).
    mem_mb=$((mem_kb / 1024 * 9 / 10))
    ((mem_mb > 0)) || mem_mb=1

    mkdir -p "$DIR/state" "$DIR/spool"

    cat >"$DIR/slurm.conf" <<EOF
# Generated by tests/slurm/cluster.sh -- throwaway single-node cluster.
ClusterName=testcluster
SlurmctldHost=${host}(127.0.0.1)
SlurmctldPort=${CTLD_PORT}
SlurmdPort=${SLURMD_PORT}

SlurmUser=root
SlurmdUser=root

# Private munge daemon; AuthInfo is also read by the client commands.
AuthType=auth/munge
AuthInfo=socket=${DIR}/munge.sock
CredType=cred/munge

StateSaveLocation=${DIR}/state
SlurmdSpoolDir=${DIR}/spool
SlurmctldPidFile=${DIR}/slurmctld.pid
SlurmdPidFile=${DIR}/slurmd.pid
SlurmctldLogFile=${DIR}/slurmctld.log
SlurmdLogFile=${DIR}/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info

# No cgroups: works in containers / gVisor without a delegated cgroup tree.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
# The default (/bin/mail) usually does not exist in CI images.
MailProg=/bin/true

# No accounting / job completion logging.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none

SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU

# Bring the node back automatically and trust the configured resources.
ReturnToService=2
SlurmdParameters=config_overrides

# Keep finished jobs visible briefly and make things snappy.
MinJobAge=300
SlurmdTimeout=60
SlurmctldTimeout=60
InactiveLimit=0
KillWait=5
Waittime=0

NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem_mb} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
EOF
}

wait_for_idle() {
    local started=$SECONDS state=""
    while ((SECONDS - started < TIMEOUT)); do
        # Daemons fork before writing their pid file, so allow a short grace
        # period before treating a missing/dead daemon as fatal.
        if ((SECONDS - started >= 3)); then
            pid_alive "$DIR/slurmctld.pid" slurmctld >/dev/null \
                || fail "slurmctld exited during startup"
            pid_alive "$DIR/slurmd.pid" slurmd >/dev/null \
                || fail "slurmd exited during startup"
        fi
        state="$(sinfo -h -N -o '%T' 2>/dev/null | head -n1 || true)"
        [[ "$state" == idle ]] && return 0
        sleep 1
    done
    log "node did not become idle within ${TIMEOUT}s (last state: '${state:-none}')"
    sinfo -N -l >&2 || true
    scontrol show node >&2 || true
    fail "cluster did not come up"
}

cmd_start() {
    [[ $EUID -eq 0 ]] || die "must run as root"
    local b
    for b in munged munge unmunge slurmctld slurmd sinfo; do
        command -v "$b" >/dev/null 2>&1 || die "'$b' not found (apt-get install -y slurm-wlm munge)"
    done
    # munged wants the socket's directory to be searchable by everyone
    # (otherwise it warns and non-root clients cannot connect).
    mkdir -p "$DIR"
    chmod 0755 "$DIR"
    pick_ports

    write_munge_key
    start_munged
    write_slurm_conf
    export SLURM_CONF="$DIR/slurm.conf"

    # -c: start from clean state (StateSaveLocation is fresh anyway).
    slurmctld -f "$SLURM_CONF" -c || fail "slurmctld failed to start"
    slurmd -f "$SLURM_CONF" || fail "slurmd failed to start"
    wait_for_idle

    log "cluster is up (slurmctld port $CTLD_PORT, slurmd port $SLURMD_PORT):"
    sinfo >&2
    echo "export SLURM_CONF=$SLURM_CONF"
}

[[ $# -eq 2 && ("$1" == start || "$1" == stop) && -n "$2" ]] || usage
ACTION="$1"
DIR="$2"
# slurm.conf has no quoting, so the path must not contain whitespace.
[[ "$DIR" != *[[:space:]]* ]] || die "DIR must not contain whitespace: '$DIR'"
# stop on a missing directory is a no-op (e.g. start never ran).
if [[ "$ACTION" == stop && ! -d "$DIR" ]]; then
    exit 0
fi
# Absolute path: it is baked into slurm.conf and handed to the daemons.
DIR="$(mkdir -p "$DIR" && cd -P "$DIR" && pwd)"

case "$ACTION" in
    start) cmd_start ;;
    stop) cmd_stop ;;
esac
