package io.vhba.emulator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FaultSpecParserTest {

    @Test
    void mediumErrorOnALunWithAnLbaRangeFiresOnEveryCommandByDefault() {
        FaultSpec s = FaultSpecParser.parse("medium-error,lun=0,lba=2048-2055");
        assertThat(s).isEqualTo(new FaultSpec(FaultKind.MEDIUM_ERROR, new FaultTarget(null, 0), new Trigger.Every(1),
                new LbaRange(2048, 2055), 0, 0, null));
    }

    @Test
    void neverCompleteWithACount() {
        FaultSpec s = FaultSpecParser.parse("never-complete,lun=0,count=1");
        assertThat(s.kind()).isEqualTo(FaultKind.NEVER_COMPLETE);
        assertThat(s.trigger()).isEqualTo(new Trigger.Times(1));
        assertThat(s.target()).isEqualTo(new FaultTarget(null, 0));
    }

    @Test
    void eachKindOfParameterAndTrigger() {
        assertThat(FaultSpecParser.parse("interrupt-delay,adapter=mailbox0,delay-ms=250,every=3")).isEqualTo(new FaultSpec(
                FaultKind.INTERRUPT_DELAY, new FaultTarget("mailbox0", null), new Trigger.Every(3), null, 250, 0, null));
        assertThat(FaultSpecParser.parse("dma-fail,probability=0.25,seed=42").trigger()).isEqualTo(new Trigger.Probability(0.25, 42));
        assertThat(FaultSpecParser.parse("busy,lun=1,once").trigger()).isEqualTo(new Trigger.Once());
        assertThat(FaultSpecParser.parse("link-down,duration-ms=1500")).isEqualTo(new FaultSpec(FaultKind.LINK_DOWN,
                FaultTarget.ENGINE, new Trigger.Once(), null, 0, 1500, null));
        assertThat(FaultSpecParser.parse("medium-error,lba=7").lbas()).isEqualTo(new LbaRange(7, 7));
        assertThat(FaultSpecParser.parse("sense,lun=0,key=3,asc=11,ascq=00").sense())
                .isEqualTo(SenseData.of(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR));
        assertThat(FaultSpecParser.parse("sense,key=0x6,asc=0x29").sense())
                .isEqualTo(SenseData.of(SenseKey.UNIT_ATTENTION, AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty fault spec; expected KIND[,adapter=NAME]",
            "explode,lun=0|unknown fault kind 'explode'; one of: interrupt-delay,",
            "medium-error,lun=0|medium-error needs lba=FIRST[-LAST]",
            "medium-error,lun=0,lba=9-3|medium-error: lba range 9-3 ends before it starts",
            "medium-error,lun=x,lba=1|medium-error: lun 'x' is not a whole number",
            "medium-error,lun=0,lun=1,lba=1|medium-error: lun given twice",
            "never-complete,lun=0,count=0|never-complete: count 0 is outside 1..",
            "never-complete,count=1,every=2|never-complete: give one trigger (once, count=, every= or probability=)",
            "never-complete,seed=3|never-complete: seed= goes with probability=",
            "busy,probability=1.5|busy: probability 1.5 is outside 0..1",
            "busy,lba=3|busy takes no lba= (its parameters: none)",
            "busy,lun|busy: 'lun' is not key=value",
            "busy,,lun=0|busy: empty item at position 2",
            "busy,once=1|busy: once takes no value",
            "interrupt-drop,lun=0|interrupt-drop is aimed at a controller or the engine, not at a LUN: drop lun=",
            "interrupt-delay|interrupt-delay needs delay-ms=N",
            "sense,key=3|sense needs asc=HH",
            "sense,key=3,asc=zz|sense: asc 'zz' is not hexadecimal",
            "sense,key=3,asc=12,ascq=34|sense: ASC/ASCQ 12/34 is not an additional sense code vHBA models",
            "sense,key=c,asc=11|sense: sense key c is reserved",
            "link-down,adapter=|link-down: adapter= needs a name"})
    void aBadSpecIsOneLineNamingTheProblem(String spec, String message) {
        assertThatThrownBy(() -> FaultSpecParser.parse(spec))
                .isInstanceOf(FaultSpecException.class)
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void theHelpListsEveryKind() {
        String help = FaultSpecParser.help();
        for (FaultKind k : FaultKind.values()) {
            assertThat(help).contains("    " + k.cliName());
        }
        assertThat(help).contains("medium-error,lba=FIRST[-LAST]", "sense,key=K,asc=HH,[ascq=HH]");
    }
}
