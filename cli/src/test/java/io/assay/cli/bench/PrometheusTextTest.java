package io.assay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Summing a counter's samples from a /q/metrics page. */
class PrometheusTextTest {
    private static final String PAGE = """
            # HELP assay_aggregator_judgments_total Judgments folded
            # TYPE assay_aggregator_judgments_total counter
            assay_aggregator_judgments_total{benchmark="b",outcome="counted"} 1500.0
            assay_aggregator_judgments_total{benchmark="b",outcome="duplicate"} 7.0
            assay_aggregator_judgments_total{benchmark="other",outcome="counted"} 40.0
            assay_judge_judgments_total{judge="reference",protocol="reference"} 1.2345E5
            assay_judge_judgments_total{judge="jury",protocol="score"} 5.0
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.25
            jvm_gc_pause_seconds_sum{action="end of major GC",cause="Allocation Failure",gc="MarkSweepCompact"} 0.125
            """;

    @Test
    void sumsOnlyTheLinesWithEveryFilter() {
        assertThat(PrometheusText.sum(
                        PAGE, "assay_aggregator_judgments_total{", "benchmark=\"b\"", "outcome=\"counted\""))
                .isEqualTo(1500);
        assertThat(PrometheusText.sum(PAGE, "assay_aggregator_judgments_total{", "outcome=\"counted\""))
                .isEqualTo(1540);
    }

    @Test
    void sumsEveryTagSetWithoutFiltersAndReadsExponents() {
        assertThat(PrometheusText.sum(PAGE, "assay_judge_judgments_total{")).isEqualTo(123_455);
    }

    @Test
    void aMetricNotThereIsZero() {
        assertThat(PrometheusText.sum(PAGE, "assay_invoker_calls_total{")).isZero();
        assertThat(PrometheusText.sum("", "assay_judge_judgments_total{")).isZero();
    }

    @Test
    void theTotalKeepsTheFractions() {
        assertThat(PrometheusText.total(PAGE, "jvm_gc_pause_seconds_sum{")).isEqualTo(0.375);
        assertThat(PrometheusText.total(PAGE, "jvm_gc_pause_seconds_sum{", "gc=\"Copy\""))
                .isEqualTo(0.25);
        assertThat(PrometheusText.sum(PAGE, "jvm_gc_pause_seconds_sum{")).isZero();
    }
}
