package io.vhba.emulator.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.emulator.kernel.KernelRule;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VerifierRuleTest {

    @Test
    void eachRuleHasItsOwnParameter1WithinItsBugCheckCode() {
        var byCode = Arrays.stream(VerifierRule.values())
                .collect(Collectors.groupingBy(VerifierRule::bugCheckCode, Collectors.mapping(VerifierRule::subCode, Collectors.toList())));
        assertThat(byCode.keySet()).containsExactlyInAnyOrder(0xF1, 0x10D);
        byCode.values().forEach(codes -> assertThat(codes).doesNotHaveDuplicates());
    }

    @Test
    void theKmdfRulesUseWdfBugcodesAndTheStorportOnesWindowsOrVhbaRanges() {
        assertThat(VerifierRule.WDF_VERIFIER_FATAL_ERROR.subCode()).isEqualTo(0x3);
        assertThat(VerifierRule.WDF_INVALID_HANDLE.subCode()).isEqualTo(0x5);
        assertThat(VerifierRule.WDF_VERIFIER_IRQL_MISMATCH.subCode()).isEqualTo(0xE);
        assertThat(VerifierRule.DOUBLE_COMPLETION.subCode()).isEqualTo(0x2004);
        assertThat(VerifierRule.STALL_TOO_LONG.subCode()).isEqualTo(0x2001);
    }

    @Test
    void everyKernelRuleMapsToAVerifierRule() {
        Set<VerifierRule> mapped = EnumSet.noneOf(VerifierRule.class);
        for (KernelRule k : KernelRule.values()) {
            mapped.add(VerifierRule.of(k));
        }
        assertThat(mapped).contains(VerifierRule.IRQL, VerifierRule.WDF_INVALID_HANDLE, VerifierRule.DPC_WATCHDOG);
    }
}
