package io.boxagnts.http;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.boxagnts.api.model.ModelDiscovery;
import io.boxagnts.api.model.ModelProvider;
import io.boxagnts.api.model.ModelServer;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/providers}: the model providers available and the local servers discovery looked for (with, for
 * those not running, how to start them); {@code POST /api/providers/discover} looks again.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(BoxagntsContext.SELECT)
@HttpWhiteboardServletPattern({"/api/providers", "/api/providers/*"})
public final class ProvidersServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<ModelProvider> providers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelDiscovery discovery;

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
        if (!"/discover".equals(request.getPathInfo()) || current == null) {
            JsonResponses.error(response, 404, "NOT_FOUND", "POST /api/providers/discover looks for local servers again");
            return;
        }
        JsonResponses.send(response, 200, describe(current.rediscover()));
    }

    private JsonObject describe(List<ModelServer> servers) {
        JsonArray ids = new JsonArray();
        providers.forEach(p -> ids.add(p.id()));
        JsonObject body = new JsonObject();
        body.add("providers", ids);
        body.add("servers", JsonResponses.GSON.toJsonTree(servers));
        if (providers.isEmpty()) {
            body.addProperty("hint", "No model provider is available. Start a local model server (Ollama, llama.cpp, "
                    + "LM Studio or vLLM) on its default port and POST /api/providers/discover, or start BoxAgnts with "
                    + "--model-url http://HOST:PORT/v1.");
        }
        return body;
    }
}
