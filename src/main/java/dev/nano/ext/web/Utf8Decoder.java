package dev.nano.ext.web;

import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 decoder of the Encoding Standard (§8.1.1), which replaces each maximal subpart of an
 * ill-formed sequence with one U+FFFD. Valid input takes the JDK's vectorized decoder; input with
 * anything to replace (or a U+FFFD of its own) is decoded again by the spec's algorithm.
 */
final class Utf8Decoder implements StreamDecoder {
    private static final char REPLACEMENT = '\uFFFD';

    @Override
    public String decode(byte[] bytes, int off, int len, State state, boolean flush, boolean fatal) {
        if (StreamDecoder.pendingCount(state.value) > 0) {
            bytes = StreamDecoder.prependPending(state.value, bytes, off, len);
            off = 0;
            len = bytes.length;
        }
        int end = off + len;
        // An unfinished sequence at the end of a chunk waits for the next one.
        int cut = flush ? end : unfinishedTailStart(bytes, off, end);
        String text = new String(bytes, off, cut - off, StandardCharsets.UTF_8);
        if (text.indexOf(REPLACEMENT) < 0) {
            // No replacement: bytes[off, cut) was valid UTF-8, so the JDK's result is the spec's.
            state.value = StreamDecoder.packPending(bytes, cut, end);
            return text;
        }
        return decodeBySpec(bytes, off, end, state, flush, fatal);
    }

    /**
     * Where the unfinished sequence at the end of {@code bytes[off, end)} starts, if the bytes there
     * are a valid start of a sequence that more bytes could complete; {@code end} when there is none.
     */
    static int unfinishedTailStart(byte[] bytes, int off, int end) {
        for (int k = 1; k <= 3 && end - k >= off; k++) {
            int b = bytes[end - k] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for its lead byte
            }
            int length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            if (length <= k) {
                return end; // ASCII, an invalid byte, or a complete sequence
            }
            if (k >= 2) {
                int second = bytes[end - k + 1] & 0xFF;
                if (second < lowerBoundary(b) || second > upperBoundary(b)) {
                    return end;
                }
            }
            return end - k;
        }
        return end;
    }

    // §8.1.1 step 4: the second byte's range after E0, ED, F0 and F4 excludes overlongs, surrogates
    // and code points above U+10FFFF.
    private static int lowerBoundary(int lead) {
        return lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
    }

    private static int upperBoundary(int lead) {
        return lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
    }

    /** §8.1.1 "UTF-8 decoder", byte by byte over {@code bytes[off, end)}. */
    static String decodeBySpec(byte[] bytes, int off, int end, State state, boolean flush, boolean fatal) {
        char[] out = new char[Math.max(1, end - off)];
        int n = 0;
        int needed = 0;
        int seen = 0;
        int codePoint = 0;
        int lower = 0x80;
        int upper = 0xBF;
        int sequenceStart = off;
        int i = off;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (needed == 0) {
                sequenceStart = i;
                i++;
                if (b < 0x80) {
                    out[n++] = (char) b;
                } else if (b >= 0xC2 && b <= 0xDF) {
                    needed = 1;
                    codePoint = b & 0x1F;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    lower = lowerBoundary(b);
                    upper = upperBoundary(b);
                    needed = 2;
                    codePoint = b & 0x0F;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    lower = lowerBoundary(b);
                    upper = upperBoundary(b);
                    needed = 3;
                    codePoint = b & 0x07;
                } else {
                    if (fatal) {
                        return failed(state);
                    }
                    out[n++] = REPLACEMENT;
                }
                continue;
            }
            if (b < lower || b > upper) {
                // The byte is not consumed: it is looked at again as the start of what follows.
                needed = seen = codePoint = 0;
                lower = 0x80;
                upper = 0xBF;
                if (fatal) {
                    return failed(state);
                }
                out[n++] = REPLACEMENT;
                continue;
            }
            i++;
            lower = 0x80;
            upper = 0xBF;
            codePoint = (codePoint << 6) | (b & 0x3F);
            if (++seen == needed) {
                if (codePoint >= 0x10000) {
                    out[n++] = Character.highSurrogate(codePoint);
                    out[n++] = Character.lowSurrogate(codePoint);
                } else {
                    out[n++] = (char) codePoint;
                }
                needed = seen = codePoint = 0;
            }
        }
        state.value = 0;
        if (needed != 0) {
            if (!flush) {
                state.value = StreamDecoder.packPending(bytes, sequenceStart, end);
            } else if (fatal) {
                return failed(state);
            } else {
                out[n++] = REPLACEMENT;
            }
        }
        return new String(out, 0, n);
    }

    private static String failed(State state) {
        state.value = 0;
        return null;
    }
}
