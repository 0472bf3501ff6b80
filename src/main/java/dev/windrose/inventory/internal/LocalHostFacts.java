package dev.windrose.inventory.internal;

import java.io.IOException;
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
                    String text = address.getHostAddress().replaceFirst("%.*$", "");
                    (address.isLoopbackAddress() ? loopback : addresses).add(text);
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        addresses.addAll(loopback);
        return addresses;
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
