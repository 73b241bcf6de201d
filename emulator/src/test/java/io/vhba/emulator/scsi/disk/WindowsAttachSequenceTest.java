package io.vhba.emulator.scsi.disk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vhba.hw.ScsiResult;
import org.junit.jupiter.api.Test;

/**
 * Windows disk/classpnp attaching a LUN (INITIATORS.md, "What each initiator probes at attach"): VPD 00h, B2h, B0h,
 * B1h, READ CAPACITY(10) then (16), MODE SENSE(6) of every page with allocation length 255, then MODE SELECT(6) of
 * the control page (QERR=0) because the LUN is thin provisioned. The LUN is what runtime.Disks builds by default:
 * 1 GiB of 512-byte blocks in 4096-byte physical blocks (512e), thin, fixed, non-rotating. Every answer is checked
 * byte for byte, in order, on one disk.
 */
class WindowsAttachSequenceTest {

    static final long BLOCKS = 1 << 21;

    final DiskRig rig = new DiskRig(DiskRig.config(512, BLOCKS).withThinProvisioning(true)
            .withGeometry(DiskConfig.Geometry.withPhysicalBlockSize(512, BLOCKS, 4096)));

    @Test
    void attachSequence() {
        // 1. Supported VPD pages: 00h 80h 83h 8Fh B0h B1h B2h, ascending (SPC-4 7.8.13). Windows reads 8Fh
        //    for ODX; it lists EXTENDED COPY (LID1) descriptors only, no ROD token, so Windows stays off ODX.
        assertThat(Hex.of(rig.in(255, DiskRig.inquiry(1, 0x00, 255)).data()))
                .isEqualTo("00000007" + "0080838FB0B1B2");

        // 2. Logical Block Provisioning (SBC-4 6.6.5): LBPU, LBPWS, LBPWS10, LBPRZ 001b; thin provisioned
        assertThat(Hex.of(rig.in(255, DiskRig.inquiry(1, 0xB2, 255)).data()))
                .isEqualTo("00B20004" + "00" + "E4" + "02" + "00");

        // 3. Block Limits (SBC-4 6.6.4)
        assertThat(Hex.of(rig.in(255, DiskRig.inquiry(1, 0xB0, 255)).data())).isEqualTo("00B0003C"
                + "00" + "FF" + "0008"      // WSNZ 0, MAXIMUM COMPARE AND WRITE LENGTH 255, OPTIMAL GRANULARITY 8 (4 KiB)
                + "00004000"                // MAXIMUM TRANSFER LENGTH 16384
                + "00000000" + "00000000"   // OPTIMAL TRANSFER LENGTH, MAXIMUM PREFETCH LENGTH: not reported
                + "00100000" + "00000400"   // MAXIMUM UNMAP LBA COUNT 1 Mi, MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT 1024
                + "00000080" + "00000000"   // OPTIMAL UNMAP GRANULARITY 128 (64 KiB), UGAVALID 0
                + "000000000000FFFF"        // MAXIMUM WRITE SAME LENGTH
                + "00000100"                // MAXIMUM ATOMIC TRANSFER LENGTH 256
                + "00000000" + "00000000"   // ATOMIC ALIGNMENT, ATOMIC TRANSFER LENGTH GRANULARITY
                + "00000000" + "00000000"); // no atomic boundaries

        // 4. Block Device Characteristics (SBC-4 6.6.2): non-rotating, WABEREQ 01b, WACEREQ 01b, FUAB
        assertThat(Hex.of(rig.in(255, DiskRig.inquiry(1, 0xB1, 255)).data()))
                .isEqualTo("00B1003C" + "0001" + "00" + "50" + "02" + "00".repeat(55));

        // 5. READ CAPACITY(10): last LBA 1FFFFFh, 512-byte blocks
        assertThat(Hex.of(rig.in(8, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0).data())).isEqualTo("001FFFFF" + "00000200");

        // 6. READ CAPACITY(16): LBPPBE 3 (512e), LBPME and LBPRZ, lowest aligned LBA 0
        assertThat(Hex.of(rig.in(32, DiskRig.readCapacity16(32)).data()))
                .isEqualTo("00000000001FFFFF" + "00000200" + "00" + "03" + "C000" + "00".repeat(16));

        // 7. MODE SENSE(6), all pages, allocation length 255: 56 bytes fit whole
        String header = "37" + "00" + "10" + "08";          // MODE DATA LENGTH 55, DPOFUA, WP 0, one descriptor
        String descriptor = "00200000" + "00" + "000200";   // 2 Mi blocks of 512 bytes
        String caching = "0812" + "04" + "00".repeat(17);   // WCE
        String control = "0A0A" + "02" + "10" + "00".repeat(8); // GLTSD, QAM 1, QERR 00b, SWP 0
        String exceptions = "1C0A" + "08" + "00".repeat(9);     // DEXCPT
        DiskRig.Result sense = rig.in(255, DiskRig.modeSense6(0, 0x3F, 0, 255));
        assertThat(sense.result()).isEqualTo(ScsiResult.good(56));
        assertThat(Hex.of(sense.data())).isEqualTo(header + descriptor + caching + control + exceptions);

        // 8. MODE SELECT(6), PF: the control page as sensed, PS cleared, QERR 0; then read back unchanged
        byte[] select = Hex.bytes("00000000" + control);
        assertThat(rig.out(select, 0x15, 0x10, 0, 0, select.length, 0).result())
                .isEqualTo(ScsiResult.good(16));
        assertThat(Hex.of(rig.in(255, DiskRig.modeSense6(0x08, 0x0A, 0, 255)).data()))
                .isEqualTo("0F" + "00" + "10" + "00" + control);
    }
}
