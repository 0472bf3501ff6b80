# Sourced by guest-auth.sh in the second interop guest (Debian trixie's kernel: bookworm's 6.1 has no
# NVMe/TCP TLS): the TLS 1.3 PSK steps against wr-target's subsystem $TLS_SUBNQN, on port $TLS_PORT
# that requires TLS. The host side is Linux's: trixie's nvme-cli 2.13 puts the TLS PSK it derives
# from $TLS_PSK (interchange format, made by `wr-target --gen-tls-psk`) into the kernel's .nvme
# keyring, the kernel's nvme-tcp asks tlshd (ktls-utils 1.0, trixie's) for the handshake and runs
# the records in kTLS. Both binaries are trixie's, run with trixie's loader and libraries
# (build-guest.sh puts them under /release); the suffix -trixie names them.
TLS_STEPS="tls-kernel-support tls-tlshd tls-key-insert tls-connect tls-channel-in-sysfs tls-fio-verify
tls-disconnect tls-refuse-plain tls-refuse-wrong-psk"

NVME_TLS=nvme-trixie
TLS_CONNECT_ARGS="-t tcp -a $TARGET_ADDR -s $TLS_PORT -n $TLS_SUBNQN --hostnqn=$HOSTNQN --hostid=$HOSTID"

tls_controller_gone() { ! controller_of "$TLS_SUBNQN" >/dev/null; }

if grep -q '^tls ' /proc/modules && grep -q '^nvme_tcp ' /proc/modules && grep -q ' \.nvme: ' /proc/keys; then
    pass tls-kernel-support
else
    fail tls-kernel-support "no tls module, nvme_tcp or .nvme keyring (modules: $(cut -d' ' -f1 /proc/modules | tr '\n' ' '))"
fi

# tlshd takes the kernel's handshake requests; it must be allowed to read the .nvme keyring.
mkdir -p /etc
cat >/etc/tlshd.conf <<EOF
[debug]
loglevel=1
tls=0
nl=0

[authenticate]
keyrings=.nvme
EOF
tlshd-trixie -s -c /etc/tlshd.conf >/tmp/tlshd.log 2>&1 &
TLSHD_PID=$!
sleep 2
if kill -0 "$TLSHD_PID" 2>/dev/null; then
    pass tls-tlshd
else
    fail tls-tlshd "tlshd exited: $(tail -5 /tmp/tlshd.log | tr '\n' ' ')"
fi

# The identity nvme-cli inserts (version 0, "NVMe0R01 <hostnqn> <subnqn>") and the TLS PSK it
# derives for it are what the kernel hands tlshd.
if run_shown tls-key-insert $NVME_TLS check-tls-key --insert -d "$TLS_PSK" -n "$HOSTNQN" -c "$TLS_SUBNQN" &&
        grep -q "NVMe0R01 $HOSTNQN $TLS_SUBNQN" /proc/keys; then
    pass tls-key-insert
else
    fail tls-key-insert "nvme check-tls-key --insert did not put the key into .nvme ($(grep NVMe /proc/keys))"
fi

if run_shown tls-connect $NVME_TLS connect --tls $TLS_CONNECT_ARGS && wait_for 20 controller_of "$TLS_SUBNQN"; then
    pass tls-connect
else
    fail tls-connect "nvme connect --tls failed"
    echo "INTEROP OUTPUT tlshd"; cat /tmp/tlshd.log; echo "INTEROP END tlshd rc=0"
fi
CTRL=$(controller_of "$TLS_SUBNQN")
# The controller's tls_key attribute names the key the channel was opened with.
if [ -n "$CTRL" ] && [ -n "$(cat "/sys/class/nvme/$CTRL/tls_key" 2>/dev/null)" ]; then
    pass tls-channel-in-sysfs
else
    fail tls-channel-in-sysfs "the controller has no TLS key in sysfs ($(ls /sys/class/nvme/$CTRL 2>/dev/null | tr '\n' ' '))"
fi
wait_for 60 block_device_of "$TLS_SUBNQN" 1
fio_verify tls-fio-verify "$(block_device_of "$TLS_SUBNQN" 1)"
if run_shown tls-disconnect nvme disconnect -n "$TLS_SUBNQN" && grep -q "disconnected 1 controller" /tmp/out &&
        wait_for 20 tls_controller_gone; then
    pass tls-disconnect
else
    fail tls-disconnect "nvme disconnect failed"
fi

# --- refusals: the connect fails and leaves no controller behind -------------------------------------
expect_tls_refused() {
    local step=$1
    shift
    if run_shown "$step" "$@"; then
        fail "$step" "the connect was accepted"
        nvme disconnect -n "$TLS_SUBNQN" >/dev/null 2>&1
    elif wait_for 10 controller_of "$TLS_SUBNQN"; then
        fail "$step" "connect failed but a controller exists"
    else
        pass "$step"
    fi
}
# Plain NVMe/TCP on the port that requires TLS: closed before ICResp.
expect_tls_refused tls-refuse-plain $NVME_TLS connect $TLS_CONNECT_ARGS
# Another PSK under the same identity (check-tls-key --insert replaces it): the binder fails.
$NVME_TLS check-tls-key --insert -d "$WRONG_TLS_PSK" -n "$HOSTNQN" -c "$TLS_SUBNQN" >/dev/null 2>&1
expect_tls_refused tls-refuse-wrong-psk $NVME_TLS connect --tls $TLS_CONNECT_ARGS

echo "INTEROP OUTPUT tls-dmesg"; dmesg | grep -i -E 'nvme|tls|handshake' | tail -30; echo "INTEROP END tls-dmesg rc=0"
echo "INTEROP OUTPUT tlshd-log"; tail -30 /tmp/tlshd.log; echo "INTEROP END tlshd-log rc=0"
kill "$TLSHD_PID" 2>/dev/null
