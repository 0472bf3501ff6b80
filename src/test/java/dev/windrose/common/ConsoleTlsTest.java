package dev.windrose.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate made at first start when HTTPS is asked for without a certificate of the user's. */
class ConsoleTlsTest {

    @TempDir
    Path dataDir;

    @Test
    void a_self_signed_key_store_is_made_once_readable_by_the_service_user_only_and_reused() throws Exception {
        Path tls = dataDir.resolve("tls");
        ConsoleTls.SelfSigned made = ConsoleTls.ensure(tls);

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(made.keyStore())) {
            store.load(in, made.password().toCharArray());
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate(ConsoleTls.ALIAS);
        assertThat(certificate.getSubjectX500Principal().getName()).contains("O=Windrose self-signed");
        assertThat(certificate.getSubjectAlternativeNames()).anySatisfy(name -> assertThat(name.get(1)).isEqualTo("localhost"));
        assertThat(store.isKeyEntry(ConsoleTls.ALIAS)).isTrue();
        assertThat(Files.getPosixFilePermissions(made.keyStore())).isEqualTo(PrivateFiles.FILE);
        assertThat(Files.getPosixFilePermissions(tls.resolve("console.p12.password"))).isEqualTo(PrivateFiles.FILE);
        assertThat(Files.getPosixFilePermissions(tls)).isEqualTo(PrivateFiles.DIRECTORY);
        assertThat(Files.readAllLines(tls.resolve("console.p12.password"))).containsExactly(made.password());

        assertThat(ConsoleTls.ensure(tls)).as("the next start uses the same one").isEqualTo(made);
    }
}
