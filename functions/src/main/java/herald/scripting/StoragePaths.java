package herald.scripting;

import herald.kernel.InvalidRequestException;

/**
 * Checks the path of a linked script's file: relative, at most 1,024 characters, no {@code .} or {@code ..}
 * segments, no backslashes, control characters or empty segments. So a path can name only a file inside the
 * configured bucket or repository, never climb out of it.
 */
public final class StoragePaths {

    private StoragePaths() {
    }

    public static String require(String path) {
        String problem = problem(path);
        if (problem != null) {
            throw new InvalidRequestException("Field 'storage_path' " + problem + ", e.g. \"scripts/validate.js\"");
        }
        return path;
    }

    static String problem(String path) {
        if (path.isEmpty() || path.length() > 1024) {
            return "must be 1 to 1,024 characters";
        }
        if (path.startsWith("/")) {
            return "must be relative (no leading '/')";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return "must not contain control characters or backslashes";
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "must not contain empty, '.' or '..' segments";
            }
        }
        return null;
    }
}
