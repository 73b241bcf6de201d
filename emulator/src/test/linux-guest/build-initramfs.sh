#!/bin/bash
# Builds a small initramfs, from the host's own files, that boots a stock Linux kernel into an
# iSCSI initiator test: its /init logs in to a vHBA target with iscsistart, lets the kernel's sd
# driver attach the LUN, makes an ext4 filesystem, writes files, remounts and verifies them, prints
#   VHBA-GUEST-RESULT PASS <details>   or   VHBA-GUEST-RESULT FAIL <reason>
# on the console and powers off. Used by LinuxKernelAttachIT.
#
# usage: build-initramfs.sh OUTDIR [KERNEL_VERSION]
#   KERNEL_VERSION defaults to the newest /boot/vmlinuz-* that has /lib/modules/<version>/modules.dep.
# writes: OUTDIR/initramfs.cpio.gz  the archive (gzip: every distribution kernel has CONFIG_RD_GZIP)
#         OUTDIR/kernel             the path of the matching vmlinuz
#         OUTDIR/nic                the QEMU NIC model the guest has a driver for
#         OUTDIR/modules            the modules /init loads, in load order
# needs:  busybox (static), iscsistart, mkfs.ext4, cpio, gzip, ldd
set -euo pipefail

die() { echo "build-initramfs: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 OUTDIR [KERNEL_VERSION]"
OUT=$1
KVER=${2:-}
if [ -z "$KVER" ]; then
    for k in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sed 's|^/boot/vmlinuz-||' | sort -V -r); do
        if [ -f "/lib/modules/$k/modules.dep" ]; then KVER=$k; break; fi
    done
fi
[ -n "$KVER" ] || die "no /boot/vmlinuz-* with a matching /lib/modules/<version>/modules.dep"
MODDIR=/lib/modules/$KVER
[ -f "$MODDIR/modules.dep" ] || die "$MODDIR/modules.dep missing"
[ -r "/boot/vmlinuz-$KVER" ] || die "/boot/vmlinuz-$KVER missing or unreadable"

tool() {
    local p
    p=$(PATH="$PATH:/usr/sbin:/sbin" command -v "$1" 2>/dev/null) || die "$1 not found ($2)"
    echo "$p"
}
BUSYBOX=$(tool busybox "apt-get install busybox-static")
ISCSISTART=$(tool iscsistart "apt-get install open-iscsi")
MKFS=$(tool mkfs.ext4 "apt-get install e2fsprogs")
tool cpio "apt-get install cpio" >/dev/null
# busybox provides /init's shell and every applet before any library is in place: it must be static.
if ldd "$BUSYBOX" >/dev/null 2>&1; then die "$BUSYBOX is dynamically linked; install busybox-static"; fi

ROOT=$OUT/root
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,etc/iscsi,proc,sys,dev,run,tmp,mnt,var/lock,var/run,lib/modules}
cp "$BUSYBOX" "$ROOT/bin/busybox"

