package io.vhba.emulator.iscsi.session;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vhba.emulator.iscsi.codec.IscsiPduDecoder;
import io.vhba.emulator.iscsi.codec.IscsiPduEncoder;
import io.vhba.emulator.iscsi.codec.MalformedPdu;
import io.vhba.emulator.iscsi.login.ConnectionParameters;
import io.vhba.emulator.iscsi.login.Digest;
import io.vhba.emulator.iscsi.login.LoginOutcome;
import io.vhba.emulator.iscsi.login.LoginSequenceNumbers;
import io.vhba.emulator.iscsi.login.LoginStateMachine;
import io.vhba.emulator.iscsi.login.LoginStatus;
import io.vhba.emulator.iscsi.login.LoginStep;
import io.vhba.emulator.iscsi.login.NegotiatedLogin;
import io.vhba.emulator.iscsi.login.SessionBinding;
import io.vhba.emulator.iscsi.login.SessionParameters;
import io.vhba.emulator.iscsi.login.SessionType;
import io.vhba.emulator.iscsi.pdu.InitiatorPdu;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.Reject;
import io.vhba.emulator.iscsi.pdu.TargetPdu;
import io.vhba.emulator.limits.Limit;
import io.vhba.emulator.scsi.core.ScsiTarget;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One iSCSI connection on its event loop: the login phase (RFC 7143 §6) through
 * {@link LoginStateMachine}, then the full feature phase through {@link FullFeaturePhase}.
 * Writes are batched: they go out when the current read burst or task ends, not one by one.
 */
public final class IscsiConnectionHandler extends ChannelInboundHandlerAdapter implements ConnectionIo {
    private static final Logger LOG = LoggerFactory.getLogger(IscsiConnectionHandler.class);

    private final PortalContext portal;
    private ChannelHandlerContext ctx;
    private LoginStateMachine login;
    private FullFeaturePhase ffp;
    private Session boundSession;
    private int loginCmdSn;
    private boolean loginCmdSnKnown;
    private int statSn = 1;
    private boolean inRead;
    private boolean flushPending;
    private boolean flushScheduled;
    private boolean closing;
    private long lastReadNanos;
    private ScheduledFuture<?> loginTimer;
    private ScheduledFuture<?> pingTimer;
    private LoginsInProgress.Slot loginSlot;
    /** Reading is paused because the initiator does not read what we send (channel not writable). */
    private boolean readPaused;

    public IscsiConnectionHandler(PortalContext portal) {
        this.portal = portal;
        this.lastReadNanos = portal.nanoTime().getAsLong();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext c) {
        this.ctx = c;
    }

    @Override
    public void channelActive(ChannelHandlerContext c) {
        LoginSequenceNumbers numbers = new LoginSequenceNumbers() {
            @Override
            public int nextStatSN() {
                return statSn++;
            }

            @Override
            public int expCmdSN(int cmdSn) {
                return cmdSn;
            }

            @Override
            public int maxCmdSN(int cmdSn) {
                return cmdSn + SessionRegistry.WINDOW - 1;
            }
        };
        login = new LoginStateMachine(portal.policy(), portal.resolver(), numbers, this::bind, portal.random().get());
        // Slowloris: the timer runs from accept, so it covers a connection that sends nothing, half a header, or a
        // login it never finishes; the slot lets a flood of such connections make room for real initiators.
        loginTimer = c.executor().schedule(() -> {
            if (ffp == null && !closing) {
                portal.events().reached(Limit.LOGIN_TIMEOUT, () -> c.channel().remoteAddress() + " did not finish its login within "
                        + portal.loginTimeoutMillis() + " ms");
                closeAfterFlush("login timeout");
            }
        }, portal.loginTimeoutMillis(), TimeUnit.MILLISECONDS);
        Object listener = c.channel().parent() != null ? c.channel().parent().localAddress() : c.channel().localAddress();
        loginSlot = portal.logins().begin(listener, String.valueOf(c.channel().remoteAddress()), () -> c.channel().close());
        c.fireChannelActive();
    }

