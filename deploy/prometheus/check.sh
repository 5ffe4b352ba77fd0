#!/bin/sh
# Checks the monitoring files against the real thing:
#   1. promtool check config / check rules on prometheus.yml and alerts.yml, and promtool test rules on
#      alerts_test.yml (each alert on synthetic series that should and should not trip it);
#   2. builds the runtime classpath the way deploy/Dockerfile does and starts the engine demo through
#      deploy/odestream.sh (in-process broker, demo workload), plus a trickle of malformed records so the
#      dead-letter meters exist;
#   3. starts Prometheus on loopback scraping the engine and the worker with the rules of alerts.yml;
#   4. after the run, queries every recording rule, the signal of every alert ("signal > threshold") and every
#      expression of the Grafana dashboard through Prometheus's HTTP API, and fails when one returns no data.
#
# Exit status: 0 every expression returned data; 1 some did not, or a step failed;
#              77 skipped: Prometheus is not installed and could not be installed (needs root and a Debian mirror).
#
# Environment (defaults in brackets):
#   RUN_SECONDS [180]    how long the demo runs before the queries (its worker trains after about 100 s)
#   ENGINE_PORT [18080]  the engine's HTTP port;  PROM_PORT [19090] Prometheus's port
#   WORKER_PORT [ENGINE_PORT]  where the worker job scrapes: the demo runs the trainer worker in-process with its
#                        meters on the engine's /metrics; point it at a worker command's port to scrape that instead
#   ENGINE_ARGS []       more options for the engine (--no-worker leaves the worker's expressions without data)
#   JAVA                 a JDK 25 java [found under /usr/lib/jvm];  SKIP_BUILD [0] reuse target/lib
#   KEEP [0]             keep the work directory (logs, Prometheus data) instead of deleting it
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
RUN_SECONDS=${RUN_SECONDS:-180}
ENGINE_PORT=${ENGINE_PORT:-18080}
PROM_PORT=${PROM_PORT:-19090}
WORKER_PORT=${WORKER_PORT-$ENGINE_PORT}
ENGINE_ARGS=${ENGINE_ARGS:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/odestream-promcheck.XXXXXX")
pids=""

say() { echo "check: $*"; }

cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for pid in $pids; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then say "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

install_prometheus() {
  if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then return 0; fi
  say "promtool or prometheus missing: installing Debian's prometheus package"
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "SKIPPED: cannot install the prometheus package (needs root and apt-get); nothing was checked"
    exit 77
  fi
  # The package's service is not wanted here: a policy-rc.d keeps its postinst from starting it.
  added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && added=1
  fi
  ok=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; } \
    > "$work/apt.log" 2>&1 && ok=1
  if [ $added = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ $ok = 0 ] || ! command -v promtool >/dev/null 2>&1; then
    tail -5 "$work/apt.log" >&2
    say "SKIPPED: the prometheus package could not be installed; nothing was checked"
    exit 77
  fi
}

find_java() {
  if [ -n "${JAVA:-}" ]; then echo "$JAVA"; return; fi
  for j in /usr/lib/jvm/*25*/bin/java; do [ -x "$j" ] && { echo "$j"; return; }; done
  echo java
}

wait_for() { # url seconds
  n=0
  until curl -fsS "$1" >/dev/null 2>&1; do
    n=$((n + 1)); [ $n -le "$2" ] || return 1; sleep 1
  done
}

install_prometheus
say "$(prometheus --version 2>&1 | head -1)"
promtool check config "$here/prometheus.yml"
promtool check rules "$here/alerts.yml"
(cd "$here" && promtool test rules alerts_test.yml)

# The runtime classpath of the image: the project jar and its runtime dependencies in one lib directory.
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -d "$root/target/lib" ]; then
  say "building the runtime classpath (mvn package + dependency:copy-dependencies)"
  (cd "$root" && mvn -B -q -DskipTests package \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/lib)
fi
mkdir -p "$work/home/lib"
cp "$root"/target/lib/*.jar "$work/home/lib/"
cp "$root"/target/odestream-*.jar "$work/home/lib/"
java=$(find_java)

say "starting the engine demo on 127.0.0.1:$ENGINE_PORT for $((RUN_SECONDS + 60)) s"
# shellcheck disable=SC2086
ODESTREAM_HOME="$work/home" JAVA="$java" JAVA_OPTS="-Xmx1g" ODESTREAM_ADVERTISED_HOST=127.0.0.1 \
  ODESTREAM_HTTP_PORT="$ENGINE_PORT" \
  sh "$root/deploy/odestream.sh" engine --duration "$((RUN_SECONDS + 60))s" $ENGINE_ARGS > "$work/engine.log" 2>&1 &
pids="$pids $!"
if ! wait_for "http://127.0.0.1:$ENGINE_PORT/health" 120; then
  tail -20 "$work/engine.log" >&2; say "FAILED: the engine did not come up"; exit 1
fi
bootstrap=$(sed -n 's/.*in-process Kafka broker at \([^,]*\),.*/\1/p' "$work/engine.log" | head -1)

# Malformed records, two a second, so the dead-letter path and its meters are exercised for real.
cat > "$work/Malformed.java" <<'JAVA'
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.Map;

public class Malformed {
    public static void main(String[] args) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", args[0]),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; ; i++) {
                producer.send(new ProducerRecord<>(args[1], "series-bad-" + i % 7, "{\"t\": not json " + i));
                Thread.sleep(500);
            }
        }
    }
}
JAVA
"$java" -cp "$work/home/lib/*" "$work/Malformed.java" "$bootstrap" events > "$work/malformed.log" 2>&1 &
pids="$pids $!"

mkdir -p "$work/prometheus"
cp "$here/alerts.yml" "$work/prometheus/alerts.yml"
{
  printf 'global:\n  scrape_interval: 2s\n  evaluation_interval: 2s\nrule_files:\n  - alerts.yml\n'
  printf 'scrape_configs:\n  - job_name: odestream-engine\n    static_configs:\n'
  printf '      - targets: ["127.0.0.1:%s"]\n' "$ENGINE_PORT"
  if [ -n "$WORKER_PORT" ]; then
    printf '  - job_name: odestream-worker\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$WORKER_PORT"
  fi
} > "$work/prometheus/prometheus.yml"
promtool check config "$work/prometheus/prometheus.yml" > /dev/null
prometheus --config.file="$work/prometheus/prometheus.yml" --storage.tsdb.path="$work/prometheus/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" > "$work/prometheus.log" 2>&1 &
pids="$pids $!"
if ! wait_for "http://127.0.0.1:$PROM_PORT/-/ready" 60; then
  tail -20 "$work/prometheus.log" >&2; say "FAILED: Prometheus did not come up"; exit 1
fi

say "demo running for $RUN_SECONDS s (broker $bootstrap, worker port ${WORKER_PORT:-none})"
end=$(( $(date +%s) + RUN_SECONDS ))
answered=0
while [ "$(date +%s)" -lt "$end" ]; do
  # Forecast queries go through application.server routing (the launcher set it) and feed the query histogram.
  if curl -fsS "http://127.0.0.1:$ENGINE_PORT/v1/series/series-000000/forecast?horizon=1s,5s" > /dev/null 2>&1
  then answered=$((answered + 1)); fi
  sleep 2
done
tail -1 "$work/engine.log"
say "$answered forecast queries answered"
if [ $answered = 0 ]; then say "FAILED: the engine answered no forecast query"; exit 1; fi

python3 "$here/query_expressions.py" "http://127.0.0.1:$PROM_PORT" "$root/deploy/grafana/dashboards/odestream.json"
