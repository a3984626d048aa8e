package io.assay.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Wilson intervals against values worked by hand (z = 1.959963984540054, z² = 3.841458820694125;
 * the digits were checked with 40-digit decimal arithmetic).
 */
class WilsonTest {
    private static final double EXACT = 1e-12;

    @Test
    void noSuccessesInTen() {
        // denom = 1 + 3.841458820694125/10 = 1.3841458820694125
        // center = (0 + 0.19207294103470627) / 1.3841458820694125 = 0.13876639993144460
        // half = z·sqrt(0 + z²/(4n²)) / denom = (z²/(2n)) / denom = center
        //      → [0, 2·0.13876639993144460] = [0, 0.27753279986288920]
        Estimate e = Wilson.score(0, 10);
        assertThat(e.value()).isEqualTo(0.0);
        assertThat(e.lower()).isCloseTo(0.0, within(EXACT));
        assertThat(e.upper()).isCloseTo(0.2775327998628892, within(EXACT));
        assertThat(e.n()).isEqualTo(10);
    }

    @Test
    void halfOfTen() {
        // center = (0.5 + 0.19207294103470627) / 1.3841458820694125 = 0.5 (symmetric)
        // half = z·sqrt(0.025 + 0.0096036470517353) / 1.3841458820694125 = 0.26340690948743600
        Estimate e = Wilson.score(5, 10);
        assertThat(e.value()).isEqualTo(0.5);
        assertThat(e.lower()).isCloseTo(0.2365930905125640, within(EXACT));
        assertThat(e.upper()).isCloseTo(0.7634069094874360, within(EXACT));
    }

    @Test
    void allOfTen() {
        // the mirror image of 0/10: [1 − 0.2775327998628892, 1]
        Estimate e = Wilson.score(10, 10);
        assertThat(e.value()).isEqualTo(1.0);
        assertThat(e.lower()).isCloseTo(0.7224672001371108, within(EXACT));
        assertThat(e.upper()).isEqualTo(1.0);
    }

    @Test
    void eightyOneOf263() {
        // p        = 81/263                               = 0.30798479087452471
        // z²/n     = 3.841458820694125/263                = 0.01460630730301949
        // denom    = 1 + 0.01460630730301949              = 1.01460630730301949
        // z²/(2n)  = 0.00730315365150974
        // center   = (0.30798479087452471 + 0.00730315365150974) / 1.01460630730301949
        //          = 0.31528794452603446 / 1.01460630730301949 = 0.31074904843053715
        // p(1−p)/n = 0.30798479087452471·0.69201520912547529/263 = 0.00081038083446578
        // z²/(4n²) = 3.841458820694125/276676             = 0.00001388432253139
        // sqrt(0.00082426515699717) = 0.02871001840816489; ·z = 0.05627060207548515
        // half     = 0.05627060207548515 / 1.01460630730301949 = 0.05546052855226292
        // interval = [0.25528851987827423, 0.36620957698280006]
        Estimate e = Wilson.score(81, 263);
        assertThat(e.value()).isCloseTo(0.3079847908745247, within(EXACT));
        assertThat(e.lower()).isCloseTo(0.2552885198782742, within(EXACT));
        assertThat(e.upper()).isCloseTo(0.3662095769828001, within(EXACT));
    }

    @Test
    void threeOfFour() {
        // denom = 1 + 3.841458820694125/4 = 1.9603647051735313; center = 0.6275272908863506;
        // half = 0.3268854483039488
        Estimate e = Wilson.score(3, 4);
        assertThat(e.lower()).isCloseTo(0.3006418425824019, within(EXACT));
        assertThat(e.upper()).isCloseTo(0.9544127391902995, within(EXACT));
    }

    @Test
    void noObservationsIsUninformative() {
        assertThat(Wilson.score(0, 0)).isEqualTo(new Estimate(0.0, 0.0, 1.0, 0));
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThatThrownBy(() -> Wilson.score(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Wilson.score(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
