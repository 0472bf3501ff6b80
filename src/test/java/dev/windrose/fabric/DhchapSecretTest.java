package dev.windrose.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.windrose.common.InvalidInputException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DhchapSecretTest {

    /** Key bytes 0..31, its CRC-32 (zlib's) little-endian: computed apart from this code, with Python. */
    static final String KEY_0_TO_31 = "DHHC-1:00:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+KfiaR:";
    static final String KEY_0_TO_47_SHA256 =
            "DHHC-1:01:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vcSEgBQ==:";
    static final String KEY_0_TO_63_SHA512 = "DHHC-1:03:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEy"
            + "MzQ1Njc4OTo7PD0+P4zODhA=:";

    @Test
    void the_encoding_matches_an_independently_computed_secret() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        assertThat(DhchapSecret.encode(0, key)).isEqualTo(KEY_0_TO_31);
    }

    @Test
    void well_formed_secrets_of_every_key_length_and_hash_field_are_accepted() {
        assertThat(DhchapSecret.check("hostSecret", KEY_0_TO_31)).isEqualTo(KEY_0_TO_31);
        assertThat(DhchapSecret.check("hostSecret", KEY_0_TO_47_SHA256)).isEqualTo(KEY_0_TO_47_SHA256);
        assertThat(DhchapSecret.check("hostSecret", KEY_0_TO_63_SHA512)).isEqualTo(KEY_0_TO_63_SHA512);
    }

    @Test
    void a_pasted_line_loses_its_white_space_and_the_last_colon_may_be_missing() {
        assertThat(DhchapSecret.check("hostSecret", "  " + KEY_0_TO_31 + "\n")).isEqualTo(KEY_0_TO_31);
        String withoutColon = KEY_0_TO_31.substring(0, KEY_0_TO_31.length() - 1);
        assertThat(DhchapSecret.check("hostSecret", withoutColon)).isEqualTo(withoutColon);
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 48, 64})
    void generated_secrets_have_hash_field_00_the_key_length_asked_for_and_a_valid_crc(int length) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String secret = DhchapSecret.generate(length);
            assertThat(secret).startsWith("DHHC-1:00:").endsWith(":");
            assertThat(DhchapSecret.check("hostSecret", secret)).isEqualTo(secret);
            byte[] decoded = Base64.getDecoder().decode(secret.substring(10, secret.length() - 1));
            assertThat(decoded).hasSize(length + 4);
            assertThat(secret.length()).isLessThanOrEqualTo(DhchapSecret.MAX_LENGTH);
            seen.add(secret);
        }
        assertThat(seen).as("random keys").hasSize(20);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 31, 33, 128})
    void other_key_lengths_are_not_generated(int length) {
        assertThatThrownBy(() -> DhchapSecret.generate(length)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("32, 48 or 64 bytes");
    }

    @Test
    void a_changed_character_fails_the_checksum_with_words_that_say_so() {
        // One base64 digit of the key changed: still base64, still 36 bytes, but the CRC no longer matches.
        String mistyped = KEY_0_TO_31.replace("AAEC", "AAED");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", mistyped)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("checksum does not match").hasMessageNotContaining("AAED");
    }

    @Test
    void a_key_of_another_length_is_refused() {
        String sixteen = "DHHC-1:00:AAECAwQFBgcICQoLDA0OD4jizs4=:"; // a valid CRC over a 16-byte key
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", sixteen)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key of 16 bytes").hasMessageContaining("32, 48 or 64");
        String truncated = KEY_0_TO_31.substring(0, 30) + ":";
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", truncated)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void malformed_secrets_are_refused_each_with_its_reason() {
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", "")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", "   ")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", KEY_0_TO_31.replace("DHHC-1", "DHHC-2")))
                .hasMessageContaining("does not start with DHHC-1:");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", KEY_0_TO_31.replace(":00:", ":04:")))
                .hasMessageContaining("hash field");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", KEY_0_TO_31.replace(":00:", ":10:")))
                .hasMessageContaining("hash field");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", "DHHC-1:00"))
                .hasMessageContaining("hash field");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", KEY_0_TO_31.replace("AAEC", "AA-C")))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", KEY_0_TO_31.replace("AAEC", "AAE")))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", "DHHC-1:00::"))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", KEY_0_TO_47_SHA256.replace("==:", "=A:")))
                .hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> DhchapSecret.check("hostSecret", "DHHC-1:00:" + "A".repeat(200) + ":"))
                .hasMessageContaining("at most 128");
    }

    @Test
    void the_field_named_in_the_refusal_is_the_one_that_was_wrong() {
        assertThatThrownBy(() -> DhchapSecret.check("controllerSecret", "nonsense"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("controllerSecret");
                    assertThat(e.getMessage()).startsWith("The controller secret");
                });
    }
}
