package dev.nano.ext.http;

/**
 * Where a body goes that Java moves without JS: a response that passes a fetched body on unread
 * ({@code return fetch(url)}), so that a proxied body costs no JS task per chunk. Every call runs on
 * the context's loop thread.
 */
public interface BodySink {
    /** Who feeds a sink: told when the client can take more, or is gone. */
    interface Source {
        /** The sink has room again after {@link BodySink#write} answered false. */
        void resume();

        /** The sink is gone (client gone, request abandoned): stop, nothing more is written. */
        void cancel();
    }

    /** The sink JS passes back to an op (one {@code ops.pipeSink} made), or null if {@code value} is none. */
    static BodySink from(org.graalvm.polyglot.Value value) {
        return value != null && value.isHostObject() && value.asHostObject() instanceof BodySink sink ? sink : null;
    }

    /** Called once by the source before its first write. */
    void attach(Source source);

    /** The next bytes. True: write more now; false: wait for {@link Source#resume} (or a cancel). */
    boolean write(byte[] bytes);

    /** The body is complete. */
    void end();

    /** The body cannot be completed; {@code message} says why (the response is cut off). */
    void fail(String message);
}
