package dev.windrose.fabric;

import dev.windrose.fabric.SubsystemInfo.ListenerInfo;
import dev.windrose.common.PosixShell;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ready-to-run initiator commands for a subsystem: Linux nvme-cli and ESXi esxcli. Wildcard listeners
 * (0.0.0.0, ::) are reached through one of this host's addresses. Every value is quoted for the shell that runs
 * the command ({@link PosixShell}: Linux's sh and ESXi's BusyBox ash), whatever validation let through.
 *
 * @param discoveryAddress where the discovery controller listens, null when the target is not running
 */
record ConnectCommandGenerator(SubsystemInfo subsystem, @Nullable String discoveryAddress, int discoveryPort,
        List<String> hostAddresses) {

    /** What the Linux connect command holds for a DH-HMAC-CHAP secret that is set but not in hand. */
    static final String HOST_SECRET_PLACEHOLDER = "<paste the host secret DHHC-1:...>";
    static final String CONTROLLER_SECRET_PLACEHOLDER = "<paste the controller secret DHHC-1:...>";

    /** All four commands; hostNqn null means the initiator's own (read from /etc/nvme/hostnqn). */
    ConnectCommands commands(@Nullable String hostNqn) {
        return commands(hostNqn, ShownSecrets.NONE);
    }

    /** With the DH-HMAC-CHAP secrets just shown, where the host has them (issue 17). */
    ConnectCommands commands(@Nullable String hostNqn, ShownSecrets shown) {
        return new ConnectCommands(linuxDiscover(hostNqn), linuxConnect(hostNqn) + dhchapOptions(hostNqn, shown),
                esxiDiscover(), esxiConnect());
    }

    /**
     * nvme-cli's --dhchap-secret and --dhchap-ctrl-secret for a host that must authenticate: the secret when it
     * was just shown, a placeholder asking for it otherwise; nothing for a host without secrets.
     */
    String dhchapOptions(@Nullable String hostNqn, ShownSecrets shown) {
        SubsystemInfo.Dhchap dhchap = hostNqn == null ? null : subsystem.allowedHosts().stream()
                .filter(h -> h.hostNqn().equals(hostNqn)).map(SubsystemInfo.AllowedHost::dhchap)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (dhchap == null) {
            return "";
        }
        String options = " --dhchap-secret " + quote(shown.hostSecret() != null ? shown.hostSecret() : HOST_SECRET_PLACEHOLDER);
        if (dhchap.controllerSecretSetAt() != null) {
            options += " --dhchap-ctrl-secret " + quote(shown.controllerSecret() != null ? shown.controllerSecret()
                    : CONTROLLER_SECRET_PLACEHOLDER);
        }
        return options;
    }

    /** The listener an initiator should use, when there is one. */
    @Nullable ListenerInfo listener() {
        return subsystem.listeners().isEmpty() ? null : subsystem.listeners().getFirst();
    }

    String linuxDiscover(@Nullable String hostNqn) {
        ListenerInfo listener = listener();
        String address = discoveryAddress != null ? reachable(discoveryAddress) : listener == null ? "<address>" : reachable(listener.address());
        int port = discoveryAddress != null ? discoveryPort : listener == null ? 8009 : listener.port();
        return "nvme discover -t tcp -a " + quote(address) + " -s " + port + " -q " + host(hostNqn);
    }

    String linuxConnect(@Nullable String hostNqn) {
        ListenerInfo listener = listener();
        String address = listener == null ? "<address>" : reachable(listener.address());
        int port = listener == null ? 4420 : listener.port();
        return "nvme connect -t tcp -a " + quote(address) + " -s " + port + " -n " + quote(subsystem.nqn()) + " -q "
                + host(hostNqn);
    }

    String esxiDiscover() {
        ListenerInfo listener = listener();
        String address = discoveryAddress != null ? reachable(discoveryAddress) : listener == null ? "<address>" : reachable(listener.address());
        int port = discoveryAddress != null ? discoveryPort : listener == null ? 8009 : listener.port();
        return "esxcli nvme fabrics discover -a " + ConnectCommands.ESXI_ADAPTER + " -i " + quote(address) + " -p " + port;
    }

    String esxiConnect() {
        ListenerInfo listener = listener();
        String address = listener == null ? "<address>" : reachable(listener.address());
        int port = listener == null ? 4420 : listener.port();
        return "esxcli nvme fabrics connect -a " + ConnectCommands.ESXI_ADAPTER + " -i " + quote(address) + " -p " + port
                + " -s " + quote(subsystem.nqn());
    }

    private static String host(@Nullable String hostNqn) {
        return hostNqn == null ? ConnectCommands.LINUX_HOSTNQN : quote(hostNqn);
    }

    private static String quote(String value) {
        return PosixShell.quote(value);
    }

    /** A wildcard address accepts on every interface; an initiator needs one of them. */
    private String reachable(String address) {
        boolean wildcard = address.equals("0.0.0.0") || address.equals("::") || address.matches("[0:]+");
        if (!wildcard) {
            return address;
        }
        boolean ipv6 = address.contains(":");
        return hostAddresses.stream().filter(a -> a.contains(":") == ipv6).findFirst().orElse("<this host's address>");
    }
}
