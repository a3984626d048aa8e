package io.assay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.assay.contracts.Topics;
import java.util.List;
import org.junit.jupiter.api.Test;

@RequiresBroker
class TestBrokerTest {

    @Test
    void brokerStartsWithEveryTopicAndRoundTripsRawRecords() throws Exception {
        TestBroker broker = TestBroker.get();
        try (var admin = broker.admin();
                TestClient client = broker.client()) {
            assertThat(admin.listTopics().names().get())
                    .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());

            client.sendRaw("assay.dead-letters", "k", "hello");

            List<String> values = client.readAllRaw("assay.dead-letters").stream()
                    .map(r -> new String(r.value()))
                    .toList();
            assertThat(values).contains("hello");
        }
    }
}
