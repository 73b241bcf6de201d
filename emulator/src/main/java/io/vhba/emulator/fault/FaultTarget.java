package io.vhba.emulator.fault;

/**
 * What a fault is aimed at: one LUN ({@code lun}, on every adapter unless {@code adapter} names
 * one), a controller ({@code adapter} only) or the engine (neither: every adapter).
 *
 * @param adapter the adapter name (for example {@code mailbox0}), or null for every adapter
 * @param lun     the LUN, or null for every LUN
 */
public record FaultTarget(String adapter, Integer lun) {

    public static final FaultTarget ENGINE = new FaultTarget(null, null);

    public FaultTarget {
        if (lun != null && (lun < 0 || lun > 16383)) {
            throw new IllegalArgumentException("lun must be within 0..16383, got " + lun);
        }
    }

    public boolean aims(String adapterName, int unitLun) {
        return (adapter == null || adapter.equals(adapterName)) && (lun == null || lun == unitLun);
    }

    public boolean aimsAdapter(String adapterName) {
        return adapter == null || adapter.equals(adapterName);
    }

    @Override
    public String toString() {
        if (adapter == null && lun == null) {
            return "engine";
        }
        return (adapter == null ? "every adapter" : "adapter " + adapter) + (lun == null ? "" : " lun " + lun);
    }
}
