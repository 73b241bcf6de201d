package io.vhba.emulator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link FaultSpec#toGrammar()} is the grammar form a deterministic record keeps: parsing it gives the same spec. */
class FaultSpecRoundTripTest {

    @Test
    void everyKindOfSpecParsesBackToItself() {
        for (String spec : new String[] {"medium-error,lun=0,lba=2048-2055", "never-complete,lun=0,count=1",
                "interrupt-delay,adapter=mailbox0,probability=0.25,seed=9,delay-ms=3", "busy,every=4",
                "sense,lun=1,once,key=3,asc=11", "link-down,duration-ms=50", "dma-delay,delay-ms=2"}) {
            FaultSpec parsed = FaultSpecParser.parse(spec);
            assertThat(FaultSpecParser.parse(parsed.toGrammar())).as(spec).isEqualTo(parsed);
        }
    }
}
