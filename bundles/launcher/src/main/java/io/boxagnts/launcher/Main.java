package io.boxagnts.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.felix.framework.Felix;
import org.osgi.framework.BundleException;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code boxagnts}: start the runtime and stay until it stops. */
public final class Main {

    private static final long HTTP_START_TIMEOUT_SECONDS = 30;
    private static final String HTTP_RUNTIME = "org.osgi.service.servlet.runtime.HttpServiceRuntime";

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        long startedAt = ProcessHandle.current().info().startInstant().orElseGet(Instant::now).toEpochMilli();
        BuildInfo build = BuildInfo.load();
        Path home = distributionHome();
        CommandLine.Command command;
        try {
            command = new CommandLine(Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")), home)
                    .parse(Arrays.asList(args));
        } catch (UsageException e) {
            err.println("boxagnts: " + e.getMessage());
            return 2;
        }
        DistributionProfile profile;
        try {
            profile = DistributionProfile.load(home);
        } catch (UsageException e) {
            err.println("boxagnts: " + e.getMessage());
            return 2;
        }
        return switch (command) {
            case CommandLine.Help help -> {
                out.print(CommandLine.USAGE);
                yield 0;
            }
            case CommandLine.Version version -> {
                out.println("boxagnts " + build.version() + ", " + profile.name() + " distribution (GraalWasm "
                        + build.graalVersion() + ", Java " + Runtime.version() + ")");
                yield 0;
            }
            case CommandLine.Run run -> launch(run.options(), build, profile, home, startedAt, out, err);
        };
    }

