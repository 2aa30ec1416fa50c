#!/usr/bin/env bash
# Benchmarks a running Strata (start it first with deploy/local/run.sh) and raw PostgreSQL in the same run.
#   STRATA_INGEST_URL (http://127.0.0.1:8081), STRATA_PG_URL (jdbc:postgresql://127.0.0.1:5432/strata),
#   STRATA_HOME (.strata: where the local run keeps its JWT keys), STRATA_BENCH_IMPORT_ITEMS (1000000)
# benchmark/run.sh [suite ...]: ingest quota metrics archival by default; scale (how cost grows with size, up to
# 10M events; STRATA_BENCH_SCALE_EVENTS, _ITEMS, _ARCHIVAL) only when named.
#
# benchmark/run.sh instances: not in the default run. What a second quota-service and metrics-service add: it
# starts one more of each from the packaged jars with $STRATA_HOME/service.env, and stops them at the end.
#   STRATA_BENCH_INSTANCES_SECONDS (30), STRATA_BENCH_INSTANCES_WARMUP_SECONDS (10), STRATA_BENCH_INSTANCES_EVENTS
#   (200000), STRATA_BENCH_INSTANCES_LAG_EVENTS (5000/s), STRATA_BENCH_INSTANCES_LAG_THINGS (500/s)
#
# benchmark/run.sh faults [short] [scenario ...]: the fault suite. It needs no running Strata: it packages the
# services and starts a stack of its own (a fresh database strata_faults_*, Kafka, S3Proxy, the four services on
# free ports of 127.0.0.1), kills parts of it under load and prints one table. STRATA_KAFKA_BROKERS (3) sizes the
# Kafka cluster; STRATA_FAULTS_HOME (benchmark/target/faults) keeps its data and logs; STRATA_SKIP_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" = "faults" ]; then
  if [ "${STRATA_SKIP_BUILD:-0}" != "1" ]; then
    mvn -B -q package -DskipTests
  fi
  exec java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dstrata.root="$root" -cp "$(cat benchmark/target/benchmark.classpath):benchmark/target/classes" \
    dev.strata.benchmark.Faults "$@"
fi
mvn -B -q package -DskipTests -pl benchmark -am
exec java -Xmx1g -Dstrata.root="$root" -cp "$(cat benchmark/target/benchmark.classpath):benchmark/target/classes" \
  dev.strata.benchmark.Benchmark "$@"
