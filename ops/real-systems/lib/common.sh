# Shared settings for start.sh, stop.sh, status.sh and smoke.sh (sourced, not run).
# Every value can be overridden from the environment.
CONDUIT_REAL_DIR=${CONDUIT_REAL_DIR:-/var/tmp/conduit-real}
# the ports and database of the last start.sh in this folder, so that status.sh and smoke.sh need no variables
# shellcheck disable=SC1091
[ -f "$CONDUIT_REAL_DIR/ports.env" ] && . "$CONDUIT_REAL_DIR/ports.env"
TRYTON_HOST=127.0.0.1
TRYTON_PORT=${TRYTON_PORT:-8000}
TRYTON_DB=${TRYTON_DB:-conduit}
TRYTON_ADMIN_PASSWORD=${TRYTON_ADMIN_PASSWORD:-conduit-admin}
REDMINE_HOST=127.0.0.1
REDMINE_PORT=${REDMINE_PORT:-3000}
REDMINE_ADMIN_PASSWORD=${REDMINE_ADMIN_PASSWORD:-conduit-admin}

TRYTON_DIR=$CONDUIT_REAL_DIR/tryton
REDMINE_DIR=$CONDUIT_REAL_DIR/redmine
TRYTON_CONF=$TRYTON_DIR/trytond.conf
TRYTON_PID=$TRYTON_DIR/trytond.pid
TRYTON_LOG=$TRYTON_DIR/trytond.log
REDMINE_PID=$REDMINE_DIR/server.pid
REDMINE_LOG=$REDMINE_DIR/server.log
REDMINE_DB=$REDMINE_DIR/redmine.sqlite3
REDMINE_HOME=/usr/share/redmine
PROPERTIES=$CONDUIT_REAL_DIR/real-systems.properties
TRYTON_URL="http://$TRYTON_HOST:$TRYTON_PORT/$TRYTON_DB/"
REDMINE_URL="http://$REDMINE_HOST:$REDMINE_PORT"

# The helpers only use the standard library; prefer Debian's interpreter over any pyenv shim.
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi

log() { printf '[real-systems %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# pid_alive FILE: the pid in FILE names a running process (a zombie left for an init that does not reap
# counts as gone)
pid_alive() {
    local state
    [ -s "$1" ] || return 1
    state=$(ps -o stat= -p "$(cat "$1")" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "${state#Z}" = "$state" ]
}

# port_open PORT: something listens on 127.0.0.1:PORT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# the process in PIDFILE runs in a folder that was deleted since it started (it was started from a checkout that is
# gone): a server that resolves relative paths against it fails (Tryton's report templates: "[Errno 2] No such file
# or directory" from os.getcwd)
cwd_deleted() {
    local p
    [ -s "$1" ] || return 1
    # the pid leads its own process group (setsid); the server itself may be a child (runuser forks it)
    for p in $(ps -o pid= -g "$(cat "$1")" 2>/dev/null); do
        case "$(readlink "/proc/$p/cwd" 2>/dev/null)" in *" (deleted)") return 0 ;; esac
    done
    return 1
}

stop_pid() { # stop_pid NAME PIDFILE
    if pid_alive "$2"; then
        log "$1: stopping pid $(cat "$2")"
        # the server was started with setsid: its pid leads its own process group
        kill -TERM -- "-$(cat "$2")" 2>/dev/null || kill "$(cat "$2")" 2>/dev/null || true
        for _ in $(seq 1 50); do pid_alive "$2" || break; sleep 0.2; done
        if pid_alive "$2"; then
            log "$1: still running after 10 s, killing pid $(cat "$2")"
            kill -KILL -- "-$(cat "$2")" 2>/dev/null || kill -KILL "$(cat "$2")" 2>/dev/null || true
        fi
    fi
    rm -f "$2"
}

tryton_up() {
    curl -sf -m 5 -H 'Content-Type: application/json' \
        -d '{"id":0,"method":"common.server.version","params":[]}' "http://$TRYTON_HOST:$TRYTON_PORT/" >/dev/null
}
redmine_up() { curl -sf -m 5 -o /dev/null "$REDMINE_URL/"; }
