package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.wagateway.webhook.GroupCommit.Answer;
import io.wagateway.webhook.GroupCommit.Limits;

/** The group commit's scheduling, against a writer the test answers by hand (no database). */
class GroupCommitTest {

    /** A writer whose statements run until the test ends them; answers each item with its upper case. */
    static final class Statements implements GroupCommit.Writer<String, String> {
        final List<List<String>> written = new ArrayList<>();
        final Deque<UniEmitter<? super List<Answer<String>>>> running = new ArrayDeque<>();
        final Deque<List<String>> runningItems = new ArrayDeque<>();

        @Override
        public Uni<List<Answer<String>>> write(List<String> items) {
            written.add(List.copyOf(items));
            return Uni.createFrom().emitter(emitter -> {
                running.add(emitter);
                runningItems.add(items);
            });
        }

        /** Ends the oldest running statement with an answer per item. */
        void commitOldest() {
            List<String> items = runningItems.poll();
            running.poll().complete(items.stream().map(item -> Answer.of(item.toUpperCase())).toList());
        }

        void failOldest(Throwable failure) {
            runningItems.poll();
            running.poll().fail(failure);
        }
    }

    private final Statements statements = new Statements();
    private final List<Integer> batchSizes = new ArrayList<>();

    private GroupCommit<String, String> commit(int batchSize, int concurrency, int maxWaiting, int soloBelow) {
        return new GroupCommit<>(new Limits(batchSize, concurrency, maxWaiting, soloBelow), statements,
                () -> Runnable::run, batchSizes::add);
    }

