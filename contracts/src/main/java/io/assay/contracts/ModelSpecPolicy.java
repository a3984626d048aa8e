package io.assay.contracts;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the operator lets a model spec reach: credentials only by a name that starts with
 * {@code credentialPrefix} (so a spec cannot name {@code KAFKA_SASL_PASSWORD} or another service's
 * variable), and, when {@code allowedHosts} is not empty, endpoints only on those hosts. The one rule
 * the model-invoker applies when a spec is registered (refused specs are dead-lettered) and
 * {@code assay models add} applies before publishing, so both say the same.
 *
 * <p>The invoker reads its settings from {@code assay.invoker.credential-prefix} and
 * {@code assay.invoker.allowed-hosts}; the CLI from the same settings' environment variables
 * ({@link #fromEnvironment}). Why: docs/invocation.md, "Credentials and hosts".
 *
 * @param credentialPrefix the prefix every {@code credentialEnv} must start with
 * @param allowedHosts the hosts a {@code baseUrl} may name (lower case); empty means any host
 */
public record ModelSpecPolicy(String credentialPrefix, Set<String> allowedHosts) {
    /** The prefix when none is configured. */
    public static final String DEFAULT_PREFIX = "ASSAY_KEY_";
    /** The environment variable of {@code assay.invoker.credential-prefix}. */
    public static final String PREFIX_VARIABLE = "ASSAY_INVOKER_CREDENTIAL_PREFIX";
    /** The environment variable of {@code assay.invoker.allowed-hosts} (comma-separated). */
    public static final String HOSTS_VARIABLE = "ASSAY_INVOKER_ALLOWED_HOSTS";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The default: credentials named {@code ASSAY_KEY_*}, any host. */
    public static final ModelSpecPolicy DEFAULT = new ModelSpecPolicy(DEFAULT_PREFIX, Set.of());

    /** Normalises the hosts to lower case; a blank prefix is refused (it would expose every variable). */
    public ModelSpecPolicy {
        if (credentialPrefix == null || credentialPrefix.isBlank()) {
            throw new IllegalArgumentException("the credential prefix must not be blank: it would expose every "
                    + "environment variable of the invoker");
        }
        allowedHosts = allowedHosts == null
                ? Set.of()
                : allowedHosts.stream()
                        .map(String::trim)
                        .filter(h -> !h.isEmpty())
                        .map(h -> h.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toUnmodifiableSet());
    }

    /** The policy of an environment: {@value #PREFIX_VARIABLE} and {@value #HOSTS_VARIABLE}, defaults when unset. */
    public static ModelSpecPolicy fromEnvironment(UnaryOperator<String> environment) {
        String prefix = environment.apply(PREFIX_VARIABLE);
        String hosts = environment.apply(HOSTS_VARIABLE);
        return new ModelSpecPolicy(
                prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix.trim(),
                hosts == null ? Set.of() : Set.copyOf(Arrays.asList(hosts.split(","))));
    }

    /** Whether a spec may name the credential {@code name}: the prefix, then more letters, digits or {@code _}. */
    public boolean credentialAllowed(String name) {
        return name != null
                && name.startsWith(credentialPrefix)
                && name.length() > credentialPrefix.length()
                && NAME.matcher(name).matches();
    }

    /** Why {@code spec} is refused, empty when it only reaches what the operator exposed. */
    public Optional<String> refusal(ModelSpec spec) {
        String name = spec.credentialEnv();
        if (name != null && !credentialAllowed(name)) {
            return Optional.of("credentialEnv " + name + " of model " + spec.modelId()
                    + " is not a credential exposed to models: its name must start with " + credentialPrefix
                    + " (assay.invoker.credential-prefix)");
        }
        String url = spec.baseUrl();
        if (url != null && userInfo(url)) {
            return Optional.of("baseUrl of model " + spec.modelId() + " carries user info (user:password@): a spec "
                    + "names a credential, it never holds one");
        }
        if (!allowedHosts.isEmpty() && url != null && !url.startsWith("file:")) {
            String host = host(url);
            if (host == null || !allowedHosts.contains(host)) {
                return Optional.of("baseUrl host " + (host == null ? "(none)" : host) + " of model " + spec.modelId()
                        + " is not an allowed provider host (assay.invoker.allowed-hosts: "
                        + String.join(",", allowedHosts.stream().sorted().toList()) + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean userInfo(String url) {
        try {
            return URI.create(url).getRawUserInfo() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
