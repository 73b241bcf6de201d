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
 *   <li>NextRequest, NextLuRequest: Storport ignores them (it starts requests itself); recorded only.</li>
 *   <li>IoTargetRequestServiceTime: a latency report for Windows' statistics; recorded only.</li>
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
        // Storport starts the next request itself; these scsiport-era calls change nothing but are kept on record.
        table.put(NotificationType.NEXT_REQUEST, (a, args) -> {
            record(engine, a, NotificationType.NEXT_REQUEST, "-", "ignored: Storport issues requests on its own");
            return null;
        });
        table.put(NotificationType.NEXT_LU_REQUEST, (a, args) -> {
            record(engine, a, NotificationType.NEXT_LU_REQUEST, address(args, 0), "ignored: Storport issues requests on its own");
            return null;
        });
        // IoTargetRequestServiceTime(ServiceTime, Srb): a latency report Windows feeds to its I/O statistics.
        table.put(NotificationType.IO_TARGET_REQUEST_SERVICE_TIME, (a, args) -> {
            if (args.length < 2 || !(args[0] instanceof Number t) || !(args[1] instanceof EngineSrb srb)) {
                a.verifyFailed(io.vhba.emulator.verifier.VerifierRule.UNDOCUMENTED_NOTIFICATION,
                        NotificationType.IO_TARGET_REQUEST_SERVICE_TIME.code(), 0,
                        "IoTargetRequestServiceTime needs (service time, SRB)");
                return null;
            }
            record(engine, a, NotificationType.IO_TARGET_REQUEST_SERVICE_TIME,
                    srb.lu == null ? "-" : srb.lu.address(), "service time " + t.longValue() + " (100 ns units)");
            return null;
        });
        table.put(NotificationType.RESET_DETECTED, (a, args) -> {
            record(engine, a, NotificationType.RESET_DETECTED, "-", "bus reset detected by the miniport");
            a.holds.resetHold(a.config.getBusResetHoldTime());
            PortEvents.resetDetected(a);
            return null;
        });
        table.put(NotificationType.BUS_CHANGE_DETECTED, (a, args) -> {
            int path = args.length > 0 && args[0] instanceof Number n ? n.intValue() : SP_UNTAGGED;
            record(engine, a, NotificationType.BUS_CHANGE_DETECTED, path + ":-:-", "bus change; rescanning");
            PortEvents.busChangeDetected(a);
            return null;
        });
        table.put(NotificationType.LINK_DOWN, (a, args) -> {
            record(engine, a, NotificationType.LINK_DOWN, "-", "link down; adapter queue held");
            PortEvents.linkDown(a);
            return null;
        });
        table.put(NotificationType.LINK_UP, (a, args) -> {
            boolean wasDown = a.isLinkDown();
            PortEvents.linkUp(a);
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
            String where = srb instanceof EngineSrb e && e.lu != null ? e.lu.address() : "-";
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
