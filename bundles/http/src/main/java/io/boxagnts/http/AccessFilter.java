package io.boxagnts.http;

import io.boxagnts.api.audit.AdminAction;
import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.runtime.HttpContext;
import io.boxagnts.api.runtime.RuntimeProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request to this HTTP server passes here first, whatever servlet context it is bound for: a whiteboard
 * preprocessor runs before the container picks a context, so an endpoint added later (in the {@code boxagnts}
 * context or any other: the Web Console, MCP) cannot skip the checks of {@link AccessPolicy}. Sets the security headers,
 * answers refusals itself, marks what it lets through with the credential's role ({@link HttpContext#ROLE_ATTRIBUTE}),
 * and reports refused credentials to the audit log as sign-in failures.
 */
@Component(service = Preprocessor.class, configurationPid = AccessFilter.PID)
@Designate(ocd = AccessFilter.Config.class)
public final class AccessFilter implements Preprocessor {

    static final String PID = "io.boxagnts.http";

    @ObjectClassDefinition(name = "BoxAgnts HTTP access", description = "Who may reach the HTTP server, besides what "
            + "the command line says (--host, --allowed-hosts)")
    public @interface Config {
        @AttributeDefinition(name = "Allowed hosts", required = false, description = "Host names the server also "
                + "answers to, e.g. a TLS reverse proxy's (no ports, no schemes); every other Host is refused")
        String[] allowedHosts() default {};
    }

    /** Scripts only from our own files, no inline code, no plugins, no framing, nothing sent elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            + "frame-ancestors 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);

    /** Replaced whole when the configuration changes: the preprocessor itself never goes away, not for a moment. */
    private volatile AccessPolicy policy;
    private final AccessToken token;
    private final AccessToken admin;
    private final Set<String> startHosts;
    private final SignInFailures failures = new SignInFailures(Clock.systemUTC());

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditLog audit;

    @Activate
    public AccessFilter(BundleContext context, Config config) {
        Set<String> hosts = new HashSet<>();
        String bound = context.getProperty(RuntimeProperties.HTTP_HOST);
        if (bound != null) {
            hosts.add(bound);
        }
        String allowed = context.getProperty(RuntimeProperties.ALLOWED_HOSTS);
        if (allowed != null) {
            Arrays.stream(allowed.split(",")).map(String::trim).filter(h -> !h.isEmpty()).forEach(hosts::add);
        }
        String port = context.getProperty(RuntimeProperties.HTTP_PORT);
        int portNumber = port == null ? 0 : Integer.parseInt(port.trim());
        this.token = new AccessToken(readToken(context.getProperty(RuntimeProperties.ACCESS_TOKEN_FILE), "access"),
                portNumber);
        String adminFile = context.getProperty(RuntimeProperties.ADMIN_TOKEN_FILE);
        // A named admin token that cannot be read locks administration for everyone, rather than opening it.
        this.admin = adminFile == null ? null : new AccessToken(readToken(adminFile, "admin"), portNumber);
        this.startHosts = Set.copyOf(hosts);
        modified(config);
    }

