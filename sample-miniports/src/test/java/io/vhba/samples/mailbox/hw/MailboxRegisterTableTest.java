package io.vhba.samples.mailbox.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.hw.Access;
import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ControllerOptions;
import io.vhba.hw.Register;
import io.vhba.hw.RegisterAccessException;
import io.vhba.hw.RegisterAccessResult;
import io.vhba.hw.Width;
import io.vhba.samples.mailbox.hw.MailboxRegister.Control;
import io.vhba.samples.mailbox.hw.MailboxRegister.Status;
import org.junit.jupiter.api.Test;

class MailboxRegisterTableTest {

    /** The datasheet's table, written out independently of the code that builds it. */
    private static final Object[][] DATASHEET = {
            {"VERSION", 0x000, Access.RO},
            {"CAPS", 0x004, Access.RO},
            {"CONTROL", 0x008, Access.RW},
            {"STATUS", 0x00C, Access.RO},
            {"SLOT_BASE_LO", 0x010, Access.RW},
            {"SLOT_BASE_HI", 0x014, Access.RW},
            {"NUM_SLOTS", 0x018, Access.RW},
            {"NUM_VECTORS", 0x01C, Access.RW},
            {"CQ_BASE_LO", 0x020, Access.RW},
            {"CQ_BASE_HI", 0x024, Access.RW},
            {"CQ_DEPTH", 0x028, Access.RW},
            {"INTR_STATUS", 0x02C, Access.W1C},
            {"INTR_MASK", 0x030, Access.RW},
            {"DOORBELL", 0x034, Access.WO},
            {"ABORT", 0x038, Access.WO},
            {"LUN_RESET", 0x03C, Access.WO},
            {"BUS_INFO", 0x040, Access.RO},
            {"SG_LIMIT", 0x044, Access.RO},
            {"CQ_HEAD[0]", 0x100, Access.WO},
            {"CQ_HEAD[15]", 0x13C, Access.WO},
    };

    private static ControllerBench bench() {
        return new ControllerBench(ControllerOptions.inline(8), 2,
                new AttachedUnit(0, 0, new ScriptedUnit()), new AttachedUnit(2, 3, new ScriptedUnit()));
    }

    @Test
    void everyRegisterSitsAtItsDatasheetOffsetWithItsAccessMode() {
        try (ControllerBench b = bench()) {
            for (Object[] row : DATASHEET) {
                Register r = b.bar0.registerAt((Integer) row[1]);
                assertThat(r).as("%s", row[0]).isNotNull();
                assertThat(r.name()).isEqualTo(row[0]);
                assertThat(r.width()).isEqualTo(Width.DWORD);
                assertThat(r.access()).as("%s", row[0]).isEqualTo(row[2]);
            }
            // 18 single registers and one CQ_HEAD per MSI-X vector: nothing else
            assertThat(b.bar0.registers()).hasSize(18 + MailboxController.MSIX_COUNT);
            assertThat(b.bar0.size()).isEqualTo(4096);
        }
    }

    @Test
    void identificationRegistersDescribeTheDeviceAndItsBus() {
        try (ControllerBench b = bench()) {
            assertThat(b.read(MailboxRegister.VERSION)).isEqualTo(0x0001_0000);
            assertThat(b.read(MailboxRegister.CAPS)).isEqualTo(8 | 16 << 16);
            assertThat(b.read(MailboxRegister.SG_LIMIT)).isEqualTo(512);
            // targets 0 and 2 -> 3 target IDs; LUNs 0 and 3 -> 4 LUNs
            assertThat(b.read(MailboxRegister.BUS_INFO)).isEqualTo(3 | 4 << 16);
            assertThat(b.controller.msixMessageCount()).isEqualTo(16);
            assertThat(b.controller.hardwareId()).isEqualTo("PCI\\VEN_5648&DEV_0001");
        }
    }

    @Test
    void writesToReadOnlyRegistersAreRejectedAndChangeNothing() {
        try (ControllerBench b = bench()) {
            for (MailboxRegister r : new MailboxRegister[] {MailboxRegister.VERSION, MailboxRegister.CAPS,
                    MailboxRegister.STATUS, MailboxRegister.BUS_INFO, MailboxRegister.SG_LIMIT}) {
                int before = b.read(r);
                assertThatThrownBy(() -> b.write(r, 0xFFFF_FFFFL))
                        .isInstanceOfSatisfying(RegisterAccessException.class,
                                e -> assertThat(e.result()).isEqualTo(RegisterAccessResult.WRITE_TO_READ_ONLY));
                assertThat(b.read(r)).isEqualTo(before);
            }
        }
    }

    @Test
    void readsOfWriteOnlyRegistersAreRejected() {
        try (ControllerBench b = bench()) {
            for (int offset : new int[] {0x034, 0x038, 0x03C, 0x100}) {
                assertThatThrownBy(() -> b.bar0.read(offset, Width.DWORD))
                        .isInstanceOfSatisfying(RegisterAccessException.class,
                                e -> assertThat(e.result()).isEqualTo(RegisterAccessResult.READ_OF_WRITE_ONLY));
            }
        }
    }

