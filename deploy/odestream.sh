#!/bin/sh
# Starts odestream in its container: odestream engine|worker [options of that command].
#
# The environment adds what a container only knows at start:
#   ODESTREAM_PROPERTIES      a Kafka/Streams properties file (mounted, read-only) to pass through
#   ODESTREAM_ADVERTISED_HOST the name other instances reach this one by (the pod's DNS name); becomes
#                             application.server, so interactive queries are routed to the owner of a key
#   ODESTREAM_HTTP_PORT       the query server's port (default 8080), passed as --http-port
#   JAVA_OPTS                 JVM options (default -XX:MaxRAMPercentage=75, with -XX:+UseZGC for the engine:
#                             its query tail is set by collector pauses, see docs/performance.md)
#   ODESTREAM_HOME            where lib/ is (default /opt/odestream); JAVA, the java to run (default java)
set -eu

usage="usage: odestream engine|worker [options]"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
role=$1
shift
case "$role" in
  engine) main=dev.odestream.cli.Main; default_opts="-XX:+UseZGC -XX:MaxRAMPercentage=75" ;;
  worker) main=dev.odestream.cli.WorkerCommand; default_opts="-XX:MaxRAMPercentage=75" ;;
  *) echo "odestream: unknown command '$role'; $usage" >&2; exit 2 ;;
esac

home=${ODESTREAM_HOME:-/opt/odestream}
port=${ODESTREAM_HTTP_PORT:-8080}
generated=${TMPDIR:-/tmp}/odestream-$role.properties

# The mounted file is read-only and cannot expand variables, so a copy with the advertised address is written.
if [ -n "${ODESTREAM_PROPERTIES:-}" ] || [ -n "${ODESTREAM_ADVERTISED_HOST:-}" ]; then
  : > "$generated"
  if [ -n "${ODESTREAM_PROPERTIES:-}" ]; then
    cat "$ODESTREAM_PROPERTIES" >> "$generated"
    echo >> "$generated"
  fi
  if [ "$role" = engine ] && [ -n "${ODESTREAM_ADVERTISED_HOST:-}" ]; then
    echo "application.server=$ODESTREAM_ADVERTISED_HOST:$port" >> "$generated"
  fi
  set -- --properties "$generated" "$@"
fi
if [ -n "${ODESTREAM_HTTP_PORT:-}" ]; then
  set -- --http-port "$port" "$@"
fi

# JAVA_OPTS is split on spaces on purpose: it holds several options.
# shellcheck disable=SC2086
exec "${JAVA:-java}" ${JAVA_OPTS:-$default_opts} --enable-native-access=ALL-UNNAMED \
  -cp "$home/lib/*" "$main" "$@"
