# Source me after 'sudo lab/up.sh':  . lab/env.sh   (honours LAB_PREFIX / LAB_STATE)
_lab_env="${LAB_STATE:-/run/${LAB_PREFIX:-abd}-lab}/env.sh"
if [[ -r $_lab_env ]]; then . "$_lab_env"; else echo "lab: $_lab_env not found; run 'sudo lab/up.sh' first" >&2; fi
unset _lab_env
