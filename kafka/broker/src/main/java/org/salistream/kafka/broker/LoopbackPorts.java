package org.salistream.kafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The ports {@link EmbeddedKafkaBroker} listens on: free ones found by probing, a requested one checked
 * before Kafka binds it, and a bind failure told apart from other start failures. It is apart from the
 * broker because port probing is plain socket work with no Kafka in it, and the broker's retry on a port
 * taken meanwhile rests on exactly these three answers.
 */
final class LoopbackPorts {

    private LoopbackPorts() {}

    /** Whether {@code e} or one of its causes is a failure to bind a port (taken by someone else). */
    static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    /** Fails fast, with a message people understand, when a requested port is taken (Kafka would log a fatal error). */
    static void requireFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + host + " is already in use (another Kafka?); "
                    + "choose another port, or 0 for a free one");
        }
    }

    /** A port free on {@code host} now; someone else may take it before it is bound. */
    static int free(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port on " + host, e);
        }
    }
}
