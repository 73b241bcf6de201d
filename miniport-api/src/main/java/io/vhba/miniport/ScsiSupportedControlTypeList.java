package io.vhba.miniport;

/**
 * {@code SCSI_SUPPORTED_CONTROL_TYPE_LIST}: the parameter of
 * {@link ScsiAdapterControlType#SCSI_QUERY_SUPPORTED_CONTROL_TYPES}. The port sets
 * {@code MaxControlType}; the miniport marks the types it handles.
 */
public final class ScsiSupportedControlTypeList {
    private final int maxControlType;
    private final boolean[] supportedTypeList;

    public ScsiSupportedControlTypeList(int maxControlType) {
        this.maxControlType = maxControlType;
        this.supportedTypeList = new boolean[maxControlType];
    }

    /** {@code MaxControlType}: how many entries the list has. */
    public int maxControlType() {
        return maxControlType;
    }

    /** {@code SupportedTypeList[type] = TRUE}; types beyond MaxControlType are ignored, as a C miniport must. */
    public void setSupported(ScsiAdapterControlType type) {
        if (type.ordinal() < maxControlType) {
            supportedTypeList[type.ordinal()] = true;
        }
    }

    public boolean isSupported(ScsiAdapterControlType type) {
        return type.ordinal() < maxControlType && supportedTypeList[type.ordinal()];
    }
}
