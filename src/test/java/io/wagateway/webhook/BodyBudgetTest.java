package io.wagateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {

    // 100 bytes in all, 20 of them only for bodies of at most 10 bytes
    private final BodyBudget budget = new BodyBudget(100, 20, 10);

    @Test
    void largeBodiesStopAtTheReserveAndSmallOnesMayUseIt() {
        BodyBudget.Lease first = budget.open();
        assertThat(first.grow(50)).isTrue();
        BodyBudget.Lease second = budget.open();
        assertThat(second.grow(31)).as("81 > 100 - 20").isFalse();
        assertThat(second.grow(30)).isTrue();
        assertThat(budget.used()).isEqualTo(80);

        BodyBudget.Lease small = budget.open();
        assertThat(small.grow(10)).isTrue();
        BodyBudget.Lease tooBigForTheReserve = budget.open();
        assertThat(tooBigForTheReserve.grow(11)).isFalse();
        BodyBudget.Lease alsoSmall = budget.open();
        assertThat(alsoSmall.grow(10)).isTrue();
        assertThat(budget.open().grow(1)).as("nothing left at all").isFalse();
        assertThat(budget.used()).isEqualTo(100);
    }

    @Test
    void aGrowingBodyIsChargedAsLargeOnceItPassesTheSmallSize() {
        BodyBudget.Lease other = budget.open();
        assertThat(other.grow(75)).isTrue();
        BodyBudget.Lease chunked = budget.open();
        assertThat(chunked.grow(5)).isTrue();
        assertThat(chunked.grow(5)).as("10 bytes: still small, may use the reserve").isTrue();
        assertThat(chunked.grow(1)).as("11 bytes: large, and 86 > 80").isFalse();
        assertThat(chunked.bytes()).isEqualTo(10);
        assertThat(budget.used()).isEqualTo(85);
    }

    @Test
    void bytesReturnWhenTheLastHolderReleases() {
        BodyBudget.Lease lease = budget.open();
        assertThat(lease.grow(40)).isTrue();
        assertThat(lease.retain()).isTrue();
        lease.release();
        assertThat(budget.used()).as("the second holder still has the bytes").isEqualTo(40);
        lease.release();
        assertThat(budget.used()).isZero();
        assertThat(lease.retain()).as("a freed lease is not revived").isFalse();
        assertThat(lease.grow(1)).isFalse();
        assertThat(budget.used()).isZero();
    }

    @Test
    void concurrentChargesNeverExceedTheBudget() throws Exception {
        BodyBudget shared = new BodyBudget(1_000, 0, 0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<BodyBudget.Lease> granted = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 400; i++) {
            pool.submit(() -> {
                start.await();
                BodyBudget.Lease lease = shared.open();
                if (lease.grow(7)) {
                    granted.add(lease);
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(granted).hasSize(1_000 / 7);
        assertThat(shared.used()).isEqualTo(granted.size() * 7L);
        granted.forEach(BodyBudget.Lease::release);
        assertThat(shared.used()).isZero();
    }

    @Test
    void aReserveAsLargeAsTheBudgetIsRefused() {
        assertThatThrownBy(() -> new BodyBudget(10, 10, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
