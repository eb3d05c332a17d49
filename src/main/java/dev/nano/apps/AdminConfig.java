package dev.nano.apps;

/**
 * The admin API's listener ({@code "admin": {...}} in nano.json).
 *
 * @param host interface to bind; loopback unless configured otherwise
 * @param port port, or -1 when the admin API is off (0: an ephemeral port)
 * @param token bearer token required on every admin call but /healthz and /readyz; null: none
 */
public record AdminConfig(String host, int port, String token) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final AdminConfig OFF = new AdminConfig(DEFAULT_HOST, -1, null);

    public boolean enabled() {
        return port >= 0;
    }
}
