package io.vhba.emulator.storport;

import io.vhba.miniport.NotificationType;
import io.vhba.miniport.Srb;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StorPortNotification types that report an event rather than ask for a service. Each
 * has an effect someone can observe: every one is logged, counted
 * ({@code vhba.storport.notifications}) and kept in the adapter's {@link PortEventLog}; those
 * with a Storport-side consequence also have it:
 * <ul>
 *   <li>ResetDetected: new requests are held for BusResetHoldTime (PORT_CONFIGURATION_INFORMATION);
 *       the miniport still completes what it holds (STORPORT.md).</li>
 *   <li>BusChangeDetected(PathId): the port enumerates the bus again (REPORT LUNS, INQUIRY), so
 *       a LUN that appeared becomes visible.</li>
 *   <li>LinkDown / LinkUp: the adapter queue is held until the link comes back.</li>
 *   <li>WMIEvent, WMIReregister, BufferOverrunDetected: Windows turns these into a WMI event, a
 *       WMI re-registration and an error-log entry; vHBA has no WMI, so the record is the effect.</li>
 * </ul>
 */
final class EventNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(EventNotifications.class);
    /** {@code SP_UNTAGGED}: "all" in an address field. */
    static final int SP_UNTAGGED = 0xFF;

    private EventNotifications() {}

    static void install(Map<NotificationType, Notifications.Handler> table, StorportEngine engine) {
        table.put(NotificationType.RESET_DETECTED, (a, args) -> {
            record(engine, a, NotificationType.RESET_DETECTED, "-", "bus reset detected by the miniport");
            a.holds.resetHold(a.config.getBusResetHoldTime());
            return null;
        });
        table.put(NotificationType.BUS_CHANGE_DETECTED, (a, args) -> {
            int path = args.length > 0 && args[0] instanceof Number n ? n.intValue() : SP_UNTAGGED;
            record(engine, a, NotificationType.BUS_CHANGE_DETECTED, path + ":-:-", "bus change; rescanning");
            engine.kernel().execute(engine.kernel().processor(0), () -> new BusScan(a).run().whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warn("{}: rescan after BusChangeDetected failed", a.name(), e);
                } else {
                    LOG.info("{}: rescan after BusChangeDetected: {} logical unit(s)", a.name(), a.logicalUnits().size());
                }
            }));
            return null;
        });
        table.put(NotificationType.LINK_DOWN, (a, args) -> {
            record(engine, a, NotificationType.LINK_DOWN, "-", "link down; adapter queue held");
            a.holds.linkDown();
            return null;
        });
        table.put(NotificationType.LINK_UP, (a, args) -> {
            boolean wasDown = a.holds.linkUp();
            record(engine, a, NotificationType.LINK_UP, "-", wasDown ? "link up; adapter queue released" : "link up (was not down)");
            return null;
        });
        table.put(NotificationType.WMI_EVENT, (a, args) -> {
            Object event = args.length > 0 ? args[0] : null;
            record(engine, a, NotificationType.WMI_EVENT, address(args, 1), "WMI event " + describe(event));
            return null;
        });
        table.put(NotificationType.WMI_REREGISTER, (a, args) -> {
            record(engine, a, NotificationType.WMI_REREGISTER, address(args, 0), "WMI re-registration requested");
            return null;
        });
        table.put(NotificationType.BUFFER_OVERRUN_DETECTED, (a, args) -> {
            Srb srb = args.length > 0 && args[0] instanceof Srb s ? s : null;
            String where = srb == null ? "-" : srb.pathId() + ":" + srb.targetId() + ":" + srb.lun();
            record(engine, a, NotificationType.BUFFER_OVERRUN_DETECTED, where, "buffer overrun detected"
                    + (srb == null ? "" : " on " + srb));
            return null;
        });
    }

    /** {@code PathId[, TargetId, Lun]} from {@code args[from]}: target and LUN follow only when PathId is not SP_UNTAGGED. */
    private static String address(Object[] args, int from) {
        if (args.length <= from || !(args[from] instanceof Number p)) {
            return "-";
        }
        if (p.intValue() == SP_UNTAGGED) {
            return "adapter";
        }
        String t = args.length > from + 1 && args[from + 1] instanceof Number n ? n.toString() : "-";
        String l = args.length > from + 2 && args[from + 2] instanceof Number n ? n.toString() : "-";
        return p + ":" + t + ":" + l;
    }

    private static String describe(Object event) {
        if (event == null) {
            return "(none)";
        }
        if (event instanceof byte[] b) {
            return "(" + b.length + " bytes)";
        }
        return event.toString();
    }

    static void record(StorportEngine engine, Adapter a, NotificationType type, String address, String detail) {
        String routine = "StorPortNotification(" + type + ")";
        a.eventLog.add(new PortEventLog.Entry(routine, address, detail));
        PortMetrics.notification(engine, a, type.name());
        LOG.info("{}: {} {}: {}", a.name(), routine, address, detail);
    }
}
