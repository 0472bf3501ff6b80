package dev.windrose.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Seals secrets the console must read back in clear (an SMTP password, later DH-HMAC-CHAP keys) before
 * they go into the database, so a database dump or backup alone does not give them away. AES-256-GCM
 * from the JDK with a key that is not in the database: {@value #KEY_FILE_NAME} in the node's data
 * directory, 32 random bytes created 0600 on first use. Losing the file means re-entering what was sealed
 * with it; every node of a cluster needs the same file.
 *
 * <p>A sealed value is {@value #PREFIX} followed by base64 of a fresh 12-byte nonce and the ciphertext
 * with its tag. Each value is sealed for a purpose (e.g. {@code alert_delivery.smtp_password}), bound in
 * as associated data: a value copied into another column does not open there.
 */
@Component
public class SecretBox {

    public static final String KEY_FILE_NAME = "secret.key";
    static final String PREFIX = "sb1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path keyFile;
    private final SecureRandom random = new SecureRandom();
    private volatile @Nullable SecretKeySpec key;

    @Autowired
    SecretBox(WindroseProperties windrose) {
        this(windrose.dataDir().resolve(KEY_FILE_NAME));
    }

    /** A box with its key in {@code keyFile}, created there if missing. */
    public SecretBox(Path keyFile) {
        this.keyFile = keyFile;
    }

    /** Where the key is (or will be, before the first seal). */
    public Path keyFile() {
        return keyFile;
    }

    /** Whether {@code stored} is a sealed value (rather than, say, a clear one from before sealing existed). */
    public static boolean isSealed(@Nullable String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** Seals {@code secret} for {@code purpose}; each call gives a different value. */
    public String seal(String purpose, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, purpose);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /**
     * Opens a value sealed for {@code purpose}.
     *
     * @throws UnreadableSecretException if it was sealed with another key (another node's, or a key file
     *     that was replaced), for another purpose, or was changed
     */
    public String open(String purpose, String sealed) {
        if (!isSealed(sealed)) {
            throw new UnreadableSecretException("the stored " + purpose + " is not a sealed value");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new UnreadableSecretException("the stored " + purpose + " is damaged (not base64)");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableSecretException("the stored " + purpose + " is damaged (too short)");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, NONCE_BYTES), purpose);
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableSecretException("the stored " + purpose + " was sealed with another key than "
                    + keyFile.toAbsolutePath() + " (another node's, or a replaced key file): enter it again");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String purpose) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private SecretKeySpec key() {
        SecretKeySpec loaded = key;
        if (loaded == null) {
            synchronized (this) {
                loaded = key;
                if (loaded == null) {
                    loaded = new SecretKeySpec(readOrCreateKey(), "AES");
                    key = loaded;
                }
            }
        }
        return loaded;
    }

    private byte[] readOrCreateKey() {
        try {
            if (!Files.exists(keyFile)) {
                create();
            }
            byte[] bytes = Files.readAllBytes(keyFile);
            if (bytes.length != KEY_BYTES) {
                throw new IllegalStateException("The secret key file " + keyFile.toAbsolutePath() + " holds "
                        + bytes.length + " bytes, not " + KEY_BYTES + ": restore it from a backup (or remove it and "
                        + "enter the sealed secrets, e.g. the SMTP password, again)");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the secret key file " + keyFile.toAbsolutePath(), e);
        }
    }

    /**
     * Writes a new key to a private temporary file and links it into place: the link fails if another
     * process (a second test context, a node starting beside this one) made the key first, so no one ever
     * reads a half-written key, and no key is replaced.
     */
    private void create() throws IOException {
        Path directory = keyFile.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(directory);
        Path temporary = PrivateFiles.createFile(directory.resolve(KEY_FILE_NAME + "." + ProcessHandle.current().pid()
                + "." + Long.toHexString(random.nextLong()) + ".new"));
        try {
            byte[] fresh = new byte[KEY_BYTES];
            random.nextBytes(fresh);
            Files.write(temporary, fresh);
            try {
                Files.createLink(keyFile, temporary);
            } catch (FileAlreadyExistsException madeByAnother) {
                // the other one's key is the key
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A sealed value that cannot be opened with this node's key. */
    public static final class UnreadableSecretException extends RuntimeException {

        UnreadableSecretException(String message) {
            super(message);
        }
    }
}
