package dev.nano.ext.web;

/**
 * Base of the decoders that read a lead byte and then one trail byte (Encoding Standard Big5,
 * Shift_JIS and EUC-KR decoders). Their handlers differ only in which bytes stand alone, which start a
 * sequence, and what a lead and trail decode to; the loop, the error handling (an ASCII trail byte is
 * restored and decoded again) and the unfinished sequence at the end of a chunk are the same.
 */
abstract class TwoByteDecoder extends MultiByteDecoder {
    /** From {@link #single}: the byte is a lead byte. */
    static final int LEAD = -1;
    /** From {@link #single}: the byte is an error. */
    static final int ERROR = -2;

    /** What byte {@code b} is when no lead byte comes before it: a BMP code point, {@link #LEAD} or {@link #ERROR}. */
    abstract int single(int b);

    /** Appends what {@code lead} and trail byte {@code b} decode to; false (nothing appended) if they are an error. */
    abstract boolean pair(int lead, int b, TextOutput out);

    @Override
    final int decodeRun(byte[] bytes, int off, int end, TextOutput out, boolean fatal) {
        int lead = 0;
        int sequenceStart = off;
        int i = off;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (lead != 0) {
                boolean decoded = pair(lead, b, out);
                lead = 0;
                if (decoded) {
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
            int c = single(b);
            if (c >= 0) {
                out.append((char) c);
            } else if (c == LEAD) {
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
