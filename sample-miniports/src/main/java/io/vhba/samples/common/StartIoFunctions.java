package io.vhba.samples.common;

import io.vhba.miniport.NotificationType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import java.util.EnumMap;

/**
 * HwStorStartIo's table: the work per SRB function, filled once when the driver is set up; a
 * function with no entry is not supported and completes INVALID_REQUEST. Each sample fills it
 * with its own handlers; the lookup allocates nothing per request.
 *
 * @param <E> the sample's device extension
 */
public final class StartIoFunctions<E> {

    /** StartIo's work for one SRB function. */
    @FunctionalInterface
    public interface Handler<E> {
        void start(E ext, Srb srb);
    }

    private final StorPort port;
    private final EnumMap<SrbFunction, Handler<E>> handlers = new EnumMap<>(SrbFunction.class);

    public StartIoFunctions(StorPort port) {
        this.port = port;
    }

    /** Adds {@code handler} for {@code function}; returns this table. */
    public StartIoFunctions<E> on(SrbFunction function, Handler<E> handler) {
        handlers.put(function, handler);
        return this;
    }

    /** Runs the handler of the SRB's function, or completes the SRB INVALID_REQUEST when there is none. */
    public void start(E ext, Srb srb) {
        Handler<E> handler = handlers.get(srb.function());
        if (handler == null) {
            srb.setSrbStatus(SrbStatus.INVALID_REQUEST);
            port.notification(NotificationType.REQUEST_COMPLETE, ext, srb);
        } else {
            handler.start(ext, srb);
        }
    }
}