    private static UniAssertSubscriber<String> submit(GroupCommit<String, String> commit, String item,
            Runnable release) {
        return commit.submit(item, release).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    private static UniAssertSubscriber<String> submit(GroupCommit<String, String> commit, String item) {
        return submit(commit, item, null);
    }

    @Test
    void anIdleCommitWritesEachItemAloneAtOnce() {
        GroupCommit<String, String> commit = commit(8, 1, 10, 0);
        UniAssertSubscriber<String> a = submit(commit, "a");
        assertThat(statements.written).containsExactly(List.of("a"));
        statements.commitOldest();
        a.assertItem("A");
        UniAssertSubscriber<String> b = submit(commit, "b");
        statements.commitOldest();
        b.assertItem("B");
        assertThat(statements.written).containsExactly(List.of("a"), List.of("b"));
        assertThat(batchSizes).containsExactly(1, 1);
    }

    @Test
    void itemsThatWaitAreWrittenTogetherInArrivalOrderUpToTheBatchSize() {
        GroupCommit<String, String> commit = commit(3, 1, 10, 0);
        List<UniAssertSubscriber<String>> answers = new ArrayList<>();
        for (String item : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            answers.add(submit(commit, item));
        }
        assertThat(statements.written).containsExactly(List.of("a"));
        assertThat(commit.waiting()).isEqualTo(7);
        statements.commitOldest();
        assertThat(statements.written).last().isEqualTo(List.of("b", "c", "d"));
        statements.commitOldest();
        assertThat(statements.written).last().isEqualTo(List.of("e", "f", "g"));
        statements.commitOldest();
        assertThat(statements.written).last().isEqualTo(List.of("h"));
        statements.commitOldest();
        assertThat(answers).allSatisfy(answer -> assertThat(answer.getItem()).isNotNull());
        assertThat(answers.get(4).getItem()).isEqualTo("E");
        assertThat(batchSizes).containsExactly(1, 3, 3, 1);
        assertThat(commit.waiting()).isZero();
    }

    @Test
    void underLoadNoMoreStatementsRunThanTheConcurrency() {
        GroupCommit<String, String> commit = commit(2, 2, 20, 0);
        for (int i = 0; i < 9; i++) {
            submit(commit, "m" + i);
        }
        assertThat(statements.running).hasSize(2);
        assertThat(statements.written).containsExactly(List.of("m0"), List.of("m1"));
        statements.commitOldest();
        assertThat(statements.running).hasSize(2);
        assertThat(statements.written).last().isEqualTo(List.of("m2", "m3"));
        statements.commitOldest();
        statements.commitOldest();
        assertThat(statements.running).hasSize(2);
        assertThat(statements.written).hasSize(5);
    }

    @Test
    void underLightLoadEveryItemGetsItsOwnStatementUpToTheThreshold() {
        GroupCommit<String, String> commit = commit(8, 1, 20, 4);
        for (String item : List.of("a", "b", "c", "d", "e", "f")) {
            submit(commit, item);
        }
        // four singles in parallel whatever the concurrency says; then the load is over the threshold
        assertThat(statements.written).containsExactly(List.of("a"), List.of("b"), List.of("c"), List.of("d"));
        assertThat(commit.waiting()).isEqualTo(2);
        statements.commitOldest();
        // three writing, two waiting: over the threshold, and three statements are more than the concurrency
        assertThat(statements.written).hasSize(4);
        // two writing, two waiting: at the threshold again, so singles again
        statements.commitOldest();
        statements.commitOldest();
        statements.commitOldest();
        assertThat(statements.written.subList(4, statements.written.size())).containsExactly(List.of("e"),
                List.of("f"));
    }

    @Test
    void aFullBacklogRefusesAtOnceAndReleasesTheItem() {
        GroupCommit<String, String> commit = commit(8, 1, 2, 0);
        submit(commit, "running");
        submit(commit, "w1");
        submit(commit, "w2");
        AtomicInteger released = new AtomicInteger();
        UniAssertSubscriber<String> refused = submit(commit, "w3", released::incrementAndGet);
        refused.assertFailedWith(GroupCommit.BacklogFull.class);
        assertThat(released).hasValue(1);
        // work of its own shares the bound
        commit.bounded(() -> Uni.createFrom().item("x")).subscribe().withSubscriber(UniAssertSubscriber.create())
                .assertFailedWith(GroupCommit.BacklogFull.class);
        statements.commitOldest();
        assertThat(statements.written).doesNotContain(List.of("w3"));
    }

    @Test
    void boundedWorkCountsAsWaitingUntilItEndsEvenWhenItsCallerGaveUp() {
        GroupCommit<String, String> commit = commit(8, 1, 2, 0);
        AtomicReference<UniEmitter<? super String>> work = new AtomicReference<>();
        UniAssertSubscriber<String> caller = commit.<String> bounded(() -> Uni.createFrom().<String> emitter(work::set))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        assertThat(commit.waiting()).isEqualTo(1);
        caller.cancel();
        assertThat(commit.waiting()).as("the work still runs").isEqualTo(1);
        submit(commit, "running");
        submit(commit, "waits");
        submit(commit, "refused").assertFailedWith(GroupCommit.BacklogFull.class);
        work.get().complete("done");
        assertThat(commit.waiting()).isEqualTo(1);
    }

    @Test
    void aWaiterThatGivesUpLeavesTheQueueAndIsNeverWritten() {
        GroupCommit<String, String> commit = commit(8, 1, 10, 0);
        AtomicInteger releasedRunning = new AtomicInteger();
        AtomicInteger releasedGone = new AtomicInteger();
        UniAssertSubscriber<String> running = submit(commit, "running", releasedRunning::incrementAndGet);
        UniAssertSubscriber<String> gone = submit(commit, "gone", releasedGone::incrementAndGet);
        submit(commit, "stays");
        assertThat(commit.waiting()).isEqualTo(2);
        gone.cancel();
        assertThat(commit.waiting()).isEqualTo(1);
        assertThat(releasedGone).as("its hold ends when it leaves the queue").hasValue(1);
        // the one being written keeps its hold even when its caller gives up
        running.cancel();
        assertThat(releasedRunning).hasValue(0);
        statements.commitOldest();
        assertThat(releasedRunning).hasValue(1);
        assertThat(statements.written).containsExactly(List.of("running"), List.of("stays"));
        assertThat(releasedGone).hasValue(1);
    }

    @Test
    void aWaiterThatTimesOutLeavesTheQueue() {
        GroupCommit<String, String> commit = commit(8, 1, 10, 0);
        submit(commit, "running");
        UniAssertSubscriber<String> late = commit.submit("late", null).ifNoItem()
                .after(java.time.Duration.ofMillis(20)).fail().subscribe().withSubscriber(UniAssertSubscriber.create());
        late.awaitFailure();
        assertThat(commit.waiting()).isZero();
        statements.commitOldest();
        assertThat(statements.written).containsExactly(List.of("running"));
    }

    @Test
    void aFailingStatementFailsOnlyItsOwnWaiters() {
        GroupCommit<String, String> commit = commit(2, 2, 10, 0);
        UniAssertSubscriber<String> first = submit(commit, "a");
        UniAssertSubscriber<String> second = submit(commit, "b");
        List<UniAssertSubscriber<String>> grouped = List.of(submit(commit, "c"), submit(commit, "d"));
        statements.failOldest(new IllegalStateException("outage"));
        first.assertFailedWith(IllegalStateException.class, "outage");
        second.assertNotTerminated();
        // the freed slot took the waiting group
        assertThat(statements.written).last().isEqualTo(List.of("c", "d"));
        statements.commitOldest();
        second.assertItem("B");
        statements.commitOldest();
        grouped.forEach(answer -> assertThat(answer.getItem()).isIn("C", "D"));
    }

    @Test
    void anItemsOwnFailureFailsOnlyThatItem() {
        GroupCommit<String, String> commit = new GroupCommit<>(new Limits(8, 1, 10, 0),
                items -> Uni.createFrom().item(items.stream()
                        .map(item -> item.startsWith("bad") ? Answer.<String> failed(new IllegalArgumentException(item))
                                : Answer.of(item))
                        .toList()),
                () -> Runnable::run, size -> {
                });
        submit(commit, "good").assertItem("good");
        submit(commit, "bad").assertFailedWith(IllegalArgumentException.class, "bad");
    }

    @Test
    void aWriterThatThrowsFreesTheSlotAndAnswersItsWaiters() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        GroupCommit<String, String> commit = new GroupCommit<>(new Limits(8, 1, 10, 0), items -> {
            if (calls.incrementAndGet() == 1) {
                throw new NullPointerException("a bug");
            }
            return Uni.createFrom().item(items.stream().map(Answer::of).toList());
        }, () -> Runnable::run, size -> {
        });
        submit(commit, "first", released::incrementAndGet).assertFailedWith(NullPointerException.class, "a bug");
        assertThat(released).hasValue(1);
        submit(commit, "second").assertItem("second");
        assertThat(commit.waiting()).isZero();
    }

