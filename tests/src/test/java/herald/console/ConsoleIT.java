package herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import herald.local.LocalHerald;
import herald.testing.ApiKeys;
import herald.testing.Browser;
import herald.testing.HeraldClient;
import herald.testing.LocalHeraldExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console in a real headless Chromium against the local runtime: a key is asked for and checked, events arrive
 * live and change in place, an event opens with its payload, a job is aborted after a confirmation, a script is
 * written, saved and dry-run, a trigger's filter is tested, a key is shown once, a user key sees no admin page, and
 * every page works on a narrow window with every field labelled. Each page's screenshot is saved in
 * {@code tests/target/console-screenshots}, with the first load's size and time.
 */
@ExtendWith(LocalHeraldExtension.class)
class ConsoleIT {

    private static Browser browser;

    private final LocalHerald herald;
    private final HeraldClient admin;
    private final String console;

    ConsoleIT(LocalHerald herald, HeraldClient admin) {
        this.herald = herald;
        this.admin = admin;
        this.console = herald.baseUrl() + "/console";
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browser.start(1280, 800);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.driver().manage().window().setSize(new Dimension(1280, 800));
        browser.open(console);
        browser.script("sessionStorage.clear()");
        browser.open(console + "#/");
        browser.driver().navigate().refresh();
        browser.shown("input[name=key]");
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private void signIn(String key, String name) {
        WebElement input = browser.shown("input[name=key]");
        input.sendKeys(key);
        input.sendKeys(Keys.ENTER);
        browser.containing("#who", name);
    }

    private void go(String hash) {
        browser.script("location.hash = arguments[0]", hash);
    }

    /** Every field of the page has a label (its own, or aria-label): what a screen reader announces. */
    private void assertEveryFieldLabelled() {
        Object unlabelled = browser.script("return [...document.querySelectorAll('input, select, textarea')]"
                + ".filter(e => e.type !== 'hidden' && !e.closest('.CodeMirror') && !(e.labels && e.labels.length)"
                + " && !e.getAttribute('aria-label')).map(e => e.name || e.outerHTML)");
        assertThat((List<?>) unlabelled).as("fields without a label").isEmpty();
    }

    @Test
    void theFirstPageIsSmallAndAWrongKeyGetsAClearMessage() throws IOException {
        browser.clearCache();
        browser.open("about:blank");
        browser.open(console);
        browser.shown("input[name=key]");
        @SuppressWarnings("unchecked")
        Map<String, Object> load = (Map<String, Object>) browser.script("""
                const nav = performance.getEntriesByType('navigation')[0];
                const resources = performance.getEntriesByType('resource');
                return { files: resources.length + 1,
                  transferred: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
                  body: nav.encodedBodySize + resources.reduce((s, r) => s + r.encodedBodySize, 0),
                  decoded: nav.decodedBodySize + resources.reduce((s, r) => s + r.decodedBodySize, 0),
                  loaded: Math.round(nav.loadEventEnd), names: resources.map(r => r.name) };
                """);
        String figures = "first load of /console: " + load.get("files") + " files, "
                + ((Number) load.get("transferred")).longValue() / 1024.0 + " KB transferred ("
                + ((Number) load.get("body")).longValue() / 1024.0 + " KB of bodies, "
                + ((Number) load.get("decoded")).longValue() / 1024.0 + " KB unzipped), load event after "
                + load.get("loaded") + " ms";
        System.out.println(figures);
        Files.createDirectories(Browser.SCREENSHOTS);
        Files.writeString(Browser.SCREENSHOTS.resolve("first-load.txt"), figures + "\n" + load.get("names") + "\n");
        // the sign-in page loads the shell only: the editor comes with the scripts page
        assertThat(load.get("names").toString()).doesNotContain("codemirror");
        assertThat(((Number) load.get("body")).longValue()).as("bytes of the first page").isLessThan(40_000);
        assertEveryFieldLabelled();
        browser.screenshot("sign-in");

        WebElement input = browser.shown("input[name=key]");
        input.sendKeys("hk_not-a-key-of-this-deployment-0123456789");
        input.sendKeys(Keys.ENTER);
        WebElement error = browser.containing("#sign-in-error", "not accepted");
        assertThat(error.getText()).contains("Check the key");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void anEventDispatchedOverHttpAppearsLiveThenChangesInPlaceAndOpensWithItsPayload() throws IOException {
        String topic = unique("console.live.t");
        signIn(LocalHeraldExtension.API_KEY, "admin");
        go("#/events?topics=" + topic);
        browser.containing("#live-state", "Live");
        awaitSubscription(topic);

        String id = admin.dispatch("{\"topic\":\"" + topic + "\",\"finished\":false,\"description\":\"rendering shot 12\","
                + "\"payload\":{\"shot\":12,\"frames\":[1,2,3]}}");
        WebElement row = browser.shown("tr[data-id='" + id + "']");
        assertThat(row.getAttribute("data-status")).isEqualTo("pending");
        assertThat(row.getText()).contains(topic, "rendering shot 12", "admin");

        HeraldClient.Response patched = admin.patch("/api/events/" + id, "{\"status\":\"in_progress\",\"progress\":40}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(204);
        browser.until("the row in progress at 40%", d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("tr[data-id='" + id + "']"));
            return rows.size() == 1 && "in_progress".equals(rows.get(0).getAttribute("data-status"))
                    && "40".equals(rows.get(0).findElement(By.cssSelector("progress")).getAttribute("value"));
        });
        assertThat(browser.findAll("tr[data-id='" + id + "']")).as("changed in place, not added").hasSize(1);
        assertEveryFieldLabelled();
        browser.screenshot("events");

        // keyboard: the row takes focus and Enter opens it
        WebElement current = browser.find("tr[data-id='" + id + "']");
        browser.script("arguments[0].focus()", current);
        current.sendKeys(Keys.ENTER);
        WebElement payload = browser.containing("#event-payload", "\"shot\": 12");
        assertThat(payload.getText()).contains("\"frames\"");
        assertThat(browser.find("h1").getText()).contains(topic);
        browser.screenshot("event");
    }

    @Test
    void aJobIsAbortedAfterAConfirmation() throws IOException {
        String source = unique("console.src.t");
        String target = unique("console.job.t");
        admin.dispatch("{\"topic\":\"" + source + "\"}");
        HeraldClient.Response enrolled = admin.post("/api/enroll", "{\"sourceTopic\":\"" + source
                + "\",\"targetTopic\":\"" + target + "\",\"sender\":\"worker-7\"}");
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(200);
        String job = enrolled.json().get("id").asText();

        signIn(LocalHeraldExtension.API_KEY, "admin");
        go("#/jobs?topic=" + target);
        WebElement row = browser.shown("tr[data-id='" + job + "']");
        assertThat(row.getText()).contains("pending", "worker-7");
        assertEveryFieldLabelled();
        browser.screenshot("jobs");

        row.findElement(By.cssSelector("button[data-action=abort]")).click();
        browser.shown("dialog[open] #confirm-ok").click();
        browser.until("the aborted job gone from the open jobs",
                d -> d.findElements(By.cssSelector("tr[data-id='" + job + "']")).isEmpty());
        assertThat(admin.get("/api/events/" + job).json().get("status").asText()).isEqualTo("aborted");
    }

    @Test
    void anInlineScriptIsSavedAndDryRunWithoutAnyEffect() throws IOException {
        String name = unique("consolet") + ".get.pre_process";
        signIn(LocalHeraldExtension.API_KEY, "admin");
        go("#/scripts/event_script?new=1");
        browser.shown("input[name=name]").sendKeys(name);
        browser.shown("#code-editor");
        browser.script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])",
                "console.log('dry run of ' + event.request.method + ' ' + event.request.payload.topic);\n"
                        + "platform.dispatch({topic: 'console.dry.effect'});");
        browser.find("#save").click();
        browser.containing("h1", name);
        assertThat(admin.get("/api/v2/system/event_script/" + name).status()).isEqualTo(200);

        browser.find("#dry-run").click();
        WebElement log = browser.containing("#dry-run-log", "dry run of GET hello.world");
        assertThat(log.getText()).startsWith("info:");
        assertThat(browser.containing("#dry-run-dispatched", "console.dry.effect").getText()).contains("\"topic\"");
        assertThat(browser.find("#dry-run-outcome").getText()).contains("completed");
        assertEveryFieldLabelled();
        browser.screenshot("scripts");

        // nothing happened: no event dispatched, no log kept
        assertThat(admin.get("/api/events?topics=console.dry.effect").json().get("events")).isEmpty();
        assertThat(admin.get("/api/events?topics=log.script&limit=2000").body()).doesNotContain(name);

        // an error comes with its line, marked in the editor
        browser.script("document.querySelector('.CodeMirror').CodeMirror.setValue(arguments[0])",
                "var fine = 1;\nnull.boom;\n");
        browser.find("#dry-run").click();
        assertThat(browser.containing("#dry-run-outcome", "line 2").getText()).contains("failed");
        browser.shown(".CodeMirror .error-line");
    }

    @Test
    void aTriggerIsCreatedAndItsFilterTestedAgainstAnEvent() throws IOException {
        String name = unique("console-trigger-");
        signIn(LocalHeraldExtension.API_KEY, "admin");
        go("#/triggers?new=1");
        browser.shown("input[name=name]").sendKeys(name);
        WebElement filter = browser.find("textarea[name=filter]");
        filter.clear();
        filter.sendKeys("{\"topic\": \"console.trig.*\", \"shot\": [12]}");
        new org.openqa.selenium.support.ui.Select(browser.find("select[name=action_type]")).selectByValue("notify");
        browser.shown("input[name=users]").sendKeys("nobody");
        browser.find("input[name=message]").sendKeys("A shot changed");
        browser.find("#save").click();
        browser.containing("h1", "Trigger " + name);
        assertThat(admin.get("/api/v2/system/trigger/" + name).json().get("filter").toString()).contains("console.trig.*");

        WebElement event = browser.find("textarea[name=test_event]");
        event.clear();
        event.sendKeys("{\"topic\": \"console.trig.render\", \"status\": \"finished\", \"payload\": {\"shot\": 13}}");
        browser.find("#test-filter").click();
        assertThat(browser.containing("#filter-verdict", "does not match").getText()).isNotEmpty();
        WebElement failing = browser.shown("#filter-result tr.fail");
        assertThat(failing.getText()).contains("payload.shot", "13", "fails");
        assertThat(browser.find("#filter-result tr.pass").getText()).contains("topic", "passes");
        assertEveryFieldLabelled();
        browser.screenshot("triggers");

        event.clear();
        event.sendKeys("{\"topic\": \"console.trig.render\", \"payload\": {\"shot\": 12}}");
        browser.find("#test-filter").click();
        browser.containing("#filter-verdict", "matches this event");
    }

    @Test
    void aWebhookTriggerEditedInTheConsoleKeepsItsRetriesPacingAndOrder() {
        String name = unique("console-hook-");
        assertThat(admin.post("/api/v2/system/trigger", "{\"name\":\"" + name + "\",\"filter\":{\"topic\":\"console.hook\"},"
                + "\"action\":{\"type\":\"webhook\",\"url\":\"https://hooks.example.com/a\",\"retry\":{\"base_seconds\":5},"
                + "\"max_in_flight\":3,\"order_by\":\"payload.asset\"}}").status()).isEqualTo(201);
        signIn(LocalHeraldExtension.API_KEY, "admin");
        go("#/triggers/" + name);
        WebElement rules = browser.shown("textarea[name=rules]");
        assertThat(rules.getAttribute("value")).contains("max_in_flight", "order_by", "base_seconds");
        WebElement url = browser.find("input[name=url]");
        url.clear();
        url.sendKeys("https://hooks.example.com/b");
        rules.clear();
        rules.sendKeys("{\"retry\": {\"base_seconds\": 5}, \"max_in_flight\": 3, \"order_by\": \"payload.asset\", "
                + "\"rate_per_second\": 7}");
        browser.find("#save").click();
        org.awaitility.Awaitility.await("saved").atMost(java.time.Duration.ofSeconds(20)).until(() -> admin
                .get("/api/v2/system/trigger/" + name).json().at("/action/url").asText().endsWith("/b"));
        JsonNode action = admin.get("/api/v2/system/trigger/" + name).json().get("action");
        assertThat(action.get("max_in_flight").asInt()).isEqualTo(3);
        assertThat(action.get("rate_per_second").asInt()).isEqualTo(7);
        assertThat(action.get("order_by").asText()).isEqualTo("payload.asset");
        assertThat(action.at("/retry/base_seconds").asInt()).isEqualTo(5);
        assertEveryFieldLabelled();
    }

    @Test
    void aNewKeyIsShownOnceAndWorks() throws IOException {
        String name = unique("console-key-");
        signIn(LocalHeraldExtension.API_KEY, "admin");
        go("#/keys");
        browser.shown("form input[name=name]").sendKeys(name);
        new org.openqa.selenium.support.ui.Select(browser.find("form select[name=role]")).selectByValue("service");
        browser.find("form input[name=projects]").sendKeys("console-demo");
        browser.find("#create-key").click();
        String key = browser.shown("#new-key-value").getText();
        assertThat(key).startsWith("hk_");
        assertThat(browser.find("#new-key").getText()).contains("shown this once");
        assertEveryFieldLabelled();
        browser.screenshot("keys");

        HeraldClient.Response me = admin.withKey(key).get("/api/users/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("name").asText()).isEqualTo(name);

        browser.find("#key-done").click();
        browser.shown("tr[data-name='" + name + "']");
        assertThat(browser.findAll("#new-key-value")).as("never shown again").isEmpty();
        assertThat(browser.driver().getPageSource()).doesNotContain(key);
        assertThat(browser.find("tr[data-name='" + name + "']").getText()).contains("service", "console-demo", "active");
    }

    @Test
    void aUserKeySeesNoAdminPage() throws IOException {
        String name = unique("console-user-");
        String key = ApiKeys.create(admin, name, "user", null);
        signIn(key, name);
        List<String> pages = browser.findAll("#nav a").stream().map(WebElement::getText).toList();
        assertThat(pages).contains("Overview", "Live events", "Jobs").doesNotContain("Scripts", "Triggers", "Keys");
        browser.shown("#page-overview h1");
        assertThat(browser.find("#page-overview").getText()).doesNotContain("Failed deliveries", "Script failures");
        browser.screenshot("user-overview");

        go("#/keys");
        assertThat(browser.containing("main .error", "needs an admin key").getText()).contains(name);
        go("#/scripts");
        browser.containing("main .error", "needs an admin key");
    }

    @Test
    void theOverviewWorksOnAWideAndANarrowWindow() throws IOException {
        admin.dispatch("{\"topic\":\"" + unique("console.over.t") + "\"}");
        signIn(LocalHeraldExtension.API_KEY, "admin");
        go("#/overview");
        // the busiest topics are listed; which they are depends on the other tests, the counts do not
        browser.containing("#page-overview caption", "Events per topic");
        browser.containing("#page-overview", "Script failures");
        String events = browser.find("#page-overview .stat-value").getText();
        assertThat(Integer.parseInt(events.replace("+", ""))).as("events of the last day").isPositive();
        assertThat(browser.findAll("#page-overview table").get(0).findElements(By.cssSelector("tbody tr")))
                .hasSizeBetween(1, 25);
        assertEveryFieldLabelled();
        browser.screenshot("overview");

        browser.driver().manage().window().setSize(new Dimension(400, 800));
        browser.driver().navigate().refresh();
        browser.containing("#page-overview caption", "Events per topic");
        assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("nothing wider than the window: wide tables scroll in their own box").isEqualTo(true);
        browser.screenshot("overview-narrow");
    }

    /** Ayon's WebSocket never answers auth: the console's subscription is known once it is stored. */
    private void awaitSubscription(String topic) {
        String table = herald.functionEnvironment("RealtimeFunction").get("SUBSCRIPTIONS_TABLE");
        await("the console subscribed to " + topic).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> herald.dynamoDb().scanPaginator(r -> r.tableName(table)).items().stream()
                        .anyMatch(i -> i.containsKey("subscriptions")
                                && i.get("subscriptions").l().stream().anyMatch(v -> v.s().equals(topic))));
    }
}
