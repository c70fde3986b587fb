package io.boxagnts.webfetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * HTML as text a model reads well: the title, headings as {@code #} lines, list items as {@code -} lines, paragraphs
 * and table rows on lines of their own, preformatted text kept as it is, and nothing of scripts, styles, forms'
 * hidden parts or navigation chrome that carries no text.
 */
final class ReadableText {

    private static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "main", "header", "footer",
            "nav", "aside", "blockquote", "pre", "table", "tr", "ul", "ol", "dl", "dt", "dd", "figure", "figcaption",
            "form", "fieldset", "address", "details", "summary", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li");

    private ReadableText() {}

    /** @param charset from the Content-Type header, or null to let the page say (meta charset) or assume UTF-8 */
    static String fromHtml(byte[] html, Charset charset, String baseUri) throws IOException {
        Document document = Jsoup.parse(new ByteArrayInputStream(html), charset == null ? null : charset.name(),
                baseUri);
        document.select("script, style, noscript, template, svg, iframe, object, canvas, input, select, button")
                .remove();
        StringBuilder out = new StringBuilder();
        String title = document.title().strip();
        if (!title.isEmpty()) {
            out.append("# ").append(title).append("\n\n");
        }
        NodeTraversor.traverse(new Visitor(out), document.body());
        return tidy(out.toString(), title);
    }

    private static final class Visitor implements NodeVisitor {
        private final StringBuilder out;

        Visitor(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode text) {
                if (insidePre(text)) {
                    out.append(text.getWholeText());
                } else {
                    String collapsed = text.text().replaceAll("\\s+", " ");
                    if (!collapsed.isBlank() || (out.length() > 0 && out.charAt(out.length() - 1) != ' '
                            && out.charAt(out.length() - 1) != '\n')) {
                        out.append(collapsed.isBlank() ? " " : collapsed);
                    }
                }
            } else if (node instanceof Element element) {
                String tag = element.normalName();
                if (tag.equals("br")) {
                    out.append('\n');
                } else if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
                    out.append("\n\n").append("#".repeat(tag.charAt(1) - '0')).append(' ');
                } else if (tag.equals("li")) {
                    out.append("\n- ");
                } else if (tag.equals("td") || tag.equals("th")) {
                    out.append(" | ");
                } else if (BLOCKS.contains(tag)) {
                    out.append('\n');
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element element && BLOCKS.contains(element.normalName())
                    && !element.normalName().equals("li")) {
                out.append('\n');
            }
        }

        private static boolean insidePre(TextNode text) {
            for (Node parent = text.parentNode(); parent != null; parent = parent.parentNode()) {
                if (parent instanceof Element element && (element.normalName().equals("pre")
                        || element.normalName().equals("textarea"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** No trailing spaces, at most one empty line in a row, no heading repeating the title right after it. */
    private static String tidy(String text, String title) {
        StringBuilder out = new StringBuilder(text.length());
        int empty = 0;
        for (String line : text.split("\n", -1)) {
            String trimmed = line.stripTrailing();
            if (trimmed.startsWith(" ") && !trimmed.isBlank() && !trimmed.startsWith("  ")) {
                trimmed = trimmed.substring(1);
            }
            if (trimmed.isBlank()) {
                if (++empty > 1 || out.isEmpty()) {
                    continue;
                }
                out.append('\n');
            } else {
                empty = 0;
                out.append(trimmed).append('\n');
            }
        }
        String result = out.toString().strip();
        String heading = "# " + title + "\n\n# " + title + "\n";
        if (!title.isEmpty() && (result + "\n").startsWith(heading)) {
            result = result.substring(("# " + title + "\n\n").length());
        }
        return result;
    }
}
