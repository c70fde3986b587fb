package io.boxagnts.webfetch;

import io.boxagnts.api.audit.AuditLog;
import io.boxagnts.api.audit.WebAccess;
import io.boxagnts.api.web.WebFetchException;
import io.boxagnts.api.web.WebFetchException.Kind;
import io.boxagnts.api.web.WebFetchRequest;
import io.boxagnts.api.web.WebFetcher;
import io.boxagnts.api.web.WebPage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web policy and the fetcher behind the {@code web_fetch} tool (decision 0024). Off by default: in the default
 * configuration no tool reaches the network. When an administrator turns it on, a URL is fetched only if its host is
 * on the exact-host allowlist, over https (plain http only where allowed), from a public address checked after DNS
 * resolution and then connected to as checked, following redirects only within the list, within the byte and time
 * limits, with no cookie, credential or proxy. Every attempt is logged and recorded in the audit log.
 */
@Component(service = WebFetcher.class, configurationPid = WebPolicy.PID)
@Designate(ocd = WebFetchService.Config.class)
public final class WebFetchService implements WebFetcher {

    /**
     * Framework (or JVM system) property for tests only: comma-separated host names that resolve to the loopback
     * address and may be reached there, so a test's local server can stand for an allowlisted site. Nothing in the
     * console, {@code conf/} or the command line sets it; a runtime that has it says so in its log at every start.
     */
    public static final String TEST_LOOPBACK_HOSTS = "boxagnts.webfetch.testLoopbackHosts";

    /**
     * Framework (or JVM system) property for tests only: comma-separated PEM files whose certificates TLS trusts
     * besides the JVM's authorities, so that a test's local HTTPS server with a certificate the test made can stand
     * for an allowlisted site. Set like {@link #TEST_LOOPBACK_HOSTS}, nowhere in production; said in the log.
     */
    public static final String TEST_TRUSTED_CERTIFICATES = "boxagnts.webfetch.testTrustedCertificates";

    @ObjectClassDefinition(name = "BoxAgnts web fetch", description = "What the web_fetch tool may reach. Off by "
            + "default: no tool makes any connection until an administrator turns this on and lists the hosts")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Let tools fetch web pages from the hosts listed below")
        boolean enabled() default false;

        @AttributeDefinition(name = "Allowed hosts", description = "Exact host names (no wildcards, no subdomains "
                + "implied), e.g. docs.python.org; a redirect to any other host is refused")
        String[] allowedHosts() default {};

        @AttributeDefinition(name = "Allow plain http", description = "Also fetch http:// URLs of the allowed hosts "
                + "(otherwise https only)")
        boolean allowHttp() default false;

        @AttributeDefinition(name = "Size limit (KiB)", description = "The most of a response body read; longer "
                + "bodies are cut and marked truncated")
        long maxKb() default 1024;

        @AttributeDefinition(name = "Time limit (ms)", description = "The most one fetch may take, redirects "
                + "included (the tool's own time limit may end it sooner)")
        long timeoutMs() default 15_000;

