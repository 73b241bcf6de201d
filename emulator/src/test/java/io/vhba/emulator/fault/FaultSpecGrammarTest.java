package io.vhba.emulator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link FaultSpec#toGrammar()}: the canonical spec string the management API lists, which parses back to the same fault. */
class FaultSpecGrammarTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "medium-error,lun=0,lba=2048-2055            | medium-error,lun=0,lba=2048-2055",
            "MEDIUM-ERROR, lba=7 ,lun=1                  | medium-error,lun=1,lba=7",
            "never-complete,lun=0,count=1                | never-complete,lun=0,count=1",
            "busy,adapter=mailbox0,lun=2,every=3         | busy,adapter=mailbox0,lun=2,every=3",
            "busy,every=1                                | busy",
            "link-down,once,duration-ms=500              | link-down,duration-ms=500",
            "bus-reset,count=2                           | bus-reset,count=2",
            "interrupt-delay,adapter=mailbox0,delay-ms=5 | interrupt-delay,adapter=mailbox0,delay-ms=5",
            "dma-fail,probability=0.25,seed=7            | dma-fail,probability=0.25,seed=7",
            "sense,lun=0,key=3,asc=11                    | sense,lun=0,key=3,asc=11,ascq=00"})
    void aSpecPrintsCanonicallyAndParsesBackToItself(String given, String canonical) {
        FaultSpec spec = FaultSpecParser.parse(given);
        assertThat(spec.toGrammar()).isEqualTo(canonical);
        assertThat(FaultSpecParser.parse(canonical)).isEqualTo(spec);
    }
}
