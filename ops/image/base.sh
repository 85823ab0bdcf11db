#!/usr/bin/env bash
# The base layer of the ESB's image, made without any container registry (none is reachable from the build
# machines, so no base image can be pulled) and without a Docker daemon:
#   - a Java runtime cut with jlink from the JDK that runs the build (the Debian openjdk-17-jdk-headless package),
#   - the shared libraries that runtime needs (glibc, libstdc++, libgcc_s, zlib), copied from this machine's Debian
#     packages; their names and versions are listed in the image at /usr/share/conduit/base-packages.txt,
#   - /etc/passwd and /etc/group with the unprivileged user conduit (10001), /tmp (1777) and the ESB's writable data
#     folder /var/lib/conduit owned by that user. No shell, no package manager.
# Written as a Docker-archive tar (manifest.json, config, one layer) that Jib takes as its base image (tar://).
# Called by the Maven profile "image" (pom.xml); reused as long as the JDK, the module list and this script are the
# same. Usage: ops/image/base.sh OUTDIR JAVA_HOME
set -euo pipefail
OUT=${1:?usage: base.sh OUTDIR JAVA_HOME}
JDK=${2:?usage: base.sh OUTDIR JAVA_HOME}
# the JDK modules of the runtime: Java SE, plus what Spring Boot, Camel, Kafka, Artemis' client, Hawtio/Jolokia and
# the JVM's memory/thread metrics use (sun.misc.Unsafe, EC crypto, com.sun.management, JFR, zipfs, DNS, locales)
MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.jfr,jdk.zipfs,jdk.localedata,jdk.naming.dns,jdk.charsets,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.httpserver,jdk.attach,jdk.jcmd
UID_GID=10001

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
STAMP="$("$JDK/bin/java" -version 2>&1 | tr '\n' ' ') modules=$MODULES script=$(sha256sum "$0" | cut -c1-16)"
if [ -f "$OUT/base.tar" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ]; then
  echo "image base: up to date ($OUT/base.tar)"
  exit 0
fi
command -v "$JDK/bin/jlink" >/dev/null || { echo "image base: $JDK/bin/jlink missing (a JDK with jmods is needed)" >&2; exit 1; }

ROOT=$OUT/rootfs
rm -rf "$ROOT" "$OUT/base.tar" "$OUT/stamp" "$OUT/work"
mkdir -p "$ROOT" "$OUT/work"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$ROOT/opt/java"
# the ESB runs headless and draws nothing: the desktop's native parts (X11, sound, splash screen, fonts, images,
# colour management) would only bring X11, ALSA, FreeType and their libraries along; a call that needs one of them
# fails with an UnsatisfiedLinkError instead
for lib in libawt_xawt libjawt libjsound libsplashscreen libfontmanager libjavajpeg liblcms libmlib_image; do
  rm -f "$ROOT/opt/java/lib/$lib.so"
done

# merged /usr as on Debian 12: /lib, /lib64, /bin are links into /usr when they are on this machine
for d in lib lib64 bin sbin; do
  if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$ROOT/$d"; fi
done

# every shared library the runtime's programs and libraries load (ldd), and the ones glibc opens itself: name
# service (hosts and users from files and DNS) and libgcc_s, which thread cancellation and unwinding load on demand
declare -A LIBS=()
while IFS= read -r f; do
  while IFS= read -r lib; do
    case "$lib" in "$ROOT"*|"") ;; *) LIBS["$lib"]=1 ;; esac
  done < <(ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
done < <(find "$ROOT/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \))
LIBC_DIR=$(dirname "$(ldd "$JDK/bin/java" | awk '$1 == "libc.so.6" {print $3}')")
for extra in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2 libgcc_s.so.1; do
  [ -e "$LIBC_DIR/$extra" ] && LIBS["$LIBC_DIR/$extra"]=1
done
for lib in "${!LIBS[@]}"; do
  dest="$ROOT$(cd "$(dirname "$lib")" && pwd -P)/$(basename "$lib")"
  mkdir -p "$(dirname "$dest")"
  cp -L "$lib" "$dest"
  chmod 755 "$dest"
done

mkdir -p "$ROOT/usr/bin" "$ROOT/usr/sbin" "$ROOT/etc" "$ROOT/tmp" "$ROOT/var/lib/conduit" "$ROOT/usr/share/conduit"
chmod 1777 "$ROOT/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nconduit:x:%s:%s:Conduit ESB:/var/lib/conduit:/sbin/nologin\n' \
  "$UID_GID" "$UID_GID" > "$ROOT/etc/passwd"
printf 'root:x:0:\nconduit:x:%s:\n' "$UID_GID" > "$ROOT/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$ROOT/etc/nsswitch.conf"
{
  echo "# Debian packages whose files are in this base (dpkg -S on the build machine), and the JDK jlink cut"
  if command -v dpkg-query >/dev/null; then
    for lib in "${!LIBS[@]}" "$JDK/bin/jlink"; do
      dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || true
    done | cut -d: -f1 | sort -u | while read -r pkg; do dpkg-query -W -f='${Package} ${Version}\n' "$pkg"; done
  fi
  echo "java: $("$JDK/bin/java" -version 2>&1 | sed -n 2p)"
  echo "modules: $MODULES"
} > "$ROOT/usr/share/conduit/base-packages.txt"

# one reproducible layer: sorted, timestamps at the epoch, owned by root except the ESB's data folder
TAR_OPTS=(--sort=name --mtime=@0 --numeric-owner --format=gnu)
(cd "$ROOT" && tar -cf "$OUT/work/layer.tar" "${TAR_OPTS[@]}" --owner=0 --group=0 --exclude=./var/lib/conduit .)
(cd "$ROOT" && tar -rf "$OUT/work/layer.tar" "${TAR_OPTS[@]}" --owner="$UID_GID" --group="$UID_GID" ./var/lib/conduit)
DIFF_ID=$(sha256sum "$OUT/work/layer.tar" | cut -d' ' -f1)
cat > "$OUT/work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"$UID_GID:$UID_GID","Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
   "WorkingDir":"/var/lib/conduit"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$DIFF_ID"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"ops/image/base.sh: jlink JRE and Debian shared libraries"}]}
EOF
echo '[{"Config":"config.json","RepoTags":["conduit-base:local"],"Layers":["layer.tar"]}]' > "$OUT/work/manifest.json"
(cd "$OUT/work" && tar -cf "$OUT/base.tar" "${TAR_OPTS[@]}" --owner=0 --group=0 manifest.json config.json layer.tar)
rm -rf "$OUT/work"
echo "$STAMP" > "$OUT/stamp"
echo "image base: $OUT/base.tar ($(du -h "$OUT/base.tar" | cut -f1), layer sha256:${DIFF_ID:0:12})"
