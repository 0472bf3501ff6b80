package dev.windrose.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Page loads over real HTTP against the running test server, as a browser's first request does
 * (MockMvc cannot reach the Vaadin servlet). Redirects are not followed, so tests see them.
 */
public final class Browser {

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;

    public Browser(int port) {
        this.port = port;
    }

    public HttpResponse<String> open(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/html,application/xhtml+xml")
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
