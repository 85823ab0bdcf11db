package io.conduit.esb.console;

import io.conduit.esb.support.EsbIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The admin console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by
 * Selenium through the system chromedriver; no driver or browser is downloaded): log in, read the order handoff's
 * figures, follow an order's journey (as swimlanes, then as the list), see the order handoff's picture and what was
 * parked at a step, replay a parked acknowledgement once the CRM is back and see it delivered, and, as a viewer, find
 * no replay controls; run a mapping on a fixture and on a broken payload in the mapping workbench; see the systems with
 * their health strips and the ERP's breaker transitions. Screenshots go to {@code target/console-screenshots/}; with
 * {@code -Dconsole.docs-images=true} the overview, journey, swimlane, flow picture, mapping workbench and systems shots
 * also replace those in {@code docs/images/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT extends EsbIntegrationTest {

    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(15);
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final Path DOC_IMAGES = Path.of("docs", "images");

    /** One browser for the class (a driver's quit also stops its chromedriver); each test logs in afresh. */
    private static WebDriver browser;
    private static WebDriverWait waitFor;

    @BeforeAll
    static void openBrowser() throws IOException {
        File chromedriver = executable("CHROMEDRIVER", "chromedriver");
        File chromium = executable("CHROMIUM", "chromium");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,1000", "--force-device-scale-factor=1", "--lang=en-US");
        browser = new ChromeDriver(service, options);
        // htmx replaces polled fragments (overview figures, replay progress) while a test reads them
        waitFor = new WebDriverWait(browser, PAGE_TIMEOUT);
        waitFor.ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void loggedOut() {
        open("/login");
        browser.manage().deleteAllCookies();
    }

    @Test
    @Order(1)
    void operatorFollowsAnOrdersJourneyByItsId() {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.win(id);
        String soNo = awaitErpOrderNumber(id);
        await().atMost(FLOW_TIMEOUT).until(() -> soNo.equals(sandbox.opportunity(id).path("erpOrderNo").asText()));

        logIn("operator", "operator");
        open("/console/journal");
        WebElement key = browser.findElement(By.id("key"));
        key.sendKeys(id);
        browser.findElement(By.id("search")).click();
        waitFor.until(ExpectedConditions.presenceOfElementLocated(By.id("journey")));

        // the journey is drawn as swimlanes first: the CRM sends, the stages hand it on through Kafka, ERP and CRM
        // receive it; the journal stores hops in batches, so look again until the CRM's delivery is drawn
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(attributes("#journey-lanes g.lane", "data-lane")).as("lanes of %s", id)
                    .contains("source:crm", "stage:order-handoff.crm-intake", "stage:order-handoff.to-erp",
                            "stage:order-handoff.ack-to-crm", "broker:kafka", "target:erp", "target:crm");
            assertThat(attributes("#journey-lanes g.hop", "data-to")).contains("target:erp", "target:crm");
        });
        List<String> lanes = attributes("#journey-lanes g.lane", "data-lane");
        assertThat(lanes.indexOf("source:crm")).isLessThan(lanes.indexOf("broker:kafka"));
        assertThat(lanes.indexOf("broker:kafka")).isLessThan(lanes.indexOf("target:erp"));
        // hops in time order, down the page; the ERP's order number on the delivery arrow; Kafka's wait on the way out
        List<String> times = attributes("#journey-lanes g.hop", "data-at");
        assertThat(times).isSortedAccordingTo(java.util.Comparator.comparing(java.time.Instant::parse));
        String drawn = browser.findElement(By.id("journey-lanes")).getText();
        assertThat(drawn).contains(soNo).contains("waited");
        screenshot("journal-journey-lanes", "console-journey-lanes.png");

        // the list, one click away
        browser.findElement(By.id("view-list")).click();
        waitFor.until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            List<String> hops = hops();
            assertThat(hops).as("hops of %s", id).contains("RECEIVED", "PUBLISHED", "DELIVERED");
            assertThat(deliveredTargets()).as("delivered to").contains("erp", "crm");
        });
        assertThat(browser.getCurrentUrl()).contains("key=" + id);
        List<WebElement> steps = browser.findElements(By.cssSelector("#timeline li.step"));
        assertThat(steps.get(0).getAttribute("data-hop")).isEqualTo("RECEIVED");
        String timeline = browser.findElement(By.id("timeline")).getText();
        assertThat(timeline).contains("order-handoff", soNo);
        assertThat(browser.findElement(By.id("journey-summary")).getText()).contains(id).contains(soNo);

        // a hop's payload opens on click (the ERP delivery's, else the first)
        List<WebElement> payloads = browser.findElements(By.cssSelector("#timeline li.hop-DELIVERED details.payload"));
        WebElement payload = payloads.isEmpty()
                ? browser.findElement(By.cssSelector("#timeline details.payload")) : payloads.get(0);
        payload.findElement(By.tagName("summary")).click();
        assertThat(payload.findElement(By.tagName("pre")).isDisplayed()).isTrue();
        assertThat(payload.findElement(By.tagName("pre")).getText()).isNotBlank();
        screenshot("journal-journey", "console-journal.png");
    }

    /**
     * A viewer opens the order handoff's picture: its three routes, the topics between them, the ERP and CRM ports
     * with their systems, counts per step; the CRM update failing shows on its step, and a click on it lists the
     * message parked there.
     */
    @Test
    @Order(2)
    void viewerSeesTheOrderHandoffAsAPictureAndWhatWasParkedAtAStep() {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.setFault("crm", "failing", 0, 1.0);
        sandbox.http().post().uri("/sandbox/crm/api/opportunities/{id}/win", id)
                .header("X-Sandbox-Bypass-Faults", "true").retrieve().toBodilessEntity();
        await().atMost(FLOW_TIMEOUT).until(() -> !parkedIds(id).isEmpty());
        sandbox.setFault("crm", "normal", 0, 0);
        String parkedId = parkedIds(id).get(0);

        logIn("viewer", "viewer");
        open("/console/flows");
        browser.findElement(By.cssSelector("#flows-order-handoff a")).click();
        waitFor.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flow-picture svg")));
        assertThat(attributes("#flow-picture g.route", "data-route")).containsExactly("order-handoff.crm-intake",
                "order-handoff.to-erp", "order-handoff.ack-to-crm");
        assertThat(attributes("#flow-picture g.system", "data-system")).containsExactlyInAnyOrder("erp", "crm");
        assertThat(attributes("#flow-picture path.edge", "data-channel")).contains(
                "kafka conduit.orders.v1", "kafka conduit.order-acks.v1", "port erp.upsert-sales-order",
                "port crm.update-order-status");
        // the routes stand left to right as the order travels
        List<Number> xs = ((List<?>) js("return Array.from(document.querySelectorAll('#flow-picture g.route'))"
                + ".map(function (g) { return g.getBoundingClientRect().left; })")).stream().map(Number.class::cast).toList();
        assertThat(xs.get(0).doubleValue()).isLessThan(xs.get(1).doubleValue());
        assertThat(xs.get(1).doubleValue()).isLessThan(xs.get(2).doubleValue());
        // live counts: the ERP write went through, the CRM update failed
        WebElement update = browser.findElement(By.cssSelector("#flow-picture g.step[data-step='order-handoff.update-crm']"));
        assertThat(Long.parseLong(update.getAttribute("data-failed"))).isPositive();
        WebElement write = browser.findElement(By.cssSelector("#flow-picture g.step[data-step='order-handoff.write-erp']"));
        assertThat(Long.parseLong(write.getAttribute("data-total"))).isPositive();

        // a click on the failing step lists its failures and the message parked there (the journal writes in batches)
        update.click();
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("step-detail")));
        assertThat(browser.getCurrentUrl()).contains("step=order-handoff.update-crm");
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(browser.findElements(By.id("step-parked-" + parkedId))).as("parked %s listed at the step", parkedId)
                    .hasSize(1);
        });
        assertThat(browser.findElement(By.id("step-id")).getText()).isEqualTo("order-handoff.update-crm");
        assertThat(attributes("#step-failures tr.failure", "data-hop")).contains("PARKED");
        assertThat(browser.findElements(By.cssSelector("#flow-picture g.step.selected"))).hasSize(1);
        screenshot("flow-picture", "console-flow-picture.png");
        browser.findElement(By.cssSelector("#step-parked-" + parkedId + " a.open")).click();
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("message-status")));
        assertThat(browser.findElement(By.id("message-status")).getText()).isEqualTo("PARKED");
    }

    /** Last, so the overview (and its screenshot) shows the traffic and the parked message of the tests before. */
    @Test
    @Order(5)
    void operatorSeesTheOrderHandoffFiguresLive() {
        logIn("operator", "operator");
        open("/console");
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("flow-order-handoff")));
        // the figures are replaced by every refresh, so the row is read in one script call
        List<?> cells = (List<?>) js("var r = document.getElementById('flow-order-handoff'); return "
                + "['.state', '.routes', '.throughput', '.error-rate', '.latency']"
                + ".map(function (c) { return r.querySelector(c).textContent.trim(); })");
        assertThat((String) cells.get(0)).isIn("UP", "DEGRADED");
        assertThat((String) cells.get(1)).matches("\\d+ / \\d+");
        assertThat((String) cells.get(2)).matches("\\d+(\\.\\d)?");
        assertThat((String) cells.get(3)).endsWith("%");
        assertThat((String) cells.get(4)).endsWith("ms");
        assertThat(js("return document.querySelectorAll('#systems .system').length")).asString()
                .matches("[3-9]|\\d{2,}");
        assertThat(js("return document.getElementById('system-crm').textContent")).asString()
                .contains("reachable").contains("ms");
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("operator");

        // the chart is drawn, and the figures refresh by themselves (htmx polling)
        assertThat((Boolean) js("return Chart.getChart(document.querySelector('#flow-order-handoff canvas')) != null"))
                .as("throughput chart of order-handoff drawn").isTrue();
        Object updated = js("return document.getElementById('updated').textContent");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(
                d -> !updated.equals(js("return document.getElementById('updated').textContent")));
        assertThat((Boolean) js("return Chart.getChart(document.querySelector('#flow-order-handoff canvas')) != null"))
                .as("chart drawn again after the refresh").isTrue();
        screenshot("overview", "console-overview.png");
    }

    @Test
    @Order(3)
    void parkedAcknowledgementIsReplayedFromTheConsoleOnceTheCrmIsBack() {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.setFault("crm", "failing", 0, 1.0);
        // the salesperson's click in the CRM UI works; only the CRM's API answers 500 to the ESB
        sandbox.http().post().uri("/sandbox/crm/api/opportunities/{id}/win", id)
                .header("X-Sandbox-Bypass-Faults", "true").retrieve().toBodilessEntity();
        await().atMost(FLOW_TIMEOUT).until(() -> !parkedIds(id).isEmpty());
        String soNo = awaitErpOrderNumber(id);
        sandbox.setFault("crm", "normal", 0, 0);
        assertThat(sandbox.opportunity(id).path("erpOrderNo").asText("")).isEmpty();

        logIn("operator", "operator");
        open("/console/parked?businessKey=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        String parkedId = parkedIds(id).get(0);
        WebElement row = waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("parked-" + parkedId)));
        assertThat(row.getText()).contains("order-handoff.ack-to-crm").contains("PARKED");
        row.findElement(By.name("ids")).click();

        // dry run: shows what would be replayed, changes nothing
        browser.findElement(By.id("dry-run")).click();
        WebElement plan = waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("plan")));
        assertThat(plan.findElement(By.id("plan-total")).getText()).isEqualTo("1");
        assertThat(plan.getText()).contains(id);
        assertThat(parkedStatus(parkedId)).isEqualTo("PARKED");
        screenshot("parked-dry-run", null);

        // replay: a background job whose progress the page follows until it is done
        browser.findElement(By.id("replay")).click();
        // the job's panel is replaced by every poll, so each reading takes the panel's state in one script call
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("replay-job")));
        new WebDriverWait(browser, FLOW_TIMEOUT).ignoring(StaleElementReferenceException.class).until(d ->
                !"RUNNING".equals(js("return document.getElementById('replay-job').dataset.status")));
        assertThat(js("return document.getElementById('replay-job').dataset.status")).isEqualTo("DONE");
        assertThat(js("return document.getElementById('replay-job').textContent")).asString().contains("by operator");
        assertThat(js("return document.querySelector('#replay-job .delivered').textContent.trim()"))
                .isEqualTo("delivered 1");
        assertThat(js("return String(document.getElementById('replay-progress').value)")).isEqualTo("1");
        // the table reloads by itself: the message is no longer parked
        waitFor.until(ExpectedConditions.invisibilityOfElementLocated(By.id("parked-" + parkedId)));
        assertThat(browser.findElement(By.id("parked-count")).getText()).isEqualTo("0");
        screenshot("parked-replayed", null);

        // the CRM got the ERP number, and the message shows as replayed, by whom
        await().atMost(FLOW_TIMEOUT).until(() -> soNo.equals(sandbox.opportunity(id).path("erpOrderNo").asText()));
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("REPLAYED");
        browser.findElement(By.id("filter")).click();
        WebElement replayed = waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("parked-" + parkedId)));
        assertThat(replayed.findElement(By.cssSelector(".status")).getText()).isEqualTo("REPLAYED");
        assertThat(replayed.getText()).contains("operator");
        assertThat(replayed.findElements(By.name("ids"))).isEmpty();
        assertThat(parkedStatus(parkedId)).isEqualTo("REPLAYED");
    }

    @Test
    @Order(4)
    void viewerSeesParkedMessagesWithoutAnyReplayOrDiscardControl() {
        String id = newOpportunityId();
        sandbox.createOpportunity(id);
        sandbox.setFault("crm", "failing", 0, 1.0);
        sandbox.http().post().uri("/sandbox/crm/api/opportunities/{id}/win", id)
                .header("X-Sandbox-Bypass-Faults", "true").retrieve().toBodilessEntity();
        await().atMost(FLOW_TIMEOUT).until(() -> !parkedIds(id).isEmpty());
        sandbox.setFault("crm", "normal", 0, 0);
        String parkedId = parkedIds(id).get(0);

        logIn("viewer", "viewer");
        assertThat(browser.findElement(By.cssSelector(".bar .who")).getText()).contains("viewer").contains("read only");
        open("/console/parked?businessKey=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        WebElement row = waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("parked-" + parkedId)));
        assertThat(row.getText()).contains("PARKED");
        for (String control : List.of("bulk", "dry-run", "replay", "discard", "discard-reason", "all-matching")) {
            assertThat(browser.findElements(By.id(control))).as("control #%s for a viewer", control).isEmpty();
        }
        assertThat(browser.findElements(By.name("ids"))).isEmpty();

        row.findElement(By.cssSelector("a.open")).click();
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("message-status")));
        assertThat(browser.findElement(By.id("message-status")).getText()).isEqualTo("PARKED");
        assertThat(browser.findElements(By.id("replay-one"))).isEmpty();
        assertThat(browser.findElements(By.id("discard-one"))).isEmpty();
        assertThat(browser.findElements(By.tagName("textarea"))).isEmpty();
        screenshot("viewer-parked-message", null);

        // a forged replay from the viewer's session (with a valid CSRF token) is refused by the server
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const token = document.querySelector('meta[name=_csrf]').content;
                const header = document.querySelector('meta[name=_csrf_header]').content;
                fetch('/console/parked/' + arguments[0] + '/replay', {method: 'POST', headers: {[header]: token},
                      redirect: 'manual'}).then(r => done(r.status), e => done(String(e)));""", parkedId);
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(parkedStatus(parkedId)).isEqualTo("PARKED");
    }

    /**
     * An operator opens the order handoff's CRM mapping in the workbench, runs it on a fixture (output, both schemas
     * valid, no difference to the expected output) and on a broken payload (the violation names the field); a viewer
     * reads the same page without any run control, and a forged run from the viewer's session is refused.
     */
    @Test
    @Order(6)
    void operatorRunsAMappingOnItsFixtureAndOnABrokenPayload() {
        logIn("operator", "operator");
        open("/console/mappings");
        browser.findElement(By.cssSelector("#mapping-list a[data-mapping='crm/opportunity-to-order.jsonata']")).click();
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("mapping-source")));
        Path file = Path.of(browser.findElement(By.id("mapping-file")).getText());
        assertThat(file).isAbsolute().isRegularFile().endsWith(Path.of("mappings", "crm", "opportunity-to-order.jsonata"));
        assertThat(browser.findElement(By.id("mapping-running")).getText()).contains("this version");
        assertThat(browser.findElement(By.id("contract-input")).getText()).isEqualTo("crm/opportunity-webhook.schema.json");

        browser.findElement(By.id("run-fixture-full")).click();
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("diff-empty")));
        assertThat(browser.findElement(By.id("run-what")).getText()).isEqualTo("of fixture full");
        assertThat(browser.findElement(By.id("run-output")).getText()).contains("\"orderId\" : \"OPP-1001\"");
        assertThat(browser.findElement(By.id("input-check")).getAttribute("data-valid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("output-check")).getAttribute("data-valid")).isEqualTo("true");
        assertThat(browser.findElements(By.id("run-failure"))).isEmpty();
        System.out.printf("mapping workbench, fixture run server side: mapping %s, whole run %s%n",
                browser.findElement(By.id("run-mapping-ms")).getText(), browser.findElement(By.id("run-total-ms")).getText());
        screenshot("mapping-workbench", "console-mapping-workbench.png");

        // a pasted payload with a lower-case currency: the input schema names the field, the mapping still runs
        js("var p = document.getElementById('payload'); p.value = p.value.replace('\"EUR\"', '\"eur\"');");
        browser.findElement(By.id("run-payload-submit")).click();
        waitFor.until(ExpectedConditions.textToBe(By.id("run-what"), "of the pasted payload"));
        assertThat(browser.findElement(By.id("input-check")).getAttribute("data-valid")).isEqualTo("false");
        assertThat(attributes("#input-check tr.violation", "data-field")).containsExactly("/data/currencyCode");
        assertThat(browser.findElements(By.id("diff-empty"))).isEmpty();
        screenshot("mapping-workbench-violation", null);

        // a payload over the limit is refused (413), and the page says so where the result would be
        js("document.getElementById('payload').value = '{\"x\": \"' + 'a'.repeat(300000) + '\"}';");
        browser.findElement(By.id("run-payload-submit")).click();
        assertThat(waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("run-error"))).getText())
                .contains("at most 262144 bytes");
        assertThat(browser.findElements(By.id("run-what"))).isEmpty();

        // a viewer reads it all but runs nothing, and the server refuses a forged run
        browser.manage().deleteAllCookies();
        logIn("viewer", "viewer");
        open("/console/mappings?name=crm/opportunity-to-order.jsonata");
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("mapping-source")));
        assertThat(browser.findElement(By.id("read-only")).getText()).contains("operator role");
        assertThat(browser.findElements(By.id("run-payload"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("form.run-fixture"))).isEmpty();
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const token = document.querySelector('meta[name=_csrf]').content;
                const header = document.querySelector('meta[name=_csrf_header]').content;
                fetch('/console/mappings/run', {method: 'POST', headers: {[header]: token,
                      'Content-Type': 'application/x-www-form-urlencoded'},
                      body: 'name=crm/opportunity-to-order.jsonata&fixture=full', redirect: 'manual'})
                  .then(r => done(r.status), e => done(String(e)));""");
        assertThat(((Number) status).intValue()).isEqualTo(403);
    }

    /**
     * A viewer opens the Systems page while the ERP is down: every declared system with its adapter, transport, health
     * strip and breaker; the ERP's breaker opened, and its page lists the transition (journaled: the link finds it in
     * the journal) and the failed calls. Prints how long the pages take.
     */
    @Test
    @Order(7)
    void viewerSeesTheSystemsTheirBreakersAndTheErpsTransitions() {
        sandbox.setFault("erp", "down", 0, 0);
        logIn("viewer", "viewer");
        open("/console/systems/erp");
        // the change capture polls the ERP all the time: its failures open the breaker
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(attributes("#transitions tr.transition", "data-to")).contains("OPEN");
            assertThat(browser.findElements(By.cssSelector("#errors tr.error"))).isNotEmpty();
            assertThat(browser.findElements(By.cssSelector("#health-strip rect.probe.down"))).isNotEmpty();
        });

        browser.findElement(By.cssSelector(".bar nav a[href='/console/systems']")).click();
        waitFor.until(ExpectedConditions.presenceOfElementLocated(By.id("systems-list")));
        assertThat(attributes("#systems-list tr.system-row", "id"))
                .contains("systems-crm", "systems-erp", "systems-oa");
        // its state now: with the ERP down (logins refused), a half-open trial call by one of the ERP's pollers has
        // been seen to end without an error, closing the breaker again before this page was read (CI: OPEN ->
        // HALF_OPEN -> CLOSED within 0.5 s; which call is not known yet); that it opened is asserted above
        assertThat(browser.findElement(By.id("systems-erp")).getAttribute("data-breaker"))
                .isIn("OPEN", "HALF_OPEN", "CLOSED");
        assertThat(browser.findElement(By.cssSelector("#systems-crm .transport")).getText()).isEqualTo("REST over HTTP");
        assertThat(browser.findElement(By.cssSelector("#systems-erp .transport")).getText()).startsWith("SQL over JDBC");
        assertThat(browser.findElement(By.cssSelector("#systems-oa .transport")).getText()).startsWith("JMS");
        for (String system : List.of("crm", "erp", "oa")) {
            WebElement strip = browser.findElement(By.cssSelector("#systems-" + system + " svg.health-strip"));
            assertThat(Integer.parseInt(strip.getAttribute("data-probes"))).as("probes drawn for %s", system).isPositive();
            assertThat(browser.findElements(By.cssSelector("#systems-" + system + " svg.health-strip rect.probe")))
                    .isNotEmpty();
        }
        assertThat(browser.findElement(By.cssSelector("#systems-erp .calls")).getText()).matches("[1-9]\\d*");
        screenshot("systems", "console-systems.png");
        printTiming("/console/systems");

        browser.findElement(By.cssSelector("#systems-erp td.name a")).click();
        waitFor.until(ExpectedConditions.presenceOfElementLocated(By.id("transitions")));
        assertThat(browser.findElement(By.id("system-transport")).getText()).startsWith("SQL over JDBC");
        assertThat(browser.findElement(By.id("latency-calls")).getText()).matches("[1-9]\\d*");
        assertThat(browser.findElement(By.cssSelector("#errors tr.error")).getText()).isNotBlank();
        screenshot("system-erp", null);
        printTiming("/console/systems/erp");
        sandbox.setFault("erp", "normal", 0, 0);

        // the transitions are in the journal, found by the system's name (the journal stores in batches)
        browser.findElement(By.id("breaker-journal")).click();
        waitFor.until(ExpectedConditions.presenceOfElementLocated(By.id("timeline")));
        await().atMost(FLOW_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(hops()).contains("BREAKER_OPENED");
        });
    }

    /**
     * How long the page takes, printed (a figure, not asserted): the first load as it was, then 10 more loads, each
     * the server's answer (Navigation Timing: request sent to first byte) and until the browser had it loaded.
     */
    private void printTiming(String page) {
        String script = "var n = performance.getEntriesByType('navigation')[0]; "
                + "return [n.responseStart - n.requestStart, n.loadEventEnd - n.startTime, n.transferSize];";
        List<?> first = (List<?>) js(script);
        List<Double> server = new java.util.ArrayList<>();
        List<Double> loaded = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            open(page);
            waitFor.until(d -> ((Number) js("return performance.getEntriesByType('navigation')[0].loadEventEnd")).doubleValue() > 0);
            List<?> t = (List<?>) js(script);
            server.add(((Number) t.get(0)).doubleValue());
            loaded.add(((Number) t.get(1)).doubleValue());
        }
        server.sort(null);
        loaded.sort(null);
        System.out.printf(java.util.Locale.ROOT, "PAGE TIMING %s (%s bytes): first load server %.1f ms, loaded %.1f ms; "
                        + "next 10 loads server p50 %.1f ms max %.1f ms, loaded p50 %.1f ms max %.1f ms%n", page, first.get(2),
                ((Number) first.get(0)).doubleValue(), ((Number) first.get(1)).doubleValue(), server.get(4), server.get(9),
                loaded.get(4), loaded.get(9));
    }

    // --- browser helpers

    private void logIn(String user, String password) {
        open("/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
        waitFor.until(ExpectedConditions.urlContains("/console"));
        waitFor.until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
    }

    private void open(String path) {
        browser.get(baseUrl() + path);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private List<String> attributes(String css, String attribute) {
        return browser.findElements(By.cssSelector(css)).stream().map(e -> e.getAttribute(attribute)).toList();
    }

    private List<String> hops() {
        return browser.findElements(By.cssSelector("#timeline li.step")).stream()
                .map(step -> step.getAttribute("data-hop")).toList();
    }

    private List<String> deliveredTargets() {
        return browser.findElements(By.cssSelector("#timeline li.step.hop-DELIVERED .path")).stream()
                .map(WebElement::getText).map(String::toLowerCase)
                .flatMap(text -> Stream.of("erp", "crm").filter(text::contains)).toList();
    }

    /** Saves the whole page from its top (the window grows to the page's height, up to 2000 px, for the shot). */
    private void screenshot(String name, String docImage) {
        Dimension window = browser.manage().window().getSize();
        try {
            long height = ((Number) js("return document.documentElement.scrollHeight")).longValue()
                    + window.getHeight() - ((Number) js("return window.innerHeight")).longValue();
            browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(Math.max(height, 600), 2000)));
            js("window.scrollTo(0, 0)");
            Path shot = SHOTS.resolve(name + ".png");
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
                    StandardCopyOption.REPLACE_EXISTING);
            if (docImage != null && Boolean.getBoolean("console.docs-images")) {
                Files.createDirectories(DOC_IMAGES);
                Files.copy(shot, DOC_IMAGES.resolve(docImage), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not save screenshot " + name, e);
        } finally {
            browser.manage().window().setSize(window);
        }
    }

    /**
     * The program named by environment variable {@code <env>_BIN}, else found on the PATH. Missing means the test
     * fails here (no skip): the console must be tested in a real browser.
     */
    private static File executable(String env, String name) {
        String configured = System.getenv(env + "_BIN");
        if (configured != null && !configured.isBlank()) {
            File file = new File(configured);
            if (file.canExecute()) {
                return file;
            }
            fail("%s_BIN=%s is not an executable", env, configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File file = new File(dir, name);
            if (file.canExecute()) {
                return file;
            }
        }
        return fail("'%s' is not installed: the console browser test needs Debian's chromium and chromedriver "
                + "(apt-get install -y chromium chromium-driver; .ci/run installs them), or %s_BIN set to it", name, env);
    }

    // --- ESB state helpers

    private static String newOpportunityId() {
        return "OPP-C" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    private String awaitErpOrderNumber(String extRef) {
        await().atMost(FLOW_TIMEOUT).until(() -> !jdbc.queryForList(
                "SELECT so_no FROM erp.so_stage_hdr WHERE ext_ref = ? AND so_no IS NOT NULL", String.class, extRef).isEmpty());
        return jdbc.queryForObject("SELECT so_no FROM erp.so_stage_hdr WHERE ext_ref = ?", String.class, extRef);
    }

    private List<String> parkedIds(String businessKey) {
        return jdbc.queryForList("SELECT id::text FROM esb.parked_message WHERE business_key = ? AND status = 'PARKED'"
                + " AND route_id = 'order-handoff.ack-to-crm' ORDER BY parked_at", String.class, businessKey);
    }

    private String parkedStatus(String id) {
        Map<String, Object> row = jdbc.queryForMap("SELECT status FROM esb.parked_message WHERE id = ?::uuid", id);
        return (String) row.get("status");
    }
}
