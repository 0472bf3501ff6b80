package dev.windrose.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets sealed with a key file beside the data, without a Spring context. */
class SecretBoxTest {

    private static final String PURPOSE = "alert_delivery.smtp_password";

    @TempDir
    Path work;

    @Test
    void a_sealed_secret_opens_to_itself_and_does_not_contain_it() {
        SecretBox box = new SecretBox(work.resolve("data/secret.key"));

        String sealed = box.seal(PURPOSE, "Smtp-Secret-4711 ünïcode");

        assertThat(sealed).startsWith("sb1:").doesNotContain("Smtp-Secret");
        assertThat(SecretBox.isSealed(sealed)).isTrue();
        assertThat(SecretBox.isSealed("Smtp-Secret-4711")).isFalse();
        assertThat(box.open(PURPOSE, sealed)).isEqualTo("Smtp-Secret-4711 ünïcode");
        assertThat(box.seal(PURPOSE, "same")).as("a fresh nonce each time").isNotEqualTo(box.seal(PURPOSE, "same"));
    }

    @Test
    void the_key_file_is_created_on_first_use_readable_by_this_user_only_and_read_again_by_a_new_box() throws Exception {
        Path keyFile = work.resolve("data/secret.key");
        SecretBox first = new SecretBox(keyFile);
        assertThat(keyFile).doesNotExist();

        String sealed = first.seal(PURPOSE, "kept");

        assertThat(keyFile).exists().hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(new SecretBox(keyFile).open(PURPOSE, sealed)).isEqualTo("kept");
        try (var files = Files.list(keyFile.getParent())) {
            assertThat(files).as("no temporary key files left").containsExactly(keyFile);
        }
    }

    @Test
    void another_key_another_purpose_or_a_changed_value_does_not_open() throws Exception {
        SecretBox box = new SecretBox(work.resolve("a/secret.key"));
        String sealed = box.seal(PURPOSE, "secret");

        assertThatThrownBy(() -> new SecretBox(work.resolve("b/secret.key")).open(PURPOSE, sealed))
                .isInstanceOf(SecretBox.UnreadableSecretException.class)
                .hasMessageContaining("sealed with another key than " + work.resolve("b/secret.key"));
        assertThatThrownBy(() -> box.open("cluster.chap_secret", sealed))
                .isInstanceOf(SecretBox.UnreadableSecretException.class);
        char[] changed = sealed.toCharArray();
        changed[10] = changed[10] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> box.open(PURPOSE, new String(changed)))
                .isInstanceOf(SecretBox.UnreadableSecretException.class);
        assertThatThrownBy(() -> box.open(PURPOSE, "secret"))
                .isInstanceOf(SecretBox.UnreadableSecretException.class).hasMessageContaining("not a sealed value");
    }

    @Test
    void a_key_file_of_the_wrong_length_is_refused_not_replaced() throws Exception {
        Path keyFile = Files.createDirectories(work.resolve("data")).resolve("secret.key");
        Files.writeString(keyFile, "too short");

        assertThatThrownBy(() -> new SecretBox(keyFile).seal(PURPOSE, "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("holds 9 bytes, not 32");
        assertThat(Files.readString(keyFile)).isEqualTo("too short");
    }

    @Test
    void boxes_created_at_once_on_one_key_file_agree_on_one_key() throws Exception {
        Path keyFile = work.resolve("data/secret.key");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<SecretBox>> sealers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sealers.add(() -> {
                    SecretBox box = new SecretBox(keyFile);
                    box.seal(PURPOSE, "warm-up");
                    return box;
                });
            }
            Set<String> keys = new HashSet<>();
            List<SecretBox> boxes = new ArrayList<>();
            for (Future<SecretBox> box : threads.invokeAll(sealers)) {
                boxes.add(box.get());
            }
            String sealed = boxes.getFirst().seal(PURPOSE, "shared");
            for (SecretBox box : boxes) {
                keys.add(box.open(PURPOSE, sealed));
            }
            assertThat(keys).containsExactly("shared");
        } finally {
            threads.shutdownNow();
        }
    }
}
