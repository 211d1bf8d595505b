#!/usr/bin/env bash
# A one-node SLURM cluster on this machine, for the SLURM executor's tests and for trying
# `modelbench run --executor slurm` without a cluster: Debian's slurm-wlm (slurmctld + slurmd) and
# munge, installed with apt-get when missing (root). Everything it writes lives in one folder,
# $MODELBENCH_SLURM_DIR (default /tmp/modelbench-slurm): a fresh munge key, slurm.conf for this host's
# CPUs and memory (slurmd -C), state, spool, logs and pid files. Nothing under /etc is touched, so
# clients need SLURM_CONF; `start` prints the export line. No cgroup plugins (proctrack/linuxproc,
# task/none), so it works in a container; no accounting daemon (sacct is not available).
#
# Usage: scripts/slurm-local.sh start   starts munged, slurmctld and slurmd as root, waits until
#                                        sinfo shows the node idle; prints "export SLURM_CONF=..."
#        scripts/slurm-local.sh stop    stops the daemons it started (by their pid files)
#        scripts/slurm-local.sh env     prints the export line
# Exit codes: 0 ok; 3 cannot start here (prints one "skipped: ..." line: not root, no apt-get);
# 1 it should have started but did not (the daemon logs' tails are printed).
set -uo pipefail
dir="${MODELBENCH_SLURM_DIR:-/tmp/modelbench-slurm}"
conf="$dir/slurm.conf"
host="$(hostname -s)"

skip() { echo "skipped: SLURM one-node cluster: $*"; exit 3; }

stop() {
  local name pid
  for name in slurmd slurmctld munged; do
    [ -f "$dir/$name.pid" ] || continue
    pid="$(cat "$dir/$name.pid" 2>/dev/null)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$dir/$name.pid"
  done
}

install() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null \
    && command -v munged >/dev/null && return 0
  [ "$(id -u)" -eq 0 ] || skip "slurm-wlm or munge is missing and installing them needs root"
  command -v apt-get >/dev/null || skip "slurm-wlm or munge is missing and there is no apt-get"
  echo "installing slurm-wlm munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || echo "warning: apt-get update failed; trying the package lists present" >&2
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1 \
    || skip "apt-get install slurm-wlm munge failed"
  # the packages' own services, if they started any, are not ours: this cluster has its own config
  command -v slurmctld >/dev/null || skip "slurmctld still missing after apt-get install"
}

failed() {
  echo "error: SLURM one-node cluster did not start: $*" >&2
  for log in "$dir"/log/*.log; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }; done
  stop
  exit 1
}

start() {
  [ "$(id -u)" -eq 0 ] || skip "slurmctld and slurmd run as root here, and this is not root"
  install
  stop
  rm -rf "$dir/state" "$dir/spool" "$dir/log"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 0755 "$dir" "$dir/munge"
  # a fresh key for this cluster only
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 0400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed" \
    || failed "munged"
  # this host as slurmd sees it: CPUs, sockets, cores, threads, memory
  node="$(slurmd -C 2>/dev/null | head -n 1)"
  case "$node" in NodeName=*) ;; *) failed "slurmd -C printed '$node'" ;; esac
  node="${node#NodeName=* }"
  cat > "$conf" <<CONF
# Written by scripts/slurm-local.sh: a one-node cluster on $host (no cgroups, no accounting).
ClusterName=modelbench-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=${MODELBENCH_SLURMCTLD_PORT:-6817}
SlurmdPort=${MODELBENCH_SLURMD_PORT:-6818}
ReturnToService=2
MaxArraySize=100001
KillWait=10
NodeName=$host NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$conf"
  slurmctld -c -f "$conf" || failed "slurmctld"
  slurmd -f "$conf" || failed "slurmd"
  for _ in $(seq 1 60); do
    state="$(sinfo --noheader --Node --format=%t 2>/dev/null | head -n 1)"
    case "$state" in
      idle) echo "SLURM one-node cluster up: node $host ($node), config $conf"
            echo "export SLURM_CONF=$conf"; return 0 ;;
      down*|drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 ;;
    esac
    sleep 1
  done
  failed "the node is '${state:-unknown}' after 60 s, not idle"
}

case "${1:-}" in
  start) start ;;
  stop) stop; echo "SLURM one-node cluster stopped" ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
