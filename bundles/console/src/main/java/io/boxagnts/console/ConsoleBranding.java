package io.boxagnts.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.apache.felix.webconsole.spi.BrandingPlugin;
import org.osgi.service.component.annotations.Component;

/**
 * The console says it is BoxAgnts': its title, its logo (BoxAgnts' mark, inline as a data URL so that it needs no
 * path of its own under the console; the console's Content-Security-Policy allows data: images), and a product link
 * back to the BoxAgnts UI. The console's own style sheet stays.
 */
@Component
public final class ConsoleBranding implements BrandingPlugin {

    private final String logo;

    public ConsoleBranding() {
        try (InputStream in = ConsoleBranding.class.getResourceAsStream("logo.svg")) {
            if (in == null) {
                throw new IllegalStateException("logo.svg is missing from the bundle");
            }
            logo = "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String getBrandName() {
        return "BoxAgnts Web Console";
    }

    @Override
    public String getProductName() {
        return "BoxAgnts";
    }

    /** The BoxAgnts UI (the console uses this link as it is, unlike its image paths). */
    @Override
    public String getProductURL() {
        return "/";
    }

    @Override
    public String getProductImage() {
        return logo;
    }

    @Override
    public String getVendorName() {
        return "BoxAgnts";
    }

    @Override
    public String getVendorURL() {
        return "/";
    }

    @Override
    public String getVendorImage() {
        return logo;
    }

    @Override
    public String getFavIcon() {
        return logo;
    }

    @Override
    public String getMainStyleSheet() {
        return "/res/ui/webconsole.css";
    }
}
