package io.boxagnts.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Which distribution this is: {@code profile.properties} at the distribution's root, written by the build from its
 * descriptor in {@code distribution/profiles/}. A value the launcher does not know stops the start: a misspelt trust
 * policy must never mean "any".
 *
 * @param name the profile's name, e.g. {@code developer}
 * @param description what it is, in a few words
 * @param trust {@code any}, or {@code signed-only}: plugins must be signed by a publisher of the trust store
 * @param adminTokenRequired whether the runtime refuses to start without {@code --admin-token-file}
 */
public record DistributionProfile(String name, String description, String trust, boolean adminTokenRequired) {

    public static final String FILE = "profile.properties";
    public static final String ANY = "any";
    public static final String SIGNED_ONLY = "signed-only";

    /** No profile file (a runtime assembled by hand, the Pax Exam container): no profile's rules apply. */
    public static final DistributionProfile NONE = new DistributionProfile("custom", "", ANY, false);

    public static DistributionProfile load(Path home) throws UsageException {
        Path file = home.resolve(FILE);
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            throw new UsageException(file + " cannot be read (" + e.getMessage() + "); reinstall BoxAgnts");
        }
        String name = p.getProperty("name", "").trim();
        String trust = p.getProperty("trust", ANY).trim();
        String adminToken = p.getProperty("admin-token", "optional").trim();
        if (!name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            throw new UsageException(file + ": name '" + name + "' is not a profile name (a-z, 0-9, '-')");
        }
        if (!trust.equals(ANY) && !trust.equals(SIGNED_ONLY)) {
            throw new UsageException(file + ": trust '" + trust + "' is neither " + ANY + " nor " + SIGNED_ONLY);
        }
        if (!adminToken.equals("optional") && !adminToken.equals("required")) {
            throw new UsageException(file + ": admin-token '" + adminToken + "' is neither optional nor required");
        }
        return new DistributionProfile(name, p.getProperty("description", "").trim(), trust,
                adminToken.equals("required"));
    }
}
