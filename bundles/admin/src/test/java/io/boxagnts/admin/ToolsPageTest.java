package io.boxagnts.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class ToolsPageTest {

    private static final String TOOL = """
            {"name":"write_file","version":"0.1.0","description":"Writes <b>files</b>","bundle":"evil\\"><script>x()</script>",
             "bundleVersion":"1","file":"w.jar","bundleState":"ACTIVE","state":"enabled",
             "policy":"io.boxagnts.tool.policy~write_file",
             "declared":{"workspace":"write","limits":{"timeoutMs":5000,"maxMemoryMb":64,"maxOutputKb":1024}},
             "granted":{"workspace":"read","limits":{"timeoutMs":2000,"maxMemoryMb":64,"maxOutputKb":1024}},
             "config":[{"pid":"io.boxagnts.tool.policy~write_file","file":"","asFile":"io.boxagnts.tool.policy-write_file.cfg",
                        "properties":{"tool":"write_file","workspace":"read","timeoutMs":"2000"}}],
             "stats":{"calls":3,"errors":1,"p50Ms":1.5,"p90Ms":2.0,"p99Ms":2.0,"maxMs":2.0}}""";

    private static JsonObject overview(String tools, String refused) {
        return JsonParser.parseString("{\"tools\":[" + tools + "],\"refused\":[" + refused + "],"
                + "\"allTools\":{\"workspace\":\"write\"},\"caps\":{\"timeoutMs\":60000,\"maxMemoryMb\":512,"
                + "\"maxOutputKb\":8192}}").getAsJsonObject();
    }

    @Test
    void everyToolHasItsFactsAndForms() {
        String html = ToolsPage.render("/system/console/tools", overview(TOOL, ""), null);
        assertTrue(html.contains("data-tool=\"write_file\""), html);
        assertTrue(html.contains("read <small>(declares write)</small>"), html);
        assertTrue(html.contains("declares 5000 ms"), html);
        assertTrue(html.contains("value=\"2000\""), "the form shows the configured limit");
        assertTrue(html.contains("class=\"tool-disable\""), html);
        assertTrue(html.contains("as a file: conf/io.boxagnts.tool.policy-write_file.cfg"), html);
        assertTrue(html.contains("<option value=\"write\">write</option>"), "a grant can go back up to the declaration");
        assertTrue(html.contains("id=\"tools-upload\""), html);
        assertTrue(html.contains("None."), "no refused bundle");
    }

    @Test
    void namesAndMessagesAreEncodedNotMarkup() {
        String refused = "{\"bundle\":\"<img src=x onerror=y()>\",\"bundleVersion\":\"1\",\"file\":\"r.jar\","
                + "\"reason\":\"limits.timeoutMs is above the cap <script>\"}";
        String html = ToolsPage.render("/system/console/tools", overview(TOOL, refused),
                new ToolsPage.Message(true, "<script>alert(1)</script>"));
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<img src=x"), html);
        assertFalse(html.contains("<b>files</b>"), html);
        assertTrue(html.contains("tools-error"), html);
    }
}
