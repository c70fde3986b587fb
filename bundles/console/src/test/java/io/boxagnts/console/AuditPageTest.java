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
                List.of(CALL, ADMIN), null, NOW);
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
                List.of(), "since must be an ISO-8601 time such as 2026-11-24T18:00:00Z, not '\"><b>'", NOW);
        assertFalse(html.contains("\"><b>"), html);
        assertTrue(html.contains("value=\"edit_file\""), html);
        assertTrue(html.contains("<option value=\"admin\" selected>"), html);
        assertTrue(html.contains("class=\"audit-error\">since must be an ISO-8601 time"), html);
        assertTrue(html.contains("href=\"/system/console/audit?since=2026-11-27T05%3A30%3A00Z\""), html);
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
