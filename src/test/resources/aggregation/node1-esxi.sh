#!/bin/sh
# Windrose aggregation 'lab', member 'node1' (VMware ESXi)
# Host NQN the subsystem admits: nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90
# Subsystem (this member's own):  nqn.2026-11.dev.windrose:agg.lab.node1
# 1. This host's NQN must be the one above, or the subsystem refuses it. Check it:
esxcli nvme info get
#    If it shows another Host NQN, change this member's host NQN in Windrose to that one.
# 2. Enable NVMe over TCP on the uplink of your storage network (vmnic1 is an example). This adds a
#    software NVMe/TCP adapter; find its name (vmhba…) in the adapter list.
esxcli nvme fabrics enable --protocol TCP --device vmnic1
esxcli nvme adapter list
# 3. Discover and connect; replace vmhba65 with the adapter listed above.
esxcli nvme fabrics discover -a vmhba65 -i 192.0.2.10 -p 8009
esxcli nvme fabrics connect -a vmhba65 -i 192.0.2.10 -p 4420 -s nqn.2026-11.dev.windrose:agg.lab.node1
esxcli nvme fabrics connect -a vmhba65 -i 192.0.2.11 -p 4420 -s nqn.2026-11.dev.windrose:agg.lab.node1
# 4. The namespaces appear as NVMe devices of this host:
esxcli nvme namespace list
