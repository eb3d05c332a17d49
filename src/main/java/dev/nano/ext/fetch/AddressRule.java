package dev.nano.ext.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of an app's {@code fetch.allow} or {@code fetch.deny} list: a host name
 * ({@code api.example.com}), a wildcard ({@code *.example.com}: its subdomains), an IP address or a
 * CIDR range ({@code 10.0.0.0/8}, {@code fe80::/10}).
 */
public sealed interface AddressRule {
    Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\\]?");

    boolean matchesHost(String host);

    boolean matchesAddress(InetAddress address);

    /** @throws IllegalArgumentException with a message fit for a config error */
    static AddressRule parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        int slash = s.indexOf('/');
        String ip = slash >= 0 ? s.substring(0, slash) : s;
        if (IP_LITERAL.matcher(ip).matches()) {
            InetAddress base = literal(ip, text);
            int bits = base.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("\"" + text + "\" has an invalid prefix length (0 to " + bits + ")");
                }
            }
            return new Range(base.getAddress(), prefix);
        }
        if (slash >= 0 || !HOST.matcher(s).matches()) {
            throw new IllegalArgumentException("\"" + text
                    + "\" is neither a host name (api.example.com, *.example.com), an IP address nor a CIDR range (10.0.0.0/8)");
        }
        return new Host(s.endsWith(".") ? s.substring(0, s.length() - 1) : s);
    }

    private static InetAddress literal(String ip, String text) {
        String bare = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        try {
            // a literal: InetAddress parses it without any lookup
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid IP address");
        }
    }

    /** An exact host, or with a leading {@code *.} any of its subdomains. */
    record Host(String pattern) implements AddressRule {
        @Override
        public boolean matchesHost(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            if (pattern.startsWith("*.")) {
                return h.endsWith(pattern.substring(1));
            }
            return h.equals(pattern);
        }

        @Override
        public boolean matchesAddress(InetAddress address) {
            return false;
        }
    }

    /** The addresses whose first {@code prefix} bits are those of {@code base}. */
    record Range(byte[] base, int prefix) implements AddressRule {
        @Override
        public boolean matchesHost(String host) {
            return false;
        }

        @Override
        public boolean matchesAddress(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != base.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != base[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (base[full] & mask);
        }
    }
}
