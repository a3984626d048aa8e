package io.assay.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code kcat} binary (Debian's package of librdkafka's command-line client), run as a user of the README runs it
 * to publish items: a producer outside Java, with its own partitioner and its own TLS and SASL code.
 */
public final class Kcat {
    /** Why a test that needs kcat is skipped where it is missing. */
    public static final String MISSING = "kcat not installed (Debian package kcat; .ci/run installs it): skipped";

    private Kcat() {}

    /** kcat on the PATH ({@code kcat}, or {@code kafkacat} as older Debian releases name it); empty if neither. */
    public static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("kcat", "kafkacat")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** What a kcat run ended with: its exit status and its output (stdout and stderr). */
    public record Run(int exit, String output) {}

    /**
     * Publishes the lines of {@code lines} to {@code topic} as {@code kcat -b BOOTSTRAP -t TOPIC -K'|' -P} does from its
     * standard input (each line {@code key|value}, split at its first {@code |}), with librdkafka's {@code settings}
     * as {@code -X name=value}; fails with kcat's output unless it exits with 0 within a minute.
     */
    public static void produce(Path kcat, String bootstrap, String topic, Path lines, Map<String, String> settings)
            throws Exception {
        Run run = run(kcat, bootstrap, topic, lines, settings);
        assertThat(run.exit()).as("kcat: " + run.output()).isZero();
    }

    /** {@link #produce}, returning how kcat ended instead of failing; its output is also kept in {@code <lines>.out}. */
    public static Run run(Path kcat, String bootstrap, String topic, Path lines, Map<String, String> settings)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(kcat.toString(), "-b", bootstrap, "-t", topic, "-K|", "-P"));
        new TreeMap<>(settings).forEach((name, value) -> command.addAll(List.of("-X", name + "=" + value)));
        Path output = lines.resolveSibling(lines.getFileName() + ".out");
        Process p = new ProcessBuilder(command)
                .redirectInput(lines.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kcat exits").isTrue();
        return new Run(p.exitValue(), Files.readString(output));
    }

    /** The librdkafka version kcat was built with, as {@code kcat -V} prints it ("librdkafka 2.0.2"): [major, minor, patch]. */
    public static int[] librdkafka(Path kcat) throws Exception {
        Process p = new ProcessBuilder(kcat.toString(), "-V")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("librdkafka (\\d+)\\.(\\d+)\\.(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no librdkafka version in kcat -V: " + out);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }
}
