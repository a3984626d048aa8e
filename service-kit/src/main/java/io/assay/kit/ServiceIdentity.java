package io.assay.kit;

import java.util.Objects;

/**
 * Who this process is: the service's name, which is its CloudEvents {@code ce_source}, its dead-letter
 * stage, the stem of its Kafka client ids and of its meters, and its replica's instance id, which makes
 * its consumer-group membership static (a restarted replica takes its partitions back at once instead
 * of waiting for its old self's session to time out).
 *
 * @param name the service, e.g. {@code judge} ({@code assay.service})
 * @param instanceId the replica, e.g. the pod name ({@code assay.instance-id}, from {@code ASSAY_INSTANCE_ID})
 */
public record ServiceIdentity(String name, String instanceId) {

    /** Validates both parts: they end up in client ids and group instance ids. */
    public ServiceIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instanceId, "instanceId");
        if (name.isBlank() || instanceId.isBlank()) {
            throw new IllegalArgumentException("the service name and instance id must not be blank");
        }
    }

    /** The {@code ce_source} of every event this service emits, e.g. {@code /assay/judge}. */
    public String source() {
        return "/assay/" + name;
    }

    /** The prefix of this service's meters, e.g. {@code assay.judge.}. */
    public String meterPrefix() {
        return "assay." + name + ".";
    }

    /** The Kafka {@code client.id} of one of this replica's clients, e.g. {@code assay-judge-registry-pod-1}. */
    public String clientId(String role) {
        return "assay-" + name + "-" + role + "-" + instanceId;
    }

    /**
     * The {@code group.instance.id} of this replica in its consumer groups: the same after a restart, so
     * the broker hands the restarted process the partitions of the process it replaces.
     */
    public String groupInstanceId() {
        return "assay-" + name + "-" + instanceId;
    }
}
