#!/usr/bin/env bash
# A standalone Spark cluster on loopback from the Maven jars, for modelbench run --executor spark:
#   scripts/spark-standalone.sh start    one master and two workers on 127.0.0.1 (free ports);
#                                        prints the master URL, e.g. spark://127.0.0.1:41234
#   scripts/spark-standalone.sh url      the running cluster's master URL
#   scripts/spark-standalone.sh stop     stops the workers' executors, the workers and the master
# Environment: SPARK_STANDALONE_DIR (state: pid files, logs, work folders; default
# executor-spark/target/spark-standalone), SPARK_WORKER_CORES (per worker, default 1),
# SPARK_WORKER_MEMORY (per worker, default 1g; an executor takes spark.executor.memory, default 1g).
# The jars are executor-spark/target/spark-classpath.txt (mvn -DskipTests package builds it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${SPARK_STANDALONE_DIR:-$root/executor-spark/target/spark-standalone}"
classpath_file="$root/executor-spark/target/spark-classpath.txt"
workers=2
# Spark 3.5's required JVM options (org.apache.spark.launcher.JavaModuleOptions), as in ./modelbench.
opens="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false"

die() { echo "spark-standalone: error: $*" >&2; exit 2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for_port() { # port seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

start() {
  [ -f "$classpath_file" ] || die "$classpath_file is missing; expected 'mvn -DskipTests package' (or -pl executor-spark -am) first"
  if alive "$state/master.pid"; then die "a cluster is already running from $state (stop it first)"; fi
  rm -rf "$state"
  mkdir -p "$state/home/jars" "$state/home/conf" "$state/logs" "$state/work"
  # SPARK_HOME/jars: the workers build their executors' class path from it.
  tr ':' '\n' < "$classpath_file" | while read -r jar; do
    [ -n "$jar" ] && ln -sf "$jar" "$state/home/jars/$(basename "$jar")"
  done
  cat > "$state/home/conf/log4j2.properties" <<'LOG'
rootLogger.level = info
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
logger.jetty.name = org.sparkproject.jetty
logger.jetty.level = warn
LOG
  export SPARK_HOME="$state/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1
  # The executors' OpenBLAS runs the core kernel it detects, as in the modelbench launcher (which drops
  # OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE; MODELBENCH_OPENBLAS_CORETYPE pins a core): executors inherit
  # the workers' environment, and a core pinned there (some shells set OPENBLAS_CORETYPE=Haswell) would
  # give the trials other bits than a local run or reproduce (trials record the kernel in provenance).
  unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
  if [ -n "${MODELBENCH_OPENBLAS_CORETYPE:-}" ]; then export OPENBLAS_CORETYPE="$MODELBENCH_OPENBLAS_CORETYPE"; fi
  local cp="$state/home/conf:$state/home/jars/*" port ui
  port="$(free_port)"; ui="$(free_port)"
  # shellcheck disable=SC2086
  nohup java -Xmx256m $opens -cp "$cp" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port "$ui" > "$state/logs/master.log" 2>&1 < /dev/null &
  echo $! > "$state/master.pid"
  wait_for_port "$port" 60 || { stop; die "the master did not listen on 127.0.0.1:$port (see $state/logs/master.log)"; }
  local url="spark://127.0.0.1:$port" i
  for ((i = 1; i <= workers; i++)); do
    # shellcheck disable=SC2086
    nohup java -Xmx256m $opens -cp "$cp" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --port "$(free_port)" --webui-port "$(free_port)" \
      --cores "${SPARK_WORKER_CORES:-1}" --memory "${SPARK_WORKER_MEMORY:-1g}" \
      --work-dir "$state/work/worker-$i" "$url" > "$state/logs/worker-$i.log" 2>&1 < /dev/null &
    echo $! > "$state/worker-$i.pid"
  done
  for ((i = 1; i <= workers; i++)); do
    local n
    for ((n = 0; n < 600; n++)); do
      grep -q "Successfully registered with master" "$state/logs/worker-$i.log" 2>/dev/null && break
      alive "$state/worker-$i.pid" || break
      sleep 0.1
    done
    grep -q "Successfully registered with master" "$state/logs/worker-$i.log" 2>/dev/null \
      || { stop; die "worker $i did not register with $url (see $state/logs/worker-$i.log)"; }
  done
  echo "$url" > "$state/master-url"
  echo "$url"
}

# Ends a process by pid: TERM, then KILL after 10 s.
end() {
  local pid="$1" n
  kill "$pid" 2>/dev/null || return 0
  for ((n = 0; n < 100; n++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

stop() {
  local i file
  for ((i = 1; i <= workers; i++)); do
    file="$state/worker-$i.pid"
    if alive "$file"; then
      # The worker's executors are its children: end them first, so none outlives a killed worker.
      for child in $(pgrep -P "$(cat "$file")" || true); do end "$child"; done
      end "$(cat "$file")"
    fi
    rm -f "$file"
  done
  if alive "$state/master.pid"; then end "$(cat "$state/master.pid")"; fi
  rm -f "$state/master.pid" "$state/master-url"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) alive "$state/master.pid" && [ -f "$state/master-url" ] && cat "$state/master-url" || die "no cluster running from $state" ;;
  *) echo "usage: $0 start|url|stop" >&2; exit 2 ;;
esac
