package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Web Console in a real headless Chromium, signed in the way a user is: the printed link signs the browser in to
 * the UI, whose Console link opens the console (no second login); the bundle list is drawn by the console's own
 * scripts under our Content-Security-Policy, and the audit page shows and filters the log. Screenshots go to
 * target/screenshots. The methods run in name order, each from where the last left the browser.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleBrowserIT {

    private static TestRuntime runtime;
    private static BoxagntsProcess boxagnts;
    private static Browser browser;

    @BeforeClass
    public static void start() throws Exception {
        Browser.requireAvailable();
        runtime = TestRuntime.prepare("boxagnts-console-browser-it");
        Files.writeString(runtime.workspace().resolve("notes.txt"), "hello\n");
        boxagnts = runtime.start().process();
        browser = new Browser(Files.createDirectories(runtime.root().resolve("profile")));
    }

    @AfterClass
    public static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    public void a_theUiLinksTheConsoleForTheSignedInAdministrator() {
        browser.driver.get(boxagnts.url());
        WebElement link = browser.find("#console-link");
        assertEquals(runtime.url("/system/console/"), link.getAttribute("href"));
        assertEquals("_blank", link.getAttribute("target"));
        browser.consoleErrors(); // the UI's own are BrowserIT's business
    }

    @Test
    public void b_theConsoleOpensWithoutASecondLoginAndItsScriptsRun() throws Exception {
        browser.driver.get(browser.find("#console-link").getAttribute("href"));
        // the bundle table is filled by the console's scripts from bundles.json
        browser.awaitText("#plugin_table", "io.boxagnts.console");
        browser.awaitText("#plugin_table", "org.apache.felix.webconsole");
        assertTrue(browser.driver.getCurrentUrl(), browser.driver.getCurrentUrl().endsWith("/system/console/bundles"));
        assertTrue(browser.find("#navmenu").getText().contains("BoxAgnts"));
        browser.screenshot("console-bundles");
        assertEquals("no script error or CSP violation on the console", List.of(), browser.consoleErrors());
    }

    @Test
    public void c_theAuditPageShowsTheLogAndFiltersIt() throws Exception {
        assertEquals(200, Http.post(runtime.url("/api/tools/read_file/invoke"), "{\"path\":\"notes.txt\"}").status());
        browser.driver.get(runtime.url("/system/console/audit"));
        browser.awaitText("#audit-records", "read_file 0.1.0");
        browser.screenshot("console-audit");
        new Select(browser.find("#audit-filter select[name=type]")).selectByValue("admin");
        browser.find("#audit-filter input[name=tool]").sendKeys("read_file");
        browser.find("#audit-filter button[type=submit]").click();
        browser.awaitText("#audit-records", "No record matches.");
        assertTrue(browser.driver.getCurrentUrl(), browser.driver.getCurrentUrl().contains("type=admin"));
        new Select(browser.find("#audit-filter select[name=type]")).selectByValue("tool_call");
        browser.find("#audit-filter button[type=submit]").click();
        browser.awaitText("#audit-records", "read_file 0.1.0");
        List<WebElement> rows = browser.all("#audit-records tbody tr");
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).getText(), rows.get(0).getText().contains("direct API call"));
        browser.driver.findElement(By.linkText("hour")).click();
        browser.awaitText("#audit-records", "read_file 0.1.0");
        assertEquals("no script error or CSP violation on the audit page", List.of(), browser.consoleErrors());
    }

    /** With --admin-token-file, the user signed in with the access token gets no link; the administrator does. */
    @Test
    public void d_withAnAdminTokenOnlyTheAdministratorSeesTheLink() throws Exception {
        try (TestRuntime split = TestRuntime.prepare("boxagnts-console-browser-admin-it")) {
            String admin = "admin-" + "9".repeat(40);
            Path file = Files.writeString(split.root().resolve("admin-token"), admin + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            BoxagntsProcess process = split.start("--admin-token-file", file.toString()).process();
            try (Browser user = new Browser(Files.createDirectories(split.root().resolve("profile")))) {
                user.driver.get(process.url());
                user.find("#new-session");
                // the UI sets the link's address once /api/console has answered, shown or not
                user.until(d -> d.findElement(By.id("console-link")).getDomAttribute("href") != null,
                        "the answer of /api/console");
                assertFalse("no Console link for the access token", user.all("#console-link").get(0).isDisplayed());
                user.driver.get(split.url("/?token=" + admin));
                assertTrue(user.find("#console-link").isDisplayed());
                user.driver.get(user.find("#console-link").getAttribute("href"));
                user.awaitText("#plugin_table", "io.boxagnts.console");
            }
        }
    }

    /**
     * The console's Configuration page: the typed forms MetaType describes, saved there, applied at once: an allowed
     * host is answered, and an audit retention deletes an audit file older than it.
     */
    @Test
    public void e_theConfigurationPageAppliesAllowedHostsAndAuditRetentionWithoutARestart() throws Exception {
        assertTrue(statusLine("proxy.example").contains(" 403 "));
        browser.driver.get(runtime.url("/system/console/configMgr/io.boxagnts.http"));
        browser.awaitText("#editor", "Allowed hosts");
        assertTrue(browser.find("#editor").getText().contains("reverse proxy"));
        include("allowedHosts");
        browser.find("#editor [name=allowedHosts]").sendKeys("proxy.example");
        save();
        // the name is now one of ours: the request gets as far as the token check
        Await.until("proxy.example is answered", () -> statusLine("proxy.example").contains(" 401 "));
        assertTrue(statusLine("elsewhere.example").contains(" 403 "));

        Path old = runtime.data().resolve("audit/audit-000000000000.jsonl");
        Files.writeString(old, "");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofDays(40))));
        browser.driver.get(runtime.url("/system/console/configMgr/io.boxagnts.audit"));
        browser.awaitText("#editor", "Retention (days)");
        include("retentionDays");
        WebElement days = browser.find("#editor [name=retentionDays]");
        days.clear();
        days.sendKeys("30");
        save();
        Await.until("the 40-day-old audit file is deleted", () -> !Files.exists(old));
        String audit = Http.get(runtime.url("/api/audit?type=admin&limit=1000")).body();
        assertTrue(audit, audit.contains("\"subject\":\"io.boxagnts.http\""));
        assertTrue(audit, audit.contains("\"allowedHosts\":\"[proxy.example]\""));
        assertTrue(audit, audit.contains("\"action\":\"delete audit files\""));
        assertTrue(audit, audit.contains("audit-000000000000.jsonl"));
        assertEquals("no script error or CSP violation on the Configuration page", List.of(), browser.consoleErrors());
    }

    /** A configuration a conf/ file holds is not changed from the page: saving it shows why, and the file still rules. */
    @Test
    public void ea_aConfigurationFromAConfFileIsRefusedWithItsReason() throws Exception {
        Path file = runtime.conf("io.boxagnts.tool.policy-list_dir.cfg", "timeoutMs=4000\n");
        try {
            Await.until("the file's configuration applies", () -> Http.get(runtime.url("/api/admin/tools/list_dir"))
                    .body().contains("\"timeoutMs\":\"4000\""));
            browser.driver.get(runtime.url("/system/console/configMgr/io.boxagnts.tool.policy~list_dir"));
            WebElement timeout = browser.find("#editor [name=timeoutMs]");
            timeout.clear();
            timeout.sendKeys("1000");
            browser.driver.findElement(By.xpath("//div[contains(@class,'ui-dialog-buttonpane')]//button"
                    + "[normalize-space()='Save']")).click();
            browser.until(d -> d.getPageSource().contains("comes from the configuration file") ? true : null,
                    "the console showing why it refused");
            browser.screenshot("console-config-refused");
            assertTrue(Http.get(runtime.url("/api/admin/tools/list_dir")).body().contains("\"timeoutMs\":\"4000\""));
            // the refused request is the expected failure the browser reports, with the console's own reaction to
            // it: its config.js failure handler closes a dialog through the wrong object (Felix Web Console 5.0.18)
            for (String error : browser.consoleErrors()) {
                assertTrue(error, error.contains("400") || error.contains("cannot call methods on dialog prior to "
                        + "initialization; attempted to call method 'close'"));
            }
        } finally {
            Files.delete(file);
        }
    }

    /** "Log out" signs this browser out: back to the UI, which asks for a token; the console is closed to it. */
    @Test
    public void f_logOutSignsTheBrowserOut() throws Exception {
        browser.driver.get(runtime.url("/system/console/bundles"));
        browser.find("#navmenu").findElement(By.linkText("Log out")).click();
        browser.awaitText("#sign-in", "access-token");
        assertEquals(runtime.url("/"), browser.driver.getCurrentUrl());
        browser.driver.get(runtime.url("/system/console/bundles"));
        assertTrue(browser.driver.getPageSource(), browser.driver.getPageSource().contains("UNAUTHORIZED"));
        String audit = Http.get(runtime.url("/api/audit?type=admin&limit=1000")).body();
        assertTrue(audit, audit.contains("\"action\":\"sign-out\""));
    }

    /** Ticks the editor's box that puts an optional property into the configuration, if it is not ticked yet. */
    private static void include(String property) {
        List<WebElement> optional = browser.all("#editor input.optionality[name=opt" + property + "]");
        if (!optional.isEmpty() && !optional.get(0).isSelected()) {
            optional.get(0).click();
        }
    }

    /** The editor's Save button; the console goes back to its list once the configuration is stored. */
    private static void save() {
        browser.driver.findElement(By.xpath("//div[contains(@class,'ui-dialog-buttonpane')]//button[normalize-space()"
                + "='Save']")).click();
        browser.until(d -> d.getCurrentUrl().endsWith("/system/console/configMgr") ? true : null,
                "the configuration list after saving");
    }

    /** The status line of a GET /api/health sent with that Host and no token (HttpClient cannot set Host). */
    private static String statusLine(String host) throws Exception {
        return Http.raw(runtime.port(), "GET /api/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .lines().findFirst().orElse("");
    }
}