        @AttributeDefinition(name = "Redirects", description = "The most redirects followed within the allowed hosts")
        int maxRedirects() default 5;
    }

    /** Looks a host name up; the fetch connects to the address it returns and to no other. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(WebFetchService.class);

    private final Resolver resolver;
    private final Tls.Factory tls;
    private final Consumer<WebAccess> audit;
    private final Set<String> loopbackHosts;
    private volatile WebPolicy policy;

    @Activate
    public WebFetchService(BundleContext context, Config config, @Reference AuditLog audit) {
        this(config, WebPolicy.hosts(new String[] {context.getProperty(TEST_LOOPBACK_HOSTS)}),
                InetAddress::getAllByName, tls(context.getProperty(TEST_TRUSTED_CERTIFICATES)), audit::record);
    }

    private static Tls.Factory tls(String testCertificates) {
        if (testCertificates != null && !testCertificates.isBlank()) {
            LOG.warn("{} is set (a setting for tests): TLS also trusts the certificates in {}",
                    TEST_TRUSTED_CERTIFICATES, testCertificates);
        }
        return Tls.lazy(testCertificates);
    }

    WebFetchService(Config config, Set<String> loopbackHosts, Resolver resolver, Tls.Factory tls,
            Consumer<WebAccess> audit) {
        this.resolver = resolver;
        this.tls = tls;
        this.audit = audit;
        this.loopbackHosts = loopbackHosts;
        if (!loopbackHosts.isEmpty()) {
            LOG.warn("{} is set (a setting for tests): {} resolve to the loopback address and may be fetched there",
                    TEST_LOOPBACK_HOSTS, String.join(", ", loopbackHosts));
        }
        modified(config);
    }

    @Modified
    void modified(Config config) {
        policy = WebPolicy.of(config, loopbackHosts);
        LOG.info("web fetch {}", policy.enabled() ? "on for " + String.join(", ", policy.allowedHosts().stream()
                .sorted().toList()) + (policy.allowHttp() ? " (http allowed)" : "") : "off");
    }

    @Override
    public boolean allowsAnyHost() {
        WebPolicy current = policy;
        return current.enabled() && !current.allowedHosts().isEmpty();
    }

    /** What one fetch found out, for the log and the audit record. */
    private static final class Trace {
        int status;
        String address = "";
        long bytes;
        final List<String> redirects = new ArrayList<>();
    }

    @Override
    public WebPage fetch(WebFetchRequest request) throws WebFetchException {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        WebPolicy current = policy;
        Trace trace = new Trace();
        Duration limit = current.timeout().compareTo(request.timeout()) < 0 ? current.timeout() : request.timeout();
        try {
            current.checkEnabled();
            long maxBytes = request.maxBytes() == 0 ? current.maxBytes() : Math.min(request.maxBytes(),
                    current.maxBytes());
            WebPage page = follow(current, request.url(), started + limit.toNanos(), maxBytes, trace);
            done(request, startedAt, started, trace, "ok", "");
            return page;
        } catch (WebFetchException e) {
            done(request, startedAt, started, trace, e.kind() == Kind.DISABLED || e.kind() == Kind.REFUSED
                    ? "refused" : "failed", e.getMessage());
            throw e;
        } catch (HttpGet.Timeout e) {
            String message = "the fetch of " + WebPolicy.withoutCredentials(request.url()) + " did not finish within "
                    + "its time limit of " + limit.toMillis() + " ms (" + (current.timeout().compareTo(request.timeout())
                    < 0 ? "the web policy's timeoutMs" : "what was left of the tool's own time limit") + ")";
            done(request, startedAt, started, trace, "failed", message);
            throw new WebFetchException(Kind.TIMEOUT, message);
        } catch (IOException | RuntimeException e) {
            String message = "could not fetch " + WebPolicy.withoutCredentials(request.url()) + ": " + (e instanceof SSLException
                    ? "TLS failed: " : "") + e.getMessage();
            done(request, startedAt, started, trace, "failed", message);
            throw new WebFetchException(Kind.FAILED, message);
        }
    }

    private WebPage follow(WebPolicy current, String firstUrl, long deadline, long maxBytes, Trace trace)
            throws WebFetchException, IOException {
        String url = firstUrl;
        for (int hop = 0; ; hop++) {
            WebPolicy.Target target = current.check(url, hop > 0);
            InetAddress address = checkedAddress(target.host());
            trace.address = address.getHostAddress() + ":" + target.port();
            HttpGet.Response response = HttpGet.get(target, address, target.tls() ? tls.get() : null, deadline,
                    maxBytes);
            trace.status = response.status();
            trace.bytes += response.body().length;
            String location = response.header("location");
            if (isRedirect(response.status()) && location != null) {
                if (hop >= current.maxRedirects()) {
                    throw new WebFetchException(Kind.FAILED, "more than " + current.maxRedirects()
                            + " redirects (last to " + location + ")");
                }
                try {
                    url = target.uri().resolve(location.strip()).toString();
                } catch (IllegalArgumentException e) {
                    throw new WebFetchException(Kind.FAILED, "the server redirected to a malformed URL: " + location);
                }
                trace.redirects.add(url);
                continue;
            }
            return page(target.uri(), response);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The host's address if every address it resolves to is public (or a test's loopback name). */
    private InetAddress checkedAddress(String host) throws WebFetchException {
        if (loopbackHosts.contains(host)) {
            return InetAddress.getLoopbackAddress();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new WebFetchException(Kind.FAILED, "the host " + host + " was not found (DNS)");
        }
        if (addresses.length == 0) {
            throw new WebFetchException(Kind.FAILED, "the host " + host + " was not found (DNS)");
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = AddressCheck.refusal(address);
            if (refusal.isPresent()) {
                throw new WebFetchException(Kind.REFUSED, host + " resolves to " + address.getHostAddress() + ", "
                        + refusal.get() + "; web_fetch reaches public addresses only");
            }
        }
        return addresses[0];
    }

    private static WebPage page(URI uri, HttpGet.Response response) throws WebFetchException, IOException {
        String header = response.header("content-type");
        String type = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        Charset charset = charset(header);
        byte[] body = response.body();
        if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
            return new WebPage(response.status(), type, ReadableText.fromHtml(body, charset, uri.toString()),
                    response.truncated(), uri.toString());
        }
        boolean text = type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || (type.isEmpty() && !containsZero(body));
        if (!text) {
            throw new WebFetchException(Kind.FAILED, uri + " answered " + (type.isEmpty() ? "binary data" : type)
                    + " (" + body.length + (response.truncated() ? "+" : "") + " bytes), not text; web_fetch "
                    + "returns text only");
        }
        return new WebPage(response.status(), type.isEmpty() ? "text/plain" : type,
                new String(body, charset == null ? StandardCharsets.UTF_8 : charset), response.truncated(),
                uri.toString());
    }

    private static Charset charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
                try {
                    return Charset.forName(pair[1].strip().replace("\"", ""));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static boolean containsZero(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private void done(WebFetchRequest request, Instant startedAt, long started, Trace trace, String outcome,
            String reason) {
        Duration duration = Duration.ofNanos(System.nanoTime() - started);
        String detail = reason;
        if (!trace.redirects.isEmpty()) {
            detail = (detail.isEmpty() ? "" : detail + "; ") + "redirected to " + String.join(" -> ", trace.redirects);
        }
        String url = WebPolicy.withoutCredentials(request.url());
        LOG.info("web fetch {} by {} (call {}): {}{}{}, {} bytes in {} ms{}", url, request.tool(),
                request.callId(), outcome, trace.status > 0 ? " " + trace.status : "",
                trace.address.isEmpty() ? "" : " from " + trace.address, trace.bytes, duration.toMillis(),
                detail.isEmpty() ? "" : ": " + detail);
        audit.accept(new WebAccess(request.tool(), request.callId(), request.caller(), url, outcome,
                trace.status, trace.address, trace.bytes, detail, startedAt, duration));
    }
}
