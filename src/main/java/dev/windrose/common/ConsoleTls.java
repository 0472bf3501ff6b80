package dev.windrose.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HTTPS for the console with a certificate made at first start, for installs without one of their own
 * ({@code windrose.tls.self-signed=true}). A certificate of the user's is configured with Spring Boot's
 * own {@code server.ssl.*} settings instead and always wins. The key store and its password stay in
 * {@code <data-dir>/tls}, readable by the service user only.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleTls {

    private static final Logger log = LoggerFactory.getLogger(ConsoleTls.class);
    static final String ALIAS = "windrose";
    private static final int VALID_DAYS = 825;
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> selfSignedCertificate(
            @Value("${windrose.tls.self-signed:false}") boolean selfSigned, WindroseProperties windrose) {
        return factory -> {
            if (!selfSigned || (factory.getSsl() != null && factory.getSsl().isEnabled())) {
                return;
            }
            SelfSigned store = ensure(windrose.dataDir().resolve("tls"));
            Ssl ssl = new Ssl();
            ssl.setEnabled(true);
            ssl.setKeyStore(store.keyStore().toAbsolutePath().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(store.password());
            ssl.setKeyAlias(ALIAS);
            factory.setSsl(ssl);
            log.info("HTTPS with the self-signed certificate in {} (browsers will ask to trust it once; set "
                    + "server.ssl.* to use a certificate of your own)", store.keyStore().toAbsolutePath());
        };
    }

    record SelfSigned(Path keyStore, String password) {
    }

    /** The key store in this directory, made (EC P-256, {@value #VALID_DAYS} days) if there is none yet. */
    static SelfSigned ensure(Path directory) {
        Path keyStore = directory.resolve("console.p12");
        Path passwordFile = directory.resolve("console.p12.password");
        try {
            PrivateFiles.createDirectories(directory);
            PrivateFiles.tighten(directory);
            if (Files.isRegularFile(keyStore) && Files.isRegularFile(passwordFile)) {
                return new SelfSigned(keyStore, Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
            }
            Files.deleteIfExists(keyStore);
            Files.deleteIfExists(passwordFile);
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            Files.writeString(PrivateFiles.createFile(passwordFile), password, StandardCharsets.UTF_8);
            generate(keyStore, password);
            PrivateFiles.tighten(keyStore);
            return new SelfSigned(keyStore, password);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the self-signed certificate in " + directory + ": "
                    + e.getMessage() + ". Check that the data directory is writable, or set server.ssl.*", e);
        }
    }

    /** The JDK's keytool: the JDK has no public API to sign a certificate. */
    private static void generate(Path keyStore, String password) throws IOException {
        String host = hostName();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", Integer.toString(VALID_DAYS),
                "-dname", "CN=" + host + ", O=Windrose self-signed",
                "-ext", "SAN=dns:" + host + ",dns:localhost,ip:127.0.0.1,ip:::1",
                "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass:env", "WR_STOREPASS", "-keypass:env", "WR_STOREPASS", "-noprompt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The password goes through the environment, not the command line other users can read in ps.
        builder.environment().put("WR_STOREPASS", password);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.matches("[A-Za-z0-9.-]{1,253}") ? name : "localhost";
        } catch (IOException e) {
            return "localhost";
        }
    }
}
