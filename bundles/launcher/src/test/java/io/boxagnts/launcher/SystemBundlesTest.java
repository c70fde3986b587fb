package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemBundlesTest {

    @Test
    void fileInstallAndThenTheHttpServerAreInstalledAndSoStartedLast() {
        List<Path> sorted = List.of(Path.of("system/io.boxagnts.http-1.jar"),
                Path.of("system/io.boxagnts.plugins-1.jar"),
                Path.of("system/org.apache.felix.fileinstall-3.7.4.jar"),
                Path.of("system/org.apache.felix.http.jetty12-1.1.8.jar"),
                Path.of("system/org.apache.felix.http.servlet-api-6.1.0.jar"),
                Path.of("system/org.apache.felix.scr-2.2.18.jar"));
        assertEquals(List.of(Path.of("system/io.boxagnts.http-1.jar"),
                Path.of("system/io.boxagnts.plugins-1.jar"),
                Path.of("system/org.apache.felix.http.servlet-api-6.1.0.jar"),
                Path.of("system/org.apache.felix.scr-2.2.18.jar"),
                Path.of("system/org.apache.felix.fileinstall-3.7.4.jar"),
                Path.of("system/org.apache.felix.http.jetty12-1.1.8.jar")), SystemBundles.installOrder(sorted));
    }
}
