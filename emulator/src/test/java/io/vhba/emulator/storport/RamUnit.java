package io.vhba.emulator.storport;

import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiLogicalUnit;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.scsi.AdditionalSense;
import io.vhba.miniport.scsi.SenseData;
import io.vhba.miniport.scsi.SenseKey;
import java.nio.ByteBuffer;

/** Just enough of a disk for engine tests: INQUIRY, READ(10), WRITE(10) on 512-byte blocks. */
final class RamUnit implements ScsiLogicalUnit {
    final byte[] data;

    RamUnit(int blocks) {
        data = new byte[blocks * 512];
    }

    @Override
    public ScsiResult execute(ScsiCommand c) {
        byte[] cdb = c.cdb();
        switch (c.opcode()) {
            case 0x12 -> {
                byte[] inq = new byte[36];
                inq[2] = 6;
                inq[3] = 2;
                inq[4] = 31;
                int n = Math.min(Math.min(cdb[4] & 0xFF, 36), c.data().length());
                c.data().writeDataIn(0, ByteBuffer.wrap(inq, 0, n));
                return ScsiResult.good(n);
            }
            case 0x28, 0x2A -> {
                long lba = ((cdb[2] & 0xFFL) << 24) | ((cdb[3] & 0xFF) << 16) | ((cdb[4] & 0xFF) << 8) | (cdb[5] & 0xFF);
                int blocks = ((cdb[7] & 0xFF) << 8) | (cdb[8] & 0xFF);
                int n = Math.min(blocks * 512, c.data().length());
                if ((lba + blocks) * 512 > data.length) {
                    return ScsiResult.checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST,
                            AdditionalSense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE));
                }
                if (c.opcode() == 0x28) {
                    c.data().writeDataIn(0, ByteBuffer.wrap(data, (int) lba * 512, n));
                } else {
                    c.data().readDataOut(0, ByteBuffer.wrap(data, (int) lba * 512, n));
                }
                return ScsiResult.good(n);
            }
            default -> {
                return ScsiResult.checkCondition(SenseData.of(SenseKey.ILLEGAL_REQUEST,
                        AdditionalSense.INVALID_COMMAND_OPERATION_CODE));
            }
        }
    }
}
