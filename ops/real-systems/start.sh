#!/usr/bin/env bash
# Installs (once), initialises (once) and starts a real Tryton 6.0 and a real Redmine 5 on loopback ports for
# Conduit's contract tests, then writes $CONDUIT_REAL_DIR/real-systems.properties. Idempotent: a second run
# reuses the data folder and only starts what is not running. Needs root (apt-get, runuser). See README.md.
#
#   CONDUIT_REAL_DIR   data folder              (default /var/tmp/conduit-real; delete it to reset)
#   TRYTON_PORT        Tryton JSON-RPC port     (default 8000)      TRYTON_DB  database name (default conduit)
#   REDMINE_PORT       Redmine HTTP port        (default 3000)
#   TRYTON_MODULES     modules to activate      (default below; dependencies are activated too)
#   CONDUIT_DEPARTMENTS  OA departments = Redmine projects (default: read from mappings/complaints/routing-table.yaml)
#   CONDUIT_REAL_SMOKE=0 skip the smoke test at the end
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib/common.sh"

TRYTON_MODULES=${TRYTON_MODULES:-party company product stock sale account account_invoice sale_complaint purchase_requisition analytic_account account_credit_limit product_price_list product_price_list_dates}
REPO_ROOT=$(cd "$HERE/../.." && pwd)
ROUTING_TABLE=$REPO_ROOT/mappings/complaints/routing-table.yaml
if [ -z "${CONDUIT_DEPARTMENTS:-}" ]; then
    CONDUIT_DEPARTMENTS=$(grep -hoE 'department: *[A-Za-z0-9_-]+' "$ROUTING_TABLE" 2>/dev/null \
        | sed 's/department: *//' | tr 'a-z' 'A-Z' | awk '!seen[$0]++' | xargs)
    CONDUIT_DEPARTMENTS=${CONDUIT_DEPARTMENTS:-COMPLAINTS-DESK LOGISTICS FINANCE QUALITY QUALITY-PUMPS}
fi
export CONDUIT_DEPARTMENTS

[ "$(id -u)" = 0 ] || { echo "start.sh must run as root (apt-get, runuser)" >&2; exit 1; }

