package io.wagateway.webhook;

import java.util.ArrayList;
import java.util.List;

import io.wagateway.conversation.StatusOutcome;

/**
 * What one delivery's writes committed: the types of the messages stored now, the messages stored before, what
 * each status did and the items kept as dead letters. Counted in the metrics only once committed.
 */
record Written(List<String> storedTypes, int duplicates, List<StatusResult> statuses, int deadLetters,
        int editsApplied) {

    static final Written NOTHING = new Written(List.of(), 0, List.of(), 0);
    static final Written DUPLICATE = new Written(List.of(), 1, List.of(), 0);
    static final Written DEAD_LETTER = new Written(List.of(), 0, List.of(), 1);

    Written(List<String> storedTypes, int duplicates, List<StatusResult> statuses, int deadLetters) {
        this(storedTypes, duplicates, statuses, deadLetters, 0);
    }

    /** What one status did. */
    record StatusResult(String status, StatusOutcome outcome) {
    }

    /** What several writes of one delivery committed together. */
    static Written sum(List<Written> parts) {
        List<String> types = new ArrayList<>();
        List<StatusResult> statuses = new ArrayList<>();
        int duplicates = 0;
        int deadLetters = 0;
        int edits = 0;
        for (Written part : parts) {
            types.addAll(part.storedTypes());
            statuses.addAll(part.statuses());
            duplicates += part.duplicates();
            deadLetters += part.deadLetters();
            edits += part.editsApplied();
        }
        return new Written(types, duplicates, statuses, deadLetters, edits);
    }

    static Written stored(String type) {
        return new Written(List.of(type), 0, List.of(), 0);
    }

    int stored() {
        return storedTypes.size();
    }

    int statusesApplied() {
        return (int) statuses.stream().filter(s -> s.outcome() == StatusOutcome.APPLIED).count();
    }

    int statusesPending() {
        return (int) statuses.stream().filter(s -> s.outcome() == StatusOutcome.PENDING).count();
    }
}
