package dev.nano.server;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.netty.channel.ChannelHandlerContext;

/**
 * What the last handler of a pipeline (the app listener's and the admin listener's) does with an
 * exception that reached it, instead of Netty's "reached the tail of the pipeline" warning: a connection
 * reset or broken by the client (ECONNRESET, EPIPE) is routine and closed quietly; anything else is a
 * bug of ours, logged once with the peer, and the connection is closed.
 */
final class ConnectionFailures {
    private ConnectionFailures() {}

    static void close(ChannelHandlerContext ctx, Throwable cause, Logger log) {
        if (cause instanceof IOException) {
            log.log(Level.FINE, "connection from " + ctx.channel().remoteAddress() + " failed: " + cause);
        } else {
            log.log(Level.WARNING, "closing the connection from " + ctx.channel().remoteAddress() + " after an error: " + cause, cause);
        }
        ctx.close();
    }
}
