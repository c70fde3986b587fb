package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.runtime.RuntimeProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.ByteSequence;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the core bundle set that the distribution ships in a real Felix container ({@link RuntimeContainer}) and
 * checks it from inside.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContainerIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() throws IOException {
        return RuntimeContainer.options();
    }

    @Test
    public void everyCoreBundleIsActive() throws IOException {
        List<String> core = RuntimeContainer.systemBundles().stream().map(p -> p.toUri().toString()).toList();
        int seen = 0;
        for (Bundle bundle : context.getBundles()) {
            if (core.contains(bundle.getLocation())) {
                seen++;
                if (!isFragment(bundle)) {
                    assertEquals(bundle.getSymbolicName() + " state", Bundle.ACTIVE, bundle.getState());
                }
            }
        }
        assertEquals("core bundles installed", core.size(), seen);
    }

    @Test
    public void healthReportsAnOptimizedEngineAndNoBundleProblems() throws Exception {
        String url = Http.containerBase(context::getProperty) + "/api/health";
        Await.until("the engine is ready", () -> engine(health(url)).get("state").getAsString().equals("READY"));
        JsonObject health = health(url);
        JsonObject engine = engine(health);
        assertEquals("GraalVM CE", engine.get("implementation").getAsString());
        assertTrue("engine optimized", engine.get("optimized").getAsBoolean());
        assertEquals(context.getProperty("boxagnts.workspace"), health.get("workspace").getAsString());
        assertEquals(context.getProperty("boxagnts.version"), health.get("version").getAsString());
        JsonArray notActive = health.getAsJsonObject("bundles").getAsJsonArray("notActive");
        assertEquals("bundles not active: " + notActive, 0, notActive.size());
        assertEquals("ok", health.get("status").getAsString());
    }

    /** The access checks run before any servlet context is chosen: an endpoint in another context is closed too. */
    @Test
    public void aServletInAnotherContextNeedsTheTokenToo() throws Exception {
        String base = Http.containerBase(context::getProperty);
        java.util.Hashtable<String, Object> contextProperties = new java.util.Hashtable<>();
        contextProperties.put("osgi.http.whiteboard.context.name", "it-other");
        contextProperties.put("osgi.http.whiteboard.context.path", "/other");
        org.osgi.framework.ServiceRegistration<org.osgi.service.servlet.context.ServletContextHelper> other =
                context.registerService(org.osgi.service.servlet.context.ServletContextHelper.class,
                        new org.osgi.service.servlet.context.ServletContextHelper() { }, contextProperties);
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", "/elsewhere");
        properties.put("osgi.http.whiteboard.context.select", "(osgi.http.whiteboard.context.name=it-other)");
        org.osgi.framework.ServiceRegistration<jakarta.servlet.Servlet> registration = context.registerService(
                jakarta.servlet.Servlet.class, new jakarta.servlet.http.HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doGet(jakarta.servlet.http.HttpServletRequest request,
                            jakarta.servlet.http.HttpServletResponse response) throws IOException {
                        response.getWriter().write("secret");
                    }
                }, properties);
        try {
            Await.until("the servlet answers with the token",
                    () -> Http.get(base + "/other/elsewhere").body().equals("secret"));
            java.net.http.HttpResponse<String> anonymous = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/other/elsewhere")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.body(), !anonymous.body().contains("secret"));
        } finally {
            registration.unregister();
            other.unregister();
        }
    }

    /**
     * The Web Console runs in its own context at /system/console, registered only once our security provider is
     * there, which outranks the console's built-in basic-auth one: the token opens it, admin:admin does not.
     */
    @Test
    public void theWebConsoleIsServedToTheTokenHolderOnly() throws Exception {
        String base = Http.containerBase(context::getProperty);
        org.osgi.framework.ServiceReference<?> provider = context.getServiceReference(
                "org.apache.felix.webconsole.spi.SecurityProvider");
        assertNotNull("a console security provider", provider);
        assertEquals("io.boxagnts.console", provider.getBundle().getSymbolicName());
        assertEquals("boxagnts", provider.getProperty("webconsole.security.provider.id"));
        assertNotNull("the console's own context", context.getServiceReferences(
                org.osgi.service.servlet.context.ServletContextHelper.class,
                "(&(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)"
                        + "(osgi.http.whiteboard.context.path=/system/console))").stream().findFirst().orElse(null));
        Await.until("the console answers", () -> Http.get(base + "/system/console/bundles.json").status() == 200);
        assertTrue(Http.get(base + "/system/console/bundles.json").body().contains("\"io.boxagnts.console\""));
        java.net.http.HttpResponse<String> basic = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/system/console/bundles.json"))
                        .header("Authorization", "Basic YWRtaW46YWRtaW4=").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, basic.statusCode());
    }

    @Test
    public void graalWasmRunsCompiledCodeInsideTheContainer() throws Exception {
        byte[] wasm = Files.readAllBytes(Path.of(System.getProperty("boxagnts.test.wasm"), "fib.wasm"));
        ByteArrayOutputStream compilerLog = new ByteArrayOutputStream();
        try (Engine engine = Engine.newBuilder("wasm")
                .allowExperimentalOptions(true)
                .option("engine.TraceCompilation", "true")
                .option("engine.BackgroundCompilation", "false")
                .option("engine.CompileImmediately", "true")
                .option("engine.CompilationFailureAction", "Throw")
                .logHandler(compilerLog)
                .build();
                Context wasmContext = Context.newBuilder("wasm").engine(engine).build()) {
            assertEquals("GraalVM CE", engine.getImplementationName());
            Source source = Source.newBuilder("wasm", ByteSequence.create(wasm), "fib.wasm").build();
            Value fib = wasmContext.eval(source).newInstance().getMember("exports").getMember("fib");
            assertEquals(6765, fib.execute(20).asInt());
        }
        String log = compilerLog.toString(StandardCharsets.UTF_8);
        assertTrue("the Graal compiler compiled fib:\n" + log, log.contains("opt done") && log.contains("fib"));
        assertEquals("the polyglot API comes from the system bundle", 0,
                FrameworkUtil.getBundle(Engine.class) == null ? 0 : FrameworkUtil.getBundle(Engine.class).getBundleId());
    }

    @Test
    public void aDroppedBundleIsStartedAndItsServiceGoesWhenTheJarIsDeleted() throws Exception {
        Path plugins = Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR));
        ServiceTracker<Object, Object> greeters = tracker(TestBundles.GREETER);
        try {
            TestBundles.drop(TestBundles.hello(), plugins, "hello.jar");
            assertNotNull("Greeter registered", greeters.waitForService(Await.DEADLINE.toMillis()));
            Bundle hello = greeters.getServiceReference().getBundle();
            assertEquals(Bundle.ACTIVE, hello.getState());
            assertTrue(hello.getLocation().endsWith("hello.jar"));

            Files.delete(plugins.resolve("hello.jar"));
            Await.until("the Greeter is gone and its bundle uninstalled",
                    () -> greeters.getServiceReference() == null && hello.getState() == Bundle.UNINSTALLED);
        } finally {
            greeters.close();
        }
    }

    @Test
    public void brokenJarsAreRefusedAndTheRuntimeKeepsServing() throws Exception {
        Path plugins = Path.of(context.getProperty(RuntimeProperties.PLUGINS_DIR));
        Path scratch = TempDirs.create("broken");
        List<Path> broken = List.of(TestBundles.notAZip(scratch), TestBundles.unresolvable(scratch),
                TestBundles.throwingActivator(scratch));
        ServiceTracker<Object, Object> greeters = tracker(TestBundles.GREETER);
        try {
            for (Path jar : broken) {
                TestBundles.drop(jar, plugins, jar.getFileName().toString());
            }
            // A good bundle dropped after the broken ones still deploys: the watcher keeps working.
            TestBundles.drop(TestBundles.hello(), plugins, "hello-after-broken.jar");
            assertNotNull("Greeter registered", greeters.waitForService(Await.DEADLINE.toMillis()));

            Bundle unresolvable = bundleNamed("test.unresolvable");
            Bundle throwing = bundleNamed("test.throwing");
            assertEquals(Bundle.INSTALLED, unresolvable.getState());
            assertTrue("throwing bundle not active", throwing.getState() != Bundle.ACTIVE);

            String url = Http.containerBase(context::getProperty) + "/api/health";
            Http.Response response = Http.get(url);
            assertEquals(200, response.status());
            String notActive = JsonParser.parseString(response.body()).getAsJsonObject()
                    .getAsJsonObject("bundles").getAsJsonArray("notActive").toString();
            assertTrue(notActive, notActive.contains("test.unresolvable") && notActive.contains("test.throwing"));
        } finally {
            greeters.close();
            for (Path jar : broken) {
                Files.deleteIfExists(plugins.resolve(jar.getFileName()));
            }
            Files.deleteIfExists(plugins.resolve("hello-after-broken.jar"));
        }
        Await.until("the broken bundles are uninstalled", () -> findBundle("test.unresolvable") == null
                && findBundle("test.throwing") == null && findBundle("io.boxagnts.test.hello") == null);
    }

    private Bundle bundleNamed(String symbolicName) throws Exception {
        Await.until(symbolicName + " is installed", () -> findBundle(symbolicName) != null);
        return findBundle(symbolicName);
    }

    private Bundle findBundle(String symbolicName) {
        return Stream.of(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }

    private ServiceTracker<Object, Object> tracker(String objectClass) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(objectClass=" + objectClass + ")"), null);
        tracker.open(true);
        return tracker;
    }

    private static JsonObject health(String url) throws Exception {
        Http.Response response = Http.get(url);
        assertEquals(200, response.status());
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static JsonObject engine(JsonObject health) {
        return health.getAsJsonObject("engine");
    }

    private static boolean isFragment(Bundle bundle) {
        return (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

}
