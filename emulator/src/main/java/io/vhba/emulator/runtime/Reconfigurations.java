package io.vhba.emulator.runtime;

import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.runtime.Reconfiguration.Reason;
import io.vhba.emulator.scsi.core.ScsiTargetCore;
import io.vhba.emulator.scsi.core.TargetLun;
import io.vhba.emulator.storport.Adapter;
import io.vhba.emulator.storport.PortLogicalUnit;
import io.vhba.emulator.storport.RestartOutcome;
import io.vhba.miniport.scsi.AdditionalSense;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to a running {@link Vhba}: capacity changes, LUNs added and removed, adapters restarted, and the unit
 * attentions the port's own resets and rescans raise. Every change is serialised by the emulator's one change lock
 * ({@link ChangeLock}) and each wait in it is bounded.
 */
final class Reconfigurations {
    private static final Logger LOG = LoggerFactory.getLogger(Vhba.class); // the log category stays "Vhba"

    private Reconfigurations() {}

    /** The port's resets and rescans reach the initiators as unit attentions on every LUN the engine unit serves. */
    static void establishUnitAttention(Vhba v, PortLogicalUnit unit, AdditionalSense condition) {
        ScsiTargetCore c = v.core;
        if (c == null) {
            return; // still booting: no nexus exists yet
        }
        for (TargetRuntime rt : v.deployed) {
            if (rt.replugging && condition == AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED) {
                continue; // the core raised it for the LUN being added or removed (LunHotPlug)
            }
            for (TargetLun l : rt.target.luns()) {
                if (l.port() == unit) {
                    c.establishUnitAttention(l, condition, null);
                }
            }
        }
    }

    /** See {@link Vhba#resize}. */
    static void resize(Vhba v, String targetIqn, int lun, long newCapacityBytes) {
        TargetRuntime rt;
        try {
            rt = v.runtime(targetIqn);
        } catch (Reconfiguration e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        TargetLun l = rt.target.lun(lun);
        Disks.Unit d = l == null ? null : rt.disks.get(lun);
        if (d == null) {
            throw new IllegalArgumentException("target " + targetIqn + " has no LUN " + lun);
        }
        v.changes.change(Operations.Kind.RESIZE, targetIqn, lun, "to " + newCapacityBytes + " bytes", op -> {
            // the resize would wait for the whole-medium operation's exclusive lock, for minutes
            d.unit().mediumOperation().ifPresent(p -> {
                throw new Reconfiguration(Reason.CONFLICT, String.format("%s LUN %d: a %s is in progress (%.0f%%); "
                        + "resize it when it ends", targetIqn, lun, p.operation(), p.percent()));
            });
            d.unit().resize(newCapacityBytes);
            v.core.establishUnitAttention(l, AdditionalSense.CAPACITY_DATA_HAS_CHANGED, null);
        });
        LOG.info("{} LUN {}: capacity now {} bytes", targetIqn, lun, newCapacityBytes);
    }

    /** See {@link Vhba#addLun}. */
    static void addLun(Vhba v, String targetIqn, LunConfig lun) {
        TargetRuntime rt = v.runtime(targetIqn);
        v.changes.change(Operations.Kind.LUN_ADD, targetIqn, lun.lun(), "add LUN " + lun.lun(), op -> {
            refuseSharedFile(v, lun);
            v.hotPlug.add(rt, lun, op);
        });
    }

    /** Two LUNs on one backing file would write over each other's data: a new LUN's file must be nobody's. */
    private static void refuseSharedFile(Vhba v, LunConfig lun) {
        if (lun.file() == null) {
            return;
        }
        Path wanted = canonical(lun.file());
        for (TargetRuntime other : v.deployed) {
            other.disks.forEach((n, d) -> {
                if (d.config().file() != null && canonical(d.config().file()).equals(wanted)) {
                    throw new Reconfiguration(Reason.CONFLICT, "file " + lun.file() + " already backs " + other.iqn() + " LUN " + n);
                }
            });
        }
    }

    private static Path canonical(String file) {
        Path p = Path.of(file).toAbsolutePath().normalize();
        try {
            return p.toRealPath(); // the same file by another name (a symbolic link) is the same file
        } catch (java.io.IOException e) {
            return p; // not there yet: it cannot be another LUN's
        }
    }

    /** See {@link Vhba#removeLun}. */
    static void removeLun(Vhba v, String targetIqn, int lun) {
        TargetRuntime rt = v.runtime(targetIqn);
        v.changes.change(Operations.Kind.LUN_REMOVE, targetIqn, lun, "remove LUN " + lun,
                op -> v.hotPlug.remove(rt, lun, op));
    }

    /** See {@link Vhba#restartAdapter}. */
    static RestartOutcome restartAdapter(Vhba v, String name, long drainMillis) {
        Adapter a = v.deployed.stream().map(rt -> rt.adapter).filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new Reconfiguration(Reason.NOT_FOUND, "no adapter " + name));
        RestartOutcome[] outcome = new RestartOutcome[1];
        v.changes.run(() -> {
            outcome[0] = a.restartDrained(drainMillis);
            LOG.info("adapter {}: restart requested: {}", name, outcome[0]);
        });
        return outcome[0];
    }

    /** See {@link Vhba#luns}. */
    static List<LunState> luns(Vhba v, String targetIqn) {
        TargetRuntime rt = v.runtime(targetIqn);
        List<LunState> l = new ArrayList<>();
        for (TargetLun tl : rt.target.luns()) {
            Disks.Unit d = rt.disks.get(tl.lun());
            if (d != null) {
                l.add(new LunState(tl.lun(), d.config(), d.unit().config().geometry().capacityBytes(), tl.blockSize(),
                        tl.port().outstanding() + tl.port().pendingCount(), d.unit().mediumOperation()));
            }
        }
        return l;
    }

    /** See {@link Vhba#operations}. */
    static List<Operations.Operation> operations(Vhba v) {
        List<Operations.Operation> l = new ArrayList<>(v.operations.list());
        for (TargetRuntime rt : v.deployed) {
            rt.disks.forEach((lun, d) -> d.unit().mediumOperation().ifPresent(p -> l.add(new Operations.Operation(
                    p.operation() + ":" + rt.iqn() + "/" + lun, Operations.Kind.valueOf(p.operation()), rt.iqn(), lun,
                    Operations.State.RUNNING, p.percent(), null, null, p.operation() + " of the whole medium"))));
        }
        return l;
    }
}
