package dev.windrose.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiTokenSecretsTest {

    @Test
    void a_secret_is_wr_prefixed_and_carries_32_random_bytes() {
        String secret = ApiTokenSecrets.generate();
        assertThat(secret).startsWith("wr_");
        assertThat(Base64.getUrlDecoder().decode(secret.substring(3))).hasSize(32);
        assertThat(ApiTokenSecrets.looksLikeToken(secret)).isTrue();
    }

    @Test
    void secrets_do_not_repeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ApiTokenSecrets.generate())).isTrue();
        }
    }

    @Test
    void the_stored_hash_is_the_sha256_hex_of_the_secret() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        assertThat(ApiTokenSecrets.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void the_display_prefix_reveals_only_a_few_characters() {
        String secret = ApiTokenSecrets.generate();
        assertThat(ApiTokenSecrets.displayPrefix(secret)).hasSize(11).isEqualTo(secret.substring(0, 11));
    }
}
