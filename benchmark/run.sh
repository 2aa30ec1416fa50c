#!/usr/bin/env bash
# Benchmarks a running Strata (start it first with deploy/local/run.sh) and raw PostgreSQL in the same run.
#   STRATA_INGEST_URL (http://127.0.0.1:8081), STRATA_PG_URL (jdbc:postgresql://127.0.0.1:5432/strata),
#   STRATA_HOME (.strata: where the local run keeps its JWT keys), STRATA_BENCH_IMPORT_ITEMS (1000000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q package -DskipTests -pl benchmark -am
exec java -Xmx1g -cp "$(cat benchmark/target/benchmark.classpath):benchmark/target/classes" \
  dev.strata.benchmark.Benchmark "$@"
