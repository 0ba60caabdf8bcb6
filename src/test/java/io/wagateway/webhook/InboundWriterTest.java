package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.wagateway.conversation.InboundRow;
import io.wagateway.support.Poison;
import io.wagateway.webhook.GroupCommit.Answer;
import io.wagateway.webhook.InboundWriter.Outcome;

/** The group commit's writer against the real database: one row per wamid, fallback one by one, dead letters. */
@QuarkusTest
class InboundWriterTest {

    @Inject
    InboundWriter writer;
    @Inject
    Pool pool;

    @BeforeEach
    void poison() {
        Poison.install();
    }

    private static InboundRow row(String wamid, String content) {
        String phone = "35" + Math.floorMod(UUID.randomUUID().getMostSignificantBits(), 1_000_000_000L);
        return new InboundRow(phone, "Writer", phone, "118234567890123", Instant.ofEpochSecond(1768466400), wamid,
                content, "text", "{\"message\":{}}");
    }

    private static String wamid() {
        return "wamid.WRITER" + UUID.randomUUID();
    }

    private Uni<Long> count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> rows.iterator().next().getLong(0));
    }

    private static List<Outcome> outcomes(List<Answer<Outcome>> answers) {
        answers.forEach(answer -> assertThat(answer.failure()).isNull());
        return answers.stream().map(Answer::value).toList();
    }

    @Test
    @RunOnVertxContext
    void aGroupWritesOneRowPerWamidAndAnswersEveryItemInOrder(UniAsserter asserter) {
        String twice = wamid();
        String once = wamid();
        InboundRow first = row(twice, "hello");
        InboundRow copy = new InboundRow(first.waId(), first.displayName(), first.phoneNumber(), first.phoneNumberId(),
                first.timestamp(), twice, "hello", "text", first.metadataJson());
        asserter.assertThat(() -> writer.write(List.of(first, row(once, "other"), copy)),
                answers -> assertThat(outcomes(answers)).containsExactly(Outcome.STORED, Outcome.STORED,
                        Outcome.DUPLICATE));
        asserter.assertThat(() -> writer.write(List.of(row(once, "again"))),
                answers -> assertThat(outcomes(answers)).containsExactly(Outcome.DUPLICATE));
        asserter.assertEquals(() -> count("select count(*) from whatsapp_messages where message_id in ($1, $2)",
                twice, once), 2L);
    }

    @Test
    @RunOnVertxContext
    void aRefusedGroupIsWrittenOneByOneAndOnlyThePoisonedMessageBecomesADeadLetter(UniAsserter asserter) {
        String good = wamid();
        String poisoned = wamid();
        String alsoGood = wamid();
        asserter.assertThat(() -> writer.write(List.of(row(good, "fine"), row(poisoned, Poison.content("22021")),
                row(alsoGood, "fine too"))),
                answers -> assertThat(outcomes(answers)).containsExactly(Outcome.STORED, Outcome.DEAD_LETTER,
                        Outcome.STORED));
        asserter.assertEquals(() -> count("select count(*) from whatsapp_messages where message_id in ($1, $2)", good,
                alsoGood), 2L);
        asserter.assertEquals(() -> count("select count(*) from whatsapp_dead_letters where wamid = $1 and sqlstate = "
                + "'22021'", poisoned), 1L);
    }

    @Test
    @RunOnVertxContext
    void aLoneMessageRefusedForItsDataIsKeptAsADeadLetterAndItsCopiesAreNotCountedTwice(UniAsserter asserter) {
        String poisoned = wamid();
        InboundRow row = row(poisoned, Poison.content("22P05"));
        asserter.assertThat(() -> writer.write(List.of(row, row)),
                answers -> assertThat(outcomes(answers)).containsExactly(Outcome.DEAD_LETTER, Outcome.DROPPED));
        asserter.assertEquals(() -> count("select count(*) from whatsapp_dead_letters where wamid = $1", poisoned), 1L);
    }
}
