package io.boxagnts.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The UI's files obey the Content-Security-Policy the server sends, and every file they load is in the bundle. */
class UiFilesTest {

    private static final Path BUILT = Path.of("target/classes/web");

    @Test
    void indexLoadsOnlyFilesThatAreShipped() throws IOException {
        String index = Files.readString(BUILT.resolve("index.html"));
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(index);
        int count = 0;
        while (refs.find()) {
            String ref = refs.group(1);
            assertFalse(ref.contains("//"), "no third-party or absolute URL: " + ref);
            // the page is served at / and its files under /ui/, the public prefix
            assertTrue(ref.startsWith("ui/"), "under ui/: " + ref);
            assertTrue(Files.isRegularFile(BUILT.resolve(ref.substring(3))), "shipped: " + ref);
            count++;
        }
        assertTrue(count >= 6, "index.html loads the app, its styles and the four libraries");
    }

    @Test
    void noInlineScriptOrStyleWhichTheCspWouldBlock() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("web"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".html")).toList()) {
                String html = Files.readString(file);
                assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>").matcher(html).find(), file + ": inline script");
                assertFalse(html.contains(" style=\""), file + ": inline style");
                assertFalse(Pattern.compile("\\son[a-z]+=\"").matcher(html).find(), file + ": inline event handler");
            }
        }
        try (Stream<Path> files = Files.list(Path.of("web"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".js")).toList()) {
                String js = Files.readString(file);
                for (String risky : List.of("innerHTML =", "eval(", "new Function(", "outerHTML =", "insertAdjacentHTML")) {
                    // the one sanctioned use: rendered Markdown, after DOMPurify
                    String rest = js.replace("innerHTML = window.DOMPurify.sanitize(", "");
                    assertFalse(rest.contains(risky), file + " uses " + risky + "; build DOM nodes or sanitise");
                }
            }
        }
    }

    @Test
    void contentTypesAndEtags() {
        assertEquals("text/javascript;charset=utf-8", UiServlet.contentType("app.js"));
        assertEquals("text/html;charset=utf-8", UiServlet.contentType("index.html"));
        assertEquals(UiServlet.etag(new byte[] {1}), UiServlet.etag(new byte[] {1}));
        assertFalse(UiServlet.etag(new byte[] {1}).equals(UiServlet.etag(new byte[] {2})));
    }
}
