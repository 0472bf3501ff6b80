#!/usr/bin/env bash
# Builds the interop guest: Debian's stock kernel plus an initramfs holding busybox, nvme-cli, fio,
# the NVMe/TCP and virtio-net modules and guest-init.sh as /init.
#
#   build-guest.sh CACHE_DIR [RELEASE]
#
# Everything comes from Debian packages: the kernel is fetched with `apt-get download`, from the
# host's apt sources or, given RELEASE (e.g. trixie), from that Debian release through a private apt
# state under CACHE_DIR (the host's apt configuration is not touched); busybox,
# nvme-cli and fio are copied from the host's installed packages together with the shared libraries
# `ldd` names (so the guest runs exactly the binaries Debian ships). The result is cached in
# CACHE_DIR and rebuilt only when an input changes (package versions, this script, guest-init.sh).
# Prints the paths of the kernel and initramfs as the last two lines on success.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${1:?usage: build-guest.sh CACHE_DIR}
mkdir -p "$CACHE_DIR"
CACHE_DIR=$(cd "$CACHE_DIR" && pwd)
RELEASE=${2:-}
APT_OPTS=()

# Modules the guest loads, in this order; their dependencies are resolved with the host's modprobe
# against the extracted tree. virtio_pci + virtio_net give the NIC; crc32c backs the NVMe/TCP digests
# (crc32c-intel needs SSE4.2 in the guest CPU, so it is optional; crc32c_generic always works).
# nvmet-tcp lets the same guest serve as the Linux reference target (INTEROP_TARGET=linux-nvmet);
# null_blk is copied but not loaded (REFERENCE_MODULES): the reference loads it with its parameters.
GUEST_MODULES=(virtio_pci virtio_net crc32c_generic crc32c-intel nvme-tcp nvmet-tcp)
OPTIONAL_MODULES=(crc32c-intel)
REFERENCE_MODULES=(null_blk)
GUEST_BINARIES=(/usr/sbin/nvme /usr/bin/fio)
# TLS (another RELEASE only): that release's nvme-cli and tlshd (ktls-utils) with their libraries and
# loader, under /release in the guest (the host's nvme-cli may predate TLS, and ktls-utils is not in
# bookworm); the kernel's tls module for the record layer (kTLS) after tlshd's handshake.
RELEASE_PACKAGES=(nvme-cli ktls-utils)
RELEASE_BINARIES=(/usr/sbin/nvme /usr/sbin/tlshd)
# kTLS encrypts with the kernel crypto API's gcm(aes): gcm and ghash are modules in Debian's kernel (aes and
# ctr are built in); without them tlshd says "The kernel does not support the requested algorithm".
RELEASE_MODULES=(tls nvme-keyring gcm ghash-generic)

log() { echo "build-guest: $*" >&2; }
die() { echo "build-guest: ERROR: $*" >&2; exit 1; }

# --- prerequisites: say exactly what is missing and how to get it -----------------------------------
check_prerequisites() {
    local missing=() cmd pkg
    declare -A command_package=(
        [apt-get]=apt [apt-cache]=apt [dpkg-deb]=dpkg [dpkg-query]=dpkg [depmod]=kmod [modprobe]=kmod
        [cpio]=cpio [gzip]=gzip [xz]=xz-utils [ldd]=libc-bin [sha256sum]=coreutils
    )
    for cmd in "${!command_package[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("${command_package[$cmd]}")
    done
    # The guest's user space is copied from these installed packages.
    for pkg in busybox-static nvme-cli fio; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
        die "missing packages: ${missing[*]}
  install them with: apt-get install -y ${missing[*]}"
    fi
    [[ -x /bin/busybox ]] && file_is_static /bin/busybox ||
        die "/bin/busybox is not the static busybox (apt-get install -y busybox-static)"
}

file_is_static() { ! ldd "$1" >/dev/null 2>&1; }

