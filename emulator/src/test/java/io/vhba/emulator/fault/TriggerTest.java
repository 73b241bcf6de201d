package io.vhba.emulator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerTest {

    private static List<Integer> firing(Trigger t, int opportunities) {
        Trigger.Armed a = t.arm();
        List<Integer> l = new ArrayList<>();
        for (int i = 1; i <= opportunities; i++) {
            if (a.fire()) {
                l.add(i);
            }
        }
        return l;
    }

    @Test
    void onceFiresOnTheFirstOpportunityOnly() {
        assertThat(firing(new Trigger.Once(), 5)).containsExactly(1);
    }

    @Test
    void countFiresOnTheFirstNAndIsThenExhausted() {
        Trigger.Armed a = new Trigger.Times(3).arm();
        assertThat(a.exhausted()).isFalse();
        List<Boolean> l = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            l.add(a.fire());
        }
        assertThat(l).containsExactly(true, true, true, false, false);
        assertThat(a.exhausted()).isTrue();
    }

    @Test
    void everyFiresOnEachNth() {
        assertThat(firing(new Trigger.Every(3), 10)).containsExactly(3, 6, 9);
        assertThat(firing(new Trigger.Every(1), 3)).containsExactly(1, 2, 3);
    }

    @Test
    void aSeededProbabilityFiresOnTheSameOpportunitiesEveryTime() {
        List<Integer> first = firing(new Trigger.Probability(0.3, 1234), 200);
        List<Integer> second = firing(new Trigger.Probability(0.3, 1234), 200);
        List<Integer> otherSeed = firing(new Trigger.Probability(0.3, 99), 200);
        assertThat(first).isEqualTo(second);
        assertThat(first).isNotEqualTo(otherSeed);
        assertThat(first.size()).isBetween(40, 80); // about 60 of 200
        assertThat(firing(new Trigger.Probability(0, 1), 100)).isEmpty();
        assertThat(firing(new Trigger.Probability(1, 1), 100)).hasSize(100);
    }
}
