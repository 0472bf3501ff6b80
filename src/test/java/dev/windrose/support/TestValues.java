package dev.windrose.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.UUID;
import org.springframework.test.web.servlet.ResultActions;

/** Small values the REST and view tests all need: a free port, a unique name, a response's body. */
public final class TestValues {

    private TestValues() {
    }

    /** A loopback port nobody uses right now (the kernel's choice), for a listener the test then creates. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A name no earlier test used, lower-case (names may become part of NQNs). */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    public static String body(ResultActions result) throws Exception {
        return result.andReturn().getResponse().getContentAsString();
    }
}