# --- another release's kernel: a private apt state (sources, lists, archives) ------------------------
# The release's package lists are fetched once a day at most. Debian's archive keyring on the host
# (debian-archive-keyring) holds the keys of the next release too.
use_release() {
    local dir=$CACHE_DIR/apt
    mkdir -p "$dir/lists/partial" "$dir/archives/partial"
    echo "deb http://deb.debian.org/debian $RELEASE main" >"$dir/sources.list"
    APT_OPTS=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache::Archives=$dir/archives"
        -o "Dir::Cache::pkgcache=$dir/pkgcache.bin" -o "Dir::Cache::srcpkgcache=$dir/srcpkgcache.bin")
    if [[ -z $(find "$dir/lists" -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null) ]]; then
        log "fetching the package lists of Debian $RELEASE"
        apt-get "${APT_OPTS[@]}" update -q >&2 || die "apt-get update for Debian $RELEASE failed"
    fi
}

# --- inputs and cache key ---------------------------------------------------------------------------
kernel_package() {
    # The versioned image package that the meta package linux-image-amd64 currently depends on.
    apt-cache "${APT_OPTS[@]}" depends linux-image-amd64 2>/dev/null |
        awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}

package_version() { dpkg-query -W -f='${Version}' "$1"; }

cache_key() {
    local kpkg=$1
    {
        echo "kernel $kpkg $(apt-cache "${APT_OPTS[@]}" policy "$kpkg" | awk '/Candidate:/{print $2}')"
        for p in busybox-static nvme-cli fio; do echo "$p $(package_version "$p")"; done
        echo "release ${RELEASE:-host} modules ${GUEST_MODULES[*]}"
        [[ -z $RELEASE ]] || for p in "${RELEASE_PACKAGES[@]}"; do
            echo "$p $(apt-cache "${APT_OPTS[@]}" policy "$p" | awk '/Candidate:/{print $2}')"
        done
        sha256sum "$HERE/build-guest.sh" "$HERE/guest-init.sh" | awk '{print $1}'
    } | sha256sum | awk '{print $1}'
}

# --- kernel -----------------------------------------------------------------------------------------
fetch_kernel() {
    local kpkg=$1 debdir=$CACHE_DIR/debs
    mkdir -p "$debdir"
    if ! ls "$debdir/${kpkg}"_*.deb >/dev/null 2>&1; then
        log "downloading $kpkg"
        # apt drops privileges to _apt for downloads; a world-writable directory avoids its warning.
        chmod 0777 "$debdir"
        (cd "$debdir" && apt-get "${APT_OPTS[@]}" download -q "$kpkg") >&2 ||
            die "apt-get download $kpkg failed (no Debian mirror reachable? try: apt-get update)"
    fi
    rm -rf "$CACHE_DIR/kernel-tree"
    mkdir -p "$CACHE_DIR/kernel-tree"
    dpkg-deb -x "$(ls "$debdir/${kpkg}"_*.deb | tail -1)" "$CACHE_DIR/kernel-tree"
    normalise_tree
}

# Newer releases ship the modules under /usr/lib (merged /usr); the tree is normalised to /lib.
kernel_release() { ls "$CACHE_DIR/kernel-tree/lib/modules" | head -1; }

normalise_tree() {
    local tree=$CACHE_DIR/kernel-tree
    if [[ ! -d $tree/lib/modules && -d $tree/usr/lib/modules ]]; then
        mkdir -p "$tree/lib"
        mv "$tree/usr/lib/modules" "$tree/lib/modules"
    fi
    if [[ ! -f $tree/boot/vmlinuz-$(kernel_release) && -d $tree/usr/boot ]]; then
        mv "$tree/usr/boot" "$tree/boot"
    fi
}

# --- initramfs --------------------------------------------------------------------------------------
# Compressed modules (.ko.xz, as trixie ships them) are unpacked into the initramfs: busybox's insmod
# takes plain ELF files, and depmod then indexes the .ko names.
plain_module_path() { echo "${1%.xz}"; }

copy_module() {
    local path=$1 root=$2 tree=$CACHE_DIR/kernel-tree
    mkdir -p "$root$(dirname "$path")"
    if [[ $path == *.ko.xz ]]; then
        xz -dc "$tree$path" >"$root$(plain_module_path "$path")"
    else
        cp "$tree$path" "$root$path"
    fi
}

