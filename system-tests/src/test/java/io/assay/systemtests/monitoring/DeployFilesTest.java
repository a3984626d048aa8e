package io.assay.systemtests.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assay.contracts.Topic;
import io.assay.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files under {@code deploy/} that need no running service: dashboards Grafana can load, and a
 * Compose file whose topics are the contract's. (MonitoringIT checks them against running services.)
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of(System.getProperty("assay.repo", ".."))
            .toAbsolutePath()
            .normalize()
            .resolve("deploy");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDashboardIsValidJsonWithItsOwnTitleAUniqueUidAndAQueryInEveryPanel() throws IOException {
        // Given the dashboards Grafana provisions
        List<Path> files;
        try (Stream<Path> list = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(3);

        // Then each parses, has its own uid, and every non-row panel queries the datasource variable
        List<String> uids = new ArrayList<>();
        for (Path f : files) {
            JsonNode dashboard = JSON.readTree(f.toFile());
            uids.add(dashboard.path("uid").asText());
            // its own title, not one of its panels' (Grafana lists dashboards by it)
            List<String> panelTitles = new ArrayList<>();
            dashboard
                    .path("panels")
                    .forEach(p -> panelTitles.add(p.path("title").asText()));
            assertThat(dashboard.path("title").asText())
                    .as(f.getFileName() + ": title")
                    .startsWith("Assay")
                    .isNotIn(panelTitles);
            for (JsonNode panel : dashboard.path("panels")) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String title = f.getFileName() + ": " + panel.path("title").asText();
                assertThat(panel.path("datasource").path("uid").asText())
                        .as(title)
                        .isEqualTo("${datasource}");
                assertThat(panel.path("targets")).as(title).isNotEmpty();
                panel.path("targets")
                        .forEach(t ->
                                assertThat(t.path("expr").asText()).as(title).isNotBlank());
            }
        }
        assertThat(uids).doesNotHaveDuplicates().doesNotContain("");
    }

    @Test
    void theComposeFileCreatesEveryContractTopicWithItsCleanupPolicy() throws IOException {
        // When the Compose file's topic list is read
        String compose = Files.readString(DEPLOY.resolve("compose/docker-compose.yml"));
        Map<String, String> created = new TreeMap<>();
        Matcher m =
                Pattern.compile("(?m)^\\s+t (assay\\.\\S+) (compact|delete)").matcher(compose);
        while (m.find()) {
            created.put(m.group(1), m.group(2));
        }

        // Then it is exactly Topics.ALL, compacted where the contract says so
        assertThat(created)
                .isEqualTo(Topics.ALL.stream()
                        .collect(Collectors.toMap(
                                Topic::name, t -> t.compacted() ? "compact" : "delete", (a, b) -> a, TreeMap::new)));
        assertThat(compose).contains("--partitions " + Topics.PARTITIONS);
    }
}
