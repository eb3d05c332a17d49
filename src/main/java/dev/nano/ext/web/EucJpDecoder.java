package dev.nano.ext.web;

/**
 * The EUC-JP decoder (Encoding Standard §12.1.1): 0x8E and a byte for halfwidth katakana, two bytes
 * 0xA1-0xFE through index jis0208, and 0x8F followed by two such bytes through index jis0212.
 */
final class EucJpDecoder extends MultiByteDecoder {
    @Override
    int decodeRun(byte[] bytes, int off, int end, TextOutput out, boolean fatal) {
        int lead = 0;
        boolean jis0212 = false;
        int sequenceStart = off;
        int i = off;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (lead == 0x8E && b >= 0xA1 && b <= 0xDF) {
                lead = 0;
                out.append((char) (0xFF61 - 0xA1 + b));
                i++;
                continue;
            }
            if (lead == 0x8F && b >= 0xA1 && b <= 0xFE) {
                jis0212 = true;
                lead = b;
                i++;
                continue;
            }
            if (lead != 0) {
                char c = 0;
                if (lead >= 0xA1 && lead <= 0xFE && b >= 0xA1 && b <= 0xFE) {
                    char[] index = jis0212 ? LegacyIndexes.jis0212() : LegacyIndexes.jis0208();
                    c = index[(lead - 0xA1) * 94 + b - 0xA1];
                }
                lead = 0;
                jis0212 = false;
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
            } else if (b == 0x8E || b == 0x8F || (b >= 0xA1 && b <= 0xFE)) {
                lead = b;
            } else {
                if (fatal) {
                    return FAILED;
                }
                out.append(TextOutput.REPLACEMENT);
            }
        }
        return lead != 0 ? sequenceStart : end;
    }
}
