#!/bin/sh
# Windrose aggregation 'lab', member 'node1' (Linux)
# Host NQN the subsystem admits: nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90
# Subsystem (this member's own):  nqn.2026-11.dev.windrose:agg.lab.node1
# Run as root on the member. Every command names the host NQN, so /etc/nvme/hostnqn stays as it is.
set -e
modprobe nvme-tcp
nvme discover -t tcp -a 192.0.2.10 -s 8009 -q nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90
nvme connect -t tcp -a 192.0.2.10 -s 4420 -n nqn.2026-11.dev.windrose:agg.lab.node1 -q nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90
nvme connect -t tcp -a 192.0.2.11 -s 4420 -n nqn.2026-11.dev.windrose:agg.lab.node1 -q nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90
nvme list
# To connect at every boot: one line per discovery controller in /etc/nvme/discovery.conf,
# read by 'nvme connect-all' (nvmf-autoconnect.service runs it at boot).
grep -qxF -- '--transport=tcp --traddr=192.0.2.10 --trsvcid=8009 --hostnqn=nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90' /etc/nvme/discovery.conf 2>/dev/null || \
    printf '%s\n' '--transport=tcp --traddr=192.0.2.10 --trsvcid=8009 --hostnqn=nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90' >> /etc/nvme/discovery.conf
systemctl enable nvmf-autoconnect.service