    @Test
    void undeclaredOffsetsAndWrongWidthsAreRejected() {
        try (ControllerBench b = bench()) {
            assertThatThrownBy(() -> b.bar0.read(0x048, Width.DWORD))
                    .isInstanceOfSatisfying(RegisterAccessException.class,
                            e -> assertThat(e.result()).isEqualTo(RegisterAccessResult.UNDECLARED_OFFSET));
            // CQ_HEAD exists for the 16 implemented vectors only
            assertThatThrownBy(() -> b.bar0.write(0x140, Width.DWORD, 0))
                    .isInstanceOfSatisfying(RegisterAccessException.class,
                            e -> assertThat(e.result()).isEqualTo(RegisterAccessResult.UNDECLARED_OFFSET));
            assertThatThrownBy(() -> b.bar0.read(0x008, Width.BYTE))
                    .isInstanceOfSatisfying(RegisterAccessException.class,
                            e -> assertThat(e.result()).isEqualTo(RegisterAccessResult.WIDTH_MISMATCH));
        }
    }

    @Test
    void intrStatusIsWriteOneToClear() {
        try (ControllerBench b = bench()) {
            b.bar0.setBits("INTR_STATUS", 0b1011); // the device side raises three vectors
            b.write(MailboxRegister.INTR_STATUS, 0b0010);
            assertThat(b.read(MailboxRegister.INTR_STATUS)).isEqualTo(0b1001);
            b.write(MailboxRegister.INTR_STATUS, 0);
            assertThat(b.read(MailboxRegister.INTR_STATUS)).isEqualTo(0b1001);
            b.write(MailboxRegister.INTR_STATUS, 0xFFFF_FFFFL);
            assertThat(b.read(MailboxRegister.INTR_STATUS)).isZero();
        }
    }

    @Test
    void enableLatchesAValidConfigurationAndSetsReady() {
        try (ControllerBench b = bench()) {
            assertThat(b.read(MailboxRegister.STATUS)).isZero();
            b.enable(true);
            assertThat(b.read(MailboxRegister.STATUS)).isEqualTo(Status.READY);
            assertThat(b.read(MailboxRegister.CONTROL)).isEqualTo(Control.ENABLE | Control.INTR_ENABLE | Control.MSIX_ENABLE);
        }
    }

    @Test
    void resetSelfClearsAndRestoresEveryRegister() {
        try (ControllerBench b = bench()) {
            b.enable(true);
            b.write(MailboxRegister.INTR_MASK, 0b11);
            b.write(MailboxRegister.CONTROL, Control.RESET | Control.ENABLE);
            assertThat(b.read(MailboxRegister.CONTROL)).isZero();
            assertThat(b.read(MailboxRegister.STATUS)).isZero();
            assertThat(b.read(MailboxRegister.SLOT_BASE_HI)).isZero();
            assertThat(b.read(MailboxRegister.NUM_SLOTS)).isZero();
            assertThat(b.read(MailboxRegister.CQ_DEPTH)).isZero();
            assertThat(b.read(MailboxRegister.INTR_MASK)).isZero();
            assertThat(b.read(MailboxRegister.CAPS)).isEqualTo(8 | 16 << 16);
            assertThat(b.read(MailboxRegister.BUS_INFO)).isEqualTo(3 | 4 << 16);
            assertThat(b.stat("resets")).isEqualTo(1);
        }
    }

    @Test
    void enableWithMoreSlotsThanCapsIsFatalBadConfigUntilReset() {
        try (ControllerBench b = bench()) {
            b.write(MailboxRegister.NUM_SLOTS, 9); // CAPS.MAX_SLOTS is 8
            b.write(MailboxRegister.NUM_VECTORS, 1);
            b.write(MailboxRegister.CQ_DEPTH, 10);
            b.write(MailboxRegister.CONTROL, Control.ENABLE);
            int status = b.read(MailboxRegister.STATUS);
            assertThat(status & Status.READY).isZero();
            assertThat(status & Status.FATAL).isEqualTo(Status.FATAL);
            assertThat(Status.fatalCode(status)).isEqualTo(FatalCode.BAD_CONFIG);
            b.ring(0); // dropped: not READY
            assertThat(b.stat("doorbells")).isZero();

            b.write(MailboxRegister.CONTROL, Control.RESET);
            assertThat(b.read(MailboxRegister.STATUS)).isZero();
            b.enable(true);
            assertThat(b.read(MailboxRegister.STATUS)).isEqualTo(Status.READY);
        }
    }

    @Test
    void queueDepthNotAboveSlotCountIsBadConfig() {
        try (ControllerBench b = bench()) {
            b.write(MailboxRegister.NUM_SLOTS, 8);
            b.write(MailboxRegister.NUM_VECTORS, 1);
            b.write(MailboxRegister.CQ_DEPTH, 8); // a queue must hold every slot plus one
            b.write(MailboxRegister.CONTROL, Control.ENABLE);
            assertThat(Status.fatalCode(b.read(MailboxRegister.STATUS))).isEqualTo(FatalCode.BAD_CONFIG);
        }
    }

    @Test
    void doorbellOutsideTheSlotArrayIsFatalBadDoorbell() {
        try (ControllerBench b = bench()) {
            b.enable(true);
            b.ring(8);
            int status = b.read(MailboxRegister.STATUS);
            assertThat(status & (Status.READY | Status.FATAL)).isEqualTo(Status.FATAL);
            assertThat(Status.fatalCode(status)).isEqualTo(FatalCode.BAD_DOORBELL);
        }
    }

    @Test
    void cqHeadBeyondTheQueueIsFatalBadCqHead() {
        try (ControllerBench b = bench()) {
            b.enable(true);
            b.write(MailboxRegister.CQ_HEAD, 1, b.depth);
            assertThat(Status.fatalCode(b.read(MailboxRegister.STATUS))).isEqualTo(FatalCode.BAD_CQ_HEAD);
        }
    }
}
