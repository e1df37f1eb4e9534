# shellcheck shell=bash
# Sourced by tools/build-images and tools/build-example-images (not run).
#
# busybox_rootfs ROOT: fills ROOT with a minimal root file system made of
# Debian's busybox-static: /bin/busybox and a symlink per applet, /etc/passwd
# and /etc/group naming root, and the empty directories a container expects.
# About 2 MB; `docker import` turns it into an image.
busybox_rootfs() {
  local root=$1 applet
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev" "$root/var/www"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  chmod 1777 "$root/tmp"
}
