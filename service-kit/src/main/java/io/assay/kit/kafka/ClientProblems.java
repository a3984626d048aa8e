package io.assay.kit.kafka;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.utils.Utils;

/**
 * What to tell an operator when Kafka refuses a client (its login, its TLS handshake, its ACLs) or refuses to make one
 * of the settings (a store file that is not there, a value it does not accept): the settings to check, by their
 * {@code kafka.*} and {@code KAFKA_*} names. The services ({@link BrokerCheck}, {@link KafkaStartup}) and the CLI say
 * it in the same words. Plain Kafka clients and the JDK only, no logging: the CLI takes the kit without its
 * dependencies.
 */
public final class ClientProblems {
    /** The bootstrap addresses {@link #probe} tries, at most. */
    private static final int PROBED = 3;

    private ClientProblems() {}

    /**
     * What a plain TCP connection to the bootstrap addresses finds when the broker does not answer.
     *
     * @param accepts whether one of them accepts connections: then the broker there does not answer this client's
     *     protocol (or is too busy to)
     * @param refused every address tried refused the connection outright (nothing listens there, no route to it, or
     *     its host is unknown): no client of these settings reaches a broker now; false when one did not answer within
     *     the timeout, which a slow network may still explain
     * @param otherProtocol the first address that accepts speaks another protocol than {@code security.protocol}
     *     asks for: a TLS listener for a client in the clear, a listener in the clear for a TLS client, or a SASL
     *     listener in the clear for a PLAINTEXT client; no client of these settings gets an answer there
     * @param words what to tell the operator
     */
    public record Probe(boolean accepts, boolean refused, boolean otherProtocol, String words) {}

    /** What a listener does with a Kafka request sent in the clear ({@link #speaks}). */
    private enum Speech {
        /** Answers it, and says it takes no SASL login: a PLAINTEXT listener (or one not asked). */
        CLEAR,
        /** Answers it, and then a SASL handshake: a SASL_PLAINTEXT listener, which refuses anything else before a login. */
        SASL,
        /** Closes the connection, or answers with a TLS record: a TLS listener (SSL or SASL_SSL). */
        TLS,
        /** Nothing within the timeout, or an answer that is neither. */
        UNKNOWN
    }

