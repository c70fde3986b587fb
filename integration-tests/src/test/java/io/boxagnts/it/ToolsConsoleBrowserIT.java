package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's Tools page in a real headless Chromium, signed in by the printed link: it lists every tool with its
 * bundle, state, grant, limits and calls; narrowing write_file's grant there refuses the next call with
 * PERMISSION_DENIED, disabling and enabling a tool, a tool bundle uploaded through the page runs and is uninstalled
 * again, a broken one is refused with its reason, and every action is in the audit log. The methods run in name
 * order, each from where the last left the browser; screenshots go to target/screenshots.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ToolsConsoleBrowserIT {

    private static TestRuntime runtime;
    private static BoxagntsProcess boxagnts;
    private static Browser browser;

    @BeforeClass
    public static void start() throws Exception {
        Browser.requireAvailable();
        runtime = TestRuntime.prepare("boxagnts-tools-console-it");
        Files.writeString(runtime.workspace().resolve("notes.txt"), "hello\n");
        boxagnts = runtime.start().process();
        browser = new Browser(Files.createDirectories(runtime.root().resolve("profile")));
        browser.driver.get(boxagnts.url()); // the printed link signs the browser in
        browser.find("#console-link");
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

    private static WebElement row(String tool) {
        return browser.find("#tools tr[data-tool=" + tool + "]");
    }

    private static String kind(Http.Response response) {
        return com.google.gson.JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonObject("error")
                .get("kind").getAsString();
    }

    @Test
    public void a_thePageListsEveryToolWithItsCalls() throws Exception {
        assertEquals(200, Http.post(runtime.url("/api/tools/read_file/invoke"), "{\"path\":\"notes.txt\"}").status());
        // as an administrator gets there: the console's menu, BoxAgnts, Tools (a submenu shown on hover)
        browser.driver.get(runtime.url("/system/console/bundles"));
        new Actions(browser.driver).moveToElement(browser.find("#navmenu").findElement(By.linkText("BoxAgnts")))
                .perform();
        WebElement entry = browser.find("#navmenu a[href$='/system/console/tools']");
        assertEquals("Tools", entry.getText());
        entry.click();
        browser.awaitText("#tools", "write_file");
        assertTrue(browser.driver.getCurrentUrl(), browser.driver.getCurrentUrl().endsWith("/system/console/tools"));
        assertEquals(RuntimeContainer.toolBundles().size(), browser.all("#tools tbody tr.tool").size());
        WebElement read = row("read_file");
        assertTrue(read.getText(), read.getText().contains("io.boxagnts.tool.read_file"));
        assertEquals("1", read.findElement(By.cssSelector(".tool-calls")).getText());
        browser.screenshot("console-tools");
        assertEquals("no script error or CSP violation on the Tools page", List.of(), browser.consoleErrors());
    }

    @Test
    public void b_narrowingAGrantRefusesTheNextCall() throws Exception {
        new Select(row("write_file").findElement(By.cssSelector("form.tool-grant select"))).selectByValue("read");
        row("write_file").findElement(By.cssSelector("form.tool-grant button")).click();
        browser.awaitText("#tools-message", "write_file may now read the workspace");
        assertTrue(row("write_file").findElement(By.cssSelector(".tool-workspace")).getText().contains("declares write"));
        Http.Response refused = Http.post(runtime.url("/api/tools/write_file/invoke"),
                "{\"path\":\"w.txt\",\"content\":\"x\"}");
        assertEquals(refused.body(), 403, refused.status());
        assertEquals("PERMISSION_DENIED", kind(refused));
        assertFalse(Files.exists(runtime.workspace().resolve("w.txt")));
        row("write_file").findElement(By.cssSelector("form.tool-reset button")).click();
        browser.awaitText("#tools-message", "write_file runs as it declares");
        assertEquals(200, Http.post(runtime.url("/api/tools/write_file/invoke"),
                "{\"path\":\"w.txt\",\"content\":\"x\"}").status());
    }

    @Test
    public void c_disablingAndEnablingATool() throws Exception {
        row("grep").findElement(By.cssSelector("form.tool-disable button")).click();
        browser.awaitText("#tools-message", "grep disabled");
        assertTrue(row("grep").findElement(By.cssSelector(".tool-state")).getText().contains("disabled"));
        assertEquals(403, Http.post(runtime.url("/api/tools/grep/invoke"), "{\"pattern\":\"x\"}").status());
        row("grep").findElement(By.cssSelector("form.tool-enable button")).click();
        browser.awaitText("#tools-message", "grep enabled");
        assertEquals(200, Http.post(runtime.url("/api/tools/grep/invoke"), "{\"pattern\":\"x\"}").status());
    }

    @Test
    public void d_aBundleUploadedThroughThePageRunsAndIsUninstalled() throws Exception {
        Path jar = TestBundles.toolBundle(TempDirs.create("upload"), "echo", TestBundles.hostileModule("echo"),
                "none", 5000);
        browser.find("#tools-upload input[type=file]").sendKeys(jar.toString());
        browser.find("#tools-upload button").click();
        browser.awaitText("#tools-message", "echo.jar deployed");
        browser.awaitText("#tools", "test.tool.echo");
        // post/redirect/get: the browser is on the page, so a reload neither repeats the upload nor shows its outcome
        String url = browser.driver.getCurrentUrl();
        assertTrue(url, url.contains("/system/console/tools?outcome="));
        browser.driver.navigate().refresh();
        browser.until(d -> d.findElements(By.cssSelector("#tools-message")).isEmpty(), "the outcome shown only once");
        assertEquals(200, Http.post(runtime.url("/api/tools/echo/invoke"), "{\"hi\":1}").status());
        browser.screenshot("console-tools-uploaded");

        Path garbage = TestBundles.notAZip(TempDirs.create("upload"));
        browser.find("#tools-upload input[type=file]").sendKeys(garbage.toString());
        browser.find("#tools-upload button").click();
        browser.awaitText("#tools-message", "not a jar");
        assertTrue(browser.find("#tools-message").getAttribute("class").contains("tools-error"));

        row("echo").findElement(By.cssSelector("form.tool-remove button")).click();
        browser.awaitText("#tools-message", "echo.jar removed");
        assertTrue(browser.all("#tools tr[data-tool=echo]").isEmpty());
        String audit = Http.get(runtime.url("/api/audit?type=admin&limit=1000")).body();
        for (String action : List.of("\"action\":\"grant\"", "\"action\":\"reset policy\"", "\"action\":\"disable\"",
                "\"action\":\"enable\"", "\"action\":\"upload\"", "\"action\":\"remove\"")) {
            assertTrue(action + " in " + audit, audit.contains(action));
        }
        assertTrue(audit, audit.contains("\"actor\":\"console ("));
        assertEquals("no script error or CSP violation on the Tools page", List.of(), browser.consoleErrors());
    }

    @Test
    public void e_limitsWithinTheCapsAndTheWorkspaceReadOnlyForAllTools() throws Exception {
        Files.writeString(runtime.workspace().resolve("big.txt"), "0123456789abcdef\n".repeat(512));
        browser.driver.get(runtime.url("/system/console/tools"));
        WebElement output = row("read_file").findElement(By.cssSelector("form.tool-limits input[name=maxOutputKb]"));
        output.sendKeys("99999999");
        row("read_file").findElement(By.cssSelector("form.tool-limits button")).click();
        browser.awaitText("#tools-message", "maxOutputKb 99999999 is above the sandbox's cap");
        assertTrue(browser.find("#tools-message").getAttribute("class").contains("tools-error"));

        output = row("read_file").findElement(By.cssSelector("form.tool-limits input[name=maxOutputKb]"));
        output.clear();
        output.sendKeys("1");
        row("read_file").findElement(By.cssSelector("form.tool-limits button")).click();
        browser.awaitText("#tools-message", "read_file's limits changed");
        assertTrue(row("read_file").findElement(By.cssSelector(".tool-limits")).getText().contains("1 KiB out"));
        Http.Response cut = Http.post(runtime.url("/api/tools/read_file/invoke"), "{\"path\":\"big.txt\"}");
        assertEquals(cut.body(), 422, cut.status());
        assertEquals("OUTPUT_TOO_LARGE", kind(cut));
        row("read_file").findElement(By.cssSelector("form.tool-reset button")).click();
        browser.awaitText("#tools-message", "read_file runs as it declares");
        assertEquals(200, Http.post(runtime.url("/api/tools/read_file/invoke"), "{\"path\":\"big.txt\"}").status());

        new Select(browser.find("#tools-all select")).selectByValue("read");
        browser.find("#tools-all button").click();
        browser.awaitText("#tools-message", "workspace access for all tools: read");
        assertTrue(row("edit_file").findElement(By.cssSelector(".tool-workspace")).getText().contains("declares write"));
        Http.Response refused = Http.post(runtime.url("/api/tools/write_file/invoke"),
                "{\"path\":\"all.txt\",\"content\":\"x\"}");
        assertEquals(refused.body(), 403, refused.status());
        assertTrue(refused.body(), refused.body().contains("io.boxagnts.tools"));
        new Select(browser.find("#tools-all select")).selectByValue("write");
        browser.find("#tools-all button").click();
        browser.awaitText("#tools-message", "workspace access for all tools: write");
        assertEquals(200, Http.post(runtime.url("/api/tools/write_file/invoke"),
                "{\"path\":\"all.txt\",\"content\":\"x\"}").status());
        String audit = Http.get(runtime.url("/api/audit?type=admin&limit=1000")).body();
        assertTrue(audit, audit.contains("\"action\":\"limits\""));
        assertTrue(audit, audit.contains("\"subject\":\"all tools\""));
        assertEquals("no script error or CSP violation on the Tools page", List.of(), browser.consoleErrors());
    }
}
