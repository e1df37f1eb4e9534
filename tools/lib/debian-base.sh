# shellcheck shell=bash disable=SC2154 # suite, cache_dir, tmp_dir: the sourcing script sets them
# Sourced by tools/build-guestbook-images and tools/build-example-images (not
# run): Debian root file systems made with debootstrap and cached, stripped,
# as tarballs, so that an image is rebuilt in seconds instead of minutes.
#
# The sourcing script provides: `suite` (bookworm), `cache_dir` (where the
# tarballs and downloaded .debs live), `log`, `die`, and `new_tmp_dir NAME`
# (sets tmp_dir to a new directory it removes on exit, with its .log file).
#
# base_tarball NAME PACKAGES sets base_tar to the tarball of a minbase $suite
# with PACKAGES (comma-separated), debootstrapping it when it is not cached
# (BERTH_REBUILD_BASES=1 forces it). Its file name holds base_key: a hash of
# the suite, the packages and the text of make_base, strip_rootfs and
# dpkg_nodoc, so changing how a base is made gives it a new name (and the old
# one is removed). BERTH_DEBIAN_MIRROR overrides the mirror (default: the one
# apt uses here).

# Runs a command with its output in LOG; on failure shows the end of LOG.
run_logged() { # log command...
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "failed: $* (full output above, from $log)"
  fi
}

ensure_debootstrap() {
  command -v debootstrap >/dev/null && return
  log "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

# The Debian mirror apt already uses for $suite itself (not -updates or
# -security), read from `apt-cache policy` so that both sources formats,
# proxies written as URIs and local mirrors are honoured.
debian_mirror() {
  if [ -n "${BERTH_DEBIAN_MIRROR:-}" ]; then
    echo "$BERTH_DEBIAN_MIRROR"
    return
  fi
  local mirror
  mirror=$(apt-cache policy 2>/dev/null | awk -v want="$suite/main" -v name="n=$suite," '
    $3 == want { uri = $2; next }
    uri != "" && /release / && index($0, "o=Debian,") && index($0, name) { print uri; exit }
    { uri = "" }')
  echo "${mirror:-http://deb.debian.org/debian}"
}

# Everything that decides the content of a base root file system; a change to
# it gives the cached tarball a new name.
base_key() { # packages
  { echo "$suite minbase $1"; declare -f make_base strip_rootfs dpkg_nodoc; } | sha256sum | cut -c1-12
}

# Tells dpkg not to unpack documentation (copyright files aside), manual pages
# and translations: in the second stage of debootstrap, and in any package
# installed later inside a container.
dpkg_nodoc() { # root
  cat >"$1/etc/dpkg/dpkg.cfg.d/berth-nodoc" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG
}

# Drops what a container never needs: documentation (the copyright files
# stay), manual pages, translations, apt's package lists and caches, logs.
strip_rootfs() { # root
  local root=$1
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{man,info,lintian,linda,locale}/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin \
    "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old \
    "$root"/tmp/* "$root"/var/tmp/*
  find "$root/var/log" -type f -delete
  dpkg_nodoc "$root"
  # Docker provides these at run time; the build host's must not leak in.
  : >"$root/etc/resolv.conf"
  echo localhost >"$root/etc/hostname"
}

# debootstraps a minbase $suite with PACKAGES into TARBALL (stripped).
make_base() { # name packages tarball
  local name=$1 packages=$2 tarball=$3 root
  new_tmp_dir "$name"
  root=$tmp_dir
  local t0=$SECONDS
  log "debootstrap $suite minbase + $packages from $mirror (a few minutes)"
  # Two stages, so that policy-rc.d is in place before any package is
  # configured: a server's maintainer scripts would otherwise start it inside
  # the chroot, on the host's network. The second stage also runs in its own
  # network, PID and mount namespaces: nothing it starts can listen on the
  # host, outlive it, or leave a mount behind. --cache-dir: .debs are
  # downloaded once.
  mkdir -p "$cache_dir/debs"
  run_logged "$root.log" debootstrap --foreign --variant=minbase \
    --cache-dir="$cache_dir/debs" --include="$packages" "$suite" "$root" "$mirror"
  log "  downloaded and unpacked in $((SECONDS - t0)) s"
  t0=$SECONDS
  # dpkg's fsync of every file is pointless here: a failed build is redone.
  echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/berth-unsafe-io"
  dpkg_nodoc "$root"
  printf '#!/bin/sh\n# No daemons at install time in a container image.\nexit 101\n' \
    >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  run_logged "$root.log" unshare --mount --pid --fork --net --uts --ipc \
    chroot "$root" /debootstrap/debootstrap --second-stage
  rm "$root/etc/dpkg/dpkg.cfg.d/berth-unsafe-io"
  log "  configured in $((SECONDS - t0)) s"
  if grep -q " $root/" /proc/mounts; then
    die "a mount is left under $root; not archiving it"
  fi
  strip_rootfs "$root"
  mkdir -p "$cache_dir"
  tar -C "$root" --numeric-owner -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  rm -rf --one-file-system "$root"
  log "cached $(du -h "$tarball" | cut -f1) base $tarball"
}

# Sets base_tar to the cached base tarball for PACKAGES, making it first when
# needed. Older tarballs of the same name are removed.
base_tarball() { # name packages
  local name=$1 packages=$2 old
  base_tar="$cache_dir/$suite-$name-$(base_key "$packages").tar"
  if [ "${BERTH_REBUILD_BASES:-0}" = 1 ] || [ ! -f "$base_tar" ]; then
    ensure_debootstrap
    mirror=$(debian_mirror)
    make_base "$name" "$packages" "$base_tar"
  else
    log "using cached base $base_tar"
  fi
  for old in "$cache_dir/$suite-$name-"*.tar; do
    [ "$old" = "$base_tar" ] || rm -f "$old"
  done
}