copy_modules() {
    local root=$1 kver=$2 tree=$CACHE_DIR/kernel-tree mod line path order=()
    # Debian ships no modules.dep; build it for the extracted tree so modprobe can resolve.
    depmod -b "$tree" "$kver"
    local modules=("${GUEST_MODULES[@]}")
    [[ -z $RELEASE ]] || modules+=("${RELEASE_MODULES[@]}")
    for mod in "${modules[@]}"; do
        if ! out=$(modprobe -d "$tree" -S "$kver" --show-depends "$mod" 2>&1); then
            if [[ " ${OPTIONAL_MODULES[*]} " == *" $mod "* ]]; then continue; fi
            die "module $mod not found in the kernel package: $out"
        fi
        while read -r line; do
            [[ $line == insmod* ]] || continue
            path=$(awk '{print $2}' <<<"$line")
            order+=("${path#"$tree"}")
        done <<<"$out"
    done
    : >"$root/etc/modules.order"
    for path in "${order[@]}"; do
        grep -qxF "$(plain_module_path "$path")" "$root/etc/modules.order" && continue
        copy_module "$path" "$root"
        echo "$(plain_module_path "$path")" >>"$root/etc/modules.order"
    done
    for mod in "${REFERENCE_MODULES[@]}"; do
        path=$(modprobe -d "$tree" -S "$kver" --show-depends "$mod" | awk '/^insmod/{print $2}' | tail -1)
        [[ -n $path ]] || die "module $mod not found in the kernel package"
        copy_module "${path#"$tree"}" "$root"
    done
    cp "$tree/lib/modules/$kver/modules.order" "$tree/lib/modules/$kver/modules.builtin"* "$root/lib/modules/$kver/"
    # A modules.dep inside the guest lets the kernel's request_module (busybox modprobe) work too.
    depmod -b "$root" "$kver"
    log "modules: $(wc -l <"$root/etc/modules.order") files"
}

copy_with_libraries() {
    local root=$1 bin lib
    shift
    for bin in "$@"; do
        install -D -m 0755 "$bin" "$root$bin"
        # ldd prints "name => /path (addr)" for libraries and "/lib64/ld-linux… (addr)" for the loader.
        while read -r lib; do
            [[ -n $lib && -e $lib ]] || continue
            [[ -e $root$lib ]] && continue
            mkdir -p "$root$(dirname "$lib")"
            cp -L "$lib" "$root$lib"
        done < <(ldd "$bin" | awk '/=> \//{print $3} /^\s*\/.*ld-linux/{print $1}')
    done
}

