package dev.nano.ext.web;

/**
 * The ISO-2022-JP decoder (Encoding Standard §12.2.1): escape sequences switch between ASCII, JIS
 * X 0201 Roman, halfwidth katakana and JIS X 0208 (two bytes through index jis0208). Its state lasts
 * across any number of bytes, so unlike the other legacy decoders it is carried as fields packed
 * into the stream's state int (all 0 initially: ASCII, ASCII, no leading byte, output false).
 */
final class Iso2022JpDecoder implements StreamDecoder {
    // ISO-2022-JP decoder states (§12.2.1).
    private static final int ASCII = 0;
    private static final int ROMAN = 1;
    private static final int KATAKANA = 2;
    private static final int LEADING_BYTE = 3;
    private static final int TRAILING_BYTE = 4;
    private static final int ESCAPE_START = 5;
    private static final int ESCAPE = 6;

    private static final int END_OF_QUEUE = -1;

    @Override
    public String decode(byte[] bytes, int off, int len, State state, boolean flush, boolean fatal) {
        Run run = new Run(state.value, len);
        String text = run.decode(bytes, off, off + len, flush, fatal);
        state.value = text == null || flush ? 0 : run.pack();
        return text;
    }

    /** One call's decoding, with the decoder's fields unpacked. */
    private static final class Run {
        // What the handler returns.
        private static final int CONTINUE = 0;
        private static final int FINISHED = 1;
        private static final int ERROR = 2;
        private static final int ERROR_RESTORE_BYTE = 3; // error, and restore byte
        private static final int ERROR_RESTORE_BOTH = 4; // error, and restore « leading, byte » (leading only at the end)

        int decoderState;
        int outputState;
        int leading;
        boolean output;
        final TextOutput out;
        private int restoredLeading; // the leading byte for ERROR_RESTORE_BOTH

        // State int: bits 0-2 decoder state, 3-5 output state, 6-13 leading byte, 14 output.
        Run(int packed, int length) {
            decoderState = packed & 7;
            outputState = (packed >>> 3) & 7;
            leading = (packed >>> 6) & 0xFF;
            output = (packed & (1 << 14)) != 0;
            out = new TextOutput(length + 2);
        }

        int pack() {
            return decoderState | outputState << 3 | leading << 6 | (output ? 1 << 14 : 0);
        }

        String decode(byte[] bytes, int off, int end, boolean flush, boolean fatal) {
            int i = off;
            // A byte restored (§4.1) ahead of the input: only ever the leading byte of a failed
            // escape sequence, which is never 0x1B and so never restores anything itself.
            int restored = -1;
            while (true) {
                int b;
                if (restored >= 0) {
                    b = restored;
                    restored = -1;
                } else if (i < end) {
                    b = bytes[i++] & 0xFF;
                } else if (flush) {
                    b = END_OF_QUEUE;
                } else {
                    return out.toString();
                }
                int result = handle(b);
                if (result == CONTINUE) {
                    continue;
                }
                if (result == FINISHED) {
                    return out.toString();
                }
                // An error, after which the handler may have asked for bytes to be read again.
                if (result == ERROR_RESTORE_BYTE || result == ERROR_RESTORE_BOTH) {
                    if (b != END_OF_QUEUE) {
                        i--;
                    }
                    if (result == ERROR_RESTORE_BOTH) {
                        restored = restoredLeading;
                    }
                }
                if (fatal) {
                    return null;
                }
                out.append(TextOutput.REPLACEMENT);
            }
        }

        /** §12.2.1 the handler, for one byte or END_OF_QUEUE; code points go straight to {@link #out}. */
        private int handle(int b) {
            switch (decoderState) {
                case ASCII, ROMAN -> {
                    if (b == 0x1B) {
                        decoderState = ESCAPE_START;
                        return CONTINUE;
                    }
                    if (b == END_OF_QUEUE) {
                        return FINISHED;
                    }
                    output = false;
                    if (b > 0x7F || b == 0x0E || b == 0x0F) {
                        return ERROR;
                    }
                    char c = (char) b;
                    if (decoderState == ROMAN) {
                        c = b == 0x5C ? '\u00A5' : b == 0x7E ? '\u203E' : c;
                    }
                    out.append(c);
                    return CONTINUE;
                }
                case KATAKANA -> {
                    if (b == 0x1B) {
                        decoderState = ESCAPE_START;
                        return CONTINUE;
                    }
                    if (b == END_OF_QUEUE) {
                        return FINISHED;
                    }
                    output = false;
                    if (b < 0x21 || b > 0x5F) {
                        return ERROR;
                    }
                    out.append((char) (0xFF61 - 0x21 + b));
                    return CONTINUE;
                }
                case LEADING_BYTE -> {
                    if (b == 0x1B) {
                        decoderState = ESCAPE_START;
                        return CONTINUE;
                    }
                    if (b == END_OF_QUEUE) {
                        return FINISHED;
                    }
                    output = false;
                    if (b < 0x21 || b > 0x7E) {
                        return ERROR;
                    }
                    leading = b;
                    decoderState = TRAILING_BYTE;
                    return CONTINUE;
                }
                case TRAILING_BYTE -> {
                    if (b == 0x1B) {
                        decoderState = ESCAPE_START;
                        return ERROR;
                    }
                    decoderState = LEADING_BYTE;
                    if (b < 0x21 || b > 0x7E) {
                        return ERROR; // also at end of queue
                    }
                    char c = LegacyIndexes.jis0208()[(leading - 0x21) * 94 + b - 0x21];
                    if (c == 0) {
                        return ERROR;
                    }
                    out.append(c);
                    return CONTINUE;
                }
                case ESCAPE_START -> {
                    if (b == 0x24 || b == 0x28) {
                        leading = b;
                        decoderState = ESCAPE;
                        return CONTINUE;
                    }
                    output = false;
                    decoderState = outputState;
                    return ERROR_RESTORE_BYTE;
                }
                default -> { // ESCAPE
                    int lead = leading;
                    leading = 0;
                    int next = -1;
                    if (lead == 0x28 && b == 0x42) {
                        next = ASCII;
                    } else if (lead == 0x28 && b == 0x4A) {
                        next = ROMAN;
                    } else if (lead == 0x28 && b == 0x49) {
                        next = KATAKANA;
                    } else if (lead == 0x24 && (b == 0x40 || b == 0x42)) {
                        next = LEADING_BYTE;
                    }
                    if (next >= 0) {
                        decoderState = outputState = next;
                        boolean previous = output;
                        output = true;
                        // Two escape sequences in a row (nothing output between them) are an error.
                        return previous ? ERROR : CONTINUE;
                    }
                    restoredLeading = lead;
                    output = false;
                    decoderState = outputState;
                    return ERROR_RESTORE_BOTH;
                }
            }
        }
    }
}
