package io.vhba.emulator.storport;

import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.SynchronizationModel;

/**
 * Storport's queue-management routines for miniports (storport.h; "Storport Queue
 * Management"): adapter and LU pause, busy/ready, and StorPortCompleteRequest. Every call is
 * recorded in the adapter's {@link PortEventLog}. The routines name an LU by address; one the
 * bus scan has not found makes the call return false, as Storport does for an unknown unit.
 */
final class PortQueueServices {
    private PortQueueServices() {}

    static boolean pause(Adapter a, int timeoutSeconds) {
        if (!accepting(a)) {
            return false;
        }
        log(a, "StorPortPause", "-", "timeout " + timeoutSeconds + " s");
        a.holds.pause(timeoutSeconds);
        return true;
    }

    static boolean resume(Adapter a) {
        boolean was = a.holds.resume();
        log(a, "StorPortResume", "-", was ? "resumed" : "was not paused");
        return was;
    }

    static boolean pauseDevice(Adapter a, int pathId, int targetId, int lun, int timeoutSeconds) {
        PortLogicalUnit u = a.logicalUnit(pathId, targetId, lun);
        if (u == null || !accepting(a)) {
            return false;
        }
        log(a, "StorPortPauseDevice", u.address(), "timeout " + timeoutSeconds + " s");
        u.holds.pause(timeoutSeconds);
        return true;
    }

    static boolean resumeDevice(Adapter a, int pathId, int targetId, int lun) {
        PortLogicalUnit u = a.logicalUnit(pathId, targetId, lun);
        if (u == null) {
            return false;
        }
        boolean was = u.holds.resume();
        log(a, "StorPortResumeDevice", u.address(), was ? "resumed" : "was not paused");
        return was;
    }

    static boolean busy(Adapter a, int requestsToComplete) {
        if (!accepting(a)) {
            return false;
        }
        int outstanding = 0;
        for (PortLogicalUnit u : a.allUnits()) {
            outstanding += u.outstanding();
        }
        log(a, "StorPortBusy", "-", requestsToComplete + " to complete, " + outstanding + " outstanding");
        a.holds.busy(requestsToComplete, outstanding);
        return true;
    }

    static boolean ready(Adapter a) {
        boolean was = a.holds.ready();
        log(a, "StorPortReady", "-", was ? "ready" : "was not busy");
        return true; // StorPortReady succeeds whether or not the adapter was busy
    }

    static boolean deviceBusy(Adapter a, int pathId, int targetId, int lun, int requestsToComplete) {
        PortLogicalUnit u = a.logicalUnit(pathId, targetId, lun);
        if (u == null || !accepting(a)) {
            return false;
        }
        log(a, "StorPortDeviceBusy", u.address(), requestsToComplete + " to complete, " + u.outstanding() + " outstanding");
        u.holds.busy(requestsToComplete, u.outstanding());
        return true;
    }

    static boolean deviceReady(Adapter a, int pathId, int targetId, int lun) {
        PortLogicalUnit u = a.logicalUnit(pathId, targetId, lun);
        if (u == null) {
            return false;
        }
        boolean was = u.holds.ready();
        log(a, "StorPortDeviceReady", u.address(), was ? "ready" : "was not busy");
        return true;
    }

    /**
     * {@code StorPortCompleteRequest}: every request the miniport holds for the address
     * completes with {@code status}, exactly as if the miniport had sent RequestComplete for
     * each (so a request it later completes again is a double completion). SP_UNTAGGED (0xFF)
     * in a field matches all; storport.h forbids it for Lun in a full-duplex miniport.
     */
    static void completeRequest(Adapter a, int pathId, int targetId, int lun, SrbStatus status) {
        if (lun == EventNotifications.SP_UNTAGGED
                && a.config.getSynchronizationMode() == SynchronizationModel.FULL_DUPLEX) {
            a.verifyFailed(VerifierRule.COMPLETE_REQUEST_BY_MINIPORT, pathId, targetId,
                    "StorPortCompleteRequest(" + pathId + ", " + targetId + ", SP_UNTAGGED) from a full-duplex miniport");
            return;
        }
        int n = 0;
        for (PortLogicalUnit u : a.allUnits()) {
            if (matches(pathId, u.pathId()) && matches(targetId, u.targetId()) && matches(lun, u.lun())) {
                for (EngineSrb s : u.activeRequests()) {
                    if (s.state == SrbState.MINIPORT) {
                        s.srbStatus = status.code();
                        a.completeFromMiniport(s);
                        n++;
                    }
                }
            }
        }
        log(a, "StorPortCompleteRequest", pathId + ":" + targetId + ":" + lun, n + " request(s) completed with " + status);
    }

    private static boolean matches(int wanted, int actual) {
        return wanted == EventNotifications.SP_UNTAGGED || wanted == actual;
    }

    private static boolean accepting(Adapter a) {
        return a.state == AdapterState.RUNNING || a.state == AdapterState.STARTING;
    }

    private static void log(Adapter a, String routine, String address, String detail) {
        a.eventLog.add(new PortEventLog.Entry(routine, address, detail));
    }
}
