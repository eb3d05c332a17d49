package dev.nano.ext.web;

/**
 * The Shift_JIS decoder (Encoding Standard §12.3.1): ASCII and 0x80 as themselves, 0xA1-0xDF as
 * halfwidth katakana, and lead bytes 0x81-0x9F and 0xE0-0xFC with a trail byte through index jis0208
 * (pointers 8836-10715 being the end-user-defined characters U+E000-U+E757).
 */
final class ShiftJisDecoder extends MultiByteDecoder {
    @Override
    int decodeRun(byte[] bytes, int off, int end, TextOutput out, boolean fatal) {
        char[] index = LegacyIndexes.jis0208();
        int lead = 0;
        int sequenceStart = off;
        int i = off;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (lead != 0) {
                char c = 0;
                if ((b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFC)) {
                    int pointer = (lead - (lead < 0xA0 ? 0x81 : 0xC1)) * 188 + b - (b < 0x7F ? 0x40 : 0x41);
                    c = pointer >= 8836 && pointer <= 10715 ? (char) (0xE000 - 8836 + pointer) : index[pointer];
                }
                lead = 0;
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
            if (b <= 0x80) {
                out.append((char) b);
            } else if (b >= 0xA1 && b <= 0xDF) {
                out.append((char) (0xFF61 - 0xA1 + b));
            } else if (b <= 0x9F || (b >= 0xE0 && b <= 0xFC)) {
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
