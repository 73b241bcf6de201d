package io.vhba.emulator.management;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;

import io.vhba.emulator.iscsi.session.Session;
import io.vhba.emulator.runtime.Vhba;
import java.util.Comparator;
import java.util.Locale;

/**
 * {@code /sessions}: the live iSCSI sessions, and dropping one. A drop is what LIO does for an administrator: the
 * target sends an Async Message "target requests Logout" (RFC 7143 §11.9.1, AsyncEvent 1) with
 * {@value #LOGOUT_GRACE_SECONDS} s in Parameter3, and ends the session itself if the initiator has not logged out
 * by then. The answer (202) comes at once; the session is gone when the initiator logs out or the grace ends.
 */
final class SessionResources {
    /** Parameter3 of the logout request: the seconds the initiator has to log out. */
    static final int LOGOUT_GRACE_SECONDS = 2;

    private SessionResources() {}

    record SessionView(int tsih, String isid, String initiator, String target, String type, String portal,
                       String remoteAddress, String loginTime, long commands) {
        static SessionView of(Session s) {
            return new SessionView(s.tsih(), String.format("0x%012x", s.isid()), s.initiatorName(),
                    s.target() == null ? null : s.target().name(), s.type().name().toLowerCase(Locale.ROOT), s.portal(),
                    s.remoteAddress(), s.loginTime().toString(), s.commands());
        }
    }

    record DropView(int tsih, boolean logoutRequested, int graceSeconds) {}

    static void register(RouteTable t, Vhba v) {
        t.add(GET, "/sessions", r -> ApiResponse.ok(v.sessions().sessions().stream()
                .sorted(Comparator.comparingInt(Session::tsih)).map(SessionView::of).toList()));
        t.add(GET, "/sessions/{tsih}", r -> {
            Session s = v.sessions().session((int) r.longParam("tsih", 1, 0xFFFF));
            if (s == null) {
                throw ApiException.notFound("no session with TSIH " + r.param("tsih"));
            }
            return ApiResponse.ok(SessionView.of(s));
        });
        t.add(DELETE, "/sessions/{tsih}", r -> {
            int tsih = (int) r.longParam("tsih", 1, 0xFFFF);
            if (!v.sessions().requestLogout(tsih, LOGOUT_GRACE_SECONDS)) {
                throw ApiException.notFound("no session with TSIH " + tsih);
            }
            return ApiResponse.json(202, new DropView(tsih, true, LOGOUT_GRACE_SECONDS));
        });
    }
}
