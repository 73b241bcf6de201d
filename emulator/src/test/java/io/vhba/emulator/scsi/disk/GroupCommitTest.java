package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private static final String THREAD = "test-flush";

    /** A force the test lets through one at a time, recording where each ran. */
    private final Semaphore release = new Semaphore(0);
    private final BlockingQueue<Integer> started = new LinkedBlockingQueue<>();
    private final List<String> ranOn = new CopyOnWriteArrayList<>();
    private volatile IOException failWith;
    private int count;
    private GroupCommit commit;

    private void force() throws IOException {
        ranOn.add(Thread.currentThread().getName());
        if (!Thread.currentThread().getName().equals(THREAD)) {
            return; // a caller running the force itself is not held
        }
        started.add(++count);
        release.acquireUninterruptibly();
        if (failWith != null) {
            throw failWith;
        }
    }

    @AfterEach
    void stop() {
        if (commit != null) {
            release.release(100);
            commit.close();
        }
    }

    @Test
    void aRequestIsAnsweredOnlyByAForceThatBeganAfterItAndOneForceServesAllThatWaited() throws Exception {
        commit = new GroupCommit(this::force, THREAD, GroupCommit.DEFAULT_LIMIT);
        CompletableFuture<Void> a = commit.request();
        assertThat(started.poll(5, TimeUnit.SECONDS)).as("the first force began").isEqualTo(1);

        // B and C arrive while force 1 runs: it may not cover their writes, so it must not answer them.
        CompletableFuture<Void> b = commit.request();
        CompletableFuture<Void> c = commit.request();
        release.release();
        a.get(5, TimeUnit.SECONDS);
        assertThat(started.poll(5, TimeUnit.SECONDS)).as("a second force began for B and C").isEqualTo(2);
        assertThat(b).isNotDone();
        assertThat(c).isNotDone();

        release.release();
        b.get(5, TimeUnit.SECONDS);
        c.get(5, TimeUnit.SECONDS);
        assertThat(commit.forces()).isEqualTo(2);
        assertThat(commit.served()).isEqualTo(3);
        assertThat(ranOn).containsOnly(THREAD);
    }

    @Test
    void aFailedForceFailsEveryRequestItServedAndTheNextForceIsTriedAgain() throws Exception {
        commit = new GroupCommit(this::force, THREAD, GroupCommit.DEFAULT_LIMIT);
        failWith = new IOException("EIO");
        CompletableFuture<Void> a = commit.request();
        started.poll(5, TimeUnit.SECONDS);
        release.release();
        assertThatThrownBy(() -> a.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseReference(failWith);

        failWith = null;
        CompletableFuture<Void> b = commit.request();
        release.release();
        b.get(5, TimeUnit.SECONDS);
        assertThat(commit.forces()).isEqualTo(2);
    }

    @Test
    void pastTheQueueLimitTheCallerRunsTheForceItself() throws Exception {
        commit = new GroupCommit(this::force, THREAD, 1);
        CompletableFuture<Void> a = commit.request();
        started.poll(5, TimeUnit.SECONDS); // force 1 holds the flush thread
        CompletableFuture<Void> b = commit.request(); // waits: the queue now holds its limit
        CompletableFuture<Void> c = commit.request(); // over the limit: forced here, on the test thread
        assertThat(c).isCompleted();
        assertThat(b).isNotDone();
        assertThat(ranOn).containsExactly(THREAD, Thread.currentThread().getName());
        release.release(2);
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS);
    }

    @Test
    void closeAnswersWhatWaitsAndRefusesWhatComesAfter() throws Exception {
        commit = new GroupCommit(this::force, THREAD, GroupCommit.DEFAULT_LIMIT);
        CompletableFuture<Void> a = commit.request();
        started.poll(5, TimeUnit.SECONDS);
        CompletableFuture<Void> b = commit.request();
        release.release(2);
        commit.close();
        assertThat(a).isCompleted();
        assertThat(b).as("answered by a last force before the thread stopped").isCompleted();
        assertThatThrownBy(() -> commit.request().get()).hasCauseInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void noThreadUntilTheFirstRequest() {
        commit = new GroupCommit(this::force, THREAD, GroupCommit.DEFAULT_LIMIT);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals(THREAD));
        commit.request();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals(THREAD));
    }
}
