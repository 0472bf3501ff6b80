package dev.windrose.fabric;

import dev.windrose.common.InvalidInputException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A listener's address, checked to be an IP literal (never resolved: a name would make the listener
 * depend on DNS at every start) and a port.
 *
 * @param family IPV4 or IPV6
 */
public record ListenerAddress(String family, String address, int port) {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    public static ListenerAddress parse(String address, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("port", "A port is 1 to 65535 (4420 is the NVMe/TCP port), not " + port + ".");
        }
        String value = address.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (IPV4.matcher(value).matches()) {
            return new ListenerAddress("IPV4", value, port);
        }
        if (value.contains(":") && !value.startsWith(".") && IPV6_CHARS.matcher(value).matches() && isIpv6Literal(value)) {
            return new ListenerAddress("IPV6", value.toLowerCase(java.util.Locale.ROOT), port);
        }
        throw new InvalidInputException("address", "'" + address + "' is not an IPv4 or IPv6 address "
                + "(e.g. 192.0.2.10, 0.0.0.0 for every interface, or ::1).");
    }

    private static boolean isIpv6Literal(String value) {
        try {
            // Only hex digits, colons and dots reach here, starting with a hex digit or a colon: InetAddress
            // parses such a string as a literal and never asks DNS.
            return InetAddress.getByName(value) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "IPV6".equals(family) ? "[" + address + "]:" + port : address + ":" + port;
    }
}
