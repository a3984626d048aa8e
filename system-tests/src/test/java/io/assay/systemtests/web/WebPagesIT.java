package io.assay.systemtests.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.assay.cli.DemoSetup;
import io.assay.cli.api.AggregatorClient;
import io.assay.cli.api.ServiceHttp;
import io.assay.cli.dyval.ItemGenerator;
import io.assay.cli.stack.Component;
import io.assay.cli.stack.LocalStack;
import io.assay.contracts.BenchmarkItem;
import io.assay.contracts.Json;
import io.assay.contracts.LeaderboardSnapshot;
import io.assay.contracts.ModelSpec;
import io.assay.contracts.Topics;
import io.assay.testing.RequiresBroker;
import io.assay.testing.TestBroker;
import io.assay.testing.TestClient;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web pages in a real browser: the four services started from their jars, the demo's four simulated
 * models and generated items streamed in, and headless Chromium driven over the DevTools protocol through
 * the benchmarks list, the leaderboard (live over SSE), a model, the item list and an item. Screenshots of
 * each page go to {@code system-tests/target/screenshots/}.
 */
@RequiresBroker
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPagesIT {
    private static final int ITEMS = 40;
    /** The items of the AlpacaEval-style benchmark the win-rate views are shown for. */
    private static final int ALPACA_ITEMS = 20;

    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final String BENCHMARK = "web-" + System.currentTimeMillis();
    /** A benchmark of one judgment whose names are markup; its item is not on assay.items. */
    private static final String HOSTILE = BENCHMARK + "-hostile";

    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path SCREENSHOTS = TARGET.resolve("screenshots");

    /** A model whose calls all fail: the leaderboard lists it with its cause. */
    private static final String BROKEN = "gpt-no-key";

    private static LocalStack services;
    private static TestClient kafka;
    private static AggregatorClient api;
    private static String base;
    private static List<ModelSpec> models;
    private static ItemGenerator generator;
    private static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Chromium.available(),
                "WebPagesIT needs Debian's chromium at " + Chromium.BINARY + " (apt-get install chromium); skipped");
        Path repo =
                Path.of(System.getProperty("assay.repo", "..")).toAbsolutePath().normalize();
        services = new LocalStack(repo, repo.resolve("system-tests/target/web-it"), 22_000);
        services.startServices(TestBroker.get().bootstrapServers(), System.out);
        kafka = TestBroker.get().client();
        base = services.url(Component.AGGREGATOR);
        api = new AggregatorClient(base);
        models = DemoSetup.models(Instant.now());
        generator = new ItemGenerator(BENCHMARK, 21);
        kafka.send(Topics.BENCHMARKS, BENCHMARK, DemoSetup.benchmark(BENCHMARK, Instant.now()));
        models.forEach(m -> kafka.send(Topics.MODELS, m.modelId(), m));
        // And a broken model: its key variable is not set, so every call fails (missing_credential)
        kafka.sendRaw(
                Topics.MODELS.name(),
                BROKEN,
                "{\"modelId\":\"" + BROKEN + "\",\"provider\":\"openai\",\"baseUrl\":\"http://127.0.0.1:7/v1\","
                        + "\"providerModel\":\"gpt-4o-mini\",\"credentialEnv\":\"ASSAY_KEY_WEB_IT_NEVER_SET\","
                        + "\"benchmarks\":[\"" + BENCHMARK + "\"]}");
        for (int i = 0; i < ITEMS; i++) {
            publish(i);
        }
        awaitBoard(b -> models.stream().allMatch(m -> n(b, m.modelId()) == ITEMS));
        browser = Chromium.start(TARGET.resolve("chromium-profile"), 1280, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (services != null) {
            services.stop();
        }
    }

    @Test
    @Order(1)
    void theBenchmarksPageListsTheBenchmarkAsLive() throws Exception {
        browser.open(base + "/");
        JsonNode row = browser.waitFor(
                "(() => { const r = document.querySelector('#benchmarks tr[data-benchmark=\"" + BENCHMARK + "\"]');"
                        + " return r ? r.innerText : null; })()",
                text -> text.asText().contains("live"),
                PAGE);
        assertThat(row.asText()).contains(String.valueOf(ITEMS)).contains(String.valueOf(ITEMS * models.size()));
        browser.screenshot(SCREENSHOTS.resolve("benchmarks.png"));
    }

    @Test
    @Order(2)
    void theLeaderboardShowsTheFourSimulatedModelsWithIntervalsAndFollowsNewJudgments() throws Exception {
        // Given: the leaderboard page, marked so a reload would show
        browser.open(base + "/#/b/" + BENCHMARK);
        browser.waitFor("document.querySelectorAll('#leaderboard tr.model-row').length === 4", PAGE);
        browser.evaluate("window.__notReloaded = true");

        // And: the broken model is a row below them with 0 answered and its cause, not absent
        JsonNode broken = browser.waitFor(
                "(() => { const r = document.querySelector('#leaderboard tr.failing[data-model=\"" + BROKEN + "\"]');"
                        + " return r ? r.innerText : null; })()",
                text -> text.asText().contains("missing_credential"),
                PATIENCE);
        assertThat(broken.asText()).contains("0 answered").contains("ASSAY_KEY_WEB_IT_NEVER_SET");

        // Then: the four demo models, each labelled simulated, each with an interval drawn as a whisker
        JsonNode ids = browser.evaluate(
                "[...document.querySelectorAll('#leaderboard tr.model-row')].map(r => r.dataset.model)");
        assertThat(texts(ids))
                .containsExactlyInAnyOrderElementsOf(
                        models.stream().map(ModelSpec::modelId).toList());
        assertThat(browser.evaluate("document.querySelectorAll('#leaderboard tr.model-row .pill.sim').length")
                        .asInt())
                .isEqualTo(4);
        assertThat(browser.evaluate("document.querySelectorAll('#leaderboard tr.model-row svg.whiskers line.interval')"
                                + ".length")
                        .asInt())
                .isEqualTo(4);
        // And: each category cell names its 95% interval and n on hover (a cell without one says so)
        JsonNode titles = browser.evaluate(
                "[...document.querySelectorAll('#leaderboard tr.model-row td[title]')].map(t => t.title)");
        assertThat(texts(titles)).isNotEmpty().allMatch(t -> t.matches(".+% – .+%, n = \\d+"));
        assertThat(browser.evaluate("document.querySelector('#judgments').textContent")
                        .asText())
                .isEqualTo(String.valueOf(ITEMS * models.size()));

        // When: one more item is published and judged for every model
        publish(ITEMS);

        // Then: the page shows the new judgments and n without a reload
        String after = String.format("%,d", (ITEMS + 1) * models.size());
        browser.waitFor("document.querySelector('#judgments').textContent === '" + after + "'", PATIENCE);
        browser.waitFor(
                "[...document.querySelectorAll('#leaderboard tr.model-row')].every(r => r.dataset.n === '" + (ITEMS + 1)
                        + "')",
                PAGE);
        assertThat(browser.evaluate("window.__notReloaded === true").asBoolean())
                .as("the page was not reloaded")
                .isTrue();
        // And: the score over time has a line per model once the history reloads
        browser.waitFor("document.querySelectorAll('#history svg path').length === 4", PAGE);
        browser.waitFor("/\\d+ s ago/.test(document.querySelector('#ago').textContent)", PAGE);
        browser.screenshot(SCREENSHOTS.resolve("leaderboard.png"));
    }

    @Test
    @Order(3)
    void theModelPageShowsAccuracyByCategoryAndLatency() throws Exception {
        String model = models.get(0).modelId();
        browser.open(base + "/#/b/" + BENCHMARK + "/model/" + model);
        browser.waitFor("document.querySelectorAll('#views tbody tr').length > 0", PAGE);
        assertThat(browser.evaluate("document.querySelector('h1').textContent").asText())
                .contains(model)
                .contains("simulated");
        assertThat(browser.evaluate("document.querySelectorAll('#categories svg.whiskers').length")
                        .asInt())
                .isPositive();
        assertThat(browser.evaluate("document.querySelector('#p50 .v').textContent")
                        .asText())
                .endsWith("ms");
        browser.screenshot(SCREENSHOTS.resolve("model.png"));
    }

    @Test
    @Order(4)
    void theItemListAndAnItemPageShowTheRationales() throws Exception {
        browser.open(base + "/#/b/" + BENCHMARK + "/items");
        browser.waitFor("document.querySelectorAll('#items tbody tr').length === " + (ITEMS + 1), PAGE);
        browser.screenshot(SCREENSHOTS.resolve("items.png"));

        BenchmarkItem published = generator.item(0, Instant.now());
        String item = published.itemId();
        browser.open(base + "/#/b/" + BENCHMARK + "/item/" + item);
        browser.waitFor("document.querySelectorAll('#verdicts tr.verdict').length === 4", PAGE);
        // The item itself is shown above the verdicts: its input as published on assay.items.
        browser.waitFor("document.querySelector('#item-source') !== null", PAGE);
        String input = published.inputMessages().get(0).content().asText();
        assertThat(browser.evaluate("document.querySelector('#item-source').textContent")
                        .asText())
                .contains(input.substring(0, Math.min(40, input.length())).strip());
        JsonNode rationales =
                browser.evaluate("[...document.querySelectorAll('#verdicts td.rationale')].map(td => td.textContent)");
        assertThat(texts(rationales))
                .hasSize(4)
                .allSatisfy(r -> assertThat(r).isNotBlank().isNotEqualTo("–"));
        assertThat(browser.evaluate("document.querySelectorAll('#verdicts pre.answer').length")
                        .asInt())
                .isEqualTo(4);
        // and each answer's trace id (the item's trace: docs/traces.md)
        JsonNode traces =
                browser.evaluate("[...document.querySelectorAll('#verdicts .trace code')].map(c => c.textContent)");
        assertThat(texts(traces)).hasSize(4).allSatisfy(t -> assertThat(t).matches("[0-9a-f]{32}"));
        browser.screenshot(SCREENSHOTS.resolve("item.png"));
    }

    @Test
    @Order(5)
    void theWinRateViewsShowTheirPercentagesAsTheApiGivesThem() throws Exception {
        // Given: AlpacaEval preferences with both answers' lengths, for two models against one baseline (the win
        // rates are percentages already, 0-100, where accuracy is a proportion, 0-1)
        String alpaca = BENCHMARK + "-alpaca";
        for (int i = 0; i < ALPACA_ITEMS; i++) {
            for (String model : List.of("m-long", "m-short")) {
                kafka.sendRaw(Topics.JUDGMENTS.name(), alpaca + "/" + i, preference(alpaca, i, model));
            }
        }
        for (String view : List.of("winrate", "lc-winrate")) {
            LeaderboardSnapshot board = awaitBoard(
                    alpaca, view, b -> b.rows().size() == 2 && b.rows().stream().allMatch(r -> r.n() == ALPACA_ITEMS));

            // When: its leaderboard page is opened
            browser.open(base + "/#/b/" + alpaca + "?view=" + view);
            browser.waitFor("document.querySelectorAll('#leaderboard tr.model-row').length === 2", PAGE);

            // Then: each value and interval is the API's, in percent (not a hundred times it), and so is the axis
            for (LeaderboardSnapshot.Row row : board.rows()) {
                JsonNode cells =
                        browser.evaluate("[...document.querySelectorAll('#leaderboard tr.model-row[data-model=\""
                                + row.modelId() + "\"] td.num')].map(td => td.textContent)");
                assertThat(texts(cells))
                        .as(view + " " + row.modelId())
                        .contains(percent(row.value()), percent(row.lower()) + " – " + percent(row.upper()));
            }
            JsonNode ticks = browser.evaluate(
                    "[...document.querySelectorAll('#leaderboard th.whisker text')].map(t => t.textContent)");
            assertThat(texts(ticks))
                    .as(view + "'s axis")
                    .isNotEmpty()
                    .allSatisfy(t ->
                            assertThat(Double.parseDouble(t.replace("%", ""))).isBetween(0.0, 100.0));
            browser.screenshot(SCREENSHOTS.resolve(view + ".png"));
        }
        // And: a model's page shows its row of each in percent too
        LeaderboardSnapshot lc = api.leaderboard(alpaca, "lc-winrate").orElseThrow();
        LeaderboardSnapshot.Row row = lc.rows().stream()
                .filter(r -> r.modelId().equals("m-long"))
                .findFirst()
                .orElseThrow();
        browser.open(base + "/#/b/" + alpaca + "/model/m-long");
        JsonNode lcRow = browser.waitFor(
                "(() => { const r = [...document.querySelectorAll('#views tbody tr')]"
                        + ".find(tr => tr.cells[0].textContent === 'lc-winrate'); return r ? r.innerText : null; })()",
                text -> !text.isNull(),
                PAGE);
        assertThat(lcRow.asText()).contains(percent(row.value())).contains(percent(row.upper()));
        // And: its item list shows every item, with no mean value for preferences (it answered 500 before)
        browser.open(base + "/#/b/" + alpaca + "/items");
        browser.waitFor("document.querySelectorAll('#items tbody tr').length === " + ALPACA_ITEMS, PAGE);
    }

    @Test
    @Order(6)
    void onlineEloShowsNoIntervalWhereTheApiRepeatsTheRating() throws Exception {
        // Given: a few pairwise verdicts (elo has no interval: the API sets lower = upper = the rating)
        String arena = BENCHMARK + "-arena";
        String[] outcomes = {"better", "worse", "tie", "much_better"};
        for (int i = 0; i < outcomes.length; i++) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("judgmentId", "arena-" + i);
            j.put("benchmark", arena);
            j.put("itemId", String.valueOf(i));
            j.put("judge", Map.of("id", "arena", "protocol", "pairwise"));
            j.put("subject", Map.of("modelId", "m-a"));
            j.put("kind", "pairwise");
            j.put("pairwise", Map.of("outcome", outcomes[i], "baselineModel", "m-b"));
            kafka.sendRaw(Topics.JUDGMENTS.name(), arena + "/" + i, Json.write(j));
        }
        awaitBoard(arena, "elo", b -> b.judgments() == outcomes.length);

        // When: its elo leaderboard is opened
        browser.open(base + "/#/b/" + arena + "?view=elo");
        browser.waitFor("document.querySelectorAll('#leaderboard tr.model-row').length === 2", PAGE);

        // Then: the interval column says there is none, rather than "1004 – 1004"
        JsonNode cells = browser.evaluate(
                "[...document.querySelectorAll('#leaderboard tr.model-row td.muted')].map(td => td.textContent)");
        assertThat(texts(cells)).containsExactly("no interval", "no interval");
    }

    @Test
    @Order(6)
    void aBradleyTerryRatingBoundedOnOneSideShowsTheOtherAsInfinite() throws Exception {
        // Given: m-top beats m-base on 39 items and ties on one; m-mid wins and loses in turn. In the resamples
        // without the tie's item m-top won every battle (+∞), about e⁻¹ of them: no upper bound in the API
        String sweep = BENCHMARK + "-sweep";
        int items = 40;
        for (int i = 0; i < items; i++) {
            publishPairwise(sweep, "top-" + i, String.valueOf(i), "m-top", i == 0 ? "tie" : "better");
            publishPairwise(sweep, "mid-" + i, String.valueOf(i), "m-mid", i % 2 == 0 ? "better" : "worse");
        }
        LeaderboardSnapshot board = awaitBoard(sweep, "bt", b -> b.judgments() == 2 * items);
        LeaderboardSnapshot.Row top = board.rows().stream()
                .filter(r -> r.modelId().equals("m-top"))
                .findFirst()
                .orElseThrow();
        assertThat(top.upper()).isNull();
        assertThat(top.lower()).isNotNull();

        // When: its bt leaderboard is opened
        browser.open(base + "/#/b/" + sweep + "?view=bt");
        browser.waitFor("document.querySelectorAll('#leaderboard tr.model-row').length === 3", PAGE);

        // Then: m-top's interval reads "lower – ∞" and its whisker runs to the axis' right end, without a cap
        JsonNode cells = browser.evaluate(
                "[...document.querySelectorAll('#leaderboard tr.model-row')].map(tr => [tr.children[1].textContent,"
                        + " tr.querySelector('td.muted').textContent,"
                        + " tr.querySelector('line.interval').getAttribute('x2'),"
                        + " tr.querySelectorAll('svg.whiskers line').length])");
        JsonNode row = null;
        for (JsonNode r : cells) {
            row = r.get(0).asText().contains("m-top") ? r : row;
        }
        assertThat(row).as("m-top's row in %s", cells).isNotNull();
        assertThat(row.get(1).asText()).isEqualTo(String.format(Locale.ROOT, "%.0f – ∞", top.lower()));
        assertThat(row.get(2).asText()).isEqualTo("220");
        assertThat(row.get(3).asInt()).isEqualTo(3); // the axis' line, the interval, the lower cap
        browser.screenshot(SCREENSHOTS.resolve("bt-one-sided.png"));
    }

    private void publishPairwise(String benchmark, String id, String item, String model, String outcome) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("judgmentId", id);
        j.put("benchmark", benchmark);
        j.put("itemId", item);
        j.put("judge", Map.of("id", "arena", "protocol", "pairwise"));
        j.put("subject", Map.of("modelId", model));
        j.put("kind", "pairwise");
        j.put("pairwise", Map.of("outcome", outcome, "baselineModel", "m-base"));
        kafka.sendRaw(Topics.JUDGMENTS.name(), benchmark + "/" + item, Json.write(j));
    }

    @Test
    @Order(7)
    void hostileNamesAreShownAsTextNotMarkup() throws Exception {
        // Given: a judgment whose model, item, category, judge, baseline and rationale are markup that would run
        // script if a page wrote them as HTML (the judgment schema leaves them free)
        String hostile = HOSTILE;
        String model = "<img src=x onerror=\"document.title='XSS'\">";
        String item = "i\"><svg onload=\"document.title='XSS'\">";
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("judgmentId", "hostile-1");
        j.put("benchmark", hostile);
        j.put("itemId", item);
        j.put("categories", List.of("<b onmouseover=x>cat</b>"));
        j.put("judge", Map.of("id", "j\"><i>", "protocol", "pairwise"));
        j.put("subject", Map.of("modelId", model));
        j.put("kind", "pairwise");
        j.put("pairwise", Map.of("outcome", "better", "baselineModel", "<script>document.title='XSS'</script>"));
        j.put("rationale", "<img src=x onerror=\"document.title='XSS'\">");
        kafka.sendRaw(Topics.JUDGMENTS.name(), hostile + "/" + item, Json.write(j));
        awaitBoard(hostile, "elo", b -> b.judgments() == 1);

        // When: its leaderboard and its item's page are opened
        browser.open(base + "/#/b/" + hostile + "?view=elo");
        browser.waitFor("document.querySelectorAll('#leaderboard tr.model-row').length === 2", PAGE);
        JsonNode models = browser.evaluate(
                "[...document.querySelectorAll('#leaderboard tr.model-row')].map(r => r.dataset.model)");
        String injected =
                "document.querySelectorAll('main img, main svg[onload], main script, main b[onmouseover]')" + ".length";
        long onBoard = browser.evaluate(injected).asLong();
        // And: wb-reward's category cell, which has no interval (WildBench gives none per category), says so
        browser.open(base + "/#/b/" + hostile + "?view=wb-reward");
        String cell = "document.querySelector('#leaderboard tr.model-row td[title]')";
        browser.waitFor(cell + " !== null", PAGE);
        assertThat(browser.evaluate(cell + ".title").asText()).isEqualTo("no interval, n = 1");
        onBoard += browser.evaluate(injected).asLong();
        browser.open(base + "/#/b/" + hostile + "/item/"
                + URLEncoder.encode(item, StandardCharsets.UTF_8).replace("+", "%20"));
        browser.waitFor("document.querySelectorAll('#verdicts tr.verdict').length === 1", PAGE);

        // Then: the names are the rows' text, no element of theirs was made, and no script of theirs ran
        assertThat(texts(models)).contains(model);
        assertThat(onBoard).isZero();
        assertThat(browser.evaluate(injected).asLong()).isZero();
        assertThat(browser.evaluate("document.querySelector('#verdicts').textContent")
                        .asText())
                .contains(model)
                .contains("<img src=x onerror=");
        assertThat(browser.evaluate("document.title").asText()).isEqualTo("Assay");
    }

    @Test
    @Order(8)
    void theConsoleHasNoErrors() throws Exception {
        List<String> errors = browser.consoleErrors();
        if (status() == 404) {
            // GET /api/status is built on another branch: until it is merged, its 404 (one per page load;
            // the strip then stops asking) is expected.
            List<String> status =
                    errors.stream().filter(e -> e.contains("/api/status")).toList();
            System.out.println("WebPagesIT: /api/status answers 404 here; console entries it caused: " + status);
            errors = errors.stream().filter(e -> !e.contains("/api/status")).toList();
        }
        // The hostile benchmark's item was never published, only judged: its item page asks for the item's source
        // and is answered 404 (the page then shows the verdicts alone), which the browser logs.
        errors = errors.stream()
                .filter(e -> !(e.contains("404") && e.contains(HOSTILE) && e.endsWith("/source")))
                .toList();
        assertThat(errors).isEmpty();
    }

    private static int status() throws Exception {
        return ServiceHttp.client()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /**
     * An AlpacaEval preference of {@code model} on item {@code i} against the baseline {@code base}, with both
     * answers' lengths and the item's instruction difficulty ({@code lc-winrate} needs them).
     */
    private static String preference(String benchmark, int i, String model) {
        boolean longer = model.equals("m-long");
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("judgmentId", "ae-" + i + "-" + model);
        j.put("benchmark", benchmark);
        j.put("itemId", String.valueOf(i));
        j.put("judge", Map.of("id", "ae", "protocol", "preference", "baselines", List.of("base")));
        j.put("subject", Map.of("modelId", model, "answerChars", 900 + 37 * i + (longer ? 400 : 0)));
        j.put("kind", "preference");
        j.put("preference", longer ? 1.2 + 0.7 * (i % 3) / 2 : 1.1 + 0.4 * (i % 4) / 3);
        j.put(
                "details",
                Map.of(
                        "baselineModel",
                        "base",
                        "baselineChars",
                        1200 + 23 * i,
                        "instructionDifficulty",
                        ((i % 5) - 2) / 2.0));
        return Json.write(j);
    }

    /** A value as the pages show a percentage: one decimal, halves up on the double's exact value (JS toFixed). */
    private static String percent(double value) {
        return new BigDecimal(value).setScale(1, RoundingMode.HALF_UP) + "%";
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void publish(int index) {
        BenchmarkItem item = generator.item(index, Instant.now());
        kafka.send(Topics.ITEMS, item.key(), item);
    }

    private static LeaderboardSnapshot awaitBoard(Predicate<LeaderboardSnapshot> done) throws InterruptedException {
        return awaitBoard(BENCHMARK, "accuracy", done);
    }

    private static LeaderboardSnapshot awaitBoard(String benchmark, String view, Predicate<LeaderboardSnapshot> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Optional<LeaderboardSnapshot> board = Optional.empty();
        while (System.nanoTime() < deadline) {
            try {
                board = api.leaderboard(benchmark, view);
            } catch (AggregatorClient.ApiException notReady) {
                board = Optional.empty();
            }
            if (board.isPresent() && done.test(board.get())) {
                return board.get();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(view + " of " + benchmark + " not complete within " + PATIENCE + ": " + board);
    }

    private static long n(LeaderboardSnapshot board, String modelId) {
        return board.rows().stream()
                .filter(r -> r.modelId().equals(modelId))
                .mapToLong(LeaderboardSnapshot.Row::n)
                .findFirst()
                .orElse(0);
    }
}
