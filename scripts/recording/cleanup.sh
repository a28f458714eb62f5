# What a recording cleans up after itself, however it ends. Sourced (by namespaces.sh too).
# Sets work (a temporary directory; WORK_TEMPLATE, if set, is mktemp's template) and pids
# (an array of processes to stop; a string of them, `pids="$pids $!"`, works too). On exit
# the processes are stopped, the commands given to at_exit run (newest first: a server in a
# namespace stopped before the namespace goes), what still runs in each namespace named in
# NAMESPACES (set before sourcing, or added to later) is stopped and the namespace deleted,
# and the directory removed.
# shellcheck disable=SC2034  # work and pids are for the scripts that source this
work=$(mktemp -d ${WORK_TEMPLATE:+"$WORK_TEMPLATE"})
# One empty word rather than none, so that "$pids" is set under `set -u` for the scripts
# that keep a string; the loops below pass over it.
pids=("")
NAMESPACES=(${NAMESPACES[@]+"${NAMESPACES[@]}"})
exit_commands=()

# at_exit COMMAND: runs COMMAND (a line of shell) on exit, after the processes in pids are
# stopped and before the namespaces are deleted; its output and failure are ignored.
at_exit() { exit_commands=("$1" ${exit_commands[@]+"${exit_commands[@]}"}); }

cleanup() {
  local pid name command
  # Unquoted: pids may hold one string of several numbers.
  for pid in ${pids[@]+${pids[@]}}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+${pids[@]}}; do wait "$pid" 2>/dev/null || true; done
  for command in ${exit_commands[@]+"${exit_commands[@]}"}; do eval "$command" >/dev/null 2>&1 || true; done
  for name in ${NAMESPACES[@]+"${NAMESPACES[@]}"}; do
    ip netns pids "$name" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$name" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
