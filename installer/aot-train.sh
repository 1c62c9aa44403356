#!/usr/bin/env bash
# Trains the JDK 25 AOT cache of a packaged app image (JEP 483/514) and names it in the launcher's config.
#
# Why at packaging time: the cache holds the loaded and linked classes of one start, and is only valid for
# this runtime and these jars. Made here, it ships next to them as $APPDIR/andon.aot (read-only is fine); a
# user-writable archive (AutoCreateSharedArchive) cannot be named in jpackage's --java-options.
# The training start points at a closed port: it needs no services, and the page still renders (as
# unreachable), which loads JavaFX, TilesFX, the dashboards, logging and the HTTP client.
# If training is impossible (no display, no Xvfb) the package is built without the cache: it starts, slower.
#
# usage: aot-train.sh APP_IMAGE_DIR   (Linux layout: bin/andon, lib/app/andon.cfg)
set -euo pipefail
image=${1:?app image directory}
cfg="$image/lib/app/andon.cfg"
launcher="$image/bin/andon"
cache_line='java-options=-XX:AOTCache=$APPDIR/andon.aot'
train_line='java-options=-XX:AOTCacheOutput=$APPDIR/andon.aot'
# No AOT class linking (issue 21, P5): an AOT-linked cache loads and links every class of the training start at
# every start (52.4 MiB of its 55.4 MiB resident in wall mode); unlinked, it serves classes as they are asked for,
# like a CDS archive: 48.3 MiB of 50.6 resident (WallBench, -Dandon.bench.wall.diag), some of the start-up gain given back
nolink_line='java-options=-XX:-AOTClassLinking'

if [ ! -f "$cfg" ] || [ ! -x "$launcher" ]; then
  echo "aot-train: no Linux app image at $image (bin/andon, lib/app/andon.cfg): no AOT cache" >&2; exit 0
fi
if [ -n "${DISPLAY:-}" ]; then display=(); elif command -v xvfb-run >/dev/null; then
  display=(xvfb-run -a -s "-screen 0 1920x1080x24")
else
  echo "aot-train: no DISPLAY and no xvfb-run: package built without an AOT cache (slower start)" >&2; exit 0
fi

# java-options lines are the launcher's JVM options, in order: add ours after the last one
last=$(grep -n '^java-options=' "$cfg" | tail -1 | cut -d: -f1)
[ -n "$last" ] || { echo "aot-train: no java-options in $cfg" >&2; exit 1; }
sed -i "${last}a $train_line\n$nolink_line" "$cfg"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s)
if "${display[@]}" "$launcher" --prometheus http://127.0.0.1:9 --page system --lang en \
     --snapshot "$out/train.png" >"$out/train.log" 2>&1 && [ -s "$image/lib/app/andon.aot" ]; then
  sed -i "s|^java-options=-XX:AOTCacheOutput=.*|$cache_line|; /^$nolink_line\$/d" "$cfg"
  echo "aot-train: $(du -h "$image/lib/app/andon.aot" | cut -f1) AOT cache trained in $(( $(date +%s) - start )) s"
else
  sed -i "/^java-options=-XX:AOTCacheOutput=/d; /^$nolink_line\$/d" "$cfg"
  rm -f "$image/lib/app/andon.aot" "$image/lib/app/andon.aot.config"
  echo "aot-train: training run failed, package built without an AOT cache; its output:" >&2
  tail -20 "$out/train.log" >&2
fi
