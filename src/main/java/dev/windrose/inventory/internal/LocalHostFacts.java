package dev.windrose.inventory.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Reads the local host's identity and resources from the operating system. */
final class LocalHostFacts {

    private final Path procfs;
    private final Path etc;

    LocalHostFacts(Path procfs, Path etc) {
        this.procfs = procfs;
        this.etc = etc;
    }

    HostFacts read(String dataplaneVersion, String dataplaneMode) {
        String name = hostName();
        return new HostFacts(machineId(name), name, addresses(), osName(), kernel(),
                Runtime.getRuntime().availableProcessors(), memoryBytes(), dataplaneVersion, dataplaneMode);
    }

    /** /etc/machine-id survives renames and address changes; without one the host name has to do. */
    String machineId(String hostName) {
        return readFirstLine(etc.resolve("machine-id")).filter(id -> !id.isBlank())
                .orElse("host:" + hostName);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }

    /** Every address of every interface that is up, loopback last (it is all a single-machine lab has). */
    static List<String> addresses() {
        List<String> addresses = new ArrayList<>();
        List<String> loopback = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    // A link-local address is only usable with its interface (fe80::1%eth0), which a
                    // listener and an initiator's command cannot carry: offering it would only fail later.
                    if (address.isLinkLocalAddress()) {
                        continue;
                    }
                    (address.isLoopbackAddress() ? loopback : addresses).add(text(address));
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        addresses.addAll(loopback);
        return addresses;
    }

    /** IPv4 as usual; IPv6 in its recommended short form (RFC 5952: "::1", "fd00::5"), without a zone. */
    static String text(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        // The longest run of two or more zero groups (the first of equals) becomes "::".
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > runLength) {
                runStart = i;
                runLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    String osName() {
        Path osRelease = etc.resolve("os-release");
        try {
            return Files.readAllLines(osRelease).stream()
                    .filter(line -> line.startsWith("PRETTY_NAME="))
                    .map(line -> line.substring("PRETTY_NAME=".length()).replace("\"", ""))
                    .findFirst().orElse(System.getProperty("os.name"));
        } catch (IOException e) {
            return System.getProperty("os.name");
        }
    }

    String kernel() {
        return readFirstLine(procfs.resolve("sys/kernel/osrelease")).orElse(System.getProperty("os.version"));
    }

    /** MemTotal from /proc/meminfo (in KiB there); 0 when it cannot be read, shown as unknown. */
    long memoryBytes() {
        try {
            return Files.readAllLines(procfs.resolve("meminfo")).stream()
                    .filter(line -> line.startsWith("MemTotal:"))
                    .map(line -> line.replaceAll("[^0-9]", ""))
                    .filter(digits -> !digits.isEmpty())
                    .mapToLong(kib -> Long.parseLong(kib) * 1024)
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static Optional<String> readFirstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().findFirst().map(String::strip);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