T0=$(date +%s)
declare -A TIMING
phase_start() { PHASE_T0=$(date +%s.%N); }
phase_end() { TIMING[$1]=$(awk -v a="$PHASE_T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'); }

# ---------------------------------------------------------------------------------------------------------------
# 1. packages
# ---------------------------------------------------------------------------------------------------------------
tryton_packages() {
    echo tryton-server sqlite3 curl procps
    for m in $TRYTON_MODULES; do echo "tryton-modules-${m//_/-}"; done
}
REDMINE_PACKAGES="ruby ruby-bundler redmine redmine-sqlite thin"

installed() { # installed PKG...: all fully installed (configured)
    local p
    for p in "$@"; do
        [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || return 1
    done
}

# Bookworm's Bundler treats Debian-packaged gems whose full_gem_path folder does not exist as missing
# ("Could not find racc-1.6.2 in locally installed gems"), which fails redmine's post-install the first
# time on some machines. Creating those (empty) folders and configuring again fixes it.
fix_bundler_gem_dirs() {
    ruby -rfileutils -e 'Gem::Specification.each { |s|
        p = s.full_gem_path
        unless File.directory?(p) then FileUtils.mkdir_p(p); puts "created #{p}" end }' >&2 || true
}

# A Redmine purged earlier leaves ucf's record of /etc/redmine/default/database.yml behind; the next install then
# "does not replace the deleted config file" and its post-install fails with "Could not load database
# configuration". Forgetting that record lets dbconfig-common write the file again.
forget_stale_redmine_config() {
    if [ ! -e /etc/redmine/default/database.yml ] && command -v ucf >/dev/null \
            && grep -q ' /etc/redmine/default/database.yml$' /var/lib/ucf/hashfile 2>/dev/null; then
        log "forgetting ucf's record of a deleted /etc/redmine/default/database.yml"
        ucf --purge /etc/redmine/default/database.yml || true
        ucfr --purge redmine /etc/redmine/default/database.yml 2>/dev/null || true
    fi
}

install_packages() {
    # shellcheck disable=SC2046
    if installed $(tryton_packages) $REDMINE_PACKAGES; then
        log "packages already installed"
        return
    fi
    log "installing packages (apt-get update + install)"
    export DEBIAN_FRONTEND=noninteractive
    # Redmine's post-install creates its database through dbconfig-common: SQLite, English default data
    local preseed='redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/default-language select en'
    if ! debconf-set-selections <<<"$preseed" 2>/dev/null; then
        # after a purge of redmine, debconf keeps the dummy templates of an earlier preseed but not their
        # questions ("Cannot find a question for redmine/instances/default/..."): debconf's own repair tool
        # drops those templates, then the preseed goes through
        log "debconf refused the preseed; repairing its database with fix_db.pl"
        /usr/share/debconf/fix_db.pl >&2 || true
        debconf-set-selections <<<"$preseed"
    fi
    installed redmine || forget_stale_redmine_config
    apt-get update -q >"$CONDUIT_REAL_DIR/apt-update.log" 2>&1 || { tail -20 "$CONDUIT_REAL_DIR/apt-update.log" >&2; exit 1; }
    local alog=$CONDUIT_REAL_DIR/apt-install.log
    # shellcheck disable=SC2046
    if ! apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confdef \
            -o Dpkg::Options::=--force-confold $(tryton_packages) >"$alog" 2>&1; then
        tail -30 "$alog" >&2; exit 1
    fi
    if ! apt-get install -y -q --no-install-recommends $REDMINE_PACKAGES >>"$alog" 2>&1; then
        log "redmine's post-install failed (see $alog); applying the Bundler gem-folder fix and configuring again"
        fix_bundler_gem_dirs
        forget_stale_redmine_config
        dpkg --configure -a >>"$alog" 2>&1 || { tail -30 "$alog" >&2; exit 1; }
    fi
    # shellcheck disable=SC2046
    installed $(tryton_packages) $REDMINE_PACKAGES || { log "packages still not configured, see $alog"; exit 1; }
    # On a machine with systemd the packaged tryton-server service would hold port 8000 with its own config
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl disable --now tryton-server >/dev/null 2>&1 || true
    fi
}

# ---------------------------------------------------------------------------------------------------------------
# 2. initialise (once per data folder)
# ---------------------------------------------------------------------------------------------------------------
write_tryton_conf() {
    cat >"$TRYTON_CONF" <<EOF
# generated by ops/real-systems/start.sh
[database]
uri = sqlite://
path = $TRYTON_DIR/db
language = en

[web]
listen = $TRYTON_HOST:$TRYTON_PORT

[session]
# seconds a session stays valid without use (tests may hold one for a whole run)
timeout = 86400
EOF
}

init_tryton() {
    mkdir -p "$TRYTON_DIR/db"
    write_tryton_conf
    chown -R tryton:tryton "$TRYTON_DIR"
    local activate=$TRYTON_MODULES
    if [ -f "$TRYTON_DIR/.initialised" ]; then
        # $TRYTON_DIR/modules lists what was activated so far: only modules not in it are activated now (updating
        # every module again takes minutes; activating one takes seconds), and a shorter list (an older checkout's
        # start.sh) activates nothing and deactivates nothing
        local activated m
        activated=" $(cat "$TRYTON_DIR/modules" 2>/dev/null) "
        activate=
        for m in $TRYTON_MODULES; do
            case "$activated" in *" $m "*) ;; *) activate="$activate $m" ;; esac
        done
        activate=$(echo $activate)
        if [ -z "$activate" ]; then
            log "tryton: database '$TRYTON_DB' already initialised (modules: $(echo $activated))"
            return
        fi
        log "tryton: activating modules new to the database: $activate"
        stop_pid tryton "$TRYTON_PID"
    else
        log "tryton: creating database '$TRYTON_DB' and activating: $TRYTON_MODULES"
        rm -f "$TRYTON_DIR/db/$TRYTON_DB.sqlite"
        # SQLite backend: the database file must exist (empty) before trytond-admin initialises it
        runuser -u tryton -- touch "$TRYTON_DIR/db/$TRYTON_DB.sqlite"
    fi
    # the admin password is read from the file named by TRYTONPASSFILE (one line)
    printf '%s\n' "$TRYTON_ADMIN_PASSWORD" >"$TRYTON_DIR/admin-password"
    chown tryton:tryton "$TRYTON_DIR/admin-password"; chmod 600 "$TRYTON_DIR/admin-password"
    # shellcheck disable=SC2086
    if ! runuser -u tryton -- env TRYTONPASSFILE="$TRYTON_DIR/admin-password" \
            trytond-admin -c "$TRYTON_CONF" -d "$TRYTON_DB" -u $activate --activate-dependencies \
            --email admin@conduit.test >"$TRYTON_DIR/admin.log" 2>&1; then
        tail -30 "$TRYTON_DIR/admin.log" >&2; exit 1
    fi
    # what is activated now: the earlier list and the new modules (in the order first asked for)
    echo $(cat "$TRYTON_DIR/modules" 2>/dev/null) $activate | tr ' ' '\n' | awk 'NF && !seen[$0]++' | xargs >"$TRYTON_DIR/modules.new"
    mv "$TRYTON_DIR/modules.new" "$TRYTON_DIR/modules"
    touch "$TRYTON_DIR/.initialised"
}

