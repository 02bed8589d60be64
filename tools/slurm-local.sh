#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for testing `alprsim sweep --backend slurm`.
#
#   bash tools/slurm-local.sh start DIR   start munged, slurmctld and slurmd (as root), with all
#                                         config, state, sockets and logs under DIR; prints the
#                                         line to use it:  export SLURM_CONF=DIR/etc/slurm.conf
#   bash tools/slurm-local.sh stop DIR    stop the daemons started in DIR (by their pid files)
#
# Nothing outside DIR is touched: munged gets its own key and socket, the daemons their own
# ports (ALPRSIM_SLURM_PORT, default 16817 for slurmctld, +1 for slurmd), so a system Slurm or
# munge on the machine is left alone. Needs the Debian packages slurm-wlm and munge.
set -euo pipefail

die() { echo "slurm-local: $*" >&2; exit 1; }

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: bash tools/slurm-local.sh start|stop DIR"

stop_daemons() {
  local d="$1" name pid
  for name in slurmd slurmctld munged; do
    [ -f "$d/run/$name.pid" ] || continue
    pid="$(cat "$d/run/$name.pid" 2>/dev/null || true)"
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$d/run/$name.pid"
  done
}

case "$cmd" in
  stop)
    [ -d "$dir" ] || exit 0
    dir="$(cd "$dir" && pwd)"
    stop_daemons "$dir"
    echo "slurm-local: stopped ($dir)"
    exit 0 ;;
  start) ;;
  *) die "usage: bash tools/slurm-local.sh start|stop DIR" ;;
esac

[ "$(id -u)" -eq 0 ] || die "must run as root (slurmd runs jobs as their users)"
for bin in munged slurmctld slurmd sbatch squeue sinfo; do
  command -v "$bin" >/dev/null || die "$bin not found: install the Debian packages slurm-wlm and munge"
done

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
stop_daemons "$dir"  # a previous start in the same DIR
mkdir -p "$dir"/{etc,run,log,state,spool,munge}
chmod 700 "$dir/munge" "$dir/etc"

port="${ALPRSIM_SLURM_PORT:-16817}"
node="$(hostname -s)"
cpus="$(nproc)"
conf="$dir/etc/slurm.conf"

# munge: a fresh key and a private socket.
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/run/munge.socket" \
  --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed" \
  || die "munged did not start (see $dir/log/munged.log)"

cat > "$conf" <<CONF
# One-node test cluster written by tools/slurm-local.sh; everything lives under $dir.
ClusterName=alprsim-local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/run/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=300
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$conf"
slurmctld -f "$conf" || die "slurmctld did not start (see $dir/log/slurmctld.log)"
slurmd -f "$conf" -N "$node" || die "slurmd did not start (see $dir/log/slurmd.log)"

# Ready when the node is idle.
for _ in $(seq 1 150); do
  state="$(sinfo --noheader --nodes="$node" --format=%T 2>/dev/null || true)"
  case "$state" in idle*) echo "slurm-local: one-node cluster up ($node, $cpus CPUs)"; echo "export SLURM_CONF=$conf"; exit 0 ;; esac
  sleep 0.2
done
echo "slurm-local: the node did not become idle (state: ${state:-none}); logs:" >&2
tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
stop_daemons "$dir"
exit 1
