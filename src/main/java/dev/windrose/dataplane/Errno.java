package dev.windrose.dataplane;

/** Names for the errno values the dataplane returns (Linux numbering). */
final class Errno {

    static final int ENOENT = 2;
    static final int EINVAL = 22;
    static final int EMSGSIZE = 90;
    static final int EBADMSG = 74;

    private Errno() {
    }

    static String describe(int errno) {
        String name = switch (errno) {
            case 1 -> "EPERM (operation not permitted)";
            case ENOENT -> "ENOENT (no such entry)";
            case 5 -> "EIO (input/output error)";
            case 12 -> "ENOMEM (out of memory)";
            case 13 -> "EACCES (permission denied)";
            case 16 -> "EBUSY (busy)";
            case 17 -> "EEXIST (already exists)";
            case EINVAL -> "EINVAL (invalid argument)";
            case 28 -> "ENOSPC (no space left)";
            case EBADMSG -> "EBADMSG (bad message: a secret's CRC does not match)";
            case EMSGSIZE -> "EMSGSIZE (wrong length)";
            case 95 -> "EOPNOTSUPP (not supported)";
            case 98 -> "EADDRINUSE (address in use)";
            case 110 -> "ETIMEDOUT (timed out)";
            default -> "error";
        };
        return name + " [errno " + errno + "]";
    }
}
