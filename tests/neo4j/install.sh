#!/usr/bin/env bash
# Resolve Neo4j Community 5.26 LTS jars from Maven Central into a cached classpath file.
# Idempotent: a second run with the same pom.xml does nothing.
#   tests/neo4j/install.sh            # writes $PAPERKG_NEO4J_CACHE/classpath-<version>.txt
# Needs: java (17+) and mvn on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${PAPERKG_NEO4J_CACHE:-$HOME/.cache/paperkg-neo4j}"
version="$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$here/pom.xml")"
out="$cache/classpath-$version.txt"

command -v java >/dev/null || { echo "install.sh: java not found (need Java 17+)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "install.sh: mvn not found (apt-get install maven)" >&2; exit 1; }

if [[ -s "$out" ]] && tr ':' '\n' <"$out" | while read -r jar; do [[ -f "$jar" ]] || exit 1; done; then
  echo "Neo4j $version classpath cached: $out"
  exit 0
fi

mkdir -p "$cache"
mvn -B -q -Dstyle.color=never -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out.tmp" >&2
mv "$out.tmp" "$out"
echo "Neo4j $version classpath written: $out ($(tr ':' '\n' <"$out" | wc -l) jars)"
