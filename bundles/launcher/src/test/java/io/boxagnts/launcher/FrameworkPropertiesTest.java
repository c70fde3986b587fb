package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameworkPropertiesTest {

    private final LaunchOptions options = new LaunchOptions(Path.of("/w"), "127.0.0.1", 30001, Path.of("/d"),
            Path.of("/p"), Path.of("/c"), "", new LaunchOptions.Access(Path.of("/d/access-token"), false, List.of("agents.example")));

    @Test
    void graalWasmAndSlf4jAreExportedAtTheirBuildVersions() {
        Map<String, Object> p = FrameworkProperties.of(options, new BuildInfo("1.2.3", "25.0.2", "2.0.17"), 0);
        String extra = (String) p.get("org.osgi.framework.system.packages.extra");
        assertTrue(extra.contains("org.graalvm.polyglot;version=25.0.2"), extra);
        assertTrue(extra.contains("org.graalvm.polyglot.io;version=25.0.2"), extra);
        assertTrue(extra.contains("org.slf4j;version=2.0.17"), extra);
        assertTrue(extra.contains("org.slf4j;version=1.7.36"), extra); // for the Web Console, as slf4j-api exports it
    }

    @Test
    void theHttpServerAndTheWatcherFollowTheOptions() {
        Map<String, Object> p = FrameworkProperties.of(options, new BuildInfo("1.2.3", "25.0.2", "2.0.17"), 42);
        assertEquals("30001", p.get("boxagnts.http.port"));
        assertEquals("127.0.0.1", p.get("boxagnts.http.host"));
        // Felix HTTP's own connector: a throwaway on a free loopback port (decision 0034)
        assertEquals("0", p.get("org.osgi.service.http.port"));
        assertEquals("127.0.0.1", p.get("org.apache.felix.http.host"));
        assertEquals(Path.of("/p") + "," + Path.of("/c"), p.get("felix.fileinstall.dir"));
        assertTrue("x.cfg".matches((String) p.get("felix.fileinstall.filter")), "conf/ holds configuration files");
        assertEquals("false", p.get("felix.fileinstall.enableConfigSave"), "conf/ files are never rewritten");
        assertEquals(Path.of("/d/cache/felix").toString(), p.get("org.osgi.framework.storage"));
        assertEquals(Path.of("/d/cache/felix").toString(), p.get("felix.fileinstall.tmpdir"));
        assertEquals("1.2.3", p.get("boxagnts.version"));
        assertEquals("42", p.get("boxagnts.started.at"));
        assertEquals(Path.of("/d/access-token").toString(), p.get("boxagnts.access.token.file"));
        assertEquals("agents.example", p.get("boxagnts.http.allowed.hosts"));
        assertEquals(null, p.get("boxagnts.admin.token.file"));
        assertEquals("boxagnts", p.get("felix.webconsole.security.providers"));
        LaunchOptions split = new LaunchOptions(Path.of("/w"), "127.0.0.1", 30001, Path.of("/d"), Path.of("/p"), Path.of("/c"), "",
                new LaunchOptions.Access(Path.of("/d/access-token"), false, List.of(), Path.of("/etc/admin-token")));
        assertEquals(Path.of("/etc/admin-token").toString(),
                FrameworkProperties.of(split, new BuildInfo("1.2.3", "25.0.2", "2.0.17"), 42).get("boxagnts.admin.token.file"));
    }
}
