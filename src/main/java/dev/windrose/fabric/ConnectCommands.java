package dev.windrose.fabric;

/**
 * Ready-to-run initiator commands for one subsystem, as the Connect panel shows them: Linux nvme-cli
 * and ESXi esxcli. Made by {@link FabricService#connectCommands}; the REST API, the subsystem page and
 * the onboarding wizard all show these same strings.
 */
public record ConnectCommands(String linuxDiscover, String linuxConnect, String esxiDiscover, String esxiConnect) {

    /** What ESXi calls its NVMe/TCP adapter; the admin replaces it with theirs. */
    public static final String ESXI_ADAPTER = "vmhba65";
    /** Linux reads its own host NQN from here when no host NQN is chosen; double quotes keep it one word. */
    public static final String LINUX_HOSTNQN = "\"$(cat /etc/nvme/hostnqn)\"";
}
