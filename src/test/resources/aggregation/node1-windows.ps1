# Windrose aggregation 'lab', member 'node1' (Windows Server)
# Host NQN the subsystem admits: nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90
# Subsystem (this member's own):  nqn.2026-11.dev.windrose:agg.lab.node1
# Windows Server's inbox NVMe over Fabrics initiator (NVMe/TCP) was announced as a preview for
# Windows Server Insider builds and is managed from PowerShell. Windrose found no published
# reference for its cmdlets, so this file gives the connection parameters and how to find the
# cmdlets of your build instead of guessing their syntax. Nothing below changes the system.
#
# 1. List the NVMe-oF cmdlets your build provides, and read their help:
Get-Command -Noun *Nvme* | Sort-Object Source, Name | Format-Table Name, Source
#    Get-Help <cmdlet> -Full
# 2. Use them with these parameters (the subsystem admits only the host NQN above):
$WindroseTransport    = 'TCP'
$WindroseHostNqn      = 'nqn.2014-08.org.nvmexpress:uuid:6a1f0b52-3a57-4c4e-9d1c-2f4d7b1e8a90'
$WindroseSubsystemNqn = 'nqn.2026-11.dev.windrose:agg.lab.node1'
$WindroseDiscovery    = @{ Address = '192.0.2.10'; Port = 8009 }
$WindroseControllers  = @(
    @{ Address = '192.0.2.10'; Port = 4420 },
    @{ Address = '192.0.2.11'; Port = 4420 }
)
# 3. Once connected, the namespaces are NVMe disks of this server; Storage Spaces Direct sees
#    them as eligible drives:
Get-PhysicalDisk | Where-Object BusType -eq 'NVMe' | Format-Table FriendlyName, SerialNumber, Size, CanPool
