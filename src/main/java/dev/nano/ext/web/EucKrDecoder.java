package dev.nano.ext.web;

/** The EUC-KR decoder (Encoding Standard §13.1.1): a lead byte 0x81-0xFE and a trail byte through index EUC-KR. */
final class EucKrDecoder extends TwoByteDecoder {
    @Override
    int single(int b) {
        return b < 0x80 ? b : b >= 0x81 && b <= 0xFE ? LEAD : ERROR;
    }

    @Override
    boolean pair(int lead, int b, TextOutput out) {
        char c = b >= 0x41 && b <= 0xFE ? LegacyIndexes.eucKr()[(lead - 0x81) * 190 + b - 0x41] : 0;
        if (c == 0) {
            return false;
        }
        out.append(c);
        return true;
    }
}
