package io.boxagnts.providers.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.runtime.RuntimeProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code <data dir>/providers.json} at start, for example
 * {@code [{"type":"anthropic","id":"claude","apiKeyEnv":"ANTHROPIC_API_KEY"},
 * {"type":"openai","id":"work-vllm","baseUrl":"http://gpu-box:8000/v1"}, {"type":"openai","id":"openai"}]} (the
 * last is the OpenAI preset: its URL, and the key from OPENAI_API_KEY), and keeps one factory configuration per
 * entry: created or updated from the file, deleted when its entry is gone. A broken file is reported and changes
 * nothing.
 */
@Component(immediate = true)
public final class ProvidersFile {

    static final Map<String, String> FACTORY_PIDS = Map.of(
            "openai", "io.boxagnts.providers.openai",
            "anthropic", "io.boxagnts.providers.anthropic");
    private static final String FROM_FILE = "boxagnts.providers.file";
    private static final Logger LOG = LoggerFactory.getLogger(ProvidersFile.class);

    @Activate
    public ProvidersFile(BundleContext context, @Reference ConfigurationAdmin configurations) {
        String dataDir = context.getProperty(RuntimeProperties.DATA_DIR);
        if (dataDir == null) {
            return;
        }
        Path file = Path.of(dataDir, "providers.json");
        try {
            apply(file, configurations);
        } catch (IOException | IllegalArgumentException | InvalidSyntaxException e) {
            LOG.error("{} is not used: {}", file, e.getMessage());
        }
    }

    static void apply(Path file, ConfigurationAdmin configurations) throws IOException, InvalidSyntaxException {
        Set<String> wanted = new HashSet<>();
        if (Files.exists(file)) {
            JsonElement json;
            try {
                json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("it is not valid JSON (" + e.getMessage() + ")");
            }
            if (!json.isJsonArray()) {
                throw new IllegalArgumentException("it must be a JSON array of providers");
            }
            for (JsonElement element : json.getAsJsonArray()) {
                JsonObject entry = element.getAsJsonObject();
                String type = entry.has("type") ? entry.get("type").getAsString() : "";
                String factoryPid = FACTORY_PIDS.get(type);
                if (factoryPid == null || !entry.has("id")) {
                    throw new IllegalArgumentException("each provider needs \"type\" (openai or anthropic) and \"id\": "
                            + entry);
                }
                String id = entry.get("id").getAsString();
                if (type.equals("openai") && id.equals("openai") && !entry.has("baseUrl")) {
                    entry.addProperty("baseUrl", "https://api.openai.com/v1"); // the OpenAI preset
                    if (!entry.has("apiKey") && !entry.has("apiKeyEnv")) {
                        entry.addProperty("apiKeyEnv", "OPENAI_API_KEY");
                    }
                }
                Dictionary<String, Object> properties = new Hashtable<>();
                entry.entrySet().forEach(e -> {
                    if (!e.getKey().equals("type")) {
                        properties.put(e.getKey(), e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()
                                ? (Object) e.getValue().getAsLong() : e.getValue().getAsString());
                    }
                });
                properties.put(FROM_FILE, Boolean.TRUE);
                Configuration configuration = configurations.getFactoryConfiguration(factoryPid, id, "?");
                configuration.updateIfDifferent(properties);
                wanted.add(configuration.getPid());
                LOG.info("model provider {} ({}) from {}", id, type, file.getFileName());
            }
        }
        Configuration[] existing = configurations.listConfigurations("(" + FROM_FILE + "=true)");
        if (existing != null) {
            for (Configuration configuration : existing) {
                if (!wanted.contains(configuration.getPid())) {
                    configuration.delete();
                }
            }
        }
    }
}