redmine_cmd() { # run a command as www-data in Redmine's folder with its environment
    (cd "$REDMINE_HOME" && runuser -u www-data -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/var/www LANG=C.UTF-8 \
        RAILS_ENV=production REDMINE_INSTANCE=default DATABASE_URL="sqlite3:$REDMINE_DB" \
        SCHEMA="$REDMINE_DIR/schema.rb" CONDUIT_DEPARTMENTS="$CONDUIT_DEPARTMENTS" \
        REDMINE_ADMIN_PASSWORD="$REDMINE_ADMIN_PASSWORD" "$@")
}

init_redmine() {
    mkdir -p "$REDMINE_DIR"
    chown www-data:www-data "$REDMINE_DIR"
    if [ -f "$REDMINE_DIR/.initialised" ]; then
        log "redmine: database already initialised"
        return
    fi
    log "redmine: creating database $REDMINE_DB"
    rm -f "$REDMINE_DB"
    # The package's own instance keeps its database under /var/lib/dbconfig-common; this one lives in the data
    # folder (DATABASE_URL overrides database.yml) so that deleting the folder resets Redmine too.
    # Two rake runs: in one process load_default_data sees the models as they were before migrating.
    redmine_cmd bundle exec rake db:migrate >"$REDMINE_DIR/init.log" 2>&1 \
        || { tail -30 "$REDMINE_DIR/init.log" >&2; exit 1; }
    redmine_cmd bundle exec rake redmine:load_default_data REDMINE_LANG=en >>"$REDMINE_DIR/init.log" 2>&1 || true
    grep -q "Default configuration data loaded" "$REDMINE_DIR/init.log" \
        || { tail -30 "$REDMINE_DIR/init.log" >&2; exit 1; }
    rm -f "$REDMINE_DIR/setup.properties"
    touch "$REDMINE_DIR/.initialised"
}

# ---------------------------------------------------------------------------------------------------------------
# 3. start and wait
# ---------------------------------------------------------------------------------------------------------------
wait_for() { # wait_for NAME CHECK SECONDS LOG
    local i
    for i in $(seq 1 $(($3 * 2))); do
        if $2; then log "$1: answering on its port"; return 0; fi
        sleep 0.5
    done
    log "$1: no answer after $3 s; last lines of $4:"; tail -20 "$4" >&2; exit 1
}

