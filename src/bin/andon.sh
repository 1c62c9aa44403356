#!/usr/bin/env bash
# Andon's one entry point for a fresh machine.
#   bash src/bin/andon.sh demo   set up, build, start the real stack + simulated plant, open the console
#   bash src/bin/andon.sh test   set up, build, run every test (under Xvfb when there is no display)
#   bash src/bin/andon.sh setup  only install what is missing (idempotent)
#   bash src/bin/andon.sh bench  set up and regenerate docs/benchmarks.md
#   bash src/bin/andon.sh screenshots  run the demo under load, drive scenarios, regenerate docs/screenshots/
# Works as root (CI) and as a normal user (uses sudo for apt).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$here"

APT_PACKAGES=(xvfb xauth libgtk-3-0 libgl1 libxtst6 fonts-noto-cjk fonts-wqy-microhei prometheus prometheus-alertmanager
  postgresql rsyslog rsyslog-elasticsearch fakeroot maven curl
  prometheus-postgres-exporter python3-prometheus-client python3-psycopg2 openssl victoria-metrics apache2-utils
  desktop-file-utils)

log() { printf '\033[1m[andon]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[andon] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

setup_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The Debian packages start system services where an init system exists; Andon runs its own private
  # instances on free ports, so the system ones are not needed (and must not hold our ports or CPU).
  for svc in prometheus prometheus-alertmanager postgresql rsyslog prometheus-postgres-exporter; do
    as_root service "$svc" stop >/dev/null 2>&1 || true
  done
}

find_jdk() {
  local c
  for c in "${ANDON_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/*25*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    if "$c/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then echo "$c"; return 0; fi
  done
  return 1
}

setup_user() {
  # PostgreSQL and Elasticsearch refuse to run as root: the harness runs them as this user.
  if [ "$(id -u)" -eq 0 ] && ! id andon >/dev/null 2>&1; then
    useradd --system --create-home --shell /usr/sbin/nologin andon
    log "created system user 'andon' for PostgreSQL and Elasticsearch"
  fi
}

setup() {
  setup_apt
  JAVA_HOME=$(find_jdk) || die "JDK 25 not found. Install Temurin 25 (or OpenJDK 25) and set ANDON_JAVA_HOME."
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
  setup_user
  # Where the unpacked Elasticsearch lives: readable by the 'andon' user (root's home is not).
  if [ "$(id -u)" -eq 0 ]; then ANDON_CACHE=/var/cache/andon; else ANDON_CACHE="$HOME/.cache/andon"; fi
  mkdir -p "$ANDON_CACHE"
  export ANDON_CACHE
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  MVN=(mvn -B -ntp -Dandon.cache="$ANDON_CACHE" -Dstyle.color=never)
  log "JDK: $JAVA_HOME; cache: $ANDON_CACHE"
}

with_display() {
  if [ -n "${DISPLAY:-}" ] && [ -z "${CI:-}" ]; then "$@"; else xvfb-run -a -s "-screen 0 1920x1080x24" "$@"; fi
}

cmd=${1:-help}; shift || true
# java for the console's own classes: JavaFX as named modules on the module path (as in the installed runtime: no
# "unnamed module" warning, native access for javafx.graphics alone); every other jar stays on the class path
# (sets FX_JAVA; call after the build)
fx_java() {
  local fx cp
  fx=$(ls target/lib/javafx-*-*.jar | grep -E -- '-[0-9.]+-[a-z0-9-]+\.jar$' | paste -sd:)
  cp=target/classes:$(ls target/lib/*.jar | grep -v '/javafx-' | paste -sd:)
  FX_JAVA=(java --module-path "$fx" --add-modules javafx.controls,javafx.swing --enable-native-access=javafx.graphics,ALL-UNNAMED -cp "$cp")
}

case "$cmd" in
  setup) setup ;;
  test)
    setup
    start=$(date +%s)
    rc=0
    with_display "${MVN[@]}" -Pinstaller verify "$@" || rc=$?
    log "test suite finished in $(( $(date +%s) - start )) s (exit $rc)"
    exit $rc ;;
  build)
    setup
    "${MVN[@]}" -q -DskipTests package "$@" ;;
  demo)
    setup
    "${MVN[@]}" -q -DskipTests package
    es_home="$ANDON_CACHE/es/$(ls "$ANDON_CACHE/es" | grep '^elasticsearch-' | head -1)"
    fx_java
    exec "${FX_JAVA[@]}" -Dandon.es.home="$es_home" -Dandon.project.dir="$here" io.andon.console.Main --demo "$@" ;;
  bench)
    setup
    if [ "${1:-}" = soak ]; then
      # the soak (issue 21) only, on its own: hours long, never part of the default bench run
      shift
      mkdir -p target/benchmarks
      with_display "${MVN[@]}" -Pbench test -Dgroups=soak -Dtest='io/andon/bench/SoakBench' "$@"
      log "soak section: target/benchmarks/soak.md, plot: docs/soak.png"
      exit 0
    fi
    rm -rf target/benchmarks
    start=$(date +%s)
    # the bench classes are named *Bench, which surefire's default includes (*Test) skip: name them;
    # ChaosTest (tagged chaos) runs too so its table lands in the document
    with_display "${MVN[@]}" -Pbench test -Dgroups=bench,chaos -Dtest='io/andon/bench/*Bench,io/andon/chaos/ChaosTest' "$@"
    # P6 as installed: builds the deb (AOT cache trained) and times its launcher; failsafe runs only InstallerIT
    with_display "${MVN[@]}" -Pinstaller verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=InstallerIT
    ls target/benchmarks/*.md >/dev/null 2>&1 || die "no benchmark wrote a section (target/benchmarks/ is empty)"
    took=$(( $(date +%s) - start ))
    # figures measured elsewhere (other tests, manual runs) live in docs/benchmarks-manual.md and are appended as they are
    { echo "# Benchmarks"; echo; echo "Regenerated by \`bash src/bin/andon.sh bench\` on $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -1);"
      echo "the run took $((took / 60)) min $((took % 60)) s of wall time (Maven, harness start-up and data generation included)."
      echo "Figures are ratios measured side by side in one run; the machine is shared by all services (noisy)."; echo
      cat target/benchmarks/*.md
      if [ -f docs/benchmarks-manual.md ]; then echo; cat docs/benchmarks-manual.md; fi; } > docs/benchmarks.md
    log "wrote docs/benchmarks.md (bench run: ${took} s)" ;;
  screenshots)
    setup
    "${MVN[@]}" -q -DskipTests package
    es_home="$ANDON_CACHE/es/$(ls "$ANDON_CACHE/es" | grep '^elasticsearch-' | head -1)"
    # settle 360 s by default: the throughput tiles read a 5 min rate, which climbs to the demo load over its first 5 min
    # always a 1920x1080 Xvfb screen: the pictures (and the wall's full screen) have the documented size whatever the desk's monitor
    start=$(date +%s)
    fx_java
    xvfb-run -a -s "-screen 0 1920x1080x24" "${FX_JAVA[@]}" -Dandon.es.home="$es_home" -Dandon.project.dir="$here" \
      -Dandon.es.startSeconds=600 io.andon.console.ScreenshotTour docs/screenshots "${ANDON_SCREENSHOTS_SETTLE:-360}"
    log "docs/screenshots regenerated in $(( $(date +%s) - start )) s ($(du -sh docs/screenshots | cut -f1)); look at every picture before committing" ;;
  help|--help|-h)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$cmd' (try: demo, test, setup, build, bench, screenshots)" ;;
esac