    /**
     * Why a broker that does not answer a client made of {@code settings} may be silent, from a plain TCP connection
     * to each of the first {@value #PROBED} bootstrap addresses ({@code timeout} each). Nothing accepting connections
     * there is a broker not started, or another address; something accepting them and not answering is most often a
     * listener that expects another security protocol: a TLS or SASL listener does not answer a PLAINTEXT client, and
     * Kafka tells the client nothing, so without this both looked the same ("does not answer"). So the first address
     * that accepts is sent Kafka's first request, ApiVersions, in the clear ({@code timeout} for its answer): a
     * listener in the clear answers it, a TLS listener closes the connection; a listener in the clear is then sent a
     * SASL handshake, which a SASL_PLAINTEXT listener answers with its mechanisms. One of these against a client of
     * another protocol ({@link Probe#otherProtocol}), or every address tried refusing outright ({@link
     * Probe#refused}), is what a client would meet too, so the CLI says it at once.
     */
    public static Probe probe(Map<String, Object> settings, Duration timeout) {
        List<String> failures = new ArrayList<>();
        boolean refused = true;
        String protocol = String.valueOf(settings.getOrDefault("security.protocol", "PLAINTEXT"));
        boolean tls = protocol.toUpperCase(Locale.ROOT).endsWith("SSL");
        for (String address : bootstrapAddresses(settings)) {
            String host = Utils.getHost(address);
            Integer port = Utils.getPort(address);
            if (host == null || port == null) {
                continue;
            }
            if (failures.size() == PROBED) {
                refused = false; // an address left untried may answer
                break;
            }
            Heard heard;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                heard = speaks(socket, timeout);
            } catch (IOException e) {
                refused &= e instanceof ConnectException || e instanceof UnknownHostException;
                failures.add(
                        address + " (" + (e instanceof UnknownHostException ? "unknown host" : e.getMessage()) + ")");
                continue;
            }
            Speech speech = heard.speech();
            String check = "; check kafka.security.protocol (KAFKA_SECURITY_PROTOCOL)";
            if (speech == Speech.SASL && protocol.equalsIgnoreCase("PLAINTEXT")) {
                return new Probe(
                        true,
                        false,
                        true,
                        address + " asks for a SASL login before any other request (a SASL_PLAINTEXT listener;"
                                + " mechanisms " + String.join(", ", heard.mechanisms())
                                + "), and security.protocol is PLAINTEXT" + check
                                + " and the kafka.sasl.* settings");
            }
            if (speech == Speech.TLS && !tls) {
                return new Probe(
                        true,
                        false,
                        true,
                        address + " closed the connection when sent a Kafka request in the clear, as a TLS listener"
                                + " does (SSL or SASL_SSL), and security.protocol is " + protocol + check
                                + " and the kafka.ssl.* settings");
            }
            if ((speech == Speech.CLEAR || speech == Speech.SASL) && tls) {
                return new Probe(
                        true,
                        false,
                        true,
                        address + " answers Kafka requests in the clear (a PLAINTEXT or SASL_PLAINTEXT listener), and"
                                + " security.protocol is " + protocol + ", which speaks TLS" + check);
            }
            return new Probe(
                    true,
                    false,
                    false,
                    address + " accepts connections but has not answered as security.protocol " + protocol
                            + ": a listener that expects another protocol does not answer it (TLS or SASL, or "
                            + "PLAINTEXT)" + check);
        }
        return new Probe(
                false,
                refused && !failures.isEmpty(),
                false,
                failures.isEmpty()
                        ? "no bootstrap address to connect to"
                        : "cannot connect to " + String.join(", ", failures));
    }

    /** What {@link #speaks} heard, and the SASL mechanisms a {@link Speech#SASL} listener named. */
    private record Heard(Speech speech, List<String> mechanisms) {
        Heard(Speech speech) {
            this(speech, List.of());
        }
    }

    /**
     * Sends Kafka's ApiVersions request (version 0, the one every broker answers, if only to say which it takes) in
     * the clear on {@code socket} and reads the start of the answer: a response with its correlation id is a listener
     * in the clear; the connection closed, or a TLS record (an alert or handshake), is a TLS listener. A listener in
     * the clear is then sent a SASL handshake (version 1, mechanism PLAIN): a SASL_PLAINTEXT listener answers with the
     * mechanisms it takes, a PLAINTEXT one with {@code ILLEGAL_SASL_STATE}.
     */
    private static Heard speaks(Socket socket, Duration timeout) {
        int correlation = 0x41535359; // "ASSY"
        byte[] client = "assay-probe".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer request = ByteBuffer.allocate(4 + 10 + client.length);
        request.putInt(10 + client.length) // size
                .putShort((short) 18) // api key: ApiVersions
                .putShort((short) 0) // api version 0 (request header v1, no body)
                .putInt(correlation)
                .putShort((short) client.length)
                .put(client);
        DataInputStream in;
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request.array());
            socket.getOutputStream().flush();
            in = new DataInputStream(socket.getInputStream());
            int first = in.read();
            if (first < 0) {
                return new Heard(Speech.TLS);
            }
            if (first == 0x15 || first == 0x16) { // a TLS alert or handshake record
                return new Heard(Speech.TLS);
            }
            byte[] rest = new byte[7];
            in.readFully(rest);
            ByteBuffer head = ByteBuffer.allocate(8).put((byte) first).put(rest).flip();
            int size = head.getInt();
            if (size < 4 || head.getInt() != correlation) {
                return new Heard(Speech.UNKNOWN);
            }
            in.skipNBytes(size - 4L);
        } catch (SocketTimeoutException e) {
            return new Heard(Speech.UNKNOWN);
        } catch (EOFException e) {
            return new Heard(Speech.UNKNOWN); // some bytes, then closed: neither
        } catch (IOException e) {
            return new Heard(Speech.TLS); // reset on the request: closed
        }
        List<String> mechanisms = saslMechanisms(socket, in, correlation + 1, client);
        return mechanisms == null ? new Heard(Speech.CLEAR) : new Heard(Speech.SASL, mechanisms);
    }

    /**
     * The mechanisms a listener in the clear names when sent a SASL handshake, or {@code null} when it takes no SASL
     * login (its answer {@code ILLEGAL_SASL_STATE}, or none).
     */
    private static List<String> saslMechanisms(Socket socket, DataInputStream in, int correlation, byte[] client) {
        byte[] mechanism = "PLAIN".getBytes(StandardCharsets.US_ASCII);
        int size = 10 + client.length + 2 + mechanism.length;
        ByteBuffer request = ByteBuffer.allocate(4 + size);
        request.putInt(size)
                .putShort((short) 17) // api key: SaslHandshake
                .putShort((short) 1) // version 1 (request header v1)
                .putInt(correlation)
                .putShort((short) client.length)
                .put(client)
                .putShort((short) mechanism.length)
                .put(mechanism);
        try {
            socket.getOutputStream().write(request.array());
            socket.getOutputStream().flush();
            in.readInt(); // size
            if (in.readInt() != correlation) {
                return null;
            }
            short error = in.readShort();
            if (error != 0 && error != 33) { // none, or UNSUPPORTED_SASL_MECHANISM with those it takes
                return null; // ILLEGAL_SASL_STATE (34): no SASL on this listener
            }
            int count = in.readInt();
            List<String> mechanisms = new ArrayList<>();
            for (int i = 0; i < count && i < 16; i++) {
                byte[] name = new byte[in.readShort()];
                in.readFully(name);
                mechanisms.add(new String(name, StandardCharsets.UTF_8));
            }
            return mechanisms;
        } catch (IOException | RuntimeException e) {
            return null; // answered ApiVersions in the clear: that is all we know
        }
    }

    private static List<String> bootstrapAddresses(Map<String, Object> settings) {
        Object servers = settings.get("bootstrap.servers");
        if (servers instanceof List<?> list) {
            return list.stream().map(String::valueOf).map(String::trim).toList();
        }
        return servers == null
                ? List.of()
                : List.of(servers.toString().split(",")).stream()
                        .map(String::trim)
                        .filter(a -> !a.isEmpty())
                        .toList();
    }

    /**
     * The authentication or authorization failure behind {@code failure} (itself or a cause), if any:
     * a refusal that retrying will not change, e.g. a stream thread's {@code StreamsException} whose
     * cause is "Not authorized to access group: assay-judge".
     */
    public static Optional<KafkaException> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return Optional.of((KafkaException) t);
            }
        }
        return Optional.empty();
    }

    /**
     * What to say when {@code failure} is Kafka refusing a client made with {@code settings} ({@link #refusal}: its
     * login, its TLS handshake, its ACLs) or refusing to make one ({@link #unusable}): the settings to check. Empty for
     * other failures, e.g. a broker that does not answer.
     */
    public static Optional<String> problem(Throwable failure, Map<String, Object> settings) {
        Optional<KafkaException> refusal = refusal(failure);
        if (refusal.isPresent()) {
            return Optional.of(explain(refusal.get(), settings));
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // "Failed to create new KafkaAdminClient", "Failed to construct kafka consumer" or "... producer"; a value
            // Kafka does not accept is a ConfigException of its own
            if (t instanceof ConfigException
                    || t instanceof KafkaException
                            && t.getMessage() != null
                            && t.getMessage().startsWith("Failed to c")) {
                return Optional.of(unmade(t, settings));
            }
        }
        return Optional.empty();
    }

    /**
     * Why Kafka cannot make a client of {@code settings}, empty when it can. A trust or key store file that cannot be
     * read is said at once (Kafka would log a stack trace of its own for it first); then an admin client is made and
     * closed: making a client checks every value, reads the stores and the JAAS login and resolves
     * {@code bootstrap.servers}, without connecting, so every client made of these settings would fail the same way.
     */
    public static Optional<String> unusable(Map<String, Object> settings) {
        // the stores are read only for TLS: with PLAINTEXT or SASL_PLAINTEXT Kafka ignores ssl.* settings
        boolean tls = String.valueOf(settings.getOrDefault("security.protocol", "PLAINTEXT"))
                .toUpperCase(Locale.ROOT)
                .endsWith("SSL");
        for (Map.Entry<String, Object> setting : new TreeMap<>(settings).entrySet()) {
            Path file = Path.of(String.valueOf(setting.getValue()));
            if (tls && setting.getKey().endsWith(".location") && !Files.isReadable(file)) {
                String why = Files.exists(file) ? "cannot be read by this process" : "does not exist";
                return Optional.of(unworkable(
                        "the file of " + setting.getKey() + ", " + file + ", " + why,
                        Set.of(setting.getKey()),
                        settings));
            }
        }
        try {
            Admin.create(settings).close(Duration.ZERO);
            return Optional.empty();
        } catch (KafkaException e) {
            return Optional.of(unmade(e, settings));
        }
    }

    /**
     * The reason at the bottom of {@code failure} (a ConfigException's "Invalid value ...", say), and the settings its
     * messages name ({@link #names}, or a file by its path).
     */
    private static String unmade(Throwable failure, Map<String, Object> settings) {
        Throwable reason = failure;
        Set<String> named = new TreeSet<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            reason = t;
            String message = String.valueOf(t.getMessage());
            settings.forEach((key, value) -> {
                if (names(message, key) || key.endsWith(".location") && message.contains(String.valueOf(value))) {
                    named.add(key);
                }
            });
        }
        // a NoSuchFileException's message is only the path: name the exception too
        return unworkable(reason.getClass().getSimpleName() + ": " + reason.getMessage(), named, settings);
    }

    /**
     * Whether Kafka's {@code message} is about the setting {@code key}: it names the key, or in words its last two
     * parts ("JAAS config entry not terminated by semi-colon" is about {@code sasl.jaas.config}).
     */
    private static boolean names(String message, String key) {
        String[] parts = key.split("\\.");
        return message.contains(key)
                || parts.length > 2
                        && message.toLowerCase(Locale.ROOT)
                                .contains(parts[parts.length - 2] + " " + parts[parts.length - 1]);
    }

    private static String unworkable(String why, Set<String> named, Map<String, Object> settings) {
        String check = named.isEmpty()
                ? "the KAFKA_* variables and kafka.* properties"
                : String.join(
                        ", ",
                        named.stream()
                                .sorted()
                                .map(key -> KafkaSettings.PREFIX + key + " (" + KafkaSettings.ENV_PREFIX
                                        + key.toUpperCase(Locale.ROOT).replace('.', '_') + ")")
                                .toList());
        return "The Kafka client settings do not work: " + why + " (bootstrap.servers "
                + settings.get("bootstrap.servers") + ", security.protocol "
                + settings.getOrDefault("security.protocol", "PLAINTEXT") + "). Check " + check;
    }

    /** What to check when the cluster refuses this client, naming the settings. */
    public static String explain(Throwable cause, Map<String, Object> settings) {
        String protocol = String.valueOf(settings.getOrDefault("security.protocol", "PLAINTEXT"));
        String at = " (bootstrap.servers " + settings.get("bootstrap.servers") + ", security.protocol " + protocol;
        if (cause instanceof SaslAuthenticationException) {
            return "Kafka refused the SASL credentials: " + cause.getMessage() + at + ", sasl.mechanism "
                    + settings.getOrDefault("sasl.mechanism", "GSSAPI") + "). Check the username and password in "
                    + "kafka.sasl.jaas.config (KAFKA_SASL_JAAS_CONFIG) and kafka.sasl.mechanism (KAFKA_SASL_MECHANISM)";
        }
        if (cause instanceof SslAuthenticationException) {
            // Kafka says only "SSL handshake failed"; the JDK's reason is its cause: "PKIX path building failed: ...
            // unable to find valid certification path" for a certificate the trust store does not vouch for, "No
            // subject alternative names matching ..." for one issued to other names than bootstrap.servers'
            String why = cause.getCause() == null || cause.getCause() == cause
                    ? cause.getMessage()
                    : cause.getMessage() + ": " + cause.getCause().getMessage();
            return "The TLS handshake with Kafka failed: " + why + at
                    + "). Check kafka.ssl.truststore.location (KAFKA_SSL_TRUSTSTORE_LOCATION), its password and type: "
                    + "the trust store must hold the cluster's CA; for mutual TLS, kafka.ssl.keystore.*";
        }
        if (cause instanceof AuthorizationException) {
            return "Kafka authenticated this client but does not allow it: " + cause.getMessage() + at
                    + "). Grant its principal the ACLs of its row in the README's \"ACLs\" section";
        }
        return "Kafka refused this client: " + cause.getMessage() + at + "). Check kafka.security.protocol and "
                + "kafka.sasl.* / kafka.ssl.*";
    }
}
