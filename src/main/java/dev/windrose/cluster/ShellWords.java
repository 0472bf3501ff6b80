package dev.windrose.cluster;

/** POSIX shell quoting of one word: single quotes, with each embedded quote written as '\''. */
final class ShellWords {

    private ShellWords() {
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
