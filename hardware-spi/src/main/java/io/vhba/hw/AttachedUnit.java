package io.vhba.hw;

/**
 * A logical unit wired to a controller.
 *
 * @param targetId the SCSI target ID on the controller's bus
 * @param lun      the logical unit number
 * @param unit     the device model
 */
public record AttachedUnit(int targetId, int lun, ScsiLogicalUnit unit) {}