# --- another release's user space (TLS) -------------------------------------------------------------
# The packages and every library package they depend on (recursively), downloaded into the private
# apt state and unpacked into one tree; the binaries are then copied with the libraries that
# release's own loader lists (run on this host: it is the same architecture).
fetch_release_userspace() {
    local debdir=$CACHE_DIR/debs/userspace tree=$CACHE_DIR/userspace-tree pkgs deb
    mkdir -p "$debdir"
    chmod 0777 "$debdir"
    mapfile -t pkgs < <(apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances "${RELEASE_PACKAGES[@]}" 2>/dev/null |
        grep -v '^ ' | grep -v '^<' | grep -E '^(lib|zlib|nvme-cli$|ktls-utils$)' | sort -u)
    ((${#pkgs[@]})) || die "apt-cache resolves no dependencies of ${RELEASE_PACKAGES[*]} in $RELEASE"
    log "downloading ${#pkgs[@]} $RELEASE packages for TLS (${RELEASE_PACKAGES[*]} and libraries)"
    (cd "$debdir" && apt-get "${APT_OPTS[@]}" download -q "${pkgs[@]}") >&2 ||
        die "apt-get download of the $RELEASE user space failed"
    rm -rf "$tree"
    mkdir -p "$tree"
    for deb in "$debdir"/*.deb; do dpkg-deb -x "$deb" "$tree"; done
}

copy_release_userspace() {
    local root=$1 tree=$CACHE_DIR/userspace-tree bin lib loader libdirs
    loader=$tree/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    [[ -x $loader ]] || die "no loader in the $RELEASE user space"
    libdirs=$tree/usr/lib/x86_64-linux-gnu:$tree/lib/x86_64-linux-gnu
    mkdir -p "$root/release/bin" "$root/release/lib"
    cp -L "$loader" "$root/release/lib/ld-linux-x86-64.so.2"
    for bin in "${RELEASE_BINARIES[@]}"; do
        [[ -x $tree$bin ]] || die "$RELEASE package lacks $bin"
        install -m 0755 "$tree$bin" "$root/release/bin/$(basename "$bin")"
        while read -r lib; do
            [[ -n $lib && -e $lib ]] || continue
            cp -L "$lib" "$root/release/lib/$(basename "$lib")"
        done < <("$loader" --library-path "$libdirs" --list "$tree$bin" | awk '/=> \//{print $3}')
        # Called by its name in the guest: that release's loader and libraries, nothing of the host's.
        printf '#!/bin/sh\nexec /release/lib/ld-linux-x86-64.so.2 --library-path /release/lib /release/bin/%s "$@"\n' \
            "$(basename "$bin")" >"$root/usr/sbin/$(basename "$bin")-$RELEASE"
        chmod 0755 "$root/usr/sbin/$(basename "$bin")-$RELEASE"
    done
    log "$RELEASE user space: $(ls "$root/release/lib" | wc -l) libraries for ${RELEASE_BINARIES[*]}"
}

build_initramfs() {
    local kver=$1 root=$CACHE_DIR/initramfs-root
    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,mnt,lib/modules/"$kver",etc/nvme}
    ln -s lib "$root/lib64"
    cp /bin/busybox "$root/bin/busybox"
    # Applets as links, the way busybox --install would do it in the guest.
    for applet in $(/bin/busybox --list); do
        [[ -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
    done
    ln -sf ../bin/busybox "$root/sbin/modprobe"
    ln -sf ../bin/busybox "$root/sbin/insmod"
    copy_with_libraries "$root" "${GUEST_BINARIES[@]}"
    mkdir -p "$root/usr/sbin" "$root/usr/bin"
    copy_modules "$root" "$kver"
    [[ -z $RELEASE ]] || copy_release_userspace "$root"
    install -m 0755 "$HERE/guest-init.sh" "$root/init"
    echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
    echo "root:x:0:" >"$root/etc/group"
    (cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) |
        gzip -1 >"$CACHE_DIR/initramfs.cpio.gz.tmp"
    mv "$CACHE_DIR/initramfs.cpio.gz.tmp" "$CACHE_DIR/initramfs.cpio.gz"
    rm -rf "$root"
}

main() {
    check_prerequisites
    [[ -z $RELEASE ]] || use_release
    local kpkg key
    kpkg=$(kernel_package)
    [[ -n $kpkg ]] || die "apt-cache knows no linux-image-amd64 (run: apt-get update)"
    key=$(cache_key "$kpkg")
    if [[ -f $CACHE_DIR/guest.key && $(cat "$CACHE_DIR/guest.key") == "$key" &&
          -f $CACHE_DIR/vmlinuz && -f $CACHE_DIR/initramfs.cpio.gz ]]; then
        log "cached guest is up to date ($kpkg)"
    else
        log "building guest from $kpkg"
        rm -f "$CACHE_DIR/guest.key"
        fetch_kernel "$kpkg"
        [[ -z $RELEASE ]] || fetch_release_userspace
        local kver
        kver=$(kernel_release)
        cp "$CACHE_DIR/kernel-tree/boot/vmlinuz-$kver" "$CACHE_DIR/vmlinuz"
        build_initramfs "$kver"
        rm -rf "$CACHE_DIR/kernel-tree" "$CACHE_DIR/userspace-tree"
        echo "$key" >"$CACHE_DIR/guest.key"
        log "initramfs $(du -h "$CACHE_DIR/initramfs.cpio.gz" | cut -f1), kernel $kver"
    fi
    echo "$CACHE_DIR/vmlinuz"
    echo "$CACHE_DIR/initramfs.cpio.gz"
}

main "$@"
