package dev.nano.ext.web;

/**
 * The gb18030 decoder (Encoding Standard §10.2.1), which is also GBK's decoder (§10.1.1): one byte
 * for ASCII and 0x80 (U+20AC), two bytes through index gb18030, four bytes through index gb18030
 * ranges.
 */
final class Gb18030Decoder extends MultiByteDecoder {
    @Override
    int decodeRun(byte[] bytes, int off, int end, TextOutput out, boolean fatal) {
        char[] index = LegacyIndexes.gb18030();
        int first = 0;
        int second = 0;
        int third = 0;
        int sequenceStart = off;
        int i = off;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (third != 0) {
                if (b < 0x30 || b > 0x39) {
                    // Restore « second, third, byte »: they are the two bytes before this one.
                    i -= 2;
                    first = second = third = 0;
                    if (fatal) {
                        return FAILED;
                    }
                    out.append(TextOutput.REPLACEMENT);
                    continue;
                }
                i++;
                int codePoint = LegacyIndexes.gb18030RangesCodePoint(
                        (first - 0x81) * 12600 + (second - 0x30) * 1260 + (third - 0x81) * 10 + b - 0x30);
                first = second = third = 0;
                if (codePoint < 0) {
                    if (fatal) {
                        return FAILED;
                    }
                    out.append(TextOutput.REPLACEMENT);
                } else {
                    out.appendCodePoint(codePoint);
                }
                continue;
            }
            if (second != 0) {
                if (b >= 0x81 && b <= 0xFE) {
                    third = b;
                    i++;
                    continue;
                }
                // Restore « second, byte »: second is the byte before this one.
                i--;
                first = second = 0;
                if (fatal) {
                    return FAILED;
                }
                out.append(TextOutput.REPLACEMENT);
                continue;
            }
            if (first != 0) {
                if (b >= 0x30 && b <= 0x39) {
                    second = b;
                    i++;
                    continue;
                }
                int lead = first;
                first = 0;
                char c = 0;
                if ((b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFE)) {
                    c = index[(lead - 0x81) * 190 + b - (b < 0x7F ? 0x40 : 0x41)];
                }
                if (c != 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                if (b >= 0x80) {
                    i++; // an ASCII byte is restored: decoded again on its own
                }
                if (fatal) {
                    return FAILED;
                }
                out.append(TextOutput.REPLACEMENT);
                continue;
            }
            sequenceStart = i++;
            if (b < 0x80) {
                out.append((char) b);
            } else if (b == 0x80) {
                out.append('\u20AC');
            } else if (b != 0xFF) {
                first = b;
            } else {
                if (fatal) {
                    return FAILED;
                }
                out.append(TextOutput.REPLACEMENT);
            }
        }
        return first != 0 ? sequenceStart : end;
    }
}
