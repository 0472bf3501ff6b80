#!/bin/sh
# Runs the bdev suite against a real block device: a loop device over a scratch image, with
# 512-byte and then 4096-byte logical blocks. Exit 77 (CTest "skipped") where loop devices
# cannot be created (not root, no /dev/loop-control).
set -u
test_bin=$1
img=$(mktemp /tmp/wr-bdev-loop.XXXXXX)
dev=""
cleanup() { [ -n "$dev" ] && losetup -d "$dev" 2>/dev/null; rm -f "$img"; }
trap cleanup EXIT
truncate -s 64M "$img"
for bs in 512 4096; do
	dev=$(losetup -b "$bs" -f --show "$img" 2>/dev/null) || { echo "no loop devices here: skipped"; exit 77; }
	WR_BDEV_TEST_BLOCKDEV=$dev "$test_bin" || exit 1
	losetup -d "$dev"
	dev=""
done
