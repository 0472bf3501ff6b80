package dev.windrose.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Making, recognising and hashing API token secrets. */
public final class ApiTokenSecrets {

    /** Marks Windrose tokens, so secret scanners and people can recognise a leaked one. */
    public static final String PREFIX = "wr_";
    private static final int SECRET_BYTES = 32;
    private static final int DISPLAY_LENGTH = PREFIX.length() + 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokenSecrets() {
    }

    /** {@code wr_} followed by 32 random bytes in URL-safe Base64 (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * SHA-256 in hex. A fast hash is right here (unlike for passwords): the secret has 256 random
     * bits, so there is nothing to brute-force, and every API request needs the lookup.
     */
    public static String hash(String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(DISPLAY_LENGTH, secret.length()));
    }

    public static boolean looksLikeToken(String value) {
        return value.startsWith(PREFIX) && value.length() > PREFIX.length() + 40 && value.length() < 200;
    }
}
