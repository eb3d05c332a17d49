package dev.nano.ext.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether an app may connect to a host: refuses link-local addresses (169.254.0.0/16, where
 * cloud metadata services answer, and fe80::/10), the ports of NANO's own admin listener on this
 * machine, and the app's {@code deny} list, unless its {@code allow} list names the host or address.
 * Checked on the addresses the host resolves to, every one of them, just before connecting.
 */
public final class AddressGuard {
    private static final List<AddressRule> BUILT_IN = List.of(
            AddressRule.parse("169.254.0.0/16"), AddressRule.parse("fe80::/10"),
            AddressRule.parse("fd00:ec2::254/128")); // AWS's IPv6 metadata address
    /** Ports NANO itself listens on for operators (the admin API): never reachable from apps. */
    private static final Set<Integer> RESERVED_PORTS = ConcurrentHashMap.newKeySet();

    private final List<AddressRule> allow;
    private final List<AddressRule> deny;

    public AddressGuard(FetchPolicy policy) {
        this.allow = rules(policy.allow());
        this.deny = rules(policy.deny());
    }

    private static List<AddressRule> rules(List<String> texts) {
        List<AddressRule> list = new ArrayList<>();
        texts.forEach(t -> list.add(AddressRule.parse(t)));
        return List.copyOf(list);
    }

    /** NANO listens on {@code port} for its operators (admin API): apps may not connect to it locally. */
    public static void reservePort(int port) {
        RESERVED_PORTS.add(port);
    }

    public static void releasePort(int port) {
        RESERVED_PORTS.remove(port);
    }

    /** Null when {@code host}:{@code port} may be reached at every one of {@code addresses}, else why not. */
    public String refusal(String host, int port, InetAddress[] addresses) {
        boolean hostAllowed = allow.stream().anyMatch(r -> r.matchesHost(host));
        if (hostAllowed) {
            return null;
        }
        if (deny.stream().anyMatch(r -> r.matchesHost(host))) {
            return "the host '" + host + "' is on the app's fetch deny list";
        }
        for (InetAddress address : addresses) {
            InetAddress a = unmapped(address);
            if (allow.stream().anyMatch(r -> r.matchesAddress(a))) {
                continue;
            }
            String ip = a.getHostAddress();
            if (deny.stream().anyMatch(r -> r.matchesAddress(a))) {
                return "the address " + ip + " of '" + host + "' is on the app's fetch deny list";
            }
            if (BUILT_IN.stream().anyMatch(r -> r.matchesAddress(a))) {
                return "the address " + ip + " of '" + host + "' is link-local (cloud metadata services live there); "
                        + "add it to the app's fetch.allow list to reach it";
            }
            if (RESERVED_PORTS.contains(port) && isLocal(a)) {
                return "port " + port + " of this machine is NANO's admin API";
            }
        }
        return null;
    }

    /**
     * Looks {@code host} up (off the caller's thread: lookups block) and completes with null when
     * {@code host}:{@code port} may be reached, else with why not (a failed lookup included).
     */
    public CompletableFuture<String> check(String host, int port) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress literal = InetAddress.ofLiteral(bare);
            return CompletableFuture.completedFuture(refusal(bare, port, new InetAddress[] {literal}));
        } catch (IllegalArgumentException notAnAddress) {
            // a name: look it up
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return refusal(bare, port, InetAddress.getAllByName(bare));
            } catch (java.net.UnknownHostException e) {
                return "DNS lookup of '" + bare + "' failed (no such host)";
            }
        }, FetchClients.RESOLVER);
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is checked as the IPv4 address it carries. */
    private static InetAddress unmapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address && isV4Mapped(b)) {
            try {
                return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
            } catch (java.net.UnknownHostException e) {
                return a;
            }
        }
        return a;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
