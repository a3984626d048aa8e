package io.assay.systemtests.aggregation;

import io.assay.systemtests.web.Chromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Times page loads in headless Chromium: each page is opened from {@code about:blank} (a full load,
 * not a same-document hash change) and timed from navigation start until its table is drawn, as the
 * page itself measures it ({@code performance.now()} when the condition first holds, checked every
 * 5 ms). Each page is loaded three times; the first may compute a view, the others are served from
 * the aggregator's cache.
 */
final class PageLoads {
    private static final Duration PAGE = Duration.ofSeconds(120);

    private PageLoads() {}

    /** Prints the load times of the benchmark's pages; says so and returns where Chromium is missing. */
    static void print(String base, String benchmark, Path screenshots) throws Exception {
        if (!Chromium.available()) {
            System.out.println("pages: chromium is not installed (" + Chromium.BINARY + "): no browser timings");
            return;
        }
        Map<String, String[]> pages = new LinkedHashMap<>();
        pages.put("benchmarks", new String[] {"/", "document.querySelector('#benchmarks tr[data-benchmark]')"});
        pages.put("leaderboard", new String[] {
            "/#/b/" + benchmark, "document.querySelectorAll('#leaderboard tr.model-row').length >= 100"
        });
        pages.put("items (page 1 of 2,000)", new String[] {
            "/#/b/" + benchmark + "/items", "document.querySelectorAll('#items tbody tr').length >= 50"
        });
        pages.put("item", new String[] {
            "/#/b/" + benchmark + "/item/q-50000", "document.querySelectorAll('#verdicts tr.verdict').length > 0"
        });
        pages.put("model", new String[] {
            "/#/b/" + benchmark + "/model/m007", "document.querySelectorAll('#views tbody tr').length > 0"
        });
        try (Chromium browser = Chromium.start(Path.of("target/pages-bench/chromium"), 1280, 900)) {
            for (Map.Entry<String, String[]> page : pages.entrySet()) {
                double[] ms = new double[3];
                for (int i = 0; i < ms.length; i++) {
                    browser.open("about:blank");
                    browser.open(base + page.getValue()[0]);
                    ms[i] = browser.evaluate("new Promise((resolve, reject) => { const t0 = performance.now();"
                                    + " const f = () => (" + page.getValue()[1] + ") ? resolve(performance.now())"
                                    + " : performance.now() - t0 > " + PAGE.toMillis() + " ? reject('timeout')"
                                    + " : setTimeout(f, 5); f(); })")
                            .asDouble();
                }
                System.out.printf(
                        Locale.ROOT,
                        "pages: load %-24s %7.0f ms, then %5.0f ms, %5.0f ms (navigation start → table drawn)%n",
                        page.getKey(),
                        ms[0],
                        ms[1],
                        ms[2]);
                browser.screenshot(screenshots.resolve("bench-" + page.getKey().split(" ")[0] + ".png"));
            }
            if (!browser.consoleErrors().isEmpty()) {
                System.out.println("pages: console errors: " + browser.consoleErrors());
            }
        }
    }
}