    /** The session layer's half of the final login step (RFC 7143 §6.3): new session or reinstatement. */
    private SessionBinding bind(NegotiatedLogin l) {
        if (!l.leading()) {
            // MaxConnections is 1: a second connection cannot join a session.
            if (portal.registry().session(l.requestedTsih()) == null) {
                return new SessionBinding.Refused(LoginStatus.SESSION_DOES_NOT_EXIST);
            }
            portal.events().reached(Limit.CONNECTIONS_PER_SESSION, () -> l.initiatorName() + " tried a second connection"
                    + " to TSIH " + l.requestedTsih());
            return new SessionBinding.Refused(LoginStatus.TOO_MANY_CONNECTIONS);
        }
        ScsiTarget target = l.targetName().map(portal.catalog()::target).orElse(null);
        if (l.sessionType() == SessionType.NORMAL && target == null) {
            return new SessionBinding.Refused(LoginStatus.NOT_FOUND);
        }
        boundSession = portal.registry().open(l.isid(), l.initiatorName(), l.sessionType(), target, loginCmdSn);
        if (boundSession == null) {
            return new SessionBinding.Refused(LoginStatus.OUT_OF_RESOURCES); // a session limit (logged by the registry)
        }
        return new SessionBinding.Bound(boundSession.tsih());
    }

    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
        io.vhba.emulator.trace.Tracer tr = portal.trace();
        if (tr == null) {
            read(msg);
            return;
        }
        long begin = tr.now();
        String name = "iSCSI " + msg.getClass().getSimpleName();
        try {
            read(msg);
        } finally {
            tr.complete(name, "iscsi", begin);
        }
    }

    @Override
    public io.vhba.emulator.trace.Tracer trace() {
        return portal.trace();
    }

    private void read(Object msg) {
        inRead = true;
        lastReadNanos = portal.nanoTime().getAsLong();
        if (msg instanceof MalformedPdu m) {
            onMalformed(m);
        } else if (closing) {
            ((InitiatorPdu) msg).release();
        } else if (ffp != null) {
            ffp.onPdu((InitiatorPdu) msg);
        } else {
            onLoginPhase((InitiatorPdu) msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext c) {
        inRead = false;
        if (flushPending) {
            flushPending = false;
            c.flush();
        }
    }

    private void onLoginPhase(InitiatorPdu pdu) {
        LoginStep step;
        if (pdu instanceof LoginRequest r) {
            if (!loginCmdSnKnown) {
                loginCmdSn = r.cmdSN();
                loginCmdSnKnown = true;
            }
            int cid = r.cid();
            step = login.onRequest(r);
            login.limitReached().ifPresent(l -> portal.events().reached(l, () -> ctx.channel().remoteAddress() + ": login refused at "
                    + l.key() + " (" + l.what() + ")"));
            send(step.response());
            if (step.outcome() instanceof LoginOutcome.Complete done) {
                portal.registry().metrics().login(LoginStatus.SUCCESS);
                enterFullFeaturePhase(done.login(), cid);
            }
        } else {
            step = login.onNonLoginPdu(pdu);
            send(step.response());
        }
        if (step.outcome() instanceof LoginOutcome.Fail fail) {
            portal.registry().metrics().login(fail.status());
            LOG.info("{}: login failed: {} ({})", ctx.channel().remoteAddress(), fail.status(), fail.reason());
            closeAfterFlush("login failed");
        }
        flushSoon();
    }

    private void enterFullFeaturePhase(NegotiatedLogin l, int cid) {
        SessionParameters sp = l.session().orElse(SessionParameters.defaults());
        ConnectionParameters cp = l.connection();
        IoParameters io = new IoParameters(cp.initiatorMaxRecvDataSegmentLength(), cp.targetMaxRecvDataSegmentLength(),
                sp.maxBurstLength(), sp.effectiveFirstBurstLength(), sp.initialR2T(), sp.immediateData(),
                sp.maxOutstandingR2T(), sp.dataPduInOrder(), sp.dataSequenceInOrder(), sp.errorRecoveryLevel(),
                cp.headerDigest() == Digest.CRC32C, cp.dataDigest() == Digest.CRC32C);
        // Digests start with the first PDU after the final login response (RFC 7143 §13.1); the
        // response was encoded already, and the decoder switches at the next PDU boundary.
        IscsiPduEncoder enc = ctx.pipeline().get(IscsiPduEncoder.class);
        IscsiPduDecoder dec = ctx.pipeline().get(IscsiPduDecoder.class);
        enc.headerDigest(io.headerDigest()).dataDigest(io.dataDigest());
        dec.headerDigest(io.headerDigest()).dataDigest(io.dataDigest()).maxRecvDataSegmentLength(io.targetMaxRecvDataSegmentLength());
        ffp = new FullFeaturePhase(this, boundSession, portal.registry(), portal.catalog(), io, cid, portal.limits(),
                portal.events(), portal.policy().textLimits());
        loginTimer.cancel(false);
        portal.logins().end(loginSlot);
        LOG.info("{}: {} in full feature phase ({})", ctx.channel().remoteAddress(), boundSession, io);
        if (portal.nopInIntervalMillis() > 0) {
            long interval = portal.nopInIntervalMillis();
            pingTimer = ctx.executor().scheduleAtFixedRate(this::keepalive, interval, Math.max(100, interval / 2), TimeUnit.MILLISECONDS);
        }
    }

    /** Pings an idle initiator; drops the connection when a ping stays unanswered (RFC 7143 §11.19). */
    private void keepalive() {
        if (ffp == null || closing) {
            return;
        }
        long now = portal.nanoTime().getAsLong();
        long idle = now - lastReadNanos;
        if (idle >= TimeUnit.MILLISECONDS.toNanos(portal.nopInIntervalMillis())
                && !ffp.ping(now, TimeUnit.MILLISECONDS.toNanos(portal.nopInTimeoutMillis()))) {
            LOG.warn("{}: NOP-In unanswered for {} ms, closing", ctx.channel().remoteAddress(), portal.nopInTimeoutMillis());
            closeAfterFlush("NOP-In timeout");
        }
    }

    private void onMalformed(MalformedPdu m) {
        LOG.warn("{}: malformed PDU: {}", ctx.channel().remoteAddress(), m);
        if (ffp == null) {
            // Before full feature phase there is no Reject to send: a broken login closes the connection.
            closeAfterFlush("malformed PDU during login");
            return;
        }
        Session s = ffp.session();
        send(new Reject(m.reason().code(), nextStatSn(), s.window.expCmdSn(), s.window.maxCmdSn(), 0, RejectedHeader.of(m.bhs())));
        if (m.closeConnection()) {
            closeAfterFlush("malformed PDU: " + m.detail());
        } else {
            flushSoon();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
        closing = true;
        portal.logins().end(loginSlot);
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        if (pingTimer != null) {
            pingTimer.cancel(false);
        }
        if (ffp != null) {
            ffp.connectionLost();
        } else if (boundSession != null) {
            portal.registry().close(boundSession, "connection lost during login");
        }
        c.fireChannelInactive();
    }

    /**
     * Back pressure: while the initiator leaves our answers unread (more than the write buffer limit queued), we stop
     * reading its commands, so it cannot make us buffer without bound; we read again once the queue drains below
     * the low-water mark.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) {
        boolean writable = c.channel().isWritable();
        if (!writable && !readPaused) {
            readPaused = true;
            c.channel().config().setAutoRead(false);
            portal.events().reached(Limit.CONNECTION_WRITE_BUFFER, () -> c.channel().remoteAddress() + " leaves more than "
                    + c.channel().config().getWriteBufferHighWaterMark() + " bytes unread; reading from it paused");
        } else if (writable && readPaused) {
            readPaused = false;
            c.channel().config().setAutoRead(true);
        }
        c.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
        LOG.warn("{}: connection error, closing: {}", c.channel().remoteAddress(), cause.toString());
        c.close();
    }

    // ---- ConnectionIo -------------------------------------------------------------------

    @Override
    public void send(TargetPdu pdu) {
        ctx.write(pdu, ctx.voidPromise());
    }

    @Override
    public void send(TargetPdu pdu, Runnable written) {
        ctx.write(pdu).addListener(f -> written.run());
    }

    @Override
    public void flushSoon() {
        if (inRead) {
            flushPending = true;
        } else if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(() -> {
                flushScheduled = false;
                ctx.flush();
            });
        }
    }

    @Override
    public int nextStatSn() {
        return statSn++;
    }

    @Override
    public int currentStatSn() {
        return statSn;
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public void closeAfterFlush(String reason) {
        if (closing && !ctx.channel().isActive()) {
            return;
        }
        closing = true;
        LOG.debug("{}: closing: {}", ctx.channel().remoteAddress(), reason);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public String remoteAddress() {
        InetSocketAddress a = (InetSocketAddress) ctx.channel().remoteAddress();
        return a == null ? "-" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public String localPortal() {
        InetSocketAddress a = (InetSocketAddress) ctx.channel().localAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