start_tryton() {
    if pid_alive "$TRYTON_PID" && tryton_up; then
        if ! cwd_deleted "$TRYTON_PID"; then log "tryton: already running (pid $(cat "$TRYTON_PID"))"; return; fi
        log "tryton: running in a folder deleted since (an earlier checkout): restarting it"
    fi
    stop_pid tryton "$TRYTON_PID"
    if port_open "$TRYTON_PORT"; then log "tryton: port $TRYTON_PORT is taken by another process"; exit 1; fi
    log "tryton: starting on $TRYTON_HOST:$TRYTON_PORT"
    # setsid: own session, so the server outlives this script and its terminal; in its data folder, not in the
    # caller's: a checkout deleted later would leave it without a working directory (invoice reports then fail)
    ( cd "$TRYTON_DIR" && exec setsid runuser -u tryton -- trytond -c "$TRYTON_CONF" </dev/null >>"$TRYTON_LOG" 2>&1 ) 9>&- &
    echo $! >"$TRYTON_PID"
}

start_redmine() {
    if pid_alive "$REDMINE_PID" && redmine_up; then log "redmine: already running (pid $(cat "$REDMINE_PID"))"; return; fi
    stop_pid redmine "$REDMINE_PID"
    if port_open "$REDMINE_PORT"; then log "redmine: port $REDMINE_PORT is taken by another process"; exit 1; fi
    log "redmine: starting on $REDMINE_HOST:$REDMINE_PORT"
    # thin directly, not `rails server`: that one insists on creating tmp/ inside /usr/share/redmine
    ( cd "$REDMINE_HOME" && exec setsid runuser -u www-data -- env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/var/www LANG=C.UTF-8 RAILS_ENV=production REDMINE_INSTANCE=default \
        DATABASE_URL="sqlite3:$REDMINE_DB" \
        bundle exec thin start -e production -a "$REDMINE_HOST" -p "$REDMINE_PORT" -R config.ru \
        </dev/null >>"$REDMINE_LOG" 2>&1 ) 9>&- &
    echo $! >"$REDMINE_PID"
}

# ---------------------------------------------------------------------------------------------------------------
# 4. data the tests need (find-or-create) and the properties file
# ---------------------------------------------------------------------------------------------------------------
setup_tryton() {
    "$PY" "$HERE/lib/tryton_rpc.py" setup "$TRYTON_URL" admin "$TRYTON_ADMIN_PASSWORD" \
        >"$TRYTON_DIR/setup.properties.new" 2>"$TRYTON_DIR/setup.log" \
        || { cat "$TRYTON_DIR/setup.log" >&2; exit 1; }
    mv "$TRYTON_DIR/setup.properties.new" "$TRYTON_DIR/setup.properties"
}

redmine_key_works() {
    local key
    key=$(sed -n 's/^redmine.api-key=//p' "$REDMINE_DIR/setup.properties" 2>/dev/null)
    [ -n "$key" ] && curl -sf -m 10 -o /dev/null -H "X-Redmine-API-Key: $key" "$REDMINE_URL/users/current.json"
}

setup_redmine() {
    # done again when the departments or the set-up script changed (it is find-or-create: a repeat changes nothing)
    local wanted
    wanted="$CONDUIT_DEPARTMENTS $(sha256sum "$HERE/lib/redmine_setup.rb" | cut -c1-16)"
    if [ -s "$REDMINE_DIR/setup.properties" ] && [ "$(cat "$REDMINE_DIR/departments" 2>/dev/null)" = "$wanted" ] \
            && redmine_key_works; then
        log "redmine: set-up already done"
        return
    fi
    log "redmine: set-up (REST API, admin API key, projects: $CONDUIT_DEPARTMENTS)"
    cp "$HERE/lib/redmine_setup.rb" "$REDMINE_DIR/setup.rb"
    redmine_cmd bundle exec rails runner "$REDMINE_DIR/setup.rb" >"$REDMINE_DIR/setup.log" 2>&1 \
        || { tail -30 "$REDMINE_DIR/setup.log" >&2; exit 1; }
    sed -n 's/^PROP //p' "$REDMINE_DIR/setup.log" >"$REDMINE_DIR/setup.properties"
    echo "$wanted" >"$REDMINE_DIR/departments"
    # settings are cached by the running server for a while; check that the key is accepted now
    for _ in $(seq 1 20); do redmine_key_works && return; sleep 1; done
    log "redmine: the API key is not accepted after set-up"; exit 1
}

