package io.assay.invoker.providers;

import java.util.Set;

/**
 * The kinds of {@link io.assay.contracts.ModelError} a provider call can end with. Retryable kinds
 * are those where calling again may succeed without changing the request: the provider's rate
 * limit, its 5xx, a dropped connection, a timeout. A 4xx other than 429 is the request's fault and
 * is never retried (it would fail, and a paid endpoint may bill it, every time).
 */
public final class ErrorKinds {
    /** 429: the provider's rate limit; retried after its {@code Retry-After}. */
    public static final String RATE_LIMITED = "rate_limited";
    /** No reply within the request timeout. */
    public static final String TIMEOUT = "timeout";
    /** The connection could not be made or was reset. */
    public static final String CONNECTION = "connection";
    /** A 5xx from the provider. */
    public static final String SERVER_ERROR = "server_error";
    /** A 4xx (other than 401/403/429): the request itself is wrong. */
    public static final String BAD_REQUEST = "bad_request";
    /** 401/403: the key is missing, wrong or not allowed. */
    public static final String AUTH = "auth";
    /** The credential named in {@code credentialEnv} is not set (environment variable or secrets file). */
    public static final String MISSING_CREDENTIAL = "missing_credential";
    /** A 2xx reply that is not a Chat Completions response. */
    public static final String BAD_REPLY = "bad_reply";
    /** The endpoint's circuit breaker is open after consecutive failures. */
    public static final String CIRCUIT_OPEN = "circuit_open";
    /** {@code replay}: no recorded answer for this model, benchmark and item (and variant). */
    public static final String MISSING_RECORD = "missing_record";
    /** {@code replay}: the file of recorded answers cannot be read. */
    public static final String REPLAY_FILE = "replay_file";
    /** {@code replay}: the file is outside {@code assay.invoker.replay-dir} (or none is set). */
    public static final String OUTSIDE_REPLAY_DIR = "outside_replay_dir";
    /** {@code sim}: a simulated transient failure. */
    public static final String TRANSIENT = "transient";
    /** The model's spec lacks something its provider needs (base URL, provider model). */
    public static final String BAD_SPEC = "bad_spec";

    private static final Set<String> RETRYABLE =
            Set.of(RATE_LIMITED, TIMEOUT, CONNECTION, SERVER_ERROR, CIRCUIT_OPEN, TRANSIENT);

    private ErrorKinds() {}

    /** Whether a failure of this kind is worth retrying. */
    public static boolean retryable(String kind) {
        return RETRYABLE.contains(kind);
    }
}
