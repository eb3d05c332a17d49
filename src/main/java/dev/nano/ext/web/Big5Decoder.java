package dev.nano.ext.web;

/** The Big5 decoder (Encoding Standard §11.1.1): a lead byte 0x81-0xFE and a trail byte through index Big5. */
final class Big5Decoder extends TwoByteDecoder {
    @Override
    int single(int b) {
        return b < 0x80 ? b : b >= 0x81 && b <= 0xFE ? LEAD : ERROR;
    }

    @Override
    boolean pair(int lead, int b, TextOutput out) {
        if (!((b >= 0x40 && b <= 0x7E) || (b >= 0xA1 && b <= 0xFE))) {
            return false;
        }
        int pointer = (lead - 0x81) * 157 + b - (b < 0x7F ? 0x40 : 0x62);
        if (writeSpecialPointer(pointer, out)) {
            return true;
        }
        int codePoint = LegacyIndexes.big5()[pointer];
        if (codePoint == 0) {
            return false;
        }
        out.appendCodePoint(codePoint);
        return true;
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
