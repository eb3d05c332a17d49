package dev.nano.ext.web;

/**
 * The Shift_JIS decoder (Encoding Standard §12.3.1): ASCII and 0x80 as themselves, 0xA1-0xDF as
 * halfwidth katakana, and lead bytes 0x81-0x9F and 0xE0-0xFC with a trail byte through index jis0208
 * (pointers 8836-10715 being the end-user-defined characters U+E000-U+E757).
 */
final class ShiftJisDecoder extends TwoByteDecoder {
    @Override
    int single(int b) {
        if (b <= 0x80) {
            return b;
        }
        if (b >= 0xA1 && b <= 0xDF) {
            return 0xFF61 - 0xA1 + b;
        }
        return b <= 0x9F || (b >= 0xE0 && b <= 0xFC) ? LEAD : ERROR;
    }

    @Override
    boolean pair(int lead, int b, TextOutput out) {
        if (!((b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFC))) {
            return false;
        }
        int pointer = (lead - (lead < 0xA0 ? 0x81 : 0xC1)) * 188 + b - (b < 0x7F ? 0x40 : 0x41);
        char c = pointer >= 8836 && pointer <= 10715 ? (char) (0xE000 - 8836 + pointer) : LegacyIndexes.jis0208()[pointer];
        if (c == 0) {
            return false;
        }
        out.append(c);
        return true;
    }
}
