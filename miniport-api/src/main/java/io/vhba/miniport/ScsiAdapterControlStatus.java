package io.vhba.miniport;

/** {@code SCSI_ADAPTER_CONTROL_STATUS}. */
public enum ScsiAdapterControlStatus {
    SCSI_ADAPTER_CONTROL_SUCCESS,
    SCSI_ADAPTER_CONTROL_UNSUCCESSFUL
}
