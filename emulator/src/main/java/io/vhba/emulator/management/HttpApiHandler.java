package io.vhba.emulator.management;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the management API: checks the bearer token (before anything else, so an unauthenticated
 * client learns nothing, not even which paths exist), looks the request up in the route table and answers. A
 * handler that waits runs on the worker pool; meanwhile the connection reads no further request, so answers keep
 * the order of the requests. Neither the token nor the Authorization header is ever logged.
 */
final class HttpApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiHandler.class);

    private final RouteTable routes;
    private final BearerToken token;
    private final ExecutorService workers;

    HttpApiHandler(RouteTable routes, BearerToken token, ExecutorService workers) {
        this.routes = routes;
        this.token = token;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            send(ctx, "-", ApiResponse.error(400, "malformed HTTP request"), true);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String what = req.method() + " " + uri.rawPath();
        if (token != null && !token.matches(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            send(ctx, what, ApiResponse.error(401, "a valid 'Authorization: Bearer <token>' header is required")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"vhba\""), false);
            return;
        }
        RouteTable.Match m = routes.match(req.method(), uri.rawPath());
        if (m instanceof RouteTable.Match.NotFound) {
            send(ctx, what, ApiResponse.error(404, "no resource at " + uri.rawPath()), false);
        } else if (m instanceof RouteTable.Match.MethodNotAllowed na) {
            send(ctx, what, ApiResponse.error(405, what + " is not supported; allowed: " + String.join(", ", na.allowed()))
                    .withHeader("Allow", String.join(", ", na.allowed())), false);
        } else if (m instanceof RouteTable.Match.Found f) {
            ApiRequest r = new ApiRequest(req.method(), uri.rawPath(), Map.copyOf(f.params()), uri.parameters(),
                    ByteBufUtil.getBytes(req.content()));
            if (f.route().blocking()) {
                dispatch(ctx, what, f.route(), r);
            } else {
                send(ctx, what, invoke(what, f.route(), r), false);
            }
        }
    }

    /** Runs a waiting handler on the worker pool, with a deadline for the answer; reads nothing meanwhile. */
    private void dispatch(ChannelHandlerContext ctx, String what, RouteTable.Route route, ApiRequest r) {
        AtomicBoolean answered = new AtomicBoolean();
        ctx.channel().config().setAutoRead(false);
        ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
            if (answered.compareAndSet(false, true)) {
                send(ctx, what, ApiResponse.error(503, what + " did not finish within "
                        + ManagementServer.HANDLER_TIMEOUT_MILLIS / 1000 + " s; see GET /operations"), false);
                ctx.channel().config().setAutoRead(true);
            }
        }, ManagementServer.HANDLER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        try {
            workers.execute(() -> {
                ApiResponse res = invoke(what, route, r);
                ctx.executor().execute(() -> {
                    if (answered.compareAndSet(false, true)) {
                        deadline.cancel(false);
                        send(ctx, what, res, false);
                        ctx.channel().config().setAutoRead(true);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            answered.set(true);
            deadline.cancel(false);
            send(ctx, what, ApiResponse.error(503, "too many changes are waiting; retry later"), false);
            ctx.channel().config().setAutoRead(true);
        }
    }

    private static ApiResponse invoke(String what, RouteTable.Route route, ApiRequest r) {
        try {
            return route.handler().handle(r);
        } catch (Exception | LinkageError | AssertionError e) {
            return Errors.toResponse(what, e);
        }
    }

    private static void send(ChannelHandlerContext ctx, String what, ApiResponse r, boolean close) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        r.headers().forEach(res.headers()::set);
        LOG.debug("{} -> {}", what, r.status());
        if (close) {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(res);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("management connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
