package dev.nano.apps;

/**
 * An app's limits from {@code nano.json} ({@code "limits": {...}}); 0 means "the server's default".
 *
 * @param maxBodyBytes largest request body accepted ({@code bodyMb}); larger answers 413
 * @param timeoutMs time the handler has to answer ({@code timeoutMs}); later answers 504
 * @param cpuMs CPU time per request ({@code cpuMs}); validated and kept, not enforced yet
 * @param memoryMb memory per context ({@code memoryMb}); validated and kept, not enforced yet
 */
public record AppLimits(long maxBodyBytes, long timeoutMs, long cpuMs, long memoryMb) {
    public static final AppLimits DEFAULTS = new AppLimits(0, 0, 0, 0);

    public long maxBodyBytesOr(long serverDefault) {
        return maxBodyBytes > 0 ? Math.min(maxBodyBytes, serverDefault) : serverDefault;
    }

    public long timeoutMsOr(long serverDefault) {
        return timeoutMs > 0 ? timeoutMs : serverDefault;
    }
}
