package io.assay.cli.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.cli.Assay;
import io.assay.contracts.Topics;
import io.assay.kit.kafka.KafkaSettings;
import io.assay.testing.TestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI logs in to a secured cluster with the services' own {@code kafka.*} settings. */
class SecuredClientSettingsTest {
    @TempDir
    Path dir;

    @Test
    void ingestPublishesToASaslBrokerWithTheKafkaSettingsTheServicesUse() throws Exception {
        TestBroker secured = TestBroker.startSecured();
        Map<String, String> login = secured.serviceLogin(TestBroker.SERVICE_USER, TestBroker.SERVICE_PASSWORD);
        try {
            // Given the SCRAM login as kafka.* properties (KAFKA_* variables are read the same way)
            login.forEach((setting, value) -> System.setProperty(KafkaSettings.PREFIX + setting, value));
            String benchmark = "secured-" + System.nanoTime();
            Path file = dir.resolve("items.jsonl");
            Files.writeString(
                    file,
                    "{\"benchmark\":\"" + benchmark + "\",\"itemId\":\"a\",\"publishedAt\":\"2026-11-28T00:00:00Z\","
                            + "\"prompt\":\"2+2?\",\"reference\":{\"value\":4}}\n");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = Assay.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));

            // When it is ingested with only --bootstrap on the command line
            int exit = cli.execute("ingest", "--bootstrap", secured.bootstrapServers(), file.toString());

            // Then it is published, and read back through the same settings
            assertThat(exit).as(err.toString()).isZero();
            List<String> keys = new ArrayList<>();
            TopicReader.readAll(secured.bootstrapServers(), Topics.ITEMS.name(), r -> keys.add(r.key()));
            assertThat(keys).containsExactly(benchmark + "/a");
        } finally {
            login.keySet().forEach(setting -> System.clearProperty(KafkaSettings.PREFIX + setting));
            secured.close();
        }
    }
}