write_properties() {
    local tmp=$PROPERTIES.new
    {
        echo "# Real systems for Conduit's contract tests, written by ops/real-systems/start.sh on $(date -Is)"
        echo "# Data folder: $CONDUIT_REAL_DIR (delete it to reset). Loopback only; throw-away credentials."
        echo "tryton.url=$TRYTON_URL"
        echo "tryton.host=$TRYTON_HOST"
        echo "tryton.port=$TRYTON_PORT"
        echo "tryton.database=$TRYTON_DB"
        echo "tryton.user=admin"
        echo "tryton.password=$TRYTON_ADMIN_PASSWORD"
        echo "tryton.modules=$(echo "$TRYTON_MODULES" | tr ' ' ',')"
        sort "$TRYTON_DIR/setup.properties"
        echo "redmine.url=$REDMINE_URL"
        echo "redmine.host=$REDMINE_HOST"
        echo "redmine.port=$REDMINE_PORT"
        echo "redmine.admin-password=$REDMINE_ADMIN_PASSWORD"
        cat "$REDMINE_DIR/setup.properties"
    } >"$tmp"
    chmod 644 "$tmp"
    mv "$tmp" "$PROPERTIES"
}

# ---------------------------------------------------------------------------------------------------------------
mkdir -p "$CONDUIT_REAL_DIR"
chmod 755 "$CONDUIT_REAL_DIR"
# one start.sh at a time per data folder (the servers are started with fd 9 closed, so they do not hold it)
exec 9>"$CONDUIT_REAL_DIR/.start.lock"
flock 9
cat >"$CONDUIT_REAL_DIR/ports.env" <<EOF
TRYTON_PORT=\${TRYTON_PORT:-$TRYTON_PORT}
REDMINE_PORT=\${REDMINE_PORT:-$REDMINE_PORT}
TRYTON_DB=\${TRYTON_DB:-$TRYTON_DB}
EOF

phase_start; install_packages; phase_end install

phase_start
# the two initialisations are independent: run Tryton's in the background (one core each)
init_tryton_bg_log=$CONDUIT_REAL_DIR/init-tryton.out
( init_tryton ) >"$init_tryton_bg_log" 2>&1 &
tryton_init_pid=$!
init_redmine
if ! wait "$tryton_init_pid"; then cat "$init_tryton_bg_log" >&2; exit 1; fi
cat "$init_tryton_bg_log" >&2
phase_end init

phase_start
start_tryton
start_redmine
wait_for tryton tryton_up 120 "$TRYTON_LOG"
wait_for redmine redmine_up 180 "$REDMINE_LOG"
phase_end start

phase_start
setup_tryton
setup_redmine
write_properties
phase_end setup
log "properties: $PROPERTIES"

if [ "${CONDUIT_REAL_SMOKE:-1}" != 0 ]; then
    phase_start; "$HERE/smoke.sh" >&2; phase_end smoke
fi

TOTAL=$(( $(date +%s) - T0 ))
summary="install ${TIMING[install]}s, init ${TIMING[init]}s, start ${TIMING[start]}s, setup ${TIMING[setup]}s"
[ -n "${TIMING[smoke]:-}" ] && summary="$summary, smoke ${TIMING[smoke]}s"
log "timings: $summary; total ${TOTAL}s"
echo "$(date -Is) $summary; total ${TOTAL}s" >>"$CONDUIT_REAL_DIR/timings.log"
echo "$PROPERTIES"
