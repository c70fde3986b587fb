package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Test;

/**
 * bin/boxagnts on a full JDK instead of the shipped runtime/: the compiler jars then go on the upgrade module path,
 * and the WASM engine must still be the optimizing one.
 */
public class SystemJdkIT {

    @Test
    public void aSystemJdkRunsTheOptimizedEngineToo() throws Exception {
        Path root = TempDirs.create("boxagnts-jdk-it");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String jdk = System.getProperty("java.home");
        try (BoxagntsProcess boxagnts = BoxagntsProcess.start(Map.of("BOXAGNTS_JAVA_HOME", jdk),
                "--workspace-dir", Files.createDirectories(root.resolve("ws")).toString(),
                "--data-dir", root.resolve("data").toString(),
                "--plugins-dir", root.resolve("plugins").toString(), "--port", Integer.toString(port))) {
            boxagnts.awaitReady();
            String url = "http://127.0.0.1:" + port + "/api/health";
            Await.until("the engine is ready", () -> engine(url).get("state").getAsString().equals("READY"));
            JsonObject engine = engine(url);
            assertEquals("GraalVM CE", engine.get("implementation").getAsString());
            assertTrue(engine.get("optimized").getAsBoolean());
        }
    }

    private static JsonObject engine(String url) throws Exception {
        return JsonParser.parseString(Http.get(url).body()).getAsJsonObject().getAsJsonObject("engine");
    }
}