    @Test
    void aWriterThatAnswersTooFewItemsFailsTheUnanswered() {
        GroupCommit<String, String> commit = new GroupCommit<>(new Limits(8, 1, 10, 0),
                items -> Uni.createFrom().item(List.of()), () -> Runnable::run, size -> {
                });
        submit(commit, "x").assertFailedWith(IllegalStateException.class);
        submit(commit, "y").assertFailedWith(IllegalStateException.class);
    }

    @Test
    void eachWaiterIsAnsweredOnTheContextItSubscribedFrom() throws Exception {
        ExecutorService callerA = Executors.newSingleThreadExecutor(r -> new Thread(r, "caller-a"));
        ExecutorService callerB = Executors.newSingleThreadExecutor(r -> new Thread(r, "caller-b"));
        try {
            ThreadLocal<java.util.concurrent.Executor> current = new ThreadLocal<>();
            callerA.submit(() -> current.set(callerA)).get();
            callerB.submit(() -> current.set(callerB)).get();
            GroupCommit<String, String> commit = new GroupCommit<>(new Limits(8, 1, 10, 0), statements, current::get,
                    size -> {
                    });
            AtomicReference<String> threadA = new AtomicReference<>();
            AtomicReference<String> threadB = new AtomicReference<>();
            callerA.submit(() -> commit.submit("a", null).subscribe()
                    .with(item -> threadA.set(Thread.currentThread().getName()))).get();
            callerB.submit(() -> commit.submit("b", null).subscribe()
                    .with(item -> threadB.set(Thread.currentThread().getName()))).get();
            // both statements end on the test's thread (as a database client's would on its own)
            statements.commitOldest();
            statements.commitOldest();
            callerA.submit(() -> {
            }).get();
            callerB.submit(() -> {
            }).get();
            assertThat(threadA).hasValue("caller-a");
            assertThat(threadB).hasValue("caller-b");
        } finally {
            callerA.shutdownNow();
            callerB.shutdownNow();
            assertThat(callerA.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            callerB.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
