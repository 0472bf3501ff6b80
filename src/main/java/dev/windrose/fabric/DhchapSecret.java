package dev.windrose.fabric;

import dev.windrose.common.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * DH-HMAC-CHAP secrets in the representation {@code nvme gen-dhchap-key} prints and the dataplane reads
 * (NVMe base specification 2.0, 8.13.5.8): {@code DHHC-1:hh:<base64 of the key and its CRC-32,
 * little-endian>:}. hh is 00 (the key is used as it is) or 01/02/03 (transformed with HMAC-SHA-256/384/512
 * over the NQN first, as Linux does); keys are 32, 48 or 64 bytes. {@link #check} follows the
 * dataplane's {@code wr_dhchap_secret_check} rule by rule, so a secret it accepts is one the dataplane
 * takes, and says in words what is wrong — never the secret itself.
 */
public final class DhchapSecret {

    /** The dataplane's WR_DHCHAP_SECRET_MAX_LEN. */
    public static final int MAX_LENGTH = 128;
    public static final Set<Integer> KEY_LENGTHS = Set.of(32, 48, 64);
    public static final int DEFAULT_KEY_LENGTH = 32;
    private static final String PREFIX = "DHHC-1:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DhchapSecret() {
    }

    /** A new secret of keyLength random bytes, hash indicator 00 (the key as it is). */
    public static String generate(int keyLength) {
        if (!KEY_LENGTHS.contains(keyLength)) {
            throw new InvalidInputException("keyLength", "A DH-HMAC-CHAP key is 32, 48 or 64 bytes, not " + keyLength + ".");
        }
        byte[] key = new byte[keyLength];
        RANDOM.nextBytes(key);
        try {
            return encode(0, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The representation of key with hash indicator hash (0 to 3). */
    static String encode(int hash, byte[] key) {
        CRC32 crc = new CRC32();
        crc.update(key);
        byte[] withCrc = ByteBuffer.allocate(key.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(key)
                .putInt((int) crc.getValue()).array();
        try {
            return PREFIX + "0" + hash + ":" + Base64.getEncoder().encodeToString(withCrc) + ":";
        } finally {
            Arrays.fill(withCrc, (byte) 0);
        }
    }

    /**
     * The secret as given, without surrounding white space (a pasted line's), when it is well-formed.
     *
     * @throws InvalidInputException naming field, with what is wrong in words
     */
    public static String check(String field, String given) {
        String secret = given.strip();
        String what = "The " + words(field);
        if (secret.isEmpty()) {
            throw new InvalidInputException(field, what + " is empty: paste a secret as nvme gen-dhchap-key prints it "
                    + "(DHHC-1:00:…:), or have one generated.");
        }
        if (secret.length() > MAX_LENGTH) {
            throw new InvalidInputException(field, what + " has " + secret.length() + " characters; a DH-HMAC-CHAP "
                    + "secret has at most " + MAX_LENGTH + ".");
        }
        if (!secret.startsWith(PREFIX)) {
            throw new InvalidInputException(field, what + " does not start with DHHC-1: (the form nvme gen-dhchap-key "
                    + "prints, e.g. DHHC-1:00:…:).");
        }
        String rest = secret.substring(PREFIX.length());
        if (rest.length() < 3 || rest.charAt(0) != '0' || rest.charAt(1) < '0' || rest.charAt(1) > '3'
                || rest.charAt(2) != ':') {
            throw new InvalidInputException(field, what + " has no valid hash field after DHHC-1: (00, 01, 02 or 03 "
                    + "followed by ':').");
        }
        String base64 = rest.substring(3);
        if (base64.endsWith(":")) { // the last ':' may be left out, as Linux allows
            base64 = base64.substring(0, base64.length() - 1);
        }
        int data = 0;
        while (data < base64.length() && isBase64(base64.charAt(data))) {
            data++;
        }
        int pad = base64.length() - data;
        if (base64.isEmpty() || base64.length() % 4 != 0 || pad > 2 || !"==".startsWith(base64.substring(data))) {
            throw new InvalidInputException(field, what + " is not valid base64 between the hash field and the last "
                    + "':' (a character was lost or added while copying?).");
        }
        int decoded = base64.length() / 4 * 3 - pad;
        if (decoded != 36 && decoded != 52 && decoded != 68) {
            throw new InvalidInputException(field, what + " holds a key of " + Math.max(0, decoded - 4) + " bytes; "
                    + "DH-HMAC-CHAP keys are 32, 48 or 64 bytes (the secret was cut short, or is not one).");
        }
        byte[] bytes = Base64.getDecoder().decode(base64);
        try {
            int keyLength = bytes.length - 4;
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, keyLength);
            int stored = ByteBuffer.wrap(bytes, keyLength, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if ((int) crc.getValue() != stored) {
                throw new InvalidInputException(field, what + "'s checksum does not match its key: it was mistyped "
                        + "or changed while copying. Copy it again.");
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return secret;
    }

    private static boolean isBase64(char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
    }

    private static String words(String field) {
        return field.equals("controllerSecret") ? "controller secret" : "host secret";
    }
}
