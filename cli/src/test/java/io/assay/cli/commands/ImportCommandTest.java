package io.assay.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The import's summary line. */
class ImportCommandTest {
    @Test
    void aFewUnregisteredNamesAreListedAndManyCounted() {
        assertThat(ImportCommand.Judgments.listed(List.of("m1", "m2"))).isEqualTo("[m1, m2]");
        List<String> hundred =
                IntStream.range(0, 100).mapToObj(i -> "m%03d".formatted(i)).toList();
        assertThat(ImportCommand.Judgments.listed(hundred))
                .isEqualTo("[m000, m001, m002, m003, m004, m005, m006, m007, m008, m009 and 90 more]");
        assertThat(ImportCommand.Judgments.listed(hundred.subList(0, 10))).endsWith("m009]");
    }
}
