package io.assay.cli.kafka;

import io.assay.contracts.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-JVM KRaft broker that clients reach only through a TCP forwarding proxy, which a test can
 * close (connections refused, open ones cut) and open again on the same port: a broker that is
 * unreachable for as long as the test says. The broker advertises the proxy's address, so clients
 * never go round it after bootstrap.
 */
final class ProxiedBroker implements AutoCloseable {
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final int port;
    private final KafkaClusterTestKit cluster;
    private volatile InetSocketAddress target;
    private volatile ServerSocket server;

    ProxiedBroker(List<Topic<?, ?>> topics) throws Exception {
        port = listen(0);
        Path dir = Files.createTempDirectory(
                Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), "kraft-proxied-");
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dir)
                        .build())
                .setConfigProp("advertised.listeners", "EXTERNAL://" + bootstrapServers())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setDeleteOnClose(true)
                .build();
        cluster.format();
        cluster.startup();
        String direct = cluster.bootstrapServers().split(",")[0];
        target = new InetSocketAddress(
                direct.substring(0, direct.lastIndexOf(':')),
                Integer.parseInt(direct.substring(direct.lastIndexOf(':') + 1)));
        cluster.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(topics.stream()
                            .map(t -> new NewTopic(t.name(), 3, (short) 1))
                            .toList())
                    .all()
                    .get();
        }
    }

    /** The proxy's address: the only one clients know. */
    String bootstrapServers() {
        return loopback.getHostAddress() + ":" + port;
    }

    /** Makes the broker unreachable: new connections are refused and open ones cut. */
    synchronized void cut() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }

    /** Makes the broker reachable again, on the same port. */
    synchronized void restore() throws IOException {
        listen(port);
    }

    private synchronized int listen(int wanted) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(loopback, wanted));
        server = s;
        Thread accept = new Thread(() -> accept(s), "proxy-accept");
        accept.setDaemon(true);
        accept.start();
        return s.getLocalPort();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                if (target == null) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                // A connection accepted just before cut() must not outlive it: cut() closes the server
                // and the registered sockets under this lock, so register only while the server is open.
                synchronized (this) {
                    if (s.isClosed()) {
                        closeQuietly(client);
                        closeQuietly(upstream);
                        continue;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // Closed by cut(), or the broker is starting: the client retries.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // One side closed: close both below.
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() throws Exception {
        cut();
        cluster.close();
    }
}
