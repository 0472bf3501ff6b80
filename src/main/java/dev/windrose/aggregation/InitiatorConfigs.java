package dev.windrose.aggregation;

import dev.windrose.common.PosixShell;
import dev.windrose.common.PowerShell;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a member's admin runs so the member connects to its own subsystem, for ESXi (esxcli), Linux
 * (nvme-cli and /etc/nvme/discovery.conf) and Windows Server. Each text says which host NQN the subsystem
 * admits, since a member that presents another NQN is refused.
 *
 * <p>Sources: ESXi — "esxcli nvme fabrics enable --protocol TCP --device vmnicN" creates the software
 * NVMe/TCP adapter, then "esxcli nvme fabrics discover|connect -a vmhbaN -i address -p port [-s subsystem NQN]"
 * (VMware vSphere Storage, "Configure NVMe over TCP on ESXi"); Linux — nvme-connect(1) and nvme-discover(1)
 * of nvme-cli, whose discovery.conf holds one line of discover options per controller
 * (https://manpages.debian.org/bookworm/nvme-cli/nvme-discover.1.en.html). Windows Server's inbox NVMe-oF
 * initiator was a preview for Windows Server Insider builds when this was written; Microsoft says it is
 * managed through PowerShell, but the cmdlets were not documented in anything Windrose could check, so
 * the Windows text gives the parameters and how to find the cmdlets, not invented syntax.
 *
 * <p>Every value is quoted for the shell that runs the script: {@link PosixShell} for Linux and ESXi (whose shell
 * is BusyBox ash), {@link PowerShell} for Windows; values in comments have their line breaks escaped. The quoting
 * holds on its own, whatever validation let through.
 *
 * <p>Searched again on 2026-11-25 (documentation pages, web pages, issue threads and public code; queries
 * "Windows Server 2025 NVMe over Fabrics initiator NVMe/TCP", "Windows Server NVMe-oF initiator nvmeofutil
 * connect", "nvmeofutil", "PowerShell Connect-NVMeoF cmdlet", "Microsoft Learn Windows Server NVMe-oF
 * initiator NVMe/TCP configure connect subsystem", "Windows Server Insider NVMe-oF initiator preview
 * announcement", "Windows inbox NVMe over TCP initiator PowerShell connect command"). Found only that the
 * initiator is a preview for Windows Server Insider builds (Lightbits' interoperability note of 2026-05-28)
 * and a Microsoft talk abstract saying it "surfaces through PowerShell for discovery and management"; no
 * Microsoft Learn page, cmdlet reference or example command. The Connect-NVMeTCPTarget functions in Azure
 * VMware Solution's modules configure ESXi hosts, not Windows. So still no documented Windows syntax.
 */
public final class InitiatorConfigs {

    /** What ESXi usually calls the first software NVMe/TCP adapter; the text tells the admin to check. */
    static final String ESXI_ADAPTER = "vmhba65";
    /** An example uplink; the text tells the admin to use the one of their storage network. */
    static final String ESXI_NIC = "vmnic1";

    private InitiatorConfigs() {
    }

    /**
     * @param subsystemNqn the member's own subsystem
     * @param listeners where the subsystem listens
     * @param discovery where the discovery controller listens; null when unknown
     */
    public static InitiatorConfig generate(MemberOs os, String aggregation, String member, String hostNqn,
            String subsystemNqn, List<Endpoint> listeners, @Nullable Endpoint discovery) {
        String base = aggregation + "-" + member;
        return switch (os) {
            case ESXI -> new InitiatorConfig(os, base + "-esxi.sh",
                    esxi(aggregation, member, hostNqn, subsystemNqn, listeners, discovery));
            case LINUX -> new InitiatorConfig(os, base + "-linux.sh",
                    linux(aggregation, member, hostNqn, subsystemNqn, listeners, discovery));
            case WINDOWS -> new InitiatorConfig(os, base + "-windows.ps1",
                    windows(aggregation, member, hostNqn, subsystemNqn, listeners, discovery));
        };
    }

    static String esxi(String aggregation, String member, String hostNqn, String subsystemNqn,
            List<Endpoint> listeners, @Nullable Endpoint discovery) {
        StringBuilder text = new StringBuilder("#!/bin/sh\n");
        text.append(header(aggregation, member, MemberOs.ESXI, hostNqn, subsystemNqn));
        text.append("""
                # 1. This host's NQN must be the one above, or the subsystem refuses it. Check it:
                esxcli nvme info get
                #    If it shows another Host NQN, change this member's host NQN in Windrose to that one.
                # 2. Enable NVMe over TCP on the uplink of your storage network (%s is an example). This adds a
                #    software NVMe/TCP adapter; find its name (vmhba…) in the adapter list.
                esxcli nvme fabrics enable --protocol TCP --device %s
                esxcli nvme adapter list
                # 3. Discover and connect; replace %s with the adapter listed above.
                """.formatted(ESXI_NIC, ESXI_NIC, ESXI_ADAPTER));
        if (discovery != null) {
            text.append("esxcli nvme fabrics discover -a ").append(ESXI_ADAPTER).append(" -i ")
                    .append(sh(discovery.address())).append(" -p ").append(discovery.port()).append('\n');
        }
        for (Endpoint listener : listeners) {
            text.append("esxcli nvme fabrics connect -a ").append(ESXI_ADAPTER).append(" -i ")
                    .append(sh(listener.address())).append(" -p ").append(listener.port()).append(" -s ")
                    .append(sh(subsystemNqn)).append('\n');
        }
        text.append("""
                # 4. The namespaces appear as NVMe devices of this host:
                esxcli nvme namespace list
                """);
        return text.toString();
    }

    static String linux(String aggregation, String member, String hostNqn, String subsystemNqn,
            List<Endpoint> listeners, @Nullable Endpoint discovery) {
        StringBuilder text = new StringBuilder("#!/bin/sh\n");
        text.append(header(aggregation, member, MemberOs.LINUX, hostNqn, subsystemNqn));
        text.append("""
                # Run as root on the member. Every command names the host NQN, so /etc/nvme/hostnqn stays as it is.
                set -e
                modprobe nvme-tcp
                """);
        if (discovery != null) {
            text.append("nvme discover -t tcp -a ").append(sh(discovery.address())).append(" -s ")
                    .append(discovery.port()).append(" -q ").append(sh(hostNqn)).append('\n');
        }
        for (Endpoint listener : listeners) {
            text.append("nvme connect -t tcp -a ").append(sh(listener.address())).append(" -s ").append(listener.port())
                    .append(" -n ").append(sh(subsystemNqn)).append(" -q ").append(sh(hostNqn)).append('\n');
        }
        text.append("nvme list\n");
        if (discovery != null) {
            // printf, not echo: dash's echo would turn a backslash in an NQN into something else.
            String line = sh(discoveryConfLine(hostNqn, discovery));
            text.append("""
                    # To connect at every boot: one line per discovery controller in /etc/nvme/discovery.conf,
                    # read by 'nvme connect-all' (nvmf-autoconnect.service runs it at boot).
                    grep -qxF -- %s /etc/nvme/discovery.conf 2>/dev/null || \\
                        printf '%%s\\n' %s >> /etc/nvme/discovery.conf
                    systemctl enable nvmf-autoconnect.service
                    """.formatted(line, line));
        }
        return text.toString();
    }

    /** The /etc/nvme/discovery.conf line: the options of 'nvme discover', one controller per line. */
    public static String discoveryConfLine(String hostNqn, Endpoint discovery) {
        return "--transport=tcp --traddr=" + discovery.address() + " --trsvcid=" + discovery.port()
                + " --hostnqn=" + hostNqn;
    }

    static String windows(String aggregation, String member, String hostNqn, String subsystemNqn,
            List<Endpoint> listeners, @Nullable Endpoint discovery) {
        StringBuilder text = header(aggregation, member, MemberOs.WINDOWS, hostNqn, subsystemNqn);
        text.append("""
                # Windows Server's inbox NVMe over Fabrics initiator (NVMe/TCP) was announced as a preview for
                # Windows Server Insider builds and is managed from PowerShell. Windrose found no published
                # reference for its cmdlets, so this file gives the connection parameters and how to find the
                # cmdlets of your build instead of guessing their syntax. Nothing below changes the system.
                #
                # 1. List the NVMe-oF cmdlets your build provides, and read their help:
                Get-Command -Noun *Nvme* | Sort-Object Source, Name | Format-Table Name, Source
                #    Get-Help <cmdlet> -Full
                # 2. Use them with these parameters (the subsystem admits only the host NQN above):
                """);
        text.append("$WindroseTransport    = 'TCP'\n");
        text.append("$WindroseHostNqn      = ").append(PowerShell.quote(hostNqn)).append('\n');
        text.append("$WindroseSubsystemNqn = ").append(PowerShell.quote(subsystemNqn)).append('\n');
        if (discovery != null) {
            text.append("$WindroseDiscovery    = @{ Address = ").append(PowerShell.quote(discovery.address()))
                    .append("; Port = ").append(discovery.port()).append(" }\n");
        }
        text.append("$WindroseControllers  = @(\n");
        for (int i = 0; i < listeners.size(); i++) {
            Endpoint listener = listeners.get(i);
            text.append("    @{ Address = ").append(PowerShell.quote(listener.address())).append("; Port = ")
                    .append(listener.port())
                    .append(" }").append(i + 1 < listeners.size() ? "," : "").append('\n');
        }
        text.append(")\n");
        text.append("""
                # 3. Once connected, the namespaces are NVMe disks of this server; Storage Spaces Direct sees
                #    them as eligible drives:
                Get-PhysicalDisk | Where-Object BusType -eq 'NVMe' | Format-Table FriendlyName, SerialNumber, Size, CanPool
                """);
        return text.toString();
    }

    /** The first lines: '#' comments in all three shells; escaped so a line break in a name cannot end them. */
    private static StringBuilder header(String aggregation, String member, MemberOs os, String hostNqn,
            String subsystemNqn) {
        return new StringBuilder()
                .append("# Windrose aggregation '").append(PosixShell.comment(aggregation)).append("', member '")
                .append(PosixShell.comment(member)).append("' (").append(os.label()).append(")\n")
                .append("# Host NQN the subsystem admits: ").append(PosixShell.comment(hostNqn)).append('\n')
                .append("# Subsystem (this member's own):  ").append(PosixShell.comment(subsystemNqn)).append('\n');
    }

    private static String sh(String value) {
        return PosixShell.quote(value);
    }
}