    /** The allowed hosts of the configuration apply to the next request, besides those of the command line. */
    @Modified
    void modified(Config config) {
        Set<String> hosts = new HashSet<>(startHosts);
        for (String host : config.allowedHosts()) {
            String name = host.trim();
            if (name.matches("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                hosts.add(name);
            } else if (!name.isEmpty()) {
                LOG.warn("configuration {}: '{}' is not a host name (no ports, no schemes); it is not allowed", PID, name);
            }
        }
        this.policy = new AccessPolicy(hosts, token, admin);
    }

    @Override
    public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) servletRequest;
        HttpServletResponse response = (HttpServletResponse) servletResponse;
        if (check(request, response)) {
            chain.doFilter(request, response);
        }
    }

    /** @return whether the request may go on; when not, the answer has been sent */
    private boolean check(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        AccessPolicy.Verdict verdict = policy.check(incoming(request));
        switch (verdict) {
            case AccessPolicy.Pass pass -> {
                if (pass.role() != null) {
                    request.setAttribute(HttpContext.ROLE_ATTRIBUTE, pass.role());
                    request.setAttribute(HttpContext.SIGN_OUT_COOKIE_ATTRIBUTE, token.signOutCookieHeader());
                } else {
                    request.removeAttribute(HttpContext.ROLE_ATTRIBUTE);
                    request.removeAttribute(HttpContext.SIGN_OUT_COOKIE_ATTRIBUTE);
                }
                return true;
            }
            case AccessPolicy.GrantCookie grant -> {
                response.setHeader("Set-Cookie", grant.token().setCookieHeader());
                response.setHeader("Cache-Control", "no-store");
                response.setStatus(303);
                response.setHeader("Location", grant.location());
                return false;
            }
            case AccessPolicy.Refuse refuse -> {
                LOG.debug("{} {} refused: {}", request.getMethod(), request.getRequestURI(), refuse.message());
                if (refuse.signInFailure()) {
                    recordSignInFailure(request, refuse);
                }
                JsonResponses.error(response, refuse.status(), refuse.kind(), refuse.message());
                return false;
            }
        }
    }

    /** Who tried what with which kind of credential; never the credential itself. */
    private void recordSignInFailure(HttpServletRequest request, AccessPolicy.Refuse refuse) {
        AuditLog log = audit;
        long suppressed = failures.admit();
        if (log == null || suppressed < 0) {
            return;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("status", Integer.toString(refuse.status()));
        details.put("reason", refuse.message());
        details.put("method", request.getMethod());
        details.put("credential", credentialKind(request));
        if (suppressed > 0) {
            details.put("notRecordedBefore", Long.toString(suppressed));
        }
        log.record(new AdminAction("remote " + request.getRemoteAddr(), "sign-in failure", decodedPath(request),
                details));
    }

    private String credentialKind(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            int space = authorization.indexOf(' ');
            String scheme = space < 0 ? authorization : authorization.substring(0, space);
            return "Authorization " + (scheme.length() > 20 ? scheme.substring(0, 20) : scheme);
        }
        return queryToken(request.getQueryString()) != null ? "token in link" : "cookie";
    }

    private AccessPolicy.Incoming incoming(HttpServletRequest request) {
        return new AccessPolicy.Incoming(request.getMethod(), decodedPath(request), request.getRequestURI(),
                queryToken(request.getQueryString()), request.getHeader("Host"),
                request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"), request.getHeader("Authorization"),
                cookie(request), request.getHeader("Accept"), request.getContentLengthLong());
    }

    private String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(token.cookieName())) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    /**
     * The path as the container decoded and normalised it, which is what it will match servlets against. A check on
     * the raw URI alone would let {@code /%61pi/sessions} or {@code /x/../api/sessions} by as "not the API".
     */
    static String decodedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        String path = servletPath + pathInfo;
        return path.isEmpty() ? "/" : path;
    }

    /** A token that is not even valid encoding is a wrong token. */
    private static String queryToken(String query) {
        try {
            return Requests.query(query, "token");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** An unreadable token file leaves what it guards closed (every request 401 or 403), never open. */
    private static String readToken(String file, String which) {
        if (file == null) {
            LOG.error("no access token file is configured ({}); the API refuses every request",
                    RuntimeProperties.ACCESS_TOKEN_FILE);
            return "";
        }
        try {
            String token = Files.readString(Path.of(file)).trim();
            if (token.length() < 32) {
                LOG.error("the {} token in {} is shorter than 32 characters; it is refused", which, file);
                return "";
            }
            return token;
        } catch (IOException | RuntimeException e) {
            LOG.error("the {} token file {} cannot be read ({}); it is refused", which, file, e.toString());
            return "";
        }
    }
}
