package io.boxagnts.providers.config;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.model.ProviderSettings;
import io.boxagnts.api.runtime.RuntimeProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code <data dir>/providers.json} at start, for example
 * {@code [{"type":"anthropic","id":"claude","apiKeyEnv":"ANTHROPIC_API_KEY"},
 * {"type":"openai","id":"work-vllm","baseUrl":"http://gpu-box:8000/v1"}, {"type":"openai","id":"openai"}]} (the
 * last is the OpenAI preset: its URL, and the key from OPENAI_API_KEY), and keeps one factory configuration per
 * entry: created or updated from the file, deleted when its entry is gone. A broken file is reported and changes
 * nothing. The UI changes the file through {@link ProviderSettings}: written whole to a temporary file and moved in
 * place (owner-only, as it may hold keys), then applied again.
 */
@Component(immediate = true, service = ProviderSettings.class, configurationPid = ProvidersFile.POLICY_PID)
@Designate(ocd = ProvidersPolicy.class)
public final class ProvidersFile implements ProviderSettings {

    /** The configuration saying where model servers may come from ({@link ProvidersPolicy}). */
    public static final String POLICY_PID = "io.boxagnts.providers";

    static final Map<String, String> FACTORY_PIDS = Map.of(
            "openai", "io.boxagnts.providers.openai",
            "anthropic", "io.boxagnts.providers.anthropic");
    private static final String FROM_FILE = "boxagnts.providers.file";
    private static final Logger LOG = LoggerFactory.getLogger(ProvidersFile.class);

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final Path file;
    private final ConfigurationAdmin configurations;
    private final boolean userChanges;

    @Activate
    public ProvidersFile(BundleContext context, @Reference ConfigurationAdmin configurations, ProvidersPolicy policy) {
        String dataDir = context.getProperty(RuntimeProperties.DATA_DIR);
        this.file = dataDir == null ? null : Path.of(dataDir, "providers.json");
        this.configurations = configurations;
        this.userChanges = policy.userChanges();
        if (file == null) {
            return;
        }
        try {
            apply(file, configurations);
        } catch (IOException | IllegalArgumentException | InvalidSyntaxException e) {
            LOG.error("{} is not used: {}", file, e.getMessage());
        }
    }

    @Override
    public Optional<String> reservedToAdministrator() {
        return userChanges ? Optional.empty() : Optional.of("the model providers of this distribution are the "
                + "administrator's (configuration " + POLICY_PID + ": userChanges=false): an administrator changes "
                + "them with the admin token, on the console's Configuration page or with a file in conf/");
    }

    @Override
    public synchronized List<Entry> list() {
        try {
            return entries().stream().map(ProvidersFile::entry).toList();
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    @Override
    public synchronized Entry save(Change change) throws IOException {
        if (change.id() == null || !ID.matcher(change.id()).matches()) {
            throw new IllegalArgumentException("the id must be 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (!FACTORY_PIDS.containsKey(change.type())) {
            throw new IllegalArgumentException("the type must be openai (any OpenAI-compatible server) or anthropic");
        }
        String baseUrl = change.baseUrl() == null ? "" : change.baseUrl().trim();
        if (!baseUrl.isEmpty() && !baseUrl.matches("https?://[^\\s]+")) {
            throw new IllegalArgumentException("the base URL must be an http(s) URL, e.g. http://127.0.0.1:8000/v1");
        }
        if (baseUrl.isEmpty() && change.type().equals("openai") && !change.id().equals("openai")) {
            throw new IllegalArgumentException("an OpenAI-compatible server needs its base URL, e.g. "
                    + "http://127.0.0.1:8000/v1");
        }
        List<JsonObject> entries = new ArrayList<>(entries());
        JsonObject previous = entries.stream().filter(e -> change.id().equals(string(e, "id"))).findFirst().orElse(null);
        JsonObject entry = new JsonObject();
        entry.addProperty("type", change.type());
        entry.addProperty("id", change.id());
        if (!baseUrl.isEmpty()) {
            entry.addProperty("baseUrl", baseUrl);
        }
        if (change.model() != null && !change.model().isBlank()) {
            entry.addProperty("model", change.model().trim());
        }
        String key = change.apiKey() != null ? change.apiKey().trim() : previous == null ? "" : string(previous, "apiKey");
        if (!key.isEmpty()) {
            entry.addProperty("apiKey", key);
        }
        if (previous != null && !string(previous, "apiKeyEnv").isEmpty()) {
            entry.addProperty("apiKeyEnv", string(previous, "apiKeyEnv"));
        }
        if (previous != null) {
            entries.set(entries.indexOf(previous), entry);
        } else {
            entries.add(entry);
        }
        write(entries);
        return entry(entry);
    }

    @Override
    public synchronized boolean delete(String id) throws IOException {
        List<JsonObject> entries = new ArrayList<>(entries());
        boolean removed = entries.removeIf(e -> id.equals(string(e, "id")));
        if (removed) {
            write(entries);
        }
        return removed;
    }

    private List<JsonObject> entries() throws IOException {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        JsonElement json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) { // Gson's syntax errors; the file may have been written by hand
            throw new IllegalArgumentException(file + " is not valid JSON (" + e.getMessage() + "); fix or remove it");
        }
        if (!json.isJsonArray()) {
            throw new IllegalArgumentException(file + " must be a JSON array of providers");
        }
        return json.getAsJsonArray().asList().stream().filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject)
                .toList();
    }

    private void write(List<JsonObject> entries) throws IOException {
        if (file == null) {
            throw new IOException("the runtime has no data directory to keep provider settings in");
        }
        JsonArray array = new JsonArray();
        entries.forEach(array::add);
        Path temporary = Files.createTempFile(file.getParent(), "providers", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, new GsonBuilder().setPrettyPrinting().create().toJson(array) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        try {
            apply(file, configurations);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Entry entry(JsonObject json) {
        return new Entry(string(json, "id"), string(json, "type"), string(json, "baseUrl"), string(json, "model"),
                !string(json, "apiKey").isEmpty(), string(json, "apiKeyEnv"));
    }

    private static String string(JsonObject json, String field) {
        JsonElement value = json.get(field);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
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
                JsonObject entry = element.deepCopy().getAsJsonObject();
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
                    if (!e.getKey().equals("type") && !e.getKey().equals("model")) {
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
