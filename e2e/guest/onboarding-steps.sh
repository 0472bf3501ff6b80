# Guest steps of the onboarding spec (e2e/tests/onboarding.spec.ts), run by run-guest.sh after
# guest-lib.sh: the Linux connect command the wizard's last step shows ($CONNECT_COMMAND, with only
# 127.0.0.1 replaced by 10.0.2.2), a crc32c-verified fio pattern on the new namespace, then the host
# side is asked to confirm that the wizard's indicator turned green naming this host.
plan connect-as-shown namespace-appears write-verify wizard-names-this-host
step_sh connect-as-shown "$CONNECT_COMMAND"
if wait_for 120 block_device_of "$SUBNQN" 1; then
	pass namespace-appears
else
	fail namespace-appears "no block device for namespace 1 of $SUBNQN"
fi
fio_write_verify write-verify "$(block_device_of "$SUBNQN" 1)" 16M
if ask_host wizard-indicator; then
	pass wizard-names-this-host
else
	fail wizard-names-this-host "the host did not see the wizard's indicator name $HOSTNQN"
fi
