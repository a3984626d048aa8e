package io.assay.judge.prompts;

import com.fasterxml.jackson.core.type.TypeReference;
import io.assay.contracts.Json;
import io.assay.contracts.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The judge prompt templates shipped with the judge ({@value #RESOURCE}). A judge spec names a template
 * by its method (the template id; the protocol's default when the method is absent or {@code auto}) and
 * its prompt version (the latest version when absent).
 */
public final class JudgePrompts {
    /** The class-path resource holding every template. */
    public static final String RESOURCE = "judge-prompts/templates.json";
    /** The template appended once to a conversation whose verdict could not be parsed. */
    public static final String REPAIR = "repair";

    private static final Map<Protocol, String> DEFAULTS = Map.of(
            Protocol.SCORE, "wildbench-score",
            Protocol.PAIRWISE, "wildbench-pairwise",
            Protocol.PREFERENCE, "alpaca-preference");

    private final Map<String, JudgePrompt> byLabel = new LinkedHashMap<>();

    /** With the given templates (tests); later duplicates of an {@code id@version} are refused. */
    public JudgePrompts(List<JudgePrompt> templates) {
        for (JudgePrompt t : templates) {
            if (byLabel.putIfAbsent(t.label(), t) != null) {
                throw new IllegalArgumentException("duplicate judge prompt " + t.label());
            }
        }
    }

    /** The templates shipped in {@value #RESOURCE}. */
    public static JudgePrompts shipped() {
        try (InputStream in = JudgePrompts.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new JudgePrompts(Json.mapper().readValue(in, new TypeReference<List<JudgePrompt>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default template id of a protocol. */
    public static String defaultId(Protocol protocol) {
        return DEFAULTS.get(protocol);
    }

    /**
     * The template a judge uses: id = {@code method} unless absent or {@code auto} (then the protocol's
     * default), version = {@code promptVersion}, or the highest version of that id when absent.
     */
    public Optional<JudgePrompt> find(Protocol protocol, String method, String promptVersion) {
        String id = method == null || method.isBlank() || "auto".equals(method) ? defaultId(protocol) : method;
        if (id == null) {
            return Optional.empty();
        }
        if (promptVersion != null && !promptVersion.isBlank()) {
            return Optional.ofNullable(byLabel.get(id + "@" + promptVersion));
        }
        return byLabel.values().stream()
                .filter(t -> t.id().equals(id))
                .max((a, b) -> compareVersions(a.version(), b.version()));
    }

    /** The repair template (latest version). */
    public JudgePrompt repair() {
        return find(Protocol.SCORE, REPAIR, null).orElseThrow(() -> new IllegalStateException("no repair template"));
    }

    private static int compareVersions(String a, String b) {
        try {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
