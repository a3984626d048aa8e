package io.assay.invoker.secrets;

import io.assay.contracts.ModelSpecPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The credentials the operator exposed to models, and only those: an environment variable whose name
 * has the policy's prefix ({@code ASSAY_KEY_*}), or else a file of that name in the secrets directory
 * ({@code assay.invoker.secrets-dir}, e.g. a Kubernetes Secret mounted as a volume). A name outside
 * the policy resolves to nothing, even if the variable exists. Every value read is remembered, so the
 * {@link Redactor} masks it wherever it shows up.
 */
public final class Credentials {
    private final ModelSpecPolicy policy;
    private final Path secretsDir;
    private final UnaryOperator<String> environment;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /**
     * @param policy which names may be used
     * @param secretsDir where credential files are, or {@code null} for none
     * @param environment this process's environment ({@code System.getenv()} in production); the
     *     values of its exposed variables are known from the start
     */
    public Credentials(ModelSpecPolicy policy, Path secretsDir, Map<String, String> environment) {
        this.policy = policy;
        this.secretsDir = secretsDir;
        this.environment = environment::get;
        environment.forEach((name, value) -> {
            if (policy.credentialAllowed(name) && value != null && !value.isBlank()) {
                known.add(value.strip());
            }
        });
        if (secretsDir != null && Files.isDirectory(secretsDir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(secretsDir)) {
                for (Path file : files) {
                    fromFile(file.getFileName().toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the secrets directory " + secretsDir, e);
            }
        }
    }

    /** The value of the credential {@code name}, or {@code null} when it is not exposed or not set. */
    public String value(String name) {
        if (!policy.credentialAllowed(name)) {
            return null;
        }
        String value = environment.apply(name);
        if (value != null && !value.isBlank()) {
            known.add(value.strip());
            return value.strip();
        }
        return fromFile(name);
    }

    /** Every credential value read so far (and every exposed variable's): what the {@link Redactor} masks. */
    public Collection<String> known() {
        return known;
    }

    /** Where a credential file would be, for messages. */
    public String where(String name) {
        return secretsDir == null
                ? "environment variable " + name
                : "environment variable or file " + secretsDir.resolve(name);
    }

    private String fromFile(String name) {
        if (secretsDir == null || !policy.credentialAllowed(name)) {
            return null;
        }
        // The policy's names are [A-Za-z0-9_]: no separator, no "..", so the file is inside the directory.
        // The file itself may be a symlink: Kubernetes mounts Secrets as symlinks into ..data/.
        Path file = secretsDir.resolve(name);
        if (!file.getParent().equals(secretsDir) || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                return null;
            }
            known.add(value);
            return value;
        } catch (IOException e) {
            return null;
        }
    }
}
