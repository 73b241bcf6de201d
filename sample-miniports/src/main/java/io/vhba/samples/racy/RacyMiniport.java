package io.vhba.samples.racy;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.StorPort;
import java.util.List;

/**
 * The teaching sample "racy": a virtual miniport with one deliberate race. Its completion DPC checks that a request is
 * still outstanding and removes it in two steps, without the StartIo lock that StartIo (and so the abort and reset
 * paths) holds, so an ABORT TASK or a LUN reset that reaches StartIo while the DPC is between its check and its removal
 * completes the same SRB first: bug check 0xF1/0x2004 (DOUBLE_COMPLETION) or 0x3001 (SRB_USED_AFTER_COMPLETION).
 * Free-running, the window is one lookup wide and a StallExecution away from the abort, and runs almost never hit it;
 * {@code vhba explore --miniport racy} finds it (README, "Exploring schedules").
 */
public final class RacyMiniport implements MiniportDriver {

    @Override
    public String name() {
        return "racy";
    }

    @Override
    public String description() {
        return "Teaching sample: a virtual miniport whose completion DPC races its abort path (for vhba explore)";
    }

    @Override
    public boolean teachingOnly() {
        return true;
    }

    @Override
    public List<String> hardwareIds() {
        return List.of();
    }

    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        RacyIo io = new RacyIo(storPort);
        HwInitializationData<RacyExtension> data = HwInitializationData
                .<RacyExtension>virtualBuilder(RacyExtension::new)
                .taggedQueuing(true)
                .autoRequestSense(true)
                .multipleRequestPerLu(true)
                .needPhysicalAddresses(false)
                .hwFindAdapter(io::findAdapter)
                .hwInitialize(io::initialize)
                .hwStartIo(io::startIo)
                .hwResetBus(io::resetBus)
                .build();
        return storPort.initialize(driverObject, registryPath, data, null);
    }
}
