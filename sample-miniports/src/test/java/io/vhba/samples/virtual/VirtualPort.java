package io.vhba.samples.virtual;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.ScsiBus;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.samples.common.FakeSrb;
import io.vhba.samples.common.HarnessPort;
import java.util.List;

/**
 * A single-threaded Storport for the virtual miniport: no device, no interrupt; StartIo and
 * DPCs run on the test thread, DPCs when the test says. Anything a virtual miniport has no
 * business calling (registers, device base, uncached extension, physical addresses) fails the
 * test, as does a Storport rule the sample cites: {@link HarnessPort} is exactly such a port,
 * this class only adds the virtual start-up and the SRBs the tests send.
 */
final class VirtualPort extends HarnessPort<VirtualExtension> {

    VirtualPort() {
        super(512);
    }

    /** DriverEntry, then VIRTUAL_HW_FIND_ADAPTER with {@code busInformation}, HwInitialize (no lock), passive init. */
    FindAdapterStatus start(Object busInformation) {
        return startAdapter(new VirtualMiniport(), "virtual", "\\Registry\\virtual",
                () -> new PortConfigurationInformation(0, InterfaceType.INTERNAL, List.of(), 0, true), busInformation);
    }

    FindAdapterStatus start(AttachedUnit... units) {
        return start(new ScsiBus(List.of(units)));
    }

    /** An SRB to LUN {@code lun} with a fresh data buffer of {@code length} bytes (none for 0), 100 bytes into its first page. */
    FakeSrb srb(int lun, byte[] cdb, int flags, int length) {
        MemoryBuffer buffer = length == 0 ? null : dataBuffer((length + 4095) / 4096 + 1, 100, length);
        FakeSrb s = srb(cdb, flags, buffer, length);
        s.lun = lun;
        return s;
    }

    /** StartIo (the port would hold the StartIo lock: the sample takes no lock of its own). */
    @Override
    public void startIo(FakeSrb srb) {
        if (data.hwBuildIo() != null) {
            throw new AssertionError("the virtual sample has no BuildIo");
        }
        super.startIo(srb);
    }

    /** storport.h: a virtual miniport registers a VIRTUAL_HW_INITIALIZATION_DATA. */
    @Override
    protected void checkRegistration(HwInitializationData<?> d) {
        if (!d.isVirtual()) {
            throw new AssertionError("the virtual sample must register a VIRTUAL_HW_INITIALIZATION_DATA");
        }
    }
}
