package herald.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoragePathsTest {

    @Test
    void relativePathsInsideTheStoreAreFine() {
        assertThat(StoragePaths.problem("scripts/validate.js")).isNull();
        assertThat(StoragePaths.problem("a/b.c/d..e.js")).isNull();
    }

    @Test
    void pathsThatLeaveTheStoreAreRefused() {
        assertThat(StoragePaths.problem("../secrets.js")).contains("'..'");
        assertThat(StoragePaths.problem("a/../../b.js")).contains("'..'");
        assertThat(StoragePaths.problem("a/./b.js")).contains("'.'");
        assertThat(StoragePaths.problem("/etc/passwd")).contains("relative");
        assertThat(StoragePaths.problem("a//b.js")).contains("empty");
        assertThat(StoragePaths.problem("a\\..\\b.js")).contains("backslashes");
        assertThat(StoragePaths.problem("a\u0000.js")).contains("control");
        assertThat(StoragePaths.problem("")).contains("1 to 1,024");
        assertThat(StoragePaths.problem("x".repeat(1025))).contains("1 to 1,024");
    }
}
