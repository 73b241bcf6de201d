package io.vhba.emulator.runtime;

import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.scsi.disk.MediumProgress;
import java.util.Optional;

/**
 * A LUN of a running target.
 *
 * @param config          what it was created from (the configuration file, {@code --lun} or the management API)
 * @param capacityBytes   the capacity now (a resize changes it; {@code config.size()} stays what was asked first)
 * @param outstanding     requests the port holds for it (queued or with the miniport)
 * @param mediumOperation the SANITIZE or FORMAT UNIT running on it, if any
 */
public record LunState(int lun, LunConfig config, long capacityBytes, int blockSize, int outstanding,
                       Optional<MediumProgress> mediumOperation) {}
