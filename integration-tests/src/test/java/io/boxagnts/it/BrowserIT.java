package io.boxagnts.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in a real headless Chromium against the real runtime (bin/boxagnts, the shipped tools) and a scripted
 * OpenAI-compatible model server: the story of a user who opens the printed link, asks for a fix, approves the write,
 * checks the diff, reloads, and stops a turn that runs too long. Screenshots of the main screens go to
 * target/screenshots. The methods run in name order: each goes on from where the last one left the page.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class BrowserIT {

    private static ScriptedModelServer model;
    private static TestRuntime runtime;
    private static BoxagntsProcess boxagnts;
    private static Browser browser;
    private static Path workspace;
    private static String base;
    /** The web as the web_fetch card sees it: a local server that the test lets docs.test resolve to. */
    private static HttpServer web;

    @BeforeClass
    public static void start() throws Exception {
        Browser.requireAvailable();
        model = new ScriptedModelServer();
        runtime = TestRuntime.prepare("boxagnts-browser-it");
        workspace = runtime.workspace();
        Files.writeString(workspace.resolve("README.md"), "# Demo\n\nteh answer is 42\n");
        Files.createDirectories(workspace.resolve("src"));
        Files.writeString(workspace.resolve("src/app.py"), "def answer():\n    return 42\n");
        web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/guide", exchange -> {
            byte[] body = "Line one of the guide.\n".repeat(100).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        // web fetching allowed for docs.test, which only this test lets resolve to the loopback address (0024)
        runtime.conf("io.boxagnts.webfetch.cfg", "enabled=true\nallowedHosts=docs.test\nallowHttp=true\n");
        boxagnts = runtime.start(Map.of("BOXAGNTS_JAVA_OPTS", "-Dboxagnts.webfetch.testLoopbackHosts=docs.test"),
                "--model-url", model.baseUrl()).process();
        base = runtime.url("");
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
        if (model != null) {
            model.close();
        }
        if (web != null) {
            web.stop(0);
        }
    }

    @Test
    public void a_thePrintedLinkSignsTheBrowserInAndLeavesNoTokenInTheAddressBar() {
        browser.driver.get(boxagnts.url());
        browser.find("#new-session");
        assertEquals(base + "/", browser.driver.getCurrentUrl().replaceAll("#.*", ""));
        assertFalse("no sign-in prompt", browser.all("#sign-in").get(0).isDisplayed());
        org.openqa.selenium.Cookie cookie = browser.driver.manage().getCookieNamed("boxagnts-" + runtime.port());
        assertTrue("the session cookie is set", cookie != null && cookie.isHttpOnly());
        assertEquals("Strict", cookie.getSameSite());
        // HttpOnly: the page's scripts cannot read it
        assertEquals("", browser.script("return document.cookie"));
    }

    @Test
    public void b_aTurnStreamsShowsAToolCardWaitsForApprovalAndRendersSafeMarkdown() throws Exception {
        model.thenToolCall("call_0", "grep", "{\"pattern\":\"teh\"}")
                .thenToolCall("call_1", "edit_file",
                        "{\"path\":\"README.md\",\"old_string\":\"teh answer\",\"new_string\":\"the answer\"}")
                .thenTextChunks("Fixed the typo in **README.md**. ", "The function:\n\n```python\ndef answer():\n",
                        "    return 42\n```\n\n", "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>",
                        "See [the docs](https://example.org/docs).");
        browser.find("#new-session").click();
        browser.awaitText(".chat-header h2", "New session");
        WebElement prompt = browser.find("#prompt");
        prompt.sendKeys("Fix the typo in the README");
        prompt.sendKeys(Keys.ENTER);

        browser.awaitText(".message.user", "Fix the typo in the README");
        // a read runs without asking; the write waits for the user
        browser.awaitText(".tool-card[data-tool=grep] .badge", "done");
        WebElement card = browser.awaitText(".tool-card", "edit_file");
        browser.awaitText(".tool-card[data-tool=edit_file] .badge", "needs approval");
        assertTrue(card.getText(), card.getText().contains("teh answer"));
        assertEquals("the file is not touched before approval", "# Demo\n\nteh answer is 42\n",
                Files.readString(workspace.resolve("README.md")));
        browser.screenshot("chat-approval");
        browser.find(".approval button.primary").click();

        browser.awaitText(".tool-card[data-tool=edit_file] .badge", "done");
        browser.awaitText(".turn-end", "Done");
        WebElement answer = browser.awaitText(".message.assistant", "Fixed the typo");
        assertEquals("README.md", answer.findElement(By.tagName("strong")).getText());
        assertFalse("code is highlighted", answer.findElements(By.cssSelector("pre code.hljs .hljs-keyword")).isEmpty());
        WebElement link = answer.findElement(By.linkText("the docs"));
        assertEquals("noopener noreferrer nofollow", link.getAttribute("rel"));
        assertEquals("_blank", link.getAttribute("target"));
        assertTrue("no HTML from the model runs", answer.findElements(By.cssSelector("img, script")).isEmpty());
        assertNull(browser.script("return window.pwned"));
        assertTrue(browser.find(".turn-end").getText().contains("tokens in"));
        assertEquals("# Demo\n\nthe answer is 42\n", Files.readString(workspace.resolve("README.md")));
        browser.screenshot("chat");
    }

    @Test
    public void c_theWorkspaceShowsTheChangedFileAndItsDiff() throws Exception {
        browser.awaitText(".tool-card .change-link", "README.md").click();
        WebElement diff = browser.find("#preview pre.diff");
        assertTrue(diff.getText(), diff.getText().contains("-teh answer is 42"));
        assertTrue(diff.getText(), diff.getText().contains("+the answer is 42"));
        browser.screenshot("workspace-diff");
        browser.awaitText("#files .file", "src").click();
        browser.awaitText("#files .file", "app.py").click();
        assertTrue(browser.awaitText("#preview", "def answer").findElements(By.cssSelector(".hljs-keyword")).size() > 0);
        browser.awaitText(".crumbs a", "workspace").click();
        browser.awaitText("#files .file", "README.md").click();
        browser.awaitText("#preview", "the answer is 42");
        browser.screenshot("workspace");
        browser.driver.navigate().refresh(); // straight back to this screen: the session whose changes these are opens too
        browser.awaitText("#changes", "README.md");
    }

    @Test
    public void d_aReloadComesBackToTheSessionWithItsHistory() {
        browser.find("#tab-chat").click();
        String session = browser.driver.getCurrentUrl().replaceAll(".*#chat/", "");
        browser.driver.navigate().refresh();
        browser.awaitText(".sessions .session.current", "Fix the typo in the README");
        browser.awaitText(".tool-card", "edit_file");
        browser.awaitText(".tool-card", "grep");
        browser.awaitText(".message.assistant", "Fixed the typo");
        assertTrue(browser.driver.getCurrentUrl().endsWith("#chat/" + session));
    }

    @Test
    public void e_escapeStopsARunningTurn() {
        model.thenSlowText(400, 50);
        WebElement prompt = browser.find("#prompt");
        prompt.sendKeys("Write a very long essay");
        prompt.sendKeys(Keys.ENTER);
        browser.find("#stop");
        browser.awaitText(".message.assistant", "word3");
        prompt.sendKeys(Keys.ESCAPE);
        browser.awaitText(".turn-end", "Stopped");
        browser.find("#send");
        assertFalse(browser.find(".transcript").getText().contains("word399"));
    }

    @Test
    public void e2_aReloadedPageFollowsTheRunningTurnAndItsApproval() throws Exception {
        model.thenToolCall("call_7", "write_file", "{\"path\":\"NOTES.md\",\"content\":\"remember the milk\\n\"}")
                .thenTextChunks("Wrote NOTES.md.");
        int ends = browser.all(".turn-end").size();
        WebElement prompt = browser.find("#prompt");
        prompt.sendKeys("Write a note");
        prompt.sendKeys(Keys.ENTER);
        browser.awaitText(".tool-card[data-tool=write_file] .badge", "needs approval");
        browser.driver.navigate().refresh();
        // the stream is gone with the old page; the log still says what waits
        browser.awaitText(".tool-card[data-tool=write_file] .badge", "needs approval");
        browser.find("#stop");
        browser.act(".tool-card[data-tool=write_file] .approval button.primary", WebElement::click);
        browser.until(d -> browser.all(".turn-end").size() == ends + 1 ? true : null, "the followed turn to end");
        browser.awaitText(".message.assistant", "Wrote NOTES.md.");
        browser.find("#send");
        assertEquals("remember the milk\n", Files.readString(workspace.resolve("NOTES.md")));
    }

    @Test
    public void e3_denyKeepsTheFileAndAlwaysAllowStopsTheQuestions() throws Exception {
        model.thenToolCall("call_d", "write_file", "{\"path\":\"DENIED.md\",\"content\":\"no\"}")
                .thenTextChunks("Understood, I did not write it.")
                .thenToolCall("call_a", "write_file", "{\"path\":\"ALWAYS.md\",\"content\":\"yes\"}")
                .thenTextChunks("Written.")
                .thenToolCall("call_b", "write_file", "{\"path\":\"AGAIN.md\",\"content\":\"yes again\"}")
                .thenTextChunks("Written again.");
        sendAndAwaitApproval("Write DENIED.md", "call_d");
        browser.act(".tool-card[data-call-id=call_d] .approval button.danger", WebElement::click);
        browser.awaitText(".message.assistant", "I did not write it");
        browser.awaitText(".tool-card[data-call-id=call_d] .badge", "not run");
        assertFalse(Files.exists(workspace.resolve("DENIED.md")));

        sendAndAwaitApproval("Write ALWAYS.md", "call_a");
        browser.act(".tool-card[data-call-id=call_a] .approval button:nth-child(2)", WebElement::click);
        browser.awaitText(".message.assistant", "Written.");
        browser.awaitText(".tool-card[data-call-id=call_a] .approval", "rest of this session");

        WebElement prompt = browser.find("#prompt");
        prompt.sendKeys("Write AGAIN.md");
        prompt.sendKeys(Keys.ENTER);
        browser.awaitText(".message.assistant", "Written again.");
        assertTrue("no question the third time", browser.all(".tool-card[data-call-id=call_b] .approval button").isEmpty());
        assertEquals("yes again", Files.readString(workspace.resolve("AGAIN.md")));
    }

    private static void sendAndAwaitApproval(String text, String callId) {
        WebElement prompt = browser.find("#prompt");
        prompt.sendKeys(text);
        prompt.sendKeys(Keys.ENTER);
        browser.awaitText(".tool-card[data-call-id=" + callId + "] .badge", "needs approval");
    }

    @Test
    public void f_sessionsCanBeRenamedAndAnotherOneStarted() {
        browser.act(".session.current button[title=Rename]", WebElement::click);
        browser.act(".session input.rename", title -> title.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Typo fix", Keys.ENTER));
        browser.awaitText(".session.current", "Typo fix");
        browser.awaitText(".chat-header h2", "Typo fix");
        browser.find("#new-session").click();
        browser.until(d -> browser.all(".sessions .session").size() == 2 ? true : null, "two sessions");
        browser.awaitText(".chat-header h2", "New session");
        browser.until(d -> browser.all(".message").isEmpty() ? true : null, "the new session's empty transcript");
        browser.act(".session:not(.current)", WebElement::click);
        browser.awaitText(".chat-header h2", "Typo fix");
        browser.awaitText(".message.user", "Fix the typo");
    }

    @Test
    public void g_theToolsCatalogRunsAToolFromItsSchemaForm() throws Exception {
        browser.find("#tab-tools").click();
        WebElement glob = browser.find(".tool[data-tool=glob]");
        assertTrue(glob.getText(), glob.getText().contains("read") && glob.getText().contains("io.boxagnts.tool.glob"));
        browser.screenshot("tools");
        glob.findElement(By.xpath(".//button[text()='Try it']")).click();
        WebElement pattern = glob.findElement(By.cssSelector("form.try input[type=text]"));
        pattern.sendKeys("**/*.py");
        glob.findElement(By.cssSelector("form.try button[type=submit]")).click();
        browser.awaitText(".tool[data-tool=glob] .try-output", "src/app.py");
    }

    @Test
    public void ga_theToolCardsShowWhatTheShellJsAndWebFetchReturned() throws Exception {
        model.thenToolCall("call_sh", "shell", "{\"command\":\"ls src; cat missing.txt\"}")
                .thenToolCall("call_js", "js", "{\"code\":\"console.log('hi ' + args.who); var x = {sum: 1 + 2}; x\","
                        + "\"args\":{\"who\":\"there\"}}")
                .thenToolCall("call_jserr", "js", "{\"code\":\"var o = null;\\no.x\"}")
                .thenToolCall("call_web", "web_fetch", "{\"url\":\"http://docs.test:" + web.getAddress().getPort()
                        + "/guide\",\"max_bytes\":60}")
                .thenText("All four ran.");
        browser.find("#tab-chat").click();
        browser.find("#new-session").click();
        browser.awaitText(".chat-header h2", "New session");
        browser.act("#mode", mode -> new Select(mode).selectByValue("auto-edit")); // shell and js may write
        browser.act("#prompt", prompt -> prompt.sendKeys("Look around", Keys.ENTER));
        browser.awaitText(".turn-end", "Done");

        // shell: the command in the header and the card, the exit code, stdout and stderr apart
        String shell = ".tool-card[data-call-id=call_sh]";
        assertEquals("$ ls src; cat missing.txt", browser.find(shell + " .summary-args").getText());
        WebElement exit = browser.find(shell + " > summary .exit-code");
        assertEquals("exit 1", exit.getText());
        assertTrue(exit.getAttribute("class"), exit.getAttribute("class").contains("failed"));
        browser.act(shell + " > summary", WebElement::click);
        assertEquals("$ ls src; cat missing.txt", browser.find(shell + " pre.command").getText());
        assertEquals("app.py", browser.find(shell + " .result-block.stdout pre").getText());
        assertEquals("cat: missing.txt: No such file or directory",
                browser.find(shell + " .result-block.stderr pre").getText());
        assertEquals("exit 1", browser.find(shell + " .result-facts .exit-code").getText());

        // js: what console.log printed, the completion value, and a thrown error with its line
        String js = ".tool-card[data-call-id=call_js]";
        browser.act(js + " > summary", WebElement::click);
        assertEquals("hi there", browser.find(js + " .result-block.stdout pre").getText());
        assertEquals("{\n  \"sum\": 3\n}", browser.find(js + " .result-block.completion pre").getText());
        assertTrue(browser.all(js + " .js-error").isEmpty());
        String thrown = ".tool-card[data-call-id=call_jserr]";
        assertEquals("threw", browser.find(thrown + " > summary .exit-code").getText());
        browser.act(thrown + " > summary", WebElement::click);
        String error = browser.find(thrown + " .js-error pre").getText();
        assertTrue(error, error.startsWith("TypeError") && error.contains("(line 2)"));

        // web_fetch: status, content type, where from, the text, and that it was cut at max_bytes
        String page = ".tool-card[data-call-id=call_web]";
        assertEquals("HTTP 200", browser.find(page + " > summary .http-status").getText());
        browser.act(page + " > summary", WebElement::click);
        assertEquals("text/plain", browser.find(page + " .content-type").getText());
        assertEquals("truncated at the size limit", browser.find(page + " .truncated").getText());
        assertEquals("http://docs.test:" + web.getAddress().getPort() + "/guide", browser.find(page + " .fetched-url")
                .getText());
        assertEquals("Line one of the guide.\nLine one of the guide.\nLine one of th", browser.find(page
                + " .page-text pre").getText());
        // the raw JSON stays one click away
        browser.act(page + " .output > summary", WebElement::click);
        assertTrue(browser.find(page + " .output pre").getText().contains("\"truncated\": true"));
        browser.screenshot("tool-cards");
        Files.delete(runtime.conf().resolve("io.boxagnts.webfetch.cfg"));
        // back to the session the next steps go on with
        browser.until(d -> {
            browser.awaitText(".sessions .session .session-title", "Typo fix").click();
            return browser.find(".chat-header h2").getText().contains("Typo fix") ? true : null;
        }, "the Typo fix session opened");
    }

    @Test
    public void h_theModelsScreenShowsTheServerAndTestsIt() throws Exception {
        browser.find("#tab-models").click();
        browser.awaitText("#view-models", "On this machine");
        browser.screenshot("models");
        browser.act("#provider-form input[name=id]", id -> id.sendKeys("gateway"));
        browser.act("#provider-form input[name=baseUrl]", url -> url.sendKeys(model.baseUrl()));
        browser.act("#provider-form input[name=apiKey]", key -> key.sendKeys("sk-secret-never-shown"));
        browser.act("#provider-form button[type=submit]", WebElement::click);
        browser.awaitText(".server", "API key stored");
        String listed = Http.get(base + "/api/providers").body();
        assertFalse("the key never comes back", listed.contains("sk-secret-never-shown"));
        // saved settings apply within moments; until then the test says the provider is not running yet
        browser.until(d -> {
            browser.act(".server.configured button.test-button", WebElement::click);
            browser.until(x -> browser.find(".server.configured .test-result").getText().contains("\u2026") ? null : true,
                    "the test to end");
            return browser.find(".server.configured .test-result").getText().contains("Reachable") ? true : null;
        }, "the gateway provider tested reachable");
        assertTrue(browser.find(".server.configured .test-result").getText().contains("scripted-model"));
    }

    @Test
    public void i_narrowWindowAndDarkTheme() throws Exception {
        browser.find("#tab-chat").click();
        browser.find("#toggle-theme").click();
        assertEquals("dark", browser.script("return document.documentElement.dataset.theme"));
        browser.awaitText(".message.user", "Fix the typo");
        browser.screenshot("chat-dark");
        browser.driver.manage().window().setSize(new Dimension(420, 800));
        browser.find("#toggle-sidebar").click();
        browser.until(d -> browser.script("return document.getElementById('sidebar').getBoundingClientRect().left")
                .toString().matches("0(\\.0)?") ? true : null, "the sessions drawer open");
        browser.screenshot("narrow-sessions");
        new org.openqa.selenium.interactions.Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.until(d -> Double.parseDouble(browser.script("return document.getElementById('sidebar')"
                + ".getBoundingClientRect().right").toString()) <= 0 ? true : null, "the sessions drawer closed");
        browser.find("#prompt");
        browser.screenshot("narrow-chat");
        browser.find("#toggle-theme").click();
        browser.driver.manage().window().setSize(new Dimension(1280, 800));
    }

    @Test
    public void i2_noScriptErrorsAndNoContentSecurityPolicyViolations() {
        browser.script("console.error('boxagnts-console-probe')"); // proves the console is being read
        List<String> console = browser.consoleErrors();
        assertTrue(console.toString(), console.stream().anyMatch(e -> e.contains("boxagnts-console-probe")));
        List<String> errors = console.stream().filter(e -> !e.contains("boxagnts-console-probe")).toList();
        assertEquals(errors.toString(), List.of(), errors);
    }

    @Test
    public void j_aBrowserWithoutTheTokenIsAskedToSignIn() throws Exception {
        try (Browser stranger = new Browser(Files.createDirectories(runtime.root().resolve("profile-2")))) {
            stranger.driver.get(base + "/");
            stranger.awaitText("#sign-in", "access-token");
            stranger.screenshot("sign-in");
            stranger.find("#sign-in input[name=token]").sendKeys(Http.token(runtime.port()));
            stranger.find("#sign-in button[type=submit]").click();
            stranger.find(".sessions .session");
            assertFalse(stranger.driver.getCurrentUrl().contains("token="));
        }
    }

    @Test
    public void k_sessionsAndTheSignInSurviveARuntimeRestart() throws Exception {
        runtime.close();
        boxagnts = runtime.start("--model-url", model.baseUrl()).process();
        browser.driver.navigate().refresh();
        // listing the sessions takes an authorized API call: the cookie is derived from the token, not kept in memory
        browser.awaitText(".sessions .session", "Typo fix");
        assertFalse(browser.all("#sign-in").get(0).isDisplayed());
        browser.until(d -> { // the list may be drawn again under the click while the page starts: click until it opens
            browser.awaitText(".sessions .session .session-title", "Typo fix").click();
            return browser.find(".chat-header h2").getText().contains("Typo fix") ? true : null;
        }, "the Typo fix session opened");
        browser.awaitText(".message.user", "Fix the typo");
    }

    @Test
    public void l_theContextMeterShowsAndAFailedTurnKeepsTheMessageAndOffersAProvider() throws Exception {
        browser.awaitText("#context-meter", "tokens"); // the session's last request, from its log
        assertTrue(browser.find("#context-meter").getText(), browser.find("#context-meter").getText()
                .matches("context [0-9,]+ / 32,768 tokens"));
        model.close(); // the model server goes away
        browser.act("#prompt", prompt -> prompt.sendKeys("Are you still there?"));
        browser.act("#send", WebElement::click);
        browser.awaitText(".message.user.unsent", "Are you still there?");
        browser.awaitText(".notice.error", "is the model server running?");
        assertEquals("the message waits in the composer to be sent again", "Are you still there?",
                browser.find("#prompt").getAttribute("value"));
        browser.screenshot("model-unavailable");
        browser.act("#add-provider", WebElement::click);
        browser.awaitText("#view-models", "Add a provider");
        browser.until(d -> "id".equals(d.switchTo().activeElement().getAttribute("name")) ? true : null,
                "the provider form has the focus");
        browser.awaitText(".server[data-id=configured]", "stopped");
    }
}
