package io.boxagnts.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.boxagnts.api.model.ModelDiscovery;
import io.boxagnts.api.model.ModelException;
import io.boxagnts.api.model.ModelInfo;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ModelServer;
import io.boxagnts.api.model.ProviderSettings;
import io.boxagnts.api.runtime.HttpContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * Model providers. {@code GET /api/providers}: the providers available, the local servers discovery looked for (with,
 * for those not running, how to start them) and the ones the user configured; {@code POST /api/providers/discover}
 * looks again; {@code POST /api/providers/{id}/test} asks a provider for its models; {@code PUT} and {@code DELETE
 * /api/providers/configured/{id}} change the user's providers (an API key goes in, never comes out), unless the
 * providers are the administrator's ({@code changesReserved} says why): then only the administrator's credential may.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(HttpContext.SELECT)
@HttpWhiteboardServletPattern({"/api/providers", "/api/providers/*"})
public final class ProvidersServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final int MAX_BODY_BYTES = 16 << 10;

    private final transient List<ModelProvider> providers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelDiscovery discovery;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ProviderSettings settings;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProvider(ModelProvider provider) {
        providers.add(provider);
    }

    void removeProvider(ModelProvider provider) {
        providers.remove(provider);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ModelDiscovery current = discovery;
        JsonResponses.send(response, 200, describe(current == null ? List.of() : current.servers()));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ModelDiscovery current = discovery;
        String[] path = Requests.path(request);
        if (path.length == 1 && path[0].equals("discover") && current != null) {
            JsonResponses.send(response, 200, describe(current.rediscover()));
        } else if (path.length == 2 && path[1].equals("test")) {
            test(path[0], response);
        } else {
            JsonResponses.error(response, 404, "NOT_FOUND", "POST /api/providers/discover looks for local servers "
                    + "again; POST /api/providers/{id}/test tries a provider");
        }
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = Requests.path(request);
        ProviderSettings current = settings;
        if (path.length != 2 || !path[0].equals("configured") || current == null) {
            JsonResponses.error(response, 404, "NOT_FOUND", "PUT /api/providers/configured/{id} saves a provider");
            return;
        }
        if (reservedToAdministrator(request, response, current)) {
            return;
        }
        JsonObject body = Requests.jsonObject(request, response, MAX_BODY_BYTES);
        if (body == null) {
            return;
        }
        try {
            ProviderSettings.Change change = new ProviderSettings.Change(path[1], Requests.string(body, "type"),
                    Requests.string(body, "baseUrl"), Requests.string(body, "model"),
                    body.has("apiKey") ? Requests.string(body, "apiKey") : null);
            JsonResponses.send(response, 200, current.save(change));
        } catch (IllegalArgumentException e) {
            JsonResponses.error(response, 400, "INVALID_INPUT", e.getMessage());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] path = Requests.path(request);
        ProviderSettings current = settings;
        if (current != null && reservedToAdministrator(request, response, current)) {
            return;
        }
        try {
            if (path.length != 2 || !path[0].equals("configured") || current == null || !current.delete(path[1])) {
                JsonResponses.error(response, 404, "NOT_FOUND", "no configured provider at " + request.getPathInfo());
                return;
            }
        } catch (IllegalArgumentException e) { // the file is broken: say so rather than guess
            JsonResponses.error(response, 400, "INVALID_INPUT", e.getMessage());
            return;
        }
        response.setStatus(204);
    }

    /**
     * Refuses (403) a change by a user who is not the administrator where the providers are the administrator's
     * (decision 0032); the administrator's own credential passes.
     *
     * @return whether it answered
     */
    private static boolean reservedToAdministrator(HttpServletRequest request, HttpServletResponse response,
            ProviderSettings settings) throws IOException {
        Optional<String> reason = settings.reservedToAdministrator();
        if (reason.isEmpty() || HttpContext.ROLE_ADMIN.equals(request.getAttribute(HttpContext.ROLE_ATTRIBUTE))) {
            return false;
        }
        JsonResponses.error(response, 403, "FORBIDDEN", reason.get());
        return true;
    }

    /** Asks the provider for its models: proves the URL, the key and the server in one request. */
    private void test(String id, HttpServletResponse response) throws IOException {
        ModelProvider provider = providers.stream().filter(p -> p.id().equals(id)).findFirst().orElse(null);
        if (provider == null) {
            JsonResponses.error(response, 404, "NOT_FOUND", "no provider '" + id + "' is running; saved settings "
                    + "take a moment to apply");
            return;
        }
        long started = System.nanoTime();
        try {
            List<ModelInfo> models = provider.models();
            JsonObject body = new JsonObject();
            body.addProperty("provider", id);
            body.add("models", JsonResponses.GSON.toJsonTree(models.stream().map(ModelInfo::id).toList()));
            body.addProperty("millis", (System.nanoTime() - started) / 1_000_000);
            JsonResponses.send(response, 200, body);
        } catch (ModelException e) {
            JsonResponses.error(response, 502, "MODEL_ERROR", e.getMessage());
        }
    }

    private JsonObject describe(List<ModelServer> servers) {
        JsonArray ids = new JsonArray();
        providers.forEach(p -> ids.add(p.id()));
        JsonObject body = new JsonObject();
        body.add("providers", ids);
        body.add("servers", JsonResponses.GSON.toJsonTree(servers));
        ProviderSettings current = settings;
        body.add("configured", JsonResponses.GSON.toJsonTree(current == null ? List.of() : current.list()));
        Optional<String> reserved = current == null ? Optional.empty() : current.reservedToAdministrator();
        reserved.ifPresent(reason -> body.addProperty("changesReserved", reason));
        if (providers.isEmpty() && reserved.isPresent() && servers.isEmpty()) {
            body.addProperty("hint", "No model provider is available, and this distribution looks for no local "
                    + "server: ask the administrator to configure one (" + reserved.get() + ").");
        } else if (providers.isEmpty()) {
            body.addProperty("hint", "No model provider is available. Start a local model server on its default port "
                    + "(e.g. 'ollama serve', or 'llama-server -m model.gguf --jinja'): it is found by itself within "
                    + "seconds. Or add a provider on the Models screen (PUT /api/providers/configured/{id}).");
        }
        return body;
    }
}
