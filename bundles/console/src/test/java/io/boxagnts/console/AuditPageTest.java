package io.boxagnts.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.boxagnts.api.audit.AuditQuery;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditPageTest {

    private static final Instant NOW = Instant.parse("2026-11-27T06:30:12Z");
    private static final String CALL = "{\"seq\":7,\"time\":\"2026-11-27T06:00:00Z\",\"type\":\"tool_call\",\"callId\":\"c1\","
            + "\"caller\":\"session s1\",\"tool\":\"write_file\",\"toolVersion\":\"0.1.0\",\"bundle\":\"b\","
            + "\"argsSha256\":\"ab\",\"argsPreview\":\"{\\\"content\\\":\\\"<script>alert(1)</script>\\\"}\","
            + "\"decision\":\"approved once\",\"approvedBy\":\"user\",\"outcome\":\"TIMEOUT\",\"error\":\"took > 5 s\","
            + "\"durationMs\":5001,\"prev\":\"0\",\"hash\":\"1\"}";
    private static final String ADMIN = "{\"seq\":8,\"time\":\"2026-11-27T06:01:00Z\",\"type\":\"admin\",\"actor\":"
            + "\"remote 127.0.0.1\",\"action\":\"sign-in failure\",\"subject\":\"/system/console\",\"details\":"
            + "{\"reason\":\"\\\"><img src=x onerror=alert(2)>\",\"status\":\"401\"},\"prev\":\"1\",\"hash\":\"2\"}";

    @Test
    void recordsAreRowsAndNothingInThemBecomesMarkup() {
        String html = AuditPage.render("/system/console/audit", new AuditPage.Form(null, null, null, null),
                List.of(CALL, ADMIN), null, NOW, List.of());
        assertTrue(html.contains("2 records"), html);
        assertTrue(html.contains("<td>write_file 0.1.0</td>"), html);
        assertTrue(html.contains("<td>TIMEOUT: took &gt; 5 s</td>"), html);
        assertTrue(html.contains("<td>sign-in failure /system/console</td>"), html);
        assertFalse(html.contains("<script>") || html.contains("<img"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertEquals(2, html.split("<tr class=\"audit-").length - 1);
    }

    @Test
    void theFormShowsWhatWasTypedAndTheShortcutsAreTimes() {
        String html = AuditPage.render("/system/console/audit", new AuditPage.Form("\"><b>", "edit_file", "admin", "5"),
                List.of(), "since must be an ISO-8601 time such as 2026-11-24T18:00:00Z, not '\"><b>'", NOW, List.of());
        assertFalse(html.contains("\"><b>"), html);
        assertTrue(html.contains("value=\"edit_file\""), html);
        assertTrue(html.contains("<option value=\"admin\" selected>"), html);
        assertTrue(html.contains("class=\"audit-error\">since must be an ISO-8601 time"), html);
        assertTrue(html.contains("href=\"/system/console/audit?since=2026-11-27T05%3A30%3A00Z\""), html);
    }

    @Test
    void webFetchesAreAKindOfTheirOwnAndTheToolsThereAreOfferedForTheFilter() {
        String fetch = "{\"seq\":9,\"time\":\"2026-11-27T06:02:00Z\",\"type\":\"web_fetch\",\"tool\":\"web_fetch\","
                + "\"callId\":\"c2\",\"caller\":\"session s1\",\"url\":\"https://docs.python.org/3/\",\"outcome\":"
                + "\"ok\",\"status\":200,\"address\":\"151.101.0.223:443\",\"bytes\":5120,\"startedAt\":\"x\","
                + "\"durationMs\":310,\"prev\":\"2\",\"hash\":\"3\"}";
        String html = AuditPage.render("/system/console/audit", new AuditPage.Form(null, null, "web_fetch", null),
                List.of(fetch), null, NOW, List.of("web_fetch", "shell", "js", "read_file"));
        assertTrue(html.contains("<option value=\"web_fetch\" selected>web fetches</option>"), html);
        assertTrue(html.contains("<tr class=\"audit-web\"><td>9</td><td>2026-11-27T06:02:00Z</td><td>web fetch</td>"
                + "<td>session s1</td><td>web_fetch https://docs.python.org/3/</td><td>status 200, from "
                + "151.101.0.223:443, 5120 bytes</td><td>ok</td><td>310</td></tr>"), html);
        assertTrue(html.contains("<input name=\"tool\" size=\"16\" list=\"audit-tools\""), html);
        assertTrue(html.contains("<datalist id=\"audit-tools\"><option value=\"js\"></option><option value=\"read_file\">"
                + "</option><option value=\"shell\"></option><option value=\"web_fetch\"></option></datalist>"), html);
        assertEquals(AuditQuery.WEB_FETCH, new AuditPage.Form(null, "web_fetch", "web_fetch", null).query().type());
    }

    @Test
    void theFormBecomesTheQueryTheApiWouldRun() {
        AuditQuery query = new AuditPage.Form("2026-11-27T06:00:00Z", " read_file ", "tool_call", "20").query();
        assertEquals(new AuditQuery(Instant.parse("2026-11-27T06:00:00Z"), "read_file", "tool_call", 20), query);
        AuditQuery any = new AuditPage.Form("", "", "", "").query();
        assertNull(any.since());
        assertEquals(AuditQuery.DEFAULT_LIMIT, any.limit());
        assertThrows(IllegalArgumentException.class, () -> new AuditPage.Form(null, null, "other", null).query());
        assertThrows(IllegalArgumentException.class, () -> new AuditPage.Form(null, null, null, "5000").query());
    }
}
