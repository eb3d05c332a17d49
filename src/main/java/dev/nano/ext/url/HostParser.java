package dev.nano.ext.url;

/**
 * URL Standard §3.5 host parsing: domains (through {@link Idna}), IPv4 and IPv6 addresses and
 * opaque hosts, returned already serialized (§3.6), or null for failure.
 */
final class HostParser {
    private HostParser() {}

    /** §3.5 host parser. {@code isOpaque} is "url is not special". */
    static String parse(String input, boolean isOpaque) {
        if (!input.isEmpty() && input.charAt(0) == '[') {
            if (input.charAt(input.length() - 1) != ']' || input.length() < 2) {
                return null; // IPv6-unclosed
            }
            int[] address = parseIpv6(input, 1, input.length() - 1);
            return address == null ? null : "[" + serializeIpv6(address) + "]";
        }
        if (isOpaque) {
            return parseOpaqueHost(input);
        }
        String domain = PercentEncoding.decode(input, false);
        String ascii = Idna.toAscii(domain);
        if (ascii == null) {
            return null;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (isForbiddenDomainCodePoint(ascii.charAt(i))) {
                return null; // domain-invalid-code-point
            }
        }
        if (endsInANumber(ascii)) {
            long ipv4 = parseIpv4(ascii);
            return ipv4 < 0 ? null : serializeIpv4(ipv4);
        }
        return ascii;
    }

    /** §3.2 forbidden host code point. */
    static boolean isForbiddenHostCodePoint(char c) {
        return switch (c) {
            case 0x00, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|' -> true;
            default -> false;
        };
    }

    /** §3.2 forbidden domain code point: forbidden host code points, C0 controls, '%' and DEL. */
    static boolean isForbiddenDomainCodePoint(char c) {
        return c <= 0x1F || c == '%' || c == 0x7F || isForbiddenHostCodePoint(c);
    }

    /** §3.5 opaque-host parser. */
    static String parseOpaqueHost(String input) {
        for (int i = 0; i < input.length(); i++) {
            if (isForbiddenHostCodePoint(input.charAt(i))) {
                return null;
            }
        }
        return PercentEncoding.encode(input, PercentEncoding.C0_CONTROL);
    }

    /** §3.5 ends in a number checker. */
    static boolean endsInANumber(String input) {
        int end = input.length();
        if (end > 0 && input.charAt(end - 1) == '.') {
            if (end == 1) {
                return false;
            }
            end--;
        }
        int start = input.lastIndexOf('.', end - 1) + 1;
        if (start == end) {
            return false;
        }
        boolean digits = true;
        for (int i = start; i < end; i++) {
            char c = input.charAt(i);
            if (c < '0' || c > '9') {
                digits = false;
                break;
            }
        }
        return digits || parseIpv4Number(input, start, end) >= 0;
    }

    /** §3.5 IPv4 parser: the address, or -1 for failure. */
    static long parseIpv4(String input) {
        int end = input.length();
        if (end > 0 && input.charAt(end - 1) == '.' && end > 1) {
            end--; // a trailing empty part is dropped (with a validation error)
        }
        long[] numbers = new long[4];
        int count = 0;
        int start = 0;
        while (true) {
            int dot = input.indexOf('.', start);
            int partEnd = dot < 0 || dot >= end ? end : dot;
            if (count == 4) {
                return -1; // more than four parts
            }
            long n = parseIpv4Number(input, start, partEnd);
            if (n < 0) {
                return -1;
            }
            numbers[count++] = n;
            if (partEnd == end) {
                break;
            }
            start = partEnd + 1;
        }
        for (int i = 0; i < count - 1; i++) {
            if (numbers[i] > 255) {
                return -1;
            }
        }
        if (numbers[count - 1] >= 1L << (8 * (5 - count))) {
            return -1;
        }
        long ipv4 = numbers[count - 1];
        for (int i = 0; i < count - 1; i++) {
            ipv4 += numbers[i] << (8 * (3 - i));
        }
        return ipv4;
    }

