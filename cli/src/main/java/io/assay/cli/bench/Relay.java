package io.assay.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assay.cli.kafka.ClientSettings;
import io.assay.contracts.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ceiling {@code bench pipeline} compares Assay with: a raw three-hop relay written with plain
 * kafka-clients and no framework. Hop 1 reads item-sized JSON and writes {@code fanOut} prompt-sized
 * records per item (the prompt-generator's fan-out), hop 2 writes a response-sized record per prompt,
 * hop 3 a judgment-sized one per response; a sink counts the last topic. Each hop consumes, parses the
 * JSON into a tree, and produces a new JSON value of the next size: the work every Assay stage cannot
 * avoid, without schemas, state stores, transactions or metrics.
 *
 * <p>Hops, feed and sink are threads of this JVM (one consumer and one producer per hop, client
 * defaults: auto-commit every 5 s, idempotent producer with {@code acks=all}, {@code linger.ms} 5).
 */
public final class Relay {
    private static final Duration POLL = Duration.ofMillis(100);

    private final String bootstrap;
    private final int partitions;
    private final String prefix;

    /**
     * Message sizes in bytes, as measured on Assay's topics.
     *
     * @param item a benchmark item
     * @param prompt a prompt request
     * @param response a model response
     * @param judgment a judgment
     */
    public record Sizes(int item, int prompt, int response, int judgment) {}

    /**
     * What one relay run measured.
     *
     * @param records records that came out of hop 3
     * @param seconds from the first item sent to the last record out of hop 3 (feed included)
     * @param feedSeconds how long sending the items took
     * @param afterFeed records out of hop 3 after the feed ended
     * @param cpuSeconds CPU of this JVM over the run: feed, three hops and sink
     */
    public record Result(long records, double seconds, double feedSeconds, long afterFeed, double cpuSeconds) {
        /** Records per second, feed included. */
        public double perSecond() {
            return records / seconds;
        }

        /** Records per second after the feed ended (the relay alone). */
        public double perSecondAfterFeed() {
            double s = seconds - feedSeconds;
            return s <= 0 ? perSecond() : afterFeed / s;
        }
    }

    /** A relay on the broker at {@code bootstrap}, on topics {@code prefix.0 .. prefix.3} of {@code partitions}. */
    public Relay(String bootstrap, int partitions, String prefix) {
        this.bootstrap = bootstrap;
        this.partitions = partitions;
        this.prefix = prefix;
    }

    /** Relays {@code items} items, each fanned out to {@code fanOut} records, through the three hops. */
    public Result run(int items, int fanOut, Sizes sizes, Duration timeout) throws InterruptedException {
        createTopics();
        long expected = (long) items * fanOut;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> hops = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        hops.add(hop(1, fanOut, sizes.prompt(), stop, failure));
        hops.add(hop(2, 1, sizes.response(), stop, failure));
        hops.add(hop(3, 1, sizes.judgment(), stop, failure));
        AtomicLong out = new AtomicLong();
        AtomicLong feedEndNanos = new AtomicLong();
        AtomicLong atFeedEnd = new AtomicLong(-1);
        try (KafkaConsumer<String, byte[]> sink = consumer("sink")) {
            sink.subscribe(List.of(topic(4)));
            // Join the group before anything flows, so no record is missed by a late assignment.
            while (sink.assignment().isEmpty()) {
                sink.poll(POLL);
            }
            hops.forEach(Thread::start);
            double cpu0 = BenchCpu.ownCpuSeconds();
            long start = System.nanoTime();
            Thread feed = new Thread(
                    () -> {
                        feed(items, sizes.item(), failure);
                        feedEndNanos.set(System.nanoTime());
                        atFeedEnd.set(out.get());
                    },
                    "relay-feed");
            feed.start();
            long deadline = start + timeout.toNanos();
            long last = start;
            while (out.get() < expected && failure.get() == null && System.nanoTime() < deadline) {
                int n = sink.poll(POLL).count();
                if (n > 0) {
                    out.addAndGet(n);
                    last = System.nanoTime();
                }
            }
            feed.join();
            double cpu = BenchCpu.ownCpuSeconds() - cpu0;
            stop.set(true);
            for (Thread t : hops) {
                t.join(30_000);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("relay failed: " + failure.get(), failure.get());
            }
            if (out.get() < expected) {
                throw new IllegalStateException("relay moved only " + out.get() + " of " + expected + " records within "
                        + timeout.toSeconds() + " s");
            }
            return new Result(
                    out.get(),
                    (last - start) / 1e9,
                    (feedEndNanos.get() - start) / 1e9,
                    out.get() - Math.max(0, atFeedEnd.get()),
                    cpu);
        }
    }

    /** The JSON value a hop writes: its key, a sequence number and padding to {@code size} bytes. */
    static byte[] message(String key, long seq, String pad) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("key", key);
        node.put("seq", seq);
        node.put("pad", pad);
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Padding that makes {@link #message} about {@code size} bytes long (keys of ~20 characters). */
    static String pad(int size) {
        return "x".repeat(Math.max(0, size - 60));
    }

    private void feed(int items, int size, AtomicReference<Throwable> failure) {
        String pad = pad(size);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < items && failure.get() == null; i++) {
                String key = "relay/item-" + i;
                producer.send(new ProducerRecord<>(topic(1), key, message(key, i, pad)), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private Thread hop(int hop, int fanOut, int size, AtomicBoolean stop, AtomicReference<Throwable> failure) {
        String pad = pad(size);
        Thread t = new Thread(
                () -> {
                    try (KafkaConsumer<String, byte[]> consumer = consumer("hop-" + hop);
                            KafkaProducer<String, byte[]> producer = producer()) {
                        consumer.subscribe(List.of(topic(hop)));
                        long seq = 0;
                        while (!stop.get() && failure.get() == null) {
                            for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                                JsonNode in = Json.tree(r.value());
                                String key = in.path("key").asText();
                                for (int i = 0; i < fanOut; i++) {
                                    producer.send(
                                            new ProducerRecord<>(topic(hop + 1), r.key(), message(key, seq++, pad)),
                                            (m, e) -> {
                                                if (e != null) {
                                                    failure.compareAndSet(null, e);
                                                }
                                            });
                                }
                            }
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                },
                "relay-hop-" + hop);
        t.setDaemon(true);
        return t;
    }

    private String topic(int n) {
        return prefix + "." + (n - 1);
    }

    private void createTopics() {
        try (Admin admin = Admin.create(settings())) {
            List<NewTopic> topics = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                topics.add(new NewTopic(topic(i), partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the relay's topics: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private Properties settings() {
        Properties p = new Properties();
        p.putAll(ClientSettings.forBootstrap(bootstrap));
        return p;
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Properties p = settings();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + "-" + group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = settings();
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** The settings this relay uses, printed beside its figure. */
    public static Map<String, String> describe() {
        return Map.of(
                "clients", "plain kafka-clients, one consumer + one producer per hop, threads of the CLI's JVM",
                "commits", "auto-commit (5 s)",
                "producer", "idempotent, acks=all, linger.ms=5");
    }
}
