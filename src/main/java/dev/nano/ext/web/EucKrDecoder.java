package dev.nano.ext.web;

/** The EUC-KR decoder (Encoding Standard §13.1.1): a lead byte 0x81-0xFE and a trail byte through index EUC-KR. */
final class EucKrDecoder extends MultiByteDecoder {
    @Override
    int decodeRun(byte[] bytes, int off, int end, TextOutput out, boolean fatal) {
        char[] index = LegacyIndexes.eucKr();
        int lead = 0;
        int sequenceStart = off;
        int i = off;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (lead != 0) {
                char c = b >= 0x41 && b <= 0xFE ? index[(lead - 0x81) * 190 + b - 0x41] : 0;
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
}
