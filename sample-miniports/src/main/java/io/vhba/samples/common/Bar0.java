package io.vhba.samples.common;

import io.vhba.miniport.AccessRange;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.StorPort;
import io.vhba.samples.common.hw.RegisterArray;

/**
 * A sample controller's BAR0 as its miniport reaches it: {@code StorPortReadRegisterUlong} /
 * {@code StorPortWriteRegisterUlong} at the mapped base plus the datasheet offset of a
 * {@link RegisterArray register}. The mailbox, ring and halfduplex miniports map and use their
 * BAR0 the same way; what they write where is each sample's own.
 */
public record Bar0(StorPort port, Object deviceExtension, long base) {

    /**
     * The first step of HwStorFindAdapter (PASSIVE_LEVEL): the first access range must be memory
     * of at least {@code minimumLength} bytes, mapped with {@code StorPortGetDeviceBase}. Null
     * when the port gave no such range: FindAdapter answers SP_RETURN_BAD_CONFIG.
     */
    public static Bar0 map(StorPort port, Object deviceExtension, PortConfigurationInformation config, int minimumLength) {
        if (config.getAccessRanges().isEmpty()) {
            return null;
        }
        AccessRange bar0 = config.getAccessRanges().get(0);
        if (!bar0.rangeInMemory() || bar0.rangeLength() < minimumLength) {
            return null;
        }
        long base = port.getDeviceBase(deviceExtension, config.getAdapterInterfaceType(), config.getSystemIoBusNumber(),
                bar0.rangeStart(), bar0.rangeLength(), false);
        return new Bar0(port, deviceExtension, base);
    }

    public int read(RegisterArray register) {
        return port.readRegisterUlong(deviceExtension, base + register.offset());
    }

    public void write(RegisterArray register, int value) {
        port.writeRegisterUlong(deviceExtension, base + register.offset(), value);
    }

    /** Element {@code index} of a register array, such as {@code CQ_HEAD[v]} or {@code SQ_TAIL[q]}. */
    public void write(RegisterArray register, int index, int value) {
        port.writeRegisterUlong(deviceExtension, base + register.offset(index), value);
    }
}
