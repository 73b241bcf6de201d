package io.vhba.samples.common.hw;

import io.vhba.hw.AttachedUnit;
import java.util.List;

/**
 * The sample controllers address a logical unit with one byte of target ID and one of LUN (in a
 * slot, a submission entry, a command block), and report the bus's reach in BUS_INFO. This checks
 * the units the platform attaches against that and computes BUS_INFO, the same for every sample.
 */
public final class UnitAddressing {
    private UnitAddressing() {}

    /**
     * The {@link BusInfo} value for {@code units}: the highest target ID + 1 and the highest LUN + 1.
     *
     * @param addressedIn what carries the address, for the message ("a submission entry")
     * @throws IllegalArgumentException for a unit whose target ID or LUN does not fit in a byte
     */
    public static int busInfo(List<AttachedUnit> units, String addressedIn) {
        int targets = 0;
        int luns = 0;
        for (AttachedUnit u : units) {
            if (u.targetId() < 0 || u.targetId() > 255 || u.lun() < 0 || u.lun() > 255) {
                throw new IllegalArgumentException(addressedIn + " addresses target and LUN in one byte each; cannot attach "
                        + u.targetId() + ":" + u.lun());
            }
            targets = Math.max(targets, u.targetId() + 1);
            luns = Math.max(luns, u.lun() + 1);
        }
        return BusInfo.encode(targets, luns);
    }
}
