package dev.nano.ext.web;

/** The Big5 decoder (Encoding Standard §11.1.1): a lead byte 0x81-0xFE and a trail byte through index Big5. */
final class Big5Decoder extends MultiByteDecoder {
    @Override
    int decodeRun(byte[] bytes, int off, int end, TextOutput out, boolean fatal) {
        int[] index = LegacyIndexes.big5();
        int lead = 0;
        int sequenceStart = off;
        int i = off;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (lead != 0) {
                int pointer = -1;
                if ((b >= 0x40 && b <= 0x7E) || (b >= 0xA1 && b <= 0xFE)) {
                    pointer = (lead - 0x81) * 157 + b - (b < 0x7F ? 0x40 : 0x62);
                }
                lead = 0;
                int codePoint = 0;
                if (pointer >= 0) {
                    if (writeSpecialPointer(pointer, out)) {
                        i++;
                        continue;
                    }
                    codePoint = index[pointer];
                }
                if (codePoint != 0) {
                    out.appendCodePoint(codePoint);
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
            } else if (b >= 0x81 && b <= 0xFE) {
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

    // The four pointers that are a letter with a combining mark, which no single code point is.
    private static boolean writeSpecialPointer(int pointer, TextOutput out) {
        char letter;
        char mark;
        switch (pointer) {
            case 1133 -> { letter = '\u00CA'; mark = '\u0304'; }
            case 1135 -> { letter = '\u00CA'; mark = '\u030C'; }
            case 1164 -> { letter = '\u00EA'; mark = '\u0304'; }
            case 1166 -> { letter = '\u00EA'; mark = '\u030C'; }
            default -> {
                return false;
            }
        }
        out.append(letter);
        out.append(mark);
        return true;
    }
}
