package io.boxagnts.webfetch;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

    @TempDir
    Path dir;

    @Test
    void theFactoryIsMadeAtTheFirstFetchAndThenKept() throws Exception {
        Path missing = dir.resolve("test-ca.pem");
        Tls.Factory tls = Tls.lazy(missing.toString()); // nothing is read yet: the component activates either way

        IOException first = assertThrows(NoSuchFileException.class, tls::get);
        assertTrue(first.getMessage().contains("test-ca.pem"));

        Files.writeString(missing, ""); // no certificate in it: the JVM's authorities only
        var made = tls.get(); // a failure is the fetch's: the next one tries again
        assertSame(made, tls.get());
    }
}
