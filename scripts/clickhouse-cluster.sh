#!/usr/bin/env bash
# A local ClickHouse cluster for development, tests and benchmarks: N clickhouse-server processes
# on 127.0.0.1, each with its own ports and data folder, sharing one `remote_servers` config that
# names two clusters:
#   hdh         N shards, one replica each (node 0 … node N-1)
#   hdh_single  1 shard (node 0 only), for the 1-shard vs N-shard benchmark
# No ZooKeeper/Keeper: no replication and no `ON CLUSTER` DDL (the engine runs DDL on each node).
#
#   scripts/clickhouse-cluster.sh start  [--shards N] [--dir D] [--base-port P] [--node I]
#   scripts/clickhouse-cluster.sh stop   [--dir D] [--node I] [--kill]   (--kill: SIGKILL, a crash)
#   scripts/clickhouse-cluster.sh status [--dir D]
#   scripts/clickhouse-cluster.sh url    [--dir D]     prints the node URLs, comma-separated
#
# Ports of node I: HTTP P+10·I, native TCP P+10·I+1, interserver P+10·I+2 (default P=18123).
# Idempotent: `start` starts only the nodes that are not running and waits until every node
# answers /ping; `stop` stops the running ones. The layout (shards, ports) is kept in D/cluster.env
# at the first start; `start --node I` restarts one stopped node (fault tests).
# As root the servers run as the `clickhouse` user (created by Debian's package).
# The local user is `hdh` with password `hdh` (HDH_CLICKHOUSE_PASSWORD overrides it at first start).
set -euo pipefail

cmd=${1:-}
[ -n "$cmd" ] && shift || true
shards=2
dir=${TMPDIR:-/tmp}/hdh-clickhouse
base=18123
node=''
signal=TERM
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --base-port) base=$2; shift 2 ;;
    --node) node=$2; shift 2 ;;
    --kill) signal=KILL; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$shards$base$node" in *[!0-9]*) echo "--shards, --base-port and --node take numbers" >&2; exit 2 ;; esac
[ "$shards" -ge 1 ] || { echo "--shards must be at least 1" >&2; exit 2; }

server=$(command -v clickhouse-server || true)
[ -n "$server" ] || server=/usr/bin/clickhouse-server
run_as=()
owner=''
if [ "$(id -u)" = 0 ]; then
  id clickhouse >/dev/null 2>&1 || { echo "run as root: the 'clickhouse' user is missing (apt-get install clickhouse-server creates it)" >&2; exit 1; }
  run_as=(runuser -u clickhouse --)
  owner=clickhouse
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/cluster.env" ]; then
  # shellcheck disable=SC1091
  . "$dir/cluster.env"