    private static int launch(LaunchOptions options, BuildInfo build, DistributionProfile profile, Path home,
            long startedAt, PrintStream out, PrintStream err) {
        InetAddress address;
        try {
            address = PortCheck.requireFree(options.host(), options.port());
        } catch (UsageException e) {
            err.println("boxagnts: " + e.getMessage());
            return 2;
        }
        String token;
        try {
            if (!address.isLoopbackAddress() && !options.access().userManaged()) {
                throw new UsageException("--host " + options.host() + " can be reached from other machines; configure "
                        + "their credential first with --access-token-file FILE (a secret of at least "
                        + AccessTokenFile.MIN_LENGTH + " characters, chmod 600), or serve this machine only with "
                        + "--host 127.0.0.1");
            }
            if (profile.adminTokenRequired() && options.access().adminTokenFile() == null) {
                throw new UsageException("the " + profile.name() + " distribution needs an administrator's "
                        + "credential: start it with --admin-token-file FILE (a secret of at least "
                        + AccessTokenFile.MIN_LENGTH + " characters, chmod 600, not the access token)");
            }
            token = AccessTokenFile.readOrCreate(options.access().tokenFile(), !options.access().userManaged());
            if (options.access().adminTokenFile() != null
                    && AccessTokenFile.readAdmin(options.access().adminTokenFile()).equals(token)) {
                throw new UsageException("the admin token in " + options.access().adminTokenFile() + " is the access "
                        + "token; a separate administrator needs a secret of their own (openssl rand -hex 32)");
            }
        } catch (UsageException e) {
            err.println("boxagnts: " + e.getMessage());
            return 2;
        }
        // Everything the user can get wrong is checked; now the data directory becomes this process's.
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(options.dataDir());
        } catch (UsageException e) {
            err.println("boxagnts: " + e.getMessage());
            return 2;
        }
        try (lock) {
            new CrashReports(options.dataDir()).takeUnannounced()
                    .ifPresent(report -> err.println(CrashReports.notice(report)));
            return serve(options, build, profile, home, startedAt, address, token, out, err);
        }
    }

    /** Runs the framework until it stops; the data directory is this process's. */
    private static int serve(LaunchOptions options, BuildInfo build, DistributionProfile profile, Path home,
            long startedAt, InetAddress address, String token, PrintStream out, PrintStream err) {
        Logger log = LoggerFactory.getLogger(Main.class);
        if (!address.isLoopbackAddress()) {
            log.warn("Serving on {}, which other machines can reach, over plain HTTP: the access token crosses the "
                    + "network unencrypted. Put a TLS reverse proxy in front (see --allowed-hosts).", options.host());
        }
        Framework framework = new Felix(FrameworkProperties.of(options, build, startedAt, profile, home));
        try {
            framework.init();
            SystemBundles.installAndStart(framework.getBundleContext(), home.resolve("system"));
            framework.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "boxagnts-shutdown"));
            Object endpoint = awaitHttp(framework);
            if (endpoint == null) {
                err.println(running(framework) ? "boxagnts: the HTTP server did not start "
                        + "within " + HTTP_START_TIMEOUT_SECONDS + " s; see the messages above"
                        : "boxagnts: the HTTP server could not start; see the messages above");
                stop(framework);
                return 1;
            }
            // Before the ready line: a runtime stopped right after it still has its archive checked and stamped.
            Optional<Process> archiveCheck = startArchiveCheck(home, options);
            String url = "http://" + hostForUrl(options.host()) + ":" + options.port() + "/";
            // The user's own credential is theirs to hand out; the generated one is printed as a link to click.
            out.println("BoxAgnts " + build.version() + " (" + profile.name() + ") is ready at " + (options.access().userManaged()
                    ? url + "  (sign in with the token in " + options.access().tokenFile() + ")" : url + "?token=" + token)
                    + "  (workspace " + options.workspace() + ", data " + options.dataDir() + ")");
            archiveCheck.ifPresent(check -> Thread.ofPlatform().daemon().name("boxagnts-archive-check")
                    .start(() -> reportArchiveCheck(check)));
            framework.waitForStop(0);
            return 0;
        } catch (UsageException e) {
            err.println("boxagnts: " + e.getMessage());
            stop(framework);
            return 2;
        } catch (BundleException | RuntimeException e) {
            err.println("boxagnts: the runtime could not start: " + e.getMessage());
            log.debug("start-up failure", e);
            stop(framework);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(framework);
            return 1;
        }
    }

    /**
     * bin/boxagnts found no stamp of the class-data archive, so this start checksummed it (decision 0039): a JVM of
     * its own checks it once more and stamps it, so that the next starts need not. Its output is dropped: a refused
     * archive makes the JVM say so in lines meant for developers; {@link #reportArchiveCheck} says it in one.
     */
    private static Optional<Process> startArchiveCheck(Path home, LaunchOptions options) {
        if (System.getProperty(ArchiveStamp.ARCHIVE_PROPERTY) == null) {
            return Optional.empty();
        }
        ProcessHandle.Info self = ProcessHandle.current().info();
        try {
            List<String> thisJvm = new ArrayList<>();
            thisJvm.add(self.command().orElseThrow(() -> new IOException("no command line of this JVM")));
            thisJvm.addAll(Arrays.asList(self.arguments().orElse(new String[0])));
            Optional<List<String>> command = ArchiveStamp.checkCommand(home, options.dataDir(), thisJvm);
            if (command.isEmpty()) {
                LoggerFactory.getLogger(ArchiveStamp.class).debug("class-data archive changed since the start: not checked");
                return Optional.empty();
            }
            return Optional.of(new ProcessBuilder(command.get()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ArchiveStamp.class).debug("class-data archive not checked: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Exit status 1: the JVM refused the archive (its checksums, the runtime or the jars). */
    private static void reportArchiveCheck(Process check) {
        try {
            if (check.waitFor() == 1) {
                LoggerFactory.getLogger(ArchiveStamp.class).warn("The class-data archive {} fails the JVM's checks "
                        + "(damaged, or made for other jars): every start goes without it and takes ~0.5 s longer. "
                        + "Reinstall BoxAgnts to get a good one.", System.getProperty(ArchiveStamp.ARCHIVE_PROPERTY));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the HTTP whiteboard runtime: it is registered once Jetty listens on the user's port. Null after the
     * timeout, or as soon as the framework stops (io.boxagnts.http stops it when that port cannot be bound).
     */
    private static Object awaitHttp(Framework framework) throws InterruptedException {
        Filter filter;
        try {
            filter = FrameworkUtil.createFilter("(objectClass=" + HTTP_RUNTIME + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(framework.getBundleContext(), filter, null);
        tracker.open(true);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HTTP_START_TIMEOUT_SECONDS);
            Object runtime = null;
            while (runtime == null && running(framework) && System.nanoTime() < deadline) {
                runtime = tracker.waitForService(100);
            }
            return runtime;
        } finally {
            tracker.close();
        }
    }

    /** Starting (its start level still rising) or active; not stopping or stopped. */
    private static boolean running(Framework framework) {
        return (framework.getState() & (Framework.STARTING | Framework.ACTIVE)) != 0;
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static void stop(Framework framework) {
        try {
            if (framework.getState() != Framework.RESOLVED && framework.getState() != Framework.INSTALLED) {
                framework.stop();
                framework.waitForStop(10_000);
            }
        } catch (BundleException | InterruptedException e) {
            LoggerFactory.getLogger(Main.class).warn("the runtime did not stop cleanly: {}", e.toString());
        }
    }

    /** The unpacked distribution: {@code -Dboxagnts.home}, else the folder above the launcher jar's {@code lib/}. */
    private static Path distributionHome() {
        String configured = System.getProperty("boxagnts.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