# ---- executables and the shared objects ldd says they load, at the paths ldd printed -------
copy_with_libs() {
    local exe=$1 dest=$2 lib
    cp -L "$exe" "$ROOT$dest"
    for lib in $(ldd "$exe" | awk '/=> \//{print $3} /^[[:space:]]*\/[^ ]+ \(/{print $1}'); do
        mkdir -p "$ROOT$(dirname "$lib")"
        [ -e "$ROOT$lib" ] || cp -L "$lib" "$ROOT$lib"
    done
}
copy_with_libs "$ISCSISTART" /sbin/iscsistart
copy_with_libs "$MKFS" /sbin/mkfs.ext4
# Without it mke2fs falls back to its compiled-in defaults, which may differ from the host's.
[ -f /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$ROOT/etc/mke2fs.conf"

# ---- kernel modules, ordered dependencies-first from modules.dep -------------------------
declare -A DEP_PATH=() DEP_LIST=() SOFT_PRE=() ALIAS=() BUILTIN=() EMITTED=()
ORDER=()
modname() { local b=${1##*/}; b=${b%%.ko*}; echo "${b//-/_}"; }
while IFS= read -r line; do
    path=${line%%:*}
    name=$(modname "$path")
    DEP_PATH[$name]=$path
    DEP_LIST[$name]=${line#*:}
done <"$MODDIR/modules.dep"
if [ -f "$MODDIR/modules.builtin" ]; then
    while IFS= read -r path; do BUILTIN[$(modname "$path")]=1; done <"$MODDIR/modules.builtin"
fi
if [ -f "$MODDIR/modules.softdep" ]; then
    while read -r kw mod rest; do
        [ "$kw" = softdep ] || continue
        # "softdep M pre: A B post: C": only the pre: part must be loaded first.
        pre=$(sed -n 's/^pre: *\([^:]*\)\( post:.*\)\{0,1\}$/\1/p' <<<"$rest")
        SOFT_PRE[${mod//-/_}]=$pre
    done <"$MODDIR/modules.softdep"
fi
while read -r kw alias mod; do
    [ "$kw" = alias ] || continue
    case $alias in *'*'*|*'?'*|*'['*) continue ;; esac
    ALIAS[$alias]="${ALIAS[$alias]:-} ${mod//-/_}"
done <"$MODDIR/modules.alias"

# visit NAME NEED: post-order walk, so every module follows its dependencies. NEED is "required"
# or "optional" (a softdep provider); a module's dependencies are needed as much as it is, and
# "required" wins when a module is reached both ways.
declare -A NEED=()
visit() {
    local name=${1//-/_} need=$2 soft cand d
    [ -n "${BUILTIN[$name]:-}" ] && return 0
    if [ -n "${EMITTED[$name]:-}" ]; then
        if [ "$need" = required ]; then
            NEED[$name]=required
            for d in ${DEP_LIST[$name]}; do NEED[$(modname "$d")]=required; done
        fi
        return 0
    fi
    if [ -z "${DEP_PATH[$name]:-}" ]; then
        [ "$need" = required ] && die "module $name is neither built in nor in $MODDIR/modules.dep"
        return 0
    fi
    EMITTED[$name]=1
    for soft in ${SOFT_PRE[$name]:-}; do
        # A softdep names a module or an alias (crypto-crc32c); any provider will do, so each is optional.
        if [ -n "${DEP_PATH[${soft//-/_}]:-}" ]; then visit "$soft" optional; fi
        for cand in ${ALIAS[$soft]:-}; do visit "$cand" optional; done
    done
    for d in ${DEP_LIST[$name]}; do visit "$(modname "$d")" "$need"; done
    [ "${NEED[$name]:-}" = required ] || NEED[$name]=$need
    ORDER+=("$name")
}

# The NIC: virtio-net (fast under TCG) when the kernel has it, else e1000.
NIC=virtio-net-pci
NIC_MODULES="virtio_pci virtio_net"
if [ -z "${BUILTIN[virtio_net]:-}${DEP_PATH[virtio_net]:-}" ]; then
    NIC=e1000
    NIC_MODULES="e1000"
fi
# crc32c: iscsi_tcp allocates a crc32c hash for every connection (digests or not); ext4 checksums metadata with it.
for m in $NIC_MODULES iscsi_tcp sd_mod ext4 crc32c_generic; do visit "$m" required; done

: >"$OUT/modules"
for name in "${ORDER[@]}"; do
    path=${DEP_PATH[$name]}
    mkdir -p "$ROOT/lib/modules/$(dirname "$path")"
    cp "$MODDIR/$path" "$ROOT/lib/modules/$path"
    echo "${NEED[$name]} $path" >>"$OUT/modules"
done
cp "$OUT/modules" "$ROOT/etc/modules.order"

# ---- /init ---------------------------------------------------------------------------------
cat >"$ROOT/init" <<'INIT'
#!/bin/busybox sh
# vHBA guest test. Kernel parameters: vhba.portal=IP:PORT vhba.target=IQN [vhba.initiator=IQN]
# [vhba.mib=N] (size of the pattern file) [vhba.deadline=SECONDS] (whole-run limit)
# [vhba.mode=ext4|medium-error] (the ext4 round trip, or reads around a medium error at LBA 2048-2055).
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# No modprobe in here: request_module() fails fast instead of waiting on a helper.
echo >/proc/sys/kernel/modprobe 2>/dev/null

PORTAL= TARGET= INITIATOR=iqn.2026-11.io.vhba.guest:linux MIB=8 DEADLINE=420 MODE=ext4
for arg in $(cat /proc/cmdline); do
    case $arg in
        vhba.portal=*) PORTAL=${arg#*=} ;;
        vhba.target=*) TARGET=${arg#*=} ;;
        vhba.initiator=*) INITIATOR=${arg#*=} ;;
        vhba.mib=*) MIB=${arg#*=} ;;
        vhba.deadline=*) DEADLINE=${arg#*=} ;;
        vhba.mode=*) MODE=${arg#*=} ;;
    esac
done

say() { echo "vhba-guest: $*"; }
finish() {
    # Quiet the kernel's console output so the verdict line is not interleaved with printk.
    dmesg -n 1
    echo
    echo "VHBA-GUEST-RESULT $*"
    sync
    poweroff -f
    sleep 5
}
fail() {
    say "FAILED: $*"
    echo "---- guest dmesg (tail) ----"
    dmesg | tail -n 60
    echo "---- end dmesg ----"
    finish FAIL "$*"
}
# Every step below is bounded; this is the bound on all of them together. Steps whose helper
# would sit in /mnt (busybox timeout leaves a watcher process with the caller's cwd and open
# files behind for up to a second, which makes umount fail with EBUSY) rely on it alone.
( sleep "$DEADLINE"; fail "guest deadline of ${DEADLINE}s passed" ) &

# umount, retried briefly: a process that just exited may still hold the mount for a moment.
unmount() {
    n=0
    until umount /mnt 2>/tmp/umount.err; do
        n=$((n + 1)); [ $n -le 50 ] || fail "umount /mnt: $(cat /tmp/umount.err)"; sleep 0.2
    done
}

[ -n "$PORTAL" ] && [ -n "$TARGET" ] || fail "vhba.portal= and vhba.target= are required on the kernel command line"
ADDR=${PORTAL%:*}
PORT=${PORTAL##*:}

say "loading modules"
while read -r need path; do
    if ! insmod "/lib/modules/$path" 2>/tmp/insmod.err; then
        if [ "$need" = required ]; then
            grep -q "File exists" /tmp/insmod.err || fail "insmod $path: $(cat /tmp/insmod.err)"
        else
            say "optional module $path not loaded: $(cat /tmp/insmod.err)"
        fi
    fi
done </etc/modules.order

say "configuring eth0 (slirp 10.0.2.15/24 via 10.0.2.2)"
n=0
until [ -e /sys/class/net/eth0 ]; do
    n=$((n + 1)); [ $n -le 100 ] || fail "no eth0 after 10 s"; sleep 0.1
done
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0 || fail "ip addr add"
ip link set eth0 up || fail "ip link set eth0 up"
ip route add default via 10.0.2.2 || fail "ip route add default"

say "logging in to $TARGET at $ADDR:$PORT as $INITIATOR"
timeout 90 iscsistart -i "$INITIATOR" -t "$TARGET" -g 1 -a "$ADDR" -p "$PORT" \
    -P node.conn[0].timeo.login_timeout=30 -P node.session.initial_login_retry_max=2 \
    || fail "iscsistart exited $?"

say "waiting for the sd disk"
DISK=
n=0
while [ -z "$DISK" ]; do
    for b in /sys/block/sd*; do
        [ -e "$b/device" ] && [ "$(cat "$b/size")" != 0 ] && DISK=${b##*/}
    done
    [ -n "$DISK" ] && break
    n=$((n + 1)); [ $n -le 600 ] || fail "no sd disk 60 s after login"; sleep 0.1
done
n=0
until [ -b "/dev/$DISK" ]; do
    n=$((n + 1)); [ $n -le 100 ] || fail "/dev/$DISK did not appear"; sleep 0.1
done
SECTORS=$(cat /sys/block/$DISK/size)
say "disk /dev/$DISK: $SECTORS 512-byte sectors, vendor '$(cat /sys/block/$DISK/device/vendor)' model '$(cat /sys/block/$DISK/device/model)'"

if [ "$MODE" = medium-error ]; then
    # The target injects a medium error on LBAs 2048-2055. One 16-sector direct read from LBA 2040:
    # sd takes the INFORMATION field of the sense (2048) as the first bad block, completes the 8 good
    # sectors and fails the rest, so the kernel's "critical medium error ... sector 2048" shows the
    # field was read. Reads either side of the range must succeed.
    rd() { dd if="/dev/$DISK" of=/dev/null bs=8192 count=1 skip=$(( $1 * 512 )) iflag=direct,skip_bytes 2>/dev/null; }
    rd 0 || fail "read at LBA 0 failed"
    if rd 2040; then fail "read of LBA 2040-2055 succeeded despite the medium error"; fi
    rd 4096 || fail "read at LBA 4096 failed"
    sleep 1 # let the kernel's error lines reach the console before the verdict
    finish PASS "medium-error disk=$DISK lba0=ok lba2040=failed lba4096=ok"
fi

timeout 180 mkfs.ext4 -F -q -L vhba "/dev/$DISK" || fail "mkfs.ext4 exited $?"
timeout 60 mount -t ext4 "/dev/$DISK" /mnt || fail "mount exited $?"

say "writing files"
echo "written by $(uname -sr) through vHBA" >/mnt/hello.txt || fail "write hello.txt"
mkdir -p /mnt/dir/sub || fail "mkdir"
i=0
while [ $i -lt 16 ]; do
    seq -s , "$i" $((i * 37 + 100)) >"/mnt/dir/sub/small-$i.txt" || fail "write small-$i.txt"
    i=$((i + 1))
done
# The pattern: decimal block numbers, 8 bytes each ("%07d\n"), so a misplaced block changes the digest.
LINES=$((MIB * 131072))
seq -w 0 $((LINES - 1)) >/mnt/pattern.bin || fail "write pattern.bin"
SIZE=$(stat -c %s /mnt/pattern.bin)
[ "$SIZE" = $((MIB * 1048576)) ] || fail "pattern.bin is $SIZE bytes, not $((MIB * 1048576))"
(cd /mnt && find . -type f ! -name SHA256SUMS | sort | xargs sha256sum) >/tmp/SHA256SUMS || fail "sha256sum"
cp /tmp/SHA256SUMS /mnt/SHA256SUMS || fail "write SHA256SUMS"
FILES=$(wc -l </tmp/SHA256SUMS)
PATTERN_SHA=$(awk '$2 == "./pattern.bin" {print $1}' /tmp/SHA256SUMS)
timeout 60 sync || fail "sync"
unmount

say "remounting and verifying"
# The page cache must not answer the reads: drop it, so the verification reads the target.
echo 3 >/proc/sys/vm/drop_caches
blockdev --flushbufs "/dev/$DISK"
timeout 60 mount -t ext4 -o ro "/dev/$DISK" /mnt || fail "remount exited $?"
cmp -s /tmp/SHA256SUMS /mnt/SHA256SUMS || fail "SHA256SUMS on disk differs from the one written"
(cd /mnt && sha256sum -c /tmp/SHA256SUMS) >/tmp/check.out 2>&1 || { cat /tmp/check.out; fail "checksums differ after remount"; }
READ_SHA=$(sha256sum /mnt/pattern.bin | awk '{print $1}')
[ "$READ_SHA" = "$PATTERN_SHA" ] || fail "pattern.bin reads back as $READ_SHA, written $PATTERN_SHA"
unmount

finish PASS "disk=$DISK sectors=$SECTORS files=$FILES pattern_mib=$MIB pattern_sha256=$PATTERN_SHA"
INIT
chmod 755 "$ROOT/init"

# ---- the archive -------------------------------------------------------------------------
(cd "$ROOT" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --owner 0:0 --quiet) | gzip -6 >"$OUT/initramfs.cpio.gz.tmp"
mv "$OUT/initramfs.cpio.gz.tmp" "$OUT/initramfs.cpio.gz"
echo "/boot/vmlinuz-$KVER" >"$OUT/kernel"
echo "$NIC" >"$OUT/nic"
rm -rf "$ROOT"
echo "$OUT/initramfs.cpio.gz"
