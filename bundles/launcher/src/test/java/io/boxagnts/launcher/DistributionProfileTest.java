package io.boxagnts.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionProfileTest {

    @TempDir
    Path home;

    @Test
    void readsTheProfileTheBuildWrote() throws Exception {
        Files.writeString(home.resolve("profile.properties"), """
                # written by the build
                name=enterprise
                description=curated tools, signed tool bundles only
                trust=signed-only
                admin-token=required
                """);
        DistributionProfile profile = DistributionProfile.load(home);
        assertEquals(new DistributionProfile("enterprise", "curated tools, signed tool bundles only", "signed-only",
                true), profile);
    }

    @Test
    void withoutAProfileFileNoProfileRuleApplies() throws Exception {
        DistributionProfile profile = DistributionProfile.load(home);
        assertEquals("custom", profile.name());
        assertEquals("any", profile.trust());
        assertFalse(profile.adminTokenRequired());
    }

    @Test
    void aMisspeltTrustPolicyStopsTheStartInsteadOfMeaningAny() throws Exception {
        Files.writeString(home.resolve("profile.properties"), "name=enterprise\ntrust=signed_only\n");
        UsageException e = assertThrows(UsageException.class, () -> DistributionProfile.load(home));
        assertTrue(e.getMessage().contains("trust 'signed_only' is neither any nor signed-only"), e.getMessage());
        Files.writeString(home.resolve("profile.properties"), "name=x\nadmin-token=yes\n");
        e = assertThrows(UsageException.class, () -> DistributionProfile.load(home));
        assertTrue(e.getMessage().contains("admin-token 'yes'"), e.getMessage());
        Files.writeString(home.resolve("profile.properties"), "name=../etc\n");
        e = assertThrows(UsageException.class, () -> DistributionProfile.load(home));
        assertTrue(e.getMessage().contains("is not a profile name"), e.getMessage());
    }

    @Test
    void theRuntimeLearnsItsProfileAndTrustStore() {
        LaunchOptions options = new LaunchOptions(Path.of("/w"), "127.0.0.1", 30001, Path.of("/d"), Path.of("/p"),
                Path.of("/c"), "", LaunchOptions.Access.local(Path.of("/d")));
        Map<String, Object> p = FrameworkProperties.of(options, new BuildInfo("1.2.3", "25.0.2", "2.0.17"), 0,
                new DistributionProfile("enterprise", "", "signed-only", true), Path.of("/opt/boxagnts"));
        assertEquals("enterprise", p.get("boxagnts.profile"));
        assertEquals("signed-only", p.get("boxagnts.trust.policy"));
        assertEquals(Path.of("/opt/boxagnts/trust").toString(), p.get("boxagnts.trust.dir"));
        Map<String, Object> none = FrameworkProperties.of(options, new BuildInfo("1.2.3", "25.0.2", "2.0.17"), 0);
        assertEquals(List.of("custom", "any"), List.of(none.get("boxagnts.profile"), none.get("boxagnts.trust.policy")));
        assertEquals(null, none.get("boxagnts.trust.dir"));
    }
}