    /** §3.5 IPv4 number parser on input[start, end): the value (saturated), or -1 for failure. */
    static long parseIpv4Number(String input, int start, int end) {
        if (start == end) {
            return -1;
        }
        int radix = 10;
        if (end - start >= 2 && input.charAt(start) == '0' && (input.charAt(start + 1) | 0x20) == 'x') {
            start += 2;
            radix = 16;
        } else if (end - start >= 2 && input.charAt(start) == '0') {
            start += 1;
            radix = 8;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int d = Character.digit(input.charAt(i), radix);
            if (d < 0 || input.charAt(i) > 0x7F) {
                return -1;
            }
            // Saturate: anything this large fails the range checks of the IPv4 parser anyway.
            value = Math.min(value * radix + d, 1L << 40);
        }
        return value;
    }

    static String serializeIpv4(long address) {
        return ((address >> 24) & 0xFF) + "." + ((address >> 16) & 0xFF) + "."
                + ((address >> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /** §3.5 IPv6 parser on input[start, end): eight 16-bit pieces, or null for failure. */
    static int[] parseIpv6(String input, int start, int end) {
        int[] address = new int[8];
        int pieceIndex = 0;
        int compress = -1;
        int p = start;
        if (p < end && input.charAt(p) == ':') {
            if (p + 1 >= end || input.charAt(p + 1) != ':') {
                return null;
            }
            p += 2;
            pieceIndex++;
            compress = pieceIndex;
        }
        while (p < end) {
            if (pieceIndex == 8) {
                return null;
            }
            if (input.charAt(p) == ':') {
                if (compress >= 0) {
                    return null;
                }
                p++;
                pieceIndex++;
                compress = pieceIndex;
                continue;
            }
            int value = 0;
            int length = 0;
            while (length < 4 && p < end && PercentEncoding.hexValue(input.charAt(p)) >= 0) {
                value = value * 0x10 + PercentEncoding.hexValue(input.charAt(p));
                p++;
                length++;
            }
            if (p < end && input.charAt(p) == '.') {
                if (length == 0) {
                    return null;
                }
                p -= length;
                if (pieceIndex > 6) {
                    return null;
                }
                int numbersSeen = 0;
                while (p < end) {
                    int ipv4Piece = -1;
                    if (numbersSeen > 0) {
                        if (input.charAt(p) == '.' && numbersSeen < 4) {
                            p++;
                        } else {
                            return null;
                        }
                    }
                    if (p >= end || !isAsciiDigit(input.charAt(p))) {
                        return null;
                    }
                    while (p < end && isAsciiDigit(input.charAt(p))) {
                        int number = input.charAt(p) - '0';
                        if (ipv4Piece < 0) {
                            ipv4Piece = number;
                        } else if (ipv4Piece == 0) {
                            return null;
                        } else {
                            ipv4Piece = ipv4Piece * 10 + number;
                        }
                        if (ipv4Piece > 255) {
                            return null;
                        }
                        p++;
                    }
                    address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
                    numbersSeen++;
                    if (numbersSeen == 2 || numbersSeen == 4) {
                        pieceIndex++;
                    }
                }
                if (numbersSeen != 4) {
                    return null;
                }
                break;
            } else if (p < end && input.charAt(p) == ':') {
                p++;
                if (p >= end) {
                    return null;
                }
            } else if (p < end) {
                return null;
            }
            address[pieceIndex] = value;
            pieceIndex++;
        }
        if (compress >= 0) {
            int swaps = pieceIndex - compress;
            pieceIndex = 7;
            while (pieceIndex != 0 && swaps > 0) {
                int t = address[pieceIndex];
                address[pieceIndex] = address[compress + swaps - 1];
                address[compress + swaps - 1] = t;
                pieceIndex--;
                swaps--;
            }
        } else if (pieceIndex != 8) {
            return null;
        }
        return address;
    }

    /** §3.6 IPv6 serializer: the first longest run (of two or more) of zero pieces becomes "::". */
    static String serializeIpv6(int[] address) {
        int compress = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (address[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && address[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestLength = j - i;
                compress = i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(40);
        boolean ignore0 = false;
        for (int i = 0; i < 8; i++) {
            if (ignore0 && address[i] == 0) {
                continue;
            }
            ignore0 = false;
            if (compress == i) {
                out.append(i == 0 ? "::" : ":");
                ignore0 = true;
                continue;
            }
            out.append(Integer.toHexString(address[i]));
            if (i != 7) {
                out.append(':');
            }
        }
        return out.toString();
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