fi
http_port() { echo $((base + 10 * $1)); }
tcp_port() { echo $((base + 10 * $1 + 1)); }
pid_of() { local f="$dir/node$1/server.pid"; [ -s "$f" ] && cat "$f" || true; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
ready() { [ "$(curl -s --max-time 2 "http://127.0.0.1:$(http_port "$1")/ping" 2>/dev/null)" = "Ok." ]; }
nodes() { if [ -n "$node" ]; then echo "$node"; else seq 0 $((shards - 1)); fi; }
urls() { local out=''; for i in $(seq 0 $((shards - 1))); do out+="${out:+,}http://127.0.0.1:$(http_port "$i")"; done; echo "$out"; }

write_config() {
  local password=${HDH_CLICKHOUSE_PASSWORD:-hdh}
  local replicas='' i
  for i in $(seq 0 $((shards - 1))); do
    replicas+="      <shard><replica><host>127.0.0.1</host><port>$(tcp_port "$i")</port><user>hdh</user><password>$password</password></replica></shard>
"
  done
  cat >"$dir/cluster.env" <<EOF
shards=$shards
base=$base
EOF
  cat >"$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
      <load_balancing>in_order</load_balancing>
      <!-- A shard down must fail the query, never return partial results. -->
      <skip_unavailable_shards>0</skip_unavailable_shards>
      <connect_timeout_with_failover_ms>500</connect_timeout_with_failover_ms>
    </default>
  </profiles>
  <users>
    <!-- Needed by the server itself; reachable from this machine only, and given no use by the hub. -->
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    <hdh>
      <password>$password</password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </hdh>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
  for i in $(seq 0 $((shards - 1))); do
    local d="$dir/node$i"
    mkdir -p "$d/data" "$d/tmp" "$d/user_files" "$d/log"
    cat >"$d/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$d/log/server.log</log>
    <errorlog>$d/log/error.log</errorlog>
    <size>50M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$(http_port "$i")</http_port>
  <tcp_port>$(tcp_port "$i")</tcp_port>
  <interserver_http_port>$((base + 10 * i + 2))</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>1024</max_connections>
  <keep_alive_timeout>10</keep_alive_timeout>
  <max_concurrent_queries>50</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <hdh>
$replicas    </hdh>
    <hdh_single>
      <shard><replica><host>127.0.0.1</host><port>$(tcp_port 0)</port><user>hdh</user><password>$password</password></replica></shard>
    </hdh_single>
  </remote_servers>
  <macros><shard>$((i + 1))</shard><replica>node$i</replica></macros>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
  <merge_tree><max_suspicious_broken_parts>5</max_suspicious_broken_parts></merge_tree>
</yandex>
EOF
  done
  [ -z "$owner" ] || chown -R "$owner" "$dir"
}

start() {
  if [ ! -f "$dir/cluster.env" ]; then write_config; fi
  local i
  for i in $(nodes); do
    [ "$i" -lt "$shards" ] || { echo "node $i: the cluster has $shards node(s)" >&2; exit 2; }
    if alive "$i"; then continue; fi
    rm -f "$dir/node$i/server.pid"
    [ -z "$owner" ] || chown -R "$owner" "$dir/node$i"
    (cd "$dir/node$i" && "${run_as[@]}" "$server" --daemon --config-file="$dir/node$i/config.xml" --pid-file="$dir/node$i/server.pid" >>"$dir/node$i/log/launch.log" 2>&1)
  done
  for i in $(nodes); do
    local waited=0
    until ready "$i"; do
      # A daemon that wrote its pid file and died will not answer: fail fast.
      if [ $waited -ge 600 ] || { [ $waited -ge 20 ] && [ -s "$dir/node$i/server.pid" ] && ! alive "$i"; }; then
        echo "node $i did not answer on port $(http_port "$i") within 60 s; see $dir/node$i/log/" >&2
        tail -n 20 "$dir/node$i/log/error.log" "$dir/node$i/log/stderr.log" "$dir/node$i/log/launch.log" >&2 2>/dev/null || true
        exit 1
      fi
      sleep 0.1
      waited=$((waited + 1))
    done
  done
  status
}

stop() {
  # All nodes are signalled first, then waited for together (a graceful stop takes ~10 s each).
  local i p pids=()
  for i in $(nodes); do
    p=$(pid_of "$i")
    [ -n "$p" ] && kill -0 "$p" 2>/dev/null || continue
    kill "-$signal" "$p"
    pids+=("$i:$p")
  done
  for entry in "${pids[@]}"; do
    i=${entry%%:*}; p=${entry#*:}
    for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then kill -9 "$p"; fi
    rm -f "$dir/node$i/server.pid"
  done
}

status() {
  if [ ! -f "$dir/cluster.env" ]; then echo "no cluster in $dir"; return 1; fi
  local i all=0
  for i in $(seq 0 $((shards - 1))); do
    if ready "$i"; then echo "node $i (shard $((i + 1))): up, http://127.0.0.1:$(http_port "$i"), pid $(pid_of "$i")"
    else echo "node $i (shard $((i + 1))): down"; all=1; fi
  done
  echo "clusters: hdh ($shards shard(s)), hdh_single (node 0); data in $dir"
  echo "HDH_CLICKHOUSE_URL=$(urls)"
  return $all
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) urls ;;
  *) echo "usage: $0 start|stop|status|url [--shards N] [--dir D] [--base-port P] [--node I] [--kill]" >&2; exit 2 ;;
esac
